"""Audio in and out: PCM16 frames (an odd byte waits for the next frame), container blobs (WAV, WebM,
Ogg: decoded and resampled by PyAV through faster-whisper), WAV files for the recordings, and the socket's
timeline of samples with where each one came from (a resumed replica restarts at an exact sample)."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from services.stt.domain.turn_taking import SAMPLE_RATE

Samples = npt.NDArray[np.float32]
EMPTY: Samples = np.zeros(0, dtype=np.float32)


class UnreadableAudio(ValueError):
    """A container blob that PyAV cannot decode."""


def pcm16_to_samples(data: bytes, carry: bytes = b"") -> tuple[Samples, bytes]:
    """PCM16 LE bytes to float samples in [-1, 1); an odd trailing byte is returned to prefix the next frame."""
    buffer = carry + data
    usable = len(buffer) - len(buffer) % 2
    samples = np.frombuffer(buffer[:usable], dtype="<i2").astype(np.float32) / 32768.0
    return samples, buffer[usable:]


def decode_container(blob: bytes) -> Samples:
    """A WAV/WebM/Ogg/MP3 blob as 16 kHz mono samples (blocking: run it in a thread)."""
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(io.BytesIO(blob), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own error types (InvalidDataError, ...) and ValueErrors
        raise UnreadableAudio(f"the audio blob could not be decoded: {exc}") from exc
    return np.asarray(samples, dtype=np.float32)


def wav_bytes(samples: Samples) -> bytes:
    """A 16 kHz PCM16 mono WAV file."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)
    return out.getvalue()


@dataclass(frozen=True)
class Position:
    """A sample of a socket's audio, as a place to resume from: the stream sequence of the chunk it is in,
    the odd byte waiting before that chunk's PCM, and how many of that chunk's samples come before it."""

    seq: int
    carry: bytes = b""
    skip: int = 0


@dataclass(frozen=True)
class _Piece:
    start: int  # timeline index of its first sample
    samples: Samples
    seq: int
    carry: bytes  # the odd byte that waited before this chunk
    received_at: float

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


class Timeline:
    """The socket's samples from the resume point on (index 0), with what is needed to name any sample as
    a `Position` and to tell when it arrived. Only samples after `keep_from` are held."""

    def __init__(self) -> None:
        self._pieces: list[_Piece] = []
        self.length = 0
        self._next = Position(0)  # where the sample after the last one is
        self._last_received_at = 0.0

    def append(
        self, seq: int, carry_before: bytes, samples: Samples, received_at: float, carry_after: bytes
    ) -> None:
        if len(samples):
            self._pieces.append(_Piece(self.length, samples, seq, carry_before, received_at))
            self.length += len(samples)
        self._next = Position(seq + 1, carry_after, 0)
        self._last_received_at = received_at

    def passed(self, seq: int, carry: bytes) -> None:
        """A chunk without samples (a hint, unreadable audio) was read: a resume may start after it."""
        self._next = Position(seq + 1, carry, 0)

    def position(self, index: int) -> Position:
        """Where sample `index` (<= length) is in the stream."""
        for piece in reversed(self._pieces):
            if piece.start <= index < piece.end:
                return Position(piece.seq, piece.carry, index - piece.start)
            if piece.end <= index:
                break
        return self._next

    def received_at(self, index: int) -> float:
        """The gateway's clock when the chunk holding sample `index` arrived."""
        for piece in reversed(self._pieces):
            if piece.start <= index:
                return piece.received_at
        return self._pieces[0].received_at if self._pieces else self._last_received_at

    def slice(self, start: int, end: int) -> Samples:
        parts = [
            p.samples[max(0, start - p.start) : max(0, end - p.start)]
            for p in self._pieces
            if p.end > start and p.start < end
        ]
        if not parts:
            return EMPTY
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def keep_from(self, index: int) -> None:
        """Forget the samples before `index` (whole chunks only)."""
        while self._pieces and self._pieces[0].end <= index:
            self._pieces.pop(0)

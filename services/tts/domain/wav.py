"""WAV in and out: PCM16 mono framed as a RIFF file, a tolerant reader, and trimming of edge silence.

Every sentence travels as a complete WAV file (RIFF header, PCM 16-bit little-endian, mono, the engine's
sample rate), so a client can decode each one on its own.
"""

from __future__ import annotations

import hashlib
import struct

import numpy as np

_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")
HEADER_BYTES = _HEADER.size  # 44
SAMPLE_WIDTH = 2  # bytes: PCM16

# Trimming: below this amplitude (about -44 dBFS) a sample counts as silence. Piper starts a sentence with
# 45-65 ms of it and ends with 160-240 ms; espeak-ng ends with 300 ms. A short lead-in is kept so that soft
# onsets are not clipped, and the tail is capped: it is the pause between two sentences played back to back.
SILENCE_THRESHOLD = 300
KEEP_LEAD_MS = 20
KEEP_TAIL_MS = 200


def frame_wav(pcm: bytes, sample_rate: int) -> bytes:
    """A RIFF/WAVE file holding `pcm` (PCM16 LE mono samples at `sample_rate`)."""
    if sample_rate <= 0:
        raise ValueError(f"invalid sample rate {sample_rate}")
    pcm = pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]
    header = _HEADER.pack(
        b"RIFF",
        36 + len(pcm),
        b"WAVE",
        b"fmt ",
        16,  # fmt chunk size
        1,  # PCM
        1,  # mono
        sample_rate,
        sample_rate * SAMPLE_WIDTH,  # byte rate
        SAMPLE_WIDTH,  # block align
        8 * SAMPLE_WIDTH,  # bits per sample
        b"data",
        len(pcm),
    )
    return header + pcm


def read_wav(data: bytes) -> tuple[bytes, int]:
    """The PCM16 mono samples and sample rate of a WAV file.

    Tolerant of streamed headers (`espeak-ng --stdout` writes placeholder sizes, since it cannot seek back):
    a chunk size past the end of the data means "up to the end". ValueError for anything but PCM16 mono.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    pos = 12
    rate: int | None = None
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        body = data[pos + 8 : pos + 8 + size]  # clipped at the end of the data
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise ValueError("truncated fmt chunk")
            fmt, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if fmt != 1 or channels != 1 or bits != 16:
                raise ValueError(f"expected PCM16 mono, got format {fmt}, {channels} channels, {bits} bits")
        elif chunk_id == b"data":
            if rate is None:
                raise ValueError("data chunk before the fmt chunk")
            return body[: len(body) - len(body) % SAMPLE_WIDTH], rate
        pos += 8 + size + (size & 1)  # chunks are padded to an even size
    raise ValueError("no data chunk")


def pcm_duration_s(pcm: bytes, sample_rate: int) -> float:
    return len(pcm) // SAMPLE_WIDTH / sample_rate


def trim_silence(
    pcm: bytes,
    sample_rate: int,
    *,
    threshold: int = SILENCE_THRESHOLD,
    keep_lead_ms: int = KEEP_LEAD_MS,
    keep_tail_ms: int = KEEP_TAIL_MS,
) -> bytes:
    """`pcm` without the silence beyond `keep_lead_ms` at the start and `keep_tail_ms` at the end.
    All-silent audio comes back empty."""
    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH], dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return b""
    start = max(0, int(loud[0]) - sample_rate * keep_lead_ms // 1000)
    end = min(samples.size, int(loud[-1]) + 1 + sample_rate * keep_tail_ms // 1000)
    return samples[start:end].tobytes()


def ahead_key(session_id: str, voice: str, text: str) -> str:
    """Where a sentence synthesised ahead of its turn waits for the real request of the same words."""
    digest = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:32]
    return f"tts-ahead/{session_id}/{digest}.wav"


def recording_key(session_id: str, turn_id: str, index: int) -> str:
    """Where a reply sentence's WAV is kept: beside the session's other recordings."""
    return f"recordings/{session_id}/{turn_id}/reply-{index:03d}.wav"

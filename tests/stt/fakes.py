"""Fakes at the STT's ports, and synthetic "speech": each word is a tone at its own frequency.

`ToneModel` (the SpeechModel) hears a word for each burst of tone in the audio it is given, so segmenting,
prompts and word timings behave like the real thing, decoded in microseconds. `EnergyVad` calls a window
speech when it is loud. Audio goes in as `AudioChunk`s exactly as the gateway publishes them.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from services.stt.audio import Position, Samples
from services.stt.claims import AlreadyFinished, HeldElsewhere
from services.stt.domain.prompting import TurnContext
from services.stt.domain.turn_taking import EndpointRules
from services.stt.playback import PlaybackBoard
from services.stt.transcriber import (
    DecodeQueue,
    LeaseLost,
    Pipeline,
    Resume,
    SocketTranscriber,
    TimedWord,
    Transcription,
)
from shared.events import AudioChunk, BargeIn, ProvisionalTurn, TranscriptUpdate, TurnFailed, UserTurn
from shared.storage.local import LocalObjectStore

SR = 16_000
VOCAB = tuple(
    [
        "i",
        "would",
        "use",
        "a",
        "hash",
        "map",
        "because",
        "it",
        "is",
        "fast",
        "and",
        "then",
        "so",
        "um",
        "the",
        "queue",
        "redis",
        "sharding",
        "done",
        "scale",
        "tell",
        "me",
        "about",
        "your",
        "last",
        "project",
        "sorry",
        "wait",
        "yes",
        "no",
        "we",
        "cache",
    ]
)
FREQ = {w: 300.0 + 55.0 * i for i, w in enumerate(VOCAB)}


def tone(freq: float, ms: float, amp: float = 0.3) -> Samples:
    t = np.arange(int(SR * ms / 1000)) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def quiet(ms: float) -> Samples:
    return np.zeros(int(SR * ms / 1000), dtype=np.float32)


def say(text: str, *, word_ms: float = 240, gap_ms: float = 60) -> Samples:
    parts: list[Samples] = []
    for word in text.lower().split():
        parts += [tone(FREQ[word], word_ms), quiet(gap_ms)]
    return np.concatenate(parts)


def audio(*parts: Samples | str | float) -> Samples:
    """Text is said, a number is that many ms of silence."""
    return np.concatenate(
        [say(p) if isinstance(p, str) else quiet(p) if isinstance(p, float | int) else p for p in parts]
    )


def pcm(samples: Samples) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


class ToneModel:
    """The SpeechModel: one word per tone burst (its frequency names it); records every call."""

    def __init__(self, *, fail: bool = False, delay_s: float = 0.0) -> None:
        self.fail = fail
        self.delay_s = delay_s
        self.calls: list[dict[str, object]] = []
        self._lock = threading.Lock()

    def transcribe(
        self,
        audio: Samples,
        *,
        hotwords: str | None,
        prompt: str | None,
        word_timestamps: bool = True,
        draft: bool = False,
    ) -> Transcription:
        with self._lock:
            self.calls.append(
                {
                    "seconds": len(audio) / SR,
                    "hotwords": hotwords,
                    "prompt": prompt,
                    "words": word_timestamps,
                    "draft": draft,
                }
            )
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.fail:
            raise RuntimeError("the model broke")
        words = [w for w in _bursts(audio) if w is not None]
        return Transcription(" ".join(w.word for w in words), tuple(words) if word_timestamps else ())

    def decodes(self, *, final_only: bool = False) -> list[dict[str, object]]:
        return [c for c in self.calls if c["words"] or not final_only]


def _bursts(audio: Samples) -> Iterable[TimedWord | None]:
    hop = SR // 100  # 10 ms
    frames = len(audio) // hop
    loud = [float(np.sqrt(np.mean(audio[i * hop : (i + 1) * hop] ** 2))) > 0.05 for i in range(frames)]
    start = None
    for i, on in enumerate([*loud, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if i - start >= 6:  # at least 60 ms
                yield _word(audio[start * hop : i * hop], start * hop / SR, i * hop / SR)
            start = None


def _word(burst: Samples, start: float, end: float) -> TimedWord | None:
    spectrum = np.abs(np.fft.rfft(burst))
    freq = float(np.argmax(spectrum) * SR / len(burst))
    word, best = min(FREQ.items(), key=lambda item: abs(item[1] - freq))
    return TimedWord(word, round(start, 3), round(end, 3)) if abs(best - freq) < 20 else None


class _EnergyStream:
    def probability(self, window: Samples) -> float:
        return 1.0 if float(np.sqrt(np.mean(window**2))) > 0.02 else 0.0

    def state(self) -> bytes:
        return b""


class EnergyVad:
    def stream(self, state: bytes | None = None) -> _EnergyStream:
        return _EnergyStream()


@dataclass
class FakeOutbox:
    transcripts: list[TranscriptUpdate] = field(default_factory=list)
    speculation: list[ProvisionalTurn] = field(default_factory=list)
    bargeins: list[BargeIn] = field(default_factory=list)
    failures: list[TurnFailed] = field(default_factory=list)
    turns: list[UserTurn] = field(default_factory=list)
    log: list[object] = field(default_factory=list)  # everything, in order
    _ids: set[str] = field(default_factory=set)

    async def transcript(self, update: TranscriptUpdate) -> None:
        self.transcripts.append(update)
        self.log.append(update)

    async def speculate(self, event: ProvisionalTurn) -> None:
        self.speculation.append(event)
        self.log.append(event)

    async def barge_in(self, event: BargeIn) -> None:
        self.bargeins.append(event)
        self.log.append(event)

    async def failed(self, event: TurnFailed) -> None:
        self.failures.append(event)
        self.log.append(event)

    async def turn(self, turn: UserTurn) -> bool:
        if turn.turn_id in self._ids:
            return False
        self._ids.add(turn.turn_id)
        self.turns.append(turn)
        self.log.append(turn)
        return True


class FakeContext:
    def __init__(self, context: TurnContext | None = None, *, fail: bool = False) -> None:
        self.value = context or TurnContext()
        self.fail = fail
        self.reads = 0

    async def context(self, session_id: str) -> TurnContext:
        self.reads += 1
        if self.fail:
            raise OSError("storage is down")
        return self.value


@dataclass
class MemoryCheckpoints:
    saved: list[Resume] = field(default_factory=list)
    lost: bool = False

    async def save(self, resume: Resume) -> None:
        if self.lost:
            raise LeaseLost("taken over")
        self.saved.append(resume)


def pipeline(
    tmp_path: Path,
    *,
    model: ToneModel | None = None,
    rules: EndpointRules | None = None,
    context: FakeContext | None = None,
    playback: PlaybackBoard | None = None,
    outbox: FakeOutbox | None = None,
) -> Pipeline:
    return Pipeline(
        decoder=DecodeQueue(model or ToneModel()),
        vad=EnergyVad(),
        outbox=outbox or FakeOutbox(),
        context=context or FakeContext(),
        playback=playback or PlaybackBoard(),
        store=LocalObjectStore(tmp_path / "objects"),
        rules=rules or EndpointRules(),
    )


def transcriber(
    pipe: Pipeline,
    *,
    resume: Resume | None = None,
    checkpoints: MemoryCheckpoints | None = None,
    socket: str = "sock",
) -> SocketTranscriber:
    return SocketTranscriber(
        session_id="s1",
        socket_id=socket,
        speak=True,
        resume=resume or Resume(Position(1)),
        pipeline=pipe,
        checkpoints=checkpoints or MemoryCheckpoints(),
    )


T0 = 1_700_000_000.0


def chunks(
    samples: Samples | bytes,
    *,
    ms: float = 100,
    socket: str = "sock",
    first_seq: int = 1,
    first_index: int = 0,
    t0: float = T0,
) -> list[tuple[int, AudioChunk]]:
    """The audio as the gateway publishes it: `ms`-long PCM frames, numbered, stamped with their arrival."""
    data = samples if isinstance(samples, bytes) else pcm(samples)
    size = int(SR * ms / 1000) * 2
    out = []
    for n, offset in enumerate(range(0, len(data), size)):
        piece = data[offset : offset + size]
        chunk = AudioChunk(
            session_id="s1",
            socket_id=socket,
            seq=first_index + n,
            received_at=t0 + offset / 2 / SR,
            pcm=piece,
        )
        out.append((first_seq + n, chunk))
    return out


async def play(
    target: SocketTranscriber, items: Sequence[tuple[int, AudioChunk]], *, pace_s: float = 0.002
) -> None:
    """Feed chunks a little slower than instantly, so background decodes finish as they would live."""
    for seq, chunk in items:
        await target.feed(seq, chunk)
        await asyncio.sleep(pace_s)


# --- claims -----------------------------------------------------------------------------------------------------


class MemoryAudio:
    """The AudioSource: one stream of messages (every session), sequence numbers from 1."""

    def __init__(self) -> None:
        self.messages: list[tuple[int, str, AudioChunk | None]] = []
        self._arrived = asyncio.Event()

    def publish(self, chunk: AudioChunk | None, session_id: str = "s1") -> int:
        seq = len(self.messages) + 1
        self.messages.append((seq, session_id, chunk))
        self._arrived.set()
        return seq

    async def open(self, session_id: str, from_seq: int) -> MemoryStream:
        return MemoryStream(self, session_id, from_seq)


class MemoryStream:
    def __init__(self, source: MemoryAudio, session_id: str, from_seq: int) -> None:
        self.source = source
        self.session_id = session_id
        self.cursor = from_seq
        self.closed = False

    async def next(self, timeout: float) -> tuple[int, AudioChunk | None] | None:
        deadline = time.monotonic() + timeout
        while True:
            for seq, session_id, chunk in self.source.messages[self.cursor - 1 :]:
                self.cursor = seq + 1
                if session_id == self.session_id:
                    return seq, chunk
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.source._arrived.clear()
            try:
                await asyncio.wait_for(self.source._arrived.wait(), remaining)
            except TimeoutError:
                return None

    async def close(self) -> None:
        self.closed = True


@dataclass
class _Entry:
    owner: str
    expires: float
    resume: Resume
    done: bool = False


class MemoryLease:
    def __init__(self, store: MemoryProgress, key: tuple[str, str], owner: str, resume: Resume) -> None:
        self.store = store
        self.key = key
        self.owner = owner
        self._resume = resume

    @property
    def resume(self) -> Resume:
        return self._resume

    def _mine(self) -> _Entry:
        entry = self.store.entries[self.key]
        if entry.owner != self.owner:
            raise LeaseLost(str(self.key))
        return entry

    async def save(self, resume: Resume) -> None:
        entry = self._mine()
        entry.resume = resume
        entry.expires = time.monotonic() + self.store.lease_s
        self.store.saves += 1

    async def renew(self) -> None:
        self._mine().expires = time.monotonic() + self.store.lease_s

    async def finish(self) -> None:
        self._mine().done = True

    async def release(self) -> None:
        self._mine().expires = 0.0


class MemoryProgress:
    def __init__(self, lease_s: float = 5.0) -> None:
        self.lease_s = lease_s
        self.entries: dict[tuple[str, str], _Entry] = {}
        self.saves = 0
        self._owners = 0

    async def acquire(
        self, session_id: str, socket_id: str, start: Resume
    ) -> MemoryLease | HeldElsewhere | AlreadyFinished:
        key = (session_id, socket_id)
        self._owners += 1
        owner = f"owner-{self._owners}"
        entry = self.entries.get(key)
        if entry is not None and entry.done:
            return AlreadyFinished()
        if entry is not None and entry.expires > time.monotonic():
            return HeldElsewhere(entry.owner)
        resume = entry.resume if entry is not None else start
        self.entries[key] = _Entry(owner, time.monotonic() + self.lease_s, resume)
        return MemoryLease(self, key, owner, resume)

    def crash(self, session_id: str = "s1", socket_id: str = "sock") -> None:
        """The holder died: its lease has run out."""
        self.entries[(session_id, socket_id)].expires = 0.0


class FakeDelivery:
    def __init__(self, num_delivered: int = 1) -> None:
        self.num_delivered = num_delivered
        self.heartbeats = 0

    async def in_progress(self) -> None:
        self.heartbeats += 1

"""Fake engines and an in-memory outbox for the TTS service's tests."""

from __future__ import annotations

import math
import threading
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from shared.events import SpeechAudio


def tone(seconds: float, sample_rate: int, amplitude: int = 8000, hz: float = 220.0) -> bytes:
    n = int(seconds * sample_rate)
    return array(
        "h", (int(amplitude * math.sin(2 * math.pi * hz * i / sample_rate)) for i in range(n))
    ).tobytes()


class FakeEngine:
    """A 220 Hz tone, 40 ms per character of text; records what it was asked to say."""

    thread_safe = True

    def __init__(self, name: str = "fake", sample_rate: int = 16_000, delay_s: float = 0.0) -> None:
        self.name = name
        self.voice = f"{name}-voice"
        self.sample_rate = sample_rate
        self.delay_s = delay_s
        self.said: list[str] = []
        self.started: list[float] = []  # time.monotonic() of each call

    def synthesize(self, text: str) -> bytes:
        self.said.append(text)
        self.started.append(time.monotonic())
        if self.delay_s:
            time.sleep(self.delay_s)
        return tone(0.04 * len(text), self.sample_rate)


class FailingEngine(FakeEngine):
    def __init__(self, name: str = "broken", fail_on: str | None = None) -> None:
        super().__init__(name)
        self.fail_on = fail_on

    def synthesize(self, text: str) -> bytes:
        if self.fail_on is None or self.fail_on in text:
            self.said.append(text)
            raise RuntimeError("the model exploded")
        return super().synthesize(text)


class SilentEngine(FakeEngine):
    def synthesize(self, text: str) -> bytes:
        self.said.append(text)
        return b""


class UnsafeEngine(FakeEngine):
    """Not thread-safe: it notes whether two calls ever overlapped."""

    thread_safe = False

    def __init__(self) -> None:
        super().__init__("unsafe", delay_s=0.05)
        self.active = 0
        self.overlapped = False

    def synthesize(self, text: str) -> bytes:
        self.active += 1
        self.overlapped |= self.active > 1
        try:
            return super().synthesize(text)
        finally:
            self.active -= 1


class BlockingEngine(FakeEngine):
    """Blocks on every sentence but the warm-up until released; touches `marker` when it holds one."""

    def __init__(self, marker: Path | None = None) -> None:
        super().__init__("blocking")
        self.marker = marker
        self.release = threading.Event()
        self.holding = threading.Event()

    def synthesize(self, text: str) -> bytes:
        if text.startswith("Hello, let's begin"):  # the warm-up
            return super().synthesize(text)
        self.holding.set()
        if self.marker is not None:
            self.marker.write_text(text)
        self.release.wait()
        return super().synthesize(text)


@dataclass
class RecordingOutbox:
    published: list[SpeechAudio] = field(default_factory=list)

    async def publish(self, audio: SpeechAudio) -> None:
        self.published.append(audio)

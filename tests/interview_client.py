"""A WebSocket client that follows the public contract: used by the integration tests and `bench/`.

Text: `say(text)` sends a typed answer, `reply(turn_id)` waits for the interviewer's complete reply.

Voice: `speak(pcm)` streams PCM16 16 kHz audio at real-time pace in 20 ms frames, as a microphone does
(a frame leaves once it has been "recorded"), and notes when the candidate's speech ended: the moment the
frame holding the last non-silent sample was sent. `start_microphone()` keeps a microphone open between
answers (silence, or room noise, streamed all the time; `speak` then talks into it). Every binary frame
from the server is a WAV (one spoken piece of a reply), kept with its receive time and the turn it belongs
to; `spoken_reply()` waits for the whole spoken reply to a turn and measures end of speech -> first audio
on the client's clock.

A background task reads the socket; `events` holds every JSON event received so far (and
`received_at[i]` its receive time, `time.perf_counter()`), while `next_event` walks them in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import math
import time
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

RATE = 16_000
SILENCE_FLOOR = 300  # |sample| above this (about -40 dBFS) counts as sound when finding the end of speech


@dataclass
class Reply:
    turn_id: str
    text: str
    chunks: list[str]
    first_chunk_at: float | None
    complete_at: float


@dataclass(frozen=True)
class WavFrame:
    """One binary frame from the server: a WAV file (one spoken piece of a reply)."""

    data: bytes
    received_at: float  # time.perf_counter()
    turn_id: str | None  # the reply it belongs to (the turn being answered when it arrived)
    sample_rate: int
    channels: int
    sample_width: int
    pcm: bytes

    @classmethod
    def parse(cls, data: bytes, received_at: float, turn_id: str | None) -> WavFrame:
        """Raises `ValueError` (or `wave.Error`, a subclass of Exception) when `data` is not a WAV."""
        if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
            raise ValueError(f"binary frame is not a RIFF/WAVE file: {data[:12]!r}")
        with wave.open(io.BytesIO(data), "rb") as reader:
            pcm = reader.readframes(reader.getnframes())
            return cls(
                data,
                received_at,
                turn_id,
                reader.getframerate(),
                reader.getnchannels(),
                reader.getsampwidth(),
                pcm,
            )

    @property
    def samples(self) -> array[int]:
        values = array("h")
        values.frombytes(self.pcm[: len(self.pcm) // 2 * 2])
        return values

    @property
    def duration_s(self) -> float:
        return (
            len(self.pcm) / (self.sample_width * self.channels * self.sample_rate)
            if self.sample_rate
            else 0.0
        )

    @property
    def rms_dbfs(self) -> float:
        values = self.samples
        if not values:
            return -120.0
        rms = math.sqrt(sum(v * v for v in values) / len(values))
        return 20 * math.log10(max(rms, 1e-3) / 32768)

    @property
    def peak(self) -> int:
        values = self.samples
        return max((abs(v) for v in values), default=0)


@dataclass(frozen=True)
class Utterance:
    """One `speak()`: when it began, when the speech in it ended, when its last frame was sent."""

    started_at: float
    speech_ended_at: float
    sent_at: float
    speech_s: float  # the audio's length up to the end of speech
    event_index: int  # len(events) when it began


@dataclass
class SpokenReply:
    turn_id: str
    transcript: str  # the candidate's final transcript of the turn
    partials: list[str]  # partial transcripts seen while the candidate spoke
    text: str  # the interviewer's reply (assistant_complete)
    wavs: list[WavFrame]
    metrics: dict[str, Any]  # the turn's `turn_metrics` event ({} if it did not come)
    states: list[str]  # `state` events from the final transcript to the end of the reply
    interrupted: bool
    speech_ended_at: float | None  # the client's clock (perf_counter)
    transcript_at: float
    complete_at: float
    finished_at: float  # `listening` again (the reply was played out), or `interrupted`
    listening: bool = True  # False: the server never said `listening` after the reply (see spoken_reply)

    @property
    def first_audio_at(self) -> float | None:
        return self.wavs[0].received_at if self.wavs else None

    @property
    def latency_ms(self) -> float | None:
        """End of the candidate's speech -> the first WAV of the reply, on the client's clock."""
        if self.speech_ended_at is None or self.first_audio_at is None:
            return None
        return (self.first_audio_at - self.speech_ended_at) * 1000

    @property
    def audio_s(self) -> float:
        return sum(w.duration_s for w in self.wavs)


def _brief(event: dict[str, Any]) -> str:
    kind = str(event.get("type"))
    if kind == "transcript":
        return (
            f"transcript {'final' if event.get('is_final') else 'partial'} {str(event.get('turn_id'))[-6:]}"
        )
    if kind == "state":
        return f"state {event.get('state')}"
    if kind in {"llm_chunk", "assistant_complete", "turn_metrics", "interrupted"}:
        return f"{kind} {str(event.get('turn_id'))[-6:]}"
    if kind == "error":
        return f"error {event.get('code')}: {event.get('message')}"
    return kind


def last_sound(pcm: bytes, floor: int = SILENCE_FLOOR) -> int:
    """The index of the last sample louder than `floor` (-1: all silent)."""
    values = array("h")
    values.frombytes(pcm[: len(pcm) // 2 * 2])
    for index in range(len(values) - 1, -1, -1):
        if abs(values[index]) > floor:
            return index
    return -1


@dataclass
class _Mark:
    byte: int  # position in the microphone's stream
    future: asyncio.Future[float]


class Microphone:
    """Streams PCM16 16 kHz to the socket at real-time pace: queued audio first, else silence (or the
    room tone `fill(n_bytes)` gives). Frame k leaves at start + (k+1) * frame: once it was "recorded"."""

    def __init__(self, ws: Any, frame_ms: int = 20, fill: Callable[[int], bytes] | None = None) -> None:
        self.ws = ws
        self.frame_bytes = 2 * RATE * frame_ms // 1000
        self.frame_s = frame_ms / 1000
        self.fill = fill
        self.queue = bytearray()
        self.sent = 0  # bytes sent
        self.marks: list[_Mark] = []
        self.task: asyncio.Task[None] | None = None
        self.error: BaseException | None = None

    def mark(self, byte: int) -> asyncio.Future[float]:
        """Resolves with the send time of the frame that holds stream position `byte`."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.marks.append(_Mark(byte, future))
        return future

    def play(self, pcm: bytes) -> int:
        """Queue `pcm`; returns its start position in the stream."""
        start = self.sent + len(self.queue)
        self.queue += pcm
        return start

    async def run(self, *, until_empty: bool = False) -> None:
        began = time.perf_counter()
        frames = 0
        try:
            while not (until_empty and not self.queue):
                frames += 1
                delay = began + frames * self.frame_s - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if self.queue:
                    frame = bytes(self.queue[: self.frame_bytes])
                    del self.queue[: self.frame_bytes]
                else:
                    frame = self.fill(self.frame_bytes) if self.fill else bytes(self.frame_bytes)
                await self.ws.send(frame)
                self.sent += len(frame)
                now = time.perf_counter()
                for mark in [m for m in self.marks if m.byte < self.sent]:
                    self.marks.remove(mark)
                    if not mark.future.done():
                        mark.future.set_result(now)
        except BaseException as err:
            self.error = err
            for mark in self.marks:
                if not mark.future.done():
                    mark.future.set_exception(ConnectionError(f"microphone stopped: {err!r}"))
            self.marks.clear()
            if not isinstance(err, websockets.ConnectionClosed):  # a closed socket just ends the stream
                raise

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await self.task
            self.task = None


@dataclass
class InterviewClient:
    ws: Any
    session_id: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    received_at: list[float] = field(default_factory=list)  # of each event, time.perf_counter()
    replies: dict[str, Reply] = field(default_factory=dict)
    wavs: list[WavFrame] = field(default_factory=list)
    bad_frames: list[tuple[float, str]] = field(default_factory=list)  # binary frames that were no WAV
    utterances: list[Utterance] = field(default_factory=list)
    microphone: Microphone | None = None
    _chunks: dict[str, list[str]] = field(default_factory=dict)
    _first_chunk: dict[str, float] = field(default_factory=dict)
    _answering: str | None = None  # the turn whose reply is being written or spoken (for WAVs)
    _cursor: int = 0
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, base_ws_url: str, session_id: str, query: str = "?tts=0") -> InterviewClient:
        ws = await websockets.connect(f"{base_ws_url}/ws/interview/{session_id}{query}", max_size=2**24)
        client = cls(ws, session_id, _answering=f"start-{session_id}")  # the greeting comes first
        client._reader = asyncio.create_task(client._read())
        return client

    async def close(self) -> None:
        if self.microphone is not None:
            await self.microphone.stop()
        await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    # --- receiving ------------------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.perf_counter()
                if isinstance(message, bytes):
                    try:
                        self.wavs.append(WavFrame.parse(message, now, self._answering))
                    except Exception as err:
                        self.bad_frames.append((now, f"{err!r}: {message[:16]!r}"))
                else:
                    event: dict[str, Any] = json.loads(message)
                    self.received_at.append(now)
                    self._record(event, now)
                self._arrived.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._arrived.set()

    def _record(self, event: dict[str, Any], now: float) -> None:
        self.events.append(event)
        kind = event.get("type")
        if kind == "llm_chunk":
            self._answering = event["turn_id"]
            self._chunks.setdefault(event["turn_id"], []).append(event["text"])
            self._first_chunk.setdefault(event["turn_id"], now)
        elif kind == "assistant_complete":
            tid = event["turn_id"]
            self._answering = tid
            self.replies[tid] = Reply(
                tid, event["text"], self._chunks.get(tid, []), self._first_chunk.get(tid), now
            )
        elif kind == "transcript" and event.get("is_final"):
            self._answering = event["turn_id"]  # its reply's audio comes next

    async def wait_for(
        self, condition: Callable[[], bool], timeout: float = 30.0, poll_s: float | None = None
    ) -> None:
        """Until `condition()` holds (checked whenever anything arrives, and every `poll_s` if given)."""
        deadline = time.monotonic() + timeout
        while True:
            self._arrived.clear()
            if condition():
                return
            if self._reader is not None and self._reader.done():
                await self.ws.recv()  # raises the socket's ConnectionClosed
                raise ConnectionError("the socket is closed")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met in {timeout} s; lately: {self.timeline(last=25)}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(remaining, poll_s or remaining))

    def timeline(self, last: int = 25) -> str:
        """The latest events and WAVs in the order they arrived, compactly (for failure messages)."""
        items = [(at, _brief(event)) for event, at in zip(self.events, self.received_at, strict=False)]
        items += [(w.received_at, f"WAV {w.duration_s:.1f}s") for w in self.wavs]
        items.sort(key=lambda item: item[0])
        merged: list[list[Any]] = []
        for at, text in items[-4 * last :]:
            if merged and merged[-1][1] == text and text.startswith(("llm_chunk", "transcript partial")):
                merged[-1][2] += 1
            else:
                merged.append([at, text, 1])
        origin = items[0][0] if items else 0.0
        return " | ".join(
            f"{at - origin:.2f} {text}" + (f" x{count}" if count > 1 else "")
            for at, text, count in merged[-last:]
        )

    async def next_event(self, predicate: Any, timeout: float = 30.0) -> dict[str, Any]:
        """The next event (after the last one returned) that matches `predicate`."""
        found: list[dict[str, Any]] = []

        def scan() -> bool:
            while self._cursor < len(self.events):
                event = self.events[self._cursor]
                self._cursor += 1
                if predicate(event):
                    found.append(event)
                    return True
            return False

        try:
            await self.wait_for(scan, timeout)
        except TimeoutError:
            raise TimeoutError(f"no matching event in {timeout} s; got {self.events[-5:]}") from None
        return found[0]

    def index_of(self, predicate: Callable[[dict[str, Any]], bool], start: int = 0) -> int | None:
        """The index in `events` of the first event from `start` that matches (without moving the cursor)."""
        for index in range(start, len(self.events)):
            if predicate(self.events[index]):
                return index
        return None

    # --- text -----------------------------------------------------------------------------------------

    async def say(self, text: str) -> str:
        """Send a typed answer; return its turn id (from the echoed transcript)."""
        await self.send({"type": "text", "text": text})
        event = await self.next_event(lambda e: e["type"] in {"transcript", "error"})
        if event["type"] == "error":
            raise AssertionError(f"turn refused: {event}")
        return str(event["turn_id"])

    async def reply(self, turn_id: str | None = None, timeout: float = 30.0) -> Reply:
        """The next complete reply (to `turn_id`, if given)."""
        if turn_id is not None and turn_id in self.replies:
            return self.replies[turn_id]
        event = await self.next_event(
            lambda e: e["type"] == "assistant_complete" and (turn_id is None or e["turn_id"] == turn_id),
            timeout,
        )
        return self.replies[event["turn_id"]]

    # --- voice ----------------------------------------------------------------------------------------

    async def start_microphone(
        self, frame_ms: int = 20, fill: Callable[[int], bytes] | None = None
    ) -> Microphone:
        """Keep streaming audio from now on: silence (or `fill(n_bytes)`), and whatever `speak` queues."""
        if self.microphone is None:
            self.microphone = Microphone(self.ws, frame_ms, fill)
            self.microphone.task = asyncio.create_task(self.microphone.run())
        return self.microphone

    async def stop_microphone(self) -> None:
        if self.microphone is not None:
            await self.microphone.stop()
            self.microphone = None

    async def speak(
        self,
        pcm: bytes,
        *,
        trailing_silence_s: float = 0.0,
        speech_end_s: float | None = None,
        frame_ms: int = 20,
    ) -> Utterance:
        """Stream `pcm` (PCM16 LE mono 16 kHz) at real-time pace, then `trailing_silence_s` of silence;
        returns once the speech has been sent (and the trailing silence, without an open microphone).

        The end of speech is `speech_end_s` into `pcm` when given (a noisy clip knows where its words end),
        else its last sample above about -40 dBFS. With `start_microphone()`, the audio goes into the open
        microphone (which keeps streaming afterwards)."""
        if speech_end_s is not None:
            end_byte = min(len(pcm), round(speech_end_s * RATE) * 2) - 1
        else:
            end_byte = last_sound(pcm) * 2 + 1
        end_byte = max(end_byte, 0)
        event_index = len(self.events)
        audio = pcm + bytes(2 * round(trailing_silence_s * RATE))
        microphone = self.microphone
        if microphone is not None:  # talk into the open microphone
            start = microphone.play(audio)
            marks = (
                microphone.mark(start),
                microphone.mark(start + end_byte),
                microphone.mark(start + len(audio) - 1),
            )
            started_at, speech_ended_at, sent_at = [await mark for mark in marks]
        else:
            microphone = Microphone(self.ws, frame_ms)
            microphone.play(audio)
            marks = microphone.mark(0), microphone.mark(end_byte), microphone.mark(len(audio) - 1)
            await microphone.run(until_empty=True)
            if microphone.error is not None:
                raise ConnectionError(f"the socket closed while speaking: {microphone.error!r}")
            started_at, speech_ended_at, sent_at = (mark.result() for mark in marks)
        utterance = Utterance(started_at, speech_ended_at, sent_at, (end_byte + 1) / 2 / RATE, event_index)
        self.utterances.append(utterance)
        return utterance

    async def final_transcript(self, after: float | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """The first final transcript received after `after` (perf_counter; default: the end of the last
        utterance's speech): the candidate's turn that ended with that speech."""
        if after is None:
            after = self.utterances[-1].speech_ended_at if self.utterances else 0.0
        found: list[dict[str, Any]] = []

        def arrived() -> bool:
            for event, at in zip(self.events, self.received_at, strict=True):
                if event["type"] == "transcript" and event.get("is_final") and at >= after:
                    found.append(event)
                    return True
            return False

        await self.wait_for(arrived, timeout)
        return found[0]

    def transcripts(self, since_index: int = 0, *, final: bool = True) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events[since_index:]
            if e["type"] == "transcript" and bool(e.get("is_final")) == final
        ]

    def wavs_of(self, turn_id: str) -> list[WavFrame]:
        return [w for w in self.wavs if w.turn_id == turn_id]

    async def spoken_reply(
        self,
        turn_id: str | None = None,
        timeout: float = 60.0,
        metrics_timeout: float = 5.0,
        played_out_grace_s: float | None = None,
    ) -> SpokenReply:
        """The whole spoken reply to `turn_id` (default: the turn that ended with the last `speak()`):
        once its text is complete and it has been played out (`state: listening`), or it was interrupted.
        Its latency runs from the end of the last utterance's speech to its first WAV.

        `played_out_grace_s`: also done (with `listening=False`) when the server never says `listening`
        but the reply is complete and its WAVs, played back to back, ended this long ago."""
        utterance = self.utterances[-1] if self.utterances else None
        if turn_id is None:
            turn_id = str((await self.final_transcript(timeout=timeout))["turn_id"])
        tid = turn_id
        started = utterance.event_index if utterance else 0
        transcript_index = self.index_of(
            lambda e: e["type"] == "transcript" and e.get("is_final") is True and e["turn_id"] == tid, started
        )
        if transcript_index is None:
            transcript_index = self.index_of(
                lambda e: e["type"] == "transcript" and e.get("is_final") is True and e["turn_id"] == tid
            )
        end: list[int] = []

        def finished() -> bool:
            complete = self.index_of(lambda e: e["type"] == "assistant_complete" and e["turn_id"] == tid)
            stopped = self.index_of(lambda e: e["type"] == "interrupted" and e["turn_id"] == tid)
            if stopped is not None:
                end.append(stopped)
                return True
            if complete is None:
                return False
            listening = self.index_of(lambda e: e == {"type": "state", "state": "listening"}, complete)
            if listening is not None:
                end.append(listening)
                return True
            wavs = self.wavs_of(tid)
            if played_out_grace_s is not None and wavs:
                played_out = wavs[0].received_at + sum(w.duration_s for w in wavs) + played_out_grace_s
                if time.perf_counter() > max(played_out, wavs[-1].received_at + played_out_grace_s):
                    end.append(complete)
                    silent_end.append(True)
                    return True
            return False

        silent_end: list[bool] = []
        await self.wait_for(finished, timeout, poll_s=None if played_out_grace_s is None else 0.25)
        with contextlib.suppress(TimeoutError):
            await self.wait_for(
                lambda: (
                    self.index_of(lambda e: e["type"] == "turn_metrics" and e["turn_id"] == tid) is not None
                ),
                metrics_timeout,
            )
        metrics_index = self.index_of(lambda e: e["type"] == "turn_metrics" and e["turn_id"] == tid)
        complete_index = self.index_of(lambda e: e["type"] == "assistant_complete" and e["turn_id"] == tid)
        first = transcript_index if transcript_index is not None else started
        partials = [
            e["text"]
            for e in self.events[started : first + 1]
            if e["type"] == "transcript" and not e.get("is_final") and e["turn_id"] == tid
        ]
        return SpokenReply(
            turn_id=tid,
            transcript=self.events[transcript_index]["text"] if transcript_index is not None else "",
            partials=partials,
            text=self.events[complete_index]["text"] if complete_index is not None else "",
            wavs=self.wavs_of(tid),
            metrics=dict(self.events[metrics_index]) if metrics_index is not None else {},
            states=[e["state"] for e in self.events[first : end[0] + 1] if e["type"] == "state"],
            interrupted=any(e["type"] == "interrupted" and e["turn_id"] == tid for e in self.events),
            speech_ended_at=utterance.speech_ended_at if utterance else None,
            transcript_at=self.received_at[transcript_index] if transcript_index is not None else math.nan,
            complete_at=self.received_at[complete_index] if complete_index is not None else math.nan,
            finished_at=self.received_at[end[0]],
            listening=not silent_end,
        )

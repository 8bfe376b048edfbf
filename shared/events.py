"""Typed events that travel over NATS. Every event carries a schema `version`.

Consumers ignore unknown fields, so a producer may add fields without a
version bump; a change in meaning bumps `version`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def new_id() -> str:
    return uuid.uuid4().hex


def now() -> float:
    """Wall-clock epoch seconds: events cross processes, so no monotonic clocks."""
    return time.time()


class Event(BaseModel):
    # Bytes (audio) are base64 in JSON and raw in Python: `AudioChunk(pcm=raw_pcm)`.
    model_config = ConfigDict(extra="ignore", frozen=True, ser_json_bytes="base64", val_json_bytes="base64")

    version: int = SCHEMA_VERSION
    session_id: str
    ts: float = Field(default_factory=now)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


TurnKind = Literal["start", "text", "speech", "code_run"]


class Word(BaseModel):
    """One recognised word with its time in the utterance's audio (seconds from the utterance start)."""

    model_config = ConfigDict(frozen=True)

    word: str
    start: float
    end: float
    probability: float = 1.0


class FailedTest(BaseModel):
    """The first failing visible test of a run: what the interviewer may point at (hidden tests never)."""

    model_config = ConfigDict(frozen=True)

    input: Any = None
    expected: Any = None
    actual: Any = None
    error: str | None = None


class CodeRun(BaseModel):
    """A run of the candidate's code against the tests of the problem handed out, as the interviewer hears of it."""

    model_config = ConfigDict(frozen=True)

    submission_id: str
    problem_id: str
    language: str
    verdict: str  # the runner's verdict: accepted, wrong_answer, time_limit_exceeded, compilation_error, ...
    verdict_label: str
    passed: int
    total: int
    failed_test: FailedTest | None = None  # None when every failing test is hidden
    compile_output: str | None = None
    error: str | None = None
    target_time: str | None = None  # the problem's target time complexity, e.g. "O(n log n)"


class UserTurn(Event):
    """One candidate turn (typed or spoken), `start`: the session was opened and the interviewer speaks first, or
    `code_run`: the candidate ran code against the problem handed out (turn id `run-{submission id}`)."""

    turn_id: str = Field(default_factory=new_id)
    kind: TurnKind
    text: str = ""
    # When the turn ended on the candidate's side (epoch s): the end of speech for a spoken turn.
    ended_at: float = Field(default_factory=now)
    # Should the reply be spoken (a voice client is listening)? False for `?tts=0` sockets.
    speak: bool = False
    # Spoken turns only: word timings (for delivery metrics), the recording, and the STT's timestamps.
    words: list[Word] = Field(default_factory=list)
    audio_key: str | None = None
    speech_started_at: float | None = None
    transcribed_at: float | None = None
    code_run: CodeRun | None = None  # `code_run` turns only


class ReplyChunk(Event):
    turn_id: str
    index: int
    text: str


class AssistantReply(Event):
    """The interviewer's whole reply to one turn, published once after it is persisted."""

    turn_id: str
    text: str
    phase: str = ""
    interrupted: bool = False
    metrics: dict[str, float] = Field(default_factory=dict)
    # The reply hands out this problem of the problem bank: the gateway sends the client its `problem` event.
    problem_id: str | None = None


class TurnFailed(Event):
    turn_id: str
    code: str
    message: str


class Interrupt(Event):
    """Stop the reply in flight. Published by the gateway (the client's `interrupt`, or the STT's barge-in),
    with what the candidate heard of the reply so far: the transcript keeps only that."""

    turn_id: str | None = None
    source: Literal["client", "speech"] = "client"
    heard_text: str | None = None


# --- voice ----------------------------------------------------------------------------------------------


AudioFormat = Literal["pcm16", "container"]  # PCM16 LE mono 16 kHz, or a WAV/WebM/Ogg blob to decode


class AudioChunk(Event):
    """Gateway -> STT: one binary frame of a socket, in order (stream PREPAI_AUDIO, `prepai.audio.{sid}`).

    `pcm` holds the bytes (base64 on the wire); a frame larger than a NATS message goes by reference:
    `audio_key` names it in storage. `hint` carries the client's VAD hints and `end` (the socket closed),
    ordered with the audio.
    """

    socket_id: str
    seq: int  # per socket, from 0
    received_at: float = Field(default_factory=now)  # the gateway's clock when the frame arrived
    format: AudioFormat = "pcm16"
    pcm: bytes | None = None
    audio_key: str | None = None
    hint: Literal["speech_start", "speech_end", "end"] | None = None


class VoiceClaim(Event):
    """Gateway -> STT (work queue PREPAI_VOICE): a socket started sending audio; one STT replica takes it and
    follows `prepai.audio.{sid}` from `first_seq` (the stream sequence of the socket's first chunk) until
    the socket's `end`. If that replica dies, the claim is redelivered and another one resumes."""

    socket_id: str
    first_seq: int
    speak: bool = True


class TranscriptUpdate(Event):
    """STT -> gateway (`prepai.out.{sid}.transcript`): what the candidate is saying, partial then final."""

    turn_id: str
    text: str
    is_final: bool


class ProvisionalTurn(Event):
    """STT -> agent (`prepai.speculate.{sid}`): work the agent may start before the turn is certain.

    `likely_final=False`: the words so far (the agent may pre-read them into the model's cache);
    `likely_final=True`: the candidate fell silent and this is probably the whole answer (the agent may
    start its reply; the real UserTurn follows, or `ProvisionalTurn(cancelled=True)` if speech resumed).
    """

    turn_id: str
    text: str
    likely_final: bool = False
    cancelled: bool = False
    speak: bool = True  # the reply will be spoken (a voice socket): its sentences may be synthesised ahead


class BargeIn(Event):
    """STT -> gateway (`prepai.out.{sid}.bargein`): real speech over the interviewer's voice (not its echo)."""

    speech_ms: float
    text: str = ""


class PlaybackUpdate(Event):
    """Gateway -> STT (`prepai.playback.{sid}`): what the client is playing, so the STT can tell the
    interviewer's echo from the candidate's speech. `playing_until` is the gateway's estimate (epoch s)."""

    turn_id: str
    text: str  # the sentences sent to the client so far
    playing_until: float


class SpeakRequest(Event):
    """Agent -> TTS (work queue PREPAI_SPEECH, `prepai.speak.{sid}`): one sentence of a reply to synthesise.
    Any TTS replica may take any sentence; `index` orders them, `final` marks the reply's last one."""

    turn_id: str
    index: int
    text: str
    final: bool = False
    # Synthesise only: a reply written ahead of its turn (the candidate may still go on). The audio waits in
    # storage for the real request of the same words, which is then answered at once; nothing is published.
    ahead: bool = False


class SpeechAudio(Event):
    """TTS -> gateway (`prepai.out.{sid}.audio`): one sentence as a WAV (RIFF, PCM16 mono).

    `wav` inline, or `audio_key` in storage when larger than a NATS message. `failed`: the sentence could
    not be synthesised (the gateway skips it and keeps the order)."""

    turn_id: str
    index: int
    text: str
    final: bool = False
    wav: bytes | None = None
    audio_key: str | None = None
    duration_s: float = 0.0
    failed: bool = False
    synthesized_at: float = Field(default_factory=now)


class TurnMetrics(Event):
    """Gateway -> analytics (stream PREPAI_METRICS): the measured latency of each stage of a turn (ms)."""

    turn_id: str
    stages: dict[str, float]


class SessionCreated(Event):
    interview_type: str
    candidate_name: str


class SessionEnded(Event):
    reason: str = "ended_by_candidate"
    duration_seconds: float | None = None

"""One socket's conversation, on fakes: the workers' events become the contract's, a spoken reply's
pieces are played in order, the interviewer's state follows, an interrupt says what was heard."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from starlette.websockets import WebSocketState

from services.gateway.deps import Deps
from services.gateway.protocol import SERVER_EVENT
from services.gateway.voice import AudioSequencer, Playback, stage_latencies
from services.gateway.ws import Conversation
from shared.events import (
    AssistantReply,
    BargeIn,
    Event,
    ReplyChunk,
    SpeechAudio,
    TranscriptUpdate,
    TurnFailed,
)


@dataclass
class FakeSocket:
    application_state: WebSocketState = WebSocketState.CONNECTED
    events: list[dict[str, Any]] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)

    async def send_text(self, text: str) -> None:
        event = json.loads(text)
        SERVER_EVENT.validate_python(event)  # every event is one of the contract's
        self.events.append(event)

    async def send_bytes(self, data: bytes) -> None:
        self.frames.append(data)

    def kinds(self) -> list[str]:
        return [e["type"] if e["type"] != "state" else f"state:{e['state']}" for e in self.events]


@dataclass
class FakeBus:
    published: list[Event] = field(default_factory=list)

    async def publish_interrupt(self, event: Event) -> None:
        self.published.append(event)

    publish_playback = publish_metrics = publish_claim = publish_interrupt

    async def publish_audio(self, chunk: Event) -> int:
        self.published.append(chunk)
        return len(self.published)


def conversation(speak: bool = True) -> tuple[Conversation, FakeSocket, FakeBus]:
    socket, bus = FakeSocket(), FakeBus()
    deps = cast(Deps, type("FakeDeps", (), {"bus": bus})())
    return Conversation(cast(Any, socket), deps, "s1", speak=speak), socket, bus


def audio(
    index: int, text: str, *, final: bool = False, turn: str = "t1", wav: bytes | None = b"RIFF"
) -> bytes:
    return SpeechAudio(
        session_id="s1", turn_id=turn, index=index, text=text, final=final, wav=wav, duration_s=1.0
    ).to_bytes()


def test_the_sequencer_plays_in_index_order_once_and_forgets_cancelled_turns() -> None:
    sequencer = AudioSequencer()

    def piece(i: int, final: bool = False, turn: str = "t") -> SpeechAudio:
        return SpeechAudio(session_id="s", turn_id=turn, index=i, text=str(i), final=final)

    assert sequencer.add(piece(1)) == []
    assert [p.index for p in sequencer.add(piece(0))] == [0, 1]
    assert sequencer.add(piece(1)) == []  # a redelivered duplicate
    assert [p.index for p in sequencer.add(piece(2, final=True))] == [2]
    assert sequencer.finished("t") and sequencer.add(piece(3)) == []
    sequencer.cancel("u")
    assert sequencer.add(piece(0, turn="u")) == []


def test_the_playback_timeline_says_what_was_heard() -> None:
    playback = Playback()
    playback.add("t", "Good point, thanks.", 2.0, now=100.0)
    playback.add("t", "Now tell me about sharding.", 2.0, now=100.5)  # queued behind the first
    assert playback.playing(103.0) and not playback.playing(104.0)
    assert playback.heard("t", 101.0) == "Good point,"  # half of the first piece
    assert playback.heard("t", 103.0) == "Good point, thanks. Now tell me"
    playback.stop(103.0)
    assert not playback.playing(103.5)


def test_stage_latencies_come_from_the_services_timestamps() -> None:
    times = {"turn_ended_at": 10.0, "transcribed_at": 10.2, "first_token_at": 10.5, "first_audio_at": 11.0}
    assert stage_latencies(times) == {
        "speech_end_to_transcript": 200.0,
        "transcript_to_first_token": 300.0,
        "turn_to_first_token": 500.0,
        "first_token_to_first_audio": 500.0,
        "speech_end_to_first_audio": 1000.0,
    }


async def test_worker_events_become_contract_events_for_a_text_client() -> None:
    talk, socket, bus = conversation(speak=False)
    await talk.on_event("chunk", ReplyChunk(session_id="s1", turn_id="t1", index=0, text="Hel").to_bytes())
    reply = AssistantReply(
        session_id="s1", turn_id="t1", text="Hello", metrics={"llm_total_ms": 12.5, "turn_ended_at": 1.0}
    )
    await talk.on_event("reply", reply.to_bytes())
    failed = TurnFailed(session_id="s1", turn_id="t2", code="reply_failed", message="down")
    await talk.on_event("error", failed.to_bytes())
    await talk.on_event("something_new", b"{}")
    assert socket.kinds() == ["llm_chunk", "assistant_complete", "turn_metrics", "state:listening", "error"]
    metrics = socket.events[2]
    assert metrics == {"type": "turn_metrics", "turn_id": "t1", "llm_total_ms": 12.5}  # no raw timestamps
    assert [type(e).__name__ for e in bus.published] == ["TurnMetrics"]


async def test_a_spoken_reply_is_played_in_order_and_the_state_follows() -> None:
    talk, socket, bus = conversation()
    final = TranscriptUpdate(session_id="s1", turn_id="t1", text="I use Kafka.", is_final=True)
    await talk.on_event("transcript", final.to_bytes())
    await talk.on_event("audio", audio(1, "And why?", final=True, wav=b"RIFF-1"))
    assert socket.frames == []  # waits for piece 0
    await talk.on_event("audio", audio(0, "Good,", wav=b"RIFF-0"))
    assert socket.frames == [b"RIFF-0", b"RIFF-1"]
    now = time.time()
    reply = AssistantReply(
        session_id="s1",
        turn_id="t1",
        text="Good, and why?",
        metrics={"turn_ended_at": now - 1.0, "transcribed_at": now - 0.8, "first_token_at": now - 0.6},
    )
    await talk.on_event("reply", reply.to_bytes())
    assert socket.kinds()[:4] == ["transcript", "state:thinking", "state:speaking", "assistant_complete"]
    metrics = next(e for e in socket.events if e["type"] == "turn_metrics")
    assert 900 < metrics["speech_end_to_first_audio"] < 5000 and "first_audio_at" not in metrics
    playbacks = [e for e in bus.published if type(e).__name__ == "PlaybackUpdate"]
    assert playbacks[-1].text == "Good, And why?" and playbacks[-1].playing_until > now  # type: ignore[attr-defined]
    talk.playback.until = time.time() - 0.01  # the client finished playing
    await talk.settle()
    assert socket.kinds()[-1] == "state:listening"


async def test_speech_over_the_interviewer_interrupts_with_what_was_heard() -> None:
    talk, socket, bus = conversation()
    await talk.on_event("audio", audio(0, "Good point, thanks for that.", wav=b"RIFF-0"))
    talk.playback.pieces[0] = type(talk.playback.pieces[0])(
        "t1", "Good point, thanks for that.", time.time() - 0.5, 1.0
    )
    await talk.on_event("bargein", BargeIn(session_id="s1", speech_ms=600).to_bytes())
    interrupt = next(e for e in bus.published if type(e).__name__ == "Interrupt")
    assert interrupt.turn_id == "t1" and interrupt.source == "speech"  # type: ignore[attr-defined]
    assert interrupt.heard_text == "Good point, thanks"  # type: ignore[attr-defined]
    assert {"type": "interrupted", "turn_id": "t1", "source": "speech"} in socket.events
    assert socket.kinds()[-1] == "state:listening"
    await talk.on_event("audio", audio(1, "Next.", final=True, wav=b"RIFF-1"))
    assert socket.frames == [b"RIFF-0"]  # nothing more of the interrupted reply


@pytest.mark.parametrize("speak", [True, False])
async def test_barge_in_with_nothing_playing_is_ignored(speak: bool) -> None:
    talk, socket, bus = conversation(speak)
    await talk.on_event("bargein", BargeIn(session_id="s1", speech_ms=600).to_bytes())
    assert bus.published == [] and socket.events == []


async def test_audio_after_a_long_silence_starts_a_new_timeline_with_a_new_claim() -> None:
    talk, _, bus = conversation()
    await talk.audio(b"\x00\x00" * 320)
    first_socket = talk.socket_id
    talk.last_audio_at -= 301  # five minutes of silence: the STT may give the socket up soon
    await talk.audio(b"\x00\x00" * 320)
    kinds = [
        (type(e).__name__, getattr(e, "socket_id", None), getattr(e, "hint", None)) for e in bus.published
    ]
    assert kinds == [
        ("AudioChunk", first_socket, None),
        ("VoiceClaim", first_socket, None),
        ("AudioChunk", first_socket, "end"),
        ("AudioChunk", talk.socket_id, None),
        ("VoiceClaim", talk.socket_id, None),
    ]
    assert talk.socket_id != first_socket


async def test_listening_always_follows_even_when_the_timer_fires_a_hair_early() -> None:
    talk, socket, _ = conversation()
    await talk.on_event("audio", audio(0, "Thanks.", final=True, wav=b"RIFF-0"))
    reply = AssistantReply(session_id="s1", turn_id="t1", text="Thanks.", metrics={})
    await talk.on_event("reply", reply.to_bytes())
    until = talk.playback.until
    await talk.settle(now=until - 1e-6)  # the timer fired just before the end of the timeline
    assert socket.kinds()[-1] != "state:listening"
    wait = talk.next_wakeup(now=until + 1e-6)
    assert wait is not None  # a wake-up is still due
    await talk.settle(now=until + wait)
    assert socket.kinds()[-1] == "state:listening"

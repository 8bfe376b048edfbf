"""The interview WebSocket: client messages and audio in, the workers' events and voice out.

The socket holds no interview state: it publishes the candidate's turns and audio to JetStream and relays
what the workers publish for this session, so a client may reconnect to any gateway replica and the
conversation goes on. What it does hold is the socket's own view of the voice: the synthesised pieces put
back in order, the client's playback timeline (what the candidate has heard when they interrupt), the
interviewer's state for the client's indicator, and each turn's stage latencies. The messages both ways
are the models of `protocol.py`; the voice logic is `voice.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Literal

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.websockets import WebSocketState

from services.gateway.bus import SessionFeed, ToolCallFailed, event_kind
from services.gateway.coding import problem_payload, publish_run, stored_submission
from services.gateway.deps import Deps, get_deps
from services.gateway.protocol import (
    CLOSE_UNKNOWN_SESSION,
    WS_PATH,
    AssistantCompleteEvent,
    ClientError,
    ClientMessage,
    CodeRunMessage,
    ErrorEvent,
    InterruptedEvent,
    InterruptMessage,
    LlmChunkEvent,
    PingMessage,
    PongEvent,
    ProblemEvent,
    ServerEvent,
    SpeechEndMessage,
    SpeechStartMessage,
    StateEvent,
    TextMessage,
    TranscriptEvent,
    TurnMetricsEvent,
    parse_client_message,
)
from services.gateway.voice import AudioSequencer, Playback, stage_latencies
from shared.events import (
    AssistantReply,
    AudioChunk,
    AudioFormat,
    BargeIn,
    Interrupt,
    PlaybackUpdate,
    ReplyChunk,
    SpeechAudio,
    TranscriptUpdate,
    TurnFailed,
    TurnMetrics,
    UserTurn,
    VoiceClaim,
    new_id,
)
from shared.messaging import MAX_INLINE_AUDIO_BYTES
from shared.sessions import SessionNotFound, SessionRecord, is_valid_session_id
from shared.storage import ObjectNotFound

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_TRY_AGAIN_LATER = 1013
# A spoken reply whose audio never comes (no TTS running) still ends: its metrics and `listening` go out.
AUDIO_GRACE_S = 10.0
PLAYBACK_MARGIN_S = 0.02  # the timer wakes after the timeline's end, never a hair before it
# The STT gives up a socket whose audio stopped for 10 minutes; audio after a long silence starts a new
# audio timeline (a new claim) well before that.
AUDIO_IDLE_RESTART_S = 300.0
_CONTAINER_MAGIC = (b"RIFF", b"\x1aE\xdf\xa3", b"OggS")  # WAV, WebM/Matroska, Ogg

State = Literal["listening", "thinking", "speaking"]


def start_turn_id(session_id: str) -> str:
    """Deterministic, so two sockets opening one new session produce one greeting."""
    return f"start-{session_id}"


class _SessionGone(Exception):
    """The session disappeared while the socket was open."""


def unknown_session_event(session_id: str) -> ErrorEvent:
    shown = session_id if len(session_id) <= 80 else session_id[:80] + "..."
    return ErrorEvent(code="session_not_found", message=f"No interview session with id {shown!r}.")


@dataclass
class TurnClock:
    """What the socket knows of one turn's timing: the reply's stage times, the first audio sent."""

    times: dict[str, float] = field(default_factory=dict)
    reply_metrics: dict[str, float] | None = None
    reply_done_at: float | None = None
    audio_done: bool = False
    reported: bool = False


class Conversation:
    """One socket: what it publishes, and how it shows the workers' events to the client."""

    def __init__(self, websocket: WebSocket, deps: Deps, session_id: str, speak: bool) -> None:
        self.websocket = websocket
        self.deps = deps
        self.session_id = session_id
        self.speak = speak  # the client wants the interviewer's voice (`?tts=0` turns it off)
        self.socket_id = new_id()
        self.audio_seq = 0
        self.claimed = False
        self.last_audio_at = 0.0
        self.sequencer = AudioSequencer()
        self.playback = Playback()
        self.state: State | None = None
        self.reply_turn: str | None = None  # the reply being written or spoken now
        self.clocks: dict[str, TurnClock] = {}
        # The turns this socket is waiting on a reply for: `thinking` lasts until the last one is answered.
        self.awaiting: set[str] = set()

    # --- to the client ------------------------------------------------------------------------------

    async def send(self, event: ServerEvent) -> None:
        if self.websocket.application_state == WebSocketState.CONNECTED:
            # One serialisation in pydantic's encoder (send_json would dump to a dict, then json.dumps it):
            # a reply streams one event per token.
            try:
                await self.websocket.send_text(event.model_dump_json())
            except RuntimeError as err:
                # The server closed the socket under us (uvicorn closes it itself on a frame that is not
                # UTF-8) while the application state still says connected: the client is gone.
                if "websocket.close" not in str(err):
                    raise
                raise WebSocketDisconnect(code=1006) from None

    async def set_state(self, state: State) -> None:
        if state != self.state:
            self.state = state
            await self.send(StateEvent(state=state))

    async def wait_for_reply(self, turn_id: str) -> None:
        """`thinking` until the turn's reply comes (unless it already came: a run told by the REST call)."""
        done = self.clocks.get(turn_id)
        if done is not None and done.reply_done_at is not None:
            return
        self.awaiting.add(turn_id)
        while len(self.awaiting) > 32:  # replies that never came (a turn lost with a gone replica)
            self.awaiting.pop()
        await self.set_state("thinking")

    def clock(self, turn_id: str) -> TurnClock:
        if turn_id not in self.clocks:
            self.clocks[turn_id] = TurnClock()
            while len(self.clocks) > 32:
                self.clocks.pop(next(iter(self.clocks)))
        return self.clocks[turn_id]

    # --- from the client ----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.deps.bus.publish_turn(
            UserTurn(
                session_id=self.session_id,
                turn_id=start_turn_id(self.session_id),
                kind="start",
                speak=self.speak,
            )
        )

    async def text_turn(self, text: str) -> None:
        try:
            session = await self.deps.sessions.get(self.session_id)
        except SessionNotFound:
            raise _SessionGone from None
        if session.status == "ended":
            raise ClientError(
                "session_ended", "This interview has ended; start a new session to continue practising."
            )
        turn = UserTurn(
            session_id=self.session_id, turn_id=new_id(), kind="text", text=text, speak=self.speak
        )
        try:
            await self.deps.bus.publish_turn(turn)
        except Exception as err:  # broker down or timed out: tell the candidate, keep the socket
            log.error("could not enqueue turn for %s: %s", self.session_id, err)
            raise ClientError(
                "turn_not_accepted", "The interview service is unavailable; please resend."
            ) from None
        await self.send(TranscriptEvent(text=text, is_final=True, turn_id=turn.turn_id))
        await self.wait_for_reply(turn.turn_id)

    async def code_run(self, submission_id: str) -> None:
        """The client says the candidate ran the problem: the interviewer hears of it (once per run: the
        REST call may have told it already, and the turn id is the run's)."""
        submission = await stored_submission(self.deps, self.session_id, submission_id)
        try:
            turn = await publish_run(self.deps, self.session_id, submission)
        except ClientError as err:
            if err.code == "session_not_found":
                raise _SessionGone from None
            raise
        await self.wait_for_reply(turn.turn_id)

    async def send_problem(self, problem_id: str) -> None:
        """The `problem` event: the client opens its editor on it."""
        try:
            payload = await problem_payload(self.deps, problem_id)
        except ToolCallFailed as err:
            log.error("problem %s for %s could not be loaded: %s", problem_id, self.session_id, err)
            await self.send(
                ErrorEvent(
                    code="problem_unavailable",
                    message="The coding problem could not be loaded; reconnect to receive it again.",
                )
            )
            return
        await self.send(ProblemEvent(problem=payload))

    async def resend_problem(self, session: SessionRecord) -> None:
        """A client that (re)connects during the coding round gets the problem again."""
        problem_id = session.handed_out_problem()
        last = next((e for e in reversed(session.transcript) if e.role == "assistant"), None)
        if (
            problem_id is not None
            and session.status != "ended"
            and last is not None
            and last.phase == "coding"
        ):
            await self.send_problem(problem_id)

    async def audio(self, data: bytes) -> None:
        """A binary frame: the candidate's audio, published in order for the STT service."""
        if not data:
            return
        if self.claimed and time.time() - self.last_audio_at > AUDIO_IDLE_RESTART_S:
            await self.hint("end")  # the old timeline is over: the STT finishes it
            self.socket_id, self.audio_seq, self.claimed = new_id(), 0, False
        self.last_audio_at = time.time()
        audio_format: AudioFormat = "container" if data.startswith(_CONTAINER_MAGIC) else "pcm16"
        try:
            key = None
            if len(data) > MAX_INLINE_AUDIO_BYTES:  # larger than a NATS message: by reference
                key = f"uploads/{self.session_id}/audio-{self.socket_id}-{self.audio_seq}"
                await self.deps.store.put(key, data)
            chunk = AudioChunk(
                session_id=self.session_id,
                socket_id=self.socket_id,
                seq=self.audio_seq,
                format=audio_format,
                pcm=None if key else data,
                audio_key=key,
            )
            await self._publish_audio(chunk)
        except Exception as err:  # broker or storage down: the frame is lost, say so
            log.error("could not publish audio for %s: %s", self.session_id, err)
            raise ClientError(
                "audio_unavailable",
                "The speech service is unavailable right now; resend, or type the answer.",
            ) from None

    async def hint(self, hint: Literal["speech_start", "speech_end", "end"]) -> None:
        """The client's VAD hints, in order with its audio (meaningless before any audio)."""
        if self.claimed:
            chunk = AudioChunk(
                session_id=self.session_id, socket_id=self.socket_id, seq=self.audio_seq, hint=hint
            )
            await self._publish_audio(chunk)

    async def _publish_audio(self, chunk: AudioChunk) -> None:
        seq = await self.deps.bus.publish_audio(chunk)
        self.audio_seq += 1
        if not self.claimed:
            # The claim names where the socket's audio starts; one STT replica takes it and follows on.
            claim = VoiceClaim(
                session_id=self.session_id, socket_id=self.socket_id, first_seq=seq, speak=self.speak
            )
            await self.deps.bus.publish_claim(claim)
            self.claimed = True

    async def interrupt(self, turn_id: str | None, source: Literal["client", "speech"]) -> None:
        """Stop the reply in flight, with what the candidate heard of it (voice) for the transcript."""
        now = time.time()
        turn = turn_id or self.reply_turn
        heard = self.playback.heard(turn, now) if self.speak and turn is not None else None
        await self.deps.bus.publish_interrupt(
            Interrupt(session_id=self.session_id, turn_id=turn, source=source, heard_text=heard)
        )
        if turn is None:
            return
        self.sequencer.cancel(turn)
        self.playback.stop(now)
        if self.claimed:
            await self.deps.bus.publish_playback(
                PlaybackUpdate(session_id=self.session_id, turn_id=turn, text="", playing_until=now)
            )
        await self.send(InterruptedEvent(turn_id=turn, source=source))
        self.clock(turn).audio_done = True
        self.reply_turn = None
        await self.set_state("listening")
        await self.report(turn)

    async def close(self) -> None:
        if self.claimed:
            with contextlib.suppress(Exception):  # the broker may be gone too; the STT times out then
                await self.hint("end")

    # --- from the workers ---------------------------------------------------------------------------

    async def on_event(self, kind: str, payload: bytes) -> None:
        if kind == "chunk":
            chunk = ReplyChunk.model_validate_json(payload)
            self.reply_turn = chunk.turn_id
            await self.send(LlmChunkEvent(text=chunk.text, turn_id=chunk.turn_id))
        elif kind == "reply":
            await self.on_reply(AssistantReply.model_validate_json(payload))
        elif kind == "error":
            failure = TurnFailed.model_validate_json(payload)
            self.awaiting.discard(failure.turn_id)
            await self.send(ErrorEvent(code=failure.code, message=failure.message, turn_id=failure.turn_id))
            if failure.turn_id == self.reply_turn or self.state == "thinking":
                await self.set_state("listening")
        elif kind == "transcript":
            update = TranscriptUpdate.model_validate_json(payload)
            await self.send(
                TranscriptEvent(text=update.text, is_final=update.is_final, turn_id=update.turn_id)
            )
            if update.is_final:
                await self.wait_for_reply(update.turn_id)
        elif kind == "audio":
            for piece in self.sequencer.add(SpeechAudio.model_validate_json(payload)):
                await self.play(piece)
        elif kind == "bargein":
            BargeIn.model_validate_json(payload)
            if self.reply_turn is not None or self.playback.playing(time.time()):
                await self.interrupt(None, "speech")

    async def on_reply(self, reply: AssistantReply) -> None:
        self.awaiting.discard(reply.turn_id)
        if reply.text or reply.interrupted:  # an empty reply: the candidate codes, the interviewer listens
            await self.send(
                AssistantCompleteEvent(
                    text=reply.text, turn_id=reply.turn_id, phase=reply.phase, interrupted=reply.interrupted
                )
            )
        if reply.problem_id is not None:
            await self.send_problem(reply.problem_id)
        clock = self.clock(reply.turn_id)
        clock.reply_metrics = reply.metrics
        clock.reply_done_at = time.time()
        clock.times.update({k: v for k, v in reply.metrics.items() if k.endswith("_at")})
        if not self.speak or reply.interrupted or not reply.text:
            clock.audio_done = True
        await self.settle()

    async def play(self, piece: SpeechAudio) -> None:
        """Send one synthesised piece (in order) and move the playback timeline on."""
        clock = self.clock(piece.turn_id)
        wav = piece.wav
        if wav is None and piece.audio_key is not None:
            try:
                wav = (await self.deps.store.get(piece.audio_key)).data
            except ObjectNotFound:
                log.error("speech %s of turn %s is missing from storage", piece.index, piece.turn_id)
        if wav and not piece.failed and self.websocket.application_state == WebSocketState.CONNECTED:
            now = time.time()
            await self.websocket.send_bytes(wav)
            self.playback.add(piece.turn_id, piece.text, piece.duration_s, now)
            clock.times.setdefault("first_audio_at", now)
            self.reply_turn = piece.turn_id
            await self.set_state("speaking")
            await self.deps.bus.publish_playback(
                PlaybackUpdate(
                    session_id=self.session_id,
                    turn_id=piece.turn_id,
                    text=self.playback.sent_text(piece.turn_id),
                    playing_until=self.playback.until,
                )
            )
        if piece.final:
            clock.audio_done = True
        await self.settle()

    @staticmethod
    def _reply_over(clock: TurnClock, now: float) -> bool:
        """The reply is written and its audio all sent (or given up on)."""
        if clock.reply_done_at is None:
            return False
        return clock.audio_done or now - clock.reply_done_at > AUDIO_GRACE_S

    async def settle(self, now: float | None = None) -> None:
        """After any change, or when the playback timeline runs out: report finished turns and say
        `listening` once nothing is being written or played. (One `now` for every decision.)"""
        now = time.time() if now is None else now
        for turn_id, clock in list(self.clocks.items()):
            if clock.reply_metrics is not None and (
                self._reply_over(clock, now) or "first_audio_at" in clock.times
            ):
                await self.report(turn_id)
        current = self.clocks.get(self.reply_turn) if self.reply_turn is not None else None
        if current is not None and self._reply_over(current, now) and not self.playback.playing(now):
            self.reply_turn = None
        answered = self.state != "thinking" or not self.awaiting  # no newer turn still waits for its reply
        if self.reply_turn is None and answered and not self.playback.playing(now):
            await self.set_state("listening")

    def next_wakeup(self, now: float | None = None) -> float | None:
        """Seconds until `settle` has something to do without a new event (playback ends, audio overdue).
        While the state is `speaking`, `settle` runs again shortly after the timeline's end whatever the
        clocks say, so `listening` always follows."""
        now = time.time() if now is None else now
        deadlines: list[float] = []
        if self.playback.playing(now) or self.state == "speaking":
            deadlines.append(self.playback.until + PLAYBACK_MARGIN_S)
        deadlines += [
            clock.reply_done_at + AUDIO_GRACE_S
            for clock in self.clocks.values()
            if clock.reply_done_at is not None and not clock.audio_done
        ]
        return max(0.05, min(deadlines) - now) if deadlines else None

    async def report(self, turn_id: str) -> None:
        """The turn's `turn_metrics`, once: to the client, and to analytics."""
        clock = self.clock(turn_id)
        if clock.reported or clock.reply_metrics is None:
            return
        clock.reported = True
        durations = {k: v for k, v in clock.reply_metrics.items() if not k.endswith("_at")}
        stages = {**durations, **stage_latencies(clock.times)}
        await self.send(TurnMetricsEvent.model_validate({**stages, "turn_id": turn_id}))
        with contextlib.suppress(Exception):  # analytics must never break the conversation
            await self.deps.bus.publish_metrics(
                TurnMetrics(session_id=self.session_id, turn_id=turn_id, stages=stages)
            )


@router.websocket(WS_PATH)
async def interview_socket(websocket: WebSocket, session_id: str, tts: int = 1) -> None:
    """`?tts=0`: a text-only client, the interviewer's replies are not spoken."""
    deps = get_deps(websocket)
    await websocket.accept()
    if not is_valid_session_id(session_id):  # never a subject token with dots or wildcards
        await _close_unknown(websocket, session_id)
        return
    # Follow first, then read: whatever is committed after the read is published after the subscription,
    # so a socket that finds the greeting not yet written is sure to receive it.
    feed = await deps.bus.follow(session_id)
    try:
        session = await deps.sessions.get(session_id)
    except SessionNotFound:
        await feed.close()
        await _close_unknown(websocket, session_id)
        return
    conversation = Conversation(websocket, deps, session_id, speak=tts != 0)
    relay = asyncio.create_task(_relay(conversation, feed))
    try:
        await conversation.set_state("listening")
        await conversation.resend_problem(session)
        if not session.transcript and start_turn_id(session_id) not in session.handled_turn_ids:
            try:
                await conversation.start()
            except Exception as err:  # broker down: say so and let the client reconnect
                log.error("could not start session %s: %s", session_id, err)
                await conversation.send(
                    ErrorEvent(
                        code="turn_not_accepted",
                        message="The interview service is unavailable; reconnect in a moment.",
                    )
                )
                await _close(websocket, CLOSE_TRY_AGAIN_LATER)
                return
            await conversation.wait_for_reply(start_turn_id(session_id))
        await _receive_loop(conversation)
    except _SessionGone:
        await _close_unknown(websocket, session_id)
    except WebSocketDisconnect:
        pass
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
        await conversation.close()
        await feed.close()


async def _close_unknown(websocket: WebSocket, session_id: str) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        await websocket.send_text(unknown_session_event(session_id).model_dump_json())
    await _close(websocket, CLOSE_UNKNOWN_SESSION)


async def _receive_loop(conversation: Conversation) -> None:
    limit = conversation.deps.settings.max_text_turn_chars
    while True:
        message = await conversation.websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            if message.get("bytes") is not None:
                await conversation.audio(message["bytes"])
                continue
            parsed = parse_client_message(message.get("text") or "", max_text_chars=limit)
            await _handle(conversation, parsed)
        except ClientError as err:
            await conversation.send(ErrorEvent(code=err.code, message=err.message))


async def _handle(conversation: Conversation, message: ClientMessage) -> None:
    match message:
        case TextMessage():
            await conversation.text_turn(message.text)
        case InterruptMessage():
            try:
                await conversation.interrupt(message.turn_id, "client")
            except Exception as err:  # broker down: the reply goes on; tell the client
                log.error("could not publish interrupt for %s: %s", conversation.session_id, err)
                raise ClientError(
                    "interrupt_not_accepted", "The interview service is unavailable; please resend."
                ) from None
        case PingMessage():
            await conversation.send(PongEvent())
        case SpeechStartMessage():
            await conversation.hint("speech_start")
        case SpeechEndMessage():
            await conversation.hint("speech_end")
        case CodeRunMessage():
            await conversation.code_run(message.submission_id)


async def _relay(conversation: Conversation, feed: SessionFeed) -> None:
    while True:
        try:
            msg = await asyncio.wait_for(feed.queue.get(), conversation.next_wakeup())
        except TimeoutError:  # the playback ran out, or a reply's audio is overdue
            msg = None
        try:
            if msg is None:
                await conversation.settle()
            else:
                await conversation.on_event(event_kind(msg), msg.data)
        except ValidationError as err:
            log.error("dropping malformed event on %s: %s", msg.subject if msg else "?", err)
        except (WebSocketDisconnect, RuntimeError):
            return
        except Exception as err:  # the socket broke under us: stop relaying, the handler cleans up
            log.warning("relay for %s stopped: %s", conversation.session_id, err)
            return


async def _close(websocket: WebSocket, code: int) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=code)

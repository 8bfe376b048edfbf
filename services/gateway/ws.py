"""The interview WebSocket: client messages in, the workers' events out.

The socket holds no interview state. It publishes the candidate's turns to
JetStream and relays what the workers publish for this session, so a client
may reconnect to any gateway replica and the conversation goes on. The
messages both ways are the models of `protocol.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.websockets import WebSocketState

from services.gateway.bus import SessionFeed, event_kind
from services.gateway.deps import Deps, get_deps
from services.gateway.protocol import (
    CLOSE_UNKNOWN_SESSION,
    WS_PATH,
    AssistantCompleteEvent,
    ClientError,
    ClientMessage,
    CodeRunMessage,
    ErrorEvent,
    InterruptMessage,
    LlmChunkEvent,
    PingMessage,
    PongEvent,
    ServerEvent,
    SpeechEndMessage,
    SpeechStartMessage,
    TextMessage,
    TranscriptEvent,
    TurnMetricsEvent,
    parse_client_message,
)
from shared.events import AssistantReply, Interrupt, ReplyChunk, TurnFailed, UserTurn, new_id
from shared.sessions import SessionNotFound, is_valid_session_id

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_TRY_AGAIN_LATER = 1013


def start_turn_id(session_id: str) -> str:
    """Deterministic, so two sockets opening one new session produce one greeting."""
    return f"start-{session_id}"


class _SessionGone(Exception):
    """The session disappeared while the socket was open."""


def unknown_session_event(session_id: str) -> ErrorEvent:
    shown = session_id if len(session_id) <= 80 else session_id[:80] + "..."
    return ErrorEvent(code="session_not_found", message=f"No interview session with id {shown!r}.")


# `?tts=0` (text-only client) is part of the contract; speech output is not built yet, so the
# handler has nothing to switch off and declares no parameter (FastAPI ignores unknown query keys).
@router.websocket(WS_PATH)
async def interview_socket(websocket: WebSocket, session_id: str) -> None:
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
    relay = asyncio.create_task(_relay(websocket, feed))
    try:
        if not session.transcript and start_turn_id(session_id) not in session.handled_turn_ids:
            try:
                await deps.bus.publish_turn(
                    UserTurn(session_id=session_id, turn_id=start_turn_id(session_id), kind="start")
                )
            except Exception as err:  # broker down: say so and let the client reconnect
                log.error("could not start session %s: %s", session_id, err)
                await _send(
                    websocket,
                    ErrorEvent(
                        code="turn_not_accepted",
                        message="The interview service is unavailable; reconnect in a moment.",
                    ),
                )
                await _close(websocket, CLOSE_TRY_AGAIN_LATER)
                return
        await _receive_loop(websocket, deps, session_id)
    except _SessionGone:
        await _close_unknown(websocket, session_id)
    except WebSocketDisconnect:
        pass
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
        await feed.close()


async def _close_unknown(websocket: WebSocket, session_id: str) -> None:
    await _send(websocket, unknown_session_event(session_id))
    await _close(websocket, CLOSE_UNKNOWN_SESSION)


async def _receive_loop(websocket: WebSocket, deps: Deps, session_id: str) -> None:
    limit = deps.settings.max_text_turn_chars
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            if message.get("bytes") is not None:
                raise ClientError(
                    "audio_unavailable",
                    "Speech input is not enabled on this server; send typed answers as "
                    '{"type": "text", "text": "..."}.',
                )
            parsed = parse_client_message(message.get("text") or "", max_text_chars=limit)
            await _handle(websocket, deps, session_id, parsed)
        except ClientError as err:
            await _send(websocket, ErrorEvent(code=err.code, message=err.message))


async def _handle(
    websocket: WebSocket,
    deps: Deps,
    session_id: str,
    message: ClientMessage,
) -> None:
    match message:
        case TextMessage():
            await _text_turn(websocket, deps, session_id, message.text)
        case InterruptMessage():
            try:
                await deps.bus.publish_interrupt(Interrupt(session_id=session_id, turn_id=message.turn_id))
            except Exception as err:  # broker down: the reply goes on; tell the client
                log.error("could not publish interrupt for %s: %s", session_id, err)
                raise ClientError(
                    "interrupt_not_accepted", "The interview service is unavailable; please resend."
                ) from None
        case PingMessage():
            await _send(websocket, PongEvent())
        case SpeechStartMessage() | SpeechEndMessage():
            return  # VAD hints matter only to the speech pipeline, which is not built yet
        case CodeRunMessage():
            # Validated and accepted, but there is nothing to forward yet: no worker consumes code-run
            # notices, and the interviewer learns of each run from `POST /api/code/execute` itself.
            return


async def _text_turn(websocket: WebSocket, deps: Deps, session_id: str, text: str) -> None:
    try:
        session = await deps.sessions.get(session_id)
    except SessionNotFound:
        raise _SessionGone from None
    if session.status == "ended":
        raise ClientError(
            "session_ended", "This interview has ended; start a new session to continue practising."
        )
    turn = UserTurn(session_id=session_id, turn_id=new_id(), kind="text", text=text)
    try:
        await deps.bus.publish_turn(turn)
    except Exception as err:  # broker down or timed out: tell the candidate, keep the socket
        log.error("could not enqueue turn for %s: %s", session_id, err)
        raise ClientError(
            "turn_not_accepted", "The interview service is unavailable; please resend."
        ) from None
    await _send(websocket, TranscriptEvent(text=text, is_final=True, turn_id=turn.turn_id))


async def _relay(websocket: WebSocket, feed: SessionFeed) -> None:
    while True:
        msg = await feed.queue.get()
        try:
            for event in client_events(event_kind(msg), msg.data):
                await _send(websocket, event)
        except ValidationError as err:
            log.error("dropping malformed event on %s: %s", msg.subject, err)
        except (WebSocketDisconnect, RuntimeError):
            return
        except Exception as err:  # the socket broke under us: stop relaying, the handler cleans up
            log.warning("relay for %s stopped: %s", msg.subject, err)
            return


def client_events(kind: str, payload: bytes) -> list[ServerEvent]:
    """Map one worker event to the messages of the public WebSocket contract."""
    if kind == "chunk":
        chunk = ReplyChunk.model_validate_json(payload)
        return [LlmChunkEvent(text=chunk.text, turn_id=chunk.turn_id)]
    if kind == "reply":
        reply = AssistantReply.model_validate_json(payload)
        events: list[ServerEvent] = [
            AssistantCompleteEvent(
                text=reply.text, turn_id=reply.turn_id, phase=reply.phase, interrupted=reply.interrupted
            )
        ]
        if reply.metrics:
            stages = {k: v for k, v in reply.metrics.items() if k not in TurnMetricsEvent.model_fields}
            events.append(TurnMetricsEvent.model_validate({**stages, "turn_id": reply.turn_id}))
        return events
    if kind == "error":
        failure = TurnFailed.model_validate_json(payload)
        return [ErrorEvent(code=failure.code, message=failure.message, turn_id=failure.turn_id)]
    return []


async def _send(websocket: WebSocket, event: ServerEvent) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        # One serialisation in pydantic's encoder (send_json would dump to a dict, then json.dumps it):
        # a reply streams one event per token.
        await websocket.send_text(event.model_dump_json())


async def _close(websocket: WebSocket, code: int) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=code)

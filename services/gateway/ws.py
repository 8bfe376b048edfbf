"""The interview WebSocket: client messages in, the workers' events out.

The socket holds no interview state. It publishes the candidate's turns to
JetStream and relays what the workers publish for this session, so a client
may reconnect to any gateway replica and the conversation goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.websockets import WebSocketState

from services.gateway.bus import SessionFeed, event_kind
from services.gateway.deps import Deps, get_deps
from shared.events import AssistantReply, Interrupt, ReplyChunk, TurnFailed, UserTurn, new_id
from shared.sessions import SessionNotFound

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_UNKNOWN_SESSION = 4404
HINT_TYPES = {"speech_start", "speech_end"}


def start_turn_id(session_id: str) -> str:
    """Deterministic, so two sockets opening one new session produce one greeting."""
    return f"start-{session_id}"


class ClientError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@router.websocket("/ws/interview/{session_id}")
async def interview_socket(websocket: WebSocket, session_id: str, tts: int = 1) -> None:
    deps = get_deps(websocket)
    await websocket.accept()
    try:
        session = await deps.sessions.get(session_id)
    except SessionNotFound:
        await _send(
            websocket, error_event("session_not_found", f"No interview session with id {session_id!r}.")
        )
        await websocket.close(code=CLOSE_UNKNOWN_SESSION)
        return
    feed = await deps.bus.follow(session_id)
    relay = asyncio.create_task(_relay(websocket, feed))
    try:
        if not session.transcript and start_turn_id(session_id) not in session.handled_turn_ids:
            await deps.bus.publish_turn(
                UserTurn(session_id=session_id, turn_id=start_turn_id(session_id), kind="start")
            )
        await _receive_loop(websocket, deps, session_id)
    except WebSocketDisconnect:
        pass
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
        await feed.close()


async def _receive_loop(websocket: WebSocket, deps: Deps, session_id: str) -> None:
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
            await _handle_text_frame(websocket, deps, session_id, message.get("text") or "")
        except ClientError as err:
            await _send(websocket, error_event(err.code, err.message))


async def _handle_text_frame(websocket: WebSocket, deps: Deps, session_id: str, raw: str) -> None:
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ClientError("invalid_json", f"The message is not valid JSON ({err.msg}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ClientError("invalid_message", 'A message must be a JSON object with a string "type".')
    kind = data["type"]
    if kind == "text":
        await _text_turn(websocket, deps, session_id, data.get("text"))
    elif kind == "interrupt":
        turn_id = data.get("turn_id") if isinstance(data.get("turn_id"), str) else None
        await deps.bus.publish_interrupt(Interrupt(session_id=session_id, turn_id=turn_id))
    elif kind == "ping":
        await _send(websocket, {"type": "pong"})
    elif kind in HINT_TYPES:
        return  # VAD hints matter only to the speech pipeline
    else:
        raise ClientError("unknown_message_type", f"Unknown message type {kind!r}.")


async def _text_turn(websocket: WebSocket, deps: Deps, session_id: str, text: Any) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ClientError("empty_text", 'A text turn needs a non-empty "text".')
    limit = deps.settings.max_text_turn_chars
    text = text.strip()
    if len(text) > limit:
        raise ClientError(
            "text_too_long", f"A text turn may hold at most {limit} characters (got {len(text)})."
        )
    session = await deps.sessions.get(session_id)
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
    await _send(
        websocket,
        {"type": "transcript", "role": "user", "text": text, "is_final": True, "turn_id": turn.turn_id},
    )


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


def client_events(kind: str, payload: bytes) -> list[dict[str, Any]]:
    """Map one worker event to the messages of the public WebSocket contract."""
    if kind == "chunk":
        chunk = ReplyChunk.model_validate_json(payload)
        return [{"type": "llm_chunk", "text": chunk.text, "turn_id": chunk.turn_id}]
    if kind == "reply":
        reply = AssistantReply.model_validate_json(payload)
        events: list[dict[str, Any]] = [
            {
                "type": "assistant_complete",
                "role": "assistant",
                "text": reply.text,
                "turn_id": reply.turn_id,
                "phase": reply.phase,
                "interrupted": reply.interrupted,
            }
        ]
        if reply.metrics:
            events.append({"type": "turn_metrics", "turn_id": reply.turn_id, **reply.metrics})
        return events
    if kind == "error":
        failure = TurnFailed.model_validate_json(payload)
        return [error_event(failure.code, failure.message, turn_id=failure.turn_id)]
    return []


def error_event(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, **extra}


async def _send(websocket: WebSocket, event: dict[str, Any]) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        await websocket.send_json(event)

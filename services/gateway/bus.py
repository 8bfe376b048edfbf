"""The gateway's side of NATS: publish turns and control events, call the tools, follow one session.

Publishing goes through FastStream publishers declared on the broker, so the AsyncAPI document lists
every subject the gateway writes with its schema (`declare_publishers`). Following a session is a
plain core subscription per socket: it comes and goes with the socket, which FastStream's static
subscribers do not model.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TypeVar

from faststream.nats import JStream, NatsBroker, NatsRouter
from faststream.nats.publisher.usecase import LogicPublisher
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from pydantic import BaseModel, ValidationError

from shared import subjects
from shared.events import (
    AudioChunk,
    Interrupt,
    PlaybackUpdate,
    SessionCreated,
    SessionEnded,
    TurnMetrics,
    UserTurn,
    VoiceClaim,
)
from shared.tools_api import ToolError, ToolReply

log = logging.getLogger(__name__)

ResultT = TypeVar("ResultT", bound=BaseModel)
PUBLISH_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Publishers:
    turns: LogicPublisher
    control: LogicPublisher
    lifecycle: LogicPublisher
    audio: LogicPublisher
    claims: LogicPublisher
    playback: LogicPublisher
    metrics: LogicPublisher


def declare_publishers(registrar: NatsBroker | NatsRouter) -> Publishers:
    """What the gateway publishes (subjects are templates; each publish names the session's subject)."""
    return Publishers(
        turns=registrar.publisher(
            subjects.turn("{session_id}"),
            stream=JStream(subjects.TURNS_STREAM, declare=False),
            schema=UserTurn,
            title="gateway: candidate turn",
            description="A typed or spoken answer, or `start` when a socket opens a new session. "
            "Nats-Msg-Id = turn id, so a retried publish is dropped as a duplicate.",
        ),
        control=registrar.publisher(
            subjects.control("{session_id}"),
            schema=Interrupt,
            title="gateway: interrupt",
            description="The candidate barged in: stop the reply in flight.",
        ),
        lifecycle=registrar.publisher(
            subjects.lifecycle("{session_id}", "{event}"),
            stream=JStream(subjects.LIFECYCLE_STREAM, declare=False),
            schema=SessionCreated | SessionEnded,
            title="gateway: session lifecycle",
            description="`created` and `ended` (Nats-Msg-Id `{event}-{session_id}`: published once).",
        ),
        audio=registrar.publisher(
            subjects.audio("{session_id}"),
            stream=JStream(subjects.AUDIO_STREAM, declare=False),
            schema=AudioChunk,
            title="gateway: candidate audio",
            description="Each binary frame of a socket, in order, with the client's VAD hints and `end`.",
        ),
        claims=registrar.publisher(
            subjects.voice_claim("{session_id}"),
            stream=JStream(subjects.VOICE_STREAM, declare=False),
            schema=VoiceClaim,
            title="gateway: a socket's audio to transcribe",
            description="One STT replica takes it and follows the socket's audio (Nats-Msg-Id `claim-{socket_id}`).",
        ),
        playback=registrar.publisher(
            subjects.playback("{session_id}"),
            schema=PlaybackUpdate,
            title="gateway: what the client plays",
            description="So the STT can tell the interviewer's echo from the candidate's voice.",
        ),
        metrics=registrar.publisher(
            subjects.metrics("{session_id}"),
            stream=JStream(subjects.METRICS_STREAM, declare=False),
            schema=TurnMetrics,
            title="gateway: turn latencies",
            description="Each turn's stage latencies, for analytics.",
        ),
    )


class ToolCallFailed(Exception):
    def __init__(self, error: ToolError) -> None:
        super().__init__(error.message)
        self.error = error


class Bus:
    def __init__(self, broker: NatsBroker, publishers: Publishers) -> None:
        self.broker = broker
        self.publishers = publishers

    async def publish_turn(self, turn: UserTurn) -> None:
        """Durably enqueue a turn; the Msg-Id makes a retried publish harmless."""
        await self.publishers.turns.publish(
            turn,
            subject=subjects.turn(turn.session_id),
            headers={"Nats-Msg-Id": turn.turn_id},
            timeout=PUBLISH_TIMEOUT_S,
        )

    async def publish_interrupt(self, event: Interrupt) -> None:
        await self.publishers.control.publish(event, subject=subjects.control(event.session_id))

    async def publish_lifecycle(self, event: SessionCreated | SessionEnded) -> None:
        kind = "created" if isinstance(event, SessionCreated) else "ended"
        await self.publishers.lifecycle.publish(
            event,
            subject=subjects.lifecycle(event.session_id, kind),
            headers={"Nats-Msg-Id": f"{kind}-{event.session_id}"},
            timeout=PUBLISH_TIMEOUT_S,
        )

    async def publish_audio(self, chunk: AudioChunk) -> int:
        """Durably append a socket's audio; returns the chunk's stream sequence."""
        ack = await self.publishers.audio.publish(
            chunk,
            subject=subjects.audio(chunk.session_id),
            headers={"Nats-Msg-Id": f"audio-{chunk.socket_id}-{chunk.seq}"},
            stream=subjects.AUDIO_STREAM,
            timeout=PUBLISH_TIMEOUT_S,
        )
        return int(ack.seq)

    async def publish_claim(self, claim: VoiceClaim) -> None:
        await self.publishers.claims.publish(
            claim,
            subject=subjects.voice_claim(claim.session_id),
            headers={"Nats-Msg-Id": f"claim-{claim.socket_id}"},
            timeout=PUBLISH_TIMEOUT_S,
        )

    async def publish_playback(self, update: PlaybackUpdate) -> None:
        await self.publishers.playback.publish(update, subject=subjects.playback(update.session_id))

    async def publish_metrics(self, metrics: TurnMetrics) -> None:
        await self.publishers.metrics.publish(
            metrics, subject=subjects.metrics(metrics.session_id), timeout=PUBLISH_TIMEOUT_S
        )

    async def call_tool(
        self,
        subject: str,
        request: BaseModel,
        result_type: type[ResultT],
        timeout_s: float,
        *,
        service: str = "tools",
    ) -> ResultT:
        """Request/reply to a worker service (the tools, analytics: same envelope); its error replies come
        back as ToolCallFailed, and `service` names it in the errors of a missing or silent one."""
        try:
            msg = await self.broker.request(
                request.model_dump_json(by_alias=True).encode(), subject, timeout=timeout_s
            )
        except NoRespondersError:
            raise ToolCallFailed(
                ToolError(
                    code=f"{service}_unavailable",
                    message=f"The {service} service is not running.",
                    status=503,
                )
            ) from None
        except (NatsTimeoutError, TimeoutError):
            raise ToolCallFailed(
                ToolError(
                    code=f"{service}_timeout",
                    message=f"The {service} service did not answer within {timeout_s:.0f} s.",
                    status=504,
                )
            ) from None
        try:
            reply = ToolReply[result_type].model_validate_json(msg.body)  # type: ignore[valid-type]
        except ValidationError as err:  # a tools replica of another version, or a bug: not the client's fault
            log.error("unreadable reply on %s: %s", subject, err)
            raise ToolCallFailed(
                ToolError(
                    code="internal_error",
                    message=f"The {service} service sent an unreadable reply.",
                    status=502,
                )
            ) from None
        if not reply.ok or reply.result is None:
            raise ToolCallFailed(
                reply.error or ToolError(code="internal_error", message=f"Empty {service} reply.", status=502)
            )
        return reply.result

    async def follow(self, session_id: str) -> SessionFeed:
        feed = SessionFeed()
        feed.subscription = await self.broker.connection.subscribe(
            subjects.out_all(session_id), cb=feed.on_message
        )
        return feed

    async def healthy(self) -> bool:
        connection = self.broker.connection
        if not connection.is_connected:
            return False
        try:
            await connection.jetstream().account_info()
        except Exception:  # any failure means JetStream cannot take turns now
            return False
        return True


class SessionFeed:
    """Everything the workers publish for one session, in arrival order."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Msg] = asyncio.Queue()
        self.subscription: Subscription | None = None

    async def on_message(self, msg: Msg) -> None:
        self.queue.put_nowait(msg)

    async def close(self) -> None:
        if self.subscription is not None:
            try:
                await self.subscription.unsubscribe()
            except Exception as err:  # the connection may already be closing
                log.debug("unsubscribe failed: %s", err)


def event_kind(msg: Msg) -> str:
    return msg.subject.rsplit(".", 1)[-1]

"""The gateway's side of NATS: publish turns and control events, follow one session's output."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from pydantic import BaseModel

from shared import subjects
from shared.events import Event, Interrupt, SessionCreated, SessionEnded, ToolError, ToolReply, UserTurn

log = logging.getLogger(__name__)


class Bus:
    def __init__(self, nc: NatsClient) -> None:
        self.nc = nc
        self.js: JetStreamContext = nc.jetstream()

    async def publish_turn(self, turn: UserTurn) -> None:
        """Durably enqueue a turn; the Msg-Id makes a retried publish harmless."""
        await self.js.publish(
            subjects.turn(turn.session_id),
            turn.to_bytes(),
            headers={"Nats-Msg-Id": turn.turn_id},
            timeout=5.0,
        )

    async def publish_interrupt(self, event: Interrupt) -> None:
        await self.nc.publish(subjects.control(event.session_id), event.to_bytes())

    async def publish_lifecycle(self, event: SessionCreated | SessionEnded) -> None:
        kind = "created" if isinstance(event, SessionCreated) else "ended"
        await self.js.publish(
            subjects.lifecycle(event.session_id, kind),
            event.to_bytes(),
            headers={"Nats-Msg-Id": f"{kind}-{event.session_id}"},
            timeout=5.0,
        )

    async def call_tool(self, subject: str, request: BaseModel, timeout_s: float) -> dict[str, Any]:
        """Request/reply to the tools service; its error replies come back as ToolCallFailed."""
        try:
            msg = await self.nc.request(
                subject, request.model_dump_json(by_alias=True).encode(), timeout=timeout_s
            )
        except NoRespondersError:
            raise ToolCallFailed(
                ToolError(code="tools_unavailable", message="The tools service is not running.", status=503)
            ) from None
        except NatsTimeoutError:
            raise ToolCallFailed(
                ToolError(
                    code="tools_timeout",
                    message=f"The tools service did not answer within {timeout_s:.0f} s.",
                    status=504,
                )
            ) from None
        reply = ToolReply.model_validate_json(msg.data)
        if not reply.ok or reply.result is None:
            raise ToolCallFailed(
                reply.error or ToolError(code="internal_error", message="Empty tools reply.", status=500)
            )
        return reply.result

    async def follow(self, session_id: str) -> SessionFeed:
        feed = SessionFeed()
        feed.subscription = await self.nc.subscribe(subjects.out_all(session_id), cb=feed.on_message)
        return feed

    async def healthy(self) -> bool:
        if not self.nc.is_connected:
            return False
        try:
            await self.js.account_info()
        except Exception:  # any failure means JetStream cannot take turns now
            return False
        return True


class ToolCallFailed(Exception):
    def __init__(self, error: ToolError) -> None:
        super().__init__(error.message)
        self.error = error


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


__all__ = ["Bus", "Event", "SessionFeed", "event_kind"]

"""The turn processor's ports on NATS: stream order, KV leases, and the outbox."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import uuid

from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError, NotFoundError
from nats.js.kv import KeyValue
from pydantic import ValidationError

from services.agent.turns import Lease, PendingTurn
from shared import subjects
from shared.events import AssistantReply, ReplyChunk, TurnFailed, UserTurn


class JetStreamTurnOrder:
    """Reads the TURNS work queue: acked turns are gone, so the first message left
    on a session's subject is the oldest turn still waiting for its reply."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js

    async def earliest_pending(self, session_id: str, from_seq: int = 1) -> PendingTurn | None:
        try:
            raw = await self.js.get_msg(
                subjects.TURNS_STREAM, seq=from_seq, next=True, subject=subjects.turn(session_id)
            )
        except NotFoundError:
            return None
        try:
            turn: UserTurn | None = UserTurn.model_validate_json(raw.data or b"")
        except ValidationError:
            turn = None
        published = raw.time.timestamp() if raw.time else time.time()
        return PendingTurn(stream_seq=raw.seq or 0, turn=turn, published_at=published)

    async def discard(self, stream_seq: int) -> None:
        with contextlib.suppress(NotFoundError):
            await self.js.delete_msg(subjects.TURNS_STREAM, stream_seq)


class KvLeases:
    """One lease per session in a KV bucket; an expired lease may be taken over with compare-and-set."""

    def __init__(self, kv: KeyValue, lease_s: float) -> None:
        self.kv = kv
        self.lease_s = lease_s
        self.holder = f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"

    def _value(self, turn_id: str) -> bytes:
        return json.dumps(
            {"holder": self.holder, "turn_id": turn_id, "expires": time.time() + self.lease_s}
        ).encode()

    async def acquire(self, session_id: str, turn_id: str) -> Lease | None:
        value = self._value(turn_id)
        try:
            return Lease(session_id, await self.kv.create(session_id, value))
        except KeyWrongLastSequenceError:
            pass
        try:
            entry = await self.kv.get(session_id)
        except KeyNotFoundError:  # released meanwhile (delete marker): try once more
            try:
                return Lease(session_id, await self.kv.create(session_id, value))
            except KeyWrongLastSequenceError:
                return None
        current = json.loads(entry.value or b"{}")
        if current.get("expires", 0) > time.time():
            return None
        try:
            return Lease(session_id, await self.kv.update(session_id, value, last=entry.revision))
        except KeyWrongLastSequenceError:
            return None

    async def renew(self, lease: Lease) -> Lease | None:
        try:
            entry = await self.kv.get(lease.session_id)
        except KeyNotFoundError:
            return None
        current = json.loads(entry.value or b"{}")
        try:
            revision = await self.kv.update(
                lease.session_id, self._value(current.get("turn_id", "")), last=lease.revision
            )
        except (KeyWrongLastSequenceError, BadRequestError):
            return None  # taken over: our turn will not commit twice (the record is compare-and-set)
        return Lease(lease.session_id, revision)

    async def release(self, lease: Lease) -> None:
        # nats-py reports a revision conflict on delete as a BadRequestError (err_code 10071).
        with contextlib.suppress(KeyWrongLastSequenceError, KeyNotFoundError, BadRequestError):
            await self.kv.delete(lease.session_id, last=lease.revision)


class NatsOutbox:
    def __init__(self, nc: NatsClient, js: JetStreamContext) -> None:
        self.nc = nc
        self.js = js

    async def chunk(self, session_id: str, turn_id: str, index: int, text: str) -> None:
        event = ReplyChunk(session_id=session_id, turn_id=turn_id, index=index, text=text)
        await self.nc.publish(subjects.out(session_id, "chunk"), event.to_bytes())

    async def reply(self, reply: AssistantReply) -> None:
        # The Msg-Id makes a re-published reply (after a redelivery) a no-op inside the duplicate window.
        await self.js.publish(
            subjects.out(reply.session_id, "reply"),
            reply.to_bytes(),
            headers={"Nats-Msg-Id": f"reply-{reply.turn_id}"},
        )

    async def failed(self, failure: TurnFailed) -> None:
        await self.nc.publish(subjects.out(failure.session_id, "error"), failure.to_bytes())

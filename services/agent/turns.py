"""Turn processing with per-session order and exactly one reply per turn, across replicas.

Every agent replica pulls from one durable JetStream consumer, so any replica
may receive any turn. Three rules make that safe:

1. Order: a turn is processed only when it is the oldest unacknowledged turn
   of its session in the (work-queue) stream; a younger one is nak'ed with a
   delay and comes back after its predecessor is answered.
2. One worker per session at a time: a lease in NATS KV, taken with
   compare-and-set and renewed while the reply streams.
3. Idempotence: the reply is committed to the session record together with the
   turn id (compare-and-set); a redelivered turn whose id is already recorded
   is acked without a second reply (its stored reply is re-published, and
   JetStream's Msg-Id de-duplication drops it if it was already out).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from services.agent.interviewer import Interviewer, TurnOutcome, UnknownInterviewType
from services.agent.llm.base import LLMError
from services.agent.speculation import Speculator
from shared.events import AssistantReply, SpeakRequest, TurnFailed, UserTurn
from shared.sessions import SessionNotFound, SessionRecord, SessionRepository, TranscriptEntry, utc_now_iso

log = logging.getLogger(__name__)

LLM_ATTEMPTS = 2


# --- ports -------------------------------------------------------------------------------------------


class Delivery(Protocol):
    """The broker's handle on one delivery of a turn."""

    @property
    def stream_seq(self) -> int: ...

    @property
    def num_delivered(self) -> int: ...

    async def in_progress(self) -> None: ...


@dataclass(frozen=True)
class PendingTurn:
    stream_seq: int
    turn: UserTurn | None  # None when the stored payload is not a valid turn
    published_at: float


class TurnOrder(Protocol):
    async def earliest_pending(self, session_id: str, from_seq: int = 1) -> PendingTurn | None:
        """The session's oldest unacknowledged turn with a stream sequence >= `from_seq`."""
        ...

    async def discard(self, stream_seq: int) -> None: ...


@dataclass(frozen=True)
class Lease:
    session_id: str
    revision: int


class Leases(Protocol):
    async def acquire(self, session_id: str, turn_id: str) -> Lease | None: ...

    async def renew(self, lease: Lease) -> Lease | None: ...

    async def release(self, lease: Lease) -> None: ...


class Outbox(Protocol):
    async def chunk(self, session_id: str, turn_id: str, index: int, text: str) -> None: ...

    async def speak(self, request: SpeakRequest) -> None: ...

    async def reply(self, reply: AssistantReply) -> None: ...

    async def failed(self, failure: TurnFailed) -> None: ...


@dataclass
class InFlight:
    """The reply this replica is writing for a session; an interrupt cancels it and says what was heard."""

    turn_id: str
    cancelled: asyncio.Event
    heard_text: str | None = None


@dataclass
class HeldLease:
    """The lease as last renewed; None once it was lost to another replica."""

    current: Lease | None


# --- decisions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    reason: str


@dataclass(frozen=True)
class Retry:
    delay_s: float
    reason: str


Decision = Ack | Retry


def wait_delay(num_delivered: int) -> float:
    """Back off gently while waiting for a predecessor: 0.1 s, 0.2 s, ... up to 1 s."""
    return min(1.0, 0.1 * max(1, num_delivered))


class TurnProcessor:
    def __init__(
        self,
        repo: SessionRepository,
        interviewer: Interviewer,
        order: TurnOrder,
        leases: Leases,
        outbox: Outbox,
        *,
        stuck_after_s: float = 180.0,
        heartbeat_s: float = 3.0,
        speculator: Speculator | None = None,
    ) -> None:
        self.repo = repo
        self.interviewer = interviewer
        self.order = order
        self.leases = leases
        self.outbox = outbox
        self.stuck_after_s = stuck_after_s
        # Well inside the consumer's ack_wait, so a long reply is never redelivered to another replica.
        self.heartbeat_s = heartbeat_s
        self._in_flight: dict[str, InFlight] = {}
        self.speculator = speculator
        self._tasks: set[asyncio.Task[None]] = set()

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        """Work the turn does not wait for (kept referenced until done, so it is not collected mid-way)."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def interrupt(self, session_id: str, turn_id: str | None, heard_text: str | None = None) -> bool:
        """Stop the reply in flight for this session on this replica (if any); `heard_text` (voice) is
        what the candidate heard of it, and all the transcript will keep."""
        current = self._in_flight.get(session_id)
        if current is None or (turn_id is not None and current.turn_id != turn_id):
            return False
        current.heard_text = heard_text
        current.cancelled.set()
        return True

    async def keep_heard(self, session_id: str, turn_id: str, heard_text: str) -> None:
        """An interrupted reply that was already stored keeps only what the candidate heard (idempotent)."""

        def apply(record: SessionRecord) -> SessionRecord | None:
            for entry in record.transcript:
                if entry.turn_id == turn_id and entry.role == "assistant":
                    if entry.interrupted and entry.text == heard_text:
                        return None
                    entry.text = heard_text
                    entry.interrupted = True
                    return record
            return None  # not stored yet: the replica writing it keeps the heard text itself

        with contextlib.suppress(SessionNotFound):
            await self.repo.update(session_id, apply)

    async def handle(self, turn: UserTurn, delivery: Delivery) -> Decision:
        try:
            session = await self.repo.get(turn.session_id)
        except SessionNotFound:
            await self._fail(turn, "session_not_found", f"Session {turn.session_id} does not exist.")
            return Ack("unknown session")
        if turn.turn_id in session.handled_turn_ids:
            await self._republish(session, turn)
            return Ack("duplicate")
        blocked = await self._predecessor_pending(turn, delivery, session)
        if blocked:
            return Retry(wait_delay(delivery.num_delivered), "waiting for an earlier turn")
        lease = await self.leases.acquire(turn.session_id, turn.turn_id)
        if lease is None:
            return Retry(wait_delay(delivery.num_delivered), "session busy on another replica")
        held = HeldLease(lease)
        try:
            return await self._process(turn, delivery, session, held)
        finally:
            if held.current is not None:  # released at its latest revision (heartbeats renew it)
                await self.leases.release(held.current)

    async def _predecessor_pending(self, turn: UserTurn, delivery: Delivery, session: SessionRecord) -> bool:
        """Is an older turn of this session still unanswered?"""
        cursor = 1
        while True:
            pending = await self.order.earliest_pending(turn.session_id, cursor)
            if pending is None or pending.stream_seq >= delivery.stream_seq:
                return False
            cursor = pending.stream_seq + 1
            before = pending.turn
            if before is not None and before.turn_id in session.handled_turn_ids:
                continue  # answered; its ack is on the way
            if time.time() - pending.published_at < self.stuck_after_s:
                return True
            # A turn that nobody could answer for minutes (its deliveries ran out, or it is not a turn):
            # report it and take it out of the way, so the session does not hang behind it.
            log.warning("discarding stuck turn seq=%s of session %s", pending.stream_seq, turn.session_id)
            if before is not None:
                await self._fail(before, "turn_expired", "This turn could not be answered in time.")
            await self.order.discard(pending.stream_seq)

    async def _process(
        self, turn: UserTurn, delivery: Delivery, session: SessionRecord, held: HeldLease
    ) -> Decision:
        if session.status == "ended":
            await self._fail(turn, "session_ended", "This interview has ended; start a new session.")
            await self._commit(session.session_id, turn, None, keep_user_turn=False)
            return Ack("session ended")
        flight = InFlight(turn.turn_id, asyncio.Event())
        self._in_flight[turn.session_id] = flight
        heartbeat = asyncio.create_task(self._heartbeat(delivery, held))
        try:
            try:
                outcome = await self._generate(turn, session, flight.cancelled)
            except UnknownInterviewType as err:
                await self._fail(turn, "unknown_interview_type", f"Unknown interview type {err}.")
                await self._commit(session.session_id, turn, None)
                return Ack("unknown interview type")
            except LLMError as err:
                log.error("turn %s of %s failed: %s", turn.turn_id, turn.session_id, err)
                await self._fail(turn, "reply_failed", f"The interviewer could not answer: {err}")
                await self._commit(session.session_id, turn, None)
                return Ack("llm failed")
            finally:
                heartbeat.cancel()
            # Still in flight until stored: an interrupt that lands now (the text is written, the voice
            # still playing) must shape what is stored.
            await self._commit(session.session_id, turn, outcome, heard=flight)
        finally:
            self._in_flight.pop(turn.session_id, None)
        await self.outbox.reply(self._reply_event(turn, outcome))
        if self.speculator is not None:
            self._background(self.speculator.after_reply(turn.session_id))
        return Ack("answered")

    async def _generate(
        self, turn: UserTurn, session: SessionRecord, cancelled: asyncio.Event
    ) -> TurnOutcome:
        for attempt in range(1, LLM_ATTEMPTS + 1):
            index = 0

            async def emit(text: str) -> None:
                nonlocal index
                await self.outbox.chunk(turn.session_id, turn.turn_id, index, text)
                index += 1

            async def say(piece: int, text: str, final: bool) -> None:
                request = SpeakRequest(
                    session_id=turn.session_id, turn_id=turn.turn_id, index=piece, text=text, final=final
                )
                await self.outbox.speak(request)

            spoken = say if turn.speak else None
            if self.speculator is not None and attempt == 1:
                ahead = await self.speculator.replay(session, turn, emit, spoken, cancelled)
                if ahead is not None:
                    return ahead
            try:
                return await self.interviewer.reply(session, turn, emit, cancelled, spoken)
            except LLMError as err:
                # Retry only if nothing reached the candidate yet: a half-streamed reply cannot be taken back.
                if not err.retryable or index > 0 or attempt == LLM_ATTEMPTS:
                    raise
                log.warning("retrying turn %s after: %s", turn.turn_id, err)
        raise AssertionError("unreachable")

    async def _heartbeat(self, delivery: Delivery, held: HeldLease) -> None:
        while held.current is not None:
            await asyncio.sleep(self.heartbeat_s)
            await delivery.in_progress()
            held.current = await self.leases.renew(held.current)

    async def _commit(
        self,
        session_id: str,
        turn: UserTurn,
        outcome: TurnOutcome | None,
        *,
        keep_user_turn: bool = True,
        heard: InFlight | None = None,
    ) -> None:
        """Record the turn (and its reply) with compare-and-set; idempotent per turn id. A reply that was
        interrupted while being spoken keeps only what the candidate heard of it."""

        def apply(record: SessionRecord) -> SessionRecord | None:
            if turn.turn_id in record.handled_turn_ids:
                return None
            if keep_user_turn and turn.kind != "start" and turn.text:
                source: Literal["voice", "text"] = "voice" if turn.kind == "speech" else "text"
                record.transcript.append(
                    TranscriptEntry(
                        role="user",
                        text=turn.text,
                        turn_id=turn.turn_id,
                        source=source,
                        words=turn.words,
                        audio_key=turn.audio_key,
                    )
                )
            if outcome is not None and outcome.text:
                heard_text = heard.heard_text if heard is not None else None
                record.transcript.append(
                    TranscriptEntry(
                        role="assistant",
                        text=outcome.text if heard_text is None else heard_text,
                        turn_id=turn.turn_id,
                        source="voice" if turn.speak else "text",
                        phase=outcome.plan.phase,
                        question_id=outcome.plan.question.id if outcome.plan.question else None,
                        problem_id=outcome.plan.hands_out,
                        submission_id=turn.code_run.submission_id if turn.code_run else None,
                        interrupted=outcome.interrupted or heard_text is not None,
                    )
                )
            if outcome is not None:  # a turn answered with silence (the candidate codes) moves the state too
                record.agent_state = outcome.state.model_dump()
            record.handled_turn_ids.append(turn.turn_id)
            if record.status == "created":
                record.status = "in_progress"
                record.started_at = utc_now_iso()
            return record

        await self.repo.update(session_id, apply)

    def _reply_event(self, turn: UserTurn, outcome: TurnOutcome) -> AssistantReply:
        metrics = dict(outcome.metrics)
        metrics["turn_to_reply_ms"] = round((time.time() - turn.ended_at) * 1000, 1)
        # Absolute times (epoch s) of the turn's stages: the gateway adds the first audio and reports each
        # stage's latency (`turn_metrics`).
        metrics["turn_ended_at"] = turn.ended_at
        if turn.transcribed_at is not None:
            metrics["transcribed_at"] = turn.transcribed_at
        return AssistantReply(
            session_id=turn.session_id,
            turn_id=turn.turn_id,
            text=outcome.text,
            phase=outcome.plan.phase,
            interrupted=outcome.interrupted,
            metrics=metrics,
            problem_id=outcome.plan.hands_out,
        )

    async def _republish(self, session: SessionRecord, turn: UserTurn) -> None:
        for entry in session.transcript:
            if entry.turn_id == turn.turn_id and entry.role == "assistant":
                await self.outbox.reply(
                    AssistantReply(
                        session_id=session.session_id,
                        turn_id=turn.turn_id,
                        text=entry.text,
                        phase=entry.phase or "",
                        interrupted=entry.interrupted,
                        problem_id=entry.problem_id,
                    )
                )
                return

    async def _fail(self, turn: UserTurn, code: str, message: str) -> None:
        await self.outbox.failed(
            TurnFailed(session_id=turn.session_id, turn_id=turn.turn_id, code=code, message=message)
        )

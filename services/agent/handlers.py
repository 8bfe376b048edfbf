"""The agent's NATS handlers: user turns (JetStream pull, one durable consumer shared by every replica)
and interrupts (core NATS).

NATS in, NATS out, nothing else: FastStream parses each message into its typed event, the turn
processor (from the application context, put there by `bootstrap.py`) decides, and the handler turns
its decision into an ack or a delayed nak. A message that is not a valid event is rejected by the
broker's middleware (`reject_unreadable`), so it is never redelivered.
"""

from __future__ import annotations

import logging
from typing import Annotated

from faststream import AckPolicy, Context
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub

from services.agent.speculation import Speculator
from services.agent.turns import Ack, TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.events import Interrupt, ProvisionalTurn, UserTurn
from shared.messaging import agent_turns_consumer

log = logging.getLogger(__name__)

Processor = Annotated[TurnProcessor, Context("turn_processor")]
Ahead = Annotated[Speculator, Context("speculator")]


class _NatsDelivery:
    def __init__(self, msg: NatsMessage) -> None:
        self.msg = msg
        metadata = msg.raw_message.metadata
        self._seq = metadata.sequence.stream
        self._delivered = metadata.num_delivered

    @property
    def stream_seq(self) -> int:
        return self._seq

    @property
    def num_delivered(self) -> int:
        return self._delivered

    async def in_progress(self) -> None:
        await self.msg.in_progress()


def build_router(settings: Settings, *, concurrency: int) -> NatsRouter:
    """`concurrency`: turns one process works on at once (1 for a local model: it answers one at a time)."""
    router = NatsRouter()

    @router.subscriber(
        subjects.TURNS_SUBJECTS[0],
        stream=JStream(subjects.TURNS_STREAM, declare=False),  # declared by shared.messaging.ensure_streams
        durable=subjects.AGENT_TURNS_CONSUMER,
        config=agent_turns_consumer(settings),
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        max_workers=concurrency,
        title="agent: candidate turns",
        description="Every agent replica pulls from one durable consumer; a turn is acked only once its "
        "reply is stored (see services/agent/turns.py for the ordering and exactly-once rules).",
    )
    async def on_turn(turn: UserTurn, msg: NatsMessage, processor: Processor) -> None:
        delivery = _NatsDelivery(msg)
        try:
            decision = await processor.handle(turn, delivery)
        except Exception:
            # A bug or an outage (storage, KV): retry later with backoff rather than hot-looping.
            log.exception("turn %s of session %s failed; will retry", turn.turn_id, turn.session_id)
            await msg.nack(delay=min(30.0, 0.5 * 2 ** min(delivery.num_delivered, 6)))
            return
        if isinstance(decision, Ack):
            await msg.ack()
            log.info("turn %s of session %s: %s", turn.turn_id, turn.session_id, decision.reason)
        else:
            await msg.nack(delay=decision.delay_s)

    @router.subscriber(
        subjects.CONTROL_ALL, title="agent: interrupt", description="Stop the reply in flight for a session."
    )
    async def on_control(event: Interrupt, processor: Processor) -> None:
        # Every replica hears it (no queue group): whichever is writing the reply stops it.
        if processor.interrupt(event.session_id, event.turn_id, event.heard_text):
            log.info("interrupted the reply of session %s", event.session_id)

    @router.subscriber(
        subjects.CONTROL_ALL,
        queue="agent-heard",
        title="agent: keep what was heard",
        description="An interrupted spoken reply that was already stored keeps only what the candidate heard.",
    )
    async def on_heard(event: Interrupt, processor: Processor) -> None:
        if event.turn_id is not None and event.heard_text is not None:
            await processor.keep_heard(event.session_id, event.turn_id, event.heard_text)

    @router.subscriber(
        subjects.SPECULATE_ALL,
        queue="agent-speculate",
        title="agent: before the turn is certain",
        description="The candidate's words so far (pre-read into the model) or a likely final answer "
        "(its reply written ahead, replayed if the real turn has the same words).",
    )
    async def on_provisional(event: ProvisionalTurn, speculator: Ahead) -> None:
        await speculator.on_provisional(event)

    return router

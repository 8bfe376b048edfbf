"""The agent's NATS handlers: user turns (JetStream pull, shared durable) and interrupts (core)."""

from __future__ import annotations

import logging

from faststream import AckPolicy
from faststream.nats import ConsumerConfig, JStream, NatsMessage, NatsRouter, PullSub
from pydantic import ValidationError

from services.agent.turns import Ack, TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.events import Interrupt, UserTurn
from shared.messaging import agent_turns_consumer

log = logging.getLogger(__name__)


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


def build_router(processor: TurnProcessor, settings: Settings, *, concurrency: int) -> NatsRouter:
    router = NatsRouter()
    consumer: ConsumerConfig = agent_turns_consumer(settings)

    @router.subscriber(
        subjects.TURNS_SUBJECTS[0],
        stream=JStream(subjects.TURNS_STREAM, declare=False),
        durable=subjects.AGENT_TURNS_CONSUMER,
        config=consumer,
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        max_workers=concurrency,
    )
    async def on_turn(msg: NatsMessage) -> None:
        try:
            turn = UserTurn.model_validate_json(msg.body)
        except ValidationError as err:
            log.error("dropping malformed turn on %s: %s", msg.raw_message.subject, err)
            await msg.reject()
            return
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
        else:
            await msg.nack(delay=decision.delay_s)
        if isinstance(decision, Ack):
            log.info("turn %s of session %s: %s", turn.turn_id, turn.session_id, decision.reason)

    @router.subscriber(subjects.CONTROL_ALL)
    async def on_control(msg: NatsMessage) -> None:
        try:
            event = Interrupt.model_validate_json(msg.body)
        except ValidationError:
            return
        if processor.interrupt(event.session_id, event.turn_id):
            log.info("interrupted the reply of session %s", event.session_id)

    return router

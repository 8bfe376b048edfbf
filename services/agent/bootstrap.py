"""Wires the agent: settings -> storage, LLM, interviewer, NATS adapters, router."""

from __future__ import annotations

from faststream.nats import NatsBroker
from nats.aio.client import Client as NatsClient

from services.agent.handlers import build_router
from services.agent.interviewer import Interviewer
from services.agent.nats_adapters import JetStreamTurnOrder, KvLeases, NatsOutbox
from services.agent.responders import LLMResponder, Responder, ScriptedResponder
from services.agent.turns import TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.sessions import SessionRepository
from shared.storage import create_store


def create_responder(settings: Settings) -> Responder:
    if settings.llm_provider == "scripted":
        return ScriptedResponder(settings.scripted_word_delay_s)
    from services.agent.llm import create_llm

    return LLMResponder(
        create_llm(settings), max_tokens=settings.llm_max_reply_tokens, temperature=settings.llm_temperature
    )


def create_interviewer(settings: Settings, responder: Responder | None = None) -> Interviewer:
    return Interviewer(
        responder or create_responder(settings),
        context_tokens=settings.llm_context_tokens,
        max_reply_tokens=settings.llm_max_reply_tokens,
    )


async def create_processor(settings: Settings, nc: NatsClient, interviewer: Interviewer) -> TurnProcessor:
    js = nc.jetstream()
    kv = await js.key_value(subjects.TURN_LEASES_BUCKET)
    return TurnProcessor(
        SessionRepository(create_store(settings)),
        interviewer,
        JetStreamTurnOrder(js),
        KvLeases(kv, settings.turn_lease_s),
        NatsOutbox(nc, js),
        stuck_after_s=settings.turn_stuck_after_s,
        heartbeat_s=settings.turn_ack_wait_s / 3,
    )


def attach(broker: NatsBroker, processor: TurnProcessor, settings: Settings, concurrency: int) -> None:
    broker.include_router(build_router(processor, settings, concurrency=concurrency))

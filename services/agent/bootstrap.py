"""Wires the agent: settings -> storage, LLM, interviewer, NATS adapters, turn processor -> app.

The only module of the service that reads `Settings`. Tests build the same application with a
scripted interviewer or a local store through `create_app`'s keyword arguments.
"""

from __future__ import annotations

import asyncio
import logging
import os

from faststream import FastStream

from services.agent.handlers import build_router
from services.agent.interviewer import Interviewer
from services.agent.llm import create_llm
from services.agent.llm.options import BedrockOptions, LlamaCppOptions, LLMOptions, OpenAIOptions
from services.agent.nats_adapters import JetStreamTurnOrder, KvLeases, NatsOutbox
from services.agent.responders import LLMResponder, Responder, ScriptedResponder
from services.agent.speculation import Speculator
from services.agent.turns import TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import ensure_streams, make_broker, reject_unreadable
from shared.sessions import SessionRepository
from shared.storage import ObjectStore, create_store

log = logging.getLogger("agent")


def create_responder(settings: Settings) -> Responder:
    if settings.llm_provider == "scripted":
        return ScriptedResponder(settings.scripted_word_delay_s)
    return LLMResponder(
        create_llm(llm_options(settings)),
        max_tokens=settings.llm_max_reply_tokens,
        temperature=settings.llm_temperature,
    )


def llm_options(settings: Settings) -> LLMOptions:
    """The options of the model provider `settings.llm_provider` names: the one place `PREPAI_LLM_*`,
    `PREPAI_OPENAI_*` and `PREPAI_BEDROCK_*` reach the LLM layer. Raises ValueError for "scripted",
    which is not a model; pydantic's ValidationError for values a provider cannot run with."""
    if settings.llm_provider == "llamacpp":
        return LlamaCppOptions(
            model=settings.llm_model,
            model_path=settings.llm_model_path,
            model_cache_dir=settings.model_cache_dir,
            threads=settings.llm_threads,
            context_tokens=settings.llm_context_tokens,
            timeout_s=settings.llm_timeout_s,
        )
    if settings.llm_provider == "openai":
        return OpenAIOptions(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            timeout_s=settings.llm_timeout_s,
        )
    if settings.llm_provider == "bedrock":
        return BedrockOptions(
            model_id=settings.bedrock_model_id,
            region=settings.bedrock_region,
            timeout_s=settings.llm_timeout_s,
        )
    raise ValueError(f"{settings.llm_provider!r} is not an LLM provider (llamacpp, openai, bedrock)")


def create_interviewer(settings: Settings, responder: Responder | None = None) -> Interviewer:
    return Interviewer(
        responder or create_responder(settings),
        context_tokens=settings.llm_context_tokens,
        max_reply_tokens=settings.llm_max_reply_tokens,
        model_reactions=model_reactions(settings),
    )


def model_reactions(settings: Settings) -> bool:
    """Does the model word the reactions (`PREPAI_LLM_REACTIONS`)? `auto`: not the packaged 0.5B model."""
    if settings.llm_reactions != "auto":
        return settings.llm_reactions == "model"
    packaged_small = (
        settings.llm_provider == "llamacpp"
        and settings.llm_model_path is None
        and settings.llm_model == "qwen2.5-coder-0.5b"
    )
    return not packaged_small


def turn_concurrency(settings: Settings) -> int:
    """Turns one process works on at once: a local model answers one at a time; remote models and the
    scripted responder serve many."""
    return settings.agent_concurrency or (1 if settings.llm_provider == "llamacpp" else 16)


def create_app(
    settings: Settings, *, interviewer: Interviewer | None = None, store: ObjectStore | None = None
) -> FastStream:
    """The agent as a FastStream application. Nothing connects until it starts: then the model warms up,
    the streams and buckets are ensured, and the turn processor is built on the broker's connection."""
    interviewer = interviewer or create_interviewer(settings)
    repo = SessionRepository(store or create_store(settings))
    broker = make_broker(settings, "agent", middlewares=[reject_unreadable()])
    router = build_router(settings, concurrency=turn_concurrency(settings))
    outbox = NatsOutbox.declare(broker, router)
    broker.include_router(router)
    speculator = Speculator(interviewer, repo, speak_ahead=outbox.speak)
    app = FastStream(broker, logger=log)
    app.context.set_global("speculator", speculator)

    @app.on_startup
    async def start() -> None:
        log.info("loading the %s interviewer (warm-up)", settings.llm_provider)
        await interviewer.warm_up()
        await broker.connect()
        js = broker.connection.jetstream()
        await ensure_streams(js, settings)
        leases = await broker.key_value(subjects.TURN_LEASES_BUCKET, declare=False)
        processor = TurnProcessor(
            repo,
            interviewer,
            JetStreamTurnOrder(js),
            KvLeases(leases, settings.turn_lease_s),
            outbox,
            stuck_after_s=settings.turn_stuck_after_s,
            heartbeat_s=settings.turn_ack_wait_s / 3,
            speculator=speculator,
        )
        app.context.set_global("turn_processor", processor)

    @app.after_startup
    def ready() -> None:
        log.info(
            "agent ready (responder=%s, concurrency=%d)",
            interviewer.responder.name,
            turn_concurrency(settings),
        )

    @app.after_shutdown
    async def close() -> None:
        await speculator.aclose()
        await interviewer.responder.aclose()

    return app


def run() -> None:
    """The process: settings from the environment, logging, the app until SIGINT/SIGTERM."""
    settings = Settings()
    setup_logging("agent", settings.log_level)
    if settings.llm_nice:
        os.nice(settings.llm_nice)
    asyncio.run(create_app(settings).run())

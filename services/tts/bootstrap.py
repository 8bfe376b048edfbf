"""Wires the TTS service: settings -> speech engines, storage, NATS outbox -> speaker -> app.

The only module of the service that reads `Settings`. The engines are loaded and warmed up once, in the
start-up hook, so the first reply pays no load time. Tests build the same application with fake engines
or a local store through `create_app`'s keyword arguments.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from faststream import FastStream

from services.tts.engines import EngineUnavailable, create_engine
from services.tts.handlers import build_router
from services.tts.nats_adapters import NatsAudioOutbox
from services.tts.speaker import Speaker, SpeechEngine
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import ensure_streams, make_broker, reject_unreadable, tts_sentences_consumer
from shared.storage import ObjectStore, create_store

log = logging.getLogger("tts")


@dataclass(frozen=True)
class Engines:
    """The engine that speaks, and the one that says a sentence the first could not (None: no second try)."""

    primary: SpeechEngine
    fallback: SpeechEngine | None = None


def load_engines(settings: Settings) -> Engines:
    """The engines `PREPAI_TTS_ENGINE` asks for, loaded. Piper (the default) falls back to espeak-ng when it
    cannot be loaded, with a warning; espeak-ng also says the sentences Piper fails on. Coqui must load:
    EngineUnavailable (naming what to install and set) stops the service."""
    name = settings.tts_engine
    if name == "espeak":
        return Engines(create_engine("espeak", voice=settings.tts_voice))
    try:
        primary = create_engine(name, voice=settings.tts_voice, threads=settings.tts_threads)
    except EngineUnavailable as error:
        if name != "piper":
            raise
        log.warning("Piper cannot be loaded (%s): speaking with espeak-ng instead", error)
        try:
            return Engines(create_engine("espeak"))
        except EngineUnavailable as fallback_error:
            raise EngineUnavailable(f"{error}; and the fallback: {fallback_error}") from fallback_error
    try:
        fallback: SpeechEngine | None = create_engine("espeak")
    except EngineUnavailable as error:
        log.warning("no fallback engine (%s): a sentence %s fails on is reported failed", error, name)
        fallback = None
    return Engines(primary, fallback)


def create_app(
    settings: Settings, *, engines: Engines | None = None, store: ObjectStore | None = None
) -> FastStream:
    """The TTS service as a FastStream application. Nothing loads or connects until it starts: then the
    engines load and warm up, the streams are ensured, and the speaker is put in the context."""
    store = store or create_store(settings)
    broker = make_broker(settings, "tts", middlewares=[reject_unreadable()])
    router = build_router(tts_sentences_consumer(settings), concurrency=settings.tts_concurrency)
    outbox = NatsAudioOutbox.declare(router)
    broker.include_router(router)
    app = FastStream(broker, logger=log)

    @app.on_startup
    async def start() -> None:
        started = time.perf_counter()
        loaded = engines if engines is not None else await asyncio.to_thread(load_engines, settings)
        load_s = time.perf_counter() - started
        speaker = Speaker(loaded.primary, fallback=loaded.fallback, store=store, outbox=outbox)
        warm_up_s = await speaker.warm_up()
        engine, fallback = speaker.engine, speaker.fallback
        log.info(
            "tts engine %s (voice %s, %d Hz, %d thread(s)), fallback %s; loaded in %.2f s, warm-up %.2f s",
            engine.name,
            engine.voice,
            engine.sample_rate,
            settings.tts_threads,
            f"{fallback.name} ({fallback.voice}, {fallback.sample_rate} Hz)" if fallback else "none",
            load_s,
            warm_up_s,
        )
        await broker.connect()
        await ensure_streams(broker.connection.jetstream(), settings)
        app.context.set_global("speaker", speaker)

    @app.after_startup
    def ready() -> None:
        log.info("tts ready (concurrency %d)", settings.tts_concurrency)

    return app


def run() -> None:
    """The process: settings from the environment, logging, the app until SIGINT/SIGTERM."""
    settings = Settings()
    setup_logging("tts", settings.log_level)
    try:
        asyncio.run(create_app(settings).run())
    except EngineUnavailable as error:
        log.error("cannot start: %s", error)
        raise SystemExit(2) from None

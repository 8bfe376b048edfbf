"""Wires the STT service: settings -> storage, the Whisper model, the VAD, NATS adapters, claim follower
-> app.

The only module of the service that reads `Settings`. Tests build the same application with a fake
speech model, VAD or store through `create_app`'s keyword arguments. Building the app loads nothing:
the model is joined (once), loaded and warmed up in the start-up hook.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from faststream import FastStream

from services.stt.claims import IDLE_LIMIT_S, ClaimFollower
from services.stt.domain.turn_taking import EndpointRules
from services.stt.handlers import build_router
from services.stt.nats_adapters import JetStreamAudioSource, KvProgressStore, NatsVoiceOutbox, SessionContext
from services.stt.playback import PlaybackBoard
from services.stt.transcriber import ContextSource, DecodeQueue, Pipeline, SpeechModel, VoiceActivity
from services.stt.vad import SileroVad
from services.stt.whisper import WhisperOptions, WhisperSpeechModel
from shared import subjects
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import ensure_streams, make_broker, reject_unreadable
from shared.sessions import SessionRepository
from shared.storage import ObjectStore, create_store

log = logging.getLogger("stt")

# A socket's lease lapses a little before its claim is redelivered, so the replica that gets the claim
# finds it free (heartbeats renew both every voice_ack_wait_s / 3).
LEASE_SHARE_OF_ACK_WAIT = 0.9


def endpoint_rules(settings: Settings) -> EndpointRules:
    return EndpointRules(
        silence_ms=settings.endpoint_silence_ms,
        unfinished_silence_ms=settings.endpoint_unfinished_silence_ms,
        coding_factor=settings.endpoint_coding_factor,
        max_turn_s=settings.endpoint_max_turn_s,
        bargein_min_speech_ms=settings.bargein_min_speech_ms,
    )


def whisper_options(settings: Settings) -> WhisperOptions:
    return WhisperOptions(
        model=settings.stt_model,
        model_path=settings.stt_model_path,
        cache_dir=settings.model_cache_dir,
        threads=settings.stt_threads,
        beam_size=settings.stt_beam_size,
    )


def _load(component: Any) -> None:
    """Load a model adapter that has a `load()` (fakes need none)."""
    load = getattr(component, "load", None)
    if callable(load):
        load()


def create_app(
    settings: Settings,
    *,
    model: SpeechModel | None = None,
    vad: VoiceActivity | None = None,
    store: ObjectStore | None = None,
    context: ContextSource | None = None,
    idle_limit_s: float | None = None,
) -> FastStream:
    """The STT as a FastStream application. Nothing connects or loads until it starts: then the model is
    loaded and warmed up, the streams and buckets are ensured, and the claim follower is built on the
    broker's connection."""
    store = store or create_store(settings)
    speech_model: SpeechModel = model or WhisperSpeechModel(whisper_options(settings))
    voice_activity: VoiceActivity = vad or SileroVad()
    decoder = DecodeQueue(speech_model)
    board = PlaybackBoard()
    broker = make_broker(settings, "stt", middlewares=[reject_unreadable()])
    router = build_router(settings)
    outbox = NatsVoiceOutbox.declare(broker, router)
    broker.include_router(router)
    app = FastStream(broker, logger=log)
    app.context.set_global("playback", board)
    pipeline = Pipeline(
        decoder=decoder,
        vad=voice_activity,
        outbox=outbox,
        context=context or SessionContext(SessionRepository(store)),
        playback=board,
        store=store,
        rules=endpoint_rules(settings),
    )

    @app.on_startup
    async def start() -> None:
        log.info("loading the speech model and the VAD")
        await asyncio.to_thread(_load, speech_model)
        await asyncio.to_thread(_load, voice_activity)
        await broker.connect()
        js = broker.connection.jetstream()
        await ensure_streams(js, settings)
        kv = await js.key_value(subjects.STT_PROGRESS_BUCKET)
        follower = ClaimFollower(
            audio=JetStreamAudioSource(js),
            progress=KvProgressStore(kv, settings.voice_ack_wait_s * LEASE_SHARE_OF_ACK_WAIT),
            pipeline=pipeline,
            heartbeat_s=settings.voice_ack_wait_s / 3,
            idle_limit_s=IDLE_LIMIT_S if idle_limit_s is None else idle_limit_s,
        )
        app.context.set_global("claims", follower)

    @app.after_startup
    def ready() -> None:
        log.info(
            "stt ready (up to %d sockets, %d decode threads)", settings.stt_max_sockets, settings.stt_threads
        )

    @app.on_shutdown
    async def hand_over() -> None:
        follower = app.context.get("claims")
        if isinstance(follower, ClaimFollower):
            await follower.drain()

    @app.after_shutdown
    def close() -> None:
        stats = decoder.stats
        log.info(
            "stt stopped: %d decodes (%d of short segments decoded again), %.1f s decoding %.1f s of audio, "
            "%d partials skipped",
            stats.decodes,
            stats.withdrawn,
            stats.seconds,
            stats.audio_seconds,
            stats.skipped_partials,
        )
        decoder.close()

    return app


def run() -> None:
    """The process: settings from the environment, logging, the app until SIGINT/SIGTERM."""
    settings = Settings()
    setup_logging("stt", settings.log_level)
    asyncio.run(create_app(settings).run())

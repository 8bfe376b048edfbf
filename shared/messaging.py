"""NATS plumbing shared by every service: the broker factory, the one bootstrap
that declares streams, consumers and KV buckets, and the error middleware of
request/reply services.

Streams are created here, idempotently, by whichever service starts first,
rather than by `JStream(declare=True)` on subscribers: faststream declares a
`JStream` once per process, which breaks a second broker in the same process
(tests), and a single declaration keeps the stream settings in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from faststream.middlewares import ExceptionMiddleware
from faststream.nats import NatsBroker, NatsMessage
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DiscardPolicy,
    KeyValueConfig,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import BadRequestError, NotFoundError
from pydantic import ValidationError

from shared import subjects
from shared.config import Settings
from shared.errors import DomainError, invalid_request
from shared.tools_api import ToolError, ToolReply

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0
HOUR_S = 3600.0
# Audio and WAV travel base64 in JSON events; past this a payload goes by reference through storage.
MAX_INLINE_AUDIO_BYTES = 512 * 1024
MAX_AUDIO_MESSAGE_BYTES = 1024 * 1024


def stream_configs() -> list[StreamConfig]:
    return [
        StreamConfig(
            name=subjects.TURNS_STREAM,
            subjects=subjects.TURNS_SUBJECTS,
            retention=RetentionPolicy.WORK_QUEUE,
            storage=StorageType.FILE,
            max_age=DAY_S,
            max_msg_size=256 * 1024,
            duplicate_window=120.0,
            discard=DiscardPolicy.OLD,
        ),
        StreamConfig(
            name=subjects.REPLIES_STREAM,
            subjects=subjects.REPLIES_SUBJECTS,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=7 * DAY_S,
            duplicate_window=120.0,
        ),
        StreamConfig(
            name=subjects.LIFECYCLE_STREAM,
            subjects=subjects.LIFECYCLE_SUBJECTS,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=30 * DAY_S,
            duplicate_window=120.0,
        ),
        # The candidate's audio, kept long enough for an STT replica to resume a socket another one was
        # following (it re-reads from the current utterance's start); the recordings go to storage.
        StreamConfig(
            name=subjects.AUDIO_STREAM,
            subjects=subjects.AUDIO_SUBJECTS,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=HOUR_S,
            max_msg_size=MAX_AUDIO_MESSAGE_BYTES,
            duplicate_window=120.0,
            discard=DiscardPolicy.OLD,
        ),
        StreamConfig(
            name=subjects.VOICE_STREAM,
            subjects=subjects.VOICE_SUBJECTS,
            retention=RetentionPolicy.WORK_QUEUE,
            storage=StorageType.FILE,
            max_age=DAY_S,
            duplicate_window=120.0,
        ),
        StreamConfig(
            name=subjects.SPEECH_STREAM,
            subjects=subjects.SPEECH_SUBJECTS,
            retention=RetentionPolicy.WORK_QUEUE,
            storage=StorageType.FILE,
            max_age=HOUR_S,
            duplicate_window=120.0,
        ),
        StreamConfig(
            name=subjects.METRICS_STREAM,
            subjects=subjects.METRICS_SUBJECTS,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=30 * DAY_S,
            duplicate_window=120.0,
        ),
        # Reports are kept in storage; the stream only carries them to analytics (a rebuild reads storage).
        StreamConfig(
            name=subjects.REPORTS_STREAM,
            subjects=subjects.REPORTS_SUBJECTS,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=30 * DAY_S,
            max_msg_size=1024 * 1024,
            duplicate_window=120.0,
        ),
    ]


def agent_turns_consumer(settings: Settings) -> ConsumerConfig:
    """One durable pull consumer shared by every agent replica.

    Acks are manual: a turn is acked only once its reply is persisted. Out-of-order
    deliveries are nak'ed with a delay by the handler, so `max_deliver` is large,
    and the backoff spaces redeliveries after a replica died mid-turn.
    """
    return ConsumerConfig(
        durable_name=subjects.AGENT_TURNS_CONSUMER,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=settings.turn_ack_wait_s,
        max_deliver=settings.turn_max_deliver,
        max_ack_pending=1000,
        filter_subject=subjects.TURNS_SUBJECTS[0],
    )


def stt_claims_consumer(settings: Settings) -> ConsumerConfig:
    """One durable pull consumer shared by every STT replica: a claim (one socket's audio) stays unacked
    while its replica follows the socket, kept alive by heartbeats; if the replica dies it is redelivered
    after `ack_wait` and another replica resumes the socket."""
    return ConsumerConfig(
        durable_name=subjects.STT_CLAIMS_CONSUMER,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=settings.voice_ack_wait_s,
        max_deliver=50,
        max_ack_pending=10_000,
        filter_subject=subjects.VOICE_SUBJECTS[0],
    )


def tts_sentences_consumer(settings: Settings) -> ConsumerConfig:
    """One durable pull consumer shared by every TTS replica: any replica synthesises any sentence."""
    return ConsumerConfig(
        durable_name=subjects.TTS_SENTENCES_CONSUMER,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=settings.voice_ack_wait_s,
        max_deliver=5,
        max_ack_pending=10_000,
        filter_subject=subjects.SPEECH_SUBJECTS[0],
    )


def analytics_consumers() -> list[tuple[str, ConsumerConfig]]:
    """The analytics service's durable consumers (stream, config), shared by its replicas. An event is
    acked once its rows are committed; a database outage is retried with spaced redeliveries."""
    return [
        (
            stream,
            ConsumerConfig(
                durable_name=durable,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=30.0,
                max_deliver=100,  # about 15 minutes of retries at the handler's longest delay
                max_ack_pending=1000,
                filter_subject=subject,
            ),
        )
        for stream, durable, subject in (
            (subjects.REPORTS_STREAM, subjects.ANALYTICS_REPORTS_CONSUMER, subjects.REPORTS_SUBJECTS[0]),
            (subjects.METRICS_STREAM, subjects.ANALYTICS_METRICS_CONSUMER, subjects.METRICS_SUBJECTS[0]),
        )
    ]


async def ensure_consumers(js: JetStreamContext, consumers: list[tuple[str, ConsumerConfig]]) -> None:
    """Create each durable consumer that does not exist yet (idempotent, safe to race)."""
    for stream, consumer in consumers:
        assert consumer.durable_name is not None
        try:
            await js.consumer_info(stream, consumer.durable_name)
        except NotFoundError:
            with contextlib.suppress(BadRequestError):
                await js.add_consumer(stream, consumer)


async def ensure_streams(js: JetStreamContext, settings: Settings) -> None:
    """Create or update every stream, consumer and KV bucket (idempotent, safe to race)."""
    for config in stream_configs():
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
    for stream, consumer in (
        (subjects.TURNS_STREAM, agent_turns_consumer(settings)),
        (subjects.VOICE_STREAM, stt_claims_consumer(settings)),
        (subjects.SPEECH_STREAM, tts_sentences_consumer(settings)),
    ):
        assert consumer.durable_name is not None
        try:
            await js.consumer_info(stream, consumer.durable_name)
        except NotFoundError:
            with contextlib.suppress(BadRequestError):  # another replica created it meanwhile
                await js.add_consumer(stream, consumer)
    for bucket in (subjects.TURN_LEASES_BUCKET, subjects.STT_PROGRESS_BUCKET):
        await ensure_kv(js, bucket)


async def ensure_kv(js: JetStreamContext, bucket: str) -> None:
    try:
        await js.key_value(bucket)
    except NotFoundError:
        with contextlib.suppress(BadRequestError):
            await js.create_key_value(
                KeyValueConfig(bucket=bucket, history=1, ttl=DAY_S, storage=StorageType.FILE)
            )


def make_broker(settings: Settings, name: str, *, middlewares: Sequence[Any] = ()) -> NatsBroker:
    """A faststream broker; build one per process (the URL is fixed at construction)."""
    return NatsBroker(
        settings.nats_url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
        graceful_timeout=15.0,
        logger=logging.getLogger(f"{name}.broker"),  # the platform's log format, not FastStream's own
        log_level=logging.DEBUG,  # one line per message is too much at INFO (a reply streams many chunks)
        middlewares=middlewares,
    )


def error_reply(error: Exception) -> ToolReply[Any]:
    """The reply for a request that failed: a DomainError keeps its code and status; a request that does
    not match the handler's model is 422 `invalid_request` naming the fields; anything else is a bug."""
    if isinstance(error, ValidationError):  # the handler's typed body: its location starts with the parameter
        error = invalid_request(
            error.errors(), lambda p: ".".join(str(part) for part in p["loc"][1:]) or "body"
        )
    if isinstance(error, DomainError):
        body = ToolError(code=error.code, message=error.message, status=error.status, fields=error.fields)
    else:
        log.error("request failed", exc_info=error)
        body = ToolError(code="internal_error", message="The service failed on this request.", status=500)
    return ToolReply(ok=False, error=body)


def reply_errors_middleware() -> ExceptionMiddleware:
    """For request/reply handlers: every exception becomes an error reply, so a caller always gets an
    answer it can act on and the worker carries on. (FastStream parses the handler's typed body inside
    the middleware's scope, so an unreadable request is answered too.)"""
    middleware = ExceptionMiddleware()

    @middleware.add_handler(Exception, publish=True)
    async def to_reply(error: Exception) -> ToolReply[Any]:
        return error_reply(error)

    return middleware


@contextlib.asynccontextmanager
async def kept_alive(msg: NatsMessage, every_s: float) -> AsyncIterator[None]:
    """Tell JetStream every `every_s` that the message is still being worked on."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every_s)
            with contextlib.suppress(Exception):  # a lost heartbeat only risks a redelivery
                await msg.in_progress()

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def reject_unreadable() -> ExceptionMiddleware:
    """A message that does not parse as its event is dropped for good (logged), never redelivered: a
    JetStream delivery is terminated (redelivering it cannot help); a core message is only logged."""
    middleware = ExceptionMiddleware()

    @middleware.add_handler(ValidationError)
    async def reject(error: ValidationError, message: NatsMessage) -> None:
        log.error("dropping an unreadable message on %s: %s", message.raw_message.subject, error)
        if message.raw_message.reply.startswith("$JS.ACK."):
            await message.reject()

    return middleware

"""The analytics service's NATS handlers.

In: `ReportReady` (stream PREPAI_REPORTS) and `TurnMetrics` (PREPAI_METRICS), each from a durable pull
consumer shared by every replica, acked once the rows are committed. Out: the figures, as request/reply
in a queue group (any replica answers from the shared database), each reply a `ToolReply` envelope.

NATS in, NATS out, nothing else: FastStream parses each message into its typed model; the use cases come
from the application context (`bootstrap.py` puts them there).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from faststream import AckPolicy, Context
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from nats.js.api import ConsumerConfig

from services.analytics.domain.rows import Unstorable
from services.analytics.ingest import Ingest
from services.analytics.queries import Queries
from shared import subjects
from shared.analytics_api import (
    AggregateQuery,
    AggregateResult,
    BenchmarksQuery,
    BenchmarksResult,
    HistoryQuery,
    HistoryResult,
    TrendsQuery,
    TrendsResult,
    VoiceLatencyQuery,
    VoiceLatencyResult,
)
from shared.events import TurnMetrics
from shared.messaging import reject_unreadable, reply_errors_middleware
from shared.report import ReportReady
from shared.tools_api import ToolReply

log = logging.getLogger("analytics.handlers")

IngestDep = Annotated[Ingest, Context("ingest")]
QueriesDep = Annotated[Queries, Context("queries")]
MAX_RETRY_DELAY_S = 10.0


async def settle(msg: NatsMessage, what: str, work: Awaitable[object]) -> None:
    """Ack after the work is committed; drop an event no row can hold; retry anything else (the database
    may be restarting), spaced out by delivery count."""
    try:
        await work
    except Unstorable as error:
        log.error("dropping %s: %s", what, error)
        await msg.reject()
        return
    except Exception:
        delivered = msg.raw_message.metadata.num_delivered
        log.exception("%s not stored (delivery %d); will retry", what, delivered)
        await msg.nack(delay=min(MAX_RETRY_DELAY_S, 0.25 * 2**delivered))
        return
    await msg.ack()


def build_ingest_router(consumers: dict[str, ConsumerConfig]) -> NatsRouter:
    """`consumers`: by durable name, from `shared.messaging.analytics_consumers`."""
    router = NatsRouter(middlewares=[reject_unreadable()])
    reports = consumers[subjects.ANALYTICS_REPORTS_CONSUMER]
    metrics = consumers[subjects.ANALYTICS_METRICS_CONSUMER]

    @router.subscriber(
        subjects.REPORTS_SUBJECTS[0],
        stream=JStream(subjects.REPORTS_STREAM, declare=False),  # declared by shared.messaging
        durable=subjects.ANALYTICS_REPORTS_CONSUMER,
        config=reports,
        # One message a fetch, as every service here: with a batch above 1 an idle fetch raises asyncio's
        # TimeoutError, which FastStream 0.7 does not suppress (only nats.errors.TimeoutError): it logs a
        # traceback and restarts the task every second.
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        no_reply=True,
        max_workers=2,
        title="analytics: performance reports",
        description="Each report becomes (or replaces) its session's row: a redelivery counts once.",
    )
    async def on_report(event: ReportReady, msg: NatsMessage, ingest: IngestDep) -> None:
        await settle(msg, f"report of {event.session_id}", ingest.record_report(event.report))

    @router.subscriber(
        subjects.METRICS_SUBJECTS[0],
        stream=JStream(subjects.METRICS_STREAM, declare=False),
        durable=subjects.ANALYTICS_METRICS_CONSUMER,
        config=metrics,
        pull_sub=PullSub(batch_size=1, timeout=1.0),  # see above
        ack_policy=AckPolicy.MANUAL,
        no_reply=True,
        max_workers=2,
        title="analytics: voice turn latencies",
        description="Each turn's stages, unique on (session, turn, stage): a redelivery counts once.",
    )
    async def on_metrics(event: TurnMetrics, msg: NatsMessage, ingest: IngestDep) -> None:
        await settle(msg, f"metrics of turn {event.turn_id}", ingest.record_metrics(event))

    return router


async def aggregate(_: AggregateQuery, queries: QueriesDep) -> ToolReply[AggregateResult]:
    """Totals over every interview: per type, per recommendation, per competency."""
    return ToolReply(ok=True, result=await queries.aggregate())


async def benchmarks(query: BenchmarksQuery, queries: QueriesDep) -> ToolReply[BenchmarksResult]:
    """Percentiles of the overall score and of each competency for one interview type."""
    return ToolReply(ok=True, result=await queries.benchmarks(query))


async def trends(query: TrendsQuery, queries: QueriesDep) -> ToolReply[TrendsResult]:
    """Daily average scores over the last `days` and their trend."""
    return ToolReply(ok=True, result=await queries.trends(query))


async def history(query: HistoryQuery, queries: QueriesDep) -> ToolReply[HistoryResult]:
    """One candidate's interviews over time."""
    return ToolReply(ok=True, result=await queries.history(query))


async def voice_latency(_: VoiceLatencyQuery, queries: QueriesDep) -> ToolReply[VoiceLatencyResult]:
    """Percentiles of each voice-turn stage's latency."""
    return ToolReply(ok=True, result=await queries.voice_latency())


# Every request/reply endpoint; the AsyncAPI builder (deploy/api_docs.py) reads the replies' types here.
ENDPOINTS: dict[str, Callable[..., Awaitable[ToolReply[Any]]]] = {
    subjects.ANALYTICS_AGGREGATE: aggregate,
    subjects.ANALYTICS_BENCHMARKS: benchmarks,
    subjects.ANALYTICS_TRENDS: trends,
    subjects.ANALYTICS_HISTORY: history,
    subjects.ANALYTICS_VOICE_LATENCY: voice_latency,
}


def build_query_router() -> NatsRouter:
    router = NatsRouter(middlewares=[reply_errors_middleware()])
    for subject, handler in ENDPOINTS.items():
        router.subscriber(
            subject,
            queue=subjects.ANALYTICS_QUEUE,
            max_workers=4,  # each query waits in a worker thread; the database serves several at once
            title=f"analytics: {subject.removeprefix(subjects.PREFIX + '.analytics.')}",
            description=handler.__doc__,
        )(handler)
    return router

"""The analytics figures: each route asks the analytics service over NATS request/reply (queue group).

Parameters are checked here with the same bounds as the service's request models, so a bad one is a
422 naming it before any message is sent; the service's own refusals (an unknown interview type or
candidate: 404) come back in the contract's error shape.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared import subjects
from shared.analytics_api import (
    MAX_DAYS,
    MAX_NAME_CHARS,
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

router = APIRouter(tags=["analytics"])

QUERY_TIMEOUT_S = 10.0
_UNAVAILABLE = (502, 503, 504)


@router.get("/api/analytics/aggregate", response_model=AggregateResult, responses=errors(*_UNAVAILABLE))
async def aggregate(deps: AppDeps) -> AggregateResult:
    """Every interview so far: count, average score, per type, per recommendation, per competency."""
    return await deps.bus.call_tool(
        subjects.ANALYTICS_AGGREGATE, AggregateQuery(), AggregateResult, QUERY_TIMEOUT_S, service="analytics"
    )


@router.get(
    "/api/analytics/benchmarks/{interview_type}",
    response_model=BenchmarksResult,
    responses=errors(404, *_UNAVAILABLE),
)
async def benchmarks(interview_type: str, deps: AppDeps) -> BenchmarksResult:
    """Percentiles (p25, p50, p75, p90), min, max and average of the overall score and of each
    competency for one interview type (id or display name). An unknown type is 404
    `interview_type_not_found`; a known type without interviews has `count` 0 and null figures."""
    if not 0 < len(interview_type) <= MAX_NAME_CHARS:
        raise ApiError(404, "interview_type_not_found", "No interview type with such a long name.")
    return await deps.bus.call_tool(
        subjects.ANALYTICS_BENCHMARKS,
        BenchmarksQuery(interview_type=interview_type),
        BenchmarksResult,
        QUERY_TIMEOUT_S,
        service="analytics",
    )


@router.get("/api/analytics/trends", response_model=TrendsResult, responses=errors(422, *_UNAVAILABLE))
async def trends(
    deps: AppDeps, days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="the window, ending today")] = 30
) -> TrendsResult:
    """Daily average scores over the last `days` (1-365, UTC days), with the trend (improving, declining
    or stable) and the fitted change across the window."""
    return await deps.bus.call_tool(
        subjects.ANALYTICS_TRENDS, TrendsQuery(days=days), TrendsResult, QUERY_TIMEOUT_S, service="analytics"
    )


@router.get(
    "/api/analytics/candidate/{name}/history",
    response_model=HistoryResult,
    responses=errors(404, *_UNAVAILABLE),
)
async def candidate_history(name: str, deps: AppDeps) -> HistoryResult:
    """One candidate's interviews, oldest first (names match ignoring case and extra spaces). A name with
    no interview is 404 `candidate_not_found`."""
    if not name.strip() or len(name) > MAX_NAME_CHARS:
        raise ApiError(404, "candidate_not_found", "No interview of a candidate with such a name.")
    return await deps.bus.call_tool(
        subjects.ANALYTICS_HISTORY,
        HistoryQuery(candidate_name=name),
        HistoryResult,
        QUERY_TIMEOUT_S,
        service="analytics",
    )


@router.get(
    "/api/analytics/voice-latency", response_model=VoiceLatencyResult, responses=errors(*_UNAVAILABLE)
)
async def voice_latency(deps: AppDeps) -> VoiceLatencyResult:
    """Percentiles (p50, p90, p95, p99), min, max and average of each voice-turn stage, in milliseconds
    (e.g. `speech_end_to_first_audio`), over every recorded turn."""
    return await deps.bus.call_tool(
        subjects.ANALYTICS_VOICE_LATENCY,
        VoiceLatencyQuery(),
        VoiceLatencyResult,
        QUERY_TIMEOUT_S,
        service="analytics",
    )

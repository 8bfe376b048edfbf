"""Use case that reads: the figures the gateway serves as `/api/analytics/*`.

A client's mistake (an unknown interview type, a candidate with no interview) is a DomainError with the
contract's code; the repository runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from services.analytics.domain.rows import candidate_key
from services.analytics.domain.stats import DailyScore, classify, fitted_change
from services.analytics.ports import AnalyticsRepository
from shared.analytics_api import (
    AggregateResult,
    BenchmarksQuery,
    BenchmarksResult,
    HistoryQuery,
    HistoryResult,
    TrendPoint,
    TrendsQuery,
    TrendsResult,
    VoiceLatencyResult,
)
from shared.errors import NotFound
from shared.interview_types import INTERVIEW_TYPES, find_interview_type


def utc_today() -> date:
    return datetime.now(UTC).date()


class Queries:
    def __init__(self, repository: AnalyticsRepository, today: Callable[[], date] = utc_today) -> None:
        self.repository = repository
        self.today = today

    async def aggregate(self) -> AggregateResult:
        return await asyncio.to_thread(self.repository.aggregate)

    async def benchmarks(self, query: BenchmarksQuery) -> BenchmarksResult:
        """An unknown type is 404; a known type with no interview yet has count 0 and null figures."""
        kind = find_interview_type(query.interview_type)
        if kind is None:
            known = ", ".join(t.id for t in INTERVIEW_TYPES)
            raise NotFound(
                f"No interview type {query.interview_type[:80]!r}; known: {known}.",
                code="interview_type_not_found",
            )
        total, stats = await asyncio.to_thread(self.repository.benchmarks, kind.id)
        return BenchmarksResult(
            interview_type=kind.id, interview_type_name=kind.name, total_interviews=total, benchmarks=stats
        )

    async def trends(self, query: TrendsQuery) -> TrendsResult:
        first_day = self.today() - timedelta(days=query.days - 1)
        rows = await asyncio.to_thread(self.repository.daily_scores, first_day)
        points = [DailyScore((day - first_day).days, avg, n) for day, avg, n in rows]
        change = fitted_change(points)
        return TrendsResult(
            days=query.days,
            trend=classify(change),
            change=round(change, 2),
            total_interviews=sum(n for _, _, n in rows),
            data=[
                TrendPoint(date=day.isoformat(), average_score=round(avg, 2), count=n) for day, avg, n in rows
            ],
        )

    async def history(self, query: HistoryQuery) -> HistoryResult:
        """A name with no interview is 404 `candidate_not_found` (names match case- and space-blind)."""
        found = await asyncio.to_thread(self.repository.history, candidate_key(query.candidate_name))
        if found is None:
            raise NotFound(
                f"No interview of a candidate named {query.candidate_name[:80]!r}.",
                code="candidate_not_found",
            )
        return found

    async def voice_latency(self) -> VoiceLatencyResult:
        turns, stages = await asyncio.to_thread(self.repository.voice_latency)
        return VoiceLatencyResult(turns=turns, stages=stages)

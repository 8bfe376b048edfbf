"""The query use case with a fake repository at its port: the window of the trends, the refusals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from services.analytics.queries import Queries
from shared.analytics_api import BenchmarksQuery, HistoryQuery, HistoryResult, ScoreStats, TrendsQuery
from shared.errors import DomainError

TODAY = date(2026, 11, 29)


class FakeRepository:
    def __init__(self, days: Sequence[tuple[date, float, int]] = ()) -> None:
        self.days = list(days)
        self.asked: list[object] = []

    def daily_scores(self, since: date) -> list[tuple[date, float, int]]:
        self.asked.append(since)
        return [d for d in self.days if d[0] >= since]

    def benchmarks(self, interview_type: str) -> tuple[int, dict[str, ScoreStats]]:
        self.asked.append(interview_type)
        return 0, {}

    def history(self, key: str) -> HistoryResult | None:
        self.asked.append(key)
        return None


def queries(repository: FakeRepository) -> Queries:
    return Queries(repository, today=lambda: TODAY)  # type: ignore[arg-type]


async def test_trends_cover_the_last_days_including_today() -> None:
    repository = FakeRepository(
        [(TODAY - timedelta(days=8), 5.0, 4), (TODAY - timedelta(days=4), 6.0, 4), (TODAY, 7.0, 4)]
    )
    result = await queries(repository).trends(TrendsQuery(days=10))
    assert repository.asked == [TODAY - timedelta(days=9)]
    assert (result.trend, result.change, result.total_interviews) == ("improving", 2.0, 12)
    assert [p.date for p in result.data] == ["2026-11-21", "2026-11-25", "2026-11-29"]
    one_day = await queries(repository).trends(TrendsQuery(days=1))
    assert (one_day.trend, one_day.change, len(one_day.data)) == ("stable", 0.0, 1)


async def test_benchmarks_resolve_display_names_and_refuse_unknown_types() -> None:
    repository = FakeRepository()
    result = await queries(repository).benchmarks(BenchmarksQuery(interview_type="AWS Solutions Architect"))
    assert result.interview_type == "aws_sa" and repository.asked == ["aws_sa"]
    with pytest.raises(DomainError) as refused:
        await queries(repository).benchmarks(BenchmarksQuery(interview_type="chef"))
    assert (refused.value.status, refused.value.code) == (404, "interview_type_not_found")


async def test_history_looks_names_up_normalised_and_refuses_strangers() -> None:
    repository = FakeRepository()
    with pytest.raises(DomainError) as refused:
        await queries(repository).history(HistoryQuery(candidate_name="  Grace   HOPPER "))
    assert repository.asked == ["grace hopper"]
    assert (refused.value.status, refused.value.code) == (404, "candidate_not_found")

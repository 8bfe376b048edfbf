"""The service layer's port to the database (`db.repository.SqlRepository`; tests may use fakes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from services.analytics.domain.rows import ReportRow, StageLatency
from shared.analytics_api import AggregateResult, HistoryResult, LatencyStats, ScoreStats


class AnalyticsRepository(Protocol):
    def upsert_reports(self, rows: Sequence[ReportRow]) -> None: ...

    def upsert_stages(self, rows: Sequence[StageLatency]) -> None: ...

    def analyze(self) -> None: ...

    def aggregate(self) -> AggregateResult: ...

    def benchmarks(self, interview_type: str) -> tuple[int, dict[str, ScoreStats]]: ...

    def daily_scores(self, since: date) -> list[tuple[date, float, int]]:
        """(day, average overall score, interviews) for each day since `since` with interviews."""
        ...

    def history(self, key: str) -> HistoryResult | None: ...

    def voice_latency(self) -> tuple[int, dict[str, LatencyStats]]: ...

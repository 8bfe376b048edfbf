"""What each stored row adds to the pre-aggregated figures, so a query reads a few hundred counts instead
of walking 100,000 rows (bench/analytics.py measured both).

A report adds one to its value's count for the overall score and each judged competency (per interview
type), to its recommendation's count, its candidate's count and its day's count and score sum; a report
that replaces an older one first takes the older one's contributions away (sign -1). The counts are exact,
so percentiles from them equal those of the listed values. Voice latencies count per stage and whole
millisecond (their percentiles are exact to the millisecond).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from services.analytics.domain.rows import COMPETENCY_COLUMNS, ReportRow, StageLatency

OVERALL = "overall"
MEASURES: dict[str, str] = {OVERALL: "overall_score"} | dict(COMPETENCY_COLUMNS)  # measure -> row field


def latency_bucket(ms: float) -> int:
    return int(ms + 0.5)  # to the nearest millisecond (latencies are never negative)


@dataclass
class ReportDeltas:
    scores: Counter[tuple[str, str, float]] = field(default_factory=Counter)  # (type, measure, value)
    recommendations: Counter[tuple[str, str]] = field(default_factory=Counter)  # (type, recommendation)
    candidates: Counter[str] = field(default_factory=Counter)
    day_counts: Counter[date] = field(default_factory=Counter)
    day_sums: defaultdict[date, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, row: ReportRow, sign: int = 1) -> None:
        for measure, attribute in MEASURES.items():
            value = getattr(row, attribute)
            if value is not None:
                self.scores[(row.interview_type, measure, float(value))] += sign
        self.recommendations[(row.interview_type, row.recommendation)] += sign
        self.candidates[row.candidate_key] += sign
        self.day_counts[row.day] += sign
        self.day_sums[row.day] += sign * row.overall_score


@dataclass
class LatencyDeltas:
    buckets: Counter[tuple[str, int]] = field(default_factory=Counter)  # (stage, ms)
    turns: int = 0

    def add(self, rows: list[StageLatency], sign: int = 1) -> None:
        for row in rows:
            self.buckets[(row.stage, latency_bucket(row.latency_ms))] += sign

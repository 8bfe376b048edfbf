"""The analytics domain: percentiles as numpy computes them, the trend fit, rows from reports."""

from __future__ import annotations

import random
from datetime import date, datetime

import numpy as np
import pytest

from services.analytics.domain.aggregates import ReportDeltas, latency_bucket
from services.analytics.domain.rows import Unstorable, candidate_key, report_row, stage_rows
from services.analytics.domain.stats import DailyScore, classify, fitted_change, percentile, rank, summarize
from tests.analytics.factories import make_report


@pytest.mark.parametrize("n", [1, 2, 3, 10, 101])
@pytest.mark.parametrize("p", [0, 25, 50, 75, 90, 99, 100])
def test_percentiles_match_numpy_linear(n: int, p: int) -> None:
    values = sorted(random.Random(n * 1000 + p).uniform(0, 10) for _ in range(n))
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_rank_refuses_what_has_no_percentile() -> None:
    with pytest.raises(ValueError):
        rank(0, 50)
    with pytest.raises(ValueError):
        rank(5, 101)


def test_a_steady_rise_is_improving_by_its_fitted_size() -> None:
    points = [DailyScore(day, 5.0 + 0.1 * day, 3) for day in range(0, 30, 3)]
    change = fitted_change(points)
    assert change == pytest.approx(0.1 * 27)
    assert classify(change) == "improving"


def test_a_busy_day_weighs_more_than_a_quiet_one() -> None:
    # One interview scored 9 on the last day cannot outweigh fifty at 5 before it.
    points = [DailyScore(0, 5.0, 50), DailyScore(1, 5.0, 50), DailyScore(2, 9.0, 1)]
    unweighted = [DailyScore(d.day_index, d.average_score, 1) for d in points]
    assert fitted_change(points) < fitted_change(unweighted)


@pytest.mark.parametrize(
    ("points", "trend"),
    [
        ([], "stable"),
        ([DailyScore(4, 9.0, 10)], "stable"),  # one day: no line to fit
        ([DailyScore(0, 7.0, 2), DailyScore(9, 6.9, 2)], "stable"),
        ([DailyScore(0, 8.0, 2), DailyScore(9, 6.0, 2)], "declining"),
    ],
)
def test_trend_classes(points: list[DailyScore], trend: str) -> None:
    assert classify(fitted_change(points)) == trend


def test_a_report_row_normalises_type_name_and_time() -> None:
    report = make_report(
        "s1", interview_type="Google SDE", candidate="  Ada   LOVELACE ", at="2026-11-20T23:30:00-02:00"
    )
    row = report_row(report)
    assert (row.interview_type, row.candidate_name, row.candidate_key) == (
        "google_sde",
        "Ada LOVELACE",
        "ada lovelace",
    )
    assert row.generated_at == datetime(2026, 11, 21, 1, 30) and row.day == date(2026, 11, 21)
    assert candidate_key("ADA lovelace") == row.candidate_key


def test_a_null_competency_stays_null() -> None:
    scores = {"technicalKnowledge": 8.0, "problemSolving": 7.0, "communication": 6.0, "culturalFit": 5.0}
    row = report_row(make_report("s1", scores=scores))  # type: ignore[arg-type]
    assert row.code_quality is None and row.technical_knowledge == 8.0


@pytest.mark.parametrize(
    "report",
    [make_report("x" * 65), make_report("s1", at="yesterday")],
)
def test_reports_no_row_can_hold_are_unstorable(report: object) -> None:
    with pytest.raises(Unstorable):
        report_row(report)  # type: ignore[arg-type]


def test_stage_rows_leave_out_what_no_stage_could_be() -> None:
    stages = {"speech_end_to_first_audio": 812.5, "negative": -1.0, "nan": float("nan"), "Bad Name": 3.0}
    rows = stage_rows("s1", "t1", stages, 1_795_000_000.0)
    assert [(r.stage, r.latency_ms) for r in rows] == [("speech_end_to_first_audio", 812.5)]
    with pytest.raises(Unstorable):
        stage_rows("s1", "t" * 65, stages, 0.0)


@pytest.mark.parametrize("seed", range(5))
def test_a_histogram_summarizes_as_its_listed_values(seed: int) -> None:
    rng = random.Random(seed)
    histogram = sorted({round(rng.uniform(0, 10), 1): rng.randrange(0, 5) for _ in range(40)}.items())
    listed = [value for value, n in histogram for _ in range(n)]
    summary = summarize(histogram, (25, 50, 90, 99))
    assert summary is not None and summary.count == len(listed)
    for p in (25, 50, 90, 99):
        assert summary.percentiles[p] == pytest.approx(float(np.percentile(listed, p)))
    assert (summary.minimum, summary.maximum) == (min(listed), max(listed))
    assert summary.mean == pytest.approx(float(np.mean(listed)))
    assert summarize([(1.0, 0)], (50,)) is None


def test_a_report_taken_away_leaves_no_count() -> None:
    deltas = ReportDeltas()
    row = report_row(make_report("s1", overall=6.5))
    deltas.add(row)
    assert deltas.scores[("google_sde", "overall", 6.5)] == 1 and deltas.day_sums[row.day] == 6.5
    deltas.add(row, -1)
    assert not any(deltas.scores.values()) and not any(deltas.candidates.values())
    assert latency_bucket(812.5) == 813 and latency_bucket(0.4) == 0

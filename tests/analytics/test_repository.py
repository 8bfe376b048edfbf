"""The repository on SQLite and on a real PostgreSQL server (the `engine` fixture runs each test on both):
upserts count a redelivery once, and every figure equals the one computed here from the same reports."""

from __future__ import annotations

import random
import statistics
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select

from services.analytics.db import migrations
from services.analytics.db.repository import INTERVIEWS, STAGES, SqlRepository
from services.analytics.db.schema import Base
from services.analytics.domain.rows import candidate_key, report_row, stage_rows
from services.analytics.domain.stats import percentile
from shared.report import WEIGHTS, PerformanceReport
from tests.analytics.factories import make_report

DAY0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def load(repo: SqlRepository, reports: list[PerformanceReport]) -> None:
    repo.upsert_reports([report_row(r) for r in reports])


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_the_migrated_schema_is_the_models_schema(engine: Engine) -> None:
    """A model changed without a migration (or the reverse) fails here."""
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert migrations.upgrade(engine) == migrations.head() == "0001"  # again: nothing to do


def test_a_redelivered_report_counts_once_and_only_a_newer_one_replaces_it(engine: Engine) -> None:
    repo = SqlRepository(engine)
    first = make_report("s1", overall=6.0, at=DAY0)
    load(repo, [first, first])
    load(repo, [first])
    assert count(engine, INTERVIEWS) == 1
    load(repo, [make_report("s1", overall=4.0, at=DAY0 - timedelta(hours=1))])  # older: ignored
    assert repo.aggregate().average_score == 6.0
    load(repo, [make_report("s1", overall=8.0, at=DAY0 + timedelta(hours=1))])
    assert (repo.aggregate().total_interviews, repo.aggregate().average_score) == (1, 8.0)


def test_redelivered_metrics_count_once(engine: Engine) -> None:
    repo = SqlRepository(engine)
    rows = stage_rows("s1", "t1", {"turn_to_first_token": 300.0, "speech_end_to_first_audio": 900.0}, 1e9)
    repo.upsert_stages(rows)
    repo.upsert_stages(rows)
    assert count(engine, STAGES) == 2
    turns, stages = repo.voice_latency()
    assert turns == 1 and stages["turn_to_first_token"].count == 1


def random_reports(n: int, seed: int) -> list[PerformanceReport]:
    rng = random.Random(seed)
    reports = []
    for i in range(n):
        scores = {name: round(rng.uniform(0, 10), 1) for name in WEIGHTS}
        if i % 3 == 0:
            scores["codeQuality"] = None  # type: ignore[assignment]
        reports.append(
            make_report(
                f"s{i:04d}",
                interview_type=rng.choice(["google_sde", "behavioral", "Coding"]),
                candidate=rng.choice(["Ada", "Grace Hopper", "ada", "Linus"]),
                overall=round(rng.uniform(0, 10), 1),
                at=DAY0 + timedelta(hours=rng.randrange(0, 24 * 20)),
                recommendation=rng.choice(["HIRE", "NO_HIRE", "LEAN_HIRE"]),
                scores=scores,  # type: ignore[arg-type]
            )
        )
    return reports


def test_aggregate_equals_the_figures_computed_from_the_reports(engine: Engine) -> None:
    repo = SqlRepository(engine)
    reports = random_reports(200, seed=1)
    load(repo, reports)
    result = repo.aggregate()
    assert result.total_interviews == 200
    assert result.average_score == pytest.approx(statistics.mean(r.overall_score for r in reports), abs=0.005)
    assert result.unique_candidates == 3  # "Ada" and "ada" are one candidate
    assert set(result.by_interview_type) == {"google_sde", "behavioral", "coding"}
    coding = [r.overall_score for r in reports if r.interview_type == "Coding"]
    assert result.by_interview_type["coding"].count == len(coding)
    assert sum(result.recommendations.values()) == 200 and result.recommendations["STRONG_HIRE"] == 0
    judged = [r.scores["codeQuality"] for r in reports if r.scores["codeQuality"] is not None]
    assert len(judged) < 200  # the nulls are left out of the average, not counted as 0
    assert result.competency_averages["codeQuality"] == pytest.approx(statistics.mean(judged), abs=0.005)  # type: ignore[type-var]


def test_benchmarks_are_the_exact_percentiles_of_the_type(engine: Engine) -> None:
    repo = SqlRepository(engine)
    reports = random_reports(300, seed=2)
    load(repo, reports)
    total, stats = repo.benchmarks("behavioral")
    behavioral = [r for r in reports if r.interview_type == "behavioral"]
    overall = sorted(r.overall_score for r in behavioral)
    assert total == len(behavioral) == stats["overall"].count
    for p in (25, 50, 75, 90):
        assert getattr(stats["overall"], f"p{p}") == pytest.approx(percentile(overall, p), abs=0.005)
    assert (stats["overall"].min, stats["overall"].max) == (overall[0], overall[-1])
    code = sorted(s for r in behavioral if (s := r.scores["codeQuality"]) is not None)
    assert stats["codeQuality"].count == len(code)
    assert stats["codeQuality"].p50 == pytest.approx(percentile(code, 50), abs=0.005)


def test_a_type_without_interviews_has_count_0_and_null_figures(engine: Engine) -> None:
    total, stats = SqlRepository(engine).benchmarks("aws_sa")
    assert total == 0 and stats["overall"].p50 is None and stats["overall"].average is None


def test_daily_scores_since_a_day(engine: Engine) -> None:
    repo = SqlRepository(engine)
    load(
        repo,
        [
            make_report("a", overall=4.0, at=DAY0),
            make_report("b", overall=6.0, at=DAY0 + timedelta(hours=3)),
            make_report("c", overall=9.0, at=DAY0 + timedelta(days=2)),
            make_report("old", overall=1.0, at=DAY0 - timedelta(days=1)),
        ],
    )
    assert repo.daily_scores(date(2026, 11, 1)) == [(date(2026, 11, 1), 5.0, 2), (date(2026, 11, 3), 9.0, 1)]


def test_history_of_a_candidate_whatever_the_case_of_the_name(engine: Engine) -> None:
    repo = SqlRepository(engine)
    load(
        repo,
        [
            make_report("a", candidate="Grace Hopper", overall=5.0, at=DAY0),
            make_report("b", candidate="grace  hopper", overall=8.0, at=DAY0 + timedelta(days=3)),
            make_report(
                "c",
                candidate="GRACE HOPPER",
                overall=7.0,
                at=DAY0 + timedelta(days=1),
                interview_type="coding",
            ),
            make_report("d", candidate="Ada", overall=9.0, at=DAY0),
        ],
    )
    history = repo.history("grace hopper")
    assert history is not None
    assert [p.session_id for p in history.scores_over_time] == ["a", "c", "b"]
    assert (history.total_interviews, history.best_score, history.latest_score) == (3, 8.0, 8.0)
    assert history.improvement == 3.0 and history.average_score == pytest.approx(6.67)
    assert history.candidate_name == "grace hopper"  # as written in the latest report
    assert history.by_interview_type["coding"].count == 1
    assert history.scores_over_time[0].date == "2026-11-01T09:00:00Z"
    assert repo.history("nobody") is None


def test_voice_latency_percentiles_per_stage(engine: Engine) -> None:
    repo = SqlRepository(engine)
    rng = random.Random(3)
    latencies = [rng.uniform(200, 3000) for _ in range(250)]
    rows = [
        row
        for i, ms in enumerate(latencies)
        for row in stage_rows(
            "s", f"t{i}", {"speech_end_to_first_audio": ms, "turn_to_first_token": ms / 2}, 1e9
        )
    ]
    repo.upsert_stages(rows)
    repo.upsert_stages(rows[:100])  # redelivered: nothing changes
    turns, stages = repo.voice_latency()
    ordered = sorted(round(ms) for ms in latencies)  # counted to the nearest millisecond
    assert turns == 250
    stage = stages["speech_end_to_first_audio"]
    assert stage.count == 250
    for p in (50, 90, 95, 99):
        assert getattr(stage, f"p{p}") == pytest.approx(percentile(ordered, p), abs=0.05)
    assert (stage.min, stage.max) == (ordered[0], ordered[-1])
    assert stage.average == pytest.approx(statistics.mean(ordered), abs=0.05)


def test_a_turn_measured_again_replaces_its_stages(engine: Engine) -> None:
    repo = SqlRepository(engine)
    repo.upsert_stages(
        stage_rows("s", "t", {"turn_to_first_token": 100.0, "speech_end_to_transcript": 50.0}, 1e9)
    )
    repo.upsert_stages(stage_rows("s", "t", {"turn_to_first_token": 300.0}, 1e9))
    turns, stages = repo.voice_latency()
    assert turns == 1 and set(stages) == {"turn_to_first_token"}
    assert stages["turn_to_first_token"].p50 == 300.0 and stages["turn_to_first_token"].count == 1


def test_a_replacing_report_moves_every_count(engine: Engine) -> None:
    repo = SqlRepository(engine)
    load(repo, [make_report("s1", interview_type="coding", candidate="Ada", overall=3.0, at=DAY0)])
    newer = DAY0 + timedelta(days=2)
    load(repo, [make_report("s1", interview_type="behavioral", candidate="Grace", overall=9.0, at=newer)])
    result = repo.aggregate()
    assert set(result.by_interview_type) == {"behavioral"} and result.unique_candidates == 1
    assert result.recommendations["HIRE"] == 1
    assert repo.benchmarks("coding")[0] == 0 and repo.benchmarks("behavioral")[1]["overall"].p50 == 9.0
    assert repo.daily_scores(DAY0.date()) == [(newer.date(), 9.0, 1)]
    assert repo.history("ada") is None


def test_concurrent_writers_count_each_report_once(engine: Engine) -> None:
    repo = SqlRepository(engine)
    reports = random_reports(60, seed=4)

    def deliver(seed: int) -> None:  # every replica gets every event, in its own order, one by one
        for report in random.Random(seed).sample(reports, len(reports)):
            load(repo, [report])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(deliver, range(4)))
    result = repo.aggregate()
    assert result.total_interviews == 60 == sum(result.recommendations.values())
    assert result.average_score == pytest.approx(statistics.mean(r.overall_score for r in reports), abs=0.005)


def test_text_no_database_takes_is_cleaned_not_a_crash(engine: Engine) -> None:
    repo = SqlRepository(engine)
    load(repo, [make_report("s1", candidate="Ada\x00 Lovelace\ud800")])
    assert repo.history(candidate_key("ada\x00 lovelace\ud800")) is not None
    assert repo.history(candidate_key("\x00")) is None

"""Analytics query latency and ingest rate on SQLite and PostgreSQL, with 100,000 synthetic reports.

    python bench/analytics.py [--reports 100000] [--turns 20000] [--runs 9] [--database sqlite postgresql]
                              [--postgres-url postgresql://...]

Loads synthetic reports (8 interview types in uneven shares, dates over the past year, about 20
interviews per candidate name, null code-quality scores where a behavioral interview has no code) and
voice-turn metrics into a fresh, migrated database, then prints for each endpoint's query the median
over `--runs` runs, both through the service layer (`Queries`, as the NATS handler calls it: the query
runs in a worker thread) and on the repository directly (the thread hop's cost is the difference).
Ingest: the bulk rate (the rebuild's batched upserts) and the event rate (one report a transaction, as
the consumer stores them). Without `--postgres-url`, PostgreSQL is the one the tests start (Debian's
package, see tests/analytics/postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.analytics.db import migrations
from services.analytics.db.repository import SqlRepository, engine_for
from services.analytics.domain.rows import StageLatency, report_row, stage_rows
from services.analytics.ingest import Ingest
from services.analytics.queries import Queries
from shared.analytics_api import BenchmarksQuery, HistoryQuery, TrendsQuery
from shared.interview_types import INTERVIEW_TYPES
from shared.report import WEIGHTS, CompetencyScore, Judge, PerformanceReport, Recommendation

TYPE_SHARES = [0.22, 0.18, 0.12, 0.1, 0.06, 0.06, 0.16, 0.1]  # google, amazon, ... behavioral, coding
STAGES = {
    "speech_end_to_transcript": (150, 60),
    "transcript_to_first_token": (450, 200),
    "turn_to_first_token": (600, 220),
    "first_token_to_first_sentence": (300, 120),
    "first_sentence_to_first_audio": (350, 90),
    "first_token_to_first_audio": (650, 160),
    "speech_end_to_first_audio": (1250, 300),
}


def recommendation(score: float) -> Recommendation:
    for floor, name in ((8.5, "STRONG_HIRE"), (7.0, "HIRE"), (5.5, "LEAN_HIRE"), (4.0, "LEAN_NO_HIRE")):
        if score >= floor:
            return name  # type: ignore[return-value]
    return "NO_HIRE"


def synthetic_report(i: int, rng: random.Random, now: datetime, candidates: int) -> PerformanceReport:
    kind = rng.choices(INTERVIEW_TYPES, TYPE_SHARES)[0]
    age_days = rng.uniform(0, 365)
    # Candidates improve a little over the year, so the trend is not flat.
    base = rng.gauss(5.8 + 0.8 * (1 - age_days / 365), 1.6)
    scores: dict[str, float | None] = {
        name: round(min(10.0, max(0.0, base + rng.gauss(0, 1))), 1) for name in WEIGHTS
    }
    if kind.id == "behavioral":
        scores["codeQuality"] = None
    overall = round(min(10.0, max(0.0, base)), 1)
    return PerformanceReport(
        session_id=f"{i:032x}",
        interview_type=kind.name if i % 2 else kind.id,
        candidate_name=f"Candidate {rng.randrange(candidates)}",
        generated_at=(now - timedelta(days=age_days)).isoformat(),
        overall_score=overall,
        scores=scores,  # type: ignore[arg-type]
        competencies={
            name: CompetencyScore(score=scores[name], weight=w, applied_weight=w, reason="synthetic")
            for name, w in WEIGHTS.items()
        },
        evidence={},
        strengths=[],
        improvements=[],
        recommendation=recommendation(overall),
        summary="synthetic",
        questions=[],
        judge=Judge(kind="rubric", version="bench"),
    )


def synthetic_stages(turns: int, rng: random.Random) -> list[StageLatency]:
    rows: list[StageLatency] = []
    start = time.time() - 30 * 86400
    for t in range(turns):
        stages = {name: max(1.0, rng.gauss(mu, sigma)) for name, (mu, sigma) in STAGES.items()}
        rows += stage_rows(f"{t // 12:032x}", f"{t:032x}", stages, start + t * 60)
    return rows


def median_ms(run: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def median_ms_async(run: Callable[[], Awaitable[Any]], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def bench_database(name: str, engine: Engine, args: argparse.Namespace) -> None:
    migrations.upgrade(engine)
    repo = SqlRepository(engine)
    rng = random.Random(7)
    now = datetime.now(UTC)
    print(f"\n== {name}: {engine.url.render_as_string()}", flush=True)

    started = time.perf_counter()
    reports = [synthetic_report(i, rng, now, args.reports // 20) for i in range(args.reports)]
    rows = [report_row(r) for r in reports]
    built_s = time.perf_counter() - started
    started = time.perf_counter()
    repo.upsert_reports(rows)
    bulk_s = time.perf_counter() - started
    repo.upsert_stages(synthetic_stages(args.turns, rng))
    repo.analyze()
    print(
        f"ingest, bulk (rebuild):      {len(rows) / bulk_s:10.0f} reports/s  ({len(rows)} in {bulk_s:.1f} s; "
        f"building the reports and rows took {built_s:.1f} s more)"
    )
    ingest = Ingest(repo)
    sample = reports[: args.events]  # redelivered copies of stored reports: the upsert path in full
    started = time.perf_counter()
    for report in sample:
        await ingest.record_report(report)
    events_s = time.perf_counter() - started
    print(f"ingest, one event at a time: {len(sample) / events_s:10.0f} reports/s  ({len(sample)} events)")

    queries = Queries(repo)
    busiest = max(
        {r.candidate_key for r in rows[:2000]},
        key=lambda k: sum(1 for r in rows[:2000] if r.candidate_key == k),
    )
    since_30 = now.date() - timedelta(days=29)
    since_365 = now.date() - timedelta(days=364)
    cases: list[tuple[str, Callable[[], Awaitable[Any]], Callable[[], Any]]] = [
        ("GET /api/analytics/aggregate", queries.aggregate, repo.aggregate),
        (
            "GET /api/analytics/benchmarks/google_sde",
            lambda: queries.benchmarks(BenchmarksQuery(interview_type="google_sde")),
            lambda: repo.benchmarks("google_sde"),
        ),
        (
            "GET /api/analytics/trends?days=30",
            lambda: queries.trends(TrendsQuery(days=30)),
            lambda: repo.daily_scores(since_30),
        ),
        (
            "GET /api/analytics/trends?days=365",
            lambda: queries.trends(TrendsQuery(days=365)),
            lambda: repo.daily_scores(since_365),
        ),
        (
            "GET /api/analytics/candidate/{name}/history",
            lambda: queries.history(HistoryQuery(candidate_name=busiest)),
            lambda: repo.history(busiest),
        ),
        ("GET /api/analytics/voice-latency", queries.voice_latency, repo.voice_latency),
    ]
    print(f"{'query (median of ' + str(args.runs) + ' runs)':<46}{'service':>10}{'repository':>12}")
    for label, service_call, repo_call in cases:
        await service_call()  # warm: the first run pays the connection and the page cache
        service = await median_ms_async(service_call, args.runs)
        direct = median_ms(repo_call, args.runs)
        flag = "" if service <= 50 else "   over the 50 ms goal"
        print(f"{label:<46}{service:8.1f} ms{direct:9.1f} ms{flag}", flush=True)


@contextlib.contextmanager
def postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from tests.analytics.postgres import postgres_server

    with postgres_server() as server:
        admin = engine_for(server).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE analytics_bench"))
        admin.dispose()
        yield server.rsplit("/", 1)[0] + "/analytics_bench"


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=20_000, help="voice turns, 7 stages each")
    parser.add_argument("--events", type=int, default=2000, help="reports ingested one event at a time")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--database", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--postgres-url", help="an empty database to fill (default: start a local server)")
    args = parser.parse_args()
    if "sqlite" in args.database:
        folder = Path(tempfile.mkdtemp(prefix="prepai-analytics-bench-"))
        engine = engine_for(f"sqlite:///{folder / 'analytics.db'}")
        await bench_database("SQLite", engine, args)
        engine.dispose()
    if "postgresql" in args.database:
        with postgres(args.postgres_url) as url:
            engine = engine_for(url)
            await bench_database("PostgreSQL", engine, args)
            engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())

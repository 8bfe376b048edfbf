"""The analytics repository on SQLAlchemy 2 (Core statements over the typed schema): SQLite or PostgreSQL.

Synchronous on purpose: each query is a handful of index lookups that take well under a millisecond,
and the service runs them in a worker thread (`asyncio.to_thread`), so the event loop never waits on
the database. That keeps one driver per database (the standard sqlite3 module, psycopg) and no greenlet
bridge; bench/analytics.py measures the result.

Writes are upserts keyed as the events are (a report by session, a stage by session, turn and stage), so
a redelivered event changes nothing; a report replaces its row only with a report as new or newer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from services.analytics.domain.rows import COMPETENCY_COLUMNS, ReportRow, StageLatency
from services.analytics.domain.stats import interpolate, rank
from shared.analytics_api import (
    MAX_HISTORY_POINTS,
    AggregateResult,
    HistoryPoint,
    HistoryResult,
    LatencyStats,
    ScoreStats,
    TypeSummary,
)
from shared.report import Recommendation

from .schema import Interview
from .schema import StageLatency as StageLatencyRow

INTERVIEWS: Table = Interview.__table__  # type: ignore[assignment]
STAGES: Table = StageLatencyRow.__table__  # type: ignore[assignment]
RECOMMENDATIONS: tuple[Recommendation, ...] = ("STRONG_HIRE", "HIRE", "LEAN_HIRE", "LEAN_NO_HIRE", "NO_HIRE")
BENCHMARK_PERCENTILES = (25, 50, 75, 90)
LATENCY_PERCENTILES = (50, 90, 95, 99)
BATCH_ROWS = 1000  # rows per multi-row INSERT: well under both databases' parameter limits


def engine_for(url: str) -> Engine:
    """An engine for a SQLAlchemy URL (nothing connects yet): `postgresql://` uses psycopg 3; a SQLite file
    runs in WAL mode (readers never wait for the writer; replicas on one host share it)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, pool_size=4, max_overflow=4)
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(
        "PRAGMA synchronous=NORMAL"
    )  # WAL keeps the file consistent; a crash may lose the last commit
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


class SqlRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert: Callable[[Table], Any] = (
            postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        )

    # --- writes ----------------------------------------------------------------------------------------

    def upsert_reports(self, rows: Sequence[ReportRow]) -> None:
        if not rows:
            return
        stmt = self._insert(INTERVIEWS)
        newer = stmt.excluded.generated_at >= INTERVIEWS.c.generated_at
        stmt = stmt.on_conflict_do_update(
            index_elements=[INTERVIEWS.c.session_id],
            set_={c.name: stmt.excluded[c.name] for c in INTERVIEWS.c if c.name != "session_id"},
            where=newer,
        )
        with self.engine.begin() as conn:
            for start in range(0, len(rows), BATCH_ROWS):
                conn.execute(stmt, [dataclasses.asdict(r) for r in rows[start : start + BATCH_ROWS]])

    def upsert_stages(self, rows: Sequence[StageLatency]) -> None:
        if not rows:
            return
        stmt = self._insert(STAGES)
        stmt = stmt.on_conflict_do_update(
            index_elements=[STAGES.c.session_id, STAGES.c.turn_id, STAGES.c.stage],
            set_={"latency_ms": stmt.excluded.latency_ms, "recorded_at": stmt.excluded.recorded_at},
        )
        with self.engine.begin() as conn:
            for start in range(0, len(rows), BATCH_ROWS):
                conn.execute(stmt, [dataclasses.asdict(r) for r in rows[start : start + BATCH_ROWS]])

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk load, so the indexes are chosen at once)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    # --- queries ---------------------------------------------------------------------------------------

    def aggregate(self) -> AggregateResult:
        c = INTERVIEWS.c
        with self.engine.connect() as conn:
            totals = conn.execute(
                select(
                    func.count(),
                    func.avg(c.overall_score),
                    *(func.avg(c[col]) for col in COMPETENCY_COLUMNS.values()),
                )
            ).one()
            candidates = conn.execute(select(func.count(c.candidate_key.distinct()))).scalar_one()
            by_type = conn.execute(
                select(c.interview_type, func.count(), func.avg(c.overall_score)).group_by(c.interview_type)
            ).all()
            recommendations: dict[str, int] = {
                str(r): int(n)
                for r, n in conn.execute(select(c.recommendation, func.count()).group_by(c.recommendation))
            }
        return AggregateResult(
            total_interviews=totals[0],
            average_score=_round(totals[1]),
            unique_candidates=candidates,
            by_interview_type={t: TypeSummary(count=n, average_score=_round(a)) for t, n, a in by_type},
            recommendations={r: int(recommendations.get(r, 0)) for r in RECOMMENDATIONS},
            competency_averages={name: _round(totals[2 + i]) for i, name in enumerate(COMPETENCY_COLUMNS)},
        )

    def benchmarks(self, interview_type: str) -> tuple[int, dict[str, ScoreStats]]:
        """The interviews of the type, and the stats of the overall score and of each competency."""
        columns: dict[str, str] = {"overall": "overall_score"} | dict(COMPETENCY_COLUMNS)
        where = INTERVIEWS.c.interview_type == interview_type
        with self.engine.connect() as conn:
            stats = {name: self._score_stats(conn, INTERVIEWS.c[col], where) for name, col in columns.items()}
        return stats["overall"].count, stats

    def _score_stats(self, conn: Connection, column: Any, where: ColumnElement[bool]) -> ScoreStats:
        n, low, high, mean = conn.execute(
            select(func.count(column), func.min(column), func.max(column), func.avg(column)).where(where)
        ).one()
        values = self._percentiles(conn, column, where, n, BENCHMARK_PERCENTILES)
        return ScoreStats(
            count=n,
            p25=_round(values.get(25)),
            p50=_round(values.get(50)),
            p75=_round(values.get(75)),
            p90=_round(values.get(90)),
            min=_round(low),
            max=_round(high),
            average=_round(mean),
        )

    @staticmethod
    def _percentiles(
        conn: Connection, column: Any, where: ColumnElement[bool], n: int, ps: Sequence[int]
    ) -> dict[int, float]:
        """Each percentile from the (at most) two values around its rank, read through the index on
        (filter, column): a query walks the index to the rank and ships two numbers."""
        found: dict[int, float] = {}
        if n == 0:
            return found
        for p in ps:
            at = rank(n, p)
            pair = (
                conn.execute(
                    select(column)
                    .where(where, column.is_not(None))
                    .order_by(column)
                    .limit(2)
                    .offset(at.lower)
                )
                .scalars()
                .all()
            )
            found[p] = interpolate(at, pair[0], pair[1] if len(pair) > 1 else None)
        return found

    def daily_scores(self, since: date) -> list[tuple[date, float, int]]:
        c = INTERVIEWS.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.day, func.avg(c.overall_score), func.count())
                .where(c.day >= since)
                .group_by(c.day)
                .order_by(c.day)
            ).all()
        return [(_as_date(day), float(avg), int(n)) for day, avg, n in rows]

    def history(self, key: str) -> HistoryResult | None:
        c = INTERVIEWS.c
        where = c.candidate_key == key
        with self.engine.connect() as conn:
            n, mean, best = conn.execute(
                select(func.count(), func.avg(c.overall_score), func.max(c.overall_score)).where(where)
            ).one()
            if n == 0:
                return None
            first = conn.execute(
                select(c.overall_score).where(where).order_by(c.generated_at, c.session_id).limit(1)
            ).scalar_one()
            recent = conn.execute(
                select(
                    c.session_id,
                    c.generated_at,
                    c.interview_type,
                    c.overall_score,
                    c.recommendation,
                    c.candidate_name,
                )
                .where(where)
                .order_by(c.generated_at.desc(), c.session_id.desc())
                .limit(MAX_HISTORY_POINTS)
            ).all()
            by_type = conn.execute(
                select(c.interview_type, func.count(), func.avg(c.overall_score))
                .where(where)
                .group_by(c.interview_type)
            ).all()
        points = [
            HistoryPoint(
                session_id=sid,
                date=at.isoformat() + "Z",
                interview_type=kind,
                overall_score=score,
                recommendation=rec,
            )
            for sid, at, kind, score, rec, _ in reversed(recent)
        ]
        return HistoryResult(
            candidate_name=recent[0].candidate_name,
            total_interviews=n,
            average_score=round(float(mean), 2),
            best_score=float(best),
            latest_score=points[-1].overall_score,
            improvement=round(points[-1].overall_score - float(first), 2),
            by_interview_type={t: TypeSummary(count=k, average_score=_round(a)) for t, k, a in by_type},
            scores_over_time=points,
        )

    def voice_latency(self) -> tuple[int, dict[str, LatencyStats]]:
        c = STAGES.c
        with self.engine.connect() as conn:
            turns = conn.execute(
                select(func.count()).select_from(select(c.session_id, c.turn_id).distinct().subquery())
            ).scalar_one()
            per_stage = conn.execute(
                select(
                    c.stage,
                    func.count(),
                    func.min(c.latency_ms),
                    func.max(c.latency_ms),
                    func.avg(c.latency_ms),
                ).group_by(c.stage)
            ).all()
            stages = {}
            for stage, n, low, high, mean in per_stage:
                values = self._percentiles(conn, c.latency_ms, c.stage == stage, n, LATENCY_PERCENTILES)
                stages[stage] = LatencyStats(
                    count=n,
                    p50=round(values[50], 1),
                    p90=round(values[90], 1),
                    p95=round(values[95], 1),
                    p99=round(values[99], 1),
                    min=round(float(low), 1),
                    max=round(float(high), 1),
                    average=round(float(mean), 1),
                )
        return turns, stages


def _as_date(value: date | str) -> date:
    # SQLite hands a grouped DATE column back as its text.
    return value if isinstance(value, date) else date.fromisoformat(value)

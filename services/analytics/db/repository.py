"""The analytics repository on SQLAlchemy 2 (Core statements over the typed schema): SQLite or PostgreSQL.

Synchronous on purpose: each query reads a few hundred pre-aggregated counts or walks one index, and the
service runs it in a worker thread (`asyncio.to_thread`), so the event loop never waits on the database.
That keeps one driver per database (the standard sqlite3 module, psycopg) and no greenlet bridge;
bench/analytics.py measures the thread hop (well under a millisecond).

Writes are keyed as the events are (a report by session, a stage by session, turn and stage), so a
redelivered event changes nothing, and a report replaces its row only with one as new or newer. A write
updates the rows and the counts they contribute to in one transaction, one writer at a time (SQLite:
`BEGIN IMMEDIATE`; PostgreSQL: an advisory lock), so concurrent replicas never count a row twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, func, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from services.analytics.domain.aggregates import MEASURES, OVERALL, LatencyDeltas, ReportDeltas
from services.analytics.domain.rows import COMPETENCY_COLUMNS, ReportRow, StageLatency
from services.analytics.domain.stats import Summary, summarize
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

from . import schema


def _table(model: type[schema.Base]) -> Table:
    table: Table = model.__table__  # type: ignore[assignment]
    return table


INTERVIEWS = _table(schema.Interview)
STAGES = _table(schema.StageLatency)
SCORES = _table(schema.ScoreCount)
RECOMMENDATION_COUNTS = _table(schema.RecommendationCount)
CANDIDATES = _table(schema.CandidateCount)
DAYS = _table(schema.DailyScore)
BUCKETS = _table(schema.LatencyBucket)
COUNTERS = _table(schema.Counter)

RECOMMENDATIONS: tuple[Recommendation, ...] = ("STRONG_HIRE", "HIRE", "LEAN_HIRE", "LEAN_NO_HIRE", "NO_HIRE")
BENCHMARK_PERCENTILES = (25, 50, 75, 90)
LATENCY_PERCENTILES = (50, 90, 95, 99)
BATCH_ROWS = 500  # rows per multi-row statement: well under both databases' parameter limits
_WRITE_LOCK = 0x50524550414E4C59 % 2**63  # PostgreSQL advisory lock: one analytics writer at a time
_WRITE = "prepai_write"  # execution option: this SQLite transaction writes (BEGIN IMMEDIATE)


def engine_for(url: str) -> Engine:
    """An engine for a SQLAlchemy URL (nothing connects yet): `postgresql://` uses psycopg 3; a SQLite file
    runs in WAL mode (readers never wait for the writer; replicas on one host share it)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, pool_size=4, max_overflow=4)
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event starts transactions (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last commit
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock first: two writers that both read then write would deadlock.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH_ROWS):
        yield items[start : start + BATCH_ROWS]


def _score_stats(summary: Summary | None) -> ScoreStats:
    if summary is None:
        return ScoreStats(count=0, p25=None, p50=None, p75=None, p90=None, min=None, max=None, average=None)
    p = summary.percentiles
    return ScoreStats(
        count=summary.count,
        p25=_round(p[25]),
        p50=_round(p[50]),
        p75=_round(p[75]),
        p90=_round(p[90]),
        min=_round(summary.minimum),
        max=_round(summary.maximum),
        average=_round(summary.mean),
    )


class SqlRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._insert: Callable[[Table], Any] = postgresql.insert if self._postgres else sqlite.insert

    # --- writes ----------------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.execution_options(**{_WRITE: True}).begin() as conn:
            if self._postgres:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})
            yield conn

    def upsert_reports(self, rows: Sequence[ReportRow]) -> None:
        newest: dict[str, ReportRow] = {}
        for row in rows:
            if row.session_id not in newest or newest[row.session_id].generated_at <= row.generated_at:
                newest[row.session_id] = row
        with self._writing() as conn:
            stored = self._stored_reports(conn, list(newest))
            deltas, kept = ReportDeltas(), []
            for row in newest.values():
                old = stored.get(row.session_id)
                if old is not None and old.generated_at > row.generated_at:
                    continue  # an older report arrived late: the newer one stays
                if old is not None:
                    deltas.add(old, -1)
                deltas.add(row)
                kept.append(row)
            self._upsert_rows(conn, kept)
            self._apply_report_deltas(conn, deltas)

    def _stored_reports(self, conn: Connection, session_ids: list[str]) -> dict[str, ReportRow]:
        stored = {}
        for chunk in _chunks(session_ids):
            for found in conn.execute(
                select(INTERVIEWS).where(INTERVIEWS.c.session_id.in_(chunk))
            ).mappings():
                stored[found["session_id"]] = ReportRow(**found)
        return stored

    def _upsert_rows(self, conn: Connection, rows: list[ReportRow]) -> None:
        if not rows:
            return
        stmt = self._insert(INTERVIEWS)
        stmt = stmt.on_conflict_do_update(
            index_elements=[INTERVIEWS.c.session_id],
            set_={c.name: stmt.excluded[c.name] for c in INTERVIEWS.c if c.name != "session_id"},
        )
        for chunk in _chunks(rows):
            conn.execute(stmt, [dataclasses.asdict(r) for r in chunk])

    def _add_counts(self, conn: Connection, table: Table, rows: list[dict[str, Any]], *sums: str) -> None:
        """Add each row's `count` (and `sums`) to the stored ones: created at the first, else added to."""
        rows = [r for r in rows if r["count"] != 0 or any(r[s] != 0 for s in sums)]
        if not rows:
            return
        stmt = self._insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={name: table.c[name] + stmt.excluded[name] for name in ("count", *sums)},
        )
        for chunk in _chunks(rows):
            conn.execute(stmt, list(chunk))

    def _apply_report_deltas(self, conn: Connection, deltas: ReportDeltas) -> None:
        self._add_counts(
            conn,
            SCORES,
            [
                {"interview_type": t, "measure": m, "value": v, "count": n}
                for (t, m, v), n in deltas.scores.items()
            ],
        )
        self._add_counts(
            conn,
            RECOMMENDATION_COUNTS,
            [
                {"interview_type": t, "recommendation": r, "count": n}
                for (t, r), n in deltas.recommendations.items()
            ],
        )
        self._add_counts(
            conn, CANDIDATES, [{"candidate_key": k, "count": n} for k, n in deltas.candidates.items()]
        )
        days = [{"day": d, "count": n, "score_sum": deltas.day_sums[d]} for d, n in deltas.day_counts.items()]
        self._add_counts(conn, DAYS, days, "score_sum")

    def upsert_stages(self, rows: Sequence[StageLatency]) -> None:
        """Each turn's stages replace the ones stored for it (a redelivery: the same ones)."""
        turns = sorted({(r.session_id, r.turn_id) for r in rows})
        if not turns:
            return
        with self._writing() as conn:
            deltas = LatencyDeltas()
            old = self._stored_stages(conn, turns)
            deltas.add(old, -1)
            deltas.add(list(rows))
            deltas.turns = len(turns) - len({(r.session_id, r.turn_id) for r in old})
            key = tuple_(STAGES.c.session_id, STAGES.c.turn_id)
            for chunk in _chunks(turns):
                conn.execute(delete(STAGES).where(key.in_(chunk)))
            for chunk in _chunks(rows):
                conn.execute(self._insert(STAGES), [dataclasses.asdict(r) for r in chunk])
            buckets = [{"stage": st, "bucket_ms": ms, "count": n} for (st, ms), n in deltas.buckets.items()]
            self._add_counts(conn, BUCKETS, buckets)
            self._add_counts(conn, COUNTERS, [{"name": "turns", "count": deltas.turns}])

    def _stored_stages(self, conn: Connection, turns: list[tuple[str, str]]) -> list[StageLatency]:
        key = tuple_(STAGES.c.session_id, STAGES.c.turn_id)
        return [
            StageLatency(**found)
            for chunk in _chunks(turns)
            for found in conn.execute(select(STAGES).where(key.in_(chunk))).mappings()
        ]

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk load, so the indexes are chosen at once)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    # --- queries ---------------------------------------------------------------------------------------

    def aggregate(self) -> AggregateResult:
        s = SCORES.c
        with self.engine.connect() as conn:
            sums = conn.execute(
                select(s.interview_type, s.measure, func.sum(s.count), func.sum(s.value * s.count))
                .where(s.count > 0)
                .group_by(s.interview_type, s.measure)
            ).all()
            recommendations = {
                str(r): int(n)
                for r, n in conn.execute(
                    select(
                        RECOMMENDATION_COUNTS.c.recommendation, func.sum(RECOMMENDATION_COUNTS.c.count)
                    ).group_by(RECOMMENDATION_COUNTS.c.recommendation)
                )
            }
            candidates = conn.execute(
                select(func.count()).select_from(CANDIDATES).where(CANDIDATES.c.count > 0)
            ).scalar_one()
        by_type = {t: (int(n), float(total)) for t, m, n, total in sums if m == OVERALL}
        count = sum(n for n, _ in by_type.values())
        per_measure: dict[str, tuple[int, float]] = {}
        for _, measure, n, total in sums:
            seen, added = per_measure.get(measure, (0, 0.0))
            per_measure[measure] = (seen + int(n), added + float(total))
        return AggregateResult(
            total_interviews=count,
            average_score=_round(sum(t for _, t in by_type.values()) / count) if count else None,
            unique_candidates=candidates,
            by_interview_type={
                t: TypeSummary(count=n, average_score=_round(total / n))
                for t, (n, total) in sorted(by_type.items())
            },
            recommendations={r: recommendations.get(r, 0) for r in RECOMMENDATIONS},
            competency_averages={
                name: _round(per_measure[name][1] / per_measure[name][0]) if name in per_measure else None
                for name in COMPETENCY_COLUMNS
            },
        )

    def benchmarks(self, interview_type: str) -> tuple[int, dict[str, ScoreStats]]:
        """The interviews of the type, and the stats of the overall score and of each competency."""
        s = SCORES.c
        histograms: dict[str, list[tuple[float, int]]] = {measure: [] for measure in MEASURES}
        with self.engine.connect() as conn:
            for measure, value, n in conn.execute(
                select(s.measure, s.value, s.count)
                .where(s.interview_type == interview_type, s.count > 0)
                .order_by(s.measure, s.value)
            ):
                histograms.setdefault(measure, []).append((float(value), int(n)))
        stats = {m: _score_stats(summarize(h, BENCHMARK_PERCENTILES)) for m, h in histograms.items()}
        return stats[OVERALL].count, stats

    def daily_scores(self, since: date) -> list[tuple[date, float, int]]:
        d = DAYS.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(d.day, d.score_sum, d.count).where(d.day >= since, d.count > 0).order_by(d.day)
            ).all()
        return [(day, float(total) / n, int(n)) for day, total, n in rows]

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
        b = BUCKETS.c
        histograms: dict[str, list[tuple[float, int]]] = {}
        with self.engine.connect() as conn:
            turns = conn.execute(select(COUNTERS.c.count).where(COUNTERS.c.name == "turns")).scalar()
            for stage, ms, n in conn.execute(
                select(b.stage, b.bucket_ms, b.count).where(b.count > 0).order_by(b.stage, b.bucket_ms)
            ):
                histograms.setdefault(stage, []).append((float(ms), int(n)))
        stages = {}
        for stage, histogram in histograms.items():
            summary = summarize(histogram, LATENCY_PERCENTILES)
            assert summary is not None  # only stages with counts were read
            p = summary.percentiles
            stages[stage] = LatencyStats(
                count=summary.count,
                p50=round(p[50], 1),
                p90=round(p[90], 1),
                p95=round(p[95], 1),
                p99=round(p[99], 1),
                min=summary.minimum,
                max=summary.maximum,
                average=round(summary.mean, 1),
            )
        return int(turns or 0), stages

"""The analytics schema, typed (SQLAlchemy 2 declarative). Alembic's migrations create it; a test checks
that the migrated database and this metadata agree.

Two kinds of tables. The rows, one per event key: `interviews` (a report per session) and
`stage_latencies` (a stage per session, turn and stage): what makes a redelivery count once, and what a
history reads (through the candidate index). The pre-aggregated counts (see `domain/aggregates.py`),
updated in the same transaction as the rows: what the aggregate, benchmark, trend and latency queries
read, so their cost does not grow with the number of interviews.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Interview(Base):
    """One row per session with a report; a newer report of the session replaces it."""

    __tablename__ = "interviews"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    interview_type: Mapped[str] = mapped_column(String(200))
    candidate_name: Mapped[str] = mapped_column(String(200))
    candidate_key: Mapped[str] = mapped_column(String(200))
    generated_at: Mapped[datetime] = mapped_column(DateTime)
    day: Mapped[date] = mapped_column(Date)
    overall_score: Mapped[float] = mapped_column(Float)
    recommendation: Mapped[str] = mapped_column(String(20))
    technical_knowledge: Mapped[float | None] = mapped_column(Float)
    problem_solving: Mapped[float | None] = mapped_column(Float)
    communication: Mapped[float | None] = mapped_column(Float)
    code_quality: Mapped[float | None] = mapped_column(Float)
    cultural_fit: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_interviews_candidate_time", "candidate_key", "generated_at"),)


class StageLatency(Base):
    """One measured stage of one voice turn; a redelivered TurnMetrics replaces its turn's rows."""

    __tablename__ = "stage_latencies"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    turn_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    stage: Mapped[str] = mapped_column(String(64), primary_key=True)
    latency_ms: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class ScoreCount(Base):
    """How many interviews of a type scored `value` on a measure (`overall` or a competency)."""

    __tablename__ = "score_counts"

    interview_type: Mapped[str] = mapped_column(String(200), primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float] = mapped_column(Float, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class RecommendationCount(Base):
    __tablename__ = "recommendation_counts"

    interview_type: Mapped[str] = mapped_column(String(200), primary_key=True)
    recommendation: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class CandidateCount(Base):
    __tablename__ = "candidate_counts"

    candidate_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class DailyScore(Base):
    __tablename__ = "daily_scores"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)


class LatencyBucket(Base):
    """How many turns took `bucket_ms` (to the nearest millisecond) on a stage."""

    __tablename__ = "latency_buckets"

    stage: Mapped[str] = mapped_column(String(64), primary_key=True)
    bucket_ms: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Counter(Base):
    """Named totals (`turns`: voice turns with measured stages)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)

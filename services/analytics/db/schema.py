"""The analytics schema, typed (SQLAlchemy 2 declarative). Alembic's migrations create it; the
metadata here is what the repository queries and what a new migration is checked against.

Indexes follow the queries: every percentile reads single values at given ranks from an index on
(type, score column), the trends group an index on (day, score), a history walks (candidate, time).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Interview(Base):
    """One row per session with a report; a redelivered or rewritten report replaces its row."""

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

    __table_args__ = (
        Index("ix_interviews_type_overall", "interview_type", "overall_score"),
        Index("ix_interviews_type_technical", "interview_type", "technical_knowledge"),
        Index("ix_interviews_type_problem", "interview_type", "problem_solving"),
        Index("ix_interviews_type_communication", "interview_type", "communication"),
        Index("ix_interviews_type_code", "interview_type", "code_quality"),
        Index("ix_interviews_type_cultural", "interview_type", "cultural_fit"),
        Index("ix_interviews_day_overall", "day", "overall_score"),
        Index("ix_interviews_candidate_time", "candidate_key", "generated_at"),
        Index("ix_interviews_recommendation", "recommendation"),
    )


class StageLatency(Base):
    """One measured stage of one voice turn; a redelivered TurnMetrics replaces its rows."""

    __tablename__ = "stage_latencies"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    turn_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    stage: Mapped[str] = mapped_column(String(64), primary_key=True)
    latency_ms: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_stage_latencies_stage_ms", "stage", "latency_ms"),)

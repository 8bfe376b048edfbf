"""The first schema: the rows (interviews, stage latencies) and their pre-aggregated counts.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _count() -> sa.Column[int]:
    return sa.Column("count", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "interviews",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("interview_type", sa.String(200), nullable=False),
        sa.Column("candidate_name", sa.String(200), nullable=False),
        sa.Column("candidate_key", sa.String(200), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=False),
        sa.Column("recommendation", sa.String(20), nullable=False),
        sa.Column("technical_knowledge", sa.Float(), nullable=True),
        sa.Column("problem_solving", sa.Float(), nullable=True),
        sa.Column("communication", sa.Float(), nullable=True),
        sa.Column("code_quality", sa.Float(), nullable=True),
        sa.Column("cultural_fit", sa.Float(), nullable=True),
    )
    op.create_index("ix_interviews_candidate_time", "interviews", ["candidate_key", "generated_at"])
    op.create_table(
        "stage_latencies",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("turn_id", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(64), primary_key=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "score_counts",
        sa.Column("interview_type", sa.String(200), primary_key=True),
        sa.Column("measure", sa.String(32), primary_key=True),
        sa.Column("value", sa.Float(), primary_key=True),
        _count(),
    )
    op.create_table(
        "recommendation_counts",
        sa.Column("interview_type", sa.String(200), primary_key=True),
        sa.Column("recommendation", sa.String(20), primary_key=True),
        _count(),
    )
    op.create_table(
        "candidate_counts", sa.Column("candidate_key", sa.String(200), primary_key=True), _count()
    )
    op.create_table(
        "daily_scores",
        sa.Column("day", sa.Date(), primary_key=True),
        _count(),
        sa.Column("score_sum", sa.Float(), nullable=False),
    )
    op.create_table(
        "latency_buckets",
        sa.Column("stage", sa.String(64), primary_key=True),
        sa.Column("bucket_ms", sa.Integer(), primary_key=True),
        _count(),
    )
    op.create_table("counters", sa.Column("name", sa.String(32), primary_key=True), _count())


def downgrade() -> None:
    for table in (
        "counters",
        "latency_buckets",
        "daily_scores",
        "candidate_counts",
        "recommendation_counts",
        "score_counts",
        "stage_latencies",
        "interviews",
    ):
        op.drop_table(table)

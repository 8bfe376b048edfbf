"""The first schema: interviews (one per report) and voice stage latencies.

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

_TYPE_INDEXES = {
    "ix_interviews_type_overall": "overall_score",
    "ix_interviews_type_technical": "technical_knowledge",
    "ix_interviews_type_problem": "problem_solving",
    "ix_interviews_type_communication": "communication",
    "ix_interviews_type_code": "code_quality",
    "ix_interviews_type_cultural": "cultural_fit",
}


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
    for name, column in _TYPE_INDEXES.items():
        op.create_index(name, "interviews", ["interview_type", column])
    op.create_index("ix_interviews_day_overall", "interviews", ["day", "overall_score"])
    op.create_index("ix_interviews_candidate_time", "interviews", ["candidate_key", "generated_at"])
    op.create_index("ix_interviews_recommendation", "interviews", ["recommendation"])
    op.create_table(
        "stage_latencies",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("turn_id", sa.String(64), primary_key=True),
        sa.Column("stage", sa.String(64), primary_key=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_stage_latencies_stage_ms", "stage_latencies", ["stage", "latency_ms"])


def downgrade() -> None:
    op.drop_table("stage_latencies")
    op.drop_table("interviews")

"""Reports and turn metrics as the evaluator and the gateway publish them."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.events import TurnMetrics
from shared.report import WEIGHTS, Competency, CompetencyScore, Judge, PerformanceReport, Recommendation


def make_report(
    session_id: str,
    *,
    interview_type: str = "google_sde",
    candidate: str = "Ada Lovelace",
    overall: float = 7.0,
    at: datetime | str = datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
    recommendation: Recommendation = "HIRE",
    scores: dict[Competency, float | None] | None = None,
) -> PerformanceReport:
    scores = scores if scores is not None else dict.fromkeys(WEIGHTS, overall)
    return PerformanceReport(
        session_id=session_id,
        interview_type=interview_type,
        candidate_name=candidate,
        generated_at=at if isinstance(at, str) else at.isoformat(),
        overall_score=overall,
        scores=scores,
        competencies={
            name: CompetencyScore(score=scores.get(name), weight=w, applied_weight=w, reason="test")
            for name, w in WEIGHTS.items()
        },
        evidence={},
        strengths=[],
        improvements=[],
        recommendation=recommendation,
        summary="test",
        questions=[],
        judge=Judge(kind="rubric", version="test"),
    )


def make_metrics(session_id: str, turn_id: str, ts: float = 1_795_000_000.0, **stages: float) -> TurnMetrics:
    return TurnMetrics(session_id=session_id, turn_id=turn_id, stages=stages, ts=ts)

"""Interview operations: transcript, end, report."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared.events import SessionEnded
from shared.report import report_key
from shared.sessions import SessionRecord, SessionStatus, TranscriptEntry, utc_now_iso
from shared.storage import ObjectNotFound

router = APIRouter(tags=["interviews"])


class Transcript(BaseModel):
    session_id: str
    status: SessionStatus
    transcript: list[TranscriptEntry]


class EndResponse(BaseModel):
    session_id: str
    status: SessionStatus
    ended_at: str | None
    duration_seconds: float | None
    report_url: str


class PerformanceReport(BaseModel):
    """The evaluator's report as stored (seed names, camelCase). Every key the contract lists is
    described here; the evaluator may add more, and they are returned as they are."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True, extra="allow"
    )

    overall_score: float | None = Field(default=None, description="0-10, one decimal")
    scores: dict[str, Any] = Field(
        default_factory=dict,
        description="technicalKnowledge, problemSolving, communication, codeQuality, culturalFit: each 0-10, "
        "or null with a reason when the interview gave nothing to judge it on",
    )
    strengths: list[Any] = Field(default_factory=list, description="concrete moments")
    improvements: list[Any] = Field(default_factory=list, description="concrete moments")
    recommendation: str | None = Field(
        default=None, description="STRONG_HIRE, HIRE, LEAN_HIRE, LEAN_NO_HIRE or NO_HIRE"
    )
    summary: str | None = None
    evidence: Any = Field(default=None, description="per score: quotes of the candidate with their turn_id")
    questions: list[Any] = Field(
        default_factory=list, description="per question asked: the question, the answer's score and feedback"
    )
    delivery: Any = Field(
        default=None, description="spoken answers: words per minute, filler words per minute, long pauses"
    )
    judge: Any = Field(default=None, description="which evaluator produced the scores")


class PerformanceReportResponse(BaseModel):
    success: bool
    report: PerformanceReport
    report_url: str


@router.get("/api/interviews/{session_id}/transcript", response_model=Transcript, responses=errors(404))
async def transcript(session_id: str, deps: AppDeps) -> Transcript:
    """The conversation in order; each user turn and its reply share a `turn_id`."""
    record = await deps.sessions.get(session_id)
    return Transcript(session_id=session_id, status=record.status, transcript=record.transcript)


def _seconds_between(start: str, end: str) -> float:
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds(), 1)


@router.post("/api/interviews/{session_id}/end", response_model=EndResponse, responses=errors(404))
async def end_interview(session_id: str, deps: AppDeps) -> EndResponse:
    """End the session (idempotent) and announce it, so the evaluator can write the report."""
    ended_now = False

    def end(record: SessionRecord) -> SessionRecord | None:
        nonlocal ended_now
        if record.status == "ended":
            return None
        ended_now = True
        record.status = "ended"
        record.ended_at = utc_now_iso()
        record.duration_seconds = _seconds_between(record.started_at or record.created_at, record.ended_at)
        return record

    record = await deps.sessions.update(session_id, end)
    if ended_now:
        await deps.bus.publish_lifecycle(
            SessionEnded(session_id=session_id, duration_seconds=record.duration_seconds)
        )
    return EndResponse(
        session_id=session_id,
        status=record.status,
        ended_at=record.ended_at,
        duration_seconds=record.duration_seconds,
        report_url=f"/api/interviews/{session_id}/performance-report",
    )


@router.get(
    "/api/interviews/{session_id}/performance-report",
    response_model=PerformanceReportResponse,
    responses=errors(404),
)
async def performance_report(session_id: str, deps: AppDeps) -> PerformanceReportResponse:
    """The evaluator's report once it exists; until then 404 `report_not_ready`."""
    await deps.sessions.get(session_id)  # 404 session_not_found first
    try:
        stored = await deps.store.get(report_key(session_id))
    except ObjectNotFound:
        raise ApiError(
            404, "report_not_ready", "The performance report for this session is not ready."
        ) from None
    return PerformanceReportResponse(
        success=True,
        report=PerformanceReport.model_validate(json.loads(stored.data)),
        report_url=f"/api/interviews/{session_id}/performance-report",
    )

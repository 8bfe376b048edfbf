"""Interview operations: transcript, end, report."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared.events import SessionEnded
from shared.report import PerformanceReport, report_key, report_pdf_key
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
    responses={
        **errors(404, 422),
        200: {
            "content": {"application/pdf": {}},
            "description": "The report (JSON), or its PDF with ?format=pdf",
        },
    },
)
async def performance_report(
    session_id: str,
    deps: AppDeps,
    format: Literal["json", "pdf"] = Query(default="json", description="`pdf`: the designed report as a PDF"),
) -> PerformanceReportResponse | Response:
    """The evaluator's report once it exists (`?format=pdf`: as a PDF); until then 404 `report_not_ready`."""
    await deps.sessions.get(session_id)  # 404 session_not_found first
    key = report_pdf_key(session_id) if format == "pdf" else report_key(session_id)
    try:
        stored = await deps.store.get(key)
    except ObjectNotFound:
        raise ApiError(
            404, "report_not_ready", "The performance report for this session is not ready."
        ) from None
    if format == "pdf":
        return Response(
            stored.data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="performance-report-{session_id}.pdf"'},
        )
    # Only the evaluator writes reports: one that does not validate is a bug (500, logged), not the client's.
    report = PerformanceReport.model_validate_json(stored.data)
    return PerformanceReportResponse(
        success=True, report=report, report_url=f"/api/interviews/{session_id}/performance-report"
    )

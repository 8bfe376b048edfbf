"""CV upload and analysis. The upload is staged in storage and analysed by the tools service; only a
successful analysis keeps the file, so a bad upload leaves nothing behind."""

from __future__ import annotations

import re
import uuid

from fastapi import APIRouter, Request, UploadFile
from pydantic import BaseModel, Field
from pydantic_core import PydanticSerializationError

from services.gateway.bus import ToolCallFailed
from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared import subjects
from shared.cv import CvAnalysis
from shared.sessions import SessionRecord
from shared.storage import write_model
from shared.tools_api import MAX_CV_BYTES, CvAnalyzeRequest, CvAnalyzeResult, cv_analysis_key

router = APIRouter(tags=["interviews"])

CV_TIMEOUT_S = 90.0  # OCR of a many-page scan is the slow case
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_READ_CHUNK = 1 << 20


class CvUploadResponse(BaseModel):
    success: bool
    analysis: CvAnalysis
    filename: str = Field(description="the stored file name (sanitised)")
    message: str


class CvAnalysisResponse(BaseModel):
    success: bool
    analysis: CvAnalysis
    filename: str | None


def _too_large() -> ApiError:
    return ApiError(
        413, "file_too_large", f"The file is larger than the {MAX_CV_BYTES // (1 << 20)} MiB limit."
    )


def safe_filename(name: str | None) -> str:
    base = (name or "cv").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or "cv"
    return cleaned[-100:]


async def _read_limited(upload: UploadFile) -> bytes:
    data = bytearray()
    while chunk := await upload.read(_READ_CHUNK):
        data.extend(chunk)
        if len(data) > MAX_CV_BYTES:
            raise _too_large()
    return bytes(data)


@router.post(
    "/api/interviews/{session_id}/upload-cv",
    response_model=CvUploadResponse,
    responses=errors(400, 404, 413, 415, 422, 502, 503, 504),
)
async def upload_cv(session_id: str, file: UploadFile, request: Request, deps: AppDeps) -> CvUploadResponse:
    """Upload a CV (PDF, DOCX or TXT, at most 10 MiB); the interviewer tailors its questions to it."""
    declared = request.headers.get("content-length") or "0"
    if declared.isdigit() and int(declared) > MAX_CV_BYTES + 64 * 1024:
        raise _too_large()
    await deps.sessions.get(session_id)
    data = await _read_limited(file)
    if not data:
        raise ApiError(400, "empty_file", "The uploaded file is empty.")
    filename = safe_filename(file.filename)
    staging_key = f"uploads/{session_id}/{uuid.uuid4().hex}"
    await deps.store.put(staging_key, data)
    analyze = CvAnalyzeRequest(
        session_id=session_id, staging_key=staging_key, filename=filename, content_type=file.content_type
    )
    try:
        result = await deps.bus.call_tool(subjects.TOOLS_CV_ANALYZE, analyze, CvAnalyzeResult, CV_TIMEOUT_S)
    except ToolCallFailed:
        # The tools service removes the staged file whatever the outcome; not when it never got it.
        await deps.store.delete(staging_key)
        raise
    return CvUploadResponse(success=True, analysis=result.analysis, filename=filename, message="CV analysed.")


@router.get(
    "/api/interviews/{session_id}/cv-analysis", response_model=CvAnalysisResponse, responses=errors(404)
)
async def cv_analysis(session_id: str, deps: AppDeps) -> CvAnalysisResponse:
    """The analysis of the session's CV; 404 `cv_not_found` before an upload."""
    record = await deps.sessions.get(session_id)
    if record.cv_analysis is None:
        raise ApiError(404, "cv_not_found", "No CV has been uploaded for this session.")
    return CvAnalysisResponse(success=True, analysis=record.cv_analysis, filename=record.cv_filename)


@router.put(
    "/api/interviews/{session_id}/cv-analysis",
    response_model=CvAnalysisResponse,
    responses=errors(404, 409, 422),
)
async def correct_cv_analysis(session_id: str, analysis: CvAnalysis, deps: AppDeps) -> CvAnalysisResponse:
    """Replace the CV's analysis with the candidate's corrections (e.g. a misread skill) before the
    interview; the interviewer reads it when it greets. 404 `cv_not_found` before an upload, 409
    `session_ended` once the interview is over."""

    try:  # text a JSON escape made unstorable (a lone surrogate) is the client's mistake, not a 500
        analysis.model_dump_json()
    except PydanticSerializationError:
        raise ApiError(
            422, "invalid_request", "body: holds a \\u escape that is not a character.", ["body"]
        ) from None

    def correct(record: SessionRecord) -> SessionRecord | None:
        if record.cv_analysis is None:
            raise ApiError(404, "cv_not_found", "No CV has been uploaded for this session.")
        if record.status == "ended":
            raise ApiError(409, "session_ended", "This interview has ended; its CV can no longer change.")
        record.cv_analysis = analysis
        return record

    record = await deps.sessions.update(session_id, correct)
    await write_model(deps.store, cv_analysis_key(session_id), analysis)
    return CvAnalysisResponse(success=True, analysis=analysis, filename=record.cv_filename)

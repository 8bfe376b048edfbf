"""CV upload and analysis. The upload is staged in storage and analysed by the tools service; only a
successful analysis keeps the file, so a bad upload leaves nothing behind."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import APIRouter, Request, UploadFile

from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared import subjects
from shared.tools_api import MAX_CV_BYTES, CvAnalyzeRequest, CvAnalyzeResult

router = APIRouter(tags=["interviews"])

CV_TIMEOUT_S = 90.0  # OCR of a many-page scan is the slow case
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_READ_CHUNK = 1 << 20


def safe_filename(name: str | None) -> str:
    base = (name or "cv").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or "cv"
    return cleaned[-100:]


async def _read_limited(upload: UploadFile) -> bytes:
    data = bytearray()
    while chunk := await upload.read(_READ_CHUNK):
        data.extend(chunk)
        if len(data) > MAX_CV_BYTES:
            raise ApiError(
                413, "file_too_large", f"The file is larger than the {MAX_CV_BYTES // (1 << 20)} MiB limit."
            )
    return bytes(data)


@router.post("/api/interviews/{session_id}/upload-cv", responses=errors(400, 404, 413, 415, 422, 503, 504))
async def upload_cv(session_id: str, file: UploadFile, request: Request, deps: AppDeps) -> dict[str, Any]:
    """Upload a CV (PDF, DOCX or TXT, at most 10 MiB); the interviewer tailors its questions to it."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > MAX_CV_BYTES + 64 * 1024:
        raise ApiError(
            413, "file_too_large", f"The file is larger than the {MAX_CV_BYTES // (1 << 20)} MiB limit."
        )
    await deps.sessions.get(session_id)
    data = await _read_limited(file)
    if not data:
        raise ApiError(400, "empty_file", "The uploaded file is empty.")
    filename = safe_filename(file.filename)
    staging_key = f"uploads/{session_id}/{uuid.uuid4().hex}"
    await deps.store.put(staging_key, data)
    result = await deps.bus.call_tool(
        subjects.TOOLS_CV_ANALYZE,
        CvAnalyzeRequest(
            session_id=session_id, staging_key=staging_key, filename=filename, content_type=file.content_type
        ),
        CvAnalyzeResult,
        CV_TIMEOUT_S,
    )
    return {"success": True, "analysis": result.analysis, "filename": filename, "message": "CV analysed."}


@router.get("/api/interviews/{session_id}/cv-analysis", responses=errors(404))
async def cv_analysis(session_id: str, deps: AppDeps) -> dict[str, Any]:
    record = await deps.sessions.get(session_id)
    if record.cv_analysis is None:
        raise ApiError(404, "cv_not_found", "No CV has been uploaded for this session.")
    return {"success": True, "analysis": record.cv_analysis, "filename": record.cv_filename}

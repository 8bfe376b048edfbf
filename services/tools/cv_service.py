"""CV analysis as a use case: the gateway stages the upload in storage, this parses it in an isolated
child process and, only when that succeeds, keeps the original and the analysis with the session."""

from __future__ import annotations

import json
import logging
from typing import Any

from services.tools.cv import CvError, analyze_cv_isolated
from shared.sessions import SessionRecord, SessionRepository
from shared.storage import ObjectNotFound, ObjectStore
from shared.tools_api import CvAnalyzeRequest, cv_analysis_key, cv_original_key

log = logging.getLogger(__name__)


class CvService:
    def __init__(self, store: ObjectStore, sessions: SessionRepository, *, textract: bool = False) -> None:
        self.store = store
        self.sessions = sessions
        self.textract = textract

    async def analyze(self, request: CvAnalyzeRequest) -> dict[str, Any]:
        try:
            staged = await self.store.get(request.staging_key)
        except ObjectNotFound:
            raise CvError(
                "upload_missing", "The uploaded file was not found; please upload it again.", 400
            ) from None
        try:
            analysis = await analyze_cv_isolated(request.filename, staged.data, textract=self.textract)
            result = analysis.model_dump(by_alias=True, mode="json")
            # Nothing is kept unless the whole analysis succeeded: original, analysis, then the session.
            await self.store.put(
                cv_original_key(request.session_id, request.filename),
                staged.data,
                content_type=request.content_type or "application/octet-stream",
            )
            await self.store.put(
                cv_analysis_key(request.session_id),
                json.dumps(result).encode(),
                content_type="application/json",
            )
            await self.sessions.update(request.session_id, _attach(request.filename, result))
        finally:
            await self.store.delete(request.staging_key)
        return {"success": True, "analysis": result, "filename": request.filename}


def _attach(filename: str, analysis: dict[str, Any]) -> Any:
    def apply(record: SessionRecord) -> SessionRecord:
        record.cv_filename = filename
        record.cv_analysis = analysis
        return record

    return apply

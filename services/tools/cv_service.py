"""CV analysis as a use case: the gateway stages the upload in storage, this parses it (in an isolated
child process, behind the `CvParser` port) and, only when that succeeds, keeps the original and the
analysis with the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from services.tools.cv import CvError
from shared.cv import CvAnalysis
from shared.sessions import SessionRecord, SessionRepository
from shared.storage import ObjectNotFound, ObjectStore, write_model
from shared.tools_api import CvAnalyzeRequest, CvAnalyzeResult, cv_analysis_key, cv_original_key


class CvParser(Protocol):
    async def analyze(self, filename: str, data: bytes) -> CvAnalysis:
        """The analysis, or a CvError saying what is wrong with the file."""
        ...


class CvService:
    def __init__(self, parser: CvParser, store: ObjectStore, sessions: SessionRepository) -> None:
        self.parser = parser
        self.store = store
        self.sessions = sessions

    async def analyze(self, request: CvAnalyzeRequest) -> CvAnalyzeResult:
        try:
            staged = await self.store.get(request.staging_key)
        except ObjectNotFound:
            raise CvError(
                "upload_missing", "The uploaded file was not found; please upload it again.", 400
            ) from None
        try:
            analysis = await self.parser.analyze(request.filename, staged.data)
            # Nothing is kept unless the whole analysis succeeded: original, analysis, then the session.
            await self.store.put(
                cv_original_key(request.session_id, request.filename),
                staged.data,
                content_type=request.content_type or "application/octet-stream",
            )
            await write_model(self.store, cv_analysis_key(request.session_id), analysis)
            await self.sessions.update(request.session_id, _attach(request.filename, analysis))
        finally:
            await self.store.delete(request.staging_key)
        return CvAnalyzeResult(analysis=analysis, filename=request.filename)


def _attach(filename: str, analysis: CvAnalysis) -> Callable[[SessionRecord], SessionRecord]:
    def apply(record: SessionRecord) -> SessionRecord:
        record.cv_filename = filename
        record.cv_analysis = analysis
        return record

    return apply

"""The session record (`sessions/{id}.json`) and its repository.

Several services write one record (the gateway creates and ends it, the agent
appends to the transcript, the tools service attaches the CV analysis), so
every change goes through `SessionRepository.update`, a compare-and-set loop.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.cv import CvAnalysis
from shared.errors import NotFound
from shared.events import Word
from shared.storage import ObjectNotFound, ObjectStore, read_model, update_model, write_model

SessionStatus = Literal["created", "in_progress", "ended"]
_SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat()


class SessionNotFound(NotFound):
    code = "session_not_found"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"No interview session with id {session_id!r}.")
        self.session_id = session_id


class TranscriptEntry(BaseModel):
    role: Literal["assistant", "user"]
    text: str
    timestamp: str = Field(default_factory=utc_now_iso)
    turn_id: str
    source: Literal["text", "voice", "system"] = "text"
    phase: str | None = None
    question_id: str | None = None  # an interviewer turn about a bank question (the evaluator's key points)
    problem_id: str | None = None  # an interviewer turn that handed out this coding problem
    submission_id: str | None = None  # an interviewer turn that reacted to this run of the candidate's code
    interrupted: bool = False
    # A spoken answer: its word timings (the report's delivery metrics) and its recording.
    words: list[Word] = Field(default_factory=list)
    audio_key: str | None = None


class SessionRecord(BaseModel):
    version: int = 1
    session_id: str
    created_at: str = Field(default_factory=utc_now_iso)
    updated_at: str = Field(default_factory=utc_now_iso)
    interview_type: str
    interview_type_name: str
    candidate_name: str
    job_description: str | None = None
    status: SessionStatus = "created"
    started_at: str | None = None
    ended_at: str | None = None
    duration_seconds: float | None = None
    transcript: list[TranscriptEntry] = Field(default_factory=list)
    # Turns that were answered or failed for good: a redelivered turn in this list is a duplicate.
    handled_turn_ids: list[str] = Field(default_factory=list)
    # The agent's own conversation state (phase, questions asked, ...): opaque to other services.
    agent_state: dict[str, Any] = Field(default_factory=dict)
    cv_filename: str | None = None
    cv_analysis: CvAnalysis | None = None

    def handed_out_problem(self) -> str | None:
        """The coding problem the interviewer handed out last, if any: the one the candidate's runs are for."""
        for entry in reversed(self.transcript):
            if entry.problem_id is not None:
                return entry.problem_id
        return None

    def summary(self) -> dict[str, Any]:
        """The fields a session listing shows (no transcript)."""
        return {
            "session_id": self.session_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "interview_type": self.interview_type,
            "interview_type_name": self.interview_type_name,
            "candidate_name": self.candidate_name,
            "status": self.status,
            "ended_at": self.ended_at,
            "duration_seconds": self.duration_seconds,
            "turns": sum(1 for e in self.transcript if e.role == "user"),
            "has_cv": self.cv_analysis is not None,
        }


def new_session_id() -> str:
    return uuid.uuid4().hex


def session_key(session_id: str) -> str:
    return f"sessions/{session_id}.json"


def is_valid_session_id(session_id: str) -> bool:
    return bool(_SESSION_ID_RE.match(session_id))


class SessionRepository:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def create(self, record: SessionRecord) -> SessionRecord:
        await write_model(self.store, session_key(record.session_id), record, create_only=True)
        return record

    async def get(self, session_id: str) -> SessionRecord:
        if not is_valid_session_id(session_id):
            raise SessionNotFound(session_id)
        try:
            record, _etag = await read_model(self.store, session_key(session_id), SessionRecord)
        except ObjectNotFound:
            raise SessionNotFound(session_id) from None
        return record

    async def update(
        self, session_id: str, mutate: Callable[[SessionRecord], SessionRecord | None]
    ) -> SessionRecord:
        """Apply `mutate` to a fresh copy with compare-and-set; it may run more than once."""
        if not is_valid_session_id(session_id):
            raise SessionNotFound(session_id)

        def stamped(record: SessionRecord) -> SessionRecord | None:
            updated = mutate(record.model_copy(deep=True))
            if updated is not None:
                updated.updated_at = utc_now_iso()
            return updated

        try:
            return await update_model(self.store, session_key(session_id), SessionRecord, stamped)
        except ObjectNotFound:
            raise SessionNotFound(session_id) from None

    async def list(self) -> list[SessionRecord]:
        records = []
        for key in await self.store.list("sessions/"):
            if not key.endswith(".json"):
                continue
            try:
                record, _ = await read_model(self.store, key, SessionRecord)
            except ObjectNotFound:  # deleted between list and read
                continue
            records.append(record)
        records.sort(key=lambda r: r.created_at, reverse=True)
        return records

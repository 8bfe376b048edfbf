"""Session management: create, list, read."""

from __future__ import annotations

import unicodedata

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from services.gateway.deps import AppDeps
from services.gateway.errors import errors
from shared.cv import CvAnalysis
from shared.events import SessionCreated
from shared.interview_types import INTERVIEW_TYPES, find_interview_type
from shared.sessions import SessionRecord, SessionStatus, TranscriptEntry, new_session_id

router = APIRouter(tags=["sessions"])

_TYPE_CHOICES = ", ".join(t.id for t in INTERVIEW_TYPES)


class CreateSessionRequest(BaseModel):
    interview_type: str = Field(
        description=f"A type id or display name (any case): {_TYPE_CHOICES}",
        examples=["google_sde", "Google SDE", "behavioral"],
    )
    candidate_name: str = Field(min_length=1, max_length=120)
    job_description: str | None = Field(default=None, max_length=8000)

    @field_validator("candidate_name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be blank")
        if any(unicodedata.category(ch) == "Cc" for ch in value):  # NUL and friends: not part of a name
            raise ValueError("must not contain control characters")
        return value

    @field_validator("interview_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        itype = find_interview_type(value)
        if itype is None:
            raise ValueError(f"unknown interview type {value!r}; choose one of: {_TYPE_CHOICES}")
        return itype.id


class SessionCreatedResponse(BaseModel):
    session_id: str
    created_at: str
    interview_type: str
    interview_type_name: str
    candidate_name: str
    status: SessionStatus
    websocket_url: str


class SessionSummary(BaseModel):
    session_id: str
    created_at: str
    updated_at: str
    interview_type: str
    interview_type_name: str
    candidate_name: str
    status: SessionStatus
    ended_at: str | None
    duration_seconds: float | None
    turns: int
    has_cv: bool


class SessionList(BaseModel):
    sessions: list[SessionSummary]


# What `GET /api/sessions/{id}` leaves out of the record: the agent's private state and bookkeeping.
PRIVATE_FIELDS = frozenset({"agent_state", "handled_turn_ids"})


class SessionDetail(BaseModel):
    """The session record as clients see it (every field of `SessionRecord` but `PRIVATE_FIELDS`)."""

    version: int
    session_id: str
    created_at: str
    updated_at: str
    interview_type: str
    interview_type_name: str
    candidate_name: str
    job_description: str | None
    status: SessionStatus
    started_at: str | None
    ended_at: str | None
    duration_seconds: float | None
    transcript: list[TranscriptEntry]
    cv_filename: str | None
    cv_analysis: CvAnalysis | None


def public_record(record: SessionRecord) -> SessionDetail:
    return SessionDetail.model_validate({name: getattr(record, name) for name in SessionDetail.model_fields})


async def _create(body: CreateSessionRequest, deps: AppDeps) -> SessionCreatedResponse:
    itype = find_interview_type(body.interview_type)
    assert itype is not None  # validated above
    record = SessionRecord(
        session_id=new_session_id(),
        interview_type=itype.id,
        interview_type_name=itype.name,
        candidate_name=body.candidate_name,
        job_description=body.job_description,
    )
    await deps.sessions.create(record)
    await deps.bus.publish_lifecycle(
        SessionCreated(
            session_id=record.session_id, interview_type=itype.id, candidate_name=record.candidate_name
        )
    )
    return SessionCreatedResponse(
        session_id=record.session_id,
        created_at=record.created_at,
        interview_type=itype.id,
        interview_type_name=itype.name,
        candidate_name=record.candidate_name,
        status=record.status,
        websocket_url=f"/ws/interview/{record.session_id}",
    )


@router.post("/api/sessions", status_code=201, response_model=SessionCreatedResponse, responses=errors(422))
async def create_session(body: CreateSessionRequest, deps: AppDeps) -> SessionCreatedResponse:
    """Create an interview session; open `/ws/interview/{session_id}` next."""
    return await _create(body, deps)


@router.post(
    "/api/sessions/create", status_code=201, response_model=SessionCreatedResponse, responses=errors(422)
)
async def create_session_alias(body: CreateSessionRequest, deps: AppDeps) -> SessionCreatedResponse:
    """Alias of `POST /api/sessions` (the seeds' path)."""
    return await _create(body, deps)


@router.get("/api/sessions/list", response_model=SessionList)
async def list_sessions(deps: AppDeps) -> SessionList:
    """All sessions, newest first, without transcripts."""
    return SessionList(sessions=[SessionSummary(**r.summary()) for r in await deps.sessions.list()])


@router.get("/api/sessions/{session_id}", response_model=SessionDetail, responses=errors(404))
async def get_session(session_id: str, deps: AppDeps) -> SessionDetail:
    """The whole session record, transcript included."""
    return public_record(await deps.sessions.get(session_id))

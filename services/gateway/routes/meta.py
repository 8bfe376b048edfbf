"""Health and the interview-type catalogue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.gateway.deps import AppDeps
from shared.interview_types import INTERVIEW_TYPES, InterviewType

router = APIRouter(tags=["meta"])


class Health(BaseModel):
    status: str
    broker: str
    storage: str


class InterviewTypes(BaseModel):
    interview_types: list[InterviewType]


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(deps: AppDeps) -> Any:
    """200 only when the broker (NATS with JetStream) is reachable."""
    ok = await deps.bus.healthy()
    body = Health(
        status="ok" if ok else "unavailable",
        broker="connected" if ok else "unreachable",
        storage=deps.settings.storage_backend,
    )
    return body if ok else JSONResponse(status_code=503, content=body.model_dump())


@router.get("/api/interview-types", response_model=InterviewTypes)
async def interview_types() -> InterviewTypes:
    return InterviewTypes(interview_types=INTERVIEW_TYPES)

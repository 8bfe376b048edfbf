"""Typed events that travel over NATS. Every event carries a schema `version`.

Consumers ignore unknown fields, so a producer may add fields without a
version bump; a change in meaning bumps `version`.
"""

from __future__ import annotations

import time
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def new_id() -> str:
    return uuid.uuid4().hex


def now() -> float:
    """Wall-clock epoch seconds: events cross processes, so no monotonic clocks."""
    return time.time()


class Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    version: int = SCHEMA_VERSION
    session_id: str
    ts: float = Field(default_factory=now)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


TurnKind = Literal["start", "text", "speech"]


class UserTurn(Event):
    """One candidate turn (typed or spoken), or `start`: the session was opened and the interviewer speaks first."""

    turn_id: str = Field(default_factory=new_id)
    kind: TurnKind
    text: str = ""
    # When the turn ended on the candidate's side (epoch s), for latency metrics.
    ended_at: float = Field(default_factory=now)


class ReplyChunk(Event):
    turn_id: str
    index: int
    text: str


class AssistantReply(Event):
    """The interviewer's whole reply to one turn, published once after it is persisted."""

    turn_id: str
    text: str
    phase: str = ""
    interrupted: bool = False
    metrics: dict[str, float] = Field(default_factory=dict)


class TurnFailed(Event):
    turn_id: str
    code: str
    message: str


class Interrupt(Event):
    turn_id: str | None = None


class SessionCreated(Event):
    interview_type: str
    candidate_name: str


class SessionEnded(Event):
    reason: str = "ended_by_candidate"
    duration_seconds: float | None = None

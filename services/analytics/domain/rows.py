"""What analytics keeps of a report and of a turn's metrics: flat rows, names normalised."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from shared.interview_types import find_interview_type
from shared.report import Competency, PerformanceReport

MAX_STAGE_CHARS = 64
MAX_ID_CHARS = 64  # session and turn ids (uuid hex: 32)
MAX_TEXT_CHARS = 200  # a candidate name, an interview type


class Unstorable(ValueError):
    """An event no row can hold (an id longer than any the platform makes): dropped, never retried."""


_STAGE = re.compile(r"^[a-z][a-z0-9_]*$")


def storable(text: str) -> str:
    """Text both databases accept: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def candidate_key(name: str) -> str:
    """One candidate however the name was typed: spaces collapsed, case folded ("  ada  LOVELACE")."""
    return " ".join(storable(name).split()).casefold()


def interview_type_id(name: str) -> str:
    """The catalogue id for an id, display name or alias; an unknown type is kept as written."""
    found = find_interview_type(name)
    return found.id if found else name.strip()


def parse_utc(stamp: str) -> datetime:
    """A naive UTC datetime (both databases compare them alike); a stamp without zone is taken as UTC."""
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


@dataclass(frozen=True)
class ReportRow:
    session_id: str
    interview_type: str
    candidate_name: str
    candidate_key: str
    generated_at: datetime
    day: date
    overall_score: float
    recommendation: str
    technical_knowledge: float | None
    problem_solving: float | None
    communication: float | None
    code_quality: float | None
    cultural_fit: float | None


def _checked_id(value: str, what: str) -> str:
    if not value or len(value) > MAX_ID_CHARS or storable(value) != value:
        raise Unstorable(f"{what} {value[:80]!r} is not an id the platform makes")
    return value


def report_row(report: PerformanceReport) -> ReportRow:
    try:
        generated = parse_utc(report.generated_at)
    except ValueError:
        raise Unstorable(f"generated_at {report.generated_at[:80]!r} is not an ISO 8601 time") from None
    scores = report.scores
    return ReportRow(
        session_id=_checked_id(report.session_id, "session id"),
        interview_type=storable(interview_type_id(report.interview_type))[:MAX_TEXT_CHARS],
        candidate_name=" ".join(storable(report.candidate_name).split())[:MAX_TEXT_CHARS],
        candidate_key=candidate_key(report.candidate_name)[:MAX_TEXT_CHARS],
        generated_at=generated,
        day=generated.date(),
        overall_score=report.overall_score,
        recommendation=report.recommendation,
        technical_knowledge=scores.get("technicalKnowledge"),
        problem_solving=scores.get("problemSolving"),
        communication=scores.get("communication"),
        code_quality=scores.get("codeQuality"),
        cultural_fit=scores.get("culturalFit"),
    )


@dataclass(frozen=True)
class StageLatency:
    session_id: str
    turn_id: str
    stage: str
    latency_ms: float
    recorded_at: datetime


def stage_rows(session_id: str, turn_id: str, stages: dict[str, float], ts: float) -> list[StageLatency]:
    """A turn's measured stages; a name or a value no stage could have (NaN, negative) is left out, so a
    malformed event cannot poison the percentiles."""
    _checked_id(session_id, "session id")
    _checked_id(turn_id, "turn id")
    try:
        recorded = datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise Unstorable(f"ts {ts!r} is not a time") from None
    return [
        StageLatency(session_id, turn_id, stage, float(ms), recorded)
        for stage, ms in sorted(stages.items())
        if len(stage) <= MAX_STAGE_CHARS and _STAGE.match(stage) and math.isfinite(ms) and ms >= 0
    ]


# The report's competency names and the columns that hold them.
COMPETENCY_COLUMNS: dict[Competency, str] = {
    "technicalKnowledge": "technical_knowledge",
    "problemSolving": "problem_solving",
    "communication": "communication",
    "codeQuality": "code_quality",
    "culturalFit": "cultural_fit",
}

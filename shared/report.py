"""The performance report: the evaluator (tools service) writes it, the gateway serves it, analytics
aggregates it. Its outside shape is the contract's ("The performance report", seed names in camelCase);
a quote of the candidate keeps the contract's `turn_id`.

Stored as JSON under `reports/{session_id}/performance_report.json` (one writer: the evaluator, which
writes the same report again when the end is redelivered) and announced by a `ReportReady` event.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.events import Event

Competency = Literal["technicalKnowledge", "problemSolving", "communication", "codeQuality", "culturalFit"]
Recommendation = Literal["STRONG_HIRE", "HIRE", "LEAN_HIRE", "LEAN_NO_HIRE", "NO_HIRE"]

# The seeds' weights; when a competency cannot be judged (null) the others are renormalised.
WEIGHTS: dict[Competency, float] = {
    "technicalKnowledge": 0.30,
    "problemSolving": 0.25,
    "communication": 0.20,
    "codeQuality": 0.15,
    "culturalFit": 0.10,
}


def report_key(session_id: str) -> str:
    return f"reports/{session_id}/performance_report.json"


def report_pdf_key(session_id: str) -> str:
    return f"reports/{session_id}/performance_report.pdf"


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class Quote(BaseModel):
    """The candidate's own words, with the turn they were said in."""

    turn_id: str
    quote: str


class CompetencyScore(_Camel):
    """One competency: its score (None: nothing to judge it on, `reason` says why), its weight as given
    and as applied after renormalisation, and what the score rests on."""

    score: float | None = Field(ge=0, le=10)
    weight: float
    applied_weight: float
    reason: str
    evidence: list[Quote] = Field(default_factory=list)


class QuestionFeedback(_Camel):
    question: str
    turn_id: str | None = None  # the turn that asked it
    answer_turn_ids: list[str] = Field(default_factory=list)
    score: float | None = Field(default=None, ge=0, le=10)  # None: not answered
    feedback: str
    covered: list[str] = Field(default_factory=list)  # key points the answer covered
    missed: list[str] = Field(default_factory=list)
    star: dict[str, bool] | None = None  # behavioral answers: situation, task, action, result


class Delivery(_Camel):
    """From the spoken answers' word timestamps (None when nothing was spoken)."""

    spoken_answers: int
    words_per_minute: float
    filler_words_per_minute: float
    filler_share: float  # fillers / words
    long_pauses: int  # pauses longer than `long_pause_s` inside answers
    long_pause_s: float
    top_fillers: dict[str, int] = Field(default_factory=dict)


class Judge(_Camel):
    """What produced the scores: the deterministic rubric alone, or a model checked by it."""

    kind: Literal["rubric", "llm+rubric"]
    model: str | None = None
    version: str


class PerformanceReport(_Camel):
    session_id: str
    interview_type: str
    candidate_name: str
    generated_at: str  # ISO 8601, UTC
    overall_score: float = Field(ge=0, le=10)  # one decimal
    scores: dict[Competency, float | None]
    competencies: dict[Competency, CompetencyScore]  # the scores with weights, reasons and evidence
    evidence: dict[Competency, list[Quote]]
    strengths: list[str]
    improvements: list[str]
    recommendation: Recommendation
    summary: str
    questions: list[QuestionFeedback]
    delivery: Delivery | None = None
    judge: Judge


class ReportReady(Event):
    """Evaluator -> analytics (stream PREPAI_REPORTS): a session's report was written (again, when the
    end was redelivered: consumers count a session once)."""

    report: PerformanceReport

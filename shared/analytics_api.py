"""The analytics service's request/reply API over NATS, which the gateway serves as `/api/analytics/*`.

Requests are validated here (the gateway's query parameters carry the same bounds); every answer is a
`shared.tools_api.ToolReply[Result]` envelope, so an error keeps the contract's code and status. Keys are
snake_case as in the contract; competencies keep the report's own names (`technicalKnowledge`, ...).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.report import Competency, Recommendation

MAX_DAYS = 365
MAX_NAME_CHARS = 200  # a candidate name or an interview type: longer ones name nothing stored
MAX_HISTORY_POINTS = 1000  # a candidate's most recent interviews in `scores_over_time`

# --- requests ------------------------------------------------------------------------------------------


class AggregateQuery(BaseModel):
    """No parameters: figures over every interview."""


class BenchmarksQuery(BaseModel):
    interview_type: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="id or display name")


class TrendsQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=MAX_DAYS, description="the window, ending today (UTC)")


class HistoryQuery(BaseModel):
    candidate_name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)


class VoiceLatencyQuery(BaseModel):
    """No parameters: percentiles over every recorded turn (the METRICS stream keeps 30 days)."""


# --- results -------------------------------------------------------------------------------------------


class TypeSummary(BaseModel):
    count: int
    average_score: float | None


class AggregateResult(BaseModel):
    total_interviews: int
    average_score: float | None = Field(description="0-10; null when there is no interview yet")
    unique_candidates: int
    by_interview_type: dict[str, TypeSummary] = Field(description="keyed by interview type id")
    recommendations: dict[Recommendation, int] = Field(description="every recommendation, 0 when unseen")
    competency_averages: dict[Competency, float | None] = Field(
        description="over the interviews that could judge it (a null score is left out, not a 0)"
    )


class ScoreStats(BaseModel):
    """Linear-interpolated percentiles (as numpy's default); all null when `count` is 0."""

    count: int
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    min: float | None
    max: float | None
    average: float | None


class BenchmarksResult(BaseModel):
    interview_type: str = Field(description="the type's id")
    interview_type_name: str
    total_interviews: int
    benchmarks: dict[str, ScoreStats] = Field(description="`overall` and each competency")


class TrendPoint(BaseModel):
    date: str = Field(description="YYYY-MM-DD (UTC)")
    average_score: float
    count: int


class TrendsResult(BaseModel):
    days: int
    trend: str = Field(description="improving, declining or stable")
    change: float = Field(
        description="the least-squares fitted change of the daily average over the days with data, "
        "interview-weighted; |change| < 0.25 is stable (as is a window with fewer than 2 days of data)"
    )
    total_interviews: int
    data: list[TrendPoint] = Field(description="one point per day with interviews, oldest first")


class HistoryPoint(BaseModel):
    session_id: str
    date: str = Field(description="when the report was generated, ISO 8601 UTC")
    interview_type: str
    overall_score: float
    recommendation: Recommendation


class HistoryResult(BaseModel):
    candidate_name: str = Field(description="as last written in a report")
    total_interviews: int
    average_score: float
    best_score: float
    latest_score: float
    improvement: float = Field(description="latest overall score minus the first")
    by_interview_type: dict[str, TypeSummary]
    scores_over_time: list[HistoryPoint] = Field(
        description=f"oldest first; the most recent {MAX_HISTORY_POINTS} at most"
    )


class LatencyStats(BaseModel):
    count: int
    p50: float
    p90: float
    p95: float
    p99: float
    min: float
    max: float
    average: float


class VoiceLatencyResult(BaseModel):
    turns: int = Field(description="turns with at least one measured stage")
    stages: dict[str, LatencyStats] = Field(description="milliseconds, per stage seen")

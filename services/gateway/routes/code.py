"""Code execution (through the tools service), stored submissions, and the problem bank."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from services.gateway.coding import after_execute
from services.gateway.deps import AppDeps
from services.gateway.errors import ApiError, errors
from shared import subjects
from shared.storage import ObjectNotFound, read_model
from shared.tools_api import (
    CodeSubmission,
    ExecuteCodeRequest,
    ExecuteCodeResult,
    ProblemDetail,
    ProblemList,
    ProblemRef,
    ProblemsQuery,
    submission_key,
    submissions_prefix,
)

router = APIRouter(tags=["code"])

# Compilation plus up to 100 tests under the runner's own limits fits well inside this.
EXECUTE_TIMEOUT_S = 120.0
# Submission ids are the tools service's uuid4 hex; anything else names no stored submission.
_SUBMISSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PROBLEM_ID_CHARS = 200  # ProblemRef.problem_id's max_length


class QualitySummary(BaseModel):
    """Code quality over a session's runs (camelCase, as in the seeds); the averages are null before any run."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)

    total_submissions: int
    average_quality_score: float | None = Field(description="0-10")
    best_quality_score: float | None = None
    latest_quality_score: float | None = None
    average_complexity: float | None = Field(description="mean cyclomatic complexity per function")
    pass_rate: float | None = Field(description="share of runs that passed every test, 0-1")
    accepted_submissions: int = 0
    languages: dict[str, int] = Field(default_factory=dict, description="runs per language")
    verdicts: dict[str, int] = Field(default_factory=dict, description="runs per verdict")
    common_deductions: list[str] = Field(
        default_factory=list, description="the most frequent quality deductions"
    )


class SubmissionList(BaseModel):
    submissions: list[CodeSubmission] = Field(description="oldest first")
    summary: QualitySummary


class SubmissionResponse(BaseModel):
    submission: CodeSubmission


@router.post("/api/code/execute", response_model=ExecuteCodeResult, responses=errors(404, 422, 502, 503, 504))
async def execute_code(body: ExecuteCodeRequest, deps: AppDeps) -> ExecuteCodeResult:
    """Run code in the sandbox against `testCases` or the tests of `problemId`; the run is stored. A run of
    the problem the interviewer handed out in this session is also told to the interviewer, who reacts."""
    result = await deps.bus.call_tool(subjects.TOOLS_CODE_EXECUTE, body, ExecuteCodeResult, EXECUTE_TIMEOUT_S)
    if body.problem_id is not None:
        await after_execute(deps, body.session_id, result.submission_id)
    return result


async def _submissions(deps: AppDeps, session_id: str) -> list[CodeSubmission]:
    await deps.sessions.get(session_id)
    found = []
    for key in await deps.store.list(submissions_prefix(session_id)):
        try:
            submission, _ = await read_model(deps.store, key, CodeSubmission)
        except ObjectNotFound:
            continue
        found.append(submission)
    found.sort(key=lambda s: s.submitted_at)
    return found


def quality_summary(submissions: list[CodeSubmission]) -> QualitySummary:
    if not submissions:
        return QualitySummary(
            total_submissions=0, average_quality_score=None, average_complexity=None, pass_rate=None
        )
    scores = [s.quality_metrics.quality_score for s in submissions]
    complexities = [s.quality_metrics.average_complexity for s in submissions]
    deductions = Counter(d.split(":")[0] for s in submissions for d in s.quality_metrics.deductions)
    accepted = sum(s.all_tests_passed for s in submissions)
    return QualitySummary(
        total_submissions=len(submissions),
        average_quality_score=round(statistics.mean(scores), 2),
        best_quality_score=max(scores),
        latest_quality_score=scores[-1],
        average_complexity=round(statistics.mean(complexities), 2),
        pass_rate=round(accepted / len(submissions), 3),
        accepted_submissions=accepted,
        languages=dict(Counter(s.language for s in submissions)),
        verdicts=dict(Counter(s.verdict for s in submissions)),
        common_deductions=[d for d, _ in deductions.most_common(5)],
    )


@router.get("/api/code/{session_id}/submissions", response_model=SubmissionList, responses=errors(404))
async def list_submissions(session_id: str, deps: AppDeps) -> SubmissionList:
    """Every run of the session, oldest first, and the quality summary."""
    submissions = await _submissions(deps, session_id)
    return SubmissionList(submissions=submissions, summary=quality_summary(submissions))


@router.get(
    "/api/code/{session_id}/submissions/{submission_id}",
    response_model=SubmissionResponse,
    responses=errors(404),
)
async def get_submission(session_id: str, submission_id: str, deps: AppDeps) -> SubmissionResponse:
    """One stored run: the code, every test's outcome, the quality metrics."""
    await deps.sessions.get(session_id)
    if not _SUBMISSION_ID.match(submission_id):
        raise ApiError(404, "submission_not_found", f"No submission {submission_id!r} in this session.")
    try:
        submission, _ = await read_model(
            deps.store, submission_key(session_id, submission_id), CodeSubmission
        )
    except ObjectNotFound:
        raise ApiError(
            404, "submission_not_found", f"No submission {submission_id!r} in this session."
        ) from None
    return SubmissionResponse(submission=submission)


@router.get("/api/code/{session_id}/quality-summary", response_model=QualitySummary, responses=errors(404))
async def get_quality_summary(session_id: str, deps: AppDeps) -> QualitySummary:
    """Code quality over the session's runs."""
    return quality_summary(await _submissions(deps, session_id))


@router.get(
    "/api/problems", response_model=ProblemList, responses=errors(422, 502, 503, 504), tags=["problems"]
)
async def list_problems(deps: AppDeps, query: Annotated[ProblemsQuery, Query()]) -> ProblemList:
    """The coding problems (summaries), optionally filtered by `tag` (e.g. arrays, graphs,
    dynamic-programming; an unknown tag is 422 naming the known ones) and `difficulty`."""
    return await deps.bus.call_tool(subjects.TOOLS_PROBLEMS_LIST, query, ProblemList, 10)


@router.get(
    "/api/problems/{problem_id}",
    response_model=ProblemDetail,
    responses=errors(404, 502, 503, 504),
    tags=["problems"],
)
async def get_problem(problem_id: str, deps: AppDeps) -> ProblemDetail:
    """One problem: statement, examples, signatures, sample tests; never the hidden tests or solutions."""
    if len(problem_id) > MAX_PROBLEM_ID_CHARS:  # longer than any id: no such problem (ProblemRef refuses it)
        raise ApiError(404, "problem_not_found", "No problem with such a long id.")
    return await deps.bus.call_tool(
        subjects.TOOLS_PROBLEMS_GET, ProblemRef(problem_id=problem_id), ProblemDetail, 10
    )

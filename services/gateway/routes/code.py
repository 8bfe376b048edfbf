"""Code execution (through the tools service), stored submissions, and the problem bank."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from fastapi import APIRouter, Query

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


@router.post(
    "/api/code/execute", response_model=ExecuteCodeResult, responses=errors(404, 422, 503, 504)
)
async def execute_code(body: ExecuteCodeRequest, deps: AppDeps) -> ExecuteCodeResult:
    """Run code in the sandbox against `testCases` or the tests of `problemId`; the run is stored."""
    await deps.sessions.get(body.session_id)
    return await deps.bus.call_tool(
        subjects.TOOLS_CODE_EXECUTE, body, ExecuteCodeResult, EXECUTE_TIMEOUT_S
    )


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


def quality_summary(submissions: list[CodeSubmission]) -> dict[str, Any]:
    if not submissions:
        return {
            "totalSubmissions": 0,
            "averageQualityScore": None,
            "averageComplexity": None,
            "passRate": None,
        }
    scores = [float(s.quality_metrics.get("quality_score", 0.0)) for s in submissions]
    complexities = [float(s.quality_metrics.get("average_complexity", 0.0)) for s in submissions]
    deductions = Counter(
        d.split(":")[0] for s in submissions for d in s.quality_metrics.get("deductions", [])
    )
    return {
        "totalSubmissions": len(submissions),
        "averageQualityScore": round(statistics.mean(scores), 2),
        "bestQualityScore": max(scores),
        "latestQualityScore": scores[-1],
        "averageComplexity": round(statistics.mean(complexities), 2),
        "passRate": round(sum(s.all_tests_passed for s in submissions) / len(submissions), 3),
        "acceptedSubmissions": sum(s.all_tests_passed for s in submissions),
        "languages": dict(Counter(s.language for s in submissions)),
        "verdicts": dict(Counter(s.verdict for s in submissions)),
        "commonDeductions": [d for d, _ in deductions.most_common(5)],
    }


@router.get("/api/code/{session_id}/submissions", responses=errors(404))
async def list_submissions(session_id: str, deps: AppDeps) -> dict[str, Any]:
    submissions = await _submissions(deps, session_id)
    return {"submissions": [s.public() for s in submissions], "summary": quality_summary(submissions)}


@router.get("/api/code/{session_id}/submissions/{submission_id}", responses=errors(404))
async def get_submission(session_id: str, submission_id: str, deps: AppDeps) -> dict[str, Any]:
    await deps.sessions.get(session_id)
    if not submission_id.isalnum():
        raise ApiError(404, "submission_not_found", f"No submission {submission_id!r} in this session.")
    try:
        submission, _ = await read_model(
            deps.store, submission_key(session_id, submission_id), CodeSubmission
        )
    except ObjectNotFound:
        raise ApiError(
            404, "submission_not_found", f"No submission {submission_id!r} in this session."
        ) from None
    return {"submission": submission.public()}


@router.get("/api/code/{session_id}/quality-summary", responses=errors(404))
async def get_quality_summary(session_id: str, deps: AppDeps) -> dict[str, Any]:
    return quality_summary(await _submissions(deps, session_id))


@router.get("/api/problems", response_model=ProblemList, responses=errors(422, 503, 504), tags=["problems"])
async def list_problems(
    deps: AppDeps,
    tag: str | None = Query(default=None, description="e.g. arrays, graphs, dynamic-programming"),
    difficulty: str | None = Query(default=None, pattern="^(easy|medium|hard)$"),
) -> ProblemList:
    """The coding problems (summaries), optionally filtered."""
    return await deps.bus.call_tool(
        subjects.TOOLS_PROBLEMS_LIST, ProblemsQuery(tag=tag, difficulty=difficulty), ProblemList, 10
    )


@router.get(
    "/api/problems/{problem_id}", response_model=ProblemDetail, responses=errors(404, 503, 504), tags=["problems"]
)
async def get_problem(problem_id: str, deps: AppDeps) -> ProblemDetail:
    """One problem: statement, examples, signatures, sample tests; never the hidden tests or solutions."""
    return await deps.bus.call_tool(
        subjects.TOOLS_PROBLEMS_GET, ProblemRef(problem_id=problem_id), ProblemDetail, 10
    )

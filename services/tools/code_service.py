"""Code execution as a use case: resolve the tests (inline or from the problem bank), run them in the
sandbox, measure quality, store the submission with the session."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from services.tools.problems import function_submission, get_problem, runner_limits, runner_tests
from services.tools.runner import RunLimits, RunRequest, RunResult, TestCase, analyze_quality, run_tests
from shared.sessions import SessionRepository, utc_now_iso
from shared.storage import ObjectStore, write_model
from shared.tools_api import CodeSubmission, ExecuteCodeRequest, submission_key


class CodeRequestError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _prepare(request: ExecuteCodeRequest) -> RunRequest:
    if request.problem_id:
        problem = get_problem(request.problem_id)
        if problem is None:
            raise CodeRequestError("problem_not_found", f"No problem with id {request.problem_id!r}.", 404)
        limits = RunLimits(**runner_limits(problem))
        if request.language in ("python", "javascript"):
            wrapped = function_submission(problem, request.language, request.code)
            tests = [TestCase(**t) for t in runner_tests(problem, "function")]
            return RunRequest(
                language=request.language,
                code=wrapped.code,
                function_name=wrapped.function_name,
                tests=tests,
                limits=limits,
            )
        tests = [TestCase(**t) for t in runner_tests(problem, "stdio")]
        return RunRequest(language=request.language, code=request.code, tests=tests, limits=limits)
    if not request.test_cases:
        raise CodeRequestError("no_tests", "Send `testCases` or a `problemId` to run the code against.", 422)
    return RunRequest(
        language=request.language,
        code=request.code,
        function_name=request.function_name,
        tests=[TestCase(**t.model_dump()) for t in request.test_cases],
    )


def contract_test_results(result: RunResult) -> list[dict[str, Any]]:
    """The contract's per-test shape plus the verdict, memory and hidden flag."""
    return [
        {
            "input": t.input,
            "expected": t.expected,
            "actual": t.actual,
            "passed": t.passed,
            "error": t.error,
            "time_ms": t.time_ms,
            "verdict": t.verdict,
            "verdictLabel": t.verdict_label,
            "memory_kb": t.memory_kb,
            "hidden": t.hidden,
            "stdout": t.stdout,
        }
        for t in result.test_results
    ]


class CodeService:
    def __init__(self, store: ObjectStore, sessions: SessionRepository) -> None:
        self.store = store
        self.sessions = sessions

    async def execute(self, request: ExecuteCodeRequest) -> dict[str, Any]:
        await self.sessions.get(request.session_id)  # SessionNotFound -> 404
        try:
            # Building a problem's large tests costs up to ~1 s of CPU: keep it off the event loop.
            run_request = await asyncio.to_thread(_prepare, request)
        except ValueError as err:  # the runner's own validation (function name, sizes, ...)
            raise CodeRequestError("invalid_request", str(err), 422) from None
        result = await run_tests(run_request)
        quality = (await asyncio.to_thread(analyze_quality, request.code, request.language)).model_dump()
        submission = CodeSubmission(
            submission_id=uuid.uuid4().hex,
            session_id=request.session_id,
            submitted_at=utc_now_iso(),
            language=request.language,
            problem_id=request.problem_id,
            function_name=request.function_name,
            code=request.code,
            verdict=result.verdict,
            verdict_label=result.verdict_label,
            all_tests_passed=result.all_passed,
            passed_count=result.passed_count,
            total=result.total,
            execution_time_ms=result.execution_time_ms,
            test_results=contract_test_results(result),
            compile_output=result.compile_output,
            quality_metrics=quality,
        )
        await write_model(
            self.store, submission_key(request.session_id, submission.submission_id), submission
        )
        return {
            "success": True,
            "testResults": submission.test_results,
            "allTestsPassed": result.all_passed,
            "executionTime": round(result.execution_time_ms / 1000, 4),
            "executionTimeMs": result.execution_time_ms,
            "verdict": result.verdict,
            "verdictLabel": result.verdict_label,
            "passedCount": result.passed_count,
            "total": result.total,
            "compileOutput": result.compile_output,
            "error": result.error,
            "qualityMetrics": quality,
            "submissionId": submission.submission_id,
        }

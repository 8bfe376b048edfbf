"""Code execution as a use case: resolve the tests (inline or from the problem bank), run them in the
sandbox, measure quality, store the submission with the session.

Its ports are the runner (`Runner`) and the object store; the problem bank and the quality metrics are
pure domain code. Every refusal is a `DomainError` (the handlers' middleware turns it into a 4xx reply).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Protocol

from pydantic import ValidationError

from services.tools.problems import ProblemBank, function_submission, runner_limits, runner_tests
from services.tools.runner import (
    InvalidRunRequest,
    RunLimits,
    RunRequest,
    RunResult,
    TestCase,
    TestResult,
    analyze_quality,
)
from shared.sessions import SessionRepository, utc_now_iso
from shared.storage import ObjectStore, write_model
from shared.tools_api import (
    CodeSubmission,
    ExecuteCodeRequest,
    ExecuteCodeResult,
    QualityMetrics,
    TestOutcome,
    submission_key,
)


class Runner(Protocol):
    async def run(self, request: RunRequest) -> RunResult: ...


def _run_request(request: ExecuteCodeRequest, bank: ProblemBank) -> RunRequest:
    """The runner's request: the problem's own tests and limits, or the client's tests."""
    if request.problem_id:
        problem = bank.get(request.problem_id)
        tests = bank.expanded_tests(problem)  # up to ~1 s of CPU for large generated tests
        limits = RunLimits(**runner_limits(problem, tests))
        if request.language in ("python", "javascript"):
            wrapped = function_submission(problem, request.language, request.code)
            return RunRequest(
                language=request.language,
                code=wrapped.code,
                function_name=wrapped.function_name,
                tests=[TestCase(**t) for t in runner_tests(problem, tests, "function")],
                limits=limits,
            )
        return RunRequest(
            language=request.language,
            code=request.code,
            tests=[TestCase(**t) for t in runner_tests(problem, tests, "stdio")],
            limits=limits,
        )
    assert request.test_cases, "ExecuteCodeRequest guarantees tests when there is no problem"
    return RunRequest(
        language=request.language,
        code=request.code,
        function_name=request.function_name,
        tests=[TestCase(**t.model_dump()) for t in request.test_cases],
    )


def test_outcomes(results: list[TestResult]) -> list[TestOutcome]:
    """The contract's per-test shape (plus the verdict, memory and the hidden flag)."""
    return [
        TestOutcome(
            input=t.input,
            expected=t.expected,
            actual=t.actual,
            passed=t.passed,
            error=t.error,
            time_ms=t.time_ms,
            verdict=t.verdict,
            verdict_label=t.verdict_label,
            memory_kb=t.memory_kb,
            hidden=t.hidden,
            stdout=t.stdout,
        )
        for t in results
    ]


class CodeService:
    def __init__(
        self, runner: Runner, bank: ProblemBank, store: ObjectStore, sessions: SessionRepository
    ) -> None:
        self.runner = runner
        self.bank = bank
        self.store = store
        self.sessions = sessions

    async def execute(self, request: ExecuteCodeRequest) -> ExecuteCodeResult:
        await self.sessions.get(request.session_id)  # SessionNotFound: 404
        try:
            run_request = await asyncio.to_thread(_run_request, request, self.bank)
        except ValidationError as err:  # the runner's own bounds (code size, function name shape, ...)
            raise InvalidRunRequest(_first_problem(err)) from None
        result = await self.runner.run(run_request)
        quality = await asyncio.to_thread(analyze_quality, request.code, request.language)
        submission = self._submission(request, result, quality)
        await write_model(
            self.store, submission_key(request.session_id, submission.submission_id), submission
        )
        return ExecuteCodeResult(
            test_results=submission.test_results,
            all_tests_passed=result.all_passed,
            execution_time=round(result.execution_time_ms / 1000, 4),
            execution_time_ms=result.execution_time_ms,
            verdict=result.verdict,
            verdict_label=result.verdict_label,
            passed_count=result.passed_count,
            total=result.total,
            compile_output=result.compile_output,
            error=result.error,
            quality_metrics=quality,
            submission_id=submission.submission_id,
        )

    @staticmethod
    def _submission(
        request: ExecuteCodeRequest, result: RunResult, quality: QualityMetrics
    ) -> CodeSubmission:
        return CodeSubmission(
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
            test_results=test_outcomes(result.test_results),
            compile_output=result.compile_output,
            quality_metrics=quality,
        )


def _first_problem(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])

"""`CodeRunner.run`: check or compile a submission, run its tests in the sandbox, judge the results.

All tests of a submission run in one sandboxed harness process. When a test kills that process
(a segfault, a hard timeout, the program killing the harness), the test is judged from how the
process died and a new harness continues with the next test, until the run's time budget is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import re
import signal
import time
from collections.abc import AsyncIterator
from typing import Any

from services.tools.runner.compile_cache import CompileCache
from services.tools.runner.config import RunnerConfig
from services.tools.runner.judge import RawTest, judge_test, marker_status, to_test_result
from services.tools.runner.languages import ADAPTERS
from services.tools.runner.languages.base import (
    START,
    STEP_GRACE_S,
    TASK_MOUNT,
    TESTS_MOUNT,
    LanguageContext,
    Preparation,
    SessionPlan,
    session_limits,
    write_tests,
)
from services.tools.runner.limits import HARNESS_STARTUP_S, MIB, RunLimits
from services.tools.runner.models import (
    FUNCTION_STYLE_LANGUAGES,
    MAX_TEST_DATA_BYTES,
    InvalidRunRequest,
    RunRequest,
    RunResult,
    TestResult,
    Verdict,
    verdict_label,
)
from services.tools.runner.sandbox import (
    Bind,
    Sandbox,
    SandboxOutcome,
    SandboxSpec,
    SandboxUnavailable,
    TaskDir,
)

STDERR_NOTE_CAP = 4000
logger = logging.getLogger(__name__)


def validate_request(request: RunRequest) -> None:
    """Semantic checks pydantic cannot express. Raises InvalidRunRequest with a clear message."""
    if request.style == "function":
        if request.language not in FUNCTION_STYLE_LANGUAGES:
            raise InvalidRunRequest(
                f"function-style tests (function_name) are available for Python and JavaScript; "
                f"{request.language} takes stdin/expected_stdout tests",
                fields=["functionName"],
            )
        if any(test.stdin is not None or test.expected_stdout is not None for test in request.tests):
            raise InvalidRunRequest(
                "function-style tests use input/expected, not stdin/expected_stdout", fields=["testCases"]
            )
    elif any(test.input is not None and test.stdin is None for test in request.tests):
        raise InvalidRunRequest(
            "tests with input/expected need function_name; stdin-style tests use stdin/expected_stdout",
            fields=["functionName"],
        )
    size = sum(
        len(json.dumps([test.input, test.expected, test.stdin, test.expected_stdout], default=str))
        for test in request.tests
    )
    if size > MAX_TEST_DATA_BYTES:
        raise InvalidRunRequest(
            f"the tests hold {size} bytes of data; the limit is {MAX_TEST_DATA_BYTES}", fields=["testCases"]
        )


class CodeRunner:
    """Runs submissions in the sandbox; one per process, built by the tools service's bootstrap."""

    def __init__(self, config: RunnerConfig) -> None:
        self.config = config
        self.sandbox = Sandbox(self.config)
        owner = None
        if self.config.switches_user and self.config.sandbox_uid is not None:
            owner = (self.config.sandbox_uid, self.config.sandbox_gid or self.config.sandbox_uid)
        self.cache = CompileCache(self.config.cache_dir, self.config.cache_max_entries, owner)
        self.context = LanguageContext(self.config, self.sandbox, self.cache)
        self._slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """At most `max_concurrent_runs` sandboxes per event loop (the cores are shared)."""
        loop = asyncio.get_running_loop()
        semaphore = self._slots.setdefault(loop, asyncio.Semaphore(self.config.max_concurrent_runs))
        async with semaphore:
            yield

    async def run(self, request: RunRequest) -> RunResult:
        """Never raises for bad code (that is a verdict); raises InvalidRunRequest for a request
        that cannot be run as sent."""
        validate_request(request)
        started = time.monotonic()
        missing = missing_tools(self.config, request)
        if missing:
            message = f"The {request.language} toolchain is not installed: {', '.join(missing)} not found."
            return failed_run(request, Preparation(failure="internal_error", message=message), started)
        async with self._slot():
            task = TaskDir(self.config.work_dir)
            try:
                preparation = await ADAPTERS[request.language].prepare(request, task, self.context)
                if preparation.failure is not None or preparation.plan is None:
                    return failed_run(request, preparation, started)
                raws = await self._run_sessions(preparation.plan, request, task)
            except SandboxUnavailable as error:
                failure = Preparation(
                    failure="internal_error", message=f"The sandbox is unavailable: {error}"
                )
                return failed_run(request, failure, started)
            except Exception as error:  # a bug of ours must not look like the candidate's fault
                logger.exception("code run failed (%s)", request.language)
                failure = Preparation(failure="internal_error", message=f"The runner failed: {error!r}")
                return failed_run(request, failure, started)
            finally:
                task.remove()
        return judged_run(request, preparation, raws, started)

    async def _run_sessions(
        self, plan: SessionPlan, request: RunRequest, task: TaskDir
    ) -> dict[int, RawTest]:
        """Visible tests first, then hidden ones, each group in its own sandbox sessions."""
        limits = request.limits
        raws: dict[int, RawTest] = {}
        deadline = time.monotonic() + limits.total_time_s + HARNESS_STARTUP_S
        visible = [index for index, test in enumerate(request.tests) if not test.hidden]
        hidden = [index for index, test in enumerate(request.tests) if test.hidden]
        for position, group in enumerate(group for group in (visible, hidden) if group):
            note = stop_note(raws, limits)
            if note is not None:
                skip(raws, group, note)
                continue
            tests_dir = TaskDir(self.config.work_dir)
            try:
                cases = [(index, request.tests[index]) for index in group]
                write_tests(tests_dir, plan, request.style, cases, first_group=position == 0)
                await self._run_group(plan, request, task, tests_dir, group, raws, deadline)
            finally:
                tests_dir.remove()
        return raws

    async def _run_group(
        self,
        plan: SessionPlan,
        request: RunRequest,
        task: TaskDir,
        tests_dir: TaskDir,
        group: list[int],
        raws: dict[int, RawTest],
        deadline: float,
    ) -> None:
        limits = request.limits
        pending = list(group)
        while pending:
            remaining_s = deadline - time.monotonic()
            if remaining_s <= 0:
                skip(
                    raws, pending, f"Not run: the run's time budget ({limits.total_time_s:g} s) was used up."
                )
                return
            spec = SandboxSpec(
                command=[part.replace(START, str(pending[0])) for part in plan.command],
                limits=session_limits(plan, limits, len(pending)),
                binds=[Bind(task.path, TASK_MOUNT), Bind(tests_dir.path, TESTS_MOUNT), *plan.binds],
                env=plan.env,
                tmp_size_mb=limits.tmp_size_mb + math.ceil(limits.max_output_bytes / MIB) + 1,
                wall_timeout_s=remaining_s,
                step_timeout_s=limits.wall_time_s + STEP_GRACE_S,
                max_stdout_bytes=limits.max_output_bytes,
                max_event_bytes=2 * limits.max_output_bytes + MIB,
                stop_after=timed_out_result if limits.stop_on_time_limit else None,
            )
            outcome = await self.sandbox.run(spec)
            pending = absorb(outcome, raws, pending, plan)
            note = stop_note(raws, limits)
            if note is not None and pending:
                skip(raws, pending, note)
                return


def required_tools(config: RunnerConfig, request: RunRequest) -> list[str]:
    """Executables a run needs (the Python interpreter also runs the whole-program harness)."""
    tools = {
        "python": [config.python_path],
        "javascript": [config.node_path]
        if request.style == "function"
        else [config.node_path, config.python_path],
        "java": [config.javac_path, config.java_path, config.python_path],
        "cpp": [config.gxx_path, config.python_path],
    }[request.language]
    return [config.bwrap_path, config.prlimit_path, *tools]


def missing_tools(config: RunnerConfig, request: RunRequest) -> list[str]:
    return [tool for tool in required_tools(config, request) if not os.path.exists(tool)]


def timed_out_result(event: dict[str, Any]) -> bool:
    return event.get("event") == "result" and event.get("status") == "timeout"


def stop_note(raws: dict[int, RawTest], limits: RunLimits) -> str | None:
    """After a test timed out, the rest would most likely time out too: say so instead."""
    if not limits.stop_on_time_limit:
        return None
    timed_out = [index for index, raw in raws.items() if raw.status == "timeout" and not raw.skipped]
    if not timed_out:
        return None
    return f"Not run: test {min(timed_out) + 1} exceeded the time limit, so the remaining tests were skipped."


def skip(raws: dict[int, RawTest], indices: list[int], note: str) -> None:
    for index in indices:
        raws.setdefault(index, RawTest(status="timeout", note=note, skipped=True))


def absorb(
    outcome: SandboxOutcome, raws: dict[int, RawTest], pending: list[int], plan: SessionPlan
) -> list[int]:
    """Record what one harness session reported; return the tests still to run."""
    wanted = set(pending)
    before = len(raws)
    for event in outcome.events:
        kind = event.get("event")
        index = event.get("index")
        if kind == "result" and isinstance(index, int) and index in wanted:
            raws.setdefault(index, RawTest.from_event(event))
        elif kind == "precheck" and event.get("status") != "ok":
            raw = RawTest.from_event(event)
            raw.status = "compile_error"
            raw.error = node_syntax_error(raw.stderr)
            fill(raws, pending, raw)
            return []
        elif kind == "fatal":
            fill(raws, pending, RawTest.from_event(event))
            return []
    open_step = outcome.open_step
    if outcome.killed == "stopped":
        pass  # stopped on purpose after a result: the test it had just begun is skipped, not failed
    elif open_step is not None and open_step in wanted and open_step not in raws:
        raws[open_step] = crashed_test(outcome, plan)
    elif len(raws) == before:
        # The harness died before starting a test (or before the code loaded): judge them all.
        fill(raws, pending, crashed_test(outcome, plan))
        return []
    return [index for index in pending if index not in raws]


def node_syntax_error(stderr: str) -> dict[str, Any]:
    """`node --check` output as `SyntaxError: ...` plus the offending code line and caret."""
    lines = stderr.replace(f"{TASK_MOUNT}/", "").splitlines()
    location = re.match(r"^main\.js:(\d+)", lines[0]) if lines else None
    error = next((line.strip() for line in lines if line.startswith("SyntaxError")), None)
    if location is None or error is None:
        return {"message": stderr.strip()[:2000] or "node --check failed without a message", "line": None}
    excerpt = [line for line in lines[1:3] if line.strip()]
    return {"message": "\n".join([error, *excerpt]), "line": int(location.group(1))}


def fill(raws: dict[int, RawTest], indices: list[int], raw: RawTest) -> None:
    for index in indices:
        if index not in raws:
            raws[index] = RawTest(**{**raw.__dict__, "extra": {}})


def exit_signal(outcome: SandboxOutcome) -> int | None:
    """bubblewrap reports a signal-killed child as status 128 + signal."""
    if outcome.term_signal is not None:
        return outcome.term_signal
    if outcome.exit_code is not None and 128 < outcome.exit_code <= 128 + 64:
        return outcome.exit_code - 128
    return None


def crashed_test(outcome: SandboxOutcome, plan: SessionPlan) -> RawTest:
    """A test during which the harness process died or was killed."""
    stderr = outcome.stderr_text[-STDERR_NOTE_CAP:]
    raw = RawTest(status="runtime_error", stderr=stderr, wall_ms=outcome.wall_ms, exit_code=outcome.exit_code)
    if outcome.killed in ("step_timeout", "wall_timeout"):
        raw.status = "timeout"
        return raw
    if outcome.killed == "output_limit":
        raw.status = "output_limit"
        return raw
    if outcome.stderr_text.startswith("bwrap:"):
        raw.status = "internal_error"  # the sandbox itself failed: not the candidate's doing
        raw.note = f"The sandbox could not start: {outcome.stderr_text.strip()[:500]}"
        return raw
    sig = exit_signal(outcome)
    raw.signal = sig
    marked = marker_status(raw, plan.stderr_markers)
    if marked == "memory":
        raw.status = "memory"
    elif sig in (signal.SIGKILL, signal.SIGXCPU):
        raw.status = "timeout"  # the hard CPU limit (pid 1 of the sandbox only dies by SIGKILL)
    elif sig == signal.SIGSEGV or marked == "stack":
        raw.note = (
            "The program crashed with a segmentation fault, most likely a stack overflow from deep recursion."
        )
    elif sig is not None:
        raw.note = f"The test process was killed by signal {sig}."
    else:
        raw.note = f"The test process ended unexpectedly (exit status {outcome.exit_code})."
    return raw


def judged_run(
    request: RunRequest, preparation: Preparation, raws: dict[int, RawTest], started: float
) -> RunResult:
    plan = preparation.plan
    markers = plan.stderr_markers if plan else {}
    function_style = request.style == "function"
    results: list[TestResult] = []
    for index, test in enumerate(request.tests):
        raw = raws.get(index) or RawTest(status="internal_error", note="The test was not run.")
        judged = judge_test(raw, test, function_style, request.limits, markers)
        results.append(to_test_result(index, test, raw, judged, function_style))
    return assemble(request, preparation, results, started)


def failed_run(request: RunRequest, preparation: Preparation, started: float) -> RunResult:
    """Nothing ran: the policy refused the code, it did not compile, or the sandbox failed."""
    verdict: Verdict = preparation.failure or "internal_error"
    label = verdict_label(verdict)
    results = [
        TestResult(
            index=index,
            input=None if test.hidden else (test.input if request.style == "function" else test.stdin),
            expected=None
            if test.hidden
            else (test.expected if request.style == "function" else test.expected_stdout),
            passed=False,
            verdict=verdict,
            verdict_label=label,
            error=label if test.hidden else preparation.message,
            hidden=test.hidden,
        )
        for index, test in enumerate(request.tests)
    ]
    return assemble(request, preparation, results, started)


def assemble(
    request: RunRequest, preparation: Preparation, results: list[TestResult], started: float
) -> RunResult:
    first_failure = next((result for result in results if not result.passed), None)
    verdict: Verdict = first_failure.verdict if first_failure else "accepted"
    memories = [result.memory_kb for result in results if result.memory_kb is not None]
    return RunResult(
        verdict=verdict,
        verdict_label=verdict_label(verdict),
        all_passed=first_failure is None,
        passed_count=sum(result.passed for result in results),
        total=len(results),
        test_results=results,
        compile_output=preparation.compile_output,
        execution_time_ms=round((time.monotonic() - started) * 1000, 3),
        language=request.language,
        style=request.style,
        error=preparation.message if preparation.failure else None,
        compile_time_ms=round(preparation.compile_time_ms, 3)
        if preparation.compile_time_ms is not None
        else None,
        compile_cache_hit=preparation.cache_hit,
        max_time_ms=max((result.time_ms for result in results), default=0.0),
        max_memory_kb=max(memories) if memories else None,
    )

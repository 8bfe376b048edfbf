"""What every language adapter produces: a plan for running the tests in a sandbox.

An adapter checks or compiles the code (`prepare`), writes the code and the harness into the task
folder (bound at /task), and returns a `SessionPlan`: which harness runs, with which command,
limits and request payload. The runner writes the tests themselves into a second folder (bound at
/tests), one for the visible tests and another for the hidden ones, so that a program printing
its inputs during a visible test cannot reveal the hidden inputs. It restarts the harness after a
test that killed it.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from services.tools.runner.compile_cache import BuildOutcome, CompileCache
from services.tools.runner.config import RunnerConfig
from services.tools.runner.limits import HARNESS_STARTUP_S, ProcessLimits, RunLimits, process_limits
from services.tools.runner.models import RunRequest, TestCase, Verdict
from services.tools.runner.sandbox import RESULT_FD, Bind, Sandbox, SandboxSpec, TaskDir

HARNESS_DIR = Path(__file__).resolve().parent.parent / "harness"
PROCESS_HARNESS = "process_harness.py"  # forks a whole program (JS stdin, Java, C++) per test
START = "{START}"
TASK_MOUNT = "/task"
TESTS_MOUNT = "/tests"
ARTIFACT_MOUNT = "/app"
COMPILE_OUTPUT_MOUNT = "/out"
COMPILER_OUTPUT_CAP = 64 * 1024
STEP_GRACE_S = 1.5  # beyond a test's wall limit before the worker kills the sandbox


@dataclass
class SessionPlan:
    harness: str  # file in harness/, copied to /task
    command: list[str]  # inside the sandbox; START and RESULT_FD are filled in per session
    address_space_extra_mb: int | None  # None: no RLIMIT_AS
    binds: list[Bind] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    stderr_markers: dict[str, str] = field(default_factory=dict)  # text in stderr -> status
    payload: dict[str, Any] = field(default_factory=dict)  # request.json for the harness, minus tests


@dataclass
class Preparation:
    plan: SessionPlan | None = None
    failure: Verdict | None = None  # rejected / compilation_error / internal_error: nothing runs
    message: str | None = None
    compile_output: str | None = None
    compile_time_ms: float | None = None
    cache_hit: bool | None = None


@dataclass
class LanguageContext:
    config: RunnerConfig
    sandbox: Sandbox
    cache: CompileCache


class LanguageAdapter(Protocol):
    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation: ...


def parse_json_text(value: Any) -> Any:
    """The seeds send JSON inside strings: parse a str that holds JSON, keep any other value."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def write_tests(
    folder: TaskDir, plan: SessionPlan, style: str, tests: list[tuple[int, TestCase]], first_group: bool
) -> None:
    """request.json (the plan's payload plus these tests) and the stdin files, never the answers.
    A syntax precheck runs with the first group only."""
    entries: list[dict[str, Any]] = []
    for index, test in tests:
        if style == "function":
            entries.append({"index": index, "args": parse_json_text(test.input)})
        else:
            name = f"stdin/{index}.txt"
            folder.write(name, test.stdin or "")
            entries.append({"index": index, "stdin_file": name})
    payload = {**plan.payload, "tests": entries}
    if not first_group:
        payload.pop("precheck", None)
    folder.write("request.json", json.dumps(payload, ensure_ascii=False, allow_nan=True))


def limits_payload(limits: RunLimits) -> dict[str, Any]:
    return {
        "cpu_time_s": limits.cpu_time_s,
        "wall_time_s": limits.wall_time_s,
        "max_output_bytes": limits.max_output_bytes,
    }


def copy_harness(task: TaskDir, name: str) -> None:
    task.copy(HARNESS_DIR / name, name)


def python_command(config: RunnerConfig, harness: str) -> list[str]:
    """The sandbox's Python running a harness (isolated mode, no site, no bytecode files)."""
    return [config.python_path, "-I", "-S", "-B", "-X", "utf8", f"{TASK_MOUNT}/{harness}", RESULT_FD, START]


def strip_paths(output: str, *prefixes: str) -> str:
    for prefix in prefixes:
        output = output.replace(prefix, "")
    return output[:COMPILER_OUTPUT_CAP]


async def compile_in_sandbox(
    context: LanguageContext,
    command: list[str],
    task: TaskDir,
    output_dir: Path,
    limits: RunLimits,
    address_space_extra_mb: int | None,
    source_prefix: str,
) -> BuildOutcome:
    """Run a compiler in the sandbox: the task folder read-only at /task, `output_dir` at /out."""
    compile_limits = ProcessLimits(
        cpu_s=math.ceil(limits.compile_time_s),
        address_space_mb=(limits.compile_memory_mb + address_space_extra_mb)
        if address_space_extra_mb is not None
        else None,
        stack_mb=max(limits.stack_mb, 16),
        processes=64,
        file_bytes=256 * 1024 * 1024,
        open_files=256,
    )
    spec = SandboxSpec(
        command=command,
        limits=compile_limits,
        binds=[Bind(task.path, TASK_MOUNT), Bind(output_dir, COMPILE_OUTPUT_MOUNT, writable=True)],
        tmp_size_mb=256,
        wall_timeout_s=limits.compile_time_s * 2 + HARNESS_STARTUP_S,
        max_stdout_bytes=COMPILER_OUTPUT_CAP,
        max_stderr_bytes=COMPILER_OUTPUT_CAP,
    )
    started = time.monotonic()
    outcome = await context.sandbox.run(spec)
    elapsed = (time.monotonic() - started) * 1000
    messages = strip_paths((outcome.stdout + outcome.stderr).decode("utf-8", errors="replace"), source_prefix)
    if outcome.killed == "output_limit":
        text = f"The compiler printed more than {COMPILER_OUTPUT_CAP // 1024} KiB; the beginning:\n{messages}"
        return BuildOutcome(ok=False, output=text, compile_ms=elapsed)
    if outcome.killed is not None:
        text = f"Compilation timed out (limit {limits.compile_time_s:g} s of CPU).\n{messages}".strip()
        return BuildOutcome(ok=False, output=text, compile_ms=elapsed, cacheable=False)
    if outcome.exit_code == 0:
        return BuildOutcome(ok=True, output=messages, compile_ms=elapsed)
    if outcome.exit_code is not None and outcome.exit_code > 128:
        text = (
            f"The compiler was killed (signal {outcome.exit_code - 128}): out of time or memory.\n{messages}"
        )
        return BuildOutcome(ok=False, output=text.strip(), compile_ms=elapsed, cacheable=False)
    return BuildOutcome(ok=False, output=messages or "Compilation failed.", compile_ms=elapsed)


def session_limits(plan: SessionPlan, limits: RunLimits, test_count: int) -> ProcessLimits:
    extra = plan.address_space_extra_mb
    base = process_limits(limits, extra or 0, test_count)
    if extra is None:
        return ProcessLimits(
            cpu_s=base.cpu_s,
            address_space_mb=None,
            stack_mb=base.stack_mb,
            processes=base.processes,
            file_bytes=base.file_bytes,
            open_files=base.open_files,
        )
    return base


def toolchain_stamp(path: str) -> str:
    """Part of the cache key: a new compiler build must not reuse old artefacts."""
    try:
        resolved = Path(path).resolve()
        stat = resolved.stat()
        return f"{resolved}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        return path

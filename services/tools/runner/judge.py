"""Turns what the harness reported into verdicts: comparisons, limits, messages, hidden tests.

The worker compares, not the sandbox: expected answers never enter it, so a program that forges
harness output can at most claim outputs it would have had to compute anyway.
"""

from __future__ import annotations

import math
import re
import signal
from dataclasses import dataclass, field
from typing import Any

from services.tools.runner.languages.base import parse_json_text
from services.tools.runner.limits import RunLimits
from services.tools.runner.models import TestCase, TestResult, Verdict, verdict_label

FLOAT_TOLERANCE = 1e-6
DISPLAY_CAP = 8 * 1024  # stdout/stderr shown per sample test

# What the harness may report for a test, besides "ok".
STATUS_VERDICTS: dict[str, Verdict] = {
    "timeout": "time_limit_exceeded",
    "memory": "memory_limit_exceeded",
    "output_limit": "output_limit_exceeded",
    "runtime_error": "runtime_error",
    "stack": "runtime_error",
    "compile_error": "compilation_error",
    "internal_error": "internal_error",
}
SIGNAL_NAMES = {
    signal.SIGSEGV: "Segmentation fault (SIGSEGV): invalid memory access or stack overflow",
    signal.SIGABRT: "Aborted (SIGABRT)",
    signal.SIGFPE: "Floating-point exception (SIGFPE): e.g. integer division by zero",
    signal.SIGBUS: "Bus error (SIGBUS)",
    signal.SIGILL: "Illegal instruction (SIGILL)",
    signal.SIGKILL: "Killed (SIGKILL)",
    signal.SIGXCPU: "CPU time limit reached (SIGXCPU)",
    signal.SIGXFSZ: "File size limit reached (SIGXFSZ)",
    signal.SIGPIPE: "Broken pipe (SIGPIPE)",
}
_LINE_PATTERNS = (
    # `at Main.main(Main.java:5)`; frames of the JDK carry a module prefix (`java.base/`).
    re.compile(r"^\s*at (?![\w.]+/)[\w$.<>]+\([\w$]+\.java:(\d+)\)", re.MULTILINE),
    re.compile(r"(?:/task/)?main\.js:(\d+)"),  # Node: the program's own frames
    re.compile(r"main\.cpp:(\d+)"),
)
# The line of a crash report that says what went wrong.
_ERROR_LINE = re.compile(
    r"^(?:Exception in thread \"[^\"]*\" )?(?:Uncaught )?(?:[\w$]+[.$])*[\w$]*(?:Error|Exception)\b(?::.*)?$"
)
_JDK_THREAD_PREFIX = re.compile(r'^Exception in thread "[^"]*" ')
TASK_PREFIX = "/task/"


@dataclass
class RawTest:
    """One test as the harness (or the crash of the harness) left it."""

    status: str
    actual: Any = None
    has_actual: bool = False
    actual_is_repr: bool = False
    stdout: str | None = None
    stdout_bytes: int = 0
    stderr: str = ""
    error: dict[str, Any] | None = None
    cpu_ms: float = 0.0
    wall_ms: float = 0.0
    rss_kb: int | None = None
    exit_code: int | None = None
    signal: int | None = None
    note: str | None = None  # why the harness failed, or why the test was skipped
    skipped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> RawTest:
        error = event.get("error")
        return cls(
            status=str(event.get("status", "internal_error")),
            actual=event.get("actual"),
            has_actual="actual" in event,
            actual_is_repr=bool(event.get("actual_is_repr")),
            stdout=event.get("stdout") if isinstance(event.get("stdout"), str) else None,
            stdout_bytes=int(event.get("stdout_bytes") or 0),
            stderr=str(event.get("stderr") or ""),
            error=error if isinstance(error, dict) else None,
            cpu_ms=float(event.get("cpu_ms") or 0.0),
            wall_ms=float(event.get("wall_ms") or 0.0),
            rss_kb=int(event["rss_kb"]) if isinstance(event.get("rss_kb"), (int, float)) else None,
            exit_code=event.get("exit_code") if isinstance(event.get("exit_code"), int) else None,
            signal=event.get("signal") if isinstance(event.get("signal"), int) else None,
        )


# ---------------------------------------------------------------------------- comparisons


def json_equal(expected: Any, actual: Any) -> bool:
    """Equal as JSON values; numbers within 1e-6 when either is a float; bools are not numbers."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if isinstance(expected, int) and isinstance(actual, int):
            return expected == actual
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return math.isclose(expected, actual, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            json_equal(e, a) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(json_equal(expected[k], actual[k]) for k in expected)
    return type(expected) is type(actual) and bool(expected == actual)


def normalize_stdout(text: str) -> str:
    """Trailing whitespace on each line and trailing blank lines do not count; \\r\\n is \\n."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def stdout_matches(expected: str, actual: str) -> bool:
    return normalize_stdout(expected) == normalize_stdout(actual)


# ---------------------------------------------------------------------------- verdicts


def error_line(raw: RawTest) -> int | None:
    if raw.error and isinstance(raw.error.get("line"), int):
        return int(raw.error["line"])
    for pattern in _LINE_PATTERNS:
        match = pattern.search(raw.stderr)
        if match:
            return int(match.group(1))
    return None


def marker_status(raw: RawTest, markers: dict[str, str]) -> str | None:
    text = raw.stderr + (raw.note or "")
    for marker, status in markers.items():
        if marker in text:
            return status
    return None


def runtime_message(raw: RawTest) -> str:
    """`Line N: Type: message` from the harness, or the program's stderr and exit status."""
    line = error_line(raw)
    if raw.error and raw.error.get("message"):
        message = str(raw.error["message"])
    elif raw.note:
        message = "\n".join(part for part in (raw.note, first_error_lines(raw.stderr)) if part)
    else:
        message = first_error_lines(raw.stderr) or exit_description(raw)
    return f"Line {line}: {message}" if line is not None and not message.startswith("Line ") else message


def first_error_lines(stderr: str, count: int = 6) -> str:
    """The line naming the error (Java, Node, C++ terminate), else the first lines of stderr."""
    lines = [line.rstrip() for line in stderr.replace(TASK_PREFIX, "").splitlines() if line.strip()]
    for position, line in enumerate(lines):
        if line.startswith("terminate called"):
            what = [text.strip() for text in lines[position + 1 : position + 2] if "what()" in text]
            return " ".join([line, *what])
        if _ERROR_LINE.match(line.strip()):
            message = _JDK_THREAD_PREFIX.sub("", line.strip())
            if message.startswith("java.lang.StackOverflowError"):
                message += " (the recursion is too deep)"
            return message
    return "\n".join(lines[:count])


def exit_description(raw: RawTest) -> str:
    if raw.signal is not None:
        try:
            return SIGNAL_NAMES.get(signal.Signals(raw.signal), f"Killed by signal {raw.signal}")
        except ValueError:
            return f"Killed by signal {raw.signal}"
    if raw.exit_code not in (None, 0):
        return f"The program exited with status {raw.exit_code}."
    return "The program failed."


def base_verdict(raw: RawTest, markers: dict[str, str]) -> Verdict:
    if raw.status == "ok":
        return "accepted"
    if raw.status == "runtime_error":
        marked = marker_status(raw, markers)
        if marked == "memory":
            return "memory_limit_exceeded"
    return STATUS_VERDICTS.get(raw.status, "internal_error")


def limit_message(verdict: Verdict, raw: RawTest, limits: RunLimits) -> str | None:
    if raw.note and (raw.skipped or verdict not in ("runtime_error",)):
        return raw.note
    if verdict == "time_limit_exceeded":
        return (
            f"Time Limit Exceeded: the test did not finish within {limits.cpu_time_s:g} s of CPU time "
            f"({limits.wall_time_s:g} s of wall time)."
        )
    if verdict == "memory_limit_exceeded":
        if raw.rss_kb and raw.rss_kb > limits.memory_mb * 1024:
            return f"Memory Limit Exceeded: peak memory {raw.rss_kb // 1024} MB, the limit is {limits.memory_mb} MB."
        return f"Memory Limit Exceeded: the program tried to use more than the {limits.memory_mb} MB limit."
    if verdict == "output_limit_exceeded":
        return f"Output Limit Exceeded: more than {limits.max_output_bytes} bytes of output."
    return None


@dataclass
class Judged:
    verdict: Verdict
    passed: bool
    error: str | None
    actual: Any


def judge_test(
    raw: RawTest, test: TestCase, function_style: bool, limits: RunLimits, markers: dict[str, str]
) -> Judged:
    verdict = base_verdict(raw, markers)
    actual: Any = None
    if function_style:
        actual = raw.actual if raw.has_actual else None
    elif raw.stdout is not None:
        actual = raw.stdout
    over_memory = raw.rss_kb is not None and raw.rss_kb > limits.memory_mb * 1024
    if verdict in ("accepted", "runtime_error") and over_memory:
        verdict = "memory_limit_exceeded"  # a crash after passing the limit is the limit's doing
    if verdict == "accepted":
        if function_style:
            passed = json_equal(parse_json_text(test.expected), raw.actual)
        else:
            passed = test.expected_stdout is None or stdout_matches(test.expected_stdout, raw.stdout or "")
        return Judged("accepted" if passed else "wrong_answer", passed, None, actual)
    if verdict in ("runtime_error", "compilation_error", "internal_error"):
        return Judged(verdict, False, runtime_message(raw), actual)
    return Judged(verdict, False, limit_message(verdict, raw, limits) or runtime_message(raw), actual)


def to_test_result(
    index: int, test: TestCase, raw: RawTest, judged: Judged, function_style: bool
) -> TestResult:
    label = verdict_label(judged.verdict)
    if test.hidden:
        return TestResult(
            index=index,
            passed=judged.passed,
            verdict=judged.verdict,
            verdict_label=label,
            error=None if judged.passed else label,
            time_ms=round(raw.cpu_ms, 3),
            wall_time_ms=round(raw.wall_ms, 3),
            memory_kb=raw.rss_kb,
            hidden=True,
            skipped=raw.skipped,
        )
    return TestResult(
        index=index,
        input=test.input if function_style else test.stdin,
        expected=test.expected if function_style else test.expected_stdout,
        actual=judged.actual,
        passed=judged.passed,
        verdict=judged.verdict,
        verdict_label=label,
        error=judged.error,
        time_ms=round(raw.cpu_ms, 3),
        wall_time_ms=round(raw.wall_ms, 3),
        memory_kb=raw.rss_kb,
        hidden=False,
        stdout=(raw.stdout or "")[:DISPLAY_CAP] if raw.stdout is not None else None,
        stderr=raw.stderr[:DISPLAY_CAP] or None,
        skipped=raw.skipped,
    )

"""The runner's data model: requests, limits, per-test and per-run results (quality metrics and verdicts
are the contract's, from `shared.tools_api`).

Transport-free pydantic models: the tools worker turns NATS messages into a `RunRequest` and a
`RunResult` back into the REST shape.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from services.tools.runner.limits import RunLimits
from shared.errors import DomainError

# The result types are part of the public contract, so they live in shared/ and are re-exported here.
from shared.tools_api import CODE_LANGUAGES, CodeLanguage
from shared.tools_api import FUNCTION_STYLE_LANGUAGES as FUNCTION_STYLE_LANGUAGES
from shared.tools_api import FunctionMetrics as FunctionMetrics
from shared.tools_api import QualityMetrics as QualityMetrics
from shared.tools_api import Verdict as Verdict

Language = CodeLanguage
LANGUAGES: tuple[Language, ...] = CODE_LANGUAGES

VERDICT_LABELS: dict[Verdict, str] = {
    "accepted": "Accepted",
    "wrong_answer": "Wrong Answer",
    "time_limit_exceeded": "Time Limit Exceeded",
    "memory_limit_exceeded": "Memory Limit Exceeded",
    "output_limit_exceeded": "Output Limit Exceeded",
    "runtime_error": "Runtime Error",
    "compilation_error": "Compilation Error",
    "rejected": "Rejected",
    "internal_error": "Internal Error",
}

MAX_CODE_BYTES = 64 * 1024
MAX_TESTS = 100
MAX_TEST_DATA_BYTES = 8 * 1024 * 1024  # all inputs and expectations of one request together

# `solution`, `twoSum`, or `Solution.twoSum` (a method of a class the harness instantiates).
_FUNCTION_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)?$")


class InvalidRunRequest(DomainError):
    """The request cannot be run as sent (wrong test style for the language, too much data, ...)."""

    code = "invalid_request"
    status = 422


def verdict_label(verdict: Verdict) -> str:
    return VERDICT_LABELS[verdict]


class TestCase(BaseModel):
    """One test. Function style uses `input`/`expected`; stdin style uses `stdin`/`expected_stdout`.

    `input` is the JSON list of arguments (or a str holding that JSON, as the seeds send it);
    `expected` is a JSON value (or a str holding JSON). A str that is not valid JSON is taken as
    the literal string. `expected_stdout` is compared ignoring trailing whitespace on each line
    and trailing blank lines; None means "just run it" (no comparison).
    """

    __test__ = False  # not a pytest test class

    input: Any = None
    expected: Any = None
    stdin: str | None = None
    expected_stdout: str | None = None
    hidden: bool = False


class RunRequest(BaseModel):
    language: Language
    code: str
    function_name: str | None = None
    tests: list[TestCase] = Field(min_length=1, max_length=MAX_TESTS)
    limits: RunLimits = Field(default_factory=RunLimits)

    @field_validator("code")
    @classmethod
    def _code_size(cls, code: str) -> str:
        size = len(code.encode("utf-8", errors="surrogatepass"))
        if size > MAX_CODE_BYTES:
            raise ValueError(f"code is {size} bytes; the limit is {MAX_CODE_BYTES} bytes (64 KiB)")
        if "\x00" in code:
            raise ValueError("code contains a NUL character")
        return code

    @field_validator("function_name")
    @classmethod
    def _function_name_shape(cls, name: str | None) -> str | None:
        if name is not None and not _FUNCTION_NAME.match(name):
            raise ValueError("function_name must be an identifier such as 'solution' or 'Solution.twoSum'")
        return name

    @property
    def style(self) -> Literal["function", "stdin"]:
        return "function" if self.function_name else "stdin"


class TestResult(BaseModel):
    __test__ = False

    index: int
    input: Any | None = None  # None for hidden tests
    expected: Any | None = None  # None for hidden tests
    actual: Any | None = None  # None for hidden tests
    passed: bool
    verdict: Verdict
    verdict_label: str
    error: str | None = None  # hidden tests: only the verdict's label
    time_ms: float = 0.0  # CPU time (user + system) of the test
    wall_time_ms: float = 0.0
    memory_kb: int | None = None  # peak resident memory while the test ran
    hidden: bool = False
    stdout: str | None = None  # what the program printed (sample tests only, truncated)
    stderr: str | None = None  # the program's stderr (sample tests only, truncated)
    skipped: bool = False  # not run: an earlier test exceeded the time limit or the run's time budget


class RunResult(BaseModel):
    verdict: Verdict  # the first failing test's verdict, or accepted
    verdict_label: str
    all_passed: bool
    passed_count: int
    total: int
    test_results: list[TestResult]
    compile_output: str | None = None
    execution_time_ms: float  # wall time of the whole run (policy check, compile, tests)
    language: Language
    style: Literal["function", "stdin"]
    error: str | None = None  # why the whole run failed (policy, compiler, internal), if it did
    compile_time_ms: float | None = None
    compile_cache_hit: bool | None = None
    max_time_ms: float = 0.0
    max_memory_kb: int | None = None

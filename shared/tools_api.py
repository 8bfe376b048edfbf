"""The tools service's request/reply API over NATS, and the records it stores.

The gateway validates HTTP bodies with the request models and forwards them; the tools service
answers every call with a `ToolReply[Result]` envelope holding either the typed result or an error in
the contract's shape. Field names follow the public contract (camelCase where the seeds use it), so
the gateway returns the results as they are.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticSerializationError

from shared.cv import CvAnalysis

CodeLanguage = Literal["python", "javascript", "java", "cpp"]
CODE_LANGUAGES: tuple[CodeLanguage, ...] = ("python", "javascript", "java", "cpp")
# Function-style tests call one function with JSON arguments; the compiled languages run whole programs.
FUNCTION_STYLE_LANGUAGES: tuple[CodeLanguage, ...] = ("python", "javascript")

MAX_CODE_CHARS = 64 * 1024
MAX_TESTS = 100
MAX_CV_BYTES = 10 * 1024 * 1024

Difficulty = Literal["easy", "medium", "hard"]

Verdict = Literal[
    "accepted",
    "wrong_answer",
    "time_limit_exceeded",
    "memory_limit_exceeded",
    "output_limit_exceeded",
    "runtime_error",
    "compilation_error",
    "rejected",
    "internal_error",
]


class _CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


# --- the reply envelope -------------------------------------------------------------------------------


class ToolError(BaseModel):
    """An error in the contract's shape; `status` is the HTTP status the gateway answers with."""

    code: str
    message: str
    status: int = 400
    fields: list[str] | None = None


ResultT = TypeVar("ResultT", bound=BaseModel)


class ToolReply(BaseModel, Generic[ResultT]):
    """Envelope of every tools reply: `result` when `ok`, else `error`."""

    ok: bool
    result: ResultT | None = None
    error: ToolError | None = None


# --- code execution -----------------------------------------------------------------------------------


class TestCaseIn(BaseModel):
    """A function-style test (`input`, `expected`) or a stdin/stdout test (`stdin`, `expected_stdout`).

    Function style: `input` is the JSON list of arguments, or a string holding it (as the seeds send
    it); `expected` is a JSON value or a string holding one. Stdin style: `expected_stdout` is compared
    ignoring trailing whitespace; leaving it out just runs the program.
    """

    __test__ = False
    model_config = ConfigDict(extra="forbid")

    input: Any = None
    expected: Any = None
    stdin: str | None = None
    expected_stdout: str | None = None
    hidden: bool = False

    @property
    def style(self) -> Literal["function", "stdio"]:
        return "stdio" if self.stdin is not None or self.expected_stdout is not None else "function"

    @model_validator(mode="after")
    def _one_style(self) -> TestCaseIn:
        function_keys = self.input is not None or self.expected is not None
        if function_keys and self.style == "stdio":
            raise ValueError(
                "a test is either {input, expected} (function style) or {stdin, expected_stdout}, not both"
            )
        if self.style == "function" and self.input is None:
            raise ValueError("a function-style test needs `input` (the list of arguments)")
        try:  # free JSON may still be unsendable: a lone surrogate (a "\ud800" escape), absurd nesting
            self.model_dump_json()
        except PydanticSerializationError as err:
            why = "nests too deeply" if "depth" in str(err) else "holds a \\u escape that is not a character"
            raise ValueError(f"a test value {why}") from None
        return self


class ExecuteCodeRequest(BaseModel):
    """`POST /api/code/execute`: run `code` against `testCases`, or against the tests of `problemId`."""

    model_config = ConfigDict(populate_by_name=True)

    session_id: str = Field(alias="sessionId", min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=MAX_CODE_CHARS)
    language: CodeLanguage
    test_cases: list[TestCaseIn] | None = Field(default=None, alias="testCases", max_length=MAX_TESTS)
    function_name: str | None = Field(default=None, alias="functionName", min_length=1, max_length=100)
    problem_id: str | None = Field(default=None, alias="problemId", min_length=1, max_length=100)

    @field_validator("test_cases")
    @classmethod
    def _one_style_per_run(cls, tests: list[TestCaseIn] | None) -> list[TestCaseIn] | None:
        if tests is not None and len({test.style for test in tests}) > 1:
            raise ValueError(
                "all tests of a run use one style: {input, expected} or {stdin, expected_stdout}"
            )
        return tests

    @field_validator("function_name")
    @classmethod
    def _function_name_fits_the_tests(cls, name: str | None, info: ValidationInfo) -> str | None:
        # Checked here (not on the whole model) so the 422 names `functionName`, the field to fix.
        tests: list[TestCaseIn] | None = info.data.get("test_cases")
        language = info.data.get("language")
        if name is not None and tests and tests[0].style == "stdio":
            raise ValueError(
                "stdin/expected_stdout tests run the whole program, so functionName does not apply; "
                "leave it out, or send {input, expected} tests (Python and JavaScript)"
            )
        if name is not None and language is not None and language not in FUNCTION_STYLE_LANGUAGES:
            raise ValueError(
                f"functionName is for Python and JavaScript; {language} runs whole programs against "
                "{stdin, expected_stdout} tests (or a problemId)"
            )
        return name

    @model_validator(mode="after")
    def _has_tests(self) -> ExecuteCodeRequest:
        if self.problem_id is None:
            if not self.test_cases:
                raise ValueError("send testCases, or a problemId to run the problem's own tests")
            if self.test_cases[0].style == "function" and self.function_name is None:
                raise ValueError(
                    "input/expected tests call a function: name it in functionName "
                    "(or send {stdin, expected_stdout} tests)"
                )
        return self


class FunctionMetrics(BaseModel):
    name: str
    complexity: int
    lines: int
    params: int
    start_line: int


class QualityMetrics(BaseModel):
    language: CodeLanguage
    lines_of_code: int = Field(description="non-blank lines that hold code")
    comment_lines: int = Field(description="lines that hold a comment (Python: docstrings too)")
    blank_lines: int
    comment_ratio: float = Field(description="comment_lines / non-blank lines")
    functions: list[FunctionMetrics]
    average_complexity: float
    max_complexity: int
    quality_score: float = Field(description="0-10")
    deductions: list[str] = Field(description="each deduction in words, with its points")
    maintainability_index: float | None = Field(default=None, description="radon's MI (0-100), Python only")
    parse_error: str | None = None


class TestOutcome(BaseModel):
    """One test's result in the contract's shape (hidden tests show only their verdict)."""

    __test__ = False
    model_config = ConfigDict(serialize_by_alias=True)

    input: Any = None
    expected: Any = None
    actual: Any = None
    passed: bool
    error: str | None = None
    time_ms: float = Field(description="CPU time of the test")
    verdict: Verdict
    verdict_label: str = Field(
        validation_alias=AliasChoices("verdictLabel", "verdict_label"), serialization_alias="verdictLabel"
    )
    memory_kb: int | None = None
    hidden: bool = False
    stdout: str | None = None


class ExecuteCodeResult(_CamelModel):
    success: bool = True
    test_results: list[TestOutcome]
    all_tests_passed: bool
    execution_time: float = Field(description="seconds, as in the seeds")
    execution_time_ms: float
    verdict: Verdict
    verdict_label: str
    passed_count: int
    total: int
    compile_output: str | None = None
    error: str | None = Field(default=None, description="why the whole run failed, if it did")
    quality_metrics: QualityMetrics
    submission_id: str


def submission_key(session_id: str, submission_id: str) -> str:
    return f"code/{session_id}/{submission_id}.json"


def submissions_prefix(session_id: str) -> str:
    return f"code/{session_id}/"


class CodeSubmission(_CamelModel):
    """One run of candidate code, stored at `code/{session_id}/{submission_id}.json`."""

    submission_id: str
    session_id: str
    submitted_at: str
    language: CodeLanguage
    problem_id: str | None = None
    function_name: str | None = None
    code: str
    verdict: Verdict
    verdict_label: str
    all_tests_passed: bool
    passed_count: int
    total: int
    execution_time_ms: float
    test_results: list[TestOutcome]
    compile_output: str | None = None
    quality_metrics: QualityMetrics


# --- the problem bank ---------------------------------------------------------------------------------


class ProblemsQuery(BaseModel):
    tag: str | None = Field(default=None, max_length=100)
    difficulty: Difficulty | None = None


class ProblemRef(BaseModel):
    problem_id: str = Field(min_length=1, max_length=200)


class ProblemSummary(BaseModel):
    id: str
    title: str
    difficulty: Difficulty
    tags: list[str]
    function_name: str


class ProblemList(BaseModel):
    problems: list[ProblemSummary]


class Param(BaseModel):
    name: str
    type: str


class ProblemExample(BaseModel):
    input: dict[str, Any] = Field(description="the arguments by parameter name")
    output: Any
    explanation: str | None = None


class TargetComplexity(BaseModel):
    time: str
    space: str


class FunctionSignature(BaseModel):
    function_name: str
    signature: str
    starter_code: str


class StdioFormat(BaseModel):
    input_format: str
    output_format: str


class SampleTest(BaseModel):
    """A visible test in both styles: function arguments and the same case as program input."""

    input: list[Any]
    expected: Any
    stdin: str
    expected_stdout: str


class ProblemView(ProblemSummary):
    """Everything a candidate may see of a problem: no solutions, no hint texts, no hidden tests."""

    statement: str
    examples: list[ProblemExample]
    constraints: list[str]
    target_complexity: TargetComplexity
    params: list[Param]
    returns: str
    python: FunctionSignature
    javascript: FunctionSignature
    stdio: StdioFormat
    hints_count: int
    time_limit_s: float
    sample_tests: list[SampleTest]
    hidden_test_count: int


class ProblemDetail(BaseModel):
    problem: ProblemView


# --- CV analysis --------------------------------------------------------------------------------------


class CvAnalyzeRequest(BaseModel):
    """The upload waits in storage under `staging_key` (claim check: NATS messages stay small)."""

    session_id: str
    staging_key: str
    filename: str
    content_type: str | None = None


class CvAnalyzeResult(BaseModel):
    success: bool = True
    analysis: CvAnalysis
    filename: str


def cv_analysis_key(session_id: str) -> str:
    return f"cvs/{session_id}/analysis.json"


def cv_original_key(session_id: str, filename: str) -> str:
    return f"cvs/{session_id}/original/{filename}"

"""The tools service's request/reply API over NATS, and the records it stores.

The gateway validates HTTP bodies with these models and forwards them; the
tools service answers with a `ToolReply` envelope (see `shared.events`).
Field names follow the public contract (camelCase where the seeds use it).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

CodeLanguage = Literal["python", "javascript", "java", "cpp"]

MAX_CODE_CHARS = 64 * 1024
MAX_CV_BYTES = 10 * 1024 * 1024


class TestCaseIn(BaseModel):
    """A function-style test (`input`, `expected`) or a stdin/stdout test (`stdin`, `expected_stdout`)."""

    __test__ = False
    model_config = ConfigDict(extra="forbid")

    input: Any = None
    expected: Any = None
    stdin: str | None = None
    expected_stdout: str | None = None
    hidden: bool = False


class ExecuteCodeRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    session_id: str = Field(alias="sessionId", min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=MAX_CODE_CHARS)
    language: CodeLanguage
    test_cases: list[TestCaseIn] | None = Field(default=None, alias="testCases", max_length=100)
    function_name: str | None = Field(default=None, alias="functionName", max_length=100)
    problem_id: str | None = Field(default=None, alias="problemId", max_length=100)


class ProblemsQuery(BaseModel):
    tag: str | None = None
    difficulty: str | None = None


class ProblemRef(BaseModel):
    problem_id: str


class CvAnalyzeRequest(BaseModel):
    """The upload waits in storage under `staging_key` (claim check: NATS messages stay small)."""

    session_id: str
    staging_key: str
    filename: str
    content_type: str | None = None


def submission_key(session_id: str, submission_id: str) -> str:
    return f"code/{session_id}/{submission_id}.json"


def submissions_prefix(session_id: str) -> str:
    return f"code/{session_id}/"


class CodeSubmission(BaseModel):
    """One run of candidate code, stored at `code/{session_id}/{submission_id}.json` (camelCase in the API)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    submission_id: str
    session_id: str
    submitted_at: str
    language: CodeLanguage
    problem_id: str | None = None
    function_name: str | None = None
    code: str
    verdict: str
    verdict_label: str
    all_tests_passed: bool
    passed_count: int
    total: int
    execution_time_ms: float
    test_results: list[dict[str, Any]]
    compile_output: str | None = None
    quality_metrics: dict[str, Any]

    def public(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


def cv_analysis_key(session_id: str) -> str:
    return f"cvs/{session_id}/analysis.json"


def cv_original_key(session_id: str, filename: str) -> str:
    return f"cvs/{session_id}/original/{filename}"

"""The tools service layer with fakes at its ports: CodeService with a fake runner, CvService with a fake
parser (both over the local object store and the real problem bank, which are plain in-process code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.tools.code_service import CodeService
from services.tools.cv import CvError
from services.tools.cv_service import CvService
from services.tools.problems import ProblemBank, ProblemNotFound
from services.tools.runner import InvalidRunRequest, RunRequest, RunResult, TestResult
from shared.cv import CvAnalysis
from shared.sessions import SessionNotFound, SessionRecord, SessionRepository
from shared.storage import ObjectNotFound, read_model
from shared.storage.local import LocalObjectStore
from shared.tools_api import (
    CodeSubmission,
    CvAnalyzeRequest,
    ExecuteCodeRequest,
    cv_analysis_key,
    cv_original_key,
    submission_key,
)

BANK = ProblemBank.load()


class FakeRunner:
    """Accepts every test and remembers what it was asked to run."""

    def __init__(self, refuse: InvalidRunRequest | None = None) -> None:
        self.requests: list[RunRequest] = []
        self.refuse = refuse

    async def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        if self.refuse is not None:
            raise self.refuse
        results = [
            TestResult(
                index=i,
                input=None if t.hidden else t.input,
                expected=None if t.hidden else t.expected,
                passed=True,
                verdict="accepted",
                verdict_label="Accepted",
                time_ms=1.0,
                hidden=t.hidden,
            )
            for i, t in enumerate(request.tests)
        ]
        return RunResult(
            verdict="accepted",
            verdict_label="Accepted",
            all_passed=True,
            passed_count=len(results),
            total=len(results),
            test_results=results,
            execution_time_ms=12.5,
            language=request.language,
            style=request.style,
        )


class FakeParser:
    def __init__(self, error: CvError | None = None) -> None:
        self.error = error

    async def analyze(self, filename: str, data: bytes) -> CvAnalysis:
        if self.error is not None:
            raise self.error
        return CvAnalysis(candidate_name="Ada Lovelace", skills=["Python", "Kubernetes"], file_type="txt")


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path)


@pytest.fixture
async def session_id(store: LocalObjectStore) -> str:
    record = SessionRecord(
        session_id="s1", interview_type="coding", interview_type_name="Coding", candidate_name="Ada"
    )
    await SessionRepository(store).create(record)
    return record.session_id


def execute(**body: object) -> ExecuteCodeRequest:
    return ExecuteCodeRequest.model_validate(
        {"sessionId": "s1", "code": "x = 1", "language": "python", **body}
    )


async def test_inline_tests_run_and_the_submission_is_stored(
    store: LocalObjectStore, session_id: str
) -> None:
    runner = FakeRunner()
    service = CodeService(runner, BANK, store, SessionRepository(store))
    result = await service.execute(
        execute(
            functionName="add",
            testCases=[{"input": [1, 2], "expected": 3}],
            code="def add(a, b):\n    return a + b\n",
        )
    )
    assert result.all_tests_passed and result.total == 1 and result.execution_time == 0.0125
    assert runner.requests[0].function_name == "add" and runner.requests[0].tests[0].input == [1, 2]
    stored, _ = await read_model(store, submission_key(session_id, result.submission_id), CodeSubmission)
    assert stored.code.startswith("def add") and stored.quality_metrics.language == "python"
    # The contract's keys, camelCase where the seeds use them.
    dumped = result.model_dump()
    assert {"testResults", "allTestsPassed", "executionTime", "qualityMetrics", "submissionId"} <= set(dumped)
    assert {"input", "expected", "actual", "passed", "error", "time_ms"} <= set(dumped["testResults"][0])


async def test_a_problem_brings_its_own_tests_and_limits(store: LocalObjectStore, session_id: str) -> None:
    runner = FakeRunner()
    service = CodeService(runner, BANK, store, SessionRepository(store))
    problem = BANK.get("pair-sum-indices")
    await service.execute(execute(problemId=problem.id, language="java", code="class Main {}"))
    request = runner.requests[0]
    assert request.style == "stdin" and len(request.tests) == len(BANK.expanded_tests(problem))
    assert request.limits.cpu_time_s == problem.time_limit_s
    assert any(test.hidden for test in request.tests)


async def test_refusals_are_domain_errors(store: LocalObjectStore, session_id: str) -> None:
    repo = SessionRepository(store)
    with pytest.raises(ProblemNotFound):
        await CodeService(FakeRunner(), BANK, store, repo).execute(execute(problemId="no-such-problem"))
    with pytest.raises(SessionNotFound):
        await CodeService(FakeRunner(), BANK, store, repo).execute(
            execute(sessionId="nobody", functionName="f", testCases=[{"input": [1]}])
        )
    refusal = InvalidRunRequest("too much test data", fields=["testCases"])
    with pytest.raises(InvalidRunRequest):
        await CodeService(FakeRunner(refusal), BANK, store, repo).execute(
            execute(functionName="f", testCases=[{"input": [1]}])
        )
    # The runner's own bounds (here: a function name it cannot call) are a 422 too, not a crash.
    with pytest.raises(InvalidRunRequest, match="function_name"):
        await CodeService(FakeRunner(), BANK, store, repo).execute(
            execute(functionName="not a name", testCases=[{"input": [1]}])
        )
    assert await store.list("code/") == []


async def stage(store: LocalObjectStore, data: bytes = b"Ada Lovelace\nPython") -> CvAnalyzeRequest:
    await store.put("uploads/s1/abc", data)
    return CvAnalyzeRequest(session_id="s1", staging_key="uploads/s1/abc", filename="cv.txt")


async def test_a_parsed_cv_is_kept_with_the_session(store: LocalObjectStore, session_id: str) -> None:
    repo = SessionRepository(store)
    result = await CvService(FakeParser(), store, repo).analyze(await stage(store))
    assert result.analysis.skills == ["Python", "Kubernetes"]
    record = await repo.get(session_id)
    assert record.cv_analysis == result.analysis and record.cv_filename == "cv.txt"
    assert (await store.get(cv_original_key(session_id, "cv.txt"))).data == b"Ada Lovelace\nPython"
    assert b'"candidateName":"Ada Lovelace"' in (await store.get(cv_analysis_key(session_id))).data
    assert await store.list("uploads/") == []


async def test_a_bad_cv_leaves_nothing_behind(store: LocalObjectStore, session_id: str) -> None:
    repo = SessionRepository(store)
    service = CvService(FakeParser(CvError("corrupt_file", "The PDF is damaged.")), store, repo)
    with pytest.raises(CvError, match="damaged"):
        await service.analyze(await stage(store))
    assert await store.list("uploads/") == [] and await store.list("cvs/") == []
    assert (await repo.get(session_id)).cv_analysis is None
    with pytest.raises(ObjectNotFound):
        await store.get(cv_analysis_key(session_id))
    with pytest.raises(CvError) as missing:
        await service.analyze(
            CvAnalyzeRequest(session_id="s1", staging_key="uploads/s1/gone", filename="cv.txt")
        )
    assert (missing.value.code, missing.value.status) == ("upload_missing", 400)

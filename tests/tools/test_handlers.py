"""The tools service's NATS handlers on FastStream's in-memory TestNatsBroker: the application exactly as
`bootstrap.create_app` wires it, with fakes at the runner and CV parser ports. Every request gets a
reply; a refusal is a 4xx error in the contract's shape, never a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import NatsBroker, TestNatsBroker

from services.tools.bootstrap import create_app
from shared import subjects
from shared.config import Settings
from shared.sessions import SessionRecord, SessionRepository
from shared.storage.local import LocalObjectStore
from tests.tools.test_services import BANK, FakeParser, FakeRunner


@pytest.fixture
async def broker(tmp_path: Path) -> NatsBroker:
    store = LocalObjectStore(tmp_path)
    await SessionRepository(store).create(
        SessionRecord(
            session_id="s1", interview_type="coding", interview_type_name="Coding", candidate_name="Ada"
        )
    )
    app = create_app(Settings(), store=store, runner=FakeRunner(), cv_parser=FakeParser(), bank=BANK)
    assert isinstance(app.broker, NatsBroker)
    return app.broker


async def call(broker: NatsBroker, subject: str, body: Any) -> dict[str, Any]:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with TestNatsBroker(broker) as test_broker:
        reply = await test_broker.request(payload, subject)
    decoded: dict[str, Any] = json.loads(reply.body)
    return decoded


async def test_execute_code_replies_with_the_typed_result(broker: NatsBroker) -> None:
    body = {"sessionId": "s1", "code": "def f(x):\n    return x\n", "language": "python", "functionName": "f"}
    reply = await call(
        broker, subjects.TOOLS_CODE_EXECUTE, {**body, "testCases": [{"input": [1], "expected": 1}]}
    )
    assert reply["ok"] and reply["result"]["allTestsPassed"] and reply["result"]["submissionId"]


async def test_problems_are_listed_and_unknown_filters_are_a_422(broker: NatsBroker) -> None:
    listed = await call(broker, subjects.TOOLS_PROBLEMS_LIST, {"difficulty": "hard"})
    assert listed["ok"] and all(p["difficulty"] == "hard" for p in listed["result"]["problems"])
    unknown = await call(broker, subjects.TOOLS_PROBLEMS_LIST, {"tag": "nope"})
    assert unknown["error"]["status"] == 422 and unknown["error"]["fields"] == ["tag"]
    assert "Unknown tag 'nope'" in unknown["error"]["message"]


async def test_a_problem_and_an_unknown_problem(broker: NatsBroker) -> None:
    found = await call(broker, subjects.TOOLS_PROBLEMS_GET, {"problem_id": "trail-sum"})
    assert (
        found["result"]["problem"]["id"] == "trail-sum"
        and "reference_solution" not in found["result"]["problem"]
    )
    missing = await call(broker, subjects.TOOLS_PROBLEMS_GET, {"problem_id": "nope"})
    assert (missing["error"]["code"], missing["error"]["status"]) == ("problem_not_found", 404)


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        (subjects.TOOLS_CODE_EXECUTE, b"{not json", "body"),
        (subjects.TOOLS_CODE_EXECUTE, {"sessionId": "s1", "code": "x", "language": "cobol"}, "language"),
        # stdin tests with a function name: the request model refuses it, naming the field.
        (
            subjects.TOOLS_CODE_EXECUTE,
            {
                "sessionId": "s1",
                "code": "class Main {}",
                "language": "java",
                "functionName": "solve",
                "testCases": [{"stdin": "1\n", "expected_stdout": "1\n"}],
            },
            "functionName",
        ),
        (subjects.TOOLS_PROBLEMS_LIST, {"difficulty": "brutal"}, "difficulty"),
        (subjects.TOOLS_CV_ANALYZE, {"session_id": 3}, "session_id"),
    ],
)
async def test_unreadable_requests_are_a_422_naming_the_field(
    broker: NatsBroker, subject: str, body: Any, field: str
) -> None:
    reply = await call(broker, subject, body)
    assert not reply["ok"] and reply["error"]["code"] == "invalid_request" and reply["error"]["status"] == 422
    assert field in reply["error"]["fields"]
    assert "Value error" not in reply["error"]["message"]  # our words, not pydantic's wrapping


async def test_unknown_session_is_a_404(broker: NatsBroker) -> None:
    body = {"sessionId": "nobody", "code": "x", "language": "python", "functionName": "f"}
    reply = await call(broker, subjects.TOOLS_CODE_EXECUTE, {**body, "testCases": [{"input": [1]}]})
    assert (reply["error"]["code"], reply["error"]["status"]) == ("session_not_found", 404)


async def test_a_bug_is_a_500_reply_and_the_worker_carries_on(tmp_path: Path) -> None:
    class BrokenRunner(FakeRunner):
        async def run(self, request: Any) -> Any:
            raise RuntimeError("a bug")

    store = LocalObjectStore(tmp_path)
    await SessionRepository(store).create(
        SessionRecord(
            session_id="s1", interview_type="coding", interview_type_name="Coding", candidate_name="Ada"
        )
    )
    app = create_app(Settings(), store=store, runner=BrokenRunner(), cv_parser=FakeParser(), bank=BANK)
    assert isinstance(app.broker, NatsBroker)
    body = {
        "sessionId": "s1",
        "code": "x",
        "language": "python",
        "functionName": "f",
        "testCases": [{"input": [1]}],
    }
    reply = await call(app.broker, subjects.TOOLS_CODE_EXECUTE, body)
    assert (reply["error"]["code"], reply["error"]["status"]) == ("internal_error", 500)
    assert "a bug" not in reply["error"]["message"]  # internals stay in the log
    listed = await call(app.broker, subjects.TOOLS_PROBLEMS_LIST, {})
    assert listed["ok"]

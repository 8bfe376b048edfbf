"""The coding round through the real processes (nats-server, agent, tools with the sandbox, gateway), with the
scripted interviewer: the problem is handed out on the socket, the candidate's runs reach the interviewer
(who names the failing test, then acknowledges the solution), and the runs are in the report."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deploy.local_platform import LocalPlatform, default_services, free_port
from services.tools.problems import ProblemBank
from tests.interview_client import InterviewClient

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ANSWER = (
    "I would start from a brute force to be sure I understand the problem, then use a hash map or a heap to "
    "bring the time down, state the time and space complexity, and test empty input and duplicates."
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def platform(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[LocalPlatform, httpx.AsyncClient]]:
    runner = LocalPlatform(
        data_dir=tmp_path_factory.mktemp("coding"),
        http_port=free_port(),
        nats_port=free_port(),
        env={"PREPAI_LLM_PROVIDER": "scripted", "PREPAI_LOG_LEVEL": "INFO"},
        services=default_services(stt_replicas=0, tts_replicas=0, analytics_replicas=0),
        log=lambda line: None,
        ready_timeout_s=60,
    )
    await runner.start()
    http = httpx.AsyncClient(base_url=runner.base_url, timeout=120)
    try:
        yield runner, http
    finally:
        await http.aclose()
        await runner.stop()


async def _until_problem(client: InterviewClient) -> dict[str, Any]:
    """Answer the interviewer until it hands out the coding problem."""
    await client.reply()
    for _ in range(15):
        turn_id = await client.say(ANSWER)
        await client.reply(turn_id)
        await asyncio.sleep(0.2)  # the problem event follows its reply
        found = [e for e in client.events if e["type"] == "problem"]
        if found:
            return found[0]["problem"]  # type: ignore[no-any-return]
    raise AssertionError(f"no problem was handed out: {client.timeline()}")


async def _execute(http: httpx.AsyncClient, sid: str, problem_id: str, code: str) -> dict[str, Any]:
    body = {"sessionId": sid, "problemId": problem_id, "language": "python", "code": code}
    response = await http.post("/api/code/execute", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_coding_round_from_problem_to_report(
    platform: tuple[LocalPlatform, httpx.AsyncClient],
) -> None:
    runner, http = platform
    created = await http.post("/api/sessions", json={"interview_type": "coding", "candidate_name": "Ada"})
    sid = created.json()["session_id"]
    ws_url = f"ws://127.0.0.1:{runner.http_port}"
    client = await InterviewClient.connect(ws_url, sid)
    try:
        problem = await _until_problem(client)
        bank_problem = ProblemBank.load().get(problem["id"])
        # What the editor opens: statement, starter code per language, visible examples; never the hidden tests.
        assert problem["statement"] and problem["examples"]
        assert set(problem["templates"]) == {"python", "javascript", "java", "cpp"}
        assert not {"tests", "reference_solution", "hints"} & set(problem)
        sent = json.dumps(problem)
        hidden = [str(t.args) for t in ProblemBank.load().expanded_tests(bank_problem) if not t.sample]
        assert problem["hidden_test_count"] == len(hidden) > 0
        assert not [h for h in hidden if len(h) > 12 and h in sent]

        # A reconnecting client gets the problem again.
        second = await InterviewClient.connect(ws_url, sid)
        assert (await second.next_event(lambda e: e["type"] == "problem"))["problem"]["id"] == problem["id"]
        await second.close()

        # A wrong solution (the starter code): the interviewer names a failing test, once.
        wrong = await _execute(http, sid, problem["id"], problem["templates"]["python"])
        assert not wrong["allTestsPassed"]
        await client.send({"type": "code_run", "submission_id": wrong["submissionId"]})
        reply = await client.reply(f"run-{wrong['submissionId']}")
        assert f"0 of {wrong['total']} tests pass" in reply.text and "expected" in reply.text, reply.text
        await asyncio.sleep(0.5)  # a second reply to the same run (REST and socket both told) would be here
        completes = [e for e in client.events if e["type"] == "assistant_complete"]
        assert [e["turn_id"] for e in completes].count(f"run-{wrong['submissionId']}") == 1

        # The reference solution, told by the REST call alone: acknowledged, and the complexity is asked.
        right = await _execute(http, sid, problem["id"], bank_problem.reference_solution)
        assert right["allTestsPassed"], right
        reply = await client.reply(f"run-{right['submissionId']}")
        assert reply.text.startswith(f"All {right['total']} tests pass") and "complexity" in reply.text

        await client.send({"type": "code_run", "submission_id": "not-a-run"})
        error = await client.next_event(lambda e: e["type"] == "error")
        assert error["code"] == "submission_not_found"
        turn_id = await client.say("It runs in linear time with a hash map, and linear extra space.")
        await client.reply(turn_id)
    finally:
        await client.close()

    transcript = (await http.get(f"/api/interviews/{sid}/transcript")).json()["transcript"]
    assert [e.get("problem_id") for e in transcript].count(problem["id"]) == 1
    runs = [e["submission_id"] for e in transcript if e.get("submission_id")]
    assert runs == [wrong["submissionId"], right["submissionId"]]
    assert (await http.post(f"/api/interviews/{sid}/end")).status_code == 200
    report = None
    for _ in range(200):
        response = await http.get(f"/api/interviews/{sid}/performance-report")
        if response.status_code == 200:
            report = response.json()["report"]
            break
        await asyncio.sleep(0.2)
    assert report is not None, "no report"
    assert report["scores"]["codeQuality"] is not None
    assert any(f"passed all {right['total']} tests" in s for s in report["strengths"]), report["strengths"]

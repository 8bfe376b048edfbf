"""A whole text interview through the real processes: nats-server, 3 agent replicas, the gateway.

The scripted responder stands in for the language model here (the real model has its own test), so these
tests exercise the platform: ordering, exactly-once replies, persistence, failover.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from deploy.local_platform import LocalPlatform, default_services, free_port
from tests.interview_client import InterviewClient

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


class Platform:
    def __init__(self, tmp: Path, agent_replicas: int) -> None:
        self.lines: list[str] = []
        self.runner = LocalPlatform(
            data_dir=tmp,
            http_port=free_port(),
            nats_port=free_port(),
            env={"PREPAI_LLM_PROVIDER": "scripted", "PREPAI_LOG_LEVEL": "INFO"},
            services=default_services(agent_replicas=agent_replicas),
            log=self.lines.append,
            ready_timeout_s=60,
        )
        self.http = httpx.AsyncClient(base_url=self.runner.base_url, timeout=10)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.runner.http_port}"

    async def new_session(self, interview_type: str = "google_sde", name: str = "Ada") -> str:
        response = await self.http.post(
            "/api/sessions", json={"interview_type": interview_type, "candidate_name": name}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["session_id"])

    async def transcript(self, sid: str) -> list[dict]:  # type: ignore[type-arg]
        response = await self.http.get(f"/api/interviews/{sid}/transcript")
        assert response.status_code == 200
        return response.json()["transcript"]  # type: ignore[no-any-return]

    def answered_by(self) -> Counter[str]:
        """Which agent replica answered how many turns (from their logs)."""
        return Counter(line.split("|")[0].strip() for line in self.lines if ": answered" in line)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    p = Platform(tmp_path_factory.mktemp("platform"), agent_replicas=3)
    await p.runner.start()
    try:
        yield p
    finally:
        await p.http.aclose()
        await p.runner.stop()


ANSWERS = [
    "I'm a backend engineer; for five years I have built payment APIs in Python and Go on Kubernetes.",
    "I led the migration of our monolith to services, splitting by domain and adding tracing first.",
]


async def test_a_complete_text_interview(platform: Platform) -> None:
    sid = await platform.new_session()
    client = await InterviewClient.connect(platform.ws_url, sid)
    try:
        greeting = await client.reply()
        assert "Ada" in greeting.text and greeting.text.endswith("?")
        assert "".join(greeting.chunks).strip() == greeting.text  # streamed, then complete
        turn_ids = []
        for answer in ANSWERS:
            turn_id = await client.say(answer)
            reply = await client.reply(turn_id)
            assert reply.text and reply.chunks
            turn_ids.append(turn_id)
    finally:
        await client.close()
    transcript = await platform.transcript(sid)
    assert [(e["role"], e["text"]) for e in transcript[1::2]] == [("user", a) for a in ANSWERS]
    assert [e["role"] for e in transcript] == ["assistant", "user", "assistant", "user", "assistant"]
    assert [e["turn_id"] for e in transcript[1:]] == [t for t in turn_ids for _ in range(2)]
    assert all(e["timestamp"] for e in transcript)
    ended = (await platform.http.post(f"/api/interviews/{sid}/end")).json()
    assert ended["status"] == "ended"
    assert (await platform.http.get(f"/api/sessions/{sid}")).json()["status"] == "ended"


async def test_three_replicas_answer_every_turn_once_and_in_order(platform: Platform) -> None:
    """Twelve candidates each fire four answers without waiting; every turn gets one reply, in order."""

    async def candidate(index: int) -> tuple[str, list[str], InterviewClient]:
        sid = await platform.new_session(name=f"Candidate {index}")
        client = await InterviewClient.connect(platform.ws_url, sid)
        sent = [await client.say(f"Answer {n} from candidate {index}: " + ANSWERS[n % 2]) for n in range(4)]
        for turn_id in sent:
            await client.reply(turn_id, timeout=60)
        await asyncio.sleep(0.3)  # any duplicate reply would arrive by now
        return sid, sent, client

    results = await asyncio.gather(*(candidate(i) for i in range(12)))
    for sid, sent, client in results:
        completes = [e["turn_id"] for e in client.events if e["type"] == "assistant_complete"]
        assert len(completes) == len(set(completes)) == 5, "a turn was answered twice or not at all"
        await client.close()
        transcript = await platform.transcript(sid)
        assert [e["turn_id"] for e in transcript if e["role"] == "user"] == sent
        roles = [e["role"] for e in transcript]
        assert roles == ["assistant"] + ["user", "assistant"] * 4
        assert [
            int(re.search(r"Answer (\d)", e["text"]).group(1)) for e in transcript if e["role"] == "user"
        ] == [0, 1, 2, 3]  # type: ignore[union-attr]
    replicas = platform.answered_by()
    assert len(replicas) == 3, f"expected the work spread over 3 replicas, got {replicas}"


async def test_a_candidate_who_disconnects_mid_reply_loses_nothing(platform: Platform) -> None:
    sid = await platform.new_session()
    client = await InterviewClient.connect(platform.ws_url, sid)
    await client.reply()
    turn_id = await client.say("I would start by measuring where the latency goes.")
    await client.close()  # gone before the reply
    for _ in range(100):
        transcript = await platform.transcript(sid)
        if len(transcript) == 3:
            break
        await asyncio.sleep(0.05)
    assert [e["turn_id"] for e in transcript[1:]] == [turn_id, turn_id]
    # Coming back: no second greeting, the conversation continues.
    again = await InterviewClient.connect(platform.ws_url, sid)
    next_turn = await again.say("Shall we continue?")
    reply = await again.reply(next_turn)
    assert reply.text
    assert not any(
        e["turn_id"].startswith("start-") for e in again.events if e["type"] == "assistant_complete"
    )
    await again.close()


async def test_two_sockets_on_one_new_session_get_one_greeting(platform: Platform) -> None:
    sid = await platform.new_session()
    first, second = await asyncio.gather(
        InterviewClient.connect(platform.ws_url, sid), InterviewClient.connect(platform.ws_url, sid)
    )
    await first.reply()
    await second.reply()
    await asyncio.sleep(0.3)
    assert len(await platform.transcript(sid)) == 1
    await first.close()
    await second.close()


async def test_unknown_session_and_bad_bodies(platform: Platform) -> None:
    assert (await platform.http.get("/api/interviews/" + "f" * 32 + "/transcript")).status_code == 404
    assert (await platform.http.post("/api/sessions", json={"candidate_name": "Ada"})).status_code == 422


async def test_code_runs_through_the_tools_service_and_is_stored(platform: Platform) -> None:
    sid = await platform.new_session(interview_type="coding")
    body = {
        "sessionId": sid,
        "language": "python",
        "functionName": "solution",
        "code": "def solution(arr):\n    return sorted(arr)\n",
        "testCases": [{"input": "[3,1,2]", "expected": "[1,2,3]"}, {"input": [[5, 4]], "expected": [4, 5]}],
    }
    result = (await platform.http.post("/api/code/execute", json=body, timeout=120)).json()
    assert result["success"] and result["allTestsPassed"], result
    assert result["qualityMetrics"]["quality_score"] > 0
    wrong = (
        await platform.http.post(
            "/api/code/execute", json={**body, "code": "def solution(arr):\n    return arr\n"}, timeout=120
        )
    ).json()
    assert not wrong["allTestsPassed"] and wrong["verdict"] == "wrong_answer"
    listed = (await platform.http.get(f"/api/code/{sid}/submissions")).json()
    assert [s["submissionId"] for s in listed["submissions"]] == [
        result["submissionId"],
        wrong["submissionId"],
    ]
    summary = (await platform.http.get(f"/api/code/{sid}/quality-summary")).json()
    assert summary["totalSubmissions"] == 2 and summary["passRate"] == 0.5
    one = await platform.http.get(f"/api/code/{sid}/submissions/{result['submissionId']}")
    assert one.json()["submission"]["allTestsPassed"]
    problems = (await platform.http.get("/api/problems", params={"difficulty": "easy"})).json()["problems"]
    assert len(problems) >= 10
    problem = (await platform.http.get(f"/api/problems/{problems[0]['id']}")).json()["problem"]
    assert "reference_solution" not in str(problem)
    unknown = await platform.http.post("/api/code/execute", json={**body, "sessionId": "f" * 32})
    assert unknown.status_code == 404


async def test_cv_upload_and_bad_files(platform: Platform) -> None:
    sid = await platform.new_session()
    cv = (
        "Jane Doe\njane.doe@example.com | +1 415 555 0100\n\nEXPERIENCE\n"
        "Senior Software Engineer, Acme Corp, Jan 2019 - Present\n- Built services in Python and Go on Kubernetes\n"
        "Software Engineer, Beta Inc, Jun 2015 - Dec 2018\n- React and PostgreSQL\n\nEDUCATION\n"
        "BSc Computer Science, State University, 2015\n"
    )
    response = await platform.http.post(
        f"/api/interviews/{sid}/upload-cv", files={"file": ("cv.txt", cv.encode(), "text/plain")}, timeout=120
    )
    assert response.status_code == 200, response.text
    analysis = response.json()["analysis"]
    assert analysis["email"] == "jane.doe@example.com"
    assert {"Python", "Kubernetes", "PostgreSQL"} <= set(analysis["skills"])
    stored = (await platform.http.get(f"/api/interviews/{sid}/cv-analysis")).json()
    assert stored["analysis"]["email"] == "jane.doe@example.com"
    bad = await platform.http.post(
        f"/api/interviews/{sid}/upload-cv",
        files={"file": ("cv.pdf", b"not a pdf at all", "application/pdf")},
        timeout=120,
    )
    assert 400 <= bad.status_code < 500 and bad.json()["error"]["code"]
    empty = await platform.http.post(
        f"/api/interviews/{sid}/upload-cv", files={"file": ("cv.txt", b"", "text/plain")}
    )
    assert empty.status_code == 400
    huge = await platform.http.post(
        f"/api/interviews/{sid}/upload-cv", files={"file": ("cv.txt", b"a" * (11 << 20), "text/plain")}
    )
    assert huge.status_code == 413


async def test_replicas_can_die_and_the_interview_goes_on(platform: Platform) -> None:
    """Runs last in this module: it kills two of the three agent replicas."""
    sid = await platform.new_session()
    client = await InterviewClient.connect(platform.ws_url, sid)
    await client.reply()
    await platform.runner.kill("agent-1")
    await platform.runner.kill("agent-2")
    for answer in ANSWERS:
        turn_id = await client.say(answer)
        assert (await client.reply(turn_id, timeout=60)).text
    await client.close()
    assert len(await platform.transcript(sid)) == 5

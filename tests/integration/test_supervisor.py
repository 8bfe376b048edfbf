"""`make run` keeps the platform alive: a killed process is restarted and the interview goes on.

The first tests run the real processes (nats-server, one agent, one tools, the gateway) with the scripted
interviewer speaking slowly (so a reply can be cut mid-stream) and short ack/lease times (so a crashed
turn is redelivered in seconds). The last two check the supervision rules on a stub service, without NATS.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deploy.local_platform import LocalPlatform, ServiceSpec, default_services, free_port
from tests.interview_client import InterviewClient

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ANSWERS = [
    "I'm a backend engineer; for five years I have built payment APIs in Python and Go on Kubernetes.",
    "I led the migration of our monolith to services, splitting by domain and adding tracing first.",
    "I would start by measuring where the latency goes, then cache the hottest reads.",
]
ADD = {
    "code": "def add(a, b):\n    return a + b\n",
    "language": "python",
    "functionName": "add",
    "testCases": [{"input": [1, 2], "expected": 3}],
}


class Platform:
    def __init__(self, tmp: Path) -> None:
        self.lines: list[str] = []
        self.runner = LocalPlatform(
            data_dir=tmp,
            http_port=free_port(),
            nats_port=free_port(),
            env={
                "PREPAI_LLM_PROVIDER": "scripted",
                "PREPAI_SCRIPTED_WORD_DELAY_S": "0.05",
                "PREPAI_TURN_ACK_WAIT_S": "2",
                "PREPAI_TURN_LEASE_S": "3",  # a dead replica's lease on the session expires quickly
                "PREPAI_LOG_LEVEL": "INFO",
            },
            services=default_services(),
            log=self.lines.append,
            ready_timeout_s=60,
        )
        self.http = httpx.AsyncClient(base_url=self.runner.base_url, timeout=10)
        self.ws_url = f"ws://127.0.0.1:{self.runner.http_port}"

    async def new_session(self, interview_type: str = "google_sde") -> str:
        response = await self.http.post(
            "/api/sessions", json={"interview_type": interview_type, "candidate_name": "Ada"}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["session_id"])

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.lines)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    p = Platform(tmp_path_factory.mktemp("supervised"))
    await p.runner.start()
    try:
        yield p
    finally:
        await p.http.aclose()
        await p.runner.stop()


async def drain(client: InterviewClient, quiet_s: float = 1.0) -> None:
    """Read whatever else arrives (a duplicate reply would) until the socket is quiet for `quiet_s`."""
    with contextlib.suppress(TimeoutError):
        await client.next_event(lambda e: False, timeout=quiet_s)


async def check_each_turn_answered_once(
    platform: Platform, sid: str, client: InterviewClient, sent: list[str]
) -> None:
    """One `assistant_complete` per turn, in order; the transcript holds each turn and reply once."""
    await drain(client)
    completes = [e["turn_id"] for e in client.events if e["type"] == "assistant_complete"]
    assert completes[1:] == sent, f"missing, duplicated or out of order: {completes}"
    response = await platform.http.get(f"/api/interviews/{sid}/transcript")
    transcript: list[dict[str, Any]] = response.json()["transcript"]
    assert [e["role"] for e in transcript] == ["assistant"] + ["user", "assistant"] * len(sent)
    assert [e["turn_id"] for e in transcript[1:]] == [t for t in sent for _ in range(2)]
    assert [e["text"] for e in transcript[1::2]] == ANSWERS[: len(sent)]
    assert [e["text"] for e in transcript[2::2]] == [client.replies[t].text for t in sent]


async def test_the_agent_killed_mid_reply_is_restarted_and_every_turn_answered_once(
    platform: Platform,
) -> None:
    sid = await platform.new_session()
    client = await InterviewClient.connect(platform.ws_url, sid)
    try:
        await client.reply()
        first = await client.say(ANSWERS[0])
        await client.next_event(lambda e: e["type"] == "llm_chunk" and e["turn_id"] == first)
        old_pid = await platform.runner.kill("agent", restart=True)  # kill -9 while the reply streams
        assert not any(e["type"] == "assistant_complete" and e["turn_id"] == first for e in client.events)
        sent = [first] + [await client.say(answer) for answer in ANSWERS[1:]]  # queued meanwhile
        await platform.runner.wait_restarted("agent", old_pid)
        for turn_id in sent:
            assert (await client.reply(turn_id, timeout=45)).text
        await check_each_turn_answered_once(platform, sid, client, sent)
        cut = client.replies[first]  # its chunks: the part streamed before the kill, then the whole reply
        assert "".join(cut.chunks).strip() != cut.text and cut.text in "".join(cut.chunks)
    finally:
        await client.close()
    assert platform.logged(f"agent (pid {old_pid}) exited: killed by SIGKILL")
    assert platform.logged("agent restarted (pid ")


async def execute_once_tools_is_up(platform: Platform, body: dict[str, Any]) -> httpx.Response:
    """POST /api/code/execute, again while no tools process is subscribed yet (503 tools_unavailable)."""
    deadline = time.monotonic() + 30
    while True:
        response = await platform.http.post("/api/code/execute", json=body, timeout=60)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        assert response.json()["error"]["code"] == "tools_unavailable"
        await asyncio.sleep(0.2)


async def test_the_tools_service_killed_is_restarted_while_an_interview_goes_on(platform: Platform) -> None:
    coding = await platform.new_session(interview_type="coding")
    body = {**ADD, "sessionId": coding}
    assert (await execute_once_tools_is_up(platform, body)).status_code == 200

    async def interview() -> None:
        sid = await platform.new_session()
        client = await InterviewClient.connect(platform.ws_url, sid)
        try:
            await client.reply()
            sent = []
            for answer in ANSWERS:
                sent.append(await client.say(answer))
                await client.reply(sent[-1], timeout=30)
            await check_each_turn_answered_once(platform, sid, client, sent)
        finally:
            await client.close()

    talking = asyncio.create_task(interview())
    try:
        old_pid = await platform.runner.kill("tools", restart=True)
        await asyncio.sleep(0.2)  # the broker has dropped the dead process's subscriptions
        started = time.monotonic()
        down = await platform.http.post("/api/code/execute", json=body)
        assert down.status_code == 503 and down.json()["error"]["code"] == "tools_unavailable", down.text
        assert time.monotonic() - started < 5, "a call while tools is down must fail fast, not hang"
        await platform.runner.wait_restarted("tools", old_pid)
        result = await execute_once_tools_is_up(platform, body)
        assert result.status_code == 200, result.text
        assert result.json()["allTestsPassed"], result.json()
        await talking
    finally:
        talking.cancel()
    assert platform.logged(f"tools (pid {old_pid}) exited: killed by SIGKILL")
    assert platform.logged("tools restarted (pid ")


# --- the supervision rules, on a stub service ----------------------------------------------------------


def stub_platform(tmp: Path, lines: list[str], replicas: int = 1) -> LocalPlatform:
    return LocalPlatform(
        data_dir=tmp,
        http_port=free_port(),
        nats_url="nats://127.0.0.1:1",  # "external": no nats-server; the stub does not use it
        services=[ServiceSpec("stub", "tests.integration.stub_service", replicas)],
        log=lines.append,
        ready_timeout_s=30,
        restart_delay_s=0.05,
        max_restart_delay_s=0.2,
        crash_loop_after=3,
    )


async def stays_up(runner: LocalPlatform, name: str, timeout_s: float = 15.0) -> int:
    """Until `name` has a process that is still alive half a second later; its pid."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pids = runner.pids(name)
        if pids:
            await asyncio.sleep(0.5)
            if runner.pids(name) == pids:
                return pids[0]
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{name} did not stay up")


async def test_crash_loops_are_reported_killed_replicas_stay_dead_and_stop_restarts_nothing(
    tmp_path: Path,
) -> None:
    lines: list[str] = []
    runner = stub_platform(tmp_path, lines, replicas=2)
    await runner.start()
    try:
        for _ in range(200):  # /health answered: one stub is up; wait for the other before the crash file
            if sum("stub: ready" in line for line in lines) == 2:
                break
            await asyncio.sleep(0.05)
        (tmp_path / "crash").touch()
        first = await runner.kill("stub-1", restart=True)
        for _ in range(200):  # three quick exits in a row: an error with the last lines, at each retry
            if sum("ERROR stub-1 keeps crashing" in line for line in lines) >= 2:
                break
            await asyncio.sleep(0.05)
        assert any("ERROR stub-1 keeps crashing: 3 exits in a row" in line for line in lines), lines
        assert any("stub-1 > stub: the crash file is there" in line for line in lines)
        assert any("stub-1 (pid" in line and "exit code 3" in line for line in lines)
        (tmp_path / "crash").unlink()
        assert await stays_up(runner, "stub-1") != first

        await runner.kill("stub-2")  # for good
        await asyncio.sleep(0.5)  # longer than the largest backoff
        assert runner.pids("stub-2") == []
        assert not any("stub-2 restarted" in line for line in lines)
        alive = runner.pids("stub")
    finally:
        before_stop = len(lines)
        await runner.stop()
    await asyncio.sleep(0.3)
    assert runner.processes == []
    assert not any("restart" in line for line in lines[before_stop:]), "stop() restarts nothing"
    for pid in alive:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_a_service_that_cannot_start_fails_start_up_in_seconds(tmp_path: Path) -> None:
    (tmp_path / "crash").touch()
    lines: list[str] = []
    runner = stub_platform(tmp_path, lines)
    runner.restart_delay_s = 0.5  # the defaults
    runner.max_restart_delay_s = 10.0
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="stub exited 3 times during start-up") as failure:
        await runner.start()
    assert time.monotonic() - started < 15
    assert "exit code 3" in str(failure.value) and "the crash file is there" in str(failure.value)
    assert runner.processes == []  # start() stopped what it had started

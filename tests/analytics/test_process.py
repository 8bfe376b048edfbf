"""The analytics service as `make run` starts it: a supervised process behind the gateway. The platform is
ready only once analytics answers; a `kill -9` loses nothing (the rows are committed before the ack, and
the restarted process resumes the durable consumer)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest

from deploy.local_platform import LocalPlatform, default_services, free_port
from shared import subjects
from shared.report import ReportReady
from tests.analytics.factories import make_report

pytestmark = pytest.mark.integration


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[LocalPlatform]:
    lines: list[str] = []
    running = LocalPlatform(
        data_dir=tmp_path,
        http_port=free_port(),
        nats_port=free_port(),
        services=default_services(
            agent_replicas=0, tools_replicas=0, stt_replicas=0, tts_replicas=0, analytics_replicas=1
        ),
        log=lines.append,
        ready_timeout_s=60,
    )
    try:
        await running.start()
    except BaseException:
        print("\n".join(lines[-40:]))
        raise
    yield running
    await running.stop()


async def total(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/analytics/aggregate")
    return int(response.json()["total_interviews"]) if response.status_code == 200 else -1


async def until_total(client: httpx.AsyncClient, expected: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while (found := await total(client)) != expected:
        assert time.monotonic() < deadline, f"{found} interviews, expected {expected}"
        await asyncio.sleep(0.1)


async def test_analytics_runs_supervised_and_survives_kill_9(platform: LocalPlatform) -> None:
    assert [name for name, _ in platform.processes] == ["nats", "analytics", "gateway"]
    nc = await nats.connect(platform.resolved_nats_url)
    js = nc.jetstream()
    async with httpx.AsyncClient(base_url=platform.base_url, timeout=10) as client:
        assert await total(client) == 0  # ready means answering
        await js.publish(
            subjects.report("p1"), ReportReady(session_id="p1", report=make_report("p1")).to_bytes()
        )
        await until_total(client, 1)
        old = await platform.kill("analytics", restart=True)
        await js.publish(
            subjects.report("p2"), ReportReady(session_id="p2", report=make_report("p2")).to_bytes()
        )
        await platform.wait_restarted("analytics", old)
        await until_total(client, 2)
    await nc.close()

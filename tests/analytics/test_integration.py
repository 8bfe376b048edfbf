"""Analytics on a real nats-server, end to end: the evaluator's ReportReady (published twice) and the
gateway's TurnMetrics (twice) reach the database through the durable consumers, and the gateway's REST
routes answer with the figures counted once, through request/reply to the analytics service."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.js.errors import NotFoundError
from sqlalchemy import Engine

from services.analytics.bootstrap import create_app as create_analytics
from services.gateway.bootstrap import create_app as create_gateway
from shared import subjects
from shared.config import Settings
from shared.report import ReportReady
from tests.analytics.factories import make_metrics, make_report

pytestmark = pytest.mark.integration


@pytest.fixture
async def fresh_streams(nats_url: str) -> AsyncIterator[None]:
    """No event or consumer position left by another test on the shared server."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    for stream, consumer in (
        (subjects.REPORTS_STREAM, subjects.ANALYTICS_REPORTS_CONSUMER),
        (subjects.METRICS_STREAM, subjects.ANALYTICS_METRICS_CONSUMER),
    ):
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(stream, consumer)
        with contextlib.suppress(NotFoundError):
            await js.purge_stream(stream)
    yield
    await nc.close()


@pytest.fixture
async def api(
    nats_url: str, tmp_path: Path, fresh_streams: None, engine: Engine
) -> AsyncIterator[httpx.AsyncClient]:
    """The analytics service and the gateway, both as their bootstraps build them; the database is each
    of SQLite and PostgreSQL in turn (`engine`, from conftest)."""
    settings = Settings(nats_url=nats_url, data_dir=tmp_path)
    gateway = create_gateway(settings)
    async with create_analytics(settings, engine=engine), gateway.router.lifespan_context(gateway):
        transport = httpx.ASGITransport(app=gateway)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


async def until(client: httpx.AsyncClient, path: str, done: Any, timeout_s: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = (await client.get(path)).json()
        if done(body):
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.1)


async def test_events_published_twice_are_counted_once(nats_url: str, api: httpx.AsyncClient) -> None:
    today = datetime.now(UTC)
    report = make_report("sid1", interview_type="Coding", candidate="Ada Lovelace", overall=7.5, at=today)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    event = ReportReady(session_id="sid1", report=report).to_bytes()
    metrics = make_metrics("sid1", "turn1", time.time(), speech_end_to_first_audio=950.0).to_bytes()
    for _ in range(2):  # no Msg-Id: JetStream keeps both copies, the database must count one
        await js.publish(subjects.report("sid1"), event)
        await js.publish(subjects.metrics("sid1"), metrics)
    await js.publish(subjects.report("sid2"), b"{not an event")  # dropped, never a crash
    await nc.close()

    latency = await until(api, "/api/analytics/voice-latency", lambda b: b.get("turns") == 1)
    aggregate = await until(api, "/api/analytics/aggregate", lambda b: b.get("total_interviews") == 1)
    await asyncio.sleep(0.5)  # the second copies are consumed by now too: still one
    assert (await api.get("/api/analytics/aggregate")).json()["total_interviews"] == 1
    assert aggregate["average_score"] == 7.5 and aggregate["by_interview_type"]["coding"]["count"] == 1
    assert latency["stages"]["speech_end_to_first_audio"]["count"] == 1

    benchmarks = (await api.get("/api/analytics/benchmarks/Coding")).json()["benchmarks"]
    assert benchmarks["overall"]["p50"] == 7.5 and benchmarks["overall"]["count"] == 1
    history = (await api.get("/api/analytics/candidate/ada lovelace/history")).json()
    assert history["total_interviews"] == 1 and history["scores_over_time"][0]["session_id"] == "sid1"
    trend = (await api.get("/api/analytics/trends", params={"days": 7})).json()
    assert trend["data"] == [{"date": today.date().isoformat(), "average_score": 7.5, "count": 1}]
    nc = await nats.connect(nats_url)
    info = await nc.jetstream().consumer_info(subjects.REPORTS_STREAM, subjects.ANALYTICS_REPORTS_CONSUMER)
    await nc.close()
    assert (info.num_pending, info.num_ack_pending) == (0, 0)  # all three settled: the garbage terminated


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/analytics/benchmarks/chef", 404, "interview_type_not_found"),
        ("/api/analytics/benchmarks/" + "x" * 300, 404, "interview_type_not_found"),
        ("/api/analytics/candidate/Nobody%20Here/history", 404, "candidate_not_found"),
        ("/api/analytics/trends?days=0", 422, "invalid_request"),
        ("/api/analytics/trends?days=366", 422, "invalid_request"),
        ("/api/analytics/trends?days=week", 422, "invalid_request"),
        ("/api/analytics/trends?days=1.5", 422, "invalid_request"),
        ("/api/analytics/benchmarks/%00", 404, "interview_type_not_found"),
        ("/api/analytics/candidate/%00/history", 404, "candidate_not_found"),
        ("/api/analytics/candidate/%ED%A0%80%F0%9F%98%80/history", 404, "candidate_not_found"),
        ("/api/analytics/candidate/%20%20/history", 404, "candidate_not_found"),
        ("/api/analytics/candidate/" + "n" * 201 + "/history", 404, "candidate_not_found"),
    ],
)
async def test_refusals_are_4xx_in_the_contract_shape(
    api: httpx.AsyncClient, path: str, status: int, code: str
) -> None:
    response = await api.get(path)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


async def test_a_known_type_without_data_and_an_empty_database(api: httpx.AsyncClient) -> None:
    empty = (await api.get("/api/analytics/benchmarks/aws_sa")).json()
    assert empty["total_interviews"] == 0 and empty["benchmarks"]["overall"]["p50"] is None
    trend = (await api.get("/api/analytics/trends")).json()
    assert (trend["trend"], trend["change"], trend["data"]) == ("stable", 0.0, [])


async def test_without_the_analytics_service_the_gateway_answers_503(
    nats_url: str, tmp_path: Path, fresh_streams: None
) -> None:
    gateway = create_gateway(Settings(nats_url=nats_url, data_dir=tmp_path))
    async with gateway.router.lifespan_context(gateway):
        transport = httpx.ASGITransport(app=gateway)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            response = await client.get("/api/analytics/aggregate")
    assert response.status_code == 503 and response.json()["error"]["code"] == "analytics_unavailable"


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        (subjects.ANALYTICS_TRENDS, b"{not json", "body"),
        (subjects.ANALYTICS_TRENDS, b'{"days": 0}', "days"),
        (subjects.ANALYTICS_BENCHMARKS, b"{}", "interview_type"),
        (subjects.ANALYTICS_HISTORY, b'{"candidate_name": ""}', "candidate_name"),
    ],
)
async def test_unreadable_requests_get_a_422_reply(
    nats_url: str, api: httpx.AsyncClient, subject: str, body: bytes, field: str
) -> None:
    nc = await nats.connect(nats_url)
    try:
        reply = json.loads((await nc.request(subject, body, timeout=5)).data)
    finally:
        await nc.close()
    assert reply["ok"] is False and reply["error"]["status"] == 422
    assert reply["error"]["fields"] == [field]

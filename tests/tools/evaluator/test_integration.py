"""End to end on a real nats-server: the gateway ends an interview whose record is in storage, the tools
service's evaluator (as bootstrap wires it) writes the report and its PDF and publishes ReportReady; the
gateway serves both. A redelivered end writes nothing again and JetStream keeps one ReportReady."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from faststream.nats import NatsBroker

from bench.calibration import load_answers, session_record
from services.gateway.bootstrap import create_app as create_gateway
from services.tools.bootstrap import create_app as create_tools
from shared import subjects
from shared.config import Settings
from shared.events import SessionEnded
from shared.report import PerformanceReport, ReportReady, report_key
from shared.sessions import SessionRepository
from shared.storage.local import LocalObjectStore
from tests.tools.test_services import BANK, FakeParser, FakeRunner


async def _poll(client: TestClient, url: str, timeout_s: float = 15.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        response = client.get(url)
        if response.status_code == 200:
            return time.monotonic() - started
        assert response.json()["error"]["code"] == "report_not_ready", response.text
        await asyncio.sleep(0.1)
    raise AssertionError(f"no report at {url} after {timeout_s} s")


async def _settled(broker: NatsBroker) -> None:
    """Until the evaluator's consumer has nothing pending or unacked."""
    js = broker.connection.jetstream()
    for _ in range(150):
        info = await js.consumer_info(subjects.LIFECYCLE_STREAM, subjects.EVALUATOR_CONSUMER)
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the evaluator did not settle")


async def test_an_ended_interview_gets_its_report_once(nats_url: str, tmp_path: Path) -> None:
    settings = Settings(nats_url=nats_url, data_dir=tmp_path)
    store = LocalObjectStore(settings.objects_dir)
    answers = load_answers()["amazon_sde"]
    record = session_record("amazon_sde", "it", [(q, by_level["strong"]) for q, by_level in answers.items()])
    sid = f"it-{uuid.uuid4().hex[:12]}"
    await SessionRepository(store).create(
        record.model_copy(update={"session_id": sid, "status": "in_progress"})
    )
    tools = create_tools(settings, store=store, runner=FakeRunner(), cv_parser=FakeParser(), bank=BANK)
    url = f"/api/interviews/{sid}/performance-report"
    async with tools:
        broker = tools.broker
        assert isinstance(broker, NatsBroker)
        with TestClient(create_gateway(settings)) as client:
            assert client.get(url).json()["error"]["code"] == "report_not_ready"
            assert client.post(f"/api/interviews/{sid}/end").status_code == 200
            waited = await _poll(client, url)
            body = client.get(url).json()
            report = PerformanceReport.model_validate(body["report"])
            pdf = client.get(url, params={"format": "pdf"})
            bad_format = client.get(url, params={"format": "docx"})
        print(f"report served {waited:.2f} s after the end")
        assert report.session_id == sid and report.judge.kind == "rubric" and report.overall_score >= 6
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert bad_format.status_code == 422

        js = broker.connection.jetstream()
        announced = await js.get_last_msg(subjects.REPORTS_STREAM, subjects.report(sid))
        assert ReportReady.model_validate_json(announced.data).report == report
        assert announced.headers and announced.headers.get("Nats-Msg-Id") == f"report-{sid}"

        # A redelivered end (a second copy of the event): the stored report is not written again.
        etag = (await store.get(report_key(sid))).etag
        await _settled(broker)
        again = SessionEnded(session_id=sid)
        await js.publish(
            subjects.lifecycle(sid, "ended"), again.to_bytes(), headers={"Nats-Msg-Id": f"again-{sid}"}
        )
        await _settled(broker)
        assert (await store.get(report_key(sid))).etag == etag
        info = await js.stream_info(subjects.REPORTS_STREAM, subjects_filter=subjects.report(sid))
        assert info.state.subjects == {subjects.report(sid): 1}  # the re-announcement was a duplicate


async def test_an_end_without_a_session_record_is_dropped(nats_url: str, tmp_path: Path) -> None:
    settings = Settings(nats_url=nats_url, data_dir=tmp_path)
    store = LocalObjectStore(settings.objects_dir)
    tools = create_tools(settings, store=store, runner=FakeRunner(), cv_parser=FakeParser(), bank=BANK)
    sid = f"ghost-{uuid.uuid4().hex[:12]}"
    async with tools:
        broker = tools.broker
        assert isinstance(broker, NatsBroker)
        js = broker.connection.jetstream()
        await js.publish(subjects.lifecycle(sid, "ended"), SessionEnded(session_id=sid).to_bytes())
        await js.publish(subjects.lifecycle(sid, "ended"), b"not an event")
        await _settled(broker)
    assert await store.list("reports/") == []

"""The evaluator's adapters: code submissions and reports in the object store, `ReportReady` on JetStream."""

from __future__ import annotations

from dataclasses import dataclass

from faststream.nats import JStream, NatsBroker, NatsRouter
from faststream.nats.publisher.usecase import LogicPublisher

from shared import subjects
from shared.report import PerformanceReport, ReportReady, report_key, report_pdf_key
from shared.storage import ObjectNotFound, ObjectStore, read_model, write_model
from shared.tools_api import CodeSubmission, submissions_prefix


class StoredSubmissions:
    """`code/{session_id}/{submission_id}.json`, as the code service writes them."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def for_session(self, session_id: str) -> list[CodeSubmission]:
        found: list[CodeSubmission] = []
        for key in await self.store.list(submissions_prefix(session_id)):
            if not key.endswith(".json"):
                continue
            try:
                submission, _ = await read_model(self.store, key, CodeSubmission)
            except ObjectNotFound:  # deleted between list and read
                continue
            found.append(submission)
        return found


class StoredReports:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def load(self, session_id: str) -> PerformanceReport | None:
        keys = set(await self.store.list(f"reports/{session_id}/"))
        if not {report_key(session_id), report_pdf_key(session_id)} <= keys:
            return None
        try:
            report, _ = await read_model(self.store, report_key(session_id), PerformanceReport)
        except ObjectNotFound:
            return None
        return report

    async def save(self, report: PerformanceReport, pdf: bytes) -> None:
        # The PDF first: a reader that finds the JSON (the gateway's "ready") finds the PDF too.
        await self.store.put(report_pdf_key(report.session_id), pdf, content_type="application/pdf")
        await write_model(self.store, report_key(report.session_id), report)


@dataclass
class NatsReportPublisher:
    """`ReportReady` on the REPORTS stream; `Nats-Msg-Id` `report-{sid}`, so a second announcement inside
    the stream's duplicate window is dropped by JetStream."""

    reports: LogicPublisher

    @classmethod
    def declare(cls, registrar: NatsRouter | NatsBroker) -> NatsReportPublisher:
        return cls(
            reports=registrar.publisher(
                subjects.report("{session_id}"),
                stream=JStream(subjects.REPORTS_STREAM, declare=False),
                schema=ReportReady,
                title="tools: performance report ready",
                description="The evaluator wrote a session's report (storage: reports/{session_id}/); "
                "Nats-Msg-Id `report-{session_id}`. Sent again when the end is redelivered: count a session once.",
            )
        )

    async def publish(self, event: ReportReady) -> None:
        await self.reports.publish(
            event,
            subject=subjects.report(event.session_id),
            headers={"Nats-Msg-Id": f"report-{event.session_id}"},
        )

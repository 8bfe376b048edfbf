"""Use cases that write: a report or a turn's metrics as they arrive, and the rebuild from storage.

The repository is synchronous (see `db/repository.py`): its calls run in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from pydantic import ValidationError

from services.analytics.domain.rows import Unstorable, report_row, stage_rows
from services.analytics.ports import AnalyticsRepository
from shared.events import TurnMetrics
from shared.report import PerformanceReport
from shared.storage import ObjectNotFound, ObjectStore, read_model

log = logging.getLogger("analytics.ingest")

REPORT_SUFFIX = "/performance_report.json"
REBUILD_BATCH = 500


class Ingest:
    def __init__(self, repository: AnalyticsRepository) -> None:
        self.repository = repository

    async def record_report(self, report: PerformanceReport) -> None:
        """Unstorable (the event is dropped) when no row can hold it."""
        row = report_row(report)
        await asyncio.to_thread(self.repository.upsert_reports, [row])

    async def record_metrics(self, metrics: TurnMetrics) -> int:
        """The stages kept (invalid ones are left out)."""
        rows = stage_rows(metrics.session_id, metrics.turn_id, metrics.stages, metrics.ts)
        await asyncio.to_thread(self.repository.upsert_stages, rows)
        return len(rows)


@dataclass(frozen=True)
class RebuildSummary:
    reports: int
    skipped: int


class Rebuild:
    """Backfill from the reports in storage (`reports/{sid}/performance_report.json`): after a lost or
    new database, or with reports older than the REPORTS stream's 30 days. Upserts, so it can run while
    the service consumes events."""

    def __init__(self, repository: AnalyticsRepository, store: ObjectStore) -> None:
        self.repository = repository
        self.store = store

    async def run(self) -> RebuildSummary:
        keys = [k for k in await self.store.list("reports/") if k.endswith(REPORT_SUFFIX)]
        loaded = skipped = 0
        for start in range(0, len(keys), REBUILD_BATCH):
            rows = []
            for key in keys[start : start + REBUILD_BATCH]:
                try:
                    report, _ = await read_model(self.store, key, PerformanceReport)
                    rows.append(report_row(report))
                except (ObjectNotFound, ValidationError, Unstorable) as error:
                    log.warning("skipping %s: %s", key, str(error).splitlines()[0])
                    skipped += 1
            await asyncio.to_thread(self.repository.upsert_reports, rows)
            loaded += len(rows)
        await asyncio.to_thread(self.repository.analyze)
        return RebuildSummary(reports=loaded, skipped=skipped)

"""`python -m services.analytics rebuild` backfills the database from the reports in storage."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from services.analytics.db.repository import SqlRepository, engine_for
from shared.config import REPO_ROOT, Settings
from shared.report import report_key, report_pdf_key
from shared.storage import write_model
from shared.storage.local import LocalObjectStore
from tests.analytics.factories import make_report


async def store_reports(store: LocalObjectStore) -> None:
    for i, name in enumerate(["Ada", "Grace", "Ada"]):
        await write_model(store, report_key(f"s{i}"), make_report(f"s{i}", candidate=name, overall=4.0 + i))
    await store.put(report_key("broken"), b"{not a report")
    await store.put(report_pdf_key("s0"), b"%PDF-1.7")


def test_the_rebuild_command_loads_every_stored_report_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    asyncio.run(store_reports(LocalObjectStore(settings.objects_dir)))
    env = {**os.environ, "PREPAI_DATA_DIR": str(tmp_path)}
    for _ in range(2):  # run twice: still three interviews
        done = subprocess.run(
            [sys.executable, "-m", "services.analytics", "rebuild"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    assert "3 reports (1 skipped)" in done.stderr
    engine = engine_for(settings.analytics_database_url)
    result = SqlRepository(engine).aggregate()
    engine.dispose()
    assert (result.total_interviews, result.unique_candidates, result.average_score) == (3, 2, 5.0)

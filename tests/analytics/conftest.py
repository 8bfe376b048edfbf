"""The analytics database under test: each repository test runs on SQLite and on a real PostgreSQL
server (started once per session from Debian's package; see tests/analytics/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from services.analytics.db import migrations
from services.analytics.db.repository import engine_for
from services.analytics.db.schema import Base
from tests.analytics.postgres import postgres_server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """One migrated test database for the session; each test starts from empty tables."""
    admin = engine_for(postgres_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE analytics_test"))
    admin.dispose()
    engine = engine_for(postgres_url.rsplit("/", 1)[0] + "/analytics_test")
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        created = engine_for(f"sqlite:///{tmp_path / 'db' / 'analytics.db'}")
        migrations.upgrade(created)
        yield created
        created.dispose()
        return
    shared: Engine = request.getfixturevalue("postgres_engine")
    with shared.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(t.name for t in Base.metadata.sorted_tables)))
    yield shared

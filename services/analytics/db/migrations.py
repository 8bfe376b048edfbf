"""Brings the database to the newest schema with Alembic (`services/analytics/alembic/`), at start-up.

Several replicas may start at once: on PostgreSQL they take turns on an advisory lock (the second finds
the schema current); on SQLite the file's write lock does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

SCRIPTS = Path(__file__).resolve().parent.parent / "alembic"
_LOCK_KEY = 0x50524550_414E4C59 % 2**63  # "PREPANLY": any constant the other services do not use


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config


def upgrade(engine: Engine) -> str:
    """Run every migration not yet applied; return the revision the database is at. A SQLite file's
    folder is created first (the embedded default needs no set-up)."""
    file = engine.url.database
    if engine.dialect.name == "sqlite" and file and file != ":memory:":
        Path(file).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        revision = MigrationContext.configure(conn).get_current_revision()
    return revision or ""


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""

"""Wires the analytics service: settings -> storage, database (migrated) -> use cases -> app.

The only module of the service that reads `Settings`. Nothing connects until the app starts: then the
database is brought to the newest schema, the streams and consumers are ensured, and the use cases are
put in the context. Tests build the same application with another store or database through
`create_app`'s keyword arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time

from faststream import FastStream
from sqlalchemy import Engine

from services.analytics.db import migrations
from services.analytics.db.repository import SqlRepository, engine_for
from services.analytics.handlers import build_ingest_router, build_query_router
from services.analytics.ingest import Ingest, Rebuild
from services.analytics.queries import Queries
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import analytics_consumers, ensure_consumers, ensure_streams, make_broker
from shared.storage import ObjectStore, create_store

log = logging.getLogger("analytics")


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastStream:
    consumers = analytics_consumers()
    broker = make_broker(settings, "analytics")
    broker.include_router(build_ingest_router({c.durable_name or "": c for _, c in consumers}))
    broker.include_router(build_query_router())
    app = FastStream(broker, logger=log)
    database = engine or engine_for(settings.analytics_database_url)

    @app.on_startup
    async def start() -> None:
        revision = await asyncio.to_thread(migrations.upgrade, database)
        log.info("analytics database %s at revision %s", database.url.render_as_string(), revision)
        repository = SqlRepository(database)
        app.context.set_global("ingest", Ingest(repository))
        app.context.set_global("queries", Queries(repository))
        await broker.connect()
        js = broker.connection.jetstream()
        await ensure_streams(js, settings)
        await ensure_consumers(js, consumers)

    @app.after_startup
    def ready() -> None:
        log.info("analytics ready")

    @app.after_shutdown
    def close() -> None:
        database.dispose()

    return app


async def rebuild(settings: Settings, *, store: ObjectStore | None = None) -> None:
    """Backfill the database from every report in storage (safe while the service runs)."""
    database = engine_for(settings.analytics_database_url)
    try:
        await asyncio.to_thread(migrations.upgrade, database)
        started = time.perf_counter()
        summary = await Rebuild(SqlRepository(database), store or create_store(settings)).run()
        log.info(
            "rebuilt from storage: %d reports (%d skipped) in %.1f s",
            summary.reports,
            summary.skipped,
            time.perf_counter() - started,
        )
    finally:
        database.dispose()


def run() -> None:
    """The process: `python -m services.analytics` serves; `... rebuild` backfills from storage and exits."""
    parser = argparse.ArgumentParser(prog="python -m services.analytics", description=run.__doc__)
    parser.add_argument("command", nargs="?", choices=["serve", "rebuild"], default="serve")
    args = parser.parse_args()
    settings = Settings()
    setup_logging("analytics", settings.log_level)
    if args.command == "rebuild":
        asyncio.run(rebuild(settings))
    else:
        asyncio.run(create_app(settings).run())

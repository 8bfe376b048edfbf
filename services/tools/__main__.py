"""Tools service entry point: `python -m services.tools` (code runner, problem bank, CV analyzer)."""

from __future__ import annotations

import asyncio

from services.tools.code_service import CodeService
from services.tools.cv import prepare_isolation
from services.tools.cv_service import CvService
from services.tools.handlers import build_router
from services.tools.problems import load_problems
from shared.config import get_settings
from shared.logs import setup_logging
from shared.messaging import make_broker
from shared.service import run_service
from shared.sessions import SessionRepository
from shared.storage import create_store


async def main(stop: asyncio.Event) -> None:
    settings = get_settings()
    log = setup_logging("tools", settings.log_level)
    store = create_store(settings)
    sessions = SessionRepository(store)
    problems = load_problems()  # validate the bank at start-up, not on the first request
    prepare_isolation()  # the CV parser's child-process server, so the first upload pays no start-up
    broker = make_broker(settings, "tools")
    broker.include_router(
        build_router(
            CodeService(store, sessions),
            CvService(store, sessions, textract=settings.cv_textract),
            concurrency=settings.tools_concurrency,
        )
    )
    await broker.start()
    log.info("tools ready: %d problems, concurrency %d", len(problems), settings.tools_concurrency)
    try:
        await stop.wait()
    finally:
        await broker.stop()


if __name__ == "__main__":
    run_service(main)

"""Wires the tools service: settings -> storage, runner, problem bank, CV parser -> services -> app.

The only module of the service that reads `Settings` (and `RunnerConfig`, the runner's own
`PREPAI_RUNNER_*` settings). Tests build the same application with fakes through `create_app`'s
keyword arguments.
"""

from __future__ import annotations

import asyncio
import logging

from faststream import FastStream

from services.tools.code_service import CodeService, Runner
from services.tools.cv import IsolatedCvParser
from services.tools.cv_service import CvParser, CvService
from services.tools.handlers import build_router
from services.tools.problems import ProblemBank
from services.tools.runner import CodeRunner, RunnerConfig
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import make_broker, reply_errors_middleware
from shared.sessions import SessionRepository
from shared.storage import ObjectStore, create_store

log = logging.getLogger("tools")


def create_app(
    settings: Settings,
    *,
    store: ObjectStore | None = None,
    runner: Runner | None = None,
    cv_parser: CvParser | None = None,
    bank: ProblemBank | None = None,
) -> FastStream:
    store = store or create_store(settings)
    sessions = SessionRepository(store)
    bank = bank or ProblemBank.load()  # validated at start-up, not on the first request
    parser = cv_parser or IsolatedCvParser(textract=settings.cv_textract)
    code = CodeService(runner or CodeRunner(RunnerConfig()), bank, store, sessions)
    cv = CvService(parser, store, sessions)

    broker = make_broker(settings, "tools", middlewares=[reply_errors_middleware()])
    broker.include_router(build_router(concurrency=settings.tools_concurrency))

    def ready() -> None:
        log.info("tools ready: %d problems, concurrency %d", len(bank), settings.tools_concurrency)

    # The CV parser's forkserver starts before the first request, so the first upload pays no start-up.
    starting = [parser.start] if isinstance(parser, IsolatedCvParser) else []
    app = FastStream(broker, logger=log, on_startup=starting, after_startup=[ready])
    app.context.set_global("code_service", code)
    app.context.set_global("cv_service", cv)
    app.context.set_global("problem_bank", bank)
    return app


def run() -> None:
    """The process: settings from the environment, logging, the app until SIGINT/SIGTERM."""
    settings = Settings()
    setup_logging("tools", settings.log_level)
    asyncio.run(create_app(settings).run())

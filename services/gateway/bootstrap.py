"""Wires the gateway: settings -> storage, the NATS bus (FastStream publishers) -> the FastAPI app.

The only module of the gateway that reads `Settings`. The app serves the REST API, the interview
WebSocket and the OpenAPI document (/docs, /openapi.json); `run()` is the process (uvicorn).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.gateway import ws
from services.gateway.bus import Bus, declare_publishers
from services.gateway.deps import Deps
from services.gateway.errors import errors, install_error_handlers
from services.gateway.openapi import DESCRIPTION, openapi_document
from services.gateway.protocol import MAX_FRAME_BYTES
from services.gateway.routes import analytics, code, cv, interviews, meta, sessions
from services.gateway.webapp import install_webapp
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import ensure_streams, make_broker
from shared.sessions import SessionRepository
from shared.storage import create_store


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        broker = make_broker(settings, "gateway")
        publishers = declare_publishers(broker)
        await broker.connect()
        await ensure_streams(broker.connection.jetstream(), settings)
        await broker.start()
        store = create_store(settings)
        app.state.deps = Deps(
            settings=settings, store=store, sessions=SessionRepository(store), bus=Bus(broker, publishers)
        )
        try:
            yield
        finally:
            await broker.stop()

    app = FastAPI(
        title="PrepAI",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=errors(500),
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"], allow_headers=["*"]
    )
    install_error_handlers(app)
    for router in (meta.router, sessions.router, interviews.router, cv.router, code.router, ws.router):
        app.include_router(router)
    app.include_router(analytics.router)
    install_webapp(app)  # the web app at / (frontend/dist); after the API, which it never shadows
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


# Client mistakes that uvicorn logs as errors with a traceback; the socket is closed with the right code
# (1007), so they are warnings here: a client must not be able to fill the error log.
_CLIENT_MISTAKES = ("Invalid UTF-8 sequence received from client.",)


class ClientMistakesAreWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in _CLIENT_MISTAKES:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def run() -> None:
    """The process: settings from the environment, logging, uvicorn until SIGINT/SIGTERM. Several
    replicas may share a port behind a load balancer: the gateway holds no interview state."""
    settings = Settings()
    setup_logging("gateway", settings.log_level)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        ws_max_size=MAX_FRAME_BYTES,  # a bigger frame closes the socket with 1009
        timeout_graceful_shutdown=5,
    )
    logging.getLogger("uvicorn.error").addFilter(ClientMistakesAreWarnings())  # after Config set up logging
    uvicorn.Server(config).run()

"""The FastAPI application: REST API, the interview WebSocket, OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.gateway import ws
from services.gateway.bus import Bus, declare_publishers
from services.gateway.deps import Deps
from services.gateway.errors import install_error_handlers
from services.gateway.routes import code, cv, interviews, meta, sessions
from shared.config import Settings
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
        description="AI interview practice: sessions, transcripts, the interview WebSocket "
        "(`/ws/interview/{session_id}`), code execution, CV analysis and reports.",
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"], allow_headers=["*"]
    )
    install_error_handlers(app)
    for router in (meta.router, sessions.router, interviews.router, cv.router, code.router, ws.router):
        app.include_router(router)
    return app

"""What the gateway's routes need, built once in the app's lifespan and injected with Depends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from services.gateway.bus import Bus
from shared.config import Settings
from shared.sessions import SessionRepository
from shared.storage import ObjectStore


@dataclass
class Deps:
    settings: Settings
    store: ObjectStore
    sessions: SessionRepository
    bus: Bus


def get_deps(conn: HTTPConnection) -> Deps:
    deps: Deps = conn.app.state.deps
    return deps


def _request_deps(request: Request) -> Deps:
    return get_deps(request)


AppDeps = Annotated[Deps, Depends(_request_deps)]

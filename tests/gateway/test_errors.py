"""Every error the gateway answers is in the contract's shape, before any route or broker is involved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.gateway.bootstrap import create_app
from services.gateway.errors import ApiError
from shared.config import Settings
from shared.sessions import SessionNotFound


@pytest.fixture
def app() -> FastAPI:
    app = create_app(Settings())

    @app.get("/test/bug")
    async def bug() -> None:
        raise RuntimeError("a bug")

    @app.get("/test/domain")
    async def domain() -> None:
        raise SessionNotFound("abc")

    @app.get("/test/api")
    async def api() -> None:
        raise ApiError(409, "conflict_here", "Conflict.", fields=["x"])

    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # No `with`: the lifespan (the broker) is not started; none of these requests reaches a route's deps.
    yield TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("get", "/test/bug", None, 500, "internal_error"),
        ("get", "/test/domain", None, 404, "session_not_found"),
        ("get", "/test/api", None, 409, "conflict_here"),
        ("get", "/nope", None, 404, "not_found"),
        ("patch", "/api/sessions", None, 405, "method_not_allowed"),
        ("post", "/api/sessions", b"\xff\xfe{}", 422, "invalid_request"),  # JSON that is not UTF-8
        ("post", "/api/sessions", b"[" * 100_000, 422, "invalid_request"),  # deeper than the parser goes
        ("post", "/api/sessions", b"{broken", 422, "invalid_request"),
    ],
)
def test_errors_have_the_contract_shape(
    client: TestClient, method: str, path: str, body: bytes | None, status: int, code: str
) -> None:
    response = client.request(
        method.upper(), path, content=body, headers={"content-type": "application/json"} if body else {}
    )
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert set(response.json()) == {"error"}
    if status == 422:
        assert error["fields"] == ["body"]


def test_api_errors_carry_their_fields(client: TestClient) -> None:
    assert client.get("/test/api").json()["error"]["fields"] == ["x"]


def test_405_keeps_the_allow_header(client: TestClient) -> None:
    assert "POST" in client.request("PATCH", "/api/sessions").headers["allow"]

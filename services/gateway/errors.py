"""The contract's error shape: `{"error": {"code": "<snake_case>", "message": "<human text>"}}`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.gateway.bus import ToolCallFailed
from shared.sessions import SessionNotFound


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: list[str] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, **extra}
    return JSONResponse(status_code=status, content={"error": body})


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, err: ApiError) -> JSONResponse:
        return error_response(err.status, err.code, err.message)

    @app.exception_handler(ToolCallFailed)
    async def tool_failed(_: Request, err: ToolCallFailed) -> JSONResponse:
        return error_response(err.error.status, err.error.code, err.error.message)

    @app.exception_handler(SessionNotFound)
    async def session_not_found(_: Request, err: SessionNotFound) -> JSONResponse:
        return error_response(404, "session_not_found", f"No interview session with id {err.session_id!r}.")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, err: RequestValidationError) -> JSONResponse:
        problems = [f"{_field_name(e['loc'])}: {e['msg']}" for e in err.errors()]
        fields = sorted({_field_name(e["loc"]) for e in err.errors()})
        return error_response(422, "invalid_request", "; ".join(problems), fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(err.status_code, "http_error")
        return error_response(err.status_code, code, str(err.detail))


# For OpenAPI: the error responses each endpoint may give.
def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorResponse} for status in statuses}

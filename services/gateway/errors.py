"""The contract's error shape: `{"error": {"code": "<snake_case>", "message": "<human text>", "fields"?}}`.

Every error the gateway answers has this shape: client mistakes (`shared.errors.DomainError`, request
validation, unknown paths and methods), the tools service's error replies, and, as a last resort, a bug
(500 `internal_error`, logged with its traceback).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.gateway.bus import ToolCallFailed
from shared.errors import DomainError, invalid_request

ERROR_CODE_PATTERN = r"^[a-z][a-z0-9_]*$"


class ErrorBody(BaseModel):
    code: str = Field(pattern=ERROR_CODE_PATTERN, description="stable snake_case; clients branch on it")
    message: str = Field(description="for a person")
    fields: list[str] | None = Field(default=None, description="the request fields at fault (422)")


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(DomainError):
    """A client-caused error raised by a route: `ApiError(404, "cv_not_found", "...")`."""

    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message, code=code, status=status, fields=fields)


def error_response(
    status: int,
    code: str,
    message: str,
    fields: list[str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    # Not validated: a handler must answer even if a code breaks the pattern (the fuzz tests check codes).
    body = ErrorBody.model_construct(code=code, message=message, fields=fields)
    return JSONResponse(
        status_code=status,
        content={"error": body.model_dump(exclude_none=True)},
        headers=headers,
    )


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


_UNPARSABLE_BODY = "There was an error parsing the body"  # FastAPI's HTTPException(400) detail
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, err: DomainError) -> JSONResponse:
        return error_response(err.status, err.code, err.message, err.fields)

    @app.exception_handler(ToolCallFailed)
    async def tool_failed(_: Request, err: ToolCallFailed) -> JSONResponse:
        return error_response(err.error.status, err.error.code, err.error.message, err.error.fields)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        # A body that is not JSON at all: the location is a character offset, not a field.
        error = invalid_request(
            err.errors(), lambda e: "body" if e.get("type") == "json_invalid" else _field_name(e["loc"])
        )
        return error_response(error.status, error.code, error.message, error.fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 400 and err.__cause__ is not None and err.detail == _UNPARSABLE_BODY:
            # FastAPI's answer to a JSON body it could not even decode (not UTF-8, nested past the
            # parser's depth): an invalid body, so 422 like every other, naming the body.
            why = "not UTF-8" if isinstance(err.__cause__, UnicodeDecodeError) else "malformed"
            return error_response(
                422, "invalid_request", f"body: the body could not be read ({why}).", ["body"]
            )
        code = _HTTP_CODES.get(err.status_code, "http_error")
        return error_response(err.status_code, code, str(err.detail), headers=err.headers)

    @app.exception_handler(Exception)
    async def internal_error(_: Request, err: Exception) -> JSONResponse:
        # A bug, never the client's fault: the contract's shape. Starlette re-raises the exception after
        # this answer, so the server logs its traceback ("Exception in ASGI application").
        return error_response(500, "internal_error", "Internal server error.")


# For OpenAPI: the error responses each endpoint may give.
_DESCRIPTIONS = {
    400: "Bad request",
    404: "Not found (e.g. `session_not_found`)",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid request: `invalid_request` with the fields named",
    500: "A bug: `internal_error`",
    502: "The tools service answered something unreadable",
    503: "A backing service is unavailable",
    504: "A backing service timed out",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": ErrorResponse, "description": _DESCRIPTIONS.get(status, "Error")}
        for status in statuses
    }

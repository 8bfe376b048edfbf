"""The gateway's OpenAPI document: FastAPI's, plus the WebSocket's messages, and every error in the
contract's shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.gateway.errors import ErrorResponse
from services.gateway.protocol import WS_DESCRIPTION, websocket_openapi

DESCRIPTION = (
    "AI interview practice: sessions, transcripts, the interview WebSocket "
    "(`/ws/interview/{session_id}`), code execution, CV analysis and reports.\n\n"
    'Every error is `{"error": {"code": "<snake_case>", "message": "...", "fields"?: [...]}}`; '
    "an invalid request is 422 `invalid_request` naming the fields.\n" + WS_DESCRIPTION
)
_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the WebSocket's messages, and every 422 in the contract's error shape."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = FastAPI.openapi(app)
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    error_ref = {"$ref": "#/components/schemas/" + ErrorResponse.__name__}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            # FastAPI's default 422 says `{"detail": [...]}`; the gateway never sends that.
            invalid = operation.get("responses", {}).get("422")
            if invalid is not None:
                invalid["description"] = "Invalid request: `invalid_request` with the fields named"
                invalid["content"] = {"application/json": {"schema": error_ref}}
    schemas.setdefault(
        ErrorResponse.__name__, ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for name in _VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    ws_schemas, extension = websocket_openapi()
    for name, schema in ws_schemas.items():
        existing = schemas.setdefault(name, schema)
        # The same model seen by the REST side (FastAPI writes defaults differently): keep that one.
        if set(existing.get("properties", {})) != set(schema.get("properties", {})):
            raise RuntimeError(f"the WebSocket schema {name!r} clashes with a REST schema of that name")
    document["x-websocket"] = extension
    app.openapi_schema = document
    return document

"""The WebSocket's message models and the OpenAPI document (no broker, no processes)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.gateway.bootstrap import create_app
from services.gateway.protocol import (
    CLIENT_MESSAGE_TYPES,
    ClientError,
    CodeRunMessage,
    ErrorEvent,
    InterruptMessage,
    ProblemPayload,
    TextMessage,
    TurnMetricsEvent,
    parse_client_message,
)
from services.gateway.routes.sessions import PRIVATE_FIELDS, SessionDetail
from shared.config import Settings
from shared.sessions import SessionRecord


def error_of(raw: str, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        parse_client_message(raw, **kwargs)
    return raised.value.code, raised.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"type": "text", "text": "  hi  "}', TextMessage(type="text", text="hi")),
        ('{"type": "interrupt"}', InterruptMessage(type="interrupt")),
        ('{"type": "interrupt", "turn_id": "t1"}', InterruptMessage(type="interrupt", turn_id="t1")),
        (
            '{"type": "code_run", "submission_id": "abc"}',
            CodeRunMessage(type="code_run", submission_id="abc"),
        ),
    ],
)
def test_valid_messages_parse_to_their_models(raw: str, expected: Any) -> None:
    assert parse_client_message(raw) == expected


@pytest.mark.parametrize("kind", CLIENT_MESSAGE_TYPES)
def test_every_type_parses_with_unknown_keys_ignored(kind: str) -> None:
    body: dict[str, Any] = {"type": kind, "future_key": [1]}
    body |= {"text": "x"} if kind == "text" else {"submission_id": "s"} if kind == "code_run" else {}
    assert parse_client_message(json.dumps(body)).type == kind


@pytest.mark.parametrize(
    ("raw", "code", "named"),
    [
        ("", "invalid_json", None),
        ("{", "invalid_json", None),
        ("[" * 100_000, "invalid_json", None),
        ("null", "invalid_message", None),
        ('{"type": 1}', "invalid_message", None),
        ('{"type": "dance"}', "unknown_message_type", None),
        ('{"type": "interrupt", "turn_id": 5}', "invalid_message", "turn_id"),
        ('{"type": "code_run"}', "invalid_message", "submission_id"),
        ('{"type": "code_run", "submission_id": ""}', "invalid_message", "submission_id"),
        ('{"type": "code_run", "submission_id": ["a"]}', "invalid_message", "submission_id"),
        ('{"type": "text", "text": null}', "empty_text", None),
        ('{"type": "text", "text": "\\ud800"}', "invalid_message", None),
        ('{"type": "ping", "x": "\\udfff"}', "invalid_message", None),
    ],
)
def test_mistakes_get_a_code_and_name_the_field(raw: str, code: str, named: str | None) -> None:
    got, message = error_of(raw)
    assert got == code and message
    if named:
        assert f'"{named}"' in message


def test_the_text_limit_is_the_configured_one() -> None:
    assert error_of('{"type": "text", "text": "abcdef"}', max_text_chars=5)[0] == "text_too_long"
    parsed = parse_client_message('{"type": "text", "text": "  abcde  "}', max_text_chars=5)
    assert isinstance(parsed, TextMessage) and parsed.text == "abcde"


def test_unknown_type_names_are_cut_short_in_the_message() -> None:
    _, message = error_of(json.dumps({"type": "x" * 10_000}))
    assert len(message) < 300


def test_error_events_have_exactly_the_contract_keys() -> None:
    assert ErrorEvent(code="invalid_json", message="m").model_dump(mode="json") == {
        "type": "error",
        "code": "invalid_json",
        "message": "m",
    }


def test_turn_metrics_accept_only_numbers() -> None:
    assert TurnMetricsEvent.model_validate({"turn_id": "t", "a": 1}).model_dump(mode="json")["a"] == 1.0
    with pytest.raises(ValueError):
        TurnMetricsEvent.model_validate({"turn_id": "t", "a": "slow"})


def test_problem_payload_has_the_contract_keys() -> None:
    fields = set(ProblemPayload.model_fields)
    assert {"id", "title", "statement", "templates", "examples"} <= fields


def test_the_public_session_is_the_record_without_its_private_fields() -> None:
    assert set(SessionDetail.model_fields) == set(SessionRecord.model_fields) - PRIVATE_FIELDS


def test_openapi_describes_the_socket_and_every_body() -> None:
    spec = create_app(Settings()).openapi()
    schemas = spec["components"]["schemas"]
    assert {"WsClientMessage", "WsServerEvent", "ErrorResponse"} <= set(schemas)
    client_types = {ref["$ref"].rsplit("/", 1)[-1] for ref in schemas["WsClientMessage"]["oneOf"]}
    assert len(client_types) == len(CLIENT_MESSAGE_TYPES)
    server_refs = schemas["WsServerEvent"]["discriminator"]["mapping"]
    assert set(server_refs) == {
        "transcript",
        "llm_chunk",
        "assistant_complete",
        "turn_metrics",
        "error",
        "state",
        "problem",
        "pong",
        "interrupted",
    }
    for ref in json.dumps(spec).split('"$ref": "')[1:]:
        assert ref.split('"')[0].rsplit("/", 1)[-1] in schemas  # no dangling reference
    assert spec["x-websocket"]["path"] == "/ws/interview/{session_id}"
    assert "/ws/interview/{session_id}" in spec["info"]["description"]
    assert "HTTPValidationError" not in schemas
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            ok = [status for status in responses if status.startswith("2")]
            assert ok, (method, path)
            for status, response in responses.items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                assert schema, (method, path, status)  # every body is described
                if not status.startswith("2"):
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"} or path == "/health"

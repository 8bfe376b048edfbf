"""The AsyncAPI and OpenAPI documents are generated from the code and describe every message."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from deploy.api_docs import asyncapi_document, openapi_document
from shared import subjects


def resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[unquote(part)]
    assert isinstance(node, dict)
    return node


def test_asyncapi_names_every_subject_with_a_payload_schema() -> None:
    document = asyncapi_document()
    addresses = {channel["address"] for channel in document["channels"].values()}
    sid = "{session_id}"
    assert {
        subjects.turn(sid),
        subjects.control(sid),
        subjects.lifecycle(sid, "{event}"),
        subjects.out(sid, "chunk"),
        subjects.out(sid, "reply"),
        subjects.out(sid, "error"),
        subjects.TURNS_SUBJECTS[0],
        subjects.CONTROL_ALL,
        subjects.TOOLS_CODE_EXECUTE,
        subjects.TOOLS_CV_ANALYZE,
        subjects.TOOLS_PROBLEMS_LIST,
        subjects.TOOLS_PROBLEMS_GET,
        # voice: the gateway's audio and claims, the STT's transcripts, the TTS's sentences
        subjects.audio(sid),
        subjects.voice_claim(sid),
        subjects.playback(sid),
        subjects.speak(sid),
        subjects.metrics(sid),
        subjects.out(sid, "transcript"),
        subjects.out(sid, "audio"),
        subjects.out(sid, "bargein"),
        # analytics: what it consumes and the queries it answers
        subjects.REPORTS_SUBJECTS[0],
        subjects.METRICS_SUBJECTS[0],
        subjects.ANALYTICS_AGGREGATE,
        subjects.ANALYTICS_BENCHMARKS,
        subjects.ANALYTICS_TRENDS,
        subjects.ANALYTICS_HISTORY,
        subjects.ANALYTICS_VOICE_LATENCY,
    } <= addresses
    for channel in document["channels"].values():
        for message in channel["messages"].values():
            payload = resolve(document, message["$ref"])["payload"]
            assert payload, f"{channel['address']} has no payload schema"


def test_request_reply_operations_document_their_answers() -> None:
    document = asyncapi_document()
    replies = [op for op in document["operations"].values() if "reply" in op]
    assert len(replies) == 4 + 5  # the tools' and the analytics' endpoints
    for operation in replies:
        message = resolve(document, operation["reply"]["messages"][0]["$ref"])
        reply = resolve(document, message["payload"]["$ref"])
        assert {"ok", "result", "error"} <= set(reply["properties"])


def test_openapi_gives_every_route_a_response_model_and_documents_the_socket() -> None:
    document = openapi_document()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                # A named model (not a free-form object), for success and error bodies alike.
                assert "$ref" in schema, f"{method.upper()} {path} {status}: {schema}"
    schemas = document["components"]["schemas"]
    assert {"WsClientMessage", "WsServerEvent", "ErrorResponse"} <= set(schemas)


def test_the_coding_round_is_documented_on_both_sides() -> None:
    """The socket's `problem` event (with starter code per language) and its `code_run` errors; the turn
    a run becomes and the reply that hands a problem out, on the bus."""
    schemas = openapi_document()["components"]["schemas"]
    assert "templates" in schemas["ProblemPayload"]["properties"]
    assert "ProblemEvent" in str(schemas["WsServerEvent"]) and "CodeRunMessage" in str(
        schemas["WsClientMessage"]
    )
    socket = openapi_document()["info"]["description"]
    assert "no_problem" in socket and "submission_not_found" in socket
    bus = str(asyncapi_document())
    assert "code_run" in bus and "CodeRun" in bus and "problem_id" in bus

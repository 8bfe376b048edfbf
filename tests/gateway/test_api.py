"""The gateway's REST API and WebSocket edge cases (real NATS, no workers)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import nats.js.errors
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from services.gateway.bootstrap import create_app
from shared import subjects
from shared.config import Settings
from shared.events import AudioChunk, VoiceClaim
from shared.interview_types import INTERVIEW_TYPES


@pytest.fixture
def client(nats_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(nats_url=nats_url, data_dir=tmp_path, max_text_turn_chars=4000)
    with TestClient(create_app(settings)) as c:
        yield c


def receive(ws: Any) -> dict[str, Any]:
    """The next event, skipping the interviewer's `state` indicator."""
    while (event := ws.receive_json())["type"] == "state":
        pass
    return event  # type: ignore[no-any-return]


def create(client: TestClient, **body: object) -> dict:  # type: ignore[type-arg]
    payload = {"interview_type": "google_sde", "candidate_name": "Ada Lovelace", **body}
    response = client.post("/api/sessions", json=payload)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_health_reports_the_broker(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_interview_types_lists_the_eight_seed_types(client: TestClient) -> None:
    types = client.get("/api/interview-types").json()["interview_types"]
    assert {t["id"] for t in types} >= {t.id for t in INTERVIEW_TYPES}
    assert len(types) >= 8
    assert all({"id", "name", "description"} <= set(t) for t in types)


@pytest.mark.parametrize("type_key", ["google_sde", "Google SDE", "AWS SA", "behavioral"])
def test_create_accepts_ids_and_display_names(client: TestClient, type_key: str) -> None:
    body = create(client, interview_type=type_key)
    assert set(body) >= {"session_id", "created_at", "interview_type", "candidate_name", "status"}
    assert body["status"] == "created"


def test_create_alias_and_list_and_get(client: TestClient) -> None:
    response = client.post("/api/sessions/create", json={"interview_type": "Coding", "candidate_name": "Bo"})
    assert response.status_code == 201
    sid = response.json()["session_id"]
    listed = client.get("/api/sessions/list").json()["sessions"]
    assert sid in [s["session_id"] for s in listed]
    record = client.get(f"/api/sessions/{sid}").json()
    assert record["candidate_name"] == "Bo" and record["transcript"] == []
    assert "agent_state" not in record


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"candidate_name": "Ada"}, "interview_type"),
        ({"interview_type": "google_sde"}, "candidate_name"),
        ({"interview_type": "chef", "candidate_name": "Ada"}, "interview_type"),
        ({"interview_type": "google_sde", "candidate_name": "   "}, "candidate_name"),
        ({"interview_type": "google_sde", "candidate_name": "x" * 500}, "candidate_name"),
    ],
)
def test_invalid_bodies_are_422_with_the_field_named(client: TestClient, body: dict, field: str) -> None:  # type: ignore[type-arg]
    response = client.post("/api/sessions", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["fields"] and field in error["message"]


def test_broken_json_body_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/sessions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/sessions/{id}"),
        ("get", "/api/interviews/{id}/transcript"),
        ("post", "/api/interviews/{id}/end"),
        ("get", "/api/interviews/{id}/performance-report"),
    ],
)
@pytest.mark.parametrize("sid", ["0" * 32, "../../etc", "bad id"])
def test_unknown_sessions_are_404(client: TestClient, method: str, path: str, sid: str) -> None:
    response = getattr(client, method)(path.format(id=sid))
    assert response.status_code == 404
    assert response.json()["error"]["code"] in {"session_not_found", "not_found"}


def test_end_is_idempotent_and_the_report_is_honestly_not_ready(client: TestClient) -> None:
    sid = create(client)["session_id"]
    first = client.post(f"/api/interviews/{sid}/end").json()
    second = client.post(f"/api/interviews/{sid}/end").json()
    assert first["status"] == second["status"] == "ended"
    assert first["ended_at"] == second["ended_at"]
    assert first["report_url"].endswith(f"/api/interviews/{sid}/performance-report")
    report = client.get(first["report_url"])
    assert report.status_code == 404
    assert report.json()["error"]["code"] == "report_not_ready"


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/health",
        "/api/interview-types",
        "/api/sessions",
        "/api/sessions/create",
        "/api/sessions/list",
        "/api/sessions/{session_id}",
        "/api/interviews/{session_id}/transcript",
        "/api/interviews/{session_id}/end",
        "/api/interviews/{session_id}/performance-report",
    } <= paths
    assert "CreateSessionRequest" in spec["components"]["schemas"]
    assert {"WsClientMessage", "WsServerEvent"} <= set(spec["components"]["schemas"])
    assert client.get("/docs").status_code == 200


def test_socket_for_unknown_session_sends_error_then_closes_4404(client: TestClient) -> None:
    with client.websocket_connect("/ws/interview/" + "0" * 32) as ws:
        event = receive(ws)
        assert event["type"] == "error" and event["code"] == "session_not_found"
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)
    assert closed.value.code == 4404


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json at all", "invalid_json"),
        ("[1, 2, 3]", "invalid_message"),
        ('{"no_type": true}', "invalid_message"),
        ('{"type": "dance"}', "unknown_message_type"),
        ('{"type": "text"}', "empty_text"),
        ('{"type": "text", "text": "   "}', "empty_text"),
        ('{"type": "text", "text": 42}', "empty_text"),
        ('{"type": "text", "text": "' + "a" * 100_000 + '"}', "text_too_long"),
    ],
)
def test_bad_socket_messages_get_errors_and_the_socket_stays_usable(
    client: TestClient, frame: str, code: str
) -> None:
    sid = create(client)["session_id"]
    with client.websocket_connect(f"/ws/interview/{sid}?tts=0") as ws:
        ws.send_text(frame)
        event = receive(ws)
        assert event == {"type": "error", "code": code, "message": event["message"]}
        assert event["message"]
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_code_run_is_validated_and_an_unknown_run_is_a_clear_error(client: TestClient) -> None:
    sid = create(client)["session_id"]
    with client.websocket_connect(f"/ws/interview/{sid}") as ws:
        ws.send_json({"type": "code_run", "submission_id": "abc123"})
        event = receive(ws)  # no such run in this interview: said, and the socket stays open
        assert event["code"] == "submission_not_found" and "abc123" in event["message"]
        ws.send_json({"type": "code_run"})
        event = receive(ws)  # the invalid one names its field
        assert event["code"] == "invalid_message" and '"submission_id"' in event["message"]
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_audio_frames_are_published_for_the_stt_with_a_claim(client: TestClient, nats_url: str) -> None:
    sid = create(client)["session_id"]
    with client.websocket_connect(f"/ws/interview/{sid}") as ws:
        ws.send_bytes(b"\x00\x01" * 160)
        ws.send_bytes(b"RIFF....WAVEfmt ")
        ws.send_json({"type": "speech_end"})
        ws.send_json({"type": "ping"})
        while receive(ws)["type"] != "pong":
            pass
    chunks, claims = asyncio.run(_voice_messages(nats_url, sid))
    assert [(c.seq, c.format, c.hint) for c in chunks] == [
        (0, "pcm16", None),
        (1, "container", None),
        (2, "pcm16", "speech_end"),
        (3, "pcm16", "end"),  # the socket closed
    ]
    assert chunks[0].pcm == b"\x00\x01" * 160 and len({c.socket_id for c in chunks}) == 1
    assert [(c.socket_id, c.speak) for c in claims] == [(chunks[0].socket_id, True)]


async def _voice_messages(nats_url: str, sid: str) -> tuple[list[AudioChunk], list[VoiceClaim]]:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        found: tuple[list[AudioChunk], list[VoiceClaim]] = ([], [])
        for subject, model, into in (
            (subjects.audio(sid), AudioChunk, found[0]),
            (subjects.voice_claim(sid), VoiceClaim, found[1]),
        ):
            seq = 1
            while True:
                try:
                    raw = await js.get_msg(
                        subjects.AUDIO_STREAM if model is AudioChunk else subjects.VOICE_STREAM,
                        seq=seq,
                        next=True,
                        subject=subject,
                    )
                except nats.js.errors.NotFoundError:
                    break
                into.append(model.model_validate_json(raw.data or b""))  # type: ignore[arg-type]
                seq = (raw.seq or 0) + 1
        return found
    finally:
        await nc.close()


def test_a_typed_turn_is_echoed_as_a_final_transcript(client: TestClient) -> None:
    sid = create(client)["session_id"]
    with client.websocket_connect(f"/ws/interview/{sid}") as ws:
        ws.send_json({"type": "text", "text": "  Hello there  "})
        event = receive(ws)
        assert event["type"] == "transcript" and event["role"] == "user"
        assert event["text"] == "Hello there" and event["is_final"] is True and event["turn_id"]


def test_turns_into_an_ended_session_are_refused(client: TestClient) -> None:
    sid = create(client)["session_id"]
    client.post(f"/api/interviews/{sid}/end")
    with client.websocket_connect(f"/ws/interview/{sid}") as ws:
        ws.send_json({"type": "text", "text": "one more"})
        assert receive(ws)["code"] == "session_ended"


def test_an_upload_the_tools_never_received_is_not_kept(client: TestClient, tmp_path: Path) -> None:
    """No tools service runs here: the upload is refused with 503 and its staged copy is removed."""
    sid = create(client)["session_id"]
    response = client.post(
        f"/api/interviews/{sid}/upload-cv", files={"file": ("cv.txt", b"Ada Lovelace\nPython", "text/plain")}
    )
    assert response.status_code == 503 and response.json()["error"]["code"] == "tools_unavailable"
    staged = [p for p in (tmp_path / "objects").rglob("*") if p.is_file() and "uploads" in p.parts]
    assert staged == []

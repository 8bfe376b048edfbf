"""Fuzzing the interview WebSocket (hypothesis) against the real platform.

Whatever a client sends, every reply is an event of the contract (`WsServerEvent`), errors are exactly
`{"type": "error", "code", "message"}` with a code a client can act on, the socket stays usable after a
recoverable error (a `ping` still gets its `pong`), and the gateway never crashes: /health stays 200 and
it is the same process at the end. Frames the transport refuses (too large, text that is not UTF-8)
close the socket with a WebSocket close code, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from services.gateway.protocol import CLIENT_MESSAGE_TYPES, ERROR_CODES, MAX_FRAME_BYTES, SERVER_EVENT
from tests.gateway.conftest import FuzzPlatform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Codes a malformed client message may get (the others are about the session or the services).
MALFORMED_CODES = {"invalid_json", "invalid_message", "unknown_message_type", "empty_text", "text_too_long"}
REPLY_TIMEOUT_S = 10.0


def check_event(raw: str | bytes) -> dict[str, Any]:
    """One server frame: JSON text, one of the contract's events; errors in exactly the contract's shape."""
    assert isinstance(raw, str), f"unexpected binary frame of {len(raw)} bytes (no speech output here)"
    event = json.loads(raw)
    try:
        SERVER_EVENT.validate_python(event)
    except ValidationError as err:
        raise AssertionError(f"not a contract event: {event!r}\n{err}") from None
    if event["type"] == "error":
        assert set(event) - {"turn_id"} == {"type", "code", "message"}, event
        assert event["code"] in ERROR_CODES or event.get("turn_id"), event
        assert event["message"], event
    return dict(event)


class Socket:
    """A socket to one session; skips the interviewer's own events (greeting, replies) while waiting."""

    def __init__(self, platform: FuzzPlatform, session_id: str) -> None:
        self._stack = contextlib.ExitStack()
        self.connection: ClientConnection = self._stack.enter_context(
            connect(
                f"{platform.ws_url}/ws/interview/{session_id}?tts=0",
                proxy=None,
                compression=None,
                max_size=None,
                open_timeout=10,
                # No client keepalive: the module's socket idles while other tests run (on a loaded machine a
                # ping's pong can come late and the client would close it); `assert_usable` checks liveness.
                ping_interval=None,
            )
        )

    def send(self, frame: str | bytes, *, text: bool | None = None) -> None:
        self.connection.send(frame, text=text)

    def next_reply(self, kinds: tuple[str, ...] = ("pong", "transcript", "error")) -> dict[str, Any]:
        """The next event that answers the client (`error`, `pong`, or the echo of a text turn); the
        interviewer's own events, and what the STT makes of fuzzed audio, are skipped."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            event = check_event(self.connection.recv(timeout=max(0.1, deadline - time.monotonic())))
            if event["type"] == "transcript" and not event["is_final"]:
                continue  # a partial transcript of fuzzed audio
            if event["type"] in kinds and not (event["type"] == "error" and "turn_id" in event):
                return event

    def assert_usable(self) -> None:
        self.send(json.dumps({"type": "ping"}))
        assert self.next_reply(("pong",)) == {"type": "pong"}

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def session_id(platform: FuzzPlatform) -> str:
    return platform.new_session(name="Socket Fuzz")


@pytest.fixture(scope="module")
def sock(platform: FuzzPlatform, session_id: str) -> Iterator[Socket]:
    s = Socket(platform, session_id)
    try:
        yield s
    finally:
        s.close()


def expect_error(sock: Socket, frame: str | bytes, codes: set[str]) -> dict[str, Any]:
    sock.send(frame)
    reply = sock.next_reply()
    assert reply["type"] == "error" and reply["code"] in codes, (frame[:200], reply)
    sock.assert_usable()
    return reply


# --- strategies --------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
not_a_string = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)
not_a_string_or_null = not_a_string.filter(lambda v: v is not None)


# --- the fuzzers -------------------------------------------------------------------------------------


@FUZZ
@given(value=json_values)
def test_any_json_value_gets_a_contract_answer(sock: Socket, value: Any) -> None:
    if isinstance(value, dict) and value.get("type") in CLIENT_MESSAGE_TYPES:
        value["type"] = "x-" + value["type"]  # keep it a mistake; valid messages have their own tests
    expect_error(sock, json.dumps(value), {"invalid_message", "unknown_message_type"})


@FUZZ
@given(kind=st.text(max_size=60).filter(lambda t: t not in CLIENT_MESSAGE_TYPES), extra=json_values)
def test_unknown_types_are_named_as_such(sock: Socket, kind: str, extra: Any) -> None:
    reply = expect_error(sock, json.dumps({"type": kind, "data": extra}), {"unknown_message_type"})
    assert "Unknown message type" in reply["message"]


@FUZZ
@given(value=not_a_string)
def test_a_type_that_is_not_a_string_is_an_invalid_message(sock: Socket, value: Any) -> None:
    expect_error(sock, json.dumps({"type": value}), {"invalid_message"})


@FUZZ
@given(
    field=st.sampled_from(
        [("interrupt", "turn_id"), ("code_run", "submission_id"), ("code_run", None), ("text", "text")]
    ),
    value=not_a_string_or_null,
)
def test_every_field_of_the_wrong_type_is_named(
    sock: Socket, field: tuple[str, str | None], value: Any
) -> None:
    kind, name = field
    message: dict[str, Any] = {"type": kind}
    if name is not None:
        message[name] = value
    if kind == "text":  # a text turn without a usable text has its own code
        expect_error(sock, json.dumps(message), {"empty_text"})
        return
    reply = expect_error(sock, json.dumps(message), {"invalid_message"})
    assert (name or "submission_id") in reply["message"]


@FUZZ
@given(frame=st.text(max_size=200) | st.from_regex(r"\A\{.{0,60}\}\Z"))
def test_arbitrary_text_frames(sock: Socket, frame: str) -> None:
    sock.send(frame)
    reply = sock.next_reply()
    if reply["type"] == "error":
        assert reply["code"] in MALFORMED_CODES, (frame, reply)
    sock.assert_usable()


@settings(FUZZ, max_examples=60)
@given(frame=st.binary(min_size=1, max_size=4096))
def test_binary_frames_are_taken_as_audio_whatever_they_hold(sock: Socket, frame: bytes) -> None:
    """Garbage bytes are audio (noise, or a blob that does not decode): no error here, nothing breaks."""
    sock.send(frame)
    sock.assert_usable()


@settings(FUZZ, max_examples=25)
@given(text=st.text(min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_typed_turns_with_any_text_are_echoed(sock: Socket, text: str) -> None:
    sock.send(json.dumps({"type": "text", "text": text}))
    reply = sock.next_reply()
    assert reply["type"] == "transcript" and reply["text"] == text.strip() and reply["is_final"], reply
    sock.assert_usable()


@pytest.mark.parametrize(
    "escape",
    ["\\ud800", "\\udfff", "a\\udc00b", "\\ud83d"],  # lone surrogates: valid JSON, not valid Unicode
)
@pytest.mark.parametrize("kind", ["text", "interrupt", "code_run", "ping"])
def test_lone_surrogate_escapes_are_refused(sock: Socket, kind: str, escape: str) -> None:
    field = {"text": "text", "interrupt": "turn_id", "code_run": "submission_id", "ping": "note"}[kind]
    expect_error(sock, f'{{"type": "{kind}", "{field}": "{escape}"}}', {"invalid_message"})


def test_deeply_nested_json_is_refused_not_crashed_on(sock: Socket) -> None:
    expect_error(sock, "[" * 100_000 + "]" * 100_000, {"invalid_json", "invalid_message"})
    expect_error(sock, '{"type": "ping", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", {"invalid_json"})


def test_a_text_turn_over_the_limit_is_too_long(sock: Socket) -> None:
    expect_error(sock, json.dumps({"type": "text", "text": "a" * 4001}), {"text_too_long"})
    expect_error(
        sock, json.dumps({"type": "text", "text": "é" * 500_000}, ensure_ascii=False), {"text_too_long"}
    )


def test_valid_messages_are_accepted_silently(sock: Socket) -> None:
    for message in (
        {"type": "speech_start"},
        {"type": "speech_end"},
        {"type": "interrupt"},
        {"type": "interrupt", "turn_id": "not-a-turn"},
        {"type": "ping", "unknown_key": [1, 2]},
    ):
        sock.send(json.dumps(message))
    # Nothing answers the first four (no error either); the ping with an unknown key gets its pong.
    assert sock.next_reply() == {"type": "pong"}
    sock.assert_usable()


def test_a_code_run_of_no_run_is_a_clear_error(sock: Socket) -> None:
    for submission_id in ("0" * 32, "../../sessions/x", "*", "a" * 200):
        sock.send(json.dumps({"type": "code_run", "submission_id": submission_id}))
        assert sock.next_reply(("error",))["code"] == "submission_not_found"
    sock.assert_usable()


def test_a_flood_of_messages_is_answered_in_order(sock: Socket) -> None:
    count = 500
    frames = [json.dumps({"type": "ping"}) if i % 2 else "not json" for i in range(count)]
    for frame in frames:
        sock.send(frame)
    replies = [sock.next_reply() for _ in range(count)]
    expected = ["pong" if i % 2 else "error" for i in range(count)]
    assert [r["type"] for r in replies] == expected
    sock.assert_usable()


def test_many_sockets_at_once(platform: FuzzPlatform, session_id: str) -> None:
    sockets = [Socket(platform, session_id) for _ in range(20)]
    try:
        for s in sockets:
            s.send(b"\x00" * 10)
            s.send("{")
        for s in sockets:
            assert s.next_reply(("error",))["code"] == "invalid_json"
            s.assert_usable()
    finally:
        for s in sockets:
            s.close()


def _closed_with(s: Socket) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            check_event(s.connection.recv(timeout=REPLY_TIMEOUT_S))
    return closed.value.rcvd.code if closed.value.rcvd else None


@pytest.mark.parametrize("binary", [False, True])
def test_an_oversized_frame_closes_the_socket_with_1009(
    platform: FuzzPlatform, session_id: str, binary: bool
) -> None:
    s = Socket(platform, session_id)
    try:
        s.assert_usable()
        frame = os.urandom(MAX_FRAME_BYTES + 1) if binary else "a" * (MAX_FRAME_BYTES + 1)
        with contextlib.suppress(ConnectionClosed):  # the server may close while the frame goes out
            s.send(frame)
        assert _closed_with(s) == 1009
    finally:
        s.close()
    assert platform.http.get("/health").status_code == 200
    fresh = Socket(platform, session_id)
    try:
        fresh.assert_usable()
    finally:
        fresh.close()


@pytest.mark.parametrize(
    "payload", [b"\xff", b"\xc3\x28", b'{"type": "ping", "x": "\xed\xa0\x80"}', b"ok\x80"]
)
def test_text_frames_that_are_not_utf8_close_the_socket_with_1007(
    platform: FuzzPlatform, session_id: str, payload: bytes
) -> None:
    s = Socket(platform, session_id)
    try:
        s.send(payload, text=True)
        assert _closed_with(s) == 1007
    finally:
        s.close()
    assert platform.http.get("/health").status_code == 200


def test_unknown_session_gets_an_error_then_close_4404(platform: FuzzPlatform) -> None:
    for sid in ("0" * 32, "x" * 300, "bad%20id", "%F0%9F%92%A9"):
        s = Socket(platform, sid)
        try:
            event = check_event(s.connection.recv(timeout=REPLY_TIMEOUT_S))
            assert event["type"] == "error" and event["code"] == "session_not_found"
            assert _closed_with(s) == 4404
        finally:
            s.close()


def test_the_gateway_survived_the_socket_fuzzing(platform: FuzzPlatform, sock: Socket) -> None:
    sock.assert_usable()
    platform.assert_platform_intact()

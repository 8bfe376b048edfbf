"""The interview WebSocket's messages as models: what a client may send, and every event the server sends.

Client messages are a discriminated union on `type`, parsed with one `TypeAdapter` (`parse_client_message`);
every problem comes back as a `ClientError` whose `code` a client can act on. Server events are models too;
`ws.py` sends them with `model_dump(mode="json")`. Both unions are also published in the OpenAPI document
(`websocket_openapi`), since OpenAPI itself cannot describe a socket.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from shared.tools_api import ProblemView

WS_PATH = "/ws/interview/{session_id}"
CLOSE_UNKNOWN_SESSION = 4404
# uvicorn's `ws_max_size` (services/gateway/bootstrap.py): a bigger frame closes the socket with 1009.
MAX_FRAME_BYTES = 1 << 20
DEFAULT_MAX_TEXT_CHARS = 4000  # Settings.max_text_turn_chars; the socket passes the configured value

# Codes of the `error` events the socket sends; each tells the client what to do differently.
ERROR_CODES: dict[str, str] = {
    "invalid_json": "the text frame is not JSON",
    "invalid_message": "the JSON is not a message object, or a field has the wrong type (the message names it)",
    "unknown_message_type": "`type` names no client message",
    "empty_text": "a `text` message without a non-blank string `text`",
    "text_too_long": "a `text` message longer than the server's limit",
    "session_ended": "the interview has ended; no more turns",
    "turn_not_accepted": "the turn could not be queued; resend it",
    "interrupt_not_accepted": "the interrupt could not be delivered; resend it",
    "audio_unavailable": "an audio frame could not be taken (the speech service is unreachable): resend or type",
    "audio_unreadable": "the audio could not be decoded (not PCM16 16 kHz, WAV, WebM or Ogg)",
    "session_not_found": "unknown session; the socket is then closed with code 4404",
    "submission_not_found": "a `code_run` naming no run of this interview (another session's runs included)",
    "no_problem": "a `code_run` before the interviewer handed out a coding problem (the run is stored only)",
    "not_the_problem": "a `code_run` of a run that did not use the tests of the problem handed out",
    "run_not_accepted": "the run could not be passed on to the interviewer; resend the `code_run`",
    "problem_unavailable": "the problem handed out could not be loaded; reconnect to receive it again",
}


class ClientError(Exception):
    """A recoverable client mistake: answered with an `error` event; the socket stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- client to server --------------------------------------------------------------------------------


class _ClientMessage(BaseModel):
    # Unknown keys are ignored, so a newer client may send more than this server reads.
    model_config = ConfigDict(extra="ignore")


class TextMessage(_ClientMessage):
    """A typed answer: a user turn exactly like a spoken one (leading/trailing blanks are dropped)."""

    type: Literal["text"]
    text: str = Field(
        min_length=1,
        description=f"non-blank; at most the server's limit (default {DEFAULT_MAX_TEXT_CHARS} characters) "
        "after trimming",
    )

    @model_validator(mode="before")
    @classmethod
    def _non_blank_and_bounded(cls, data: Any, info: ValidationInfo) -> Any:
        # A missing, non-string or blank `text` is one mistake with its own code, not a type error.
        if not isinstance(data, dict):
            return data
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise PydanticCustomError("empty_text", 'A text turn needs a non-empty "text" string.')
        text = text.strip()
        limit = (info.context or {}).get("max_text_chars", DEFAULT_MAX_TEXT_CHARS)
        if len(text) > limit:
            raise PydanticCustomError(
                "text_too_long",
                "A text turn may hold at most {limit} characters (got {length}).",
                {"limit": limit, "length": len(text)},
            )
        return {**data, "text": text}


class InterruptMessage(_ClientMessage):
    """The candidate barges in: the server stops the reply in flight."""

    type: Literal["interrupt"]
    turn_id: str | None = Field(
        default=None, max_length=200, description="the reply to stop; the current one when left out"
    )


class PingMessage(_ClientMessage):
    """Keep-alive; answered with `pong`."""

    type: Literal["ping"]


class SpeechStartMessage(_ClientMessage):
    """Optional hint from a client-side VAD: the candidate started speaking."""

    type: Literal["speech_start"]


class SpeechEndMessage(_ClientMessage):
    """Optional hint from a client-side VAD: the candidate stopped speaking."""

    type: Literal["speech_end"]


class CodeRunMessage(_ClientMessage):
    """The candidate just ran code (`submissionId` of `POST /api/code/execute` with the `problemId` handed
    out): the interviewer reacts to the result. The REST call tells the interviewer too; a run is one turn."""

    type: Literal["code_run"]
    submission_id: str = Field(min_length=1, max_length=200)


ClientMessage: TypeAlias = Annotated[
    TextMessage | InterruptMessage | PingMessage | SpeechStartMessage | SpeechEndMessage | CodeRunMessage,
    Field(discriminator="type"),
]
CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
CLIENT_MESSAGE_TYPES = ("text", "interrupt", "ping", "speech_start", "speech_end", "code_run")


def _field_of(error: ErrorDetails) -> str:
    # The first location item is the union's tag (`text`, `interrupt`, ...), not a field.
    parts = [str(p) for p in error["loc"][1:]]
    return ".".join(parts) or "type"


def _is_unicode(data: Any) -> bool:
    """False when a JSON string escape left a lone surrogate: such text cannot be stored or sent on."""
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    except RecursionError:  # nested deeper than the encoder goes: not a message either way
        return True
    return True


def parse_client_message(raw: str, *, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> ClientMessage:
    """One text frame to a client message, or a `ClientError` with the code a client can act on."""
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ClientError("invalid_json", f"The message is not valid JSON ({err.msg}).") from None
    except RecursionError:  # absurdly deep nesting: still just not a message we can read
        raise ClientError("invalid_json", "The message nests too deeply to be read.") from None
    if "\\u" in raw and not _is_unicode(data):
        raise ClientError(
            "invalid_message",
            "The message holds a \\u escape that is not a Unicode character (a lone surrogate).",
        )
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ClientError("invalid_message", 'A message must be a JSON object with a string "type".')
    kind: str = data["type"]
    if kind not in CLIENT_MESSAGE_TYPES:
        shown = kind if len(kind) <= 40 else kind[:40] + "..."
        raise ClientError(
            "unknown_message_type",
            f"Unknown message type {shown!r}; expected one of: {', '.join(CLIENT_MESSAGE_TYPES)}.",
        )
    try:
        return CLIENT_MESSAGE.validate_python(data, context={"max_text_chars": max_text_chars})
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        if first["type"] in ("empty_text", "text_too_long"):
            raise ClientError(first["type"], first["msg"]) from None
        field = _field_of(first)
        raise ClientError(
            "invalid_message", f'Invalid "{field}" in the {kind!r} message: {first["msg"]}.'
        ) from None


# --- server to client --------------------------------------------------------------------------------


class TranscriptEvent(BaseModel):
    """What the candidate said: partial while speaking (`is_final: false`), then final."""

    type: Literal["transcript"] = "transcript"
    role: Literal["user"] = "user"
    text: str
    is_final: bool
    turn_id: str


class LlmChunkEvent(BaseModel):
    """The interviewer's reply as it is generated."""

    type: Literal["llm_chunk"] = "llm_chunk"
    text: str
    turn_id: str


class AssistantCompleteEvent(BaseModel):
    """The whole reply, once."""

    type: Literal["assistant_complete"] = "assistant_complete"
    role: Literal["assistant"] = "assistant"
    text: str
    turn_id: str
    phase: str = Field(default="", description="the interview phase the reply belongs to")
    interrupted: bool = Field(default=False, description="the candidate cut the reply short")


class TurnMetricsEvent(BaseModel):
    """The measured latency of each stage of the turn, in milliseconds (one extra key per stage)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, float] = Field(init=False)

    type: Literal["turn_metrics"] = "turn_metrics"
    turn_id: str


class ErrorEvent(BaseModel):
    """Something went wrong; `code` says what (see the app description for the list)."""

    type: Literal["error"] = "error"
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description=", ".join(ERROR_CODES))
    message: str
    turn_id: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="the turn that failed, when the error is about one",
    )


class StateEvent(BaseModel):
    """What the interviewer is doing, for the client's indicator."""

    type: Literal["state"] = "state"
    state: Literal["listening", "thinking", "speaking"]


class ProblemPayload(ProblemView):
    """A problem as the socket hands it out: the problem bank's view (statement, visible examples and sample
    tests, signatures, never the hidden tests) plus `templates`, starter code for each language of the
    sandbox. Python and JavaScript implement the function; Java and C++ read the stdin form and print."""

    templates: dict[str, str] = Field(description="starter code per language: python, javascript, java, cpp")

    @classmethod
    def from_view(cls, view: ProblemView) -> ProblemPayload:
        templates = {
            "python": view.python.starter_code,
            "javascript": view.javascript.starter_code,
            "java": _java_template(view),
            "cpp": _cpp_template(view),
        }
        return cls(**view.model_dump(), templates=templates)


def _io_comment(view: ProblemView, mark: str, indent: str) -> str:
    lines = [f"Input: {line}" for line in view.stdio.input_format.splitlines() if line.strip()]
    lines += [f"Output: {line}" for line in view.stdio.output_format.splitlines() if line.strip()]
    return "\n".join(f"{indent}{mark} {line}" for line in lines)


def _java_template(view: ProblemView) -> str:
    return (
        "import java.io.*;\nimport java.util.*;\n\npublic class Main {\n"
        f"{_io_comment(view, '//', '    ')}\n"
        "    public static void main(String[] args) throws IOException {\n"
        "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
        "        // read the input, solve, print the answer\n    }\n}\n"
    )


def _cpp_template(view: ProblemView) -> str:
    return (
        "#include <bits/stdc++.h>\nusing namespace std;\n\n"
        f"{_io_comment(view, '//', '')}\n"
        "int main() {\n    ios::sync_with_stdio(false);\n    cin.tie(nullptr);\n"
        "    // read the input, solve, print the answer\n    return 0;\n}\n"
    )


class ProblemEvent(BaseModel):
    """The interviewer hands out a coding problem; the client opens the editor on it."""

    type: Literal["problem"] = "problem"
    problem: ProblemPayload


class PongEvent(BaseModel):
    """The answer to `ping`."""

    type: Literal["pong"] = "pong"


class InterruptedEvent(BaseModel):
    """The reply was stopped (the client's `interrupt`, or the candidate spoke over it): stop playing it now.
    The transcript keeps only what the candidate heard of it."""

    type: Literal["interrupted"] = "interrupted"
    turn_id: str
    source: Literal["client", "speech"]


ServerEvent: TypeAlias = Annotated[
    TranscriptEvent
    | LlmChunkEvent
    | AssistantCompleteEvent
    | TurnMetricsEvent
    | ErrorEvent
    | StateEvent
    | ProblemEvent
    | PongEvent
    | InterruptedEvent,
    Field(discriminator="type"),
]
SERVER_EVENT: TypeAdapter[ServerEvent] = TypeAdapter(ServerEvent)


# --- the OpenAPI side --------------------------------------------------------------------------------

WS_DESCRIPTION = f"""
## WebSocket `{WS_PATH}`

The interview itself. OpenAPI cannot describe a socket, so its messages are listed here and their
schemas are in `components.schemas`: `WsClientMessage` (client to server, one JSON object per text
frame, discriminated by `type`) and `WsServerEvent` (server to client); `x-websocket` names them too.

* Unknown session: an `error` event `session_not_found`, then close code {CLOSE_UNKNOWN_SESSION}.
* On connect to a new session the interviewer speaks first.
* Client: `text` {{text}}, `interrupt` {{turn_id?}}, `ping`, `speech_start`, `speech_end`,
  `code_run` {{submission_id}} (the candidate ran the problem handed out; the interviewer reacts to the
  result, which `POST /api/code/execute` with `problemId` tells it too); binary frames are the candidate's audio (PCM16 LE mono 16 kHz, or a
  WAV/WebM/Ogg blob). The server finds the end of each spoken turn itself. `?tts=0` asks for text-only
  replies.
* Server: `transcript` (partial, then final), `llm_chunk`, `assistant_complete`, one binary WAV frame
  per spoken piece of the reply (in order), `state` (listening, thinking, speaking), `interrupted`
  {{turn_id, source}} (stop playing that reply now: the client's `interrupt`, or the candidate spoke
  over it), `turn_metrics` (each stage's latency in ms), `problem` {{problem}} (the coding problem the
  interviewer hands out, sent right after the reply that asks it and again on reconnect while the
  round lasts: statement, examples, `templates` per language, never the hidden tests), `pong`,
  `error` {{code, message}}. While the candidate codes, speech that asks for nothing gets no reply.
* Error codes: {"; ".join(f"`{code}` ({why})" for code, why in ERROR_CODES.items())}.
  Every one but `session_not_found` leaves the socket open.
* A frame larger than {MAX_FRAME_BYTES} bytes closes the socket with code 1009; a text frame that is
  not UTF-8 closes it with 1007.
"""


def websocket_openapi(ref_prefix: str = "#/components/schemas/") -> tuple[dict[str, Any], dict[str, Any]]:
    """The socket's schemas for `components.schemas` and the `x-websocket` extension that points at them."""
    template = ref_prefix + "{model}"
    schemas: dict[str, Any] = {}
    for name, schema in (
        ("WsClientMessage", CLIENT_MESSAGE.json_schema(ref_template=template, mode="validation")),
        ("WsServerEvent", SERVER_EVENT.json_schema(ref_template=template, mode="serialization")),
    ):
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    extension = {
        "path": WS_PATH,
        "query": {"tts": "0 turns server speech off (text-only client)"},
        "clientMessages": {"$ref": ref_prefix + "WsClientMessage"},
        "serverEvents": {"$ref": ref_prefix + "WsServerEvent"},
        "binaryFrames": "client: audio, PCM16 LE mono 16 kHz; server: one WAV per spoken sentence",
        "closeCodes": {
            str(CLOSE_UNKNOWN_SESSION): "unknown session",
            "1007": "a text frame that is not UTF-8",
            "1009": f"a frame larger than {MAX_FRAME_BYTES} bytes",
        },
        "errorCodes": ERROR_CODES,
    }
    return schemas, extension

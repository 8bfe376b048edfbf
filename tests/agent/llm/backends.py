"""The three providers' backends, faked at their real boundaries, behind one test harness.

- llama.cpp: `FakeChatModel` at the provider's `ChatModel` seam (llama-cpp-python's chunk stream).
- OpenAI-compatible: `FakeChatServer`, a real HTTP server that streams server-sent events.
- Bedrock: `FakeBedrock`, a real HTTP server that answers `converse-stream` in the AWS event-stream
  wire format (binary frames with CRC32s, encoded below), so boto3 signs, sends and decodes for real.
  (botocore's Stubber cannot stand in for the reply: it validates a stubbed response against the
  output shape, where `stream` is an event stream, and accepts neither a list of events nor an
  EventStream object. The Bedrock tests use it for what involves no stream.)

Every fake takes a behaviour, `behave(...)`, the same names for all three:
  ok                 the reply REPLY in three pieces, then a proper end
  endless            "w0 ", "w1 ", ... every 10 ms, for 500 pieces
  stall              "Hmm", then nothing until the test ends
  error_mid_stream   "Hmm", then the backend's own kind of failure
  rejected           the backend refuses the request as invalid
  overloaded         the backend is temporarily unable (the HTTP backends only)
and counts what it produced (`pieces_sent`) and signals when its stream ended (`stream_closed`),
which is how a test sees that generation stopped.

`LlamaCppBackend`, `OpenAIBackend` and `BedrockBackend` build providers against their fake and
reduce what each backend received to one shape (`SentRequest`).
"""

from __future__ import annotations

import asyncio
import json
import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import boto3
from botocore.config import Config
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMProvider
from services.agent.llm.bedrock import BedrockProvider
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.openai_compat import OpenAICompatProvider
from services.agent.llm.options import BedrockOptions, LlamaCppOptions, OpenAIOptions
from tests.agent.llm.asgi_server import free_port

MESSAGES = [ChatMessage("system", "You are an interviewer."), ChatMessage("user", "Hi, I'm Sam.")]
REPLY = ("Hello", " there,", " Sam?")
ENDLESS_PIECES = 500
PIECE_DELAY_S = 0.01
STALL_LIMIT_S = 10.0  # a stalled backend resumes (and ends) at the latest after this, or at teardown


@dataclass(frozen=True)
class SentRequest:
    """What the model was asked for, whatever the wire format."""

    max_tokens: int
    temperature: float
    stop: list[str]


@dataclass(frozen=True)
class ExpectedFailure:
    retryable: bool
    message: str  # a regex the LLMError's text matches


# --- llama.cpp ------------------------------------------------------------------------------------


class FakeChatModel:
    """Stands in for `llama_cpp.Llama.create_chat_completion(stream=True)`: a generator of chunks."""

    def __init__(self) -> None:
        self.behaviour = "ok"
        self.after_finish_s = 0.0  # time spent after the last chunk (where llama.cpp saves the KV state)
        self.calls: list[dict[str, Any]] = []
        self.pieces_sent = 0
        self.active = 0
        self.max_active = 0
        self.stream_closed = threading.Event()
        self.release = threading.Event()

    def create_chat_completion(
        self,
        messages: list[dict[str, str]],
        *,
        stream: bool,
        max_tokens: int,
        temperature: float,
        stop: list[str],
    ) -> Iterator[dict[str, Any]]:
        self.calls.append(
            {
                "messages": messages,
                "stream": stream,
                "max_tokens": max_tokens,
                "temperature": temperature,
                "stop": stop,
            }
        )
        return self._chunks(self.behaviour)

    def _chunks(self, behaviour: str) -> Iterator[dict[str, Any]]:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if behaviour == "rejected":  # llama-cpp-python raises on the first next(), like this
                raise ValueError("Requested tokens (5000) exceed context window of 4096")
            if behaviour == "ok":
                for text in REPLY:
                    time.sleep(PIECE_DELAY_S)
                    yield self._piece(text)
            elif behaviour == "endless":
                for index in range(ENDLESS_PIECES):
                    time.sleep(PIECE_DELAY_S)
                    yield self._piece(f"w{index} ")
            elif behaviour == "stall":
                yield self._piece("Hmm")
                self.release.wait(STALL_LIMIT_S)
            elif behaviour == "error_mid_stream":
                yield self._piece("Hmm")
                raise RuntimeError("llama_decode returned -1")
            else:
                raise AssertionError(f"no behaviour {behaviour!r} for llama.cpp")
            yield {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            time.sleep(self.after_finish_s)
        finally:
            self.active -= 1
            self.stream_closed.set()

    def _piece(self, text: str) -> dict[str, Any]:
        self.pieces_sent += 1
        return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


# --- OpenAI-compatible ----------------------------------------------------------------------------


def sse(event: object) -> str:
    return f"data: {json.dumps(event)}\n\n"


def sse_delta(text: str, finish: str | None = None) -> str:
    return sse({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]})


class _FakeServer:
    """What both HTTP fakes share: the behaviour, the received requests, and the stream's life."""

    def __init__(self) -> None:
        self.behaviour = "ok"
        self.requests: list[dict[str, Any]] = []
        self.pieces_sent = 0
        self.stream_closed = threading.Event()
        self.release = threading.Event()

    def reset(self) -> None:
        self.behaviour = "ok"
        self.requests.clear()
        self.pieces_sent = 0
        self.stream_closed.clear()
        self.release.clear()

    async def stall(self) -> None:
        await asyncio.to_thread(self.release.wait, STALL_LIMIT_S)  # set from the tests' thread


class FakeChatServer(_FakeServer):
    """POST /v1/chat/completions. Besides the common behaviours: `cut` (the stream ends without a
    finish reason or [DONE]) and `status:NNN` (that HTTP status with a JSON error body)."""

    def __init__(self) -> None:
        super().__init__()
        self.app = Starlette(routes=[Route("/v1/chat/completions", self.chat, methods=["POST"])])

    async def chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"headers": dict(request.headers), "body": body})
        behaviour = self.behaviour
        if behaviour == "rejected":
            return JSONResponse({"error": {"message": "unknown model"}}, status_code=400)
        if behaviour == "overloaded":
            return JSONResponse({"error": {"message": "the model crashed"}}, status_code=500)
        if behaviour.startswith("status:"):
            status = int(behaviour.removeprefix("status:"))
            return JSONResponse({"error": {"message": f"status {status} " + "x" * 1000}}, status_code=status)
        return StreamingResponse(self.events(behaviour), media_type="text/event-stream")

    async def events(self, behaviour: str) -> AsyncIterator[str]:
        try:
            if behaviour == "ok":
                yield ": keep-alive\n\n"
                yield sse({"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
                for text in REPLY[:-1]:
                    yield self._piece(text)
                yield self._piece(REPLY[-1], "stop")
                yield sse({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 3}})
                yield "data: [DONE]\n\n"
            elif behaviour == "endless":
                for index in range(ENDLESS_PIECES):
                    yield self._piece(f"w{index} ")
                    await asyncio.sleep(PIECE_DELAY_S)
            elif behaviour == "stall":
                yield self._piece("Hmm")
                await self.stall()
            elif behaviour == "cut":
                yield self._piece("Half a sent")
            elif behaviour == "error_mid_stream":  # some servers report failures inside the stream
                yield self._piece("Hmm")
                yield sse({"error": {"message": "overloaded"}})
            else:
                raise AssertionError(f"no behaviour {behaviour!r} for the chat server")
        finally:
            self.stream_closed.set()

    def _piece(self, text: str, finish: str | None = None) -> str:
        self.pieces_sent += 1
        return sse_delta(text, finish)


# --- Bedrock --------------------------------------------------------------------------------------


def event_frame(headers: dict[str, str], payload: bytes) -> bytes:
    """One AWS event-stream message: prelude (lengths + CRC), string headers, payload, CRC."""
    encoded_headers = b"".join(
        bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(value)) + value.encode()
        for name, value in headers.items()
    )
    prelude = struct.pack(">II", 12 + len(encoded_headers) + len(payload) + 4, len(encoded_headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + encoded_headers + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(event_type: str, body: dict[str, Any]) -> bytes:
    headers = {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"}
    return event_frame(headers, json.dumps(body).encode())


def error_event(exception_type: str, message: str) -> bytes:
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return event_frame(headers, json.dumps({"message": message}).encode())


def http_error(status: int, error_type: str, message: str) -> Response:
    return Response(
        json.dumps({"message": message}),
        status_code=status,
        headers={"x-amzn-ErrorType": error_type},
        media_type="application/json",
    )


class FakeBedrock(_FakeServer):
    """POST /model/{id}/converse-stream, answering in the AWS event-stream format."""

    def __init__(self) -> None:
        super().__init__()
        self.app = Starlette(
            routes=[Route("/model/{model_id:path}/converse-stream", self.converse, methods=["POST"])]
        )

    async def converse(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(
            {
                "model_id": request.path_params["model_id"],
                "authorization": request.headers.get("authorization", ""),
                "body": body,
            }
        )
        behaviour = self.behaviour
        if behaviour == "rejected":
            return http_error(400, "ValidationException", "The provided model identifier is invalid.")
        if behaviour == "overloaded":
            return http_error(429, "ThrottlingException", "Too many requests")
        return StreamingResponse(self.events(behaviour), media_type="application/vnd.amazon.eventstream")

    async def events(self, behaviour: str) -> AsyncIterator[bytes]:
        try:
            yield event("messageStart", {"role": "assistant"})
            if behaviour == "ok":
                for text in REPLY:
                    yield self._piece(text)
                yield event("contentBlockStop", {"contentBlockIndex": 0})
                yield event("messageStop", {"stopReason": "end_turn"})
                yield event(
                    "metadata",
                    {
                        "usage": {"inputTokens": 30, "outputTokens": 12, "totalTokens": 42},
                        "metrics": {"latencyMs": 80},
                    },
                )
            elif behaviour == "endless":
                for index in range(ENDLESS_PIECES):
                    yield self._piece(f"w{index} ")
                    await asyncio.sleep(PIECE_DELAY_S)
            elif behaviour == "stall":
                yield self._piece("Hmm")
                await self.stall()
            elif behaviour == "error_mid_stream":
                yield self._piece("Hmm")
                yield error_event("modelStreamErrorException", "the model stopped")
            else:
                raise AssertionError(f"no behaviour {behaviour!r} for Bedrock")
        finally:
            self.stream_closed.set()

    def _piece(self, text: str) -> bytes:
        self.pieces_sent += 1
        return event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}})


BEDROCK_MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0"


def bedrock_client(endpoint_url: str) -> Any:
    """A real boto3 client for `endpoint_url`, with test credentials and no retries."""
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="test-secret",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=5, connect_timeout=2),
    )


# --- the harness ----------------------------------------------------------------------------------


class Backend:
    """One provider against its fake backend; providers it builds are closed at `finish()`."""

    name: ClassVar[str]
    # What each failure behaviour (plus "unavailable": nothing to talk to) becomes.
    failures: ClassVar[dict[str, ExpectedFailure]]

    def __init__(self) -> None:
        self._providers: list[LLMProvider] = []

    def behave(self, behaviour: str) -> None:
        raise NotImplementedError

    def provider(self, *, timeout_s: float = 10.0) -> LLMProvider:
        raise NotImplementedError

    def unavailable_provider(self) -> LLMProvider:
        raise NotImplementedError

    @property
    def pieces_sent(self) -> int:
        raise NotImplementedError

    @property
    def stream_closed(self) -> threading.Event:
        raise NotImplementedError

    def sent(self) -> SentRequest:
        """The last request the backend received."""
        raise NotImplementedError

    def _release_stalls(self) -> None:
        raise NotImplementedError

    def _track(self, provider: LLMProvider) -> LLMProvider:
        self._providers.append(provider)
        return provider

    async def finish(self) -> None:
        self._release_stalls()
        for provider in self._providers:
            await provider.aclose()


class LlamaCppBackend(Backend):
    name = "llamacpp"
    failures: ClassVar[dict[str, ExpectedFailure]] = {
        "rejected": ExpectedFailure(False, r"llama\.cpp rejected the request: .*exceed context window"),
        "error_mid_stream": ExpectedFailure(False, r"llama\.cpp failed: RuntimeError: llama_decode"),
        "unavailable": ExpectedFailure(False, r"the model path .*nowhere\.gguf is not a file"),
    }

    def __init__(self) -> None:
        super().__init__()
        self.model = FakeChatModel()

    def behave(self, behaviour: str) -> None:
        self.model.behaviour = behaviour

    def provider(self, *, timeout_s: float = 10.0) -> LlamaCppProvider:
        provider = LlamaCppProvider(LlamaCppOptions(timeout_s=timeout_s), model_loader=lambda: self.model)
        self._track(provider)
        return provider

    def unavailable_provider(self) -> LLMProvider:
        # The real loader: the file check fails before llama.cpp is asked to load anything.
        return self._track(LlamaCppProvider(LlamaCppOptions(model_path=Path("/nowhere.gguf"))))

    @property
    def pieces_sent(self) -> int:
        return self.model.pieces_sent

    @property
    def stream_closed(self) -> threading.Event:
        return self.model.stream_closed

    def sent(self) -> SentRequest:
        call = self.model.calls[-1]
        return SentRequest(call["max_tokens"], call["temperature"], call["stop"])

    def _release_stalls(self) -> None:
        self.model.release.set()


class OpenAIBackend(Backend):
    name = "openai"
    failures: ClassVar[dict[str, ExpectedFailure]] = {
        "rejected": ExpectedFailure(False, r"HTTP 400: .*unknown model"),
        "overloaded": ExpectedFailure(True, r"HTTP 500: .*the model crashed"),
        "error_mid_stream": ExpectedFailure(True, r"error mid-stream: .*overloaded"),
        "unavailable": ExpectedFailure(True, r"cannot connect"),
    }

    def __init__(self, server: FakeChatServer, url: str) -> None:
        super().__init__()
        self.server = server
        self.url = url
        server.reset()

    def behave(self, behaviour: str) -> None:
        self.server.behaviour = behaviour

    def provider(self, *, timeout_s: float = 10.0) -> OpenAICompatProvider:
        return self.provider_for(self.url, timeout_s=timeout_s)

    def provider_for(self, url: str, *, timeout_s: float = 10.0) -> OpenAICompatProvider:
        options = OpenAIOptions(
            base_url=f"{url}/v1/", api_key=SecretStr("sk-test"), model="test-model", timeout_s=timeout_s
        )
        provider = OpenAICompatProvider(options)
        self._track(provider)
        return provider

    def unavailable_provider(self) -> LLMProvider:
        return self.provider_for(f"http://127.0.0.1:{free_port()}")

    @property
    def pieces_sent(self) -> int:
        return self.server.pieces_sent

    @property
    def stream_closed(self) -> threading.Event:
        return self.server.stream_closed

    def sent(self) -> SentRequest:
        body = self.server.requests[-1]["body"]
        return SentRequest(body["max_tokens"], body["temperature"], body.get("stop", []))

    def _release_stalls(self) -> None:
        self.server.release.set()


class BedrockBackend(Backend):
    name = "bedrock"
    failures: ClassVar[dict[str, ExpectedFailure]] = {
        "rejected": ExpectedFailure(False, r"ValidationException: The provided model identifier is invalid"),
        "overloaded": ExpectedFailure(True, r"ThrottlingException: Too many requests"),
        "error_mid_stream": ExpectedFailure(True, r"modelStreamErrorException: the model stopped"),
        "unavailable": ExpectedFailure(True, r"cannot connect"),
    }

    def __init__(self, server: FakeBedrock, url: str) -> None:
        super().__init__()
        self.server = server
        self.url = url
        server.reset()

    def behave(self, behaviour: str) -> None:
        self.server.behaviour = behaviour

    def provider(self, *, timeout_s: float = 10.0) -> BedrockProvider:
        return self.provider_for(self.url, timeout_s=timeout_s)

    def provider_for(self, url: str, *, timeout_s: float = 10.0) -> BedrockProvider:
        options = BedrockOptions(model_id=BEDROCK_MODEL_ID, timeout_s=timeout_s)
        provider = BedrockProvider(options, client=bedrock_client(url))
        self._track(provider)
        return provider

    def unavailable_provider(self) -> LLMProvider:
        return self.provider_for(f"http://127.0.0.1:{free_port()}")

    @property
    def pieces_sent(self) -> int:
        return self.server.pieces_sent

    @property
    def stream_closed(self) -> threading.Event:
        return self.server.stream_closed

    def sent(self) -> SentRequest:
        inference = self.server.requests[-1]["body"]["inferenceConfig"]
        return SentRequest(
            inference["maxTokens"], inference["temperature"], inference.get("stopSequences", [])
        )

    def _release_stalls(self) -> None:
        self.server.release.set()


BACKENDS: dict[str, type[Backend]] = {b.name: b for b in (LlamaCppBackend, OpenAIBackend, BedrockBackend)}


async def collect(
    provider: LLMProvider,
    messages: Sequence[ChatMessage] = MESSAGES,
    *,
    max_tokens: int = 40,
    temperature: float = 0.5,
    stop: Sequence[str] = (),
) -> list[str]:
    return [
        p async for p in provider.stream(messages, max_tokens=max_tokens, temperature=temperature, stop=stop)
    ]

"""BedrockProvider: request shape, errors through botocore's Stubber, and streaming over real HTTP.

Stubber cannot stand in for `converse_stream`'s reply: it validates a stubbed
response against the output shape, where `stream` is an event stream, and
accepts neither a list of events nor an EventStream object. So the streaming
tests run boto3 for real against a local HTTP server that answers in the AWS
event-stream wire format (binary frames with CRC32s, encoded below); botocore
then signs, sends, and decodes the events, error events included, exactly as
it would with Bedrock. Stubber still checks what does not involve a stream:
the request parameters against the service model, and HTTP errors.
"""

from __future__ import annotations

import asyncio
import json
import struct
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from services.agent.llm.base import ChatMessage, LLMError
from services.agent.llm.bedrock import OPENING_USER_CUE, BedrockProvider, converse_request
from shared.config import Settings
from tests.agent.llm.asgi_server import free_port, serve

MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0"
MESSAGES = [
    ChatMessage("system", "You are Alex, an interviewer."),
    ChatMessage("assistant", "Hi, I'm Alex. Tell me about yourself?"),
    ChatMessage("user", "I'm Sam."),
    ChatMessage("user", "[Interviewer notes: ask about Python]"),
]


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


def text_delta(text: str) -> bytes:
    return event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}})


class FakeBedrock:
    """/model/{id}/converse-stream, behaving by model id: ok, endless, stream_error, throttled."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.stream_closed = threading.Event()
        self.events_sent = 0
        self.app = Starlette(
            routes=[Route("/model/{model_id:path}/converse-stream", self.converse, methods=["POST"])]
        )

    async def converse(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"body": body, "authorization": request.headers.get("authorization", "")})
        model_id = request.path_params["model_id"]
        if model_id == "throttled":
            return Response(
                json.dumps({"message": "Too many requests"}),
                status_code=429,
                headers={"x-amzn-ErrorType": "ThrottlingException"},
                media_type="application/json",
            )
        return StreamingResponse(self.events(model_id), media_type="application/vnd.amazon.eventstream")

    async def events(self, model_id: str) -> AsyncIterator[bytes]:
        try:
            yield event("messageStart", {"role": "assistant"})
            if model_id == "ok":
                for text in ("Thanks, Sam.", " What do you", " like about Python?"):
                    yield text_delta(text)
                yield event("contentBlockStop", {"contentBlockIndex": 0})
                yield event("messageStop", {"stopReason": "end_turn"})
                yield event(
                    "metadata",
                    {
                        "usage": {"inputTokens": 30, "outputTokens": 12, "totalTokens": 42},
                        "metrics": {"latencyMs": 80},
                    },
                )
            elif model_id == "endless":
                for i in range(500):
                    self.events_sent += 1
                    yield text_delta(f"w{i} ")
                    await asyncio.sleep(0.02)
            elif model_id == "stream_error":
                yield text_delta("Thanks")
                yield error_event("modelStreamErrorException", "the model stopped")
        finally:
            self.stream_closed.set()


@pytest.fixture(scope="module")
def bedrock_server() -> Iterator[tuple[FakeBedrock, str]]:
    fake = FakeBedrock()
    with serve(fake.app) as url:
        yield fake, url


def bedrock_client(endpoint_url: str) -> Any:
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="test-secret",
        config=Config(retries={"max_attempts": 1}, read_timeout=5, connect_timeout=2),
    )


def provider_for(endpoint_url: str, model_id: str) -> BedrockProvider:
    settings = Settings(bedrock_model_id=model_id, llm_timeout_s=10)
    return BedrockProvider(settings, client=bedrock_client(endpoint_url))


async def collect(provider: BedrockProvider) -> list[str]:
    return [p async for p in provider.stream(MESSAGES, max_tokens=64, temperature=0.3, stop=("Candidate:",))]


def test_request_keeps_system_apart_and_alternates_turns_starting_with_the_user():
    request = converse_request(MODEL_ID, MESSAGES, 64, 0.3, ("Candidate:", "<|im_end|>"))
    assert request == {
        "modelId": MODEL_ID,
        "system": [{"text": "You are Alex, an interviewer."}],
        "messages": [
            {"role": "user", "content": [{"text": OPENING_USER_CUE}]},
            {"role": "assistant", "content": [{"text": "Hi, I'm Alex. Tell me about yourself?"}]},
            {
                "role": "user",
                "content": [{"text": "I'm Sam."}, {"text": "[Interviewer notes: ask about Python]"}],
            },
        ],
        "inferenceConfig": {
            "maxTokens": 64,
            "temperature": 0.3,
            "stopSequences": ["Candidate:", "<|im_end|>"],
        },
    }


def test_request_without_any_turn_still_opens_with_a_user_message():
    request = converse_request(MODEL_ID, [ChatMessage("system", "Greet the candidate.")], 32, 0.0, ())
    assert request["messages"] == [{"role": "user", "content": [{"text": OPENING_USER_CUE}]}]
    assert "stopSequences" not in request["inferenceConfig"]


async def test_stubbed_throttling_is_retryable_and_the_request_matches_the_service_model():
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    provider = BedrockProvider(Settings(bedrock_model_id=MODEL_ID), client=client)
    expected = converse_request(MODEL_ID, MESSAGES, 64, 0.3, ("Candidate:",))
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "converse_stream", "ThrottlingException", "Too many tokens", 429, expected_params=expected
        )
        with pytest.raises(LLMError) as caught:
            await collect(provider)
        stubber.assert_no_pending_responses()
    await provider.aclose()
    assert caught.value.retryable
    assert "ThrottlingException: Too many tokens" in str(caught.value)


async def test_stubbed_validation_error_is_not_retryable():
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    provider = BedrockProvider(Settings(bedrock_model_id=MODEL_ID), client=client)
    with Stubber(client) as stubber:
        stubber.add_client_error("converse_stream", "ValidationException", "bad model id", 400)
        with pytest.raises(LLMError) as caught:
            await collect(provider)
    await provider.aclose()
    assert not caught.value.retryable
    assert "ValidationException" in str(caught.value)


async def test_streams_text_deltas_from_a_real_event_stream(bedrock_server):
    fake, url = bedrock_server
    provider = provider_for(url, "ok")
    pieces = await collect(provider)
    await provider.aclose()
    assert pieces == ["Thanks, Sam.", " What do you", " like about Python?"]
    sent = fake.requests[-1]
    assert sent["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
    assert sent["body"]["system"] == [{"text": "You are Alex, an interviewer."}]
    assert sent["body"]["inferenceConfig"] == {
        "maxTokens": 64,
        "temperature": 0.3,
        "stopSequences": ["Candidate:"],
    }


async def test_an_error_event_mid_stream_is_a_retryable_error(bedrock_server):
    _, url = bedrock_server
    provider = provider_for(url, "stream_error")
    received: list[str] = []
    with pytest.raises(LLMError) as caught:
        async for piece in provider.stream(MESSAGES, max_tokens=64, temperature=0.3):
            received.append(piece)
    await provider.aclose()
    assert received == ["Thanks"]
    assert caught.value.retryable
    assert "modelStreamErrorException" in str(caught.value) and "the model stopped" in str(caught.value)


async def test_http_throttling_from_the_server_is_retryable(bedrock_server):
    _, url = bedrock_server
    provider = provider_for(url, "throttled")
    with pytest.raises(LLMError) as caught:
        await collect(provider)
    await provider.aclose()
    assert caught.value.retryable and "ThrottlingException" in str(caught.value)


async def test_connection_refused_is_retryable():
    provider = provider_for(f"http://127.0.0.1:{free_port()}", "ok")
    with pytest.raises(LLMError) as caught:
        await collect(provider)
    await provider.aclose()
    assert caught.value.retryable and "cannot connect" in str(caught.value)


async def test_breaking_off_closes_the_stream_and_the_provider_stays_usable(bedrock_server):
    fake, url = bedrock_server
    fake.stream_closed.clear()
    fake.events_sent = 0
    client = bedrock_client(url)
    endless = BedrockProvider(Settings(bedrock_model_id="endless", llm_timeout_s=10), client=client)
    stream = endless.stream(MESSAGES, max_tokens=64, temperature=0.3)
    received = []
    async for piece in stream:
        received.append(piece)
        if len(received) == 3:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert received == ["w0 ", "w1 ", "w2 "]
    assert await asyncio.to_thread(fake.stream_closed.wait, 5), "the server kept streaming"
    assert fake.events_sent < 50
    endless._model_id = "ok"
    assert await collect(endless) == ["Thanks, Sam.", " What do you", " like about Python?"]
    await endless.aclose()

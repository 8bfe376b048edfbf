"""OpenAICompatProvider against a real HTTP server that streams server-sent events."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from services.agent.llm.base import ChatMessage, LLMError
from services.agent.llm.openai_compat import OpenAICompatProvider
from shared.config import Settings
from tests.agent.llm.asgi_server import free_port, serve

MESSAGES = [ChatMessage("system", "You are an interviewer."), ChatMessage("user", "Hello")]


def sse(event: object) -> str:
    return f"data: {json.dumps(event)}\n\n"


def delta(text: str, finish: str | None = None) -> str:
    return sse({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]})


class FakeChatServer:
    """Behaves by the requested model name: ok, endless, stall, cut, error_event, fail500, bad400."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, object]]] = []
        self.stream_closed = threading.Event()
        self.pieces_sent = 0
        self.app = Starlette(routes=[Route("/v1/chat/completions", self.chat, methods=["POST"])])

    async def chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append((dict(request.headers), body))
        model = body["model"]
        if model == "fail500":
            return JSONResponse({"error": {"message": "the model crashed"}}, status_code=500)
        if model == "bad400":
            return JSONResponse({"error": {"message": "unknown model"}}, status_code=400)
        return StreamingResponse(self.events(model), media_type="text/event-stream")

    async def events(self, model: str) -> AsyncIterator[str]:
        try:
            if model == "ok":
                yield ": keep-alive\n\n"
                yield sse({"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
                yield delta("Hello")
                yield delta(" there,")
                yield delta(" Sam?", "stop")
                yield sse({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 3}})
                yield "data: [DONE]\n\n"
            elif model == "endless":
                for i in range(500):
                    self.pieces_sent += 1
                    yield delta(f"w{i} ")
                    await asyncio.sleep(0.02)
            elif model == "stall":
                yield delta("Hmm")
                await asyncio.sleep(10)
            elif model == "cut":
                yield delta("Half a sent")
            elif model == "error_event":
                yield delta("Hmm")
                yield sse({"error": {"message": "overloaded"}})
        finally:
            self.stream_closed.set()


@pytest.fixture(scope="module")
def chat_server() -> Iterator[tuple[FakeChatServer, str]]:
    fake = FakeChatServer()
    with serve(fake.app) as url:
        yield fake, url


def provider_for(url: str, model: str, timeout_s: float = 10.0) -> OpenAICompatProvider:
    settings = Settings(
        openai_base_url=f"{url}/v1/", openai_model=model, openai_api_key="sk-test", llm_timeout_s=timeout_s
    )
    return OpenAICompatProvider(settings)


async def collect(provider: OpenAICompatProvider, **kwargs: object) -> list[str]:
    return [piece async for piece in provider.stream(MESSAGES, max_tokens=50, temperature=0.2, **kwargs)]  # type: ignore[arg-type]


async def test_streams_the_content_deltas_and_sends_an_openai_request(chat_server):
    fake, url = chat_server
    provider = provider_for(url, "ok")
    try:
        pieces = await collect(provider, stop=("Candidate:",))
    finally:
        await provider.aclose()
    assert pieces == ["Hello", " there,", " Sam?"]
    headers, body = fake.requests[-1]
    assert headers["authorization"] == "Bearer sk-test"
    assert body == {
        "model": "ok",
        "messages": [
            {"role": "system", "content": "You are an interviewer."},
            {"role": "user", "content": "Hello"},
        ],
        "max_tokens": 50,
        "temperature": 0.2,
        "stream": True,
        "stop": ["Candidate:"],
    }


async def test_http_500_is_a_retryable_error_with_the_body(chat_server):
    _, url = chat_server
    provider = provider_for(url, "fail500")
    with pytest.raises(LLMError) as caught:
        await collect(provider)
    await provider.aclose()
    assert caught.value.retryable
    assert "HTTP 500" in str(caught.value) and "the model crashed" in str(caught.value)


async def test_http_400_is_not_retryable(chat_server):
    _, url = chat_server
    provider = provider_for(url, "bad400")
    with pytest.raises(LLMError) as caught:
        await collect(provider)
    await provider.aclose()
    assert not caught.value.retryable
    assert "HTTP 400" in str(caught.value)


async def test_connection_refused_is_a_retryable_error():
    provider = provider_for(f"http://127.0.0.1:{free_port()}", "ok")
    with pytest.raises(LLMError) as caught:
        await collect(provider)
    await provider.aclose()
    assert caught.value.retryable
    assert "cannot connect" in str(caught.value)


async def test_a_stalled_stream_times_out_after_llm_timeout_s(chat_server):
    _, url = chat_server
    provider = provider_for(url, "stall", timeout_s=0.5)
    received: list[str] = []
    with pytest.raises(LLMError) as caught:
        async for piece in provider.stream(MESSAGES, max_tokens=50, temperature=0.2):
            received.append(piece)
    await provider.aclose()
    assert received == ["Hmm"]
    assert caught.value.retryable and "timed out" in str(caught.value)


async def test_a_stream_cut_before_its_end_is_an_error(chat_server):
    _, url = chat_server
    provider = provider_for(url, "cut")
    with pytest.raises(LLMError, match="mid-reply") as caught:
        await collect(provider)
    await provider.aclose()
    assert caught.value.retryable


async def test_an_error_event_inside_the_stream_is_an_error(chat_server):
    _, url = chat_server
    provider = provider_for(url, "error_event")
    with pytest.raises(LLMError, match="overloaded"):
        await collect(provider)
    await provider.aclose()


async def test_breaking_off_mid_stream_closes_the_request_and_the_provider_stays_usable(chat_server):
    fake, url = chat_server
    fake.stream_closed.clear()
    fake.pieces_sent = 0
    provider = provider_for(url, "endless")
    stream = provider.stream(MESSAGES, max_tokens=50, temperature=0.2)
    received = []
    async for piece in stream:
        received.append(piece)
        if len(received) == 3:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert received == ["w0 ", "w1 ", "w2 "]
    assert await asyncio.to_thread(fake.stream_closed.wait, 5), "the server kept streaming"
    assert fake.pieces_sent < 50
    # The same provider (and its connection pool) serves the next reply.
    provider._model = "ok"
    assert await collect(provider) == ["Hello", " there,", " Sam?"]
    await provider.aclose()


async def test_cancelling_the_consuming_task_closes_the_request(chat_server):
    fake, url = chat_server
    fake.stream_closed.clear()
    fake.pieces_sent = 0
    provider = provider_for(url, "endless")
    first_pieces = asyncio.Event()

    async def consume() -> None:
        count = 0
        async for _ in provider.stream(MESSAGES, max_tokens=50, temperature=0.2):
            count += 1
            if count == 3:
                first_pieces.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_pieces.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(fake.stream_closed.wait, 5), "the server kept streaming"
    assert fake.pieces_sent < 50
    await provider.aclose()

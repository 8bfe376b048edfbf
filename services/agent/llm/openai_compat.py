"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, Ollama, LM Studio).

POST {base_url}/chat/completions with `stream: true`, read the server-sent
events and yield each `choices[0].delta.content` until `data: [DONE]`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.llm.options import OpenAIOptions

# Statuses worth a retry: timeout, conflict, rate limit and the server-side failures.
_RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_CONNECT_TIMEOUT_S = 10.0
_ERROR_BODY_CHARS = 300


class OpenAICompatProvider:
    name = "openai"

    def __init__(self, options: OpenAIOptions, *, client: httpx.AsyncClient | None = None) -> None:
        self._model = options.model
        self._url = options.base_url.rstrip("/") + "/chat/completions"
        timeout = options.timeout_s
        # `read` bounds the wait for each piece of the stream, not the whole reply.
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(_CONNECT_TIMEOUT_S, timeout)),
            headers={"Authorization": f"Bearer {options.api_key.get_secret_value()}"},
        )
        self._closed = False

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        return None  # a remote model caches prompts on its side, if at all

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        return None  # the server keeps its own caches; nothing to precompute from here

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> AsyncIterator[str]:
        if self._closed:
            raise LLMError("the OpenAI-compatible provider is closed")
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        if stop:
            body["stop"] = list(stop)[:4]  # the OpenAI API accepts at most four stop sequences
        try:
            async with self._client.stream("POST", self._url, json=body) as response:
                await _raise_for_status(response, self._url)
                async for text in _sse_texts(response):
                    yield text
        except httpx.TimeoutException as exc:
            raise LLMError(f"{self._url}: timed out ({type(exc).__name__})", retryable=True) from exc
        except httpx.ConnectError as exc:
            raise LLMError(f"{self._url}: cannot connect ({exc})", retryable=True) from exc
        except httpx.TransportError as exc:
            raise LLMError(
                f"{self._url}: connection failed ({type(exc).__name__}: {exc})", retryable=True
            ) from exc

    async def aclose(self) -> None:
        self._closed = True
        await self._client.aclose()


async def _raise_for_status(response: httpx.Response, url: str) -> None:
    if response.status_code < 400:
        return
    detail = (await response.aread()).decode("utf-8", errors="replace")[:_ERROR_BODY_CHARS]
    raise LLMError(
        f"{url}: HTTP {response.status_code}: {detail}",
        retryable=response.status_code in _RETRYABLE_STATUSES,
    )


async def _sse_texts(response: httpx.Response) -> AsyncIterator[str]:
    """The content deltas of an OpenAI chat-completion event stream."""
    finished = False
    async for line in response.aiter_lines():
        if not line.startswith("data:"):
            continue  # blank separators, comments (": keep-alive"), `event:` and `id:` fields
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            return
        text, finish_reason = _parse_event(data)
        finished = finished or finish_reason is not None
        if text:
            yield text
    if not finished:  # a reply that never said why it ended was cut off
        raise LLMError("the chat stream ended mid-reply: the server closed the connection", retryable=True)


def _parse_event(data: str) -> tuple[str | None, str | None]:
    """(content delta, finish reason) of one `data:` event."""
    try:
        event = json.loads(data)
    except ValueError as exc:
        raise LLMError(f"unreadable event in the chat stream: {data[:_ERROR_BODY_CHARS]!r}") from exc
    if not isinstance(event, dict):
        raise LLMError(f"unexpected event in the chat stream: {data[:_ERROR_BODY_CHARS]!r}")
    if "error" in event:  # some servers report failures inside the stream, after a 200
        raise LLMError(f"the server reported an error mid-stream: {event['error']}", retryable=True)
    choices = event.get("choices") or []
    if not choices:
        return None, None  # e.g. a final usage-only event
    choice = choices[0]
    content = (choice.get("delta") or {}).get("content")
    return (content if isinstance(content, str) else None), choice.get("finish_reason")

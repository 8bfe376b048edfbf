"""What only the OpenAI-compatible provider does: the chat-completions request, the HTTP status
mapping and the end-of-stream check, against a real HTTP server (tests/agent/llm/backends.py).
Streaming, cancellation, timeouts and the common failures: test_provider_contract.py.
"""

from __future__ import annotations

import pytest

from services.agent.llm.base import LLMError
from tests.agent.llm.backends import MESSAGES, OpenAIBackend, collect


async def test_sends_an_openai_chat_request_with_the_bearer_key(openai_backend: OpenAIBackend):
    await collect(openai_backend.provider())
    request = openai_backend.server.requests[-1]
    assert request["headers"]["authorization"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "test-model"
    assert body["messages"] == [
        {"role": "system", "content": "You are an interviewer."},
        {"role": "user", "content": "Hi, I'm Sam."},
    ]
    assert body["stream"] is True


async def test_at_most_four_stop_sequences_are_sent(openai_backend: OpenAIBackend):
    await collect(openai_backend.provider(), stop=("a", "b", "c", "d", "e"))
    assert openai_backend.server.requests[-1]["body"]["stop"] == ["a", "b", "c", "d"]


# 400 and 500 are the contract test's "rejected" and "overloaded".
@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        *[(408, True), (409, True), (429, True), (502, True), (503, True), (504, True)],
        *[(401, False), (404, False), (422, False)],
    ],
)
async def test_an_http_error_status_is_an_llm_error_retryable_for_transient_statuses(
    openai_backend: OpenAIBackend, status: int, retryable: bool
):
    openai_backend.behave(f"status:{status}")
    with pytest.raises(LLMError) as caught:
        await collect(openai_backend.provider())
    assert caught.value.retryable is retryable
    message = str(caught.value)
    assert f"HTTP {status}: " in message and f"status {status} xxx" in message
    assert len(message) < 400, "the error body is not cut short"


async def test_a_stream_that_ends_without_finishing_the_reply_is_a_retryable_error(
    openai_backend: OpenAIBackend,
):
    openai_backend.behave("cut")
    received: list[str] = []
    with pytest.raises(LLMError, match="mid-reply") as caught:
        async for piece in openai_backend.provider().stream(MESSAGES, max_tokens=40, temperature=0.5):
            received.append(piece)
    assert received == ["Half a sent"]
    assert caught.value.retryable

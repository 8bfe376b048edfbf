"""What every LLM provider promises (services/agent/llm/base.py LLMProvider), run against each one:
llama.cpp with a fake model at its ChatModel seam, the OpenAI-compatible provider against a real
HTTP server streaming server-sent events, Bedrock with real boto3 against a real HTTP server
speaking the AWS event-stream format (tests/agent/llm/backends.py).

What only one provider does is tested in its own file: test_llamacpp.py, test_openai_compat.py,
test_bedrock.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import pytest

from services.agent.llm.base import LLMError
from tests.agent.llm.backends import BACKENDS, MESSAGES, REPLY, Backend, SentRequest, collect


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    """The harness for one provider (built and torn down by the `<name>_backend` fixture)."""
    backend: Backend = request.getfixturevalue(f"{request.param}_backend")
    return backend


async def test_streams_the_reply_in_pieces(backend: Backend):
    assert await collect(backend.provider()) == list(REPLY)


@pytest.mark.parametrize("stop", [(), ("Candidate:", "[Interviewer")], ids=["no-stop", "stop"])
async def test_passes_max_tokens_temperature_and_stop_sequences_to_the_model(
    backend: Backend, stop: Sequence[str]
):
    await collect(backend.provider(), max_tokens=40, temperature=0.5, stop=stop)
    assert backend.sent() == SentRequest(max_tokens=40, temperature=0.5, stop=list(stop))


async def test_warm_up_leaves_the_provider_ready(backend: Backend):
    provider = backend.provider()
    await provider.warm_up(["You are an interviewer."])
    assert await collect(provider) == list(REPLY)


async def test_concurrent_streams_each_get_their_whole_reply(backend: Backend):
    provider = backend.provider()
    first, second = await asyncio.gather(collect(provider), collect(provider))
    assert first == second == list(REPLY)


async def test_breaking_off_stops_generation_and_the_provider_stays_usable(backend: Backend):
    provider = backend.provider()
    backend.behave("endless")
    stream = provider.stream(MESSAGES, max_tokens=40, temperature=0.5)
    received = []
    async for piece in stream:
        received.append(piece)
        if len(received) == 3:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert received == ["w0 ", "w1 ", "w2 "]
    assert await asyncio.to_thread(backend.stream_closed.wait, 5), "generation went on"
    produced = backend.pieces_sent
    await asyncio.sleep(0.1)
    assert backend.pieces_sent == produced < 50
    backend.behave("ok")
    assert await collect(provider) == list(REPLY)


async def test_cancelling_the_consuming_task_stops_generation(backend: Backend):
    provider = backend.provider()
    backend.behave("endless")
    got_some = asyncio.Event()

    async def consume() -> None:
        async for _ in provider.stream(MESSAGES, max_tokens=40, temperature=0.5):
            got_some.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(got_some.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(backend.stream_closed.wait, 5), "generation went on"
    assert backend.pieces_sent < 50


async def test_closing_the_provider_stops_a_running_generation_and_refuses_new_calls(backend: Backend):
    provider = backend.provider()
    backend.behave("endless")
    stream = provider.stream(MESSAGES, max_tokens=40, temperature=0.5)
    await stream.__anext__()
    await asyncio.wait_for(provider.aclose(), 5)
    assert await asyncio.to_thread(backend.stream_closed.wait, 5), "generation went on"
    backend.behave("ok")
    with pytest.raises(LLMError, match="closed") as caught:
        await collect(provider)
    assert not caught.value.retryable
    await stream.aclose()  # type: ignore[attr-defined]


async def test_a_stalled_stream_is_a_retryable_error_after_the_timeout(backend: Backend):
    provider = backend.provider(timeout_s=0.3)
    backend.behave("stall")
    received: list[str] = []
    started = time.monotonic()
    with pytest.raises(LLMError, match=r"produced nothing for 0\.3 s|timed out") as caught:
        async for piece in provider.stream(MESSAGES, max_tokens=40, temperature=0.5):
            received.append(piece)
    assert time.monotonic() - started < 3
    assert received == ["Hmm"]
    assert caught.value.retryable


FAILURE_CASES = [
    pytest.param(name, case, id=f"{name}-{case}")
    for name, backend_type in sorted(BACKENDS.items())
    for case in backend_type.failures
]


@pytest.mark.parametrize(("backend", "case"), FAILURE_CASES, indirect=["backend"])
async def test_a_failure_is_an_llm_error_with_the_right_retryable_flag(backend: Backend, case: str):
    """rejected: the request is invalid; overloaded: the backend is busy; error_mid_stream: it fails
    after a first piece; unavailable: there is nothing to talk to (no server, no model file)."""
    expected = backend.failures[case]
    if case == "unavailable":
        provider = backend.unavailable_provider()
    else:
        provider = backend.provider()
        backend.behave(case)
    received: list[str] = []
    with pytest.raises(LLMError, match=expected.message) as caught:
        async for piece in provider.stream(MESSAGES, max_tokens=40, temperature=0.5):
            received.append(piece)
    assert caught.value.retryable is expected.retryable
    assert received == (["Hmm"] if case == "error_mid_stream" else [])
    if case != "unavailable":
        backend.behave("ok")
        assert await collect(provider) == list(REPLY), "the provider did not recover"

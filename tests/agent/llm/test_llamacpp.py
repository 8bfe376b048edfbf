"""LlamaCppProvider's threading, cancellation and errors, with a fake model at the ChatModel seam;
plus the session KV cache and the loader's errors with the real llama_cpp library (no model needed)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llama_cpp import LlamaState

from services.agent.llm.base import ChatMessage, LLMError
from services.agent.llm.llamacpp import LlamaCppProvider, SessionStateCache, load_llama
from shared.config import Settings

MESSAGES = [ChatMessage("system", "You are an interviewer."), ChatMessage("user", "Hi, I'm Sam.")]


class FakeChatModel:
    """Yields `pieces` (or endless words) one per `delay_s`, like llama-cpp-python's chunk stream."""

    def __init__(
        self,
        pieces: Sequence[str] = ("Hello", " Sam", "?"),
        *,
        delay_s: float = 0.0,
        endless: bool = False,
        error: Exception | None = None,
        after_finish_s: float = 0.0,
    ) -> None:
        self.pieces = pieces
        self.delay_s = delay_s
        self.endless = endless
        self.error = error
        self.after_finish_s = after_finish_s
        self.calls: list[dict[str, Any]] = []
        self.produced = 0
        self.active = 0
        self.max_active = 0
        self.closed = threading.Event()

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
        return self._chunks()

    def _chunks(self) -> Iterator[dict[str, Any]]:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.error is not None:
                raise self.error
            index = 0
            while self.endless or index < len(self.pieces):
                time.sleep(self.delay_s)
                text = f"w{index} " if self.endless else self.pieces[index]
                self.produced += 1
                index += 1
                yield {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
            yield {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            time.sleep(self.after_finish_s)  # where llama-cpp-python saves the KV state to its cache
        finally:
            self.active -= 1
            self.closed.set()


def provider_with(model: FakeChatModel, **settings: Any) -> LlamaCppProvider:
    return LlamaCppProvider(Settings(**settings), model_loader=lambda: model)


async def collect(provider: LlamaCppProvider, **kwargs: Any) -> list[str]:
    return [p async for p in provider.stream(MESSAGES, max_tokens=40, temperature=0.5, **kwargs)]


async def test_streams_pieces_and_passes_the_request_through():
    model = FakeChatModel()
    provider = provider_with(model)
    assert await collect(provider, stop=("Candidate:",)) == ["Hello", " Sam", "?"]
    await provider.aclose()
    assert model.calls == [
        {
            "messages": [
                {"role": "system", "content": "You are an interviewer."},
                {"role": "user", "content": "Hi, I'm Sam."},
            ],
            "stream": True,
            "max_tokens": 40,
            "temperature": 0.5,
            "stop": ["Candidate:"],
        }
    ]


async def test_the_reply_ends_for_the_consumer_before_the_kv_state_is_saved():
    model = FakeChatModel(after_finish_s=1.0)
    provider = provider_with(model)
    started = time.perf_counter()
    assert await collect(provider) == ["Hello", " Sam", "?"]
    assert time.perf_counter() - started < 0.5
    await provider.aclose()


async def test_breaking_off_stops_generation_at_the_next_token_and_the_provider_stays_usable():
    model = FakeChatModel(delay_s=0.01, endless=True)
    provider = provider_with(model)
    stream = provider.stream(MESSAGES, max_tokens=40, temperature=0.5)
    received = []
    async for piece in stream:
        received.append(piece)
        if len(received) == 3:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    assert received == ["w0 ", "w1 ", "w2 "]
    assert await asyncio.to_thread(model.closed.wait, 2), "generation went on"
    produced = model.produced
    await asyncio.sleep(0.1)
    assert model.produced == produced < 10
    model.endless = False
    model.pieces = ("Next", " turn")
    assert await collect(provider) == ["Next", " turn"]
    await provider.aclose()


async def test_cancelling_the_consuming_task_stops_generation():
    model = FakeChatModel(delay_s=0.01, endless=True)
    provider = provider_with(model)
    got_some = asyncio.Event()

    async def consume() -> None:
        async for _ in provider.stream(MESSAGES, max_tokens=40, temperature=0.5):
            got_some.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(got_some.wait(), 2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(model.closed.wait, 2), "generation went on"
    await provider.aclose()


async def test_concurrent_streams_run_one_at_a_time_on_the_model():
    model = FakeChatModel(("a", "b", "c"), delay_s=0.02)
    provider = provider_with(model)
    first, second = await asyncio.gather(collect(provider), collect(provider))
    await provider.aclose()
    assert first == second == ["a", "b", "c"]
    assert model.max_active == 1


async def test_a_rejected_request_is_an_llm_error_and_the_provider_stays_usable():
    model = FakeChatModel(error=ValueError("Requested tokens (5000) exceed context window of 4096"))
    provider = provider_with(model)
    with pytest.raises(LLMError, match="exceed context window") as caught:
        await collect(provider)
    assert not caught.value.retryable
    model.error = None
    assert await collect(provider) == ["Hello", " Sam", "?"]
    await provider.aclose()


async def test_a_model_that_cannot_load_fails_the_stream_with_its_message():
    def missing() -> FakeChatModel:
        raise LLMError("PREPAI_LLM_MODEL_PATH points to /nowhere.gguf, which is not a file")

    provider = LlamaCppProvider(Settings(), model_loader=missing)
    with pytest.raises(LLMError, match=r"nowhere\.gguf"):
        await collect(provider)
    await provider.aclose()


async def test_silence_longer_than_the_timeout_is_a_retryable_error():
    model = FakeChatModel(delay_s=1.0)
    provider = provider_with(model, llm_timeout_s=0.2)
    with pytest.raises(LLMError, match=r"produced nothing for 0\.2 s") as caught:
        await collect(provider)
    assert caught.value.retryable
    await provider.aclose()


async def test_warm_up_evaluates_each_system_prompt_up_to_the_user_turn():
    model = FakeChatModel(("x",))
    provider = provider_with(model)
    await provider.warm_up(["Prompt A", "Prompt B"])
    await provider.aclose()
    assert [c["messages"] for c in model.calls] == [
        [{"role": "system", "content": "Prompt A"}, {"role": "user", "content": ""}],
        [{"role": "system", "content": "Prompt B"}, {"role": "user", "content": ""}],
    ]
    assert {c["max_tokens"] for c in model.calls} == {1}


async def test_closing_stops_a_running_generation_and_refuses_new_calls():
    model = FakeChatModel(delay_s=0.01, endless=True)
    provider = provider_with(model)
    stream = provider.stream(MESSAGES, max_tokens=40, temperature=0.5)
    await stream.__anext__()
    await asyncio.wait_for(provider.aclose(), 2)
    assert model.closed.is_set()
    with pytest.raises(LLMError, match="closed"):
        await collect(provider)
    await stream.aclose()  # type: ignore[attr-defined]


def state(tokens: Sequence[int], kv_bytes: int = 10) -> LlamaState:
    return LlamaState(
        input_ids=np.array(tokens, dtype=np.intc),
        scores=np.zeros((1, 4), dtype=np.single),
        n_tokens=len(tokens),
        llama_state=b"\0" * kv_bytes,
        llama_state_size=kv_bytes,
        seed=0,
    )


def test_session_cache_drops_the_states_a_longer_conversation_supersedes():
    cache = SessionStateCache(capacity_bytes=1000)
    cache[[1, 2, 3]] = state([1, 2, 3])  # session A, turn 1
    cache[[1, 2, 9]] = state([1, 2, 9])  # session B shares the system prompt
    cache[[1, 2, 3, 4, 5]] = state([1, 2, 3, 4, 5])  # session A, turn 2
    assert list(cache.cache_state) == [(1, 2, 9), (1, 2, 3, 4, 5)]
    assert cache[[1, 2, 3, 4, 5, 6]].n_tokens == 5
    assert cache[[1, 2, 9, 7]].n_tokens == 3


def test_session_cache_evicts_the_least_recently_used_past_its_byte_budget():
    cache = SessionStateCache(capacity_bytes=25)
    cache[[1]] = state([1])
    cache[[2]] = state([2])
    _ = cache[[1, 5]]  # touch session 1
    cache[[3]] = state([3])
    assert set(cache.cache_state) == {(1,), (3,)}


async def test_a_corrupt_model_file_is_an_llm_error(tmp_path: Path):
    fake_gguf = tmp_path / "broken.gguf"
    fake_gguf.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(LLMError, match="could not load the GGUF model"):
        load_llama(Settings(llm_model_path=fake_gguf))


async def test_a_missing_model_path_is_an_llm_error(tmp_path: Path):
    with pytest.raises(LLMError, match="not a file"):
        load_llama(Settings(llm_model_path=tmp_path / "absent.gguf"))

"""What only the llama.cpp provider does: one model in one worker thread, warm-up of system prompts,
the reply released before the KV state is saved, the session KV cache and the loader (the real
llama_cpp library, no model needed). Streaming, cancellation, timeouts and errors: test_provider_contract.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from llama_cpp import LlamaState

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.llm.llamacpp import SessionStateCache, load_llama
from services.agent.llm.options import LlamaCppOptions
from tests.agent.llm.backends import REPLY, LlamaCppBackend, collect


async def test_the_messages_go_to_llama_cpp_as_role_content_dicts_in_a_stream(
    llamacpp_backend: LlamaCppBackend,
):
    messages = [ChatMessage("system", "You interview."), ChatMessage("user", "Hi.")]
    await collect(llamacpp_backend.provider(), messages)
    call = llamacpp_backend.model.calls[-1]
    assert call["messages"] == [
        {"role": "system", "content": "You interview."},
        {"role": "user", "content": "Hi."},
    ]
    assert call["stream"] is True


async def test_the_reply_ends_for_the_consumer_before_the_kv_state_is_saved(
    llamacpp_backend: LlamaCppBackend,
):
    llamacpp_backend.model.after_finish_s = 1.0
    provider = llamacpp_backend.provider()
    started = time.perf_counter()
    assert await collect(provider) == list(REPLY)
    assert time.perf_counter() - started < 0.5


async def test_concurrent_streams_run_one_at_a_time_on_the_model(llamacpp_backend: LlamaCppBackend):
    provider = llamacpp_backend.provider()
    await asyncio.gather(collect(provider), collect(provider))
    assert len(llamacpp_backend.model.calls) == 2
    assert llamacpp_backend.model.max_active == 1


async def test_warm_up_evaluates_each_system_prompt_up_to_the_user_turn(llamacpp_backend: LlamaCppBackend):
    await llamacpp_backend.provider().warm_up(["Prompt A", "Prompt B"])
    calls = llamacpp_backend.model.calls
    assert [c["messages"] for c in calls] == [
        [{"role": "system", "content": "Prompt A"}, {"role": "user", "content": ""}],
        [{"role": "system", "content": "Prompt B"}, {"role": "user", "content": ""}],
    ]
    assert {c["max_tokens"] for c in calls} == {1}


async def test_a_system_prompt_the_model_cannot_evaluate_fails_the_warm_up(llamacpp_backend: LlamaCppBackend):
    llamacpp_backend.behave("rejected")
    with pytest.raises(LLMError, match="could not evaluate a system prompt") as caught:
        await llamacpp_backend.provider().warm_up(["A very long prompt"])
    assert not caught.value.retryable


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


def test_a_corrupt_model_file_is_an_llm_error(tmp_path: Path):
    fake_gguf = tmp_path / "broken.gguf"
    fake_gguf.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(LLMError, match="could not load the GGUF model"):
        load_llama(LlamaCppOptions(model_path=fake_gguf))

"""The embedded LLM: a GGUF model run in-process by llama.cpp (llama-cpp-python).

One model per process, loaded once. A llama context is not thread-safe, so all
work on it runs in one dedicated worker thread: jobs queue in arrival order and
run one at a time, and tokens cross to the event loop through an asyncio queue.

Turn latency comes from the KV cache. llama-cpp-python already reuses the
longest common token prefix with the previous call, which covers one session's
consecutive turns. When several sessions interleave, each would otherwise
re-read its whole conversation; `SessionStateCache` keeps each conversation's
KV state after every reply (and each system prompt's after `warm_up`), and the
longest matching one is restored before the next call.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, cast

from llama_cpp import Llama, LlamaState
from llama_cpp.llama_cache import LlamaRAMCache

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.llm.model_files import default_model_path
from services.agent.llm.options import LlamaCppOptions
from services.agent.llm.thread_stream import StreamSink, stream_from_thread

log = logging.getLogger(__name__)

StreamChunk = Mapping[str, Any]


class ChatModel(Protocol):
    """The part of `llama_cpp.Llama` this provider uses (a seam for unit tests)."""

    def create_chat_completion(
        self,
        messages: list[dict[str, str]],
        *,
        stream: bool,
        max_tokens: int,
        temperature: float,
        stop: list[str],
    ) -> Iterator[StreamChunk]: ...


class LlamaCppProvider:
    name = "llamacpp"

    def __init__(
        self,
        options: LlamaCppOptions,
        *,
        model_loader: Callable[[], ChatModel] | None = None,
    ) -> None:
        """`model_loader` replaces `load_llama(options)` (a seam for unit tests)."""
        self._options = options
        self._load_model = model_loader or (lambda: load_llama(options))
        self._model: ChatModel | None = None
        # One worker thread = the serialization of all calls into the llama context.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llamacpp")
        self._active: set[StreamSink] = set()  # guarded by _active_lock: worker threads add and remove
        self._active_lock = threading.Lock()
        self._closed = False
        self._jobs = 0  # replies and prefills submitted and not yet finished (event loop only)

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        """Load the model and evaluate each system prompt, so a first turn only reads its own words."""
        self._check_open()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._worker, self._warm_up_in_worker, list(system_prompts))

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> AsyncIterator[str]:
        self._check_open()
        request = _Request([_as_dict(m) for m in messages], max_tokens, temperature, list(stop))
        self._jobs += 1
        pieces = stream_from_thread(
            self._worker,
            functools.partial(self._generate_in_worker, request),
            idle_timeout_s=self._options.timeout_s,
            source="llama.cpp",
        )
        try:
            async for piece in pieces:
                yield piece
        finally:
            self._jobs -= 1
            await pieces.aclose()  # marks the job cancelled: the worker stops before its next token

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Evaluate the prompt into the KV cache, so the reply that starts with it reads only the rest.
        Skipped while the model has other work: a prefill must never delay a reply."""
        self._check_open()
        if self._jobs:
            log.debug("prefill skipped: the model is busy")
            return
        self._jobs += 1
        try:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._worker, self._prefill_in_worker, [_as_dict(m) for m in messages])
        finally:
            self._jobs -= 1

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._active_lock:
            active = list(self._active)
        for sink in active:
            sink.cancel()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._worker.shutdown)
        self._model = None

    def _check_open(self) -> None:
        if self._closed:
            raise LLMError("the llama.cpp provider is closed")

    # --- in the worker thread -------------------------------------------------------------

    def _model_in_worker(self) -> ChatModel:
        if self._model is None:
            self._model = self._load_model()
        return self._model

    def _warm_up_in_worker(self, system_prompts: list[str]) -> None:
        model = self._model_in_worker()
        for prompt in system_prompts:
            started = time.perf_counter()
            # An empty user turn: everything up to the user's words is the prefix a real turn shares.
            warm_messages = [{"role": "system", "content": prompt}, {"role": "user", "content": ""}]
            try:
                for _ in model.create_chat_completion(
                    warm_messages, stream=True, max_tokens=1, temperature=0.0, stop=[]
                ):
                    pass  # running the stream to its end lets the session cache store the state
            except ValueError as exc:  # e.g. a system prompt longer than the context
                raise LLMError(f"llama.cpp could not evaluate a system prompt: {exc}") from exc
            log.debug("warmed a %d-char system prompt in %.2f s", len(prompt), time.perf_counter() - started)

    def _prefill_in_worker(self, messages: list[dict[str, str]]) -> None:
        model = self._model_in_worker()
        started = time.perf_counter()
        try:
            # One token: the prompt is what is wanted; running the stream to its end stores the state.
            for _ in model.create_chat_completion(
                messages, stream=True, max_tokens=1, temperature=0.0, stop=[]
            ):
                pass
        except ValueError as exc:  # a prompt over the context: the reply will say so, not the prefill
            log.debug("prefill skipped: %s", exc)
            return
        log.debug("prefilled %d messages in %.2f s", len(messages), time.perf_counter() - started)

    def _generate_in_worker(self, request: _Request, sink: StreamSink) -> None:
        with self._active_lock:
            self._active.add(sink)
        try:
            model = self._model_in_worker()
            chunks = model.create_chat_completion(
                request.messages,
                stream=True,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop,
            )
            _pump(chunks, sink)
        except ValueError as exc:  # llama-cpp-python's word for bad input, e.g. a prompt over n_ctx
            raise LLMError(f"llama.cpp rejected the request: {exc}") from exc
        finally:
            with self._active_lock:
                self._active.discard(sink)


@dataclass(frozen=True)
class _Request:
    messages: list[dict[str, str]]
    max_tokens: int
    temperature: float
    stop: list[str]


def _pump(chunks: Iterator[StreamChunk], sink: StreamSink) -> None:
    """Forward text pieces until the reply ends or the consumer cancels (checked between tokens)."""
    try:
        for chunk in chunks:
            if sink.cancelled:
                return
            choice = chunk["choices"][0]
            text = choice.get("delta", {}).get("content")
            if text:
                sink.send(text)
            if choice.get("finish_reason") is not None:
                # Release the consumer now: what remains of the stream only stores the KV state.
                sink.finish()
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stops llama-cpp-python's generator: no further token is evaluated


def _as_dict(message: ChatMessage) -> dict[str, str]:
    return {"role": message.role, "content": message.content}


class CompactStateLlama(Llama):
    """A `Llama` whose saved KV states carry one row of logits instead of n_batch rows.

    The stock `save_state` copies n_batch x vocab floats (311 MB with Qwen's 152k vocabulary at
    n_batch=512) next to a KV state of a few MB, and `load_state` scans all of them: measured
    0.86 s to save and 1.7 s to restore, on every reply and every session switch. Those logits are
    never sampled: `load_state` marks the context for re-evaluation, so `generate()` decodes at least
    the last prompt token again before it samples. So both calls see only the first row.
    """

    def save_state(self) -> LlamaState:
        with self._one_logits_row():
            return super().save_state()

    def load_state(self, state: LlamaState) -> None:
        with self._one_logits_row():
            super().load_state(state)

    @contextlib.contextmanager
    def _one_logits_row(self) -> Iterator[None]:
        all_rows = self.scores
        self.scores = all_rows[:1]
        try:
            yield
        finally:
            self.scores = all_rows


class SessionStateCache(LlamaRAMCache):
    """`LlamaRAMCache` (LRU of KV states keyed by their tokens, bounded in bytes) that forgets
    superseded states: a conversation's new state drops the ones whose tokens it extends (the same
    conversation a turn earlier), since any lookup that matched those matches the new one at least
    as far. Without this each session would keep one state per turn.
    """

    def __setitem__(self, key: Sequence[int], value: LlamaState) -> None:
        tokens = tuple(key)
        superseded = [k for k in self.cache_state if len(k) < len(tokens) and tokens[: len(k)] == k]
        for old in superseded:
            del self.cache_state[old]
        super().__setitem__(tokens, value)


def load_llama(options: LlamaCppOptions) -> ChatModel:
    """Load the configured GGUF model with the session KV cache attached (none when the budget is 0)."""
    path = default_model_path(options.model, options.model_path, options.model_cache_dir)
    started = time.perf_counter()
    try:
        llama = CompactStateLlama(
            model_path=str(path),
            n_ctx=options.context_tokens,
            n_threads=options.threads,
            n_threads_batch=options.threads,
            verbose=False,
        )
    except (ValueError, RuntimeError, OSError) as exc:
        raise LLMError(
            f"could not load the GGUF model {path}: {exc} (is the file complete and a GGUF?)"
        ) from exc
    if options.session_cache_bytes > 0:
        llama.set_cache(SessionStateCache(options.session_cache_bytes))
    log.info("loaded %s in %.1f s", path.name, time.perf_counter() - started)
    return cast(ChatModel, llama)

"""AWS Bedrock through the Converse API (`bedrock-runtime` `converse_stream`).

boto3 is blocking, so each reply's event stream is read in a worker thread and
its `contentBlockDelta.delta.text` pieces cross to the event loop.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import urllib3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EventStreamError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.llm.options import BedrockOptions
from services.agent.llm.thread_stream import StreamSink, stream_from_thread

# Error codes of the Converse API that a later attempt can get past.
_RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "ServiceUnavailableException",
        "InternalServerException",
        "ModelNotReadyException",
        "ModelTimeoutException",
        "ModelStreamErrorException",
        "throttlingException",
        "serviceUnavailableException",
        "internalServerException",
        "modelStreamErrorException",
    }
)
# Converse requires the conversation to open with a user message; an interviewer speaks first,
# so a conversation that opens with the assistant gets this neutral cue in front of it.
OPENING_USER_CUE = "(The call has started.)"
_MAX_STOP_SEQUENCES = 4
_CONNECT_TIMEOUT_S = 10.0
_CONCURRENT_STREAMS = 8


class BedrockProvider:
    name = "bedrock"

    def __init__(self, options: BedrockOptions, *, client: Any | None = None) -> None:
        self._model_id = options.model_id
        self._timeout_s = options.timeout_s
        # botocore's own retries (standard mode) cover throttling and 5xx before the first byte.
        self._client = client or boto3.client(
            "bedrock-runtime",
            region_name=options.region,
            config=Config(
                connect_timeout=min(_CONNECT_TIMEOUT_S, options.timeout_s),
                read_timeout=options.timeout_s,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        self._workers = ThreadPoolExecutor(max_workers=_CONCURRENT_STREAMS, thread_name_prefix="bedrock")
        self._active: set[StreamSink] = set()  # guarded by _active_lock: worker threads add and remove
        self._active_lock = threading.Lock()
        self._closed = False

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        return None  # a remote model caches prompts on its side, if at all

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        return None  # nothing to precompute on our side

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> AsyncIterator[str]:
        if self._closed:
            raise LLMError(f"the Bedrock provider for {self._model_id} is closed")
        request = converse_request(self._model_id, messages, max_tokens, temperature, stop)
        pieces = stream_from_thread(
            self._workers,
            functools.partial(self._stream_in_worker, request),
            idle_timeout_s=self._timeout_s,
            source=f"Bedrock {self._model_id}",
        )
        try:
            async for piece in pieces:
                yield piece
        finally:
            await pieces.aclose()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._active_lock:
            active = list(self._active)
        for sink in active:
            sink.cancel()
        self._workers.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _stream_in_worker(self, request: dict[str, Any], sink: StreamSink) -> None:
        with self._active_lock:
            self._active.add(sink)
        try:
            events = self._client.converse_stream(**request)["stream"]
            try:
                for event in events:
                    if sink.cancelled:
                        return
                    text = event.get("contentBlockDelta", {}).get("delta", {}).get("text")
                    if text:
                        sink.send(text)
            finally:
                events.close()  # closes the HTTP response: Bedrock stops generating for us
        except (ClientError, EventStreamError, BotoCoreError) as exc:
            raise _as_llm_error(exc, self._model_id) from exc
        except urllib3.exceptions.HTTPError as exc:  # the event stream is read straight from urllib3
            raise LLMError(f"Bedrock {self._model_id}: the stream broke off: {exc}", retryable=True) from exc
        finally:
            with self._active_lock:
                self._active.discard(sink)


def converse_request(
    model_id: str,
    messages: Sequence[ChatMessage],
    max_tokens: int,
    temperature: float,
    stop: Sequence[str],
) -> dict[str, Any]:
    """The `converse_stream` arguments: system prompts apart, turns merged to alternate user/assistant."""
    inference: dict[str, Any] = {"maxTokens": max_tokens, "temperature": temperature}
    stop_sequences = [s for s in stop if s.strip()][:_MAX_STOP_SEQUENCES]
    if stop_sequences:
        inference["stopSequences"] = stop_sequences
    request: dict[str, Any] = {
        "modelId": model_id,
        "messages": _alternating_turns(messages),
        "inferenceConfig": inference,
    }
    system = [{"text": m.content} for m in messages if m.role == "system" and m.content.strip()]
    if system:
        request["system"] = system
    return request


def _alternating_turns(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system" or not message.content.strip():
            continue  # Converse rejects blank text blocks
        if turns and turns[-1]["role"] == message.role:
            turns[-1]["content"].append({"text": message.content})  # same speaker twice: one turn
        else:
            turns.append({"role": message.role, "content": [{"text": message.content}]})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": [{"text": OPENING_USER_CUE}]})
    return turns


def _as_llm_error(exc: Exception, model_id: str) -> LLMError:
    where = f"Bedrock {model_id}"
    if isinstance(exc, NoCredentialsError):
        return LLMError(f"{where}: no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/...)")
    if isinstance(exc, ReadTimeoutError):
        return LLMError(f"{where}: timed out waiting for the model", retryable=True)
    if isinstance(exc, BotoConnectionError):
        return LLMError(f"{where}: cannot connect ({exc})", retryable=True)
    if isinstance(exc, ClientError):  # EventStreamError (an error event mid-stream) is one too
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        message = error.get("Message", str(exc))
        return LLMError(f"{where}: {code}: {message}", retryable=code in _RETRYABLE_CODES)
    return LLMError(f"{where}: {type(exc).__name__}: {exc}")

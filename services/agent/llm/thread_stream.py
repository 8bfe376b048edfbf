"""Streaming from a blocking producer in a worker thread to an async consumer.

llama.cpp and boto3 both produce text in blocking loops. The producer runs in
an executor and hands pieces to the event loop through an asyncio queue; when
the consumer leaves (break, `aclose()`, cancellation, timeout) the sink is
marked cancelled and the producer stops at its next check.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from services.agent.llm.base import LLMError


@dataclass(frozen=True)
class _End:
    error: LLMError | None = None


_Item = str | _End


class StreamSink:
    """The producer's side: `send` text, check `cancelled` between pieces, `finish` when done."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[_Item]) -> None:
        self._loop = loop
        self._queue = queue
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def send(self, text: str) -> None:
        self._put(text)

    def finish(self) -> None:
        """End the consumer's stream now (the producer may go on with cleanup that nobody waits for)."""
        self._put(_End())

    def fail(self, error: LLMError) -> None:
        self._put(_End(error))

    def _put(self, item: _Item) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the event loop is closed: nobody is listening any more
            self._cancelled.set()


Producer = Callable[[StreamSink], None]


async def stream_from_thread(
    executor: Executor | None, produce: Producer, *, idle_timeout_s: float, source: str
) -> AsyncGenerator[str, None]:
    """Run `produce` in `executor` and yield what it sends.

    Raises LLMError when the producer fails, or (retryable) when nothing arrives for
    `idle_timeout_s` seconds.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[_Item] = asyncio.Queue()
    sink = StreamSink(loop, queue)
    loop.run_in_executor(executor, _run_producer, produce, sink, source)
    try:
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), idle_timeout_s)
            except TimeoutError:
                raise LLMError(
                    f"{source} produced nothing for {idle_timeout_s:g} s", retryable=True
                ) from None
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        sink.cancel()


def _run_producer(produce: Producer, sink: StreamSink, source: str) -> None:
    if sink.cancelled:  # the consumer left while this job waited for a worker
        return
    try:
        produce(sink)
    except LLMError as exc:
        sink.fail(exc)
    except Exception as exc:  # any other failure still has to reach the consumer as an LLMError
        sink.fail(LLMError(f"{source} failed: {type(exc).__name__}: {exc}"))
    else:
        sink.finish()

"""The interface every LLM provider implements, and the one error type they raise."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from services.agent.domain.messages import ChatMessage


class LLMError(Exception):
    """A provider failed. `retryable` is True for transient causes (network, timeout, overload)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class LLMProvider(Protocol):
    name: str

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> AsyncIterator[str]:
        """Yield the reply piece by piece (about one token each).

        Closing the iterator early (break, `aclose()`, task cancellation) stops generation promptly;
        the provider stays usable for the next call.
        """
        ...

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        """Read `messages` into the model's cache ahead of the reply that will start with them (the
        candidate's words so far); a no-op where nothing can be cached, and never a delay for a reply."""
        ...

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        """Precompute what can be precomputed for these system prompts; a no-op where nothing can."""
        ...

    async def aclose(self) -> None: ...

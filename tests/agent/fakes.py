"""In-memory versions of the turn processor's ports, for fast unit tests."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.turns import Lease, PendingTurn
from shared.events import AssistantReply, SpeakRequest, TurnFailed, UserTurn


@dataclass
class FakeDelivery:
    stream_seq: int
    num_delivered: int = 1
    progress_calls: int = 0

    async def in_progress(self) -> None:
        self.progress_calls += 1


@dataclass
class FakeQueue:
    """The TURNS work queue: turns stay until acked."""

    pending: dict[int, tuple[UserTurn, float]] = field(default_factory=dict)
    next_seq: int = 1

    def publish(self, turn: UserTurn, age_s: float = 0.0) -> FakeDelivery:
        seq = self.next_seq
        self.next_seq += 1
        self.pending[seq] = (turn, time.time() - age_s)
        return FakeDelivery(seq)

    def ack(self, seq: int) -> None:
        self.pending.pop(seq, None)

    async def earliest_pending(self, session_id: str, from_seq: int = 1) -> PendingTurn | None:
        mine = sorted(s for s, (t, _) in self.pending.items() if t.session_id == session_id and s >= from_seq)
        if not mine:
            return None
        turn, published = self.pending[mine[0]]
        return PendingTurn(mine[0], turn, published)

    async def discard(self, stream_seq: int) -> None:
        self.pending.pop(stream_seq, None)


@dataclass
class FakeLeases:
    held: dict[str, int] = field(default_factory=dict)
    revision: int = 0

    async def acquire(self, session_id: str, turn_id: str) -> Lease | None:
        if session_id in self.held:
            return None
        self.revision += 1
        self.held[session_id] = self.revision
        return Lease(session_id, self.revision)

    async def renew(self, lease: Lease) -> Lease | None:
        return lease

    async def release(self, lease: Lease) -> None:
        if self.held.get(lease.session_id) == lease.revision:
            del self.held[lease.session_id]


@dataclass
class FakeOutbox:
    chunks: list[tuple[str, int, str]] = field(default_factory=list)
    replies: list[AssistantReply] = field(default_factory=list)
    failures: list[TurnFailed] = field(default_factory=list)
    spoken: list[SpeakRequest] = field(default_factory=list)

    async def chunk(self, session_id: str, turn_id: str, index: int, text: str) -> None:
        self.chunks.append((turn_id, index, text))

    async def speak(self, request: SpeakRequest) -> None:
        self.spoken.append(request)

    async def reply(self, reply: AssistantReply) -> None:
        self.replies.append(reply)

    async def failed(self, failure: TurnFailed) -> None:
        self.failures.append(failure)


class FakeLLM:
    """Streams a canned reply word by word; can fail, or block until released."""

    name = "fake"

    def __init__(
        self, reply: str = "Thanks for sharing. Could you tell me more?", fail: LLMError | None = None
    ):
        self.reply = reply
        self.fail = fail
        self.calls: list[Sequence[ChatMessage]] = []
        self.prefilled: list[Sequence[ChatMessage]] = []
        self.gate: object | None = None

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        self.prefilled.append(messages)

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] = (),
    ) -> AsyncIterator[str]:
        self.calls.append(messages)
        if self.fail is not None:
            raise self.fail
        for word in self.reply.split(" "):
            yield word + " "

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        return None

    async def aclose(self) -> None:
        return None

"""How the interviewer's planned move becomes streamed words.

`LLMResponder` asks a language model to say the planned line in context.
`ScriptedResponder` says the planner's own words (its reaction, then the line) itself, instantly: the interviewer
without a model, for machines too small for one, for tests, and for measuring
the platform's own overhead (PREPAI_LLM_PROVIDER=scripted).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from services.agent.domain.messages import ChatMessage
from services.agent.domain.planner import ReplyPlan
from services.agent.llm.base import LLMProvider


class Responder(Protocol):
    name: str
    # True when what it says is the planner's own words (reaction and line): no model reaction to check.
    says_planned_line: bool

    def respond(self, plan: ReplyPlan, messages: Sequence[ChatMessage]) -> AsyncIterator[str]: ...

    async def prefill(self, messages: Sequence[ChatMessage]) -> None: ...

    async def warm_up(self, system_prompts: Sequence[str]) -> None: ...

    async def aclose(self) -> None: ...


class LLMResponder:
    says_planned_line = False

    def __init__(self, llm: LLMProvider, *, max_tokens: int, temperature: float) -> None:
        self.llm = llm
        self.name = llm.name
        self.max_tokens = max_tokens
        self.temperature = temperature

    def respond(self, plan: ReplyPlan, messages: Sequence[ChatMessage]) -> AsyncIterator[str]:
        return self.llm.stream(
            messages,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            stop=("Candidate:", "[Interviewer notes", "<|im_end|>"),
        )

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        await self.llm.prefill(messages)

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        await self.llm.warm_up(system_prompts)

    async def aclose(self) -> None:
        await self.llm.aclose()


_PIECE_RE = re.compile(r"\S+\s*")


class ScriptedResponder:
    name = "scripted"
    says_planned_line = True

    def __init__(self, word_delay_s: float = 0.0) -> None:
        self.word_delay_s = word_delay_s

    async def respond(self, plan: ReplyPlan, messages: Sequence[ChatMessage]) -> AsyncIterator[str]:
        for piece in _PIECE_RE.findall(plan.text):
            yield piece
            # Even with no delay, yield the loop: other sessions' turns interleave, as with a model.
            await asyncio.sleep(self.word_delay_s)

    async def prefill(self, messages: Sequence[ChatMessage]) -> None:
        return None

    async def warm_up(self, system_prompts: Sequence[str]) -> None:
        return None

    async def aclose(self) -> None:
        return None

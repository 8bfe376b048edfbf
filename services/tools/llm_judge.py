"""The optional model judge: a remote model (the agent's OpenAI-compatible or Bedrock provider) grades each
answer against the rubric and answers with JSON, validated as `LlmGrade`.

The embedded llama.cpp model is never used here: at 0.5-1.5 B parameters it cannot grade reliably, and a
judge that is wrong half the time is worse than the rubric alone (bootstrap only builds this judge for
remote providers).
"""

from __future__ import annotations

from services.agent.domain.messages import ChatMessage
from services.agent.llm import LLMError, LLMProvider
from services.tools.evaluator.judge import LlmGrade, parse_grade

SYSTEM = (
    "You are a strict, fair interview grader. You grade only what the candidate said, against the key "
    "points and rubric given. You reply with one JSON object and nothing else."
)
MAX_REPLY_TOKENS = 300


class LlmAnswerJudge:
    def __init__(self, provider: LLMProvider, model: str) -> None:
        self.provider = provider
        self.model = model

    async def grade(self, prompt: str) -> LlmGrade | None:
        messages = [ChatMessage("system", SYSTEM), ChatMessage("user", prompt)]
        try:
            pieces = [
                piece
                async for piece in self.provider.stream(
                    messages, max_tokens=MAX_REPLY_TOKENS, temperature=0.0
                )
            ]
        except LLMError:
            return None
        return parse_grade("".join(pieces))

    async def aclose(self) -> None:
        await self.provider.aclose()

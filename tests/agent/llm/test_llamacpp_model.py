"""The real packaged model (slow on 2 cores: `-m model`)."""

from __future__ import annotations

import re

import pytest

from services.agent.domain.messages import ChatMessage
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.options import LlamaCppOptions

pytestmark = [pytest.mark.model, pytest.mark.timeout(240)]

SYSTEM = (
    "You are Alex, an experienced interviewer conducting a Software Engineer interview. "
    "You are the interviewer, never the candidate: never answer your own questions and never write the "
    "candidate's lines. Speak in at most three short sentences and end your turn with exactly one question."
)
ANSWER = (
    "Candidate: I have five years of backend experience in Python. Most recently I built a job queue "
    "on Postgres that processes about two million tasks a day, and I cut its latency in half.\n"
    "[Interviewer guidance: Acknowledge the previous answer in one short sentence, then ask this question: "
    '"How did your queue handle tasks that failed?"]'
)
STOP = ("Candidate:", "[Interviewer", "<|im_end|>")


async def reply(
    provider: LlamaCppProvider, messages: list[ChatMessage], max_tokens: int, temperature: float
) -> str:
    pieces = [
        p async for p in provider.stream(messages, max_tokens=max_tokens, temperature=temperature, stop=STOP)
    ]
    return "".join(pieces).strip()


async def test_the_default_model_replies_in_role_as_the_interviewer():
    provider = LlamaCppProvider(LlamaCppOptions())
    try:
        await provider.warm_up([SYSTEM])
        text = await reply(provider, [ChatMessage("system", SYSTEM), ChatMessage("user", ANSWER)], 60, 0.0)
    finally:
        await provider.aclose()
    letters = [c for c in text if c.isalpha()]
    assert letters, "empty reply"
    assert sum(c.isascii() for c in letters) / len(letters) > 0.95, f"not English: {text!r}"
    assert "?" in text, f"asks nothing: {text!r}"
    assert not re.search(r"\b(I am|I'm) (the candidate|a candidate)\b|^Candidate\b", text, re.I), text
    assert not re.search(r"\bfive years of backend experience\b", text, re.I), (
        f"repeats the candidate: {text!r}"
    )


async def test_restoring_a_cached_session_continues_exactly_as_an_uninterrupted_one():
    """Session B's KV state comes back from the session cache (saved with CompactStateLlama's one-row
    logits) after session A used the context; greedy decoding must then match a model that kept B's
    state in its context all along."""
    session_a = [
        ChatMessage("system", "You are a terse interviewer for a Go role."),
        ChatMessage("user", ANSWER),
    ]
    session_b = [ChatMessage("system", SYSTEM), ChatMessage("user", ANSWER)]
    interleaved = LlamaCppProvider(LlamaCppOptions())
    uninterrupted = LlamaCppProvider(LlamaCppOptions(session_cache_bytes=0))
    try:
        first_b = await reply(interleaved, session_b, 24, 0.0)
        assert await reply(uninterrupted, session_b, 24, 0.0) == first_b
        await reply(interleaved, session_a, 8, 0.0)  # the context now holds session A
        follow_up = [*session_b, ChatMessage("assistant", first_b), ChatMessage("user", "We retried them.")]
        restored = await reply(interleaved, follow_up, 24, 0.0)
        expected = await reply(uninterrupted, follow_up, 24, 0.0)
    finally:
        await interleaved.aclose()
        await uninterrupted.aclose()
    assert restored
    assert restored == expected

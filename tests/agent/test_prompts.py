from __future__ import annotations

import itertools

from services.agent.domain.planner import ReplyPlan
from services.agent.domain.prompts import build_messages, system_prompt, with_notes
from shared.interview_types import INTERVIEW_TYPES, find_interview_type
from shared.sessions import TranscriptEntry

ITYPE = find_interview_type("aws_sa")
assert ITYPE is not None


def plan(guidance: str) -> ReplyPlan:
    return ReplyPlan("ask", "technical", "Q?", guidance)


def conversation(turns: int) -> tuple[list[TranscriptEntry], dict[str, str]]:
    transcript = [TranscriptEntry(role="assistant", text="Hello, tell me about yourself?", turn_id="t0")]
    notes = {"t0": "greet"}
    for i in range(1, turns + 1):
        transcript.append(TranscriptEntry(role="user", text=f"answer {i} " * 20, turn_id=f"t{i}"))
        transcript.append(TranscriptEntry(role="assistant", text=f"reply {i}?", turn_id=f"t{i}"))
        notes[f"t{i}"] = f"notes {i}"
    return transcript, notes


def test_system_prompt_depends_only_on_the_type() -> None:
    prompts = {system_prompt(t) for t in INTERVIEW_TYPES}
    assert len(prompts) == len(INTERVIEW_TYPES)
    assert "AWS Solutions Architect" in system_prompt(ITYPE)


def test_next_turn_prompt_extends_the_previous_one_exactly() -> None:
    """The KV-cache contract: turn N+1's messages start with turn N's messages and reply."""
    transcript, notes = conversation(3)
    before = build_messages(ITYPE, transcript[:-2], notes, "start", "answer 3 " * 20, plan("notes 3"), 4000)
    after = build_messages(ITYPE, transcript, notes, "start", "answer 4", plan("notes 4"), 4000)
    assert after[: len(before)] == before
    assert after[len(before)].content == "reply 3?"
    assert after[-1].content == with_notes("answer 4", "notes 4")


def test_long_history_is_trimmed_but_keeps_the_opening_and_alternation() -> None:
    transcript, notes = conversation(40)
    messages = build_messages(ITYPE, transcript, notes, "start", "last", plan("n"), 1200)
    assert messages[0].role == "system"
    assert messages[1].content.startswith("start")
    assert messages[2].content == "Hello, tell me about yourself?"
    roles = [m.role for m in messages[1:]]
    assert all(a != b for a, b in itertools.pairwise(roles))
    assert sum(len(m.content) for m in messages) / 3.5 < 1400
    assert len(messages) < 2 + 2 * 40


def test_huge_answers_are_clipped_in_the_prompt() -> None:
    messages = build_messages(ITYPE, [], {}, "start", "x" * 100_000, plan("n"), 4000)
    assert len(messages[-1].content) < 2000

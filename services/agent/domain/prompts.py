"""Prompt building with a stable prefix.

The system prompt depends only on the interview type, and every past turn is
rebuilt exactly as it was first sent (candidate words + the interviewer notes
of that turn). So turn N+1's prompt starts with turn N's prompt and reply
token for token, and llama.cpp reuses its KV cache instead of re-reading the
whole conversation: only the new turn is evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.agent.domain.messages import ChatMessage
from services.agent.domain.planner import CandidateContext, ReplyPlan
from shared.interview_types import InterviewType
from shared.sessions import TranscriptEntry

MAX_CANDIDATE_CHARS_IN_PROMPT = 1500
CHARS_PER_TOKEN = 3.5  # conservative for English with Qwen's tokenizer


def system_prompt(itype: InterviewType) -> str:
    company = f" at {itype.company}" if itype.company else ""
    return (
        f"You are Alex, an experienced interviewer conducting a {itype.name} interview{company} "
        f"for a {itype.role} position. Focus areas: {', '.join(itype.focus)}.\n"
        "Rules:\n"
        "- You are the interviewer, never the candidate. Never answer your own questions and never write "
        "the candidate's lines.\n"
        "- Each candidate message ends with private [Interviewer notes]. Follow them exactly: they say what "
        "to write. Your next question is added after your words automatically. Never mention the notes.\n"
        "- Speak like a person on a call: short sentences, no lists, no markdown, no code.\n"
        "- Be professional, warm and encouraging. Give a hint only when the notes say so, never the full "
        "answer. Do not score the candidate."
    )


def start_message(itype: InterviewType, candidate: CandidateContext, cv_summary: str | None) -> str:
    parts = [f"[The candidate, {candidate.name}, has joined the {itype.name} interview.]"]
    if cv_summary:
        parts.append(f"[From their CV: {cv_summary}]")
    if candidate.job_description:
        parts.append(f"[The job description: {candidate.job_description[:600]}]")
    return "\n".join(parts)


def _candidate_words(candidate_words: str) -> str:
    words = candidate_words.strip()
    if len(words) > MAX_CANDIDATE_CHARS_IN_PROMPT:
        words = words[:MAX_CANDIDATE_CHARS_IN_PROMPT] + " [...]"
    return words


def with_notes(candidate_words: str, guidance: str) -> str:
    return f"{_candidate_words(candidate_words)}\n\n[Interviewer notes: {guidance}]"


def build_messages(
    itype: InterviewType,
    transcript: Sequence[TranscriptEntry],
    notes_by_turn: dict[str, str],
    start_text: str,
    current_user_text: str | None,
    plan: ReplyPlan,
    budget_tokens: int,
) -> list[ChatMessage]:
    """System prompt, the conversation so far (as first sent), and the new turn with its notes.

    `current_user_text` is None for the session start, where the start message carries the notes.
    When the history outgrows `budget_tokens`, the oldest exchanges after the opening are dropped.
    """
    system = ChatMessage("system", system_prompt(itype))
    history = _history(transcript, notes_by_turn, start_text)
    if current_user_text is None:
        current = ChatMessage("user", with_notes(start_text, plan.guidance))
    else:
        current = ChatMessage("user", with_notes(current_user_text, plan.guidance))
    return [system, *_fit(history, budget_tokens - _tokens(system) - _tokens(current)), current]


def prefix_messages(
    itype: InterviewType,
    transcript: Sequence[TranscriptEntry],
    notes_by_turn: dict[str, str],
    start_text: str,
    words_so_far: str,
    budget_tokens: int,
) -> list[ChatMessage]:
    """The prompt of a turn still being spoken, up to the candidate's words so far: the exact prefix of
    the turn's real prompt (which adds the rest of the words and the notes), for the model to pre-read."""
    system = ChatMessage("system", system_prompt(itype))
    history = _history(transcript, notes_by_turn, start_text)
    current = ChatMessage("user", _candidate_words(words_so_far))
    return [system, *_fit(history, budget_tokens - _tokens(system) - _tokens(current) - 64), current]


def _history(
    transcript: Sequence[TranscriptEntry], notes_by_turn: dict[str, str], start_text: str
) -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    for entry in transcript:
        if entry.role == "user":
            messages.append(ChatMessage("user", with_notes(entry.text, notes_by_turn.get(entry.turn_id, ""))))
        elif not messages:  # the greeting answers the start message, which is not in the transcript
            notes = notes_by_turn.get(entry.turn_id, "")
            messages.append(ChatMessage("user", with_notes(start_text, notes)))
            messages.append(ChatMessage("assistant", entry.text))
        else:
            messages.append(ChatMessage("assistant", entry.text))
    return messages


def _fit(history: list[ChatMessage], budget: float) -> list[ChatMessage]:
    if sum(_tokens(m) for m in history) <= budget:
        return history
    opening, rest = history[:2], history[2:]
    kept: list[ChatMessage] = []
    used = sum(_tokens(m) for m in opening)
    for message in reversed(rest):
        used += _tokens(message)
        if used > budget:
            break
        kept.append(message)
    kept.reverse()
    # Keep user/assistant alternation: the window must not start with an assistant reply.
    while kept and kept[0].role == "assistant":
        kept.pop(0)
    return opening + kept


def _tokens(message: ChatMessage) -> float:
    return len(message.content) / CHARS_PER_TOKEN + 4

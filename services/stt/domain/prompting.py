"""Biasing the recogniser towards the interview: the words of the question being answered and the
candidate's CV skills become Whisper's `hotwords`; what the candidate already said in this answer becomes
the `initial_prompt` of the next segment (Whisper reads it as the preceding transcript).

Whisper's prompt holds at most 223 tokens (half its 448-token context); these budgets count words
(English averages about 1.3 tokens a word, technical names more), and the model adapter trims exactly
with its tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.stt.domain.language import STOPWORDS, words_of

MAX_HOTWORDS = 24  # terms (a skill or a salient word of the question)
MAX_HOTWORD_CHARS = 240
MAX_PROMPT_WORDS = 90

_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-/]*[A-Za-z0-9+#]|[A-Za-z]")
_COMMON_QUESTION_WORDS = frozenset(
    {
        "tell",
        "describe",
        "explain",
        "walk",
        "think",
        "would",
        "could",
        "should",
        "design",
        "time",
        "about",
        "approach",
        "question",
        "next",
        "great",
        "thanks",
        "thank",
        "good",
        "let's",
        "lets",
        "move",
        "sure",
        "okay",
        "right",
        "like",
        "which",
        "where",
        "when",
        "what",
        "your",
        "you",
        "give",
        "example",
    }
)


@dataclass(frozen=True)
class TurnContext:
    """What the session says about the answer being given (read when an utterance starts)."""

    question: str = ""  # the interviewer's last line
    skills: tuple[str, ...] = field(default_factory=tuple)  # the candidate's CV skills, canonical names
    vocabulary: tuple[str, ...] = field(default_factory=tuple)  # the interview type's likely technical names
    phase: str = ""  # the agent's interview phase ("coding": the candidate thinks while typing)

    @property
    def coding(self) -> bool:
        return self.phase == "coding"


def _salient(term: str) -> bool:
    """A word worth biasing towards: a name or technical term (capitals inside or after the first letter,
    digits, symbols) or a long uncommon word."""
    lowered = term.lower()
    if lowered in STOPWORDS or lowered in _COMMON_QUESTION_WORDS:
        return False
    technical = any(c.isdigit() or c in "+#.-/" for c in term) or any(c.isupper() for c in term[1:])
    return technical or term[:1].isupper() or len(term) >= 7


def hotwords(context: TurnContext) -> str | None:
    """The terms Whisper should expect: the CV skills, the question's salient words, then the interview
    type's vocabulary (the names a candidate for this role is likely to say), within the budget."""
    terms: list[str] = []
    seen: set[str] = set()
    candidates = [
        *(s.strip() for s in context.skills),
        *(t for t in _TOKEN_RE.findall(context.question) if _salient(t)),
        *(v.strip() for v in context.vocabulary),
    ]
    for term in candidates:
        key = term.lower()
        if not term or key in seen:
            continue
        if len(terms) >= MAX_HOTWORDS or sum(len(t) + 1 for t in terms) + len(term) > MAX_HOTWORD_CHARS:
            break  # the list is in order of relevance: the rest does not fit
        seen.add(key)
        terms.append(term)
    return " ".join(terms) or None


def segment_prompt(said_so_far: str) -> str | None:
    """The prompt for the next segment of an answer: its last words so far (keeps names and style
    consistent across segments)."""
    words = said_so_far.split()
    if not words:
        return None
    return " ".join(words[-MAX_PROMPT_WORDS:])


def join_text(parts: list[str]) -> str:
    return " ".join(p.strip() for p in parts if p.strip())


def is_blank(text: str) -> bool:
    return not words_of(text)

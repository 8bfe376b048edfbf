"""Biasing the recogniser towards the interview: the candidate's CV skills, the technical names of the
question being answered and the interview type's vocabulary become Whisper's `hotwords` (names only, never
ordinary words: see `is_technical`); what the candidate already said in this answer becomes the
`initial_prompt` of the next segment (Whisper reads it as the preceding transcript).

Whisper's prompt holds at most 223 tokens (half its 448-token context); these budgets count words
(English averages about 1.3 tokens a word, technical names more), and the model adapter trims exactly
with its tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.stt.domain.language import STOPWORDS, words_of

MAX_HOTWORDS = 24  # terms (a skill, a technical name of the question, a name of the vocabulary)
MAX_HOTWORD_CHARS = 240
MAX_PROMPT_WORDS = 90

_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.\-/]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_DOTTED_RE = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}")


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


def is_technical(term: str) -> bool:
    """A technical name, as written: a capital after the first letter (CamelCase "DynamoDB", "gRPC", an
    acronym "SQL", "S3"), a digit ("EC2"), a symbol ("C++", "CI/CD", "C#") or a dotted name ("Node.js").

    Ordinary words are not: Whisper hears them well without help, and every hotword is text the model may
    write where the audio says little. Measured: with the question's long and capitalised words as hotwords
    ("teammate technical resolve", "Hello", "questions", "candidate"), those words turned up in transcripts
    after a pause or at the end of a segment."""
    core = term.strip(".-/")
    if len(core) < 2 or not any(c.isalpha() for c in core) or core.lower() in STOPWORDS:
        return False  # "a", "10", "2024" (numbers are written as Whisper likes them), "OK"
    if any(c.isupper() for c in core[1:]) or any(c.isdigit() or c in "+#/" for c in core):
        return True
    return _DOTTED_RE.search(core) is not None  # "Node.js", not "e.g" nor a hyphenated "trade-offs"


def question_names(question: str) -> list[str]:
    """The names in the interviewer's line: technical names (`is_technical`) and capitalised words inside a
    sentence ("How would you shard Redis?"), not a sentence's first word ("Hello", "Tell", "Great")."""
    names: list[str] = []
    for match in _TOKEN_RE.finditer(question):
        term = match.group()
        before = question[: match.start()].rstrip()
        inside = bool(before) and before[-1] not in ".?!:;\"'“‘(-–—"
        if is_technical(term) or (
            inside and len(term) > 1 and term[0].isupper() and term.lower() not in STOPWORDS
        ):
            names.append(term)
    return names


def hotword_terms(context: TurnContext) -> list[str]:
    """The terms Whisper should expect, most relevant first, within the budget: the CV skills, the
    question's names, then the interview type's vocabulary (the names a candidate for this role
    is likely to say). Each term is a name as written ("hash map", "API Gateway" are one term)."""
    terms: list[str] = []
    seen: set[str] = set()
    candidates = [
        *(s.strip() for s in context.skills),
        *question_names(context.question),
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
    return terms


def hotwords(context: TurnContext) -> str | None:
    """The hotwords as Whisper takes them: the terms, space-separated."""
    return " ".join(hotword_terms(context)) or None


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

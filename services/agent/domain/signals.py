"""What the interviewer reads from a candidate's answer, without a model:
is the candidate stuck, asking for help or clarification, or covering the key points?

Cheap and deterministic on purpose: the planner runs on every turn, and a 0.5B
model is not a reliable judge of its own questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_RE = re.compile(r"[a-z0-9+#]+")

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "else",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "my",
        "our",
        "your",
        "their",
        "them",
        "us",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "yes",
        "so",
        "very",
        "just",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "than",
        "too",
        "also",
        "into",
        "about",
        "over",
        "under",
        "use",
        "using",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "each",
        "some",
        "such",
        "more",
        "most",
        "other",
        "only",
        "own",
        "same",
        "both",
        "few",
    ]
)

_STUCK_PATTERNS = [
    r"\bi (really )?(don'?t|do not) know\b",
    r"\bno idea\b",
    r"\bnot sure\b",
    r"\bi'?m stuck\b",
    r"\bi (can'?t|cannot) (remember|recall|think)\b",
    r"\bi have no (clue|experience)\b",
    r"\bpass\b$",
    r"^\s*(um+|uh+|hmm+)[.\s]*$",
]
_HINT_PATTERNS = [
    r"\bhint\b",
    r"\bhelp me\b",
    r"\bnudge\b",
    r"\bpoint me\b",
    r"\bwhere (should|do) i start\b",
]
_CLARIFY_PATTERNS = [
    r"\bwhat do you mean\b",
    r"\bcan you (repeat|rephrase|clarify)\b",
    r"\bcould you (repeat|rephrase|clarify)\b",
    r"\b(repeat|rephrase) the question\b",
    r"\bdidn'?t (catch|understand) (that|the question)\b",
    r"^\s*sorry\?*\s*$",
]
_QUESTION_START = re.compile(r"^\s*(what|how|why|when|where|who|which|is|are|do|does|can|could|will|would)\b")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in _STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    # Prefix stemming: "scaling"/"scalable"/"scale" meet at "scal"; good enough for overlap.
    return word[:5]


def _matches(patterns: list[str], text: str) -> bool:
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in patterns)


@dataclass(frozen=True)
class AnswerSignals:
    word_count: int
    stuck: bool
    asks_hint: bool
    asks_clarification: bool
    asks_question: bool
    key_point_coverage: float  # 0..1, share of the question's key points the answer touches
    covered_points: tuple[str, ...]

    @property
    def struggling(self) -> bool:
        return self.stuck or self.asks_hint or (self.word_count < 6 and not self.asks_question)

    @property
    def strong(self) -> bool:
        return self.key_point_coverage >= 0.5 and self.word_count >= 25


def key_point_covered(point: str, answer_words: set[str]) -> bool:
    point_words = content_words(point)
    if not point_words:
        return False
    return len(point_words & answer_words) / len(point_words) >= 0.5


def read_answer(text: str, key_points: list[str] | tuple[str, ...] = ()) -> AnswerSignals:
    answer_words = content_words(text)
    covered = tuple(p for p in key_points if key_point_covered(p, answer_words))
    stripped = text.strip()
    return AnswerSignals(
        word_count=len(words(text)),
        stuck=_matches(_STUCK_PATTERNS, text),
        asks_hint=_matches(_HINT_PATTERNS, text),
        asks_clarification=_matches(_CLARIFY_PATTERNS, text),
        asks_question=stripped.endswith("?") or bool(_QUESTION_START.match(stripped)),
        key_point_coverage=len(covered) / len(key_points) if key_points else 0.0,
        covered_points=covered,
    )

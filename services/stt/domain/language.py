"""What the words say about the turn: an unfinished clause or a filler (wait longer before ending the turn),
the interviewer's own words coming back through the microphone (echo), and cleaning a transcript.

Pure text functions: no model, no audio.
"""

from __future__ import annotations

import re
from typing import Literal

Speaker = Literal["candidate", "echo", "unclear"]  # whose speech a barge-in check heard

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Whisper's notes for sounds that are not words: "[coughs]", "(laughs)", "*sigh*", "♪"; and runs of symbols
# that are never speech (a repetition loop over noise writes "________").
_NON_SPEECH_RE = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫]+|[_*=~^|#<>]{2,}")
_SPACES_RE = re.compile(r"\s+")

# A turn that ends on one of these is probably not over: the candidate is thinking aloud. ("well" is not one:
# "it went well" is a finished answer.)
FILLERS = frozenset({"um", "umm", "uh", "uhm", "erm", "er", "hmm", "hm", "mm", "ah", "eh", "like"})
FILLER_PHRASES = frozenset({("i", "mean"), ("you", "know"), ("kind", "of"), ("sort", "of"), ("let's", "see")})
CONJUNCTIONS = frozenset(
    {
        "and",
        "or",
        "but",
        "so",
        "because",
        "cause",
        "since",
        "although",
        "though",
        "while",
        "if",
        "when",
        "whereas",
        "unless",
        "until",
        "that",
        "which",
        "who",
        "whose",
        "where",
        "whether",
        "than",
        "then",
        "as",
        "plus",
    }
)
PREPOSITIONS = frozenset(
    {
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "through",
        "without",
        "via",
        "per",
        "after",
        "before",
        "during",
        "against",
        "across",
        "behind",
        "towards",
        "toward",
        "within",
    }
)
DETERMINERS = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "its",
        "this",
        "these",
        "those",
        "some",
        "any",
        "each",
        "every",
    }
)
# A clause cut after its subject or a copula ("and then I", "the problem was") is unfinished too. ("Yes, I
# would", "thank you", "what I'd do" end finished turns: those words are not in the list.)
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been"})
DANGLING = BE_FORMS | frozenset(
    {
        "i",
        "we",
        "they",
        "i'm",
        "we're",
        "it's",
        "i'd",
        "we'd",
        "i'll",
        "we'll",
        "very",
    }
)
UNFINISHED_ENDINGS = FILLERS | CONJUNCTIONS | PREPOSITIONS | DETERMINERS | DANGLING
TRAILING_MARKS = ("...", "…", ",", "-", "–", "—", ":", ";")

# Words too common to tell the candidate's speech from the interviewer's (echo detection).
STOPWORDS = frozenset(
    {
        "yes",
        "yeah",
        "no",
        "not",
        "okay",
        "ok",
        "it",
        "me",
        "you",
        "us",
        "them",
        "what",
        "how",
        "why",
        "there",
        "here",
        "just",
        "all",
        "would",
        "could",
        "should",
        "will",
        "can",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "am",
        "may",
        "might",
        "must",
    }
    | BE_FORMS
    | CONJUNCTIONS
    | PREPOSITIONS
    | DETERMINERS
    | DANGLING
    | FILLERS
)


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation ("Don't, CloudFront!" -> ["don't", "cloudfront"])."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def clean_transcript(text: str) -> str:
    """The recogniser's text without its notes for non-speech sounds, with single spaces."""
    return _SPACES_RE.sub(" ", _NON_SPEECH_RE.sub(" ", text)).strip()


def ends_unfinished(text: str) -> bool:
    """Does the text stop mid-thought: on a filler ("um", "I mean"), a conjunction, a preposition, an
    article, a dangling subject or auxiliary, or a trailing "...", comma or dash?"""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith(TRAILING_MARKS):
        return True
    words = words_of(stripped)
    if not words:
        return False
    if words[-1] in UNFINISHED_ENDINGS:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in FILLER_PHRASES


def echo_share(heard: str, playing: str) -> float:
    """The share of the heard words that the interviewer is saying: its content words when there are any
    ("the", "we" or "and" say nothing about who spoke: the candidate's "We moved the..." is not the echo of
    a greeting that has "we" and "the" in it); all the words when there are only such words ("and the")."""
    heard_words = words_of(heard)
    if not heard_words:
        return 0.0
    playing_words = set(words_of(playing))
    content = [w for w in heard_words if w not in STOPWORDS]
    sample = content or heard_words
    return sum(w in playing_words for w in sample) / len(sample)


def who_spoke(heard: str, playing: str, *, threshold: float = 0.5) -> Speaker:
    """Whose words is `heard` (decoded from the microphone while the interviewer spoke)? The interviewer's
    ("echo") when half its content words are: a quiet echo is misheard ("Tell me about a time" came back as
    "Tell me him."), while a candidate speaking over the interviewer says mostly words of their own.
    "unclear" when nothing was heard, or only common words not all the interviewer's ("could you" over
    "How did you resolve it?" was taken for echo and the candidate's question dropped): more speech tells."""
    heard_words = words_of(heard)
    if not heard_words:
        return "unclear"
    share = echo_share(heard, playing)
    if all(w in STOPWORDS for w in heard_words):
        return "echo" if share == 1.0 else "unclear"
    return "echo" if share >= threshold else "candidate"

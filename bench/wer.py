"""Word error rate: Levenshtein distance over normalised words, divided by the reference's word count.

Normalisation (applied to both sides, so only real recognition errors count):
- lower case; apostrophes dropped ("I'm" == "im"); every other punctuation mark is a word break, except a
  "." or "," between digits ("99.9", "10,000" -> "10000");
- hyphens and dashes split words ("read-your-writes" == "read your writes");
- "%" is the word "percent" ("95%" == "95 percent");
- the small numbers 0-20 and the tens (30 ... 90) are the same written as digits or as words
  ("five" == "5", "twenty" == "20", "fifty" == "50");
- filler words ("um", "uh", "er", "erm", "hmm", "mm") are left out unless `keep_fillers`: Whisper drops
  most of them, and they carry nothing a reader of the transcript needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
NUMBERS: dict[str, str] = {word: str(value) for value, word in enumerate(_NUMBER_WORDS)}
NUMBERS.update(
    {
        word: str(value)
        for word, value in zip(
            ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
            range(30, 100, 10),
            strict=True,
        )
    }
)
FILLERS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm", "mhm", "ah"})

_APOSTROPHES = re.compile(r"['’‘`]")
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")
_PERCENT = re.compile(r"\s*%")
_NON_WORD = re.compile(r"[^a-z0-9\0]+")  # a protected decimal point (NUL) survives


def normalize(text: str, *, keep_fillers: bool = False) -> list[str]:
    """The words of `text` as WER compares them."""
    text = _APOSTROPHES.sub("", text.lower())
    text = _PERCENT.sub(" percent ", text)
    # Protect decimal points, drop thousands separators: "99.9" stays one word, "10,000" -> "10000".
    text = _DIGIT_SEPARATOR.sub(lambda m: "\0" if m.group(0) == "." else "", text)
    text = _NON_WORD.sub(" ", text.replace(".", " ")).replace("\0", ".")
    words: list[str] = []
    for word in text.split():
        word = NUMBERS.get(word, word)
        if keep_fillers or word not in FILLERS:
            words.append(word)
    return words


@dataclass(frozen=True)
class WordErrors:
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        """Errors per reference word (0.0 for an empty reference and an empty hypothesis)."""
        if self.reference_words == 0:
            return 0.0 if self.errors == 0 else 1.0
        return self.errors / self.reference_words

    def __add__(self, other: WordErrors) -> WordErrors:
        return WordErrors(
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
            self.reference_words + other.reference_words,
        )


NO_ERRORS = WordErrors(0, 0, 0, 0)


def align(reference: list[str], hypothesis: list[str]) -> WordErrors:
    """Minimum edit distance over words, split into substitutions, deletions and insertions."""
    # Each cell: (total, substitutions, deletions, insertions); ties prefer substitutions (fewest ops).
    previous = [(j, 0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, ref_word in enumerate(reference, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hypothesis, start=1):
            diagonal = previous[j - 1]
            if ref_word == hyp_word:
                best = diagonal
            else:
                best = (diagonal[0] + 1, diagonal[1] + 1, diagonal[2], diagonal[3])
            up = previous[j]  # reference word dropped
            if up[0] + 1 < best[0]:
                best = (up[0] + 1, up[1], up[2] + 1, up[3])
            left = current[j - 1]  # hypothesis word inserted
            if left[0] + 1 < best[0]:
                best = (left[0] + 1, left[1], left[2], left[3] + 1)
            current.append(best)
        previous = current
    _, substitutions, deletions, insertions = previous[-1]
    return WordErrors(substitutions, deletions, insertions, len(reference))


def word_errors(reference: str, hypothesis: str, *, keep_fillers: bool = False) -> WordErrors:
    return align(
        normalize(reference, keep_fillers=keep_fillers), normalize(hypothesis, keep_fillers=keep_fillers)
    )


def wer(reference: str, hypothesis: str, *, keep_fillers: bool = False) -> float:
    """The word error rate of `hypothesis` against `reference` (0.0 = perfect; may exceed 1.0)."""
    return word_errors(reference, hypothesis, keep_fillers=keep_fillers).rate


def total(results: Iterable[WordErrors]) -> WordErrors:
    """Pooled over many utterances: all errors over all reference words (not a mean of rates)."""
    summed = NO_ERRORS
    for result in results:
        summed = summed + result
    return summed

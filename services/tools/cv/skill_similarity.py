"""Unknown list items merged with the known skill they name, judged by the packaged sentence-embedding model.

"Coroutines" or "pricing" in a skills list are not forms of the taxonomy, but a known skill's name says the
same thing made specific ("Kotlin Coroutines", "Pricing Strategy"). Similarity alone does not tell the same
skill from a neighbour: on the fixtures and the test set, right and wrong nearest names were interleaved
between 0.75 and 0.80 ("card acquiring" -> "Card Issuing" 0.788, "SwiftUl" -> "Swift" 0.757, but
"Coroutines" -> "Kotlin Coroutines" 0.795). So the candidates are the known skills whose names hold every
word of the item, and the model (all-MiniLM-L6-v2, services/tools/embeddings.py) picks the closest of them
if it is at least MERGE_SIMILARITY close ("regression" is Regression Analysis, not Regression Discontinuity).
A merged item takes that skill's name and category; any other is kept as written, with the category its
line's label gives, or "other". Only a CV's unknown items and their candidates are encoded: a few ms a CV.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from services.tools.cv.skills import Skill, Taxonomy

MERGE_SIMILARITY = 0.75
MAX_CANDIDATES = 40  # an item whose words are in more known names than this is too generic to merge
_MIN_ITEM_CHARS = 4  # "ISO" is not "ISO 9001"
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class SimilarMatch:
    merged: Skill | None  # the known skill the item is
    nearest: str | None  # the closest candidate, merged or not (for measurements)
    similarity: float


class SimilarSkills(Protocol):
    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]: ...


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


class EmbeddingSimilarSkills:
    """The known skill an unknown item specialises, when the embedding model finds it close enough."""

    def __init__(self, encoder: Encoder, taxonomy: Taxonomy, *, merge_at: float = MERGE_SIMILARITY) -> None:
        self._encoder = encoder
        self._merge_at = merge_at
        self._by_word: dict[str, list[Skill]] = {}
        for skill in taxonomy.skills.values():
            for word in set(_words(skill.name)):
                self._by_word.setdefault(word, []).append(skill)

    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]:
        candidates = [self._candidates(name) for name in names]
        texts = list(dict.fromkeys([*names, *(skill.name for found in candidates for skill in found)]))
        if not any(candidates):
            return [SimilarMatch(None, None, 0.0) for _ in names]
        vectors = dict(zip(texts, self._encoder.encode(texts), strict=True))
        return [
            self._best(vectors[name], found, vectors) for name, found in zip(names, candidates, strict=True)
        ]

    def _candidates(self, name: str) -> list[Skill]:
        words = set(_words(name))
        if len(name) < _MIN_ITEM_CHARS or not words:
            return []
        pools = [self._by_word.get(word, []) for word in words]
        shared = set.intersection(*(set(pool) for pool in pools))
        return sorted(shared, key=lambda skill: skill.name) if len(shared) <= MAX_CANDIDATES else []

    def _best(self, vector: np.ndarray, found: list[Skill], vectors: dict[str, np.ndarray]) -> SimilarMatch:
        if not found:
            return SimilarMatch(None, None, 0.0)
        scores = [float(vector @ vectors[skill.name]) for skill in found]
        best = int(np.argmax(scores))
        merged = found[best] if scores[best] >= self._merge_at else None
        return SimilarMatch(merged, found[best].name, scores[best])


class NoSimilarSkills:
    """Every item kept as written (a test of the list rules alone)."""

    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]:
        return [SimilarMatch(None, None, 0.0) for _ in names]


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


@lru_cache(maxsize=2)
def default_similar_skills(taxonomy: Taxonomy) -> SimilarSkills:
    from services.tools.embeddings import default_encoder  # numpy and the weights load only when needed

    return EmbeddingSimilarSkills(default_encoder(), taxonomy)

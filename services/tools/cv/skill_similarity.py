"""Unknown list items mapped to known skills by meaning, with the packaged sentence-embedding model.

"Coroutines" or "pricing" in a skills list are not forms of the taxonomy, but their embedding
(all-MiniLM-L6-v2, services/tools/embeddings.py) lies close to a known skill's name ("Kotlin Coroutines",
"Pricing Strategy"). Similarity alone does not tell the same skill from a neighbour: on the fixtures and the
test set, right and wrong nearest names were interleaved between 0.75 and 0.80 ("card acquiring" -> "Card
Issuing" 0.788, "SwiftUl" -> "Swift" 0.757, but "Coroutines" -> "Kotlin Coroutines" 0.795). So an item is
merged only when it is at least MERGE_SIMILARITY close AND every word of it is a word of the known name
(the known name is the item made specific); its nearest skill's category is lent under the same condition.
Otherwise the item is kept as written, with the category its line's label gives, or "other".

The taxonomy's name vectors take about 8 s to compute (1.7 ms a name on 2 cores), so they are cached on
disk under the model cache (`data/models/skill-vectors/<hash>.npy`, the hash of the names and the model) and
read back in milliseconds; a changed taxonomy gets a new file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from services.tools.cv.skills import Skill, Taxonomy

MERGE_SIMILARITY = 0.75
_MIN_MERGED_CHARS = 4  # "ISO" is not "ISO 9001"


@dataclass(frozen=True)
class SimilarMatch:
    merged: Skill | None  # the known skill the item is, when close enough
    category: str | None  # the nearest known skill's category, when close enough to guess by
    nearest: str | None
    similarity: float


class SimilarSkills(Protocol):
    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]: ...


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


class EmbeddingSimilarSkills:
    """Nearest known skill names by cosine similarity of sentence embeddings."""

    def __init__(
        self,
        encoder: Encoder,
        taxonomy: Taxonomy,
        *,
        merge_at: float = MERGE_SIMILARITY,
        cache_dir: Path | None = None,
    ) -> None:
        self._encoder = encoder
        self._skills = list(taxonomy.skills.values())
        self._vectors = _name_vectors(encoder, [skill.name for skill in self._skills], cache_dir)
        self._merge_at = merge_at

    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]:
        if not names:
            return []
        similarities = self._encoder.encode(list(names)) @ self._vectors.T
        best = similarities.argmax(axis=1)
        matches = []
        for row, column in enumerate(best):
            skill = self._skills[int(column)]
            score = float(similarities[row, column])
            same = score >= self._merge_at and _specialises(names[row], skill.name)
            matches.append(
                SimilarMatch(
                    merged=skill if same else None,
                    category=skill.category if same else None,
                    nearest=skill.name,
                    similarity=score,
                )
            )
        return matches


def _specialises(item: str, known: str) -> bool:
    """ "Kotlin Coroutines" is "Coroutines" made specific; "Card Issuing" is not "card acquiring"."""
    item_words = set(re.findall(r"\w+", item.lower()))
    known_words = set(re.findall(r"\w+", known.lower()))
    return len(item) >= _MIN_MERGED_CHARS and bool(item_words) and item_words <= known_words


def _name_vectors(encoder: Encoder, names: list[str], cache_dir: Path | None) -> np.ndarray:
    if cache_dir is None:
        return encoder.encode(names)
    digest = hashlib.sha256("\n".join([type(encoder).__name__, *names]).encode()).hexdigest()[:20]
    path = cache_dir / f"{digest}.npy"
    try:
        cached: np.ndarray = np.load(path)
        if cached.shape[0] == len(names):
            return cached
    except (OSError, ValueError):
        pass  # not cached yet, or a torn file: compute it again
    vectors = encoder.encode(names)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: replicas starting together never read half a file.
    with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as handle:
        np.save(handle, vectors)
    os.replace(handle.name, path)
    _forget_old_vectors(cache_dir, keep=path)
    return vectors


def _forget_old_vectors(cache_dir: Path, keep: Path, kept: int = 3) -> None:
    """Each taxonomy change writes a new file: keep the newest few, not every version ever seen."""
    older = sorted(cache_dir.glob("*.npy"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in [path for path in older if path != keep][kept - 1 :]:
        path.unlink(missing_ok=True)


class NoSimilarSkills:
    """Every item kept as written (the model is not installed, or a test wants the lists alone)."""

    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]:
        return [SimilarMatch(None, None, None, 0.0) for _ in names]


@lru_cache(maxsize=2)
def default_similar_skills(taxonomy: Taxonomy) -> SimilarSkills:
    from services.tools.embeddings import default_encoder
    from shared.config import Settings

    cache_dir = Settings().model_cache_dir / "skill-vectors"
    return EmbeddingSimilarSkills(default_encoder(), taxonomy, cache_dir=cache_dir)

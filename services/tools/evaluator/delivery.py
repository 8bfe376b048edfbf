"""Delivery from the spoken answers' word timestamps: pace, fillers and long pauses."""

from __future__ import annotations

import itertools
from collections import Counter

from services.tools.evaluator.text import filler_count, tokens
from shared.events import Word
from shared.report import Delivery

LONG_PAUSE_S = 2.0
# A comfortable interview pace; outside it the listener strains (too fast) or drifts (too slow).
PACE_GOOD = (120.0, 170.0)
PACE_LIMITS = (60.0, 240.0)


def delivery_metrics(spoken: list[list[Word]], long_pause_s: float = LONG_PAUSE_S) -> Delivery | None:
    """Metrics over every spoken answer (a list of word timings per answer); None when nothing was spoken."""
    answers = [words for words in spoken if words]
    if not answers:
        return None
    seconds = sum(max(0.0, words[-1].end - words[0].start) for words in answers)
    all_words = [t for words in answers for w in words for t in tokens(w.word)]
    fillers: Counter[str] = Counter()
    pauses = 0
    for words in answers:
        fillers.update(filler_count([t for w in words for t in tokens(w.word)]))
        pauses += sum(1 for a, b in itertools.pairwise(words) if b.start - a.end > long_pause_s)
    minutes = max(seconds / 60, 1 / 60)  # a single word still has a rate
    filler_total = sum(fillers.values())
    return Delivery(
        spoken_answers=len(answers),
        words_per_minute=round(len(all_words) / minutes, 1),
        filler_words_per_minute=round(filler_total / minutes, 2),
        filler_share=round(filler_total / max(1, len(all_words)), 3),
        long_pauses=pauses,
        long_pause_s=long_pause_s,
        top_fillers=dict(fillers.most_common(5)),
    )


def _band(value: float, good: tuple[float, float], limits: tuple[float, float]) -> float:
    """1 inside `good`, falling linearly to 0 at `limits`."""
    if good[0] <= value <= good[1]:
        return 1.0
    if value < good[0]:
        return max(0.0, (value - limits[0]) / (good[0] - limits[0]))
    return max(0.0, (limits[1] - value) / (limits[1] - good[1]))


def delivery_score(delivery: Delivery, spoken_minutes: float) -> float:
    """0-10: pace in the comfortable band, few fillers (10% of words is 0), few long pauses per minute."""
    pace = _band(delivery.words_per_minute, PACE_GOOD, PACE_LIMITS)
    fillers = max(0.0, 1 - delivery.filler_share * 10)
    pauses = max(0.0, 1 - delivery.long_pauses / max(spoken_minutes, 0.5) / 4)
    return round(10 * (0.4 * pace + 0.4 * fillers + 0.2 * pauses), 2)


def spoken_minutes(spoken: list[list[Word]]) -> float:
    return sum(max(0.0, w[-1].end - w[0].start) for w in spoken if w) / 60

"""Percentiles and trends, on plain numbers.

Percentiles are linear-interpolated between the two closest ranks (numpy's default, "type 7"): the
repository reads only the values at those ranks from an index, so no query ships a whole column.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Trend = Literal["improving", "declining", "stable"]
# A fitted change smaller than this (on the 0-10 scale) is noise, not a trend.
STABLE_BELOW = 0.25


@dataclass(frozen=True)
class Rank:
    """Where percentile `p` of `n` sorted values lies: between the values at `lower` and `lower + 1`."""

    lower: int
    fraction: float


def rank(n: int, p: float) -> Rank:
    if n <= 0 or not 0 <= p <= 100:
        raise ValueError(f"no percentile {p} of {n} values")
    position = (n - 1) * p / 100
    lower = math.floor(position)
    return Rank(lower, position - lower)


def interpolate(at: Rank, lower_value: float, upper_value: float | None) -> float:
    """`upper_value`: the value after `lower` (None when `lower` is the last one)."""
    if upper_value is None or at.fraction == 0:
        return lower_value
    return lower_value + (upper_value - lower_value) * at.fraction


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The reference definition (tests compare the repository's figures with it)."""
    at = rank(len(sorted_values), p)
    upper = sorted_values[at.lower + 1] if at.lower + 1 < len(sorted_values) else None
    return interpolate(at, sorted_values[at.lower], upper)


@dataclass(frozen=True)
class DailyScore:
    day_index: int  # days since the window's first day
    average_score: float
    count: int


def fitted_change(points: Sequence[DailyScore]) -> float:
    """The change across the days with data of the least-squares line through the daily averages,
    each day weighted by its number of interviews (a day of one interview moves it little)."""
    if len({p.day_index for p in points}) < 2:
        return 0.0
    weight = sum(p.count for p in points)
    mean_x = sum(p.day_index * p.count for p in points) / weight
    mean_y = sum(p.average_score * p.count for p in points) / weight
    covariance = sum(p.count * (p.day_index - mean_x) * (p.average_score - mean_y) for p in points)
    variance = sum(p.count * (p.day_index - mean_x) ** 2 for p in points)
    span = max(p.day_index for p in points) - min(p.day_index for p in points)
    return covariance / variance * span


def classify(change: float) -> Trend:
    if change >= STABLE_BELOW:
        return "improving"
    if change <= -STABLE_BELOW:
        return "declining"
    return "stable"


@dataclass(frozen=True)
class Summary:
    count: int
    minimum: float
    maximum: float
    mean: float
    percentiles: dict[int, float]


def summarize(histogram: Sequence[tuple[float, int]], ps: Sequence[int]) -> Summary | None:
    """The figures of the values a histogram holds ((value, count) pairs, ascending values), exactly as
    if the values were listed one by one; None when it holds none."""
    pairs = [(value, n) for value, n in histogram if n > 0]
    if not pairs:
        return None
    cumulative = list(itertools.accumulate(n for _, n in pairs))
    total = cumulative[-1]

    def value_at(index: int) -> float:  # the index-th value (0-based) of the listed values
        return pairs[bisect.bisect_right(cumulative, index)][0]

    found = {}
    for p in ps:
        at = rank(total, p)
        upper = value_at(at.lower + 1) if at.lower + 1 < total else None
        found[p] = interpolate(at, value_at(at.lower), upper)
    return Summary(
        count=total,
        minimum=pairs[0][0],
        maximum=pairs[-1][0],
        mean=sum(value * n for value, n in pairs) / total,
        percentiles=found,
    )

"""Load time and median encode time of the numpy all-MiniLM-L6-v2 encoder on short skill-like names.

Run from the repository root: .venv/bin/python -m bench.embeddings [--repeat 5] [--batch-size 64]
The names are 1-6 words drawn from a fixed vocabulary with a fixed seed, all distinct (the encoder runs
each distinct text once, so repeats would flatter it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from services.tools.embeddings import SentenceEncoder

_VOCABULARY = (
    "python java kotlin scala rust go typescript javascript react angular vue node django flask spring "
    "kubernetes docker terraform ansible helm aws azure gcp lambda postgres mysql redis kafka spark airflow "
    "pandas numpy pytorch tensorflow machine learning deep data engineering analytics pipelines cloud "
    "security networking linux testing automation agile scrum product management design systems "
    "distributed databases graphql rest api microservices observability monitoring excel tableau figma"
)
SIZES = (1, 100, 4000)


def skill_names(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = _VOCABULARY.split()
    names: dict[str, None] = {}
    while len(names) < count:
        names[" ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))] = None
    return list(names)


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, batch size {args.batch_size}, median of {args.repeat} runs")

    started = time.perf_counter()
    encoder = SentenceEncoder.load()  # the first load also reads the weights into the page cache
    print(f"load (first): {(time.perf_counter() - started) * 1000:8.0f} ms")
    load = _median_seconds(SentenceEncoder.load, args.repeat)
    print(f"load (median): {load * 1000:7.0f} ms")

    names = skill_names(max(SIZES))
    encoder.encode(names[:100], batch_size=args.batch_size)  # warm-up: BLAS threads, allocator
    print(f"{'names':>6} {'median':>10} {'per name':>10} {'names/s':>8}")
    for size in SIZES:
        batch = names[:size]
        seconds = _median_seconds(partial(encoder.encode, batch, batch_size=args.batch_size), args.repeat)
        print(f"{size:6d} {seconds * 1000:7.1f} ms {seconds / size * 1000:7.2f} ms {size / seconds:8.0f}")


if __name__ == "__main__":
    main()

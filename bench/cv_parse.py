"""Median CV parse time per format, in process and in the isolated child.

Run from the repository root: .venv/bin/python -m bench.cv_parse [--repeat 5]
Uses the committed fixtures in tests/tools/cv/fixtures (text PDFs, DOCX, TXT, a scanned PDF for OCR).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from services.tools.cv import IsolatedCvParser, analyze_cv

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "tools" / "cv" / "fixtures"
GROUPS = {
    "txt": ["plain.txt", "holdout/fullstack.txt"],
    "docx": ["table_layout.docx", "manager.docx", "holdout/data_scientist.docx"],
    "pdf (text layer)": ["one_column.pdf", "two_column.pdf", "european_dates.pdf", "cloud_architect.pdf"],
    "pdf (scanned, OCR)": ["scanned.pdf", "holdout/scanned_devops.pdf"],
}


def _time_in_process(path: Path, repeat: int) -> list[float]:
    data = path.read_bytes()
    analyze_cv(path.name, data)  # warm-up: imports, taxonomy compilation
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        analyze_cv(path.name, data)
        timings.append(time.perf_counter() - started)
    return timings


async def _time_isolated(parser: IsolatedCvParser, name: str, data: bytes, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        await parser.analyze(name, data)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # The isolated child always sets OMP_THREAD_LIMIT=1 for tesseract; in process it is inherited.
    print(f"OMP_THREAD_LIMIT in this process: {os.environ.get('OMP_THREAD_LIMIT', 'unset')}")
    isolated_parser = IsolatedCvParser()
    isolated_parser.start()
    print(f"{'format':20} {'files':>5} {'in-process median':>18} {'isolated median':>16}")
    for label, names in GROUPS.items():
        paths = [FIXTURES / name for name in names]
        in_process = [t for path in paths for t in _time_in_process(path, args.repeat)]
        isolated = [
            t
            for path in paths
            for t in asyncio.run(_time_isolated(isolated_parser, path.name, path.read_bytes(), args.repeat))
        ]
        print(
            f"{label:20} {len(paths):5d} {statistics.median(in_process) * 1000:15.0f} ms "
            f"{statistics.median(isolated) * 1000:13.0f} ms"
        )


if __name__ == "__main__":
    main()

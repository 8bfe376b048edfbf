"""Code runner latency and throughput.

    .venv/bin/python -m bench.code_runner [--runs 25] [--seconds 10] [--workers 2]

Measures, through the public `CodeRunner.run` (policy check, sandbox, harness, judging):
- the median (and p90) latency of a Python function-style run with 10 tests;
- the runs per second that `--workers` concurrent callers sustain for `--seconds`;
- the same latency for JavaScript (function and stdin style), and for Java and C++ both cold
  (a source never seen, so it compiles) and warm (the compile cache hit).
Figures are printed and written to bench/results/code_runner.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from services.tools.runner import CodeRunner, RunnerConfig, RunRequest, TestCase

PYTHON_TWO_SUM = """
def solution(nums, target):
    seen = {}
    for index, value in enumerate(nums):
        if target - value in seen:
            return [seen[target - value], index]
        seen[value] = index
    return []
"""
JS_TWO_SUM = """
function solution(nums, target) {
  const seen = new Map();
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
    seen.set(nums[i], i);
  }
  return [];
}
"""
JS_STDIN = "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n"
JAVA_STDIN = """import java.util.*;
public class Main {
  public static void main(String[] args) {
    Scanner in = new Scanner(System.in);
    long a = in.nextLong(), b = in.nextLong();
    System.out.println(a + b); // NONCE
  }
}
"""
CPP_STDIN = '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; } // NONCE\n'


def two_sum_tests() -> list[TestCase]:
    tests = []
    for size in range(1, 11):
        nums = list(range(size * 10))
        target = nums[-1] + nums[-2]
        tests.append(
            TestCase(input=json.dumps([nums, target]), expected=json.dumps([len(nums) - 2, len(nums) - 1]))
        )
    return tests


def stdin_tests() -> list[TestCase]:
    return [TestCase(stdin=f"{i} {i * 2}\n", expected_stdout=str(i * 3)) for i in range(10)]


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "min_ms": round(ordered[0], 1),
        "runs": len(ordered),
    }


async def timed(runner: CodeRunner, request: RunRequest) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await runner.run(request)
    if result.verdict != "accepted":
        raise RuntimeError(f"benchmark run failed: {result.verdict} {result.error} {result.test_results[0]}")
    return (time.perf_counter() - started) * 1000, result


async def latency(runner: CodeRunner, make: Any, runs: int) -> dict[str, float]:
    await timed(runner, make())  # warm-up (file cache, first compile)
    return summary([(await timed(runner, make()))[0] for _ in range(runs)])


async def throughput(
    runner: CodeRunner, request: RunRequest, workers: int, seconds: float
) -> dict[str, float]:
    deadline = time.perf_counter() + seconds
    done = 0

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await timed(runner, request)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    elapsed = time.perf_counter() - started
    return {
        "runs": done,
        "seconds": round(elapsed, 2),
        "runs_per_s": round(done / elapsed, 1),
        "workers": workers,
    }


async def compiled(runner: CodeRunner, language: str, source: str, runs: int) -> dict[str, Any]:
    cold = []
    for _ in range(max(3, runs // 5)):
        code = source.replace("NONCE", uuid.uuid4().hex)
        elapsed, result = await timed(runner, RunRequest(language=language, code=code, tests=stdin_tests()))  # type: ignore[arg-type]
        assert result.compile_cache_hit is False
        cold.append(elapsed)
    code = source.replace("NONCE", "warm")
    await timed(runner, RunRequest(language=language, code=code, tests=stdin_tests()))  # type: ignore[arg-type]
    warm, compile_ms = [], []
    for _ in range(runs):
        elapsed, result = await timed(runner, RunRequest(language=language, code=code, tests=stdin_tests()))  # type: ignore[arg-type]
        assert result.compile_cache_hit is True
        warm.append(elapsed)
        compile_ms.append(result.compile_time_ms or 0.0)
    return {
        "cold_compile_and_10_tests": summary(cold),
        "cache_hit_and_10_tests": summary(warm),
        "cache_lookup_ms_median": round(statistics.median(compile_ms), 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    runner = CodeRunner(RunnerConfig(max_concurrent_runs=args.workers))
    python_request = RunRequest(
        language="python", code=PYTHON_TWO_SUM, function_name="solution", tests=two_sum_tests()
    )
    figures: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    figures["python_function_10_tests"] = await latency(runner, lambda: python_request, args.runs)
    print("python, 10 tests:", figures["python_function_10_tests"], flush=True)
    figures["python_throughput"] = await throughput(runner, python_request, args.workers, args.seconds)
    print("python throughput:", figures["python_throughput"], flush=True)
    # The usual shape of a submission: a few sample tests and hidden ones (two sandbox sessions).
    mixed = [test.model_copy(update={"hidden": index >= 3}) for index, test in enumerate(two_sum_tests())]
    mixed_request = RunRequest(language="python", code=PYTHON_TWO_SUM, function_name="solution", tests=mixed)
    figures["python_function_3_samples_7_hidden"] = await latency(runner, lambda: mixed_request, args.runs)
    print("python, 3 samples + 7 hidden:", figures["python_function_3_samples_7_hidden"], flush=True)
    js_request = RunRequest(
        language="javascript", code=JS_TWO_SUM, function_name="solution", tests=two_sum_tests()
    )
    figures["javascript_function_10_tests"] = await latency(runner, lambda: js_request, args.runs)
    print("javascript function, 10 tests:", figures["javascript_function_10_tests"], flush=True)
    js_stdin = RunRequest(language="javascript", code=JS_STDIN, tests=stdin_tests())
    figures["javascript_stdin_10_tests"] = await latency(runner, lambda: js_stdin, max(5, args.runs // 3))
    print("javascript stdin, 10 tests:", figures["javascript_stdin_10_tests"], flush=True)
    for language, source in (("java", JAVA_STDIN), ("cpp", CPP_STDIN)):
        figures[f"{language}_stdin"] = await compiled(runner, language, source, max(5, args.runs // 3))
        print(f"{language}:", figures[f"{language}_stdin"], flush=True)
    write_results(figures)
    print(json.dumps(figures, indent=2))


def write_results(figures: dict[str, Any]) -> None:
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "code_runner.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main())

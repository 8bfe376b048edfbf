"""What the tools service serves of the bank: summaries, the public view of one problem (the contract's
models in `shared.tools_api`), hints, and runner-ready tests and limits."""

from __future__ import annotations

import json
from typing import Any, Literal

from services.tools.problems.harness import starter_code
from services.tools.problems.loader import ProblemBank
from services.tools.problems.models import TAGS, ConcreteTest, Problem
from services.tools.problems.stdio import stdin_text, stdout_text
from shared.errors import DomainError
from shared.tools_api import (
    Difficulty,
    FunctionSignature,
    ProblemExample,
    ProblemSummary,
    ProblemView,
    SampleTest,
    StdioFormat,
    TargetComplexity,
)
from shared.tools_api import Param as ParamView

TestStyle = Literal["function", "stdio"]

MIB = 1024 * 1024
# The runner caps a test's stdout (or returned value) at 1 MiB unless told otherwise; some answers
# here are lists of 10^5 large numbers, so the cap is sized from the biggest expected answer.
DEFAULT_OUTPUT_CAP = MIB
MAX_OUTPUT_CAP = 16 * MIB
MAX_TOTAL_TIME_S = 120.0


def summary(problem: Problem) -> ProblemSummary:
    return ProblemSummary(
        id=problem.id,
        title=problem.title,
        difficulty=problem.difficulty,
        tags=list(problem.tags),
        function_name=problem.python.function_name,
    )


def list_problems(
    bank: ProblemBank, tag: str | None = None, difficulty: Difficulty | None = None
) -> list[ProblemSummary]:
    """Public summaries, optionally filtered; an unknown tag is a DomainError naming the known ones."""
    if tag is not None and tag not in TAGS:
        raise DomainError(f"Unknown tag {tag!r}; known tags: {', '.join(TAGS)}.", fields=["tag"])
    return [
        summary(problem)
        for problem in bank.problems()
        if (tag is None or tag in problem.tags) and (difficulty is None or problem.difficulty == difficulty)
    ]


def _named_args(problem: Problem, args: list[Any]) -> dict[str, Any]:
    return {param.name: value for param, value in zip(problem.params, args, strict=True)}


def _sample_tests(problem: Problem) -> list[SampleTest]:
    samples: list[tuple[list[Any], Any]] = [(example.args, example.output) for example in problem.examples]
    samples += [(test.args, test.expected) for test in problem.tests if test.sample and test.args is not None]
    param_types = [param.type for param in problem.params]
    return [
        SampleTest(
            input=args,
            expected=expected,
            stdin=stdin_text(param_types, args),
            expected_stdout=stdout_text(problem.returns, expected),
        )
        for args, expected in samples
    ]


def _signature(problem: Problem, language: Literal["python", "javascript"]) -> FunctionSignature:
    signature = problem.python if language == "python" else problem.javascript
    return FunctionSignature(**signature.model_dump(), starter_code=starter_code(problem, language))


def public_view(problem: Problem) -> ProblemView:
    """Everything a candidate may see: no solutions, no hint texts, no hidden test inputs."""
    samples = _sample_tests(problem)
    return ProblemView(
        **summary(problem).model_dump(),
        statement=problem.statement,
        examples=[
            ProblemExample(input=_named_args(problem, ex.args), output=ex.output, explanation=ex.explanation)
            for ex in problem.examples
        ],
        constraints=list(problem.constraints),
        target_complexity=TargetComplexity(**problem.complexity.model_dump()),
        params=[ParamView(name=param.name, type=param.type) for param in problem.params],
        returns=problem.returns,
        python=_signature(problem, "python"),
        javascript=_signature(problem, "javascript"),
        stdio=StdioFormat(**problem.stdio.model_dump()),
        hints_count=len(problem.hints),
        time_limit_s=problem.time_limit_s,
        sample_tests=samples,
        hidden_test_count=len(problem.examples) + len(problem.tests) - len(samples),
    )


def hint(problem: Problem, level: int) -> str:
    """Hint `level` (1 = gentlest, 3 = nearly the approach)."""
    if not 1 <= level <= len(problem.hints):
        raise ValueError(f"hint level must be between 1 and {len(problem.hints)}")
    return problem.hints[level - 1]


def runner_tests(problem: Problem, tests: list[ConcreteTest], style: TestStyle) -> list[dict[str, Any]]:
    """Every test (samples first, hidden ones flagged) as keyword arguments for the runner's TestCase.

    `tests` are the problem's expanded tests (`ProblemBank.expanded_tests`). Function style: `input`
    is the JSON list of arguments (linked lists and trees as lists; wrap the code with
    `harness.function_submission` for those problems). Stdio style: plain text.
    """
    if style == "function":
        return [{"input": t.args, "expected": t.expected, "hidden": not t.sample} for t in tests]
    param_types = [param.type for param in problem.params]
    return [
        {
            "stdin": stdin_text(param_types, t.args),
            "expected_stdout": stdout_text(problem.returns, t.expected),
            "hidden": not t.sample,
        }
        for t in tests
    ]


def runner_limits(problem: Problem, tests: list[ConcreteTest]) -> dict[str, Any]:
    """Keyword arguments for the runner's RunLimits that fit this problem's (expanded) tests.

    CPU time per test is the problem's limit; the wall clock gets headroom for a busy machine
    (CPU time is what decides a time-limit verdict); the output cap leaves room for the largest
    expected answer printed less compactly than ours (e.g. with spaces after commas).
    """
    largest = max(
        max(len(json.dumps(t.expected)), len(stdout_text(problem.returns, t.expected))) for t in tests
    )
    return {
        "cpu_time_s": problem.time_limit_s,
        "wall_time_s": max(4.0, 3 * problem.time_limit_s),
        # Room for every test to use its full CPU time (the runner's default budget is 20 s).
        "total_time_s": min(MAX_TOTAL_TIME_S, problem.time_limit_s * len(tests) + 10),
        "max_output_bytes": min(MAX_OUTPUT_CAP, max(DEFAULT_OUTPUT_CAP, 2 * largest + 4096)),
    }

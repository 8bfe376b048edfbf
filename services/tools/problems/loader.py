"""The problem bank: one YAML file per problem in `bank/`, validated, signatures derived.

`ProblemBank.load()` reads and validates every file once (the tools service does it at start-up).
Generated tests are expanded lazily (per problem, on first use) because their inputs are large and
their expected answers come from running the reference solution.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from services.tools.problems.generators import generate_args
from services.tools.problems.harness import camel_case
from services.tools.problems.models import ConcreteTest, Problem, TestSpec
from services.tools.problems.solutions import call_function, load_function
from services.tools.problems.stdio import describe_input, describe_output
from services.tools.problems.valuetypes import JAVASCRIPT_HINTS, PYTHON_HINTS, check_value
from shared.errors import NotFound
from shared.question_bank import Question

BANK_DIR = Path(__file__).resolve().parent / "bank"

# Expanded tests of all 42 problems take about 250 MB of Python objects; an interview uses one
# problem at a time, so only the most recently used ones stay expanded.
EXPANDED_CACHE_LIMIT = 12


class BankError(ValueError):
    """A problem file is invalid; the message names the file (a deployment error, not a request's)."""


class ProblemNotFound(NotFound):
    code = "problem_not_found"

    def __init__(self, problem_id: str) -> None:
        super().__init__(f"No problem with id {problem_id!r}.", fields=["problemId"])
        self.problem_id = problem_id


def _python_signature(raw: dict[str, Any]) -> str:
    params = ", ".join(f"{p['name']}: {PYTHON_HINTS[p['type']]}" for p in raw["params"])
    return f"def {raw['function_name']}({params}) -> {PYTHON_HINTS[raw['returns']]}:"


def _javascript_signature(raw: dict[str, Any], function_name: str) -> str:
    lines = ["/**"]
    lines += [f" * @param {{{JAVASCRIPT_HINTS[p['type']]}}} {camel_case(p['name'])}" for p in raw["params"]]
    lines += [f" * @return {{{JAVASCRIPT_HINTS[raw['returns']]}}}", " */"]
    names = ", ".join(camel_case(p["name"]) for p in raw["params"])
    return "\n".join(lines) + f"\nfunction {function_name}({names})"


def parse_problem(raw: dict[str, Any]) -> Problem:
    """Validate one problem's raw data and add what is derived from its signature."""
    data = dict(raw)
    python_name = data.pop("function_name")
    javascript_name = data.pop("javascript_function_name", None) or camel_case(python_name)
    data["python"] = {"function_name": python_name, "signature": _python_signature(raw)}
    data["javascript"] = {
        "function_name": javascript_name,
        "signature": _javascript_signature(raw, javascript_name),
    }
    data["stdio"] = {
        "input_format": describe_input([(p["name"], p["type"]) for p in raw["params"]]),
        "output_format": describe_output(raw["returns"]),
    }
    return Problem.model_validate(data)


def load_problem_file(path: Path) -> Problem:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        problem = parse_problem(raw)
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise BankError(f"{path.name}: {error}") from error
    if problem.id != path.stem:
        raise BankError(f"{path.name}: the id {problem.id!r} must match the file name")
    return problem


class ProblemBank:
    """Every problem of the bank, validated, and the expanded tests of the most recently used ones.

    Thread-safe: tests are expanded in worker threads (it costs up to a second of CPU).
    """

    def __init__(
        self, problems: Iterable[Problem], *, expanded_cache_limit: int = EXPANDED_CACHE_LIMIT
    ) -> None:
        self._problems = {problem.id: problem for problem in sorted(problems, key=lambda p: p.id)}
        self._expanded: OrderedDict[str, tuple[ConcreteTest, ...]] = OrderedDict()
        self._expanded_cache_limit = expanded_cache_limit
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls, folder: Path = BANK_DIR, *, expanded_cache_limit: int = EXPANDED_CACHE_LIMIT
    ) -> ProblemBank:
        """Read and validate every `*.yaml` in `folder`; a bad file is a BankError naming it."""
        problems = [load_problem_file(path) for path in sorted(folder.glob("*.yaml"))]
        return cls(problems, expanded_cache_limit=expanded_cache_limit)

    def __len__(self) -> int:
        return len(self._problems)

    def problems(self) -> list[Problem]:
        """Every problem, sorted by id."""
        return list(self._problems.values())

    def get(self, problem_id: str) -> Problem:
        try:
            return self._problems[problem_id]
        except KeyError:
            raise ProblemNotFound(problem_id) from None

    def expanded_tests(self, problem: Problem) -> list[ConcreteTest]:
        """All tests of a problem with inputs generated and expected answers filled in (cached)."""
        with self._lock:
            cached = self._expanded.get(problem.id)
            if cached is None:
                with _collector_paused():
                    cached = _expand(problem)
                self._expanded[problem.id] = cached
            self._expanded.move_to_end(problem.id)
            while len(self._expanded) > self._expanded_cache_limit:
                self._expanded.popitem(last=False)
            return list(cached)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building 10^5 small lists triggers the cyclic garbage collector over and over (it tripled
    the expansion time); the tests and solutions here create no reference cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _generated_args(problem: Problem, spec: TestSpec, name: str) -> list[Any]:
    assert spec.generate is not None
    args = generate_args(spec.generate)
    for param, value in zip(problem.params, args, strict=True):
        check_value(value, param.type, f"{problem.id} {name} argument {param.name}")
    return args


def _expand(problem: Problem) -> tuple[ConcreteTest, ...]:
    reference = load_function(problem, problem.reference_solution, "reference")
    tests = [
        ConcreteTest(
            name=f"example {i}", args=example.args, expected=example.output, sample=True, large=False
        )
        for i, example in enumerate(problem.examples, start=1)
    ]
    for number, spec in enumerate(problem.tests, start=1):
        name = f"test {number}" + (f" ({spec.note})" if spec.note else "")
        args = spec.args if spec.args is not None else _generated_args(problem, spec, name)
        expected = spec.expected if spec.has_expected else call_function(problem, reference, args)
        check_value(expected, problem.returns, f"{problem.id} {name} expected")
        tests.append(
            ConcreteTest(name=name, args=args, expected=expected, sample=spec.sample, large=spec.large)
        )
    return tuple(tests)


def check_question_problems(questions: Iterable[Question], bank: ProblemBank) -> None:
    """Every coding question of the interviewer's bank names a problem of this bank, with tests: the
    problem handed out when the question is asked, whose tests judge the candidate's runs."""
    known = {problem.id: problem for problem in bank.problems()}
    for question in questions:
        if question.problem_id is None:
            continue
        problem = known.get(question.problem_id)
        if problem is None:
            raise BankError(
                f"question {question.id!r}: no problem {question.problem_id!r} in the problem bank"
            )
        if not problem.tests:
            raise BankError(f"question {question.id!r}: problem {question.problem_id!r} has no tests")

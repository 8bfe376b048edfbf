"""The problem bank's data model: what one YAML file in `bank/` holds once loaded and validated."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.tools.problems.valuetypes import ValueType, check_value

Difficulty = Literal["easy", "medium", "hard"]
Tag = Literal[
    "arrays",
    "strings",
    "hash-map",
    "two-pointers",
    "sliding-window",
    "stack",
    "linked-list",
    "tree",
    "graph",
    "bfs",
    "dfs",
    "topological-sort",
    "heap",
    "intervals",
    "binary-search",
    "greedy",
    "dynamic-programming",
]
TAGS: tuple[str, ...] = get_args(Tag)
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
MIN_TESTS = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Param(_Strict):
    name: str = Field(pattern=SNAKE_CASE.pattern)
    type: ValueType


class Example(_Strict):
    args: list[Any]
    output: Any
    explanation: str = Field(min_length=1)


class GeneratorSpec(BaseModel):
    """A seeded generator from `generators.py`; every other key is a keyword argument for it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    fn: str
    seed: int

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class TestSpec(_Strict):
    """One test as written in the bank: literal `args`, or a `generate` recipe expanded at load time.

    Without `expected`, the expected answer is computed from the reference solution when the test is
    expanded (needed for large generated inputs, whose answers are large too).
    """

    args: list[Any] | None = None
    generate: GeneratorSpec | None = None
    expected: Any = None
    sample: bool = False
    large: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TestSpec:
        if (self.args is None) == (self.generate is None):
            raise ValueError("a test has either `args` or `generate`")
        return self

    @property
    def has_expected(self) -> bool:
        return "expected" in self.model_fields_set


class Complexity(_Strict):
    time: str
    space: str


class LanguageSignature(_Strict):
    function_name: str
    signature: str


class StdioForm(_Strict):
    input_format: str
    output_format: str


class Problem(_Strict):
    id: str = Field(pattern=SLUG.pattern)
    title: str = Field(min_length=3)
    difficulty: Difficulty
    tags: list[Tag] = Field(min_length=1)
    statement: str = Field(min_length=40)
    params: list[Param] = Field(min_length=1)
    returns: ValueType
    examples: list[Example] = Field(min_length=1)
    constraints: list[str] = Field(min_length=1)
    complexity: Complexity
    python: LanguageSignature
    javascript: LanguageSignature
    stdio: StdioForm
    hints: list[str] = Field(min_length=3, max_length=3)
    reference_solution: str
    naive_solution: str | None = None
    # False where no brute force is meaningfully slower than the intended solution on the large case.
    naive_fails_large: bool = True
    time_limit_s: float = Field(ge=0.5, le=5.0)
    tests: list[TestSpec]

    @model_validator(mode="after")
    def _consistent(self) -> Problem:
        if len(set(self.tags)) != len(self.tags):
            raise ValueError("tags repeat")
        if not SNAKE_CASE.match(self.python.function_name):
            raise ValueError("the Python function name must be snake_case")
        if not CAMEL_CASE.match(self.javascript.function_name):
            raise ValueError("the JavaScript function name must be camelCase")
        if self.naive_fails_large and not self.naive_solution:
            raise ValueError("naive_fails_large needs a naive_solution")
        if len(self.examples) + len(self.tests) < MIN_TESTS:
            raise ValueError(f"at least {MIN_TESTS} tests (examples count) are needed")
        if not any(test.large for test in self.tests):
            raise ValueError("at least one large test is needed")
        for position, example in enumerate(self.examples):
            self._check_args(example.args, f"example {position + 1}")
            check_value(example.output, self.returns, f"example {position + 1} output")
        for position, test in enumerate(self.tests):
            if test.args is not None:
                self._check_args(test.args, f"test {position + 1}")
            if test.has_expected:
                check_value(test.expected, self.returns, f"test {position + 1} expected")
            if test.sample and (test.args is None or not test.has_expected or test.large):
                # Samples are shown to candidates without expanding generators or running solutions.
                raise ValueError(
                    f"test {position + 1}: a sample test needs literal args and expected, not large"
                )
        return self

    def _check_args(self, args: list[Any], where: str) -> None:
        if len(args) != len(self.params):
            raise ValueError(f"{where}: {len(args)} arguments for {len(self.params)} parameters")
        for param, value in zip(self.params, args, strict=True):
            check_value(value, param.type, f"{where} argument {param.name}")


class ConcreteTest(_Strict):
    """A test with its inputs and expected answer filled in, ready to run."""

    name: str
    args: list[Any]
    expected: Any
    sample: bool
    large: bool

"""Comparisons, the argument rule, value conversion and error summaries (no sandbox needed)."""

from __future__ import annotations

import math

import pytest

from services.tools.runner.harness.python_harness import call_arguments, to_jsonable
from services.tools.runner.judge import first_error_lines, json_equal, normalize_stdout, stdout_matches
from services.tools.runner.languages.base import parse_json_text
from services.tools.runner.runner import node_syntax_error


def one(arr):
    return arr


def two(nums, target):
    return nums, target


def with_default(nums, k=1):
    return nums, k


class Solution:
    def method(self, nums, target):
        return nums, target


@pytest.mark.parametrize(
    "function,value,arguments",
    [
        (one, [3, 1, 2], [[3, 1, 2]]),  # the seeds: a list that is not the arity -> the one argument
        (one, [[3, 1, 2]], [[3, 1, 2]]),  # a one-element list -> spread
        (one, [5], [5]),  # documented ambiguity: [5] spreads; send [[5]] for a list
        (one, 7, [7]),
        (two, [[1, 2], 3], [[1, 2], 3]),
        (with_default, [[1]], [[1]]),
        (with_default, [[1], 2], [[1], 2]),
        (Solution().method, [[1], 2], [[1], 2]),
        (sorted, [3, 1], [[3, 1]]),  # builtins count as one parameter
    ],
)
def test_argument_rule(function, value, arguments) -> None:
    assert call_arguments(function, value) == arguments


def test_seed_strings_are_parsed_as_json() -> None:
    assert parse_json_text("[3,1,2]") == [3, 1, 2]
    assert parse_json_text('"abc"') == "abc"
    assert parse_json_text("not json") == "not json"
    assert parse_json_text([1]) == [1]


@pytest.mark.parametrize(
    "expected,actual,equal",
    [
        ([1, 2, 3], [1, 2, 3], True),
        ([1, 2, 3], [1, 3, 2], False),
        (0.1 + 0.2, 0.3, True),
        (1.0, 1.000002, False),
        (2, 2.0, True),
        (True, 1, False),
        (None, None, True),
        ({"a": [1.0]}, {"a": [1.0000001]}, True),
        ({"a": 1}, {"b": 1}, False),
        ("1", 1, False),
        (math.nan, math.nan, True),
        ([[]], [[]], True),
    ],
)
def test_json_equality(expected, actual, equal) -> None:
    assert json_equal(expected, actual) is equal


def test_stdout_comparison_ignores_trailing_whitespace_only() -> None:
    assert normalize_stdout("1 2  \r\n3\n\n\n") == "1 2\n3"
    assert stdout_matches("6", "6\n")
    assert not stdout_matches("1 2", "1  2")
    assert not stdout_matches("a\nb", "a\n\nb")


def test_return_values_become_json() -> None:
    assert to_jsonable((1, (2, 3))) == [1, [2, 3]]
    assert to_jsonable({3, 1, 2}) == [1, 2, 3]
    assert to_jsonable({1: "a", None: 2}) == {"1": "a", "null": 2}
    assert to_jsonable(b"hi") == "hi"
    assert to_jsonable(object()).startswith("<object object")


@pytest.mark.parametrize(
    "stderr,summary",
    [
        (
            'Exception in thread "main" java.lang.ArithmeticException: / by zero\n\tat Main.main(Main.java:4)\n',
            "java.lang.ArithmeticException: / by zero",
        ),
        (
            "/task/main.js:2\nnull.foo();\n     ^\n\nTypeError: Cannot read properties of null\n    at Object.<anonymous>",
            "TypeError: Cannot read properties of null",
        ),
        (
            "terminate called after throwing an instance of 'std::out_of_range'\n  what():  vector::_M_range_check\n",
            "terminate called after throwing an instance of 'std::out_of_range' what():  vector::_M_range_check",
        ),
        ("something odd\nhappened\n", "something odd\nhappened"),
    ],
)
def test_crash_reports_are_summarised(stderr: str, summary: str) -> None:
    assert first_error_lines(stderr) == summary


def test_node_syntax_errors_keep_the_line_and_excerpt() -> None:
    stderr = "/task/main.js:3\nfunction ( {\n^^^^^^^^\n\nSyntaxError: Function statements require a function name\n    at wrapSafe"
    error = node_syntax_error(stderr)
    assert error["line"] == 3
    assert (
        error["message"] == "SyntaxError: Function statements require a function name\nfunction ( {\n^^^^^^^^"
    )

"""The Python policy: ordinary interview code passes; the usual tricks are refused with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.tools.runner.python_policy import ALLOWED_MODULES, check_python

ORDINARY = """
from __future__ import annotations
import collections, heapq, itertools, functools, math, bisect, re
from typing import List, Optional
from dataclasses import dataclass
import sys

sys.setrecursionlimit(10 ** 6)


@dataclass
class Point:
    x: int
    y: int


class ListNode:
    def __init__(self, val: int = 0, next: Optional["ListNode"] = None) -> None:
        self.val = val
        self.next = next
        self._seen = set()

    def __lt__(self, other: "ListNode") -> bool:
        return self.val < other.val


class Child(ListNode):
    def __init__(self) -> None:
        super().__init__(1)


def solution(grid: List[List[int]]) -> int:
    dp = [[0] * len(grid[0]) for _ in grid]
    dp[0][0] += grid[0][0]
    total = 0

    def _visit(i: int) -> None:
        nonlocal total
        total += i

    for i, row in enumerate(grid):
        _visit(i)
    counts: dict[int, int] = collections.Counter(x for row in grid for x in row)
    match counts.most_common(1):
        case [(value, count)] if count > 1:
            total += value
        case _:
            pass
    print("debug", total, file=sys.stderr)
    return max(total, heapq.nlargest(1, [1])[0], getattr(Point(1, 2), "x"))


if __name__ == "__main__":
    print(solution([[1]]))
"""


def test_ordinary_interview_code_passes() -> None:
    report = check_python(ORDINARY)
    assert report.ok, report.violations


def test_the_problem_bank_preludes_pass() -> None:
    """The problem bank pastes these modules in front of candidates' code."""
    problems = Path(__file__).resolve().parents[3] / "services" / "tools" / "problems"
    for name in ("structures.py", "textio.py"):
        path = problems / name
        if path.exists():
            assert check_python(path.read_text()).ok, name


@pytest.mark.parametrize(
    "code,reason",
    [
        ("x = ().__class__.__bases__", 'Line 1: ".__bases__": attributes with double underscores'),
        ("import os", 'Line 1: import of "os" is not allowed'),
        ("from subprocess import run", 'Line 1: import of "subprocess" is not allowed'),
        ("import importlib", 'import of "importlib" is not allowed'),
        ("from . import helper", "Relative imports are not allowed"),
        ("y = 1\neval('1 + 1')", 'Line 2: "eval" is not available'),
        ("exec('x = 1')", '"exec" is not available'),
        ("f = open('/etc/passwd')", '"open" is not available'),
        ("print(globals())", '"globals" is not available'),
        ("compile('1', 'x', 'eval')", '"compile" is not available'),
        ("__import__('os')", '"__import__": names with double underscores'),
        ("x = __builtins__", '"__builtins__": names with double underscores'),
        ("getattr(1, '__class__')", 'getattr(..., "__class__"): this attribute is not allowed'),
        ("def g():\n    yield 1\nx = g().gi_frame", '".gi_frame": frame, code and generator internals'),
        ("import typing\nm = typing.sys", '".sys": reaching other modules through attributes'),
        ("import random\nm = random._os", '"._os": reaching other modules'),
        ("async def f():\n    pass", "AsyncFunctionDef statements are not allowed"),
        ("class A(metaclass=type):\n    pass", "Metaclasses are not allowed"),
        ("def __secret__():\n    pass", '"__secret__": names with double underscores'),
    ],
)
def test_refusals_name_the_line_and_the_reason(code: str, reason: str) -> None:
    report = check_python(code)
    assert not report.ok
    assert any(reason in violation for violation in report.violations), report.violations
    assert report.message().startswith("The code was not run: the Python policy refuses it.")


def test_syntax_errors_are_reported_as_such() -> None:
    report = check_python("def f(:\n    pass\n")
    assert report.syntax_error == "Line 1: SyntaxError: invalid syntax"
    assert report.syntax_error_line == 1 and report.violations == []


def test_documented_modules_are_allowed() -> None:
    required = {
        "collections",
        "heapq",
        "itertools",
        "functools",
        "math",
        "bisect",
        "re",
        "typing",
        "dataclasses",
    }
    assert required <= ALLOWED_MODULES
    assert (
        not {"os", "sys_module", "subprocess", "socket", "importlib", "ctypes", "threading"} & ALLOWED_MODULES
    )


def test_many_violations_are_capped() -> None:
    code = "\n".join(f"import os{index}" for index in range(30))
    report = check_python(code)
    assert len(report.violations) == 21 and report.violations[-1] == "... and 10 more."


def test_a_misplaced_future_import_is_a_syntax_error_not_a_crash() -> None:
    report = check_python("x = 1\nfrom __future__ import annotations\n")
    assert report.syntax_error and "Line 2" in report.syntax_error

"""Running the bank's own Python solutions in-process (trusted code written with the bank).

Used to compute expected answers of generated tests and to cross-check reference and naive
solutions. Candidate code never comes here: it goes to the sandboxed runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.tools.problems import structures
from services.tools.problems.models import Problem
from services.tools.problems.valuetypes import copy_value


def to_object(value: Any, kind: str) -> Any:
    """The object a solution receives for the JSON form `value` of type `kind`."""
    if kind == "ListNode":
        return structures.prepai_build_linked_list(value)
    if kind == "ListNode[]":
        return [structures.prepai_build_linked_list(values) for values in value]
    if kind == "TreeNode":
        return structures.prepai_build_tree(value)
    return copy_value(value, kind)


def to_json(value: Any, kind: str) -> Any:
    """The JSON form of a solution's answer of type `kind`."""
    if kind == "ListNode":
        return structures.prepai_linked_list_values(value)
    if kind == "ListNode[]":
        return [structures.prepai_linked_list_values(head) for head in value]
    if kind == "TreeNode":
        return structures.prepai_tree_level_order(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def load_function(problem: Problem, source: str, label: str) -> Callable[..., Any]:
    """Execute a solution's source and return its entry function."""
    namespace: dict[str, Any] = {
        "__name__": f"prepai_{label}",
        "ListNode": structures.ListNode,
        "TreeNode": structures.TreeNode,
    }
    exec(compile(source, f"<{problem.id} {label}>", "exec"), namespace)
    function = namespace.get(problem.python.function_name)
    if not callable(function):
        raise ValueError(f"{problem.id}: the {label} solution defines no {problem.python.function_name}()")
    return function  # type: ignore[no-any-return]


def call_function(problem: Problem, function: Callable[..., Any], args: list[Any]) -> Any:
    """Call a solution on JSON arguments and return its answer as JSON."""
    objects = [to_object(value, param.type) for param, value in zip(problem.params, args, strict=True)]
    return to_json(function(*objects), problem.returns)


def reference_answer(problem: Problem, args: list[Any]) -> Any:
    return call_function(problem, load_function(problem, problem.reference_solution, "reference"), args)

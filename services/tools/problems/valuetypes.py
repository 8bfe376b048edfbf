"""The value types a problem's parameters and answer may have, and what each means per language."""

from __future__ import annotations

from typing import Literal, get_args

ValueType = Literal[
    "int", "bool", "string", "int[]", "string[]", "int[][]", "ListNode", "ListNode[]", "TreeNode"
]
VALUE_TYPES: tuple[str, ...] = get_args(ValueType)

# Types whose function-style JSON form (a list) differs from the object the solution receives.
STRUCTURE_TYPES = frozenset({"ListNode", "ListNode[]", "TreeNode"})

PYTHON_HINTS: dict[str, str] = {
    "int": "int",
    "bool": "bool",
    "string": "str",
    "int[]": "list[int]",
    "string[]": "list[str]",
    "int[][]": "list[list[int]]",
    "ListNode": "ListNode | None",
    "ListNode[]": "list[ListNode | None]",
    "TreeNode": "TreeNode | None",
}

JAVASCRIPT_HINTS: dict[str, str] = {
    "int": "number",
    "bool": "boolean",
    "string": "string",
    "int[]": "number[]",
    "string[]": "string[]",
    "int[][]": "number[][]",
    "ListNode": "ListNode|null",
    "ListNode[]": "Array<ListNode|null>",
    "TreeNode": "TreeNode|null",
}

# JavaScript numbers are exact only up to 2^53; every integer in a test must fit.
SAFE_INTEGER = 2**53 - 1


def _check_int(value: object, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: expected an integer, got {value!r:.40}")
    if abs(value) > SAFE_INTEGER:
        raise ValueError(f"{where}: {value} does not fit a JavaScript number exactly")


def _check_string(value: object, where: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a string, got {value!r:.40}")
    if "\n" in value or "\r" in value:
        raise ValueError(f"{where}: strings may not hold line breaks (the stdin form is one per line)")


def _check_list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, got {value!r:.40}")
    return value


def check_value(value: object, kind: str, where: str = "value") -> None:
    """Raise ValueError unless `value` is a valid JSON form of type `kind`."""
    if kind == "int":
        _check_int(value, where)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{where}: expected true or false, got {value!r:.40}")
    elif kind == "string":
        _check_string(value, where)
    elif kind in ("int[]", "ListNode"):
        for item in _check_list(value, where):
            _check_int(item, where)
    elif kind == "string[]":
        for item in _check_list(value, where):
            _check_string(item, where)
    elif kind == "int[][]":
        rows = _check_list(value, where)
        widths = {len(_check_list(row, where)) for row in rows}
        if len(widths) > 1:
            raise ValueError(f"{where}: int[][] must be rectangular (the stdin form gives one width)")
        for row in rows:
            for item in _check_list(row, where):
                _check_int(item, where)
    elif kind == "ListNode[]":
        for values in _check_list(value, where):
            check_value(values, "ListNode", where)
    elif kind == "TreeNode":
        items = _check_list(value, where)
        if items and (items[0] is None or items[-1] is None):
            raise ValueError(f"{where}: a tree listing starts with the root and has no trailing nulls")
        for item in items:
            if item is not None:
                _check_int(item, where)
    else:
        raise ValueError(f"{where}: unknown value type {kind}")


def copy_value(value: object, kind: str) -> object:
    """A copy deep enough that a solution mutating its arguments cannot change the stored test."""
    if kind in ("int[][]", "ListNode[]"):
        assert isinstance(value, list)
        return [list(row) for row in value]
    if isinstance(value, list):
        return list(value)
    return value

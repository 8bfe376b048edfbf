"""Stdin/stdout form of every problem: one encoder for all of them (see `textio.py` for the format).

The function arguments become stdin (each argument in signature order) and the expected return
value becomes the expected stdout, so every problem also runs in Java and C++ as a whole program.
"""

from __future__ import annotations

from typing import Any

from services.tools.problems.textio import format_value
from services.tools.problems.valuetypes import ValueType

# How each type is laid out, in words, for the "Input / Output" section shown with a problem.
_INPUT_LAYOUT: dict[str, str] = {
    "int": "a line with the integer {name}",
    "bool": "a line with `true` or `false` ({name})",
    "string": "a line with the string {name} (an empty line if it is empty)",
    "int[]": "a line with the length of {name}, then a line with its items separated by spaces "
    "(empty when there are none)",
    "string[]": "a line with the number of strings in {name}, then one line per string",
    "int[][]": "a line `r c` with the rows and columns of {name}, then r lines of c integers",
    "ListNode": "a line with the length of the linked list {name}, then a line with its values from head "
    "to tail (empty when there are none)",
    "ListNode[]": "a line with the number k of linked lists in {name}, then each list as a line with its "
    "length and a line with its values",
    "TreeNode": "a line with the number of entries in the level-order listing of the tree {name}, then a "
    "line with the entries (`null` for a missing child)",
}
_OUTPUT_LAYOUT: dict[str, str] = {
    "int": "Print the answer on one line.",
    "bool": "Print `true` or `false` on one line.",
    "string": "Print the answer on one line (an empty line if it is empty).",
    "int[]": "Print a line with the number of items in the answer, then a line with the items separated by "
    "spaces (empty when there are none).",
    "string[]": "Print a line with the number of strings in the answer, then one string per line.",
    "int[][]": "Print a line `r c` with the rows and columns of the answer, then r lines of c integers.",
    "ListNode": "Print a line with the length of the resulting list, then a line with its values from head "
    "to tail (empty when the list is empty).",
    "ListNode[]": "Print a line with the number of lists, then each list as a line with its length and a "
    "line with its values.",
    "TreeNode": "Print a line with the number of entries in the level-order listing of the resulting tree, "
    "then a line with the entries (`null` for a missing child).",
}


def _lines_text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def stdin_text(param_types: list[ValueType], args: list[Any]) -> str:
    """The stdin that carries `args` for a function with these parameter types."""
    lines: list[str] = []
    for kind, value in zip(param_types, args, strict=True):
        lines.extend(format_value(value, kind))
    return _lines_text(lines)


def stdout_text(return_type: ValueType, value: Any) -> str:
    """The stdout a correct program prints for the answer `value`."""
    return _lines_text(format_value(value, return_type))


def describe_input(params: list[tuple[str, ValueType]]) -> str:
    parts = [_INPUT_LAYOUT[kind].format(name=f"`{name}`") for name, kind in params]
    text = "; then ".join(parts)
    return text[:1].upper() + text[1:] + "."


def describe_output(return_type: ValueType) -> str:
    return _OUTPUT_LAYOUT[return_type]

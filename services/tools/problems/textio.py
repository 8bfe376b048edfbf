"""The plain-text form of argument and return values for stdin/stdout tests.

One codec for every problem, meant to be easy to parse from C++, Java, JavaScript and Python:

| type         | text                                                                           |
| ------------ | ------------------------------------------------------------------------------ |
| `int`        | one line: the number                                                           |
| `bool`       | one line: `true` or `false`                                                    |
| `string`     | one line: the string itself (it never holds a line break; it may be empty)     |
| `int[]`      | a line with the length n, then a line with the n numbers separated by spaces   |
| `string[]`   | a line with the count n, then n lines, one string each                         |
| `int[][]`    | a line `r c` (rows, columns; `0 0` when empty), then r lines of c numbers       |
| `ListNode`   | like `int[]`: the values from head to tail (`0` and an empty line when empty)   |
| `ListNode[]` | a line with the count k, then k linked lists, each as above                     |
| `TreeNode`   | like `int[]` over the level-order listing, where a missing child is `null`      |

Arguments are written one after another in signature order; the answer is written the same way.
An empty `int[]` still has its (empty) second line, so every value has a fixed number of lines.

This module is also pasted verbatim into the Python programs that run in the code sandbox, so it
must stay self-contained: no imports, no names starting with an underscore, plain builtins only.
"""


def as_items(value: object) -> list[object]:
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    raise ValueError("expected a list, got " + repr(value)[:40])


def format_items(items: list[object]) -> str:
    if None in items:
        return " ".join(format_item(item) for item in items)
    return " ".join(map(str, items))


def format_item(item: object) -> str:
    return "null" if item is None else str(item)


def format_value(value: object, kind: str) -> list[str]:
    """The text lines that encode `value` of type `kind`."""
    if kind == "int":
        return [str(value)]
    if kind == "bool":
        return ["true" if value else "false"]
    if kind == "string":
        return [str(value)]
    if kind in ("int[]", "ListNode", "TreeNode"):
        items = as_items(value)
        return [str(len(items)), format_items(items)]
    if kind == "string[]":
        words = [str(word) for word in as_items(value)]
        return [str(len(words)), *words]
    if kind == "int[][]":
        rows = [as_items(row) for row in as_items(value)]
        width = len(rows[0]) if len(rows) > 0 else 0
        return [str(len(rows)) + " " + str(width)] + [format_items(row) for row in rows]
    if kind == "ListNode[]":
        lists = as_items(value)
        lines = [str(len(lists))]
        for values in lists:
            lines.extend(format_value(values, "ListNode"))
        return lines
    raise ValueError("unknown value type " + kind)


class LineReader:
    """Hands out input lines one at a time; past the end it hands out empty lines."""

    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r", "").split("\n")
        self.position = 0

    def next_line(self) -> str:
        if self.position >= len(self.lines):
            return ""
        self.position += 1
        return self.lines[self.position - 1]


def parse_item(token: str) -> "int | None":
    return None if token == "null" else int(token)


def read_value(reader: LineReader, kind: str) -> object:
    """Read one value of type `kind` written by `format_value`."""
    if kind == "int":
        return int(reader.next_line().strip())
    if kind == "bool":
        return reader.next_line().strip() == "true"
    if kind == "string":
        return reader.next_line()
    if kind in ("int[]", "ListNode", "TreeNode"):
        count = int(reader.next_line().strip())
        tokens = reader.next_line().split()
        items = [parse_item(token) for token in tokens] if "null" in tokens else list(map(int, tokens))
        if len(items) != count:
            raise ValueError("expected " + str(count) + " items, got " + str(len(items)))
        return items
    if kind == "string[]":
        count = int(reader.next_line().strip())
        return [reader.next_line() for index in range(count)]
    if kind == "int[][]":
        header = reader.next_line().split()
        return [list(map(int, reader.next_line().split())) for index in range(int(header[0]))]
    if kind == "ListNode[]":
        count = int(reader.next_line().strip())
        return [read_value(reader, "ListNode") for index in range(count)]
    raise ValueError("unknown value type " + kind)

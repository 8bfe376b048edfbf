"""The compile-time policy for Python submissions, built on RestrictedPython's transformer.

RestrictedPython walks the syntax tree and refuses what its policy forbids. Its default policy is
written for Zope scripts and refuses ordinary interview code (`dp[i] += 1`, `nonlocal`, `_helper`,
annotated assignments), so `InterviewPolicy` keeps its checks for the dangerous parts and relaxes
the rest:

- refused: names and attributes with double underscores (`__class__`, `__globals__`,
  `__builtins__`, `__import__`, ...), except the special methods a class may define or call
  (`__init__`, `__lt__`, `super().__init__`) and `__name__`; the frame, code and generator
  attributes RestrictedPython lists (`gi_frame`, `f_globals`, `tb_frame`, ...); exec, eval,
  compile, open, globals, locals, vars, breakpoint; async code; `except*`; metaclasses; and
  imports of anything outside `ALLOWED_MODULES` (relative imports too);
- allowed, unlike RestrictedPython's default: augmented assignment to items and attributes,
  `nonlocal`, names and attributes with one leading underscore, annotated assignments, `match`.

The code that passes is run unchanged (not RestrictedPython's rewritten form) under the sandbox,
with the same module list enforced again at run time. The policy stops honest mistakes and the
usual tricks early with a clear message; the operating-system sandbox is the security boundary.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from RestrictedPython.compile import compile_restricted_exec
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer

ALLOWED_MODULES: frozenset[str] = frozenset(
    {
        "__future__",
        "abc",
        "array",
        "bisect",
        "cmath",
        "collections",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "graphlib",
        "heapq",
        "itertools",
        "json",
        "math",
        "numbers",
        "operator",
        "queue",
        "random",
        "re",
        "statistics",
        "string",
        "sys",  # a stand-in: stdin/stdout/stderr, setrecursionlimit, maxsize, exit
        "textwrap",
        "typing",
        "unicodedata",
    }
)

FORBIDDEN_NAMES: frozenset[str] = frozenset(
    {"exec", "eval", "compile", "open", "globals", "locals", "vars", "breakpoint", "builtins"}
)

# Special methods a class may define, and the few dunders code may name or read.
SPECIAL_METHODS: frozenset[str] = frozenset(
    {
        *("__init__", "__post_init__", "__repr__", "__str__", "__format__", "__hash__", "__bool__"),
        *("__len__", "__iter__", "__next__", "__reversed__", "__contains__", "__missing__", "__call__"),
        *("__getitem__", "__setitem__", "__delitem__", "__enter__", "__exit__", "__copy__", "__deepcopy__"),
        *("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__index__", "__int__", "__float__"),
        *("__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__", "__mul__", "__rmul__"),
        *("__imul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__"),
        *("__pow__", "__rpow__", "__neg__", "__pos__", "__abs__", "__invert__", "__matmul__"),
        *("__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__lshift__", "__rshift__"),
    }
)
READABLE_DUNDER_NAMES: frozenset[str] = frozenset({"__name__"})
READABLE_DUNDER_ATTRIBUTES: frozenset[str] = SPECIAL_METHODS | {"__name__", "__qualname__", "__doc__"}
ATTRIBUTE_FUNCTIONS: frozenset[str] = frozenset({"getattr", "setattr", "hasattr", "delattr"})
# Attributes through which an allowed module reaches a forbidden one (`typing.sys.modules["os"]`,
# `random._os`, `queue.threading`). Not exhaustive: the sandbox, not this list, is the boundary.
MODULE_ATTRIBUTES: frozenset[str] = frozenset(
    {
        *("sys", "_sys", "os", "_os", "modules", "builtins", "_builtins", "subprocess", "socket"),
        *("importlib", "_imp", "threading", "_thread", "signal", "_signal", "posix", "io", "_io"),
    }
)
MAX_REPORTED_VIOLATIONS = 20


def is_dunder(name: str) -> bool:
    return name.startswith("__")


@dataclass
class PolicyReport:
    syntax_error: str | None = None  # "Line 3: SyntaxError: invalid syntax"
    syntax_error_line: int | None = None
    violations: list[str] = field(default_factory=list)  # each "Line N: what and why"

    @property
    def ok(self) -> bool:
        return self.syntax_error is None and not self.violations

    def message(self) -> str:
        if self.syntax_error:
            return self.syntax_error
        head = "The code was not run: the Python policy refuses it."
        return "\n".join([head, *self.violations])


class InterviewPolicy(RestrictingNodeTransformer):
    """RestrictedPython's transformer with the rules above."""

    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        if name is None:
            return
        if is_dunder(name):
            defines_special_method = allow_magic_methods and name in SPECIAL_METHODS and node.col_offset != 0
            if not defines_special_method and name not in READABLE_DUNDER_NAMES:
                self.error(
                    node,
                    f'"{name}": names with double underscores reach the interpreter\'s internals '
                    "and are not allowed.",
                )
        elif name in FORBIDDEN_NAMES:
            self.error(
                node, f'"{name}" is not available: the sandbox does not run dynamic code or open files.'
            )

    def visit_Name(self, node: ast.Name) -> Any:
        # RestrictedPython rewrites print/printed instead of checking them; check every name.
        self.check_name(node, node.id)
        return self.node_contents_visit(node)

    def visit_Call(self, node: ast.Call) -> Any:
        # exec/eval are caught as names; getattr(x, "__class__") is caught here (and at run time).
        if isinstance(node.func, ast.Name) and node.func.id in ATTRIBUTE_FUNCTIONS and len(node.args) > 1:
            name = node.args[1]
            if (
                isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and (
                    (is_dunder(name.value) and name.value not in READABLE_DUNDER_ATTRIBUTES)
                    or name.value in MODULE_ATTRIBUTES
                )
            ):
                self.error(
                    node,
                    f'{node.func.id}(..., "{name.value}"): this attribute is not allowed.',
                )
        return self.node_contents_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if is_dunder(node.attr) and node.attr not in READABLE_DUNDER_ATTRIBUTES:
            self.error(
                node,
                f'".{node.attr}": attributes with double underscores reach the interpreter\'s '
                "internals and are not allowed.",
            )
        if node.attr in INSPECT_ATTRIBUTES:
            self.error(node, f'".{node.attr}": frame, code and generator internals are not allowed.')
        if node.attr in MODULE_ATTRIBUTES:
            self.error(node, f'".{node.attr}": reaching other modules through attributes is not allowed.')
        return self.node_contents_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        return self.node_contents_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        return self.node_contents_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> Any:
        return self.node_contents_visit(node)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> Any:
        return self.node_contents_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        self.check_name(node, node.name)
        if any(keyword.arg == "metaclass" for keyword in node.keywords):
            self.error(node, "Metaclasses are not allowed.")
        return self.node_contents_visit(node)

    def visit_Import(self, node: ast.Import) -> Any:
        for alias in node.names:
            self.check_module(node, alias.name)
            if alias.asname:
                self.check_name(node, alias.asname)
        return self.node_contents_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> Any:
        if node.level:
            self.error(node, "Relative imports are not allowed: the solution is a single file.")
        else:
            self.check_module(node, node.module or "")
        for alias in node.names:
            if alias.name != "*":
                self.check_name(node, alias.name)
            if alias.asname:
                self.check_name(node, alias.asname)
        return self.node_contents_visit(node)

    def check_module(self, node: ast.stmt, module: str) -> None:
        top = module.partition(".")[0]
        if top not in ALLOWED_MODULES:
            self.error(
                node,
                f'import of "{module}" is not allowed. Allowed modules: '
                f"{', '.join(sorted(ALLOWED_MODULES - {'__future__'}))}.",
            )

    # Structural pattern matching: plain control flow over values.
    def visit_Match(self, node: ast.Match) -> Any:
        return self.node_contents_visit(node)

    def visit_match_case(self, node: ast.match_case) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchValue(self, node: ast.MatchValue) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchSingleton(self, node: ast.MatchSingleton) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchSequence(self, node: ast.MatchSequence) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchClass(self, node: ast.MatchClass) -> Any:
        return self.node_contents_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> Any:
        self.check_name(node, node.name)
        return self.node_contents_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> Any:
        self.check_name(node, node.name)
        return self.node_contents_visit(node)

    def visit_MatchOr(self, node: ast.MatchOr) -> Any:
        return self.node_contents_visit(node)


def check_python(source: str) -> PolicyReport:
    """Syntax first (a compile error), then the policy (a refusal). Runs no code."""
    try:
        # compile, not ast.parse: some errors (a misplaced `from __future__`) only surface in the compiler.
        compile(source, "solution.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        line = error.lineno
        text = f"Line {line}: SyntaxError: {error.msg}" if line else f"SyntaxError: {error.msg}"
        return PolicyReport(syntax_error=text, syntax_error_line=line)
    except (ValueError, RecursionError, MemoryError) as error:
        return PolicyReport(syntax_error=f"The code cannot be parsed: {type(error).__name__}: {error}")
    try:
        result = compile_restricted_exec(source, filename="solution.py", policy=InterviewPolicy)
    except (RecursionError, MemoryError):
        return PolicyReport(violations=["The code is nested too deeply to check."])
    violations = sorted(dict.fromkeys(result.errors), key=_line_of)  # one per line and reason
    if len(violations) > MAX_REPORTED_VIOLATIONS:
        extra = len(violations) - MAX_REPORTED_VIOLATIONS
        violations = [*violations[:MAX_REPORTED_VIOLATIONS], f"... and {extra} more."]
    return PolicyReport(violations=violations)


def _line_of(violation: str) -> int:
    head = violation.partition(":")[0]
    number = head.removeprefix("Line ").strip()
    return int(number) if number.isdigit() else 0

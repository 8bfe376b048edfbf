"""Code-quality metrics for a submission: size, comments, complexity per function, a 0-10 score.

lizard measures functions in all four languages (cyclomatic complexity, parameters, nesting);
radon measures Python (cyclomatic complexity per function and method, raw line counts, the
maintainability index). The score starts at 10 and every deduction is listed in words with its
points, so a candidate sees exactly why. Nothing here runs the code.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

from lizard import FileAnalyzer, get_extensions
from radon.complexity import cc_visit
from radon.metrics import mi_visit
from radon.raw import analyze as radon_raw
from radon.visitors import Function as RadonFunction

from services.tools.runner.models import FunctionMetrics, Language, QualityMetrics

FILENAMES: dict[Language, str] = {
    "python": "solution.py",
    "javascript": "solution.js",
    "java": "Main.java",
    "cpp": "main.cpp",
}
COMPLEXITY_LIMIT = 10
FUNCTION_LINES_LIMIT = 50
PARAMETER_LIMIT = 5
NESTING_LIMIT = 4
LONG_LINE = 120
LONG_LINES_ALLOWED = 2
COMMENTED_CODE_SIZE = 25  # below this many lines, missing comments cost nothing
LOW_MAINTAINABILITY = 20.0
_LIZARD = FileAnalyzer(get_extensions(["nd"]))  # "nd": nesting depth


@dataclass
class LineCounts:
    code: int  # non-blank lines holding code
    comment: int  # lines holding a comment (a line may hold both)
    blank: int
    non_blank: int


@dataclass
class FunctionInfo:
    name: str
    complexity: int
    lines: int
    params: int
    start_line: int
    nesting: int


# ------------------------------------------------------------------------------ lines


def python_line_counts(code: str) -> LineCounts:
    """radon's source lines (code, without docstrings); comments: '#' lines and docstring lines."""
    raw = radon_raw(code)
    commented = {
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type == tokenize.COMMENT
    }
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            commented.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return LineCounts(code=raw.sloc, comment=len(commented), blank=raw.blank, non_blank=raw.loc - raw.blank)


def c_like_line_counts(code: str, language: Language) -> LineCounts:
    """Lines with code and lines with comments, skipping string literals (// inside "..." is code)."""
    has_code: set[int] = set()
    has_comment: set[int] = set()
    quotes = "\"'`" if language == "javascript" else "\"'"
    line, index, length = 1, 0, len(code)
    while index < length:
        char = code[index]
        pair = code[index : index + 2]
        if char == "\n":
            line += 1
            index += 1
        elif pair == "//":
            has_comment.add(line)
            end = code.find("\n", index)
            index = length if end < 0 else end
        elif pair == "/*":
            end = code.find("*/", index + 2)
            end = length if end < 0 else end + 2
            for offset in range(code.count("\n", index, end) + 1):
                has_comment.add(line + offset)
            line += code.count("\n", index, end)
            index = end
        elif char in quotes:
            end = _string_end(code, index, char)
            for offset in range(code.count("\n", index, end) + 1):
                has_code.add(line + offset)
            line += code.count("\n", index, end)
            index = end
        else:
            if not char.isspace():
                has_code.add(line)
            index += 1
    total_lines = code.count("\n") + (0 if code.endswith("\n") or not code else 1)
    blank = sum(1 for text in code.splitlines() if not text.strip())
    comment_only = len(has_comment - has_code)
    non_blank = max(total_lines - blank, 0)
    return LineCounts(
        code=max(non_blank - comment_only, 0), comment=len(has_comment), blank=blank, non_blank=non_blank
    )


def _string_end(code: str, start: int, quote: str) -> int:
    index = start + 1
    while index < len(code):
        char = code[index]
        if char == "\\":
            index += 2
            continue
        if char == quote or (char == "\n" and quote != "`"):
            return index + 1
        index += 1
    return len(code)


# ------------------------------------------------------------------------------ functions


def lizard_functions(code: str, language: Language) -> list[FunctionInfo]:
    result = _LIZARD.analyze_source_code(FILENAMES[language], code)
    functions = []
    for function in result.function_list:
        lines = function.end_line - function.start_line + 1
        if function.name == "(anonymous)" and function.cyclomatic_complexity == 1 and lines <= 3:
            continue  # a small callback such as (a, b) => a - b
        # lizard counts the nesting inside a C-like function body from 0, Python's from 1.
        nesting = function.max_nesting_depth + (0 if language == "python" else 1)
        functions.append(
            FunctionInfo(
                name=function.name,
                complexity=function.cyclomatic_complexity,
                lines=lines,
                params=function.parameter_count,
                start_line=function.start_line,
                nesting=nesting,
            )
        )
    return functions


def python_functions(code: str) -> list[FunctionInfo]:
    """radon's complexity per function and method; parameters and nesting from the syntax tree."""
    tree = ast.parse(code)
    definitions = {
        node.lineno: node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    functions = []
    for block in cc_visit(code):
        if not isinstance(block, RadonFunction):
            continue
        node = definitions.get(block.lineno)
        name = f"{block.classname}.{block.name}" if block.classname else block.name
        functions.append(
            FunctionInfo(
                name=name,
                complexity=block.complexity,
                lines=block.endline - block.lineno + 1,
                params=_parameter_count(node, block.is_method) if node else 0,
                start_line=block.lineno,
                nesting=_nesting_depth(node) if node else 0,
            )
        )
    return sorted(functions, key=lambda function: function.start_line)


def _parameter_count(node: ast.FunctionDef | ast.AsyncFunctionDef, is_method: bool) -> int:
    arguments = node.args
    count = len(arguments.posonlyargs) + len(arguments.args) + len(arguments.kwonlyargs)
    count += int(arguments.vararg is not None) + int(arguments.kwarg is not None)
    return max(count - 1, 0) if is_method else count  # self / cls is not a parameter to think about


_BLOCKS = (ast.If, ast.For, ast.While, ast.Try, ast.With, ast.AsyncFor, ast.AsyncWith, ast.Match)


def _nesting_depth(node: ast.AST, depth: int = 0) -> int:
    deepest = depth
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # nested functions are measured on their own
        inner = depth + 1 if isinstance(child, _BLOCKS) else depth
        deepest = max(deepest, _nesting_depth(child, inner))
    return deepest


# ------------------------------------------------------------------------------ score


def _capped(points: list[float], cap: float) -> float:
    return min(sum(points), cap)


def score_deductions(
    functions: list[FunctionInfo],
    counts: LineCounts,
    long_lines: int,
    maintainability: float | None,
    parse_error: str | None,
) -> tuple[float, list[str]]:
    deductions: list[str] = []
    total = 0.0

    def deduct(points: float, text: str) -> float:
        deductions.append(f"{text} (-{points:g})")
        return points

    if counts.code == 0:
        return 0.0, ["There is no code to assess. (-10)"]
    if parse_error:
        total += deduct(3.0, f"The code does not parse ({parse_error}): fix the syntax first.")

    complexity_points: list[float] = []
    for function in functions:
        if function.complexity > COMPLEXITY_LIMIT:
            points = 1.0 if function.complexity <= 15 else 1.5 if function.complexity <= 20 else 2.0
            complexity_points.append(
                deduct(
                    points,
                    f"Function '{function.name}' has cyclomatic complexity {function.complexity} "
                    f"(aim for {COMPLEXITY_LIMIT} or less): split it into smaller functions.",
                )
            )
    total += _capped(complexity_points, 4.0)

    length_points = [
        deduct(
            0.5,
            f"Function '{function.name}' is {function.lines} lines long (aim for {FUNCTION_LINES_LIMIT} "
            "or fewer): extract helpers.",
        )
        for function in functions
        if function.lines > FUNCTION_LINES_LIMIT
    ]
    total += _capped(length_points, 1.5)

    parameter_points = [
        deduct(
            0.5,
            f"Function '{function.name}' takes {function.params} parameters (aim for {PARAMETER_LIMIT} "
            "or fewer): group related ones.",
        )
        for function in functions
        if function.params > PARAMETER_LIMIT
    ]
    total += _capped(parameter_points, 1.0)

    nesting_points = [
        deduct(
            0.5,
            f"Function '{function.name}' nests blocks {function.nesting} levels deep (aim for "
            f"{NESTING_LIMIT} or fewer): return early or extract the inner loop.",
        )
        for function in functions
        if function.nesting > NESTING_LIMIT
    ]
    total += _capped(nesting_points, 1.0)

    naming_points = [
        deduct(0.25, f"Function '{function.name}' has a one-letter name: name it after what it does.")
        for function in functions
        if len(function.name.rpartition(".")[2].rpartition("::")[2]) == 1
    ]
    total += _capped(naming_points, 0.5)

    if counts.code >= COMMENTED_CODE_SIZE and counts.comment == 0:
        total += deduct(
            1.0, f"No comments in {counts.code} lines of code: explain the approach and the tricky steps."
        )
    elif counts.code >= COMMENTED_CODE_SIZE and counts.comment / counts.non_blank < 0.05:
        total += deduct(
            0.5, f"Only {counts.comment} comment line(s) for {counts.code} lines of code: explain more."
        )

    if long_lines > LONG_LINES_ALLOWED:
        total += deduct(0.5, f"{long_lines} lines are longer than {LONG_LINE} characters: wrap them.")

    if maintainability is not None and maintainability < LOW_MAINTAINABILITY:
        total += deduct(
            1.0,
            f"Maintainability index {maintainability:.0f}/100 (radon) is low: simplify and shorten the code.",
        )
    return max(0.0, round(10.0 - total, 1)), deductions


def analyze_quality(code: str, language: Language) -> QualityMetrics:
    parse_error: str | None = None
    maintainability: float | None = None
    if language == "python":
        try:
            ast.parse(code)  # radon's own syntax messages are vaguer
            counts = python_line_counts(code)
            functions = python_functions(code)
            maintainability = round(float(mi_visit(code, True)), 1)
        except (SyntaxError, ValueError, tokenize.TokenError, IndentationError) as error:
            where = f" on line {error.lineno}" if isinstance(error, SyntaxError) and error.lineno else ""
            parse_error = f"{type(error).__name__}: {getattr(error, 'msg', error)}{where}"
            counts = _fallback_python_counts(code)
            functions = lizard_functions(code, language)
    else:
        counts = c_like_line_counts(code, language)
        functions = lizard_functions(code, language)
    long_lines = sum(1 for line in code.splitlines() if len(line) > LONG_LINE)
    score, deductions = score_deductions(functions, counts, long_lines, maintainability, parse_error)
    complexities = [function.complexity for function in functions]
    non_blank = counts.non_blank
    return QualityMetrics(
        language=language,
        lines_of_code=counts.code,
        comment_lines=counts.comment,
        blank_lines=counts.blank,
        comment_ratio=round(counts.comment / non_blank, 3) if non_blank else 0.0,
        functions=[
            FunctionMetrics(
                name=function.name,
                complexity=function.complexity,
                lines=function.lines,
                params=function.params,
                start_line=function.start_line,
            )
            for function in functions
        ],
        average_complexity=round(sum(complexities) / len(complexities), 2) if complexities else 0.0,
        max_complexity=max(complexities, default=0),
        quality_score=score,
        deductions=deductions,
        maintainability_index=maintainability,
        parse_error=parse_error,
    )


def _fallback_python_counts(code: str) -> LineCounts:
    """Line counts for Python that does not tokenize: '#' lines are comments."""
    code_lines = comment_lines = blank = 0
    for line in io.StringIO(code):
        stripped = line.strip()
        if not stripped:
            blank += 1
        elif stripped.startswith("#"):
            comment_lines += 1
        else:
            code_lines += 1
            comment_lines += int("#" in stripped)
    non_blank = code_lines + sum(1 for line in io.StringIO(code) if line.strip().startswith("#"))
    return LineCounts(code=code_lines, comment=comment_lines, blank=blank, non_blank=non_blank)

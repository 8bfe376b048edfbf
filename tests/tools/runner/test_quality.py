"""Quality metrics: sizes, comments, complexity per function, and a score with reasons."""

from __future__ import annotations

from services.tools.runner import analyze_quality

SIMPLE_PYTHON = '''def solution(arr):
    """Sort the values."""
    # sorted() is stable and O(n log n)
    return sorted(arr)  # a new list


class Helper:
    def twice(self, value, extra=0):
        return value * 2 + extra
'''


def branchy_python(branches: int) -> str:
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(branches))
    return f"def solve(x):\n{body}    return -1\n"


def test_python_counts_functions_and_comments() -> None:
    metrics = analyze_quality(SIMPLE_PYTHON, "python")
    assert metrics.lines_of_code == 5  # docstrings and comment-only lines are not code
    assert metrics.comment_lines == 3  # the docstring, the comment line, the inline comment
    assert metrics.blank_lines == 2
    assert [(f.name, f.complexity, f.params, f.start_line) for f in metrics.functions] == [
        ("solution", 1, 1, 1),
        ("Helper.twice", 1, 2, 8),
    ]
    assert metrics.quality_score == 10.0 and metrics.deductions == []
    assert metrics.maintainability_index is not None and metrics.maintainability_index > 50


def test_complex_function_is_named_in_the_deductions() -> None:
    metrics = analyze_quality(branchy_python(13), "python")
    assert metrics.max_complexity == 14
    assert (
        "Function 'solve' has cyclomatic complexity 14 (aim for 10 or less): split it into smaller functions. (-1)"
        in metrics.deductions
    )
    assert any(text.startswith("No comments in 28 lines of code") for text in metrics.deductions)
    assert metrics.quality_score == 8.0


def test_very_complex_long_code_scores_low() -> None:
    code = branchy_python(60).replace("def solve(x):", "def solve(x, a, b, c, d, e, f):")
    metrics = analyze_quality(code, "python")
    assert metrics.max_complexity == 61
    assert any("takes 7 parameters" in text for text in metrics.deductions)
    assert any("lines long" in text for text in metrics.deductions)
    assert metrics.quality_score <= 6.5


def test_javascript_java_cpp_functions_and_comments() -> None:
    js = "// sort a copy\nfunction solution(arr) {\n  const s = '// not a comment';\n  return arr.slice().sort((a, b) => a - b);\n}\n"
    metrics = analyze_quality(js, "javascript")
    assert [f.name for f in metrics.functions] == ["solution"]
    assert metrics.comment_lines == 1 and metrics.lines_of_code == 4
    java = (
        "public class Main {\n"
        "  /* entry point */\n"
        "  public static void main(String[] args) {\n"
        "    for (int i = 0; i < 3; i++) { if (i % 2 == 0) { System.out.println(i); } }\n"
        "  }\n"
        "}\n"
    )
    metrics = analyze_quality(java, "java")
    assert [(f.name, f.complexity, f.params) for f in metrics.functions] == [("Main::main", 3, 1)]
    assert metrics.comment_lines == 1
    cpp = '#include <cstdio>\nint add(int a, int b) { return a + b; }\nint main() { printf("%d", add(1, 2)); }\n'
    metrics = analyze_quality(cpp, "cpp")
    assert [f.name for f in metrics.functions] == ["add", "main"]
    assert metrics.comment_ratio == 0.0 and metrics.quality_score == 10.0


def test_deep_nesting_and_one_letter_names() -> None:
    code = (
        "def f(n):\n"
        "    for i in range(n):\n"
        "        for j in range(n):\n"
        "            if i:\n"
        "                while j:\n"
        "                    if j > 2:\n"
        "                        return 1\n"
        "    return 0\n"
    )
    metrics = analyze_quality(code, "python")
    assert any("nests blocks 5 levels deep" in text for text in metrics.deductions)
    assert any("one-letter name" in text for text in metrics.deductions)


def test_unparsable_and_empty_code() -> None:
    broken = analyze_quality("def f(:\n    pass\n", "python")
    assert broken.parse_error == "SyntaxError: invalid syntax on line 1"
    assert broken.quality_score == 7.0
    empty = analyze_quality("\n\n", "java")
    assert empty.quality_score == 0.0 and empty.deductions == ["There is no code to assess. (-10)"]

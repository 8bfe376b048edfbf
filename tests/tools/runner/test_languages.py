"""Right and wrong solutions in all four languages get the right verdicts, with useful details."""

from __future__ import annotations

import pytest

from services.tools.runner import CodeRunner, InvalidRunRequest, RunLimits, RunRequest, TestCase

PY_SORT = "def solution(arr):\n    return sorted(arr)\n"
JS_SORT = "function solution(arr) {\n  return arr.slice().sort((a, b) => a - b);\n}\n"

# Stdin style: read n then n numbers, print their sum; a wrong version prints the sum plus one.
SUM_PROGRAMS = {
    "python": "n = int(input())\nprint(sum(map(int, input().split())))\n",
    "javascript": (
        "const [n, line] = require('fs').readFileSync(0, 'utf8').split('\\n');\n"
        "console.log(line.trim().split(/\\s+/).map(Number).reduce((a, b) => a + b, 0));\n"
    ),
    "java": (
        "import java.util.*;\n"
        "public class Main {\n"
        "  public static void main(String[] args) {\n"
        "    Scanner in = new Scanner(System.in);\n"
        "    int n = in.nextInt();\n"
        "    long sum = 0;\n"
        "    for (int i = 0; i < n; i++) sum += in.nextLong();\n"
        "    System.out.println(sum);\n"
        "  }\n"
        "}\n"
    ),
    "cpp": (
        "#include <iostream>\n"
        "int main() {\n"
        "  int n; long long sum = 0, x;\n"
        "  std::cin >> n;\n"
        "  for (int i = 0; i < n; i++) { std::cin >> x; sum += x; }\n"
        '  std::cout << sum << "\\n";\n'
        "}\n"
    ),
}
WRONG_SUM = {
    "python": SUM_PROGRAMS["python"].replace("split())))", "split())) + 1)"),
    "javascript": SUM_PROGRAMS["javascript"].replace("a + b, 0)", "a + b, 1)"),
    "java": SUM_PROGRAMS["java"].replace("long sum = 0", "long sum = 1"),
    "cpp": SUM_PROGRAMS["cpp"].replace("sum = 0", "sum = 1"),
}
SUM_TESTS = [
    TestCase(stdin="3\n1 2 3\n", expected_stdout="6\n"),
    TestCase(stdin="2\n10 -4\n", expected_stdout="6"),
    TestCase(stdin="1\n41\n", expected_stdout="41  \n\n", hidden=True),  # trailing spaces do not count
]
COMPILE_ERRORS = {
    "java": (
        'public class Main {\n  public static void main(String[] a) {\n    int x = "s";\n  }\n}\n',
        "Main.java:3",
    ),
    "cpp": ("int main() {\n  return undefined_name;\n}\n", "main.cpp:2"),
}
RUNTIME_ERRORS = {
    "python": ("values = [1]\nprint(values[5])\n", 2, "IndexError"),
    "javascript": ("const x = null;\nconsole.log(x.field);\n", 2, "TypeError"),
    "java": (
        "public class Main {\n  public static void main(String[] a) {\n    int z = 0;\n    System.out.println(5 / z);\n  }\n}\n",
        4,
        "ArithmeticException",
    ),
}


async def test_seed_payload_python(runner: CodeRunner) -> None:
    """The seeds' example: JSON inside strings, spread by the arity rule."""
    request = RunRequest(
        language="python",
        code=PY_SORT,
        function_name="solution",
        tests=[TestCase(input="[3,1,2]", expected="[1,2,3]"), TestCase(input="[[2,1]]", expected="[1,2]")],
    )
    result = await runner.run(request)
    assert result.verdict == "accepted", result
    assert result.all_passed and result.passed_count == 2 and result.total == 2
    assert result.test_results[0].actual == [1, 2, 3]
    assert result.test_results[0].memory_kb and result.test_results[0].memory_kb > 1000
    assert result.execution_time_ms > 0


@pytest.mark.parametrize("language,code", [("python", PY_SORT), ("javascript", JS_SORT)])
async def test_function_style_right_wrong_and_hidden(runner: CodeRunner, language: str, code: str) -> None:
    request = RunRequest(
        language=language,  # type: ignore[arg-type]
        code=code,
        function_name="solution",
        tests=[
            TestCase(input=[[3, 1, 2]], expected=[1, 2, 3]),
            TestCase(input="[5,4]", expected="[4,6]"),  # wrong expectation: the answer is [4, 5]
            TestCase(input="[[9,8,7]]", expected="[7,8,9]", hidden=True),
            TestCase(input="[[2,1]]", expected="[9,9]", hidden=True),
        ],
    )
    result = await runner.run(request)
    verdicts = [test.verdict for test in result.test_results]
    assert verdicts == ["accepted", "wrong_answer", "accepted", "wrong_answer"]
    assert result.verdict == "wrong_answer" and result.verdict_label == "Wrong Answer"
    assert result.test_results[1].actual == [4, 5]
    hidden = result.test_results[3]
    assert hidden.hidden and hidden.input is None and hidden.expected is None and hidden.actual is None
    assert hidden.error == "Wrong Answer" and hidden.stdout is None


@pytest.mark.parametrize("language", ["python", "javascript", "java", "cpp"])
async def test_stdin_style_right_and_wrong(runner: CodeRunner, language: str) -> None:
    right = await runner.run(RunRequest(language=language, code=SUM_PROGRAMS[language], tests=SUM_TESTS))  # type: ignore[arg-type]
    assert right.verdict == "accepted", right.test_results
    assert [test.actual for test in right.test_results[:2]] == ["6\n", "6\n"]
    assert all(test.time_ms >= 0 and test.memory_kb for test in right.test_results)
    wrong = await runner.run(RunRequest(language=language, code=WRONG_SUM[language], tests=SUM_TESTS))  # type: ignore[arg-type]
    assert wrong.verdict == "wrong_answer"
    assert [test.passed for test in wrong.test_results] == [False, False, False]
    assert wrong.test_results[2].actual is None and wrong.test_results[2].error == "Wrong Answer"


@pytest.mark.parametrize("language", ["java", "cpp"])
async def test_compile_error_shows_the_compiler_message(runner: CodeRunner, language: str) -> None:
    code, location = COMPILE_ERRORS[language]
    result = await runner.run(RunRequest(language=language, code=code, tests=SUM_TESTS))  # type: ignore[arg-type]
    assert result.verdict == "compilation_error" and result.verdict_label == "Compilation Error"
    assert result.compile_output is not None and location in result.compile_output
    assert "error" in result.compile_output
    assert all(test.verdict == "compilation_error" for test in result.test_results)
    assert result.test_results[2].error == "Compilation Error"  # hidden: the label only


async def test_python_and_javascript_syntax_errors_are_compile_errors(runner: CodeRunner) -> None:
    python = await runner.run(RunRequest(language="python", code="def f(:\n  pass\n", tests=SUM_TESTS))
    assert python.verdict == "compilation_error"
    assert python.test_results[0].error is not None and python.test_results[0].error.startswith(
        "Line 1: SyntaxError"
    )
    javascript = await runner.run(RunRequest(language="javascript", code="\nfunction ( {", tests=SUM_TESTS))
    assert javascript.verdict == "compilation_error"
    assert "Line 2: SyntaxError" in (javascript.test_results[0].error or "")
    function_js = await runner.run(
        RunRequest(
            language="javascript",
            code="function solution( {",
            function_name="solution",
            tests=[TestCase(input="[1]")],
        )
    )
    assert function_js.verdict == "compilation_error"
    assert "SyntaxError" in (function_js.test_results[0].error or "")


@pytest.mark.parametrize("language", ["python", "javascript", "java"])
async def test_runtime_error_names_the_error_and_line(runner: CodeRunner, language: str) -> None:
    code, line, name = RUNTIME_ERRORS[language]
    result = await runner.run(RunRequest(language=language, code=code, tests=SUM_TESTS[:1]))  # type: ignore[arg-type]
    assert result.verdict == "runtime_error"
    error = result.test_results[0].error or ""
    assert error.startswith(f"Line {line}:") and name in error, error


async def test_cpp_crash_is_a_runtime_error(runner: CodeRunner) -> None:
    code = "#include <vector>\nint main() {\n  std::vector<int> v;\n  return v.at(3);\n}\n"
    result = await runner.run(RunRequest(language="cpp", code=code, tests=SUM_TESTS[:1]))
    assert result.verdict == "runtime_error"
    assert "std::out_of_range" in (result.test_results[0].error or "")


async def test_function_runtime_error_has_line_and_trace(runner: CodeRunner) -> None:
    code = "def helper(x):\n    return 10 // x\n\ndef solution(x):\n    return helper(x)\n"
    result = await runner.run(
        RunRequest(
            language="python",
            code=code,
            function_name="solution",
            tests=[TestCase(input="[0]", expected="0")],
        )
    )
    assert result.test_results[0].error == "Line 2: ZeroDivisionError: integer division or modulo by zero"
    js = "function solution(x) {\n  if (x === 0) {\n    throw new RangeError('zero');\n  }\n  return x;\n}\n"
    result = await runner.run(
        RunRequest(
            language="javascript",
            code=js,
            function_name="solution",
            tests=[TestCase(input="[0]", expected="0")],
        )
    )
    assert result.test_results[0].error == "Line 3: RangeError: zero"


async def test_arity_rule_floats_and_prints(runner: CodeRunner) -> None:
    code = (
        "def solution(nums, target):\n"
        "    print('looking for', target)\n"
        "    return [i for i, n in enumerate(nums) if n == target] or None\n"
        "def mean(values):\n"
        "    return sum(values) / 3\n"
    )
    result = await runner.run(
        RunRequest(
            language="python",
            code=code,
            function_name="solution",
            tests=[TestCase(input="[[1,2,3], 2]", expected="[1]"), TestCase(input=[[1], 5], expected=None)],
        )
    )
    assert result.verdict == "accepted", result.test_results
    assert result.test_results[0].stdout == "looking for 2\n"
    floats = await runner.run(
        RunRequest(
            language="python",
            code=code,
            function_name="mean",
            tests=[
                TestCase(input="[1, 1, 0]", expected="0.6666666"),
                TestCase(input="[1, 1, 0]", expected="0.67"),
            ],
        )
    )
    assert [test.verdict for test in floats.test_results] == ["accepted", "wrong_answer"]


async def test_class_methods_and_allowed_modules(runner: CodeRunner) -> None:
    code = (
        "import heapq\n"
        "from collections import Counter\n"
        "from typing import List\n\n"
        "class Solution:\n"
        "    def topKFrequent(self, nums: List[int], k: int) -> List[int]:\n"
        "        counts = Counter(nums)\n"
        "        return sorted(heapq.nlargest(k, counts, key=counts.get))\n"
    )
    result = await runner.run(
        RunRequest(
            language="python",
            code=code,
            function_name="topKFrequent",
            tests=[TestCase(input="[[1,1,1,2,2,3], 2]", expected="[1,2]")],
        )
    )
    assert result.verdict == "accepted", result.test_results


async def test_policy_refusal_is_rejected_with_reason(runner: CodeRunner) -> None:
    code = "import os\n\ndef solution(x):\n    return ().__class__\n"
    result = await runner.run(
        RunRequest(
            language="python",
            code=code,
            function_name="solution",
            tests=[TestCase(input="[1]", expected="1")],
        )
    )
    assert result.verdict == "rejected"
    assert result.error is not None
    assert 'Line 1: import of "os" is not allowed' in result.error
    assert 'Line 4: ".__class__"' in result.error


async def test_compile_cache_hit_is_measurable(runner: CodeRunner) -> None:
    code = SUM_PROGRAMS["cpp"].replace("sum = 0", "sum = 0 /* cache probe */")
    first = await runner.run(RunRequest(language="cpp", code=code, tests=SUM_TESTS[:1]))
    second = await runner.run(RunRequest(language="cpp", code=code, tests=SUM_TESTS[:1]))
    assert first.compile_cache_hit is False and second.compile_cache_hit is True
    assert first.compile_time_ms is not None and second.compile_time_ms is not None
    assert second.compile_time_ms < first.compile_time_ms / 10
    assert second.verdict == first.verdict == "accepted"


async def test_invalid_requests_are_refused_before_running(runner: CodeRunner) -> None:
    """A request the runner cannot run is an InvalidRunRequest (a 422 for the client, naming the field);
    a model that cannot even be built is pydantic's ValidationError (also a ValueError)."""
    with pytest.raises(InvalidRunRequest, match="function-style") as refused:
        await runner.run(
            RunRequest(language="java", code="x", function_name="solve", tests=[TestCase(input="[1]")])
        )
    assert (refused.value.status, refused.value.fields) == (422, ["functionName"])
    with pytest.raises(InvalidRunRequest, match="need function_name"):
        await runner.run(RunRequest(language="python", code="x", tests=[TestCase(input="[1]", expected="1")]))
    with pytest.raises(ValueError, match="65536 bytes"):
        RunRequest(language="python", code="x" * 70_000, tests=[TestCase(stdin="")])
    with pytest.raises(ValueError):
        RunRequest(language="python", code="x", tests=[])
    with pytest.raises(ValueError):
        RunRequest(language="python", code="x", tests=[TestCase(stdin="")], limits=RunLimits(cpu_time_s=100))


async def test_python_programs_may_exit_early(runner: CodeRunner) -> None:
    code = "import sys\nn = int(input())\nif n == 0:\n    print('zero')\n    exit()\nprint(n)\nsys.exit(0 if n > 0 else 2)\n"
    tests = [
        TestCase(stdin="0\n", expected_stdout="zero"),
        TestCase(stdin="5\n", expected_stdout="5"),
        TestCase(stdin="-1\n", expected_stdout="-1"),
    ]
    result = await runner.run(RunRequest(language="python", code=code, tests=tests))
    assert [test.verdict for test in result.test_results] == ["accepted", "accepted", "runtime_error"]
    assert result.test_results[2].error == "the program exited with status 2"

"""The coding problem bank: schema and distribution, the stdin/stdout codec, the public view, and the
self-check that runs every reference (and naive) solution through the real sandboxed runner."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest

from services.tools.problems import (
    TAGS,
    Problem,
    ProblemBank,
    ProblemNotFound,
    function_submission,
    hint,
    list_problems,
    public_view,
    python_stdio_program,
    runner_limits,
    runner_tests,
)
from services.tools.problems.generators import generate_args
from services.tools.problems.loader import BANK_DIR, parse_problem
from services.tools.problems.solutions import call_function, load_function
from services.tools.problems.stdio import stdin_text, stdout_text
from services.tools.problems.structures import (
    prepai_build_linked_list,
    prepai_build_tree,
    prepai_linked_list_values,
    prepai_tree_level_order,
)
from services.tools.problems.textio import LineReader, format_value, read_value
from services.tools.runner import CodeRunner, RunLimits, RunnerConfig, RunRequest, RunResult, TestCase
from shared.errors import DomainError

# Most tests here walk the whole bank; re-expanding it for each would cost seconds: keep all expanded.
BANK = ProblemBank.load(expanded_cache_limit=1000)
PROBLEMS = BANK.problems()
RUNNER = CodeRunner(RunnerConfig())
PROBLEM_IDS = [problem.id for problem in PROBLEMS]
TARGET_SHARES = {"easy": 0.40, "medium": 0.45, "hard": 0.15}
SHARE_TOLERANCE = 0.05
# The runner is shared with other work on two cores: two runs at a time keeps the machine usable.
CONCURRENT_RUNS = 2

NAIVE_SMALL_TESTS_BUDGET_S = 10.0

T = TypeVar("T")


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging) when the block uses more CPU time than allowed."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over the {seconds} s CPU budget")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


async def gather_limited(jobs: list[Callable[[], Awaitable[T]]], limit: int = CONCURRENT_RUNS) -> list[T]:
    gate = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return await asyncio.gather(*(run(job) for job in jobs))


def limits_for(problem: Problem) -> RunLimits:
    return RunLimits(**runner_limits(problem, BANK.expanded_tests(problem)))


def describe_failure(problem: Problem, label: str, result: RunResult) -> str:
    failed = [test for test in result.test_results if not test.passed][:2]
    details = "; ".join(f"test {t.index}: {t.verdict} {t.error or ''}".strip() for t in failed)
    return f"{problem.id} [{label}]: {result.verdict} {result.error or ''} {result.compile_output or ''} {details}"


# --- schema and distribution ----------------------------------------------------------------------


def test_bank_has_at_least_forty_problems_with_unique_ids_and_names() -> None:
    assert len(PROBLEMS) >= 40
    assert len(set(PROBLEM_IDS)) == len(PROBLEM_IDS)
    assert len({p.python.function_name for p in PROBLEMS}) == len(PROBLEMS)
    assert len({p.title for p in PROBLEMS}) == len(PROBLEMS)


def test_difficulty_mix_is_close_to_forty_fortyfive_fifteen() -> None:
    counts: Counter[str] = Counter(problem.difficulty for problem in PROBLEMS)
    for difficulty, target in TARGET_SHARES.items():
        share = counts[difficulty] / len(PROBLEMS)
        assert abs(share - target) <= SHARE_TOLERANCE, f"{difficulty}: {share:.1%} (target {target:.0%})"


def test_every_listed_topic_is_covered() -> None:
    covered = {tag for problem in PROBLEMS for tag in problem.tags}
    assert covered == set(TAGS)


@pytest.mark.parametrize("problem", PROBLEMS, ids=PROBLEM_IDS)
def test_problem_is_complete(problem: Problem) -> None:
    tests = BANK.expanded_tests(problem)
    assert len(problem.hints) == 3 and all(len(h) > 30 for h in problem.hints)
    assert len(tests) >= 8
    assert any(t.large for t in tests) and any(t.sample for t in tests)
    assert sum(not t.sample for t in tests) >= 3, "most tests must stay hidden"
    assert problem.complexity.time.startswith("O(") and problem.complexity.space
    assert problem.python.signature.startswith(f"def {problem.python.function_name}(")
    assert f"function {problem.javascript.function_name}(" in problem.javascript.signature
    assert problem.stdio.input_format and problem.stdio.output_format
    assert 1.0 <= problem.time_limit_s <= 2.0
    assert problem.naive_fails_large and problem.naive_solution, "every problem here has a slow brute force"


def test_bank_stays_small_on_disk() -> None:
    size = sum(path.stat().st_size for path in BANK_DIR.rglob("*") if path.is_file())
    assert size < 3 * 1024 * 1024


def test_invalid_problem_is_rejected_with_a_reason() -> None:
    raw = {
        "id": "broken",
        "title": "Broken",
        "difficulty": "easy",
        "tags": ["arrays"],
        "function_name": "broken",
        "params": [{"name": "values", "type": "int[]"}],
        "returns": "int",
        "time_limit_s": 2,
        "statement": "A statement that is long enough to pass the length check of the model.",
        "examples": [{"args": [[1]], "output": 1, "explanation": "one"}],
        "constraints": ["n >= 1"],
        "complexity": {"time": "O(n)", "space": "O(1)"},
        "hints": ["a", "b"],
        "reference_solution": "def broken(values):\n    return values[0]\n",
        "naive_solution": "def broken(values):\n    return values[0]\n",
        "tests": [{"args": [[2]], "expected": 2, "large": True}],
    }
    with pytest.raises(ValueError, match="hints"):
        parse_problem(raw)
    with pytest.raises(ValueError, match="at least 8 tests"):
        parse_problem({**raw, "hints": ["a", "b", "c"]})
    ragged = [{"args": [[1, 2]], "expected": "x", "large": True}] * 8
    with pytest.raises(ValueError, match="expected an integer"):
        parse_problem({**raw, "hints": ["a", "b", "c"], "tests": ragged})


# --- tests agree with the solutions -----------------------------------------------------------------


@pytest.mark.parametrize("problem", PROBLEMS, ids=PROBLEM_IDS)
def test_stored_answers_match_reference_and_independent_naive(problem: Problem) -> None:
    """Examples and hand-written tests store their answers: the reference must reproduce them, and
    the naive solution (an independent brute force) must agree on every test small enough for it."""
    reference = load_function(problem, problem.reference_solution, "reference")
    assert problem.naive_solution is not None
    naive = load_function(problem, problem.naive_solution, "naive")
    small = [test for test in BANK.expanded_tests(problem) if not test.large]
    with cpu_budget(NAIVE_SMALL_TESTS_BUDGET_S):  # tests the naive solution cannot finish must be `large`
        for test in small:
            assert call_function(problem, reference, test.args) == test.expected, test.name
            assert call_function(problem, naive, test.args) == test.expected, test.name


def test_generators_are_deterministic() -> None:
    for problem in PROBLEMS:
        for spec in problem.tests:
            if spec.generate is not None and not spec.large:
                assert generate_args(spec.generate) == generate_args(spec.generate), problem.id


def test_large_inputs_are_generated_not_stored() -> None:
    for path in BANK_DIR.glob("*.yaml"):
        assert path.stat().st_size < 20_000, path.name
    big = [t for p in PROBLEMS for t in BANK.expanded_tests(p) if t.large]
    assert sum(len(json.dumps(t.args)) > 50_000 for t in big) >= 35


# --- the stdin/stdout codec -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("int", -7, "-7\n"),
        ("bool", True, "true\n"),
        ("string", "", "\n"),
        ("string", "a#b", "a#b\n"),
        ("int[]", [3, -1, 2], "3\n3 -1 2\n"),
        ("int[]", [], "0\n\n"),
        ("string[]", ["#.", ".#"], "2\n#.\n.#\n"),
        ("int[][]", [[1, 2], [3, 4], [5, 6]], "3 2\n1 2\n3 4\n5 6\n"),
        ("int[][]", [], "0 0\n"),
        ("ListNode", [1, 2], "2\n1 2\n"),
        ("ListNode[]", [[1], []], "2\n1\n1\n0\n\n"),
        ("TreeNode", [1, None, 2, 3], "4\n1 null 2 3\n"),
    ],
)
def test_codec_writes_the_documented_text_and_reads_it_back(kind: str, value: Any, text: str) -> None:
    assert stdout_text(kind, value) == text  # type: ignore[arg-type]
    assert read_value(LineReader(text), kind) == value


def test_stdin_puts_arguments_in_signature_order() -> None:
    assert stdin_text(["int[]", "int"], [[4, 5], 9]) == "2\n4 5\n9\n"
    lines = format_value([[0, 1]], "int[][]") + format_value(3, "int")
    assert read_value(LineReader("\n".join(lines)), "int[][]") == [[0, 1]]


def test_structures_round_trip() -> None:
    listings: list[list[int | None]] = [
        [],
        [1],
        [1, None, 2, 3],
        [5, 4, 8, 11, None, 13, 4, 7, 2, None, None, None, 1],
    ]
    for listing in listings:
        assert prepai_tree_level_order(prepai_build_tree(listing)) == listing
    for values in ([], [1], [3, 1, 2]):
        assert prepai_linked_list_values(prepai_build_linked_list(values)) == values
    deep = list(range(200_000))  # no recursion: a long chain must not hit the recursion limit
    assert prepai_linked_list_values(prepai_build_linked_list(deep)) == deep


# --- what candidates see ---------------------------------------------------------------------------


def test_public_view_hides_solutions_hints_and_hidden_inputs() -> None:
    for problem in PROBLEMS:
        view = public_view(problem).model_dump()
        text = json.dumps(view)
        assert "reference_solution" not in view and "naive_solution" not in view
        assert problem.reference_solution.strip() not in text
        assert all(h not in text for h in problem.hints)
        assert view["hints_count"] == 3
        hidden = [t for t in BANK.expanded_tests(problem) if not t.sample]
        assert view["hidden_test_count"] == len(hidden)
        shown = [sample["input"] for sample in view["sample_tests"]]
        assert shown and all(t.args not in shown for t in hidden if not t.large)
        assert view["examples"][0]["input"].keys() == {p.name for p in problem.params}
        assert problem.python.function_name in view["python"]["starter_code"]


def test_hints_are_graded_and_bounded() -> None:
    problem = PROBLEMS[0]
    assert [hint(problem, level) for level in (1, 2, 3)] == problem.hints
    with pytest.raises(ValueError):
        hint(problem, 4)


def test_list_problems_filters_by_tag_and_difficulty() -> None:
    everything = list_problems(BANK)
    assert len(everything) == len(PROBLEMS)
    assert all("statement" not in summary.model_dump() for summary in everything)
    graphs = list_problems(BANK, tag="topological-sort")
    assert graphs and all("topological-sort" in s.tags for s in graphs)
    hard_heaps = list_problems(BANK, tag="heap", difficulty="hard")
    assert hard_heaps and all(s.difficulty == "hard" and "heap" in s.tags for s in hard_heaps)
    with pytest.raises(DomainError, match="Unknown tag") as unknown:
        list_problems(BANK, tag="quantum")
    assert (unknown.value.status, unknown.value.fields) == (422, ["tag"])
    with pytest.raises(ProblemNotFound):
        BANK.get("no-such-problem")


def test_runner_tests_fit_the_runner_models() -> None:
    problem = BANK.get("merge-two-sorted-lists")
    function_tests = [TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")]
    stdio_tests = [TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "stdio")]
    assert len(function_tests) == len(stdio_tests) == len(BANK.expanded_tests(problem))
    assert not function_tests[0].hidden and function_tests[-1].hidden
    assert function_tests[0].input == [[1, 4, 9], [2, 4, 10]]
    assert stdio_tests[0].stdin == "3\n1 4 9\n3\n2 4 10\n"
    assert stdio_tests[0].expected_stdout == "6\n1 2 4 4 9 10\n"
    assert limits_for(problem).max_output_bytes >= 1024 * 1024


# --- the self-check through the sandboxed runner -----------------------------------------------------


async def run_reference(problem: Problem) -> list[str]:
    limits = limits_for(problem)
    wrapped = function_submission(problem, "python", problem.reference_solution)
    as_function = await RUNNER.run(
        RunRequest(
            language="python",
            code=wrapped.code,
            function_name=wrapped.function_name,
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")],
            limits=limits,
        )
    )
    as_program = await RUNNER.run(
        RunRequest(
            language="python",
            code=python_stdio_program(problem, problem.reference_solution),
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "stdio")],
            limits=limits,
        )
    )
    return [
        describe_failure(problem, label, result)
        for label, result in (("function", as_function), ("stdio", as_program))
        if not result.all_passed
    ]


async def run_naive_on_large(problem: Problem) -> list[str]:
    assert problem.naive_solution is not None
    largest = [
        t
        for t, c in zip(
            runner_tests(problem, BANK.expanded_tests(problem), "function"),
            BANK.expanded_tests(problem),
            strict=True,
        )
        if c.large
    ]
    wrapped = function_submission(problem, "python", problem.naive_solution)
    result = await RUNNER.run(
        RunRequest(
            language="python",
            code=wrapped.code,
            function_name=wrapped.function_name,
            tests=[TestCase(**largest[-1])],
            limits=limits_for(problem),
        )
    )
    if result.verdict == "time_limit_exceeded":
        return []
    return [describe_failure(problem, "naive on the large test", result)]


async def test_every_reference_solution_passes_every_test_as_function_and_as_program() -> None:
    failures = await gather_limited([partial(run_reference, p) for p in PROBLEMS])
    assert [line for lines in failures for line in lines] == []


async def test_every_naive_solution_exceeds_the_time_limit_on_the_large_test() -> None:
    flagged = [p for p in PROBLEMS if p.naive_fails_large]
    failures = await gather_limited([partial(run_naive_on_large, p) for p in flagged])
    assert [line for lines in failures for line in lines] == []


async def test_a_classic_mistake_is_caught() -> None:
    """Greedy change-making passes the easy cases but not the hidden ones."""
    problem = BANK.get("exact-change")
    greedy = (
        "def fewest_coins(coins, amount):\n"
        "    used = 0\n"
        "    for coin in sorted(coins, reverse=True):\n"
        "        used += amount // coin\n"
        "        amount %= coin\n"
        "    return used if amount == 0 else -1\n"
    )
    result = await RUNNER.run(
        RunRequest(
            language="python",
            code=greedy,
            function_name=problem.python.function_name,
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")],
            limits=limits_for(problem),
        )
    )
    assert result.verdict == "wrong_answer"
    assert 0 < result.passed_count < result.total


JAVASCRIPT_SOLUTIONS = {
    "pair-sum-indices": """
function pairSumIndices(prices, target) {
  const seen = new Map();
  for (let j = 0; j < prices.length; j += 1) {
    if (seen.has(target - prices[j])) return [seen.get(target - prices[j]), j];
    seen.set(prices[j], j);
  }
  return [];
}
""",
    "merge-two-sorted-lists": """
function mergeTwoLists(first, second) {
  const dummy = new ListNode();
  let tail = dummy;
  while (first !== null && second !== null) {
    if (first.val <= second.val) { tail.next = first; first = first.next; }
    else { tail.next = second; second = second.next; }
    tail = tail.next;
  }
  tail.next = first !== null ? first : second;
  return dummy.next;
}
""",
    "merge-sorted-feeds": """
function mergeFeeds(feeds) {
  const nodes = [];
  for (const head of feeds) for (let node = head; node !== null; node = node.next) nodes.push(node);
  nodes.sort((a, b) => a.val - b.val);
  nodes.forEach((node, i) => { node.next = i + 1 < nodes.length ? nodes[i + 1] : null; });
  return nodes.length > 0 ? nodes[0] : null;
}
""",
    "tree-diameter": """
function treeDiameter(root) {
  if (root === null) return 0;
  const order = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    order.push(node);
    if (node.left) stack.push(node.left);
    if (node.right) stack.push(node.right);
  }
  const height = new Map();
  let best = 0;
  for (let i = order.length - 1; i >= 0; i -= 1) {
    const node = order[i];
    const left = node.left ? height.get(node.left) : 0;
    const right = node.right ? height.get(node.right) : 0;
    best = Math.max(best, left + right);
    height.set(node, 1 + Math.max(left, right));
  }
  return best;
}
""",
}


@pytest.mark.parametrize("problem_id", sorted(JAVASCRIPT_SOLUTIONS))
async def test_javascript_function_submissions_run_with_node_adapters(problem_id: str) -> None:
    problem = BANK.get(problem_id)
    wrapped = function_submission(problem, "javascript", JAVASCRIPT_SOLUTIONS[problem_id])
    result = await RUNNER.run(
        RunRequest(
            language="javascript",
            code=wrapped.code,
            function_name=wrapped.function_name,
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")],
            limits=limits_for(problem),
        )
    )
    assert result.all_passed, describe_failure(problem, "javascript", result)


PYTHON_WITH_PASTED_CLASS = """
class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


def build_linked_list(values):  # a helper of the candidate's own, same name as a common one
    return values


def merge_two_lists(first: ListNode | None, second: ListNode | None) -> ListNode | None:
    values = []
    for head in (first, second):
        while head is not None:
            values.append(head.val)
            head = head.next
    result = None
    for value in sorted(values, reverse=True):
        result = ListNode(value, result)
    return result
"""

JAVASCRIPT_WITH_PASTED_CLASS = """
class ListNode {
  constructor(val, next) { this.val = val === undefined ? 0 : val; this.next = next === undefined ? null : next; }
}
function mergeTwoLists(first, second) {
  const values = [];
  for (let head of [first, second]) for (; head !== null; head = head.next) values.push(head.val);
  values.sort((a, b) => a - b);
  let result = null;
  for (let i = values.length - 1; i >= 0; i -= 1) result = new ListNode(values[i], result);
  return result;
}
"""


@pytest.mark.parametrize(
    ("language", "source"),
    [("python", PYTHON_WITH_PASTED_CLASS), ("javascript", JAVASCRIPT_WITH_PASTED_CLASS)],
)
async def test_pasted_node_classes_and_helpers_do_not_break_the_adapters(language: str, source: str) -> None:
    problem = BANK.get("merge-two-sorted-lists")
    wrapped = function_submission(problem, language, source)  # type: ignore[arg-type]
    result = await RUNNER.run(
        RunRequest(
            language=language,  # type: ignore[arg-type]
            code=wrapped.code,
            function_name=wrapped.function_name,
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")],
            limits=limits_for(problem),
        )
    )
    assert result.all_passed, describe_failure(problem, language, result)


@pytest.mark.parametrize("future_import", ["", "from __future__ import annotations\n"])
async def test_error_lines_map_back_to_the_candidates_code(future_import: str) -> None:
    problem = BANK.get("sort-playlist")
    code = (
        future_import
        + "def sort_playlist(head: ListNode | None) -> ListNode | None:\n    return head.color\n"
    )
    failing_line = 2 + future_import.count("\n")
    wrapped = function_submission(problem, "python", code)
    result = await RUNNER.run(
        RunRequest(
            language="python",
            code=wrapped.code,
            function_name=wrapped.function_name,
            tests=[
                TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "function")[:2]
            ],
            limits=limits_for(problem),
        )
    )
    error = result.test_results[1].error or ""
    assert "AttributeError" in error and f"Line {failing_line + wrapped.line_offset}:" in error


CPP_MEETING_ROOMS = r"""
#include <bits/stdc++.h>
using namespace std;
int main() {
    int rows, cols;
    cin >> rows >> cols;
    vector<pair<long long, long long>> meetings(rows);
    for (auto& m : meetings) cin >> m.first >> m.second;
    sort(meetings.begin(), meetings.end());
    priority_queue<long long, vector<long long>, greater<long long>> ends;
    size_t best = 0;
    for (auto& m : meetings) {
        if (!ends.empty() && ends.top() <= m.first) ends.pop();
        ends.push(m.second);
        best = max(best, ends.size());
    }
    cout << best << "\n";
}
"""

JAVA_TRAIL_SUM = r"""
import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int count = Integer.parseInt(in.readLine().trim());
        String line = in.readLine();
        String[] tokens = count == 0 ? new String[0] : line.trim().split(" ");
        long target = Long.parseLong(in.readLine().trim());
        int n = tokens.length;
        if (n == 0) { System.out.println("false"); return; }
        int[] left = new int[n], right = new int[n], waiting = new int[n];
        Arrays.fill(left, -1);
        Arrays.fill(right, -1);
        int head = 0, tail = 0, index = 1;
        waiting[tail++] = 0;
        while (index < n) {
            int parent = waiting[head++];
            if (!tokens[index].equals("null")) { left[parent] = index; waiting[tail++] = index; }
            index++;
            if (index < n) {
                if (!tokens[index].equals("null")) { right[parent] = index; waiting[tail++] = index; }
                index++;
            }
        }
        long[] sum = new long[n];
        int[] stack = new int[n];
        int top = 0;
        stack[top++] = 0;
        sum[0] = Long.parseLong(tokens[0]);
        boolean found = false;
        while (top > 0 && !found) {
            int node = stack[--top];
            if (left[node] < 0 && right[node] < 0) { found = sum[node] == target; continue; }
            for (int child : new int[] {left[node], right[node]}) {
                if (child >= 0) { sum[child] = sum[node] + Long.parseLong(tokens[child]); stack[top++] = child; }
            }
        }
        System.out.println(found ? "true" : "false");
    }
}
"""


@pytest.mark.parametrize(
    ("problem_id", "language", "source"),
    [("meeting-rooms", "cpp", CPP_MEETING_ROOMS), ("trail-sum", "java", JAVA_TRAIL_SUM)],
    ids=["cpp-meeting-rooms", "java-trail-sum"],
)
async def test_stdin_form_is_readable_from_compiled_languages(
    problem_id: str, language: str, source: str
) -> None:
    problem = BANK.get(problem_id)
    result = await RUNNER.run(
        RunRequest(
            language=language,  # type: ignore[arg-type]
            code=source,
            tests=[TestCase(**t) for t in runner_tests(problem, BANK.expanded_tests(problem), "stdio")],
            limits=limits_for(problem),
        )
    )
    assert result.all_passed, describe_failure(problem, language, result)


def test_bank_directory_holds_only_problem_files() -> None:
    assert {path.suffix for path in Path(BANK_DIR).iterdir()} == {".yaml"}

"""The coding round's planner moves: the problem handed out, deterministic reactions to runs, graded hints
after repeated failures, and no reply to speech that asks for nothing while the candidate codes."""

from __future__ import annotations

from typing import Any

import pytest

from services.agent.domain.coding import shown
from services.agent.domain.planner import CandidateContext, InterviewState, ReplyPlan, plan_turn
from shared.events import CodeRun, FailedTest
from shared.interview_types import find_interview_type
from shared.question_bank import Question, load_question_bank

ADA = CandidateContext("Ada")
ANSWER = (
    "I would use a hash map from value to index, scanning once: for each element I check whether the complement "
    "is already in the map, which gives linear time and linear extra space, and I test the edge cases."
)
BANK = load_question_bank("coding")
ITYPE = find_interview_type("coding")
assert ITYPE is not None


def _turn(
    state: InterviewState, text: str | None = None, *, run: CodeRun | None = None, spoken: bool = False
) -> tuple[ReplyPlan, InterviewState]:
    assert ITYPE is not None
    return plan_turn(state, ITYPE, BANK, text, ADA, seed="s-1", run=run, spoken=spoken)


def _to_coding() -> tuple[ReplyPlan, InterviewState, Question]:
    """Answer until the coding question is asked; its plan hands the problem out."""
    plan, state = _turn(InterviewState())
    for _ in range(20):
        plan, state = _turn(state, ANSWER)
        if state.phase == "coding":
            question = {q.id: q for q in BANK}[state.current_question_id or ""]
            return plan, state, question
    raise AssertionError("the coding phase was never reached")


def _run(problem_id: str, verdict: str, passed: int, total: int = 10, **extra: Any) -> CodeRun:
    return CodeRun(
        submission_id="sub-1",
        problem_id=problem_id,
        language="python",
        verdict=verdict,
        verdict_label=verdict.replace("_", " "),
        passed=passed,
        total=total,
        **extra,
    )


def test_the_coding_question_hands_out_its_problem() -> None:
    plan, state, question = _to_coding()
    assert plan.hands_out == question.problem_id is not None
    assert state.problem_id == question.problem_id and state.runs == 0 and not state.solved
    assert question.text in plan.line and "editor" in plan.line


def test_a_passing_run_is_acknowledged_with_the_complexity_question_then_the_interview_moves_on() -> None:
    _, state, question = _to_coding()
    plan, state = _turn(state, run=_run(question.problem_id or "", "accepted", 10))
    assert plan.action == "run_feedback"
    assert (
        plan.text
        == "All 10 tests pass, hidden ones included. What are the time and space complexity of your solution?"
    )
    assert state.solved and state.runs == 1 and state.failed_runs == 0
    plan, state = _turn(state, ANSWER)
    assert plan.action in ("ask", "invite_questions") and state.current_question_id != question.id


def test_a_wrong_answer_names_the_failing_visible_example_without_the_solution() -> None:
    _, state, question = _to_coding()
    failed = FailedTest(input=[[1, 2, 3], 4], expected=[0, 2], actual=[1, 2])
    plan, state = _turn(state, run=_run(question.problem_id or "", "wrong_answer", 3, failed_test=failed))
    assert plan.text == (
        "3 of 10 tests pass. For the input [[1, 2, 3], 4] the expected answer is [0, 2], "
        "but your code returned [1, 2]."
    )
    assert not state.solved and state.failed_runs == 1
    assert not any(hint in plan.text for hint in question.hints)  # one failure: no hint yet


def test_hidden_failures_point_at_edge_cases_and_never_show_the_hidden_test() -> None:
    _, state, question = _to_coding()
    plan, _ = _turn(state, run=_run(question.problem_id or "", "wrong_answer", 8))
    assert plan.text.startswith("8 of 10 tests pass. The examples pass, but some hidden tests fail")


@pytest.mark.parametrize(
    ("verdict", "extra", "expected"),
    [
        (
            "time_limit_exceeded",
            {"target_time": "O(n)"},
            "6 of 10 tests pass, but it's too slow on the larger tests. Can you get it down to O(n) time?",
        ),
        (
            "compilation_error",
            {"compile_output": "Main.java:3: error: ';' expected\n  int x = 1\n"},
            "It doesn't compile yet: Main.java:3: error: ';' expected. Fix that and run it again.",
        ),
        (
            "runtime_error",
            {"failed_test": FailedTest(input=[[]], error="Traceback\nIndexError: list index out of range")},
            "6 of 10 tests pass; it crashes on the input [[]]: IndexError: list index out of range.",
        ),
    ],
)
def test_each_verdict_gets_its_own_reaction(verdict: str, extra: dict[str, Any], expected: str) -> None:
    _, state, question = _to_coding()
    plan, _ = _turn(state, run=_run(question.problem_id or "", verdict, 6, **extra))
    assert plan.text == expected


def test_every_second_failed_run_brings_the_next_graded_hint() -> None:
    _, state, question = _to_coding()
    wrong = _run(question.problem_id or "", "wrong_answer", 2)
    texts = []
    for _ in range(4):
        plan, state = _turn(state, run=wrong)
        texts.append(plan.text)
    assert question.hints[0] not in texts[0]
    assert texts[1].endswith(f"Here's a hint: {question.hints[0]}")
    assert question.hints[1] not in texts[2]
    assert texts[3].endswith(f"Here's a hint: {question.hints[1]}")
    assert state.hints_given == 2 and state.failed_runs == 4


def test_a_run_for_another_problem_is_not_judged_as_this_one() -> None:
    _, state, _question = _to_coding()
    plan, new = _turn(state, run=_run("some-other-problem", "accepted", 10))
    assert "not working on that problem" in plan.text
    assert not new.solved and new.runs == 0


@pytest.mark.parametrize("words", ["okay so I loop over the array and keep a counter", "hmm", "uh"])
def test_thinking_aloud_while_coding_gets_no_reply(words: str) -> None:
    _, state, question = _to_coding()
    plan, new = _turn(state, words, spoken=True)
    assert plan.action == "listen" and plan.text == ""
    assert new.current_question_id == question.id and new.hints_given == 0


@pytest.mark.parametrize(
    ("words", "action"),
    [("can I get a hint", "hint"), ("could you repeat the question", "clarify")],
)
def test_a_spoken_request_while_coding_is_answered(words: str, action: str) -> None:
    _, state, _question = _to_coding()
    plan, _ = _turn(state, words, spoken=True)
    assert plan.action == action and plan.text


def test_saying_done_moves_on_and_typed_answers_are_always_answered() -> None:
    _, state, question = _to_coding()
    plan, new = _turn(state, "I think I'm done, let's move on", spoken=True)
    assert plan.action != "listen" and plan.text
    typed, _ = _turn(state, "okay so I loop over the array and keep a counter")
    assert typed.action != "listen" and typed.text
    assert question.id in new.asked_question_ids


def test_after_a_passing_run_speech_is_an_answer_again() -> None:
    _, state, question = _to_coding()
    _, state = _turn(state, run=_run(question.problem_id or "", "accepted", 10))
    plan, _ = _turn(state, "it is linear time and linear space because of the hash map", spoken=True)
    assert plan.action != "listen"


def test_long_values_are_cut_when_said() -> None:
    assert shown(list(range(100))).endswith("...") and len(shown(list(range(100)))) == 80
    assert shown("a\n b") == "a b"

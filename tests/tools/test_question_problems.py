"""Every coding question the interviewer can ask is handed out as a problem of the problem bank, with tests;
a question naming a problem that does not exist stops the tools service's start."""

from __future__ import annotations

import pytest

from services.tools.problems import BankError, ProblemBank, check_question_problems
from shared.question_bank import Question, all_question_banks


@pytest.fixture(scope="module")
def bank() -> ProblemBank:
    return ProblemBank.load()


def _coding_questions() -> list[Question]:
    return [q for questions in all_question_banks().values() for q in questions if q.phase == "coding"]


def test_every_coding_question_names_a_problem_with_tests(bank: ProblemBank) -> None:
    questions = _coding_questions()
    assert len(questions) >= 20
    check_question_problems(questions, bank)
    for question in questions:
        assert question.problem_id is not None, question.id
        problem = bank.get(question.problem_id)
        assert bank.expanded_tests(problem), question.id


def test_only_coding_questions_name_a_problem() -> None:
    others = [q for qs in all_question_banks().values() for q in qs if q.phase != "coding"]
    assert others and all(q.problem_id is None for q in others)


def test_a_question_naming_an_unknown_problem_is_refused(bank: ProblemBank) -> None:
    question = _coding_questions()[0].model_copy(update={"problem_id": "no-such-problem"})
    with pytest.raises(BankError, match="no-such-problem"):
        check_question_problems([question], bank)

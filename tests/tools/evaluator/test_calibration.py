"""The evaluator against hand-graded answers (tests/tools/evaluator/calibration/answers.yaml): per interview
type the overall score must order strong > adequate > weak > nonsense (Spearman >= 0.85), and an interview
of nonsense must never score above 2.0."""

from __future__ import annotations

import pytest

from bench.calibration import (
    HOLDOUT,
    LEVELS,
    TypeResult,
    cases,
    load_answers,
    pooled_spearman,
    run,
    score_cases,
    spearman,
)
from services.tools.evaluator import Lexicon
from shared.interview_types import INTERVIEW_TYPES


@pytest.fixture(scope="module")
def results() -> dict[str, TypeResult]:
    return {r.interview_type: r for r in run(Lexicon.load())}


def test_every_interview_type_has_several_questions_at_every_level() -> None:
    answers = load_answers()
    assert set(answers) == {t.id for t in INTERVIEW_TYPES}
    for type_id, questions in answers.items():
        assert len(questions) >= 3, type_id
        for question_id, by_level in questions.items():
            assert set(by_level) == set(LEVELS), question_id
            assert len({text.strip() for text in by_level.values()}) == 4, question_id  # no answer reused


@pytest.mark.parametrize("type_id", [t.id for t in INTERVIEW_TYPES])
def test_the_overall_score_ranks_answers_by_quality(results: dict[str, TypeResult], type_id: str) -> None:
    result = results[type_id]
    assert result.spearman >= 0.85, result
    assert result.nonsense_max <= 2.0, result
    means = [result.mean_by_level[level] for level in LEVELS]
    assert means == sorted(means, reverse=True), result  # strong > adequate > weak > nonsense on average
    wholes = [result.whole_by_level[level] for level in LEVELS]
    assert wholes == sorted(wholes, reverse=True) and wholes[0] - wholes[2] >= 3.0, result


def test_spearman_is_computed_with_tied_ranks() -> None:
    assert spearman([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0]) == pytest.approx(1.0)
    assert spearman([0, 1, 2, 3], [4.0, 3.0, 2.0, 1.0]) == pytest.approx(-1.0)
    assert spearman([0, 0, 1, 1], [1.0, 2.0, 3.0, 4.0]) == pytest.approx(0.8944, abs=1e-3)


def test_cases_include_one_whole_interview_per_level_and_type() -> None:
    found = cases(load_answers())
    wholes = [(c.interview_type, c.level) for c in found if len(c.question_ids) > 1]
    assert len(wholes) == len(INTERVIEW_TYPES) * len(LEVELS)


def test_held_out_answers_are_ordered_too() -> None:
    """Questions the rubric was not tuned on (holdout.yaml): the same bar, pooled over every type."""
    scored = score_cases(Lexicon.load(), HOLDOUT)
    assert {case.interview_type for case, _ in scored} == {t.id for t in INTERVIEW_TYPES}
    assert pooled_spearman(scored) >= 0.85
    assert max(score for case, score in scored if case.level == "nonsense") <= 2.0
    for type_id in {case.interview_type for case, _ in scored}:
        by_level = {case.level: score for case, score in scored if case.interview_type == type_id}
        assert by_level["strong"] > by_level["adequate"] > by_level["weak"] > by_level["nonsense"], type_id

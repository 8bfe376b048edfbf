"""The rubric's parts on small, hand-made transcripts: key points with quoted evidence, the gates that keep
non-answers near zero, STAR, delivery from word timings, code from submissions, null competencies and
renormalised weights, the recommendation, the model judge's anchoring."""

from __future__ import annotations

import pytest

from bench.calibration import session_record
from services.tools.evaluator import Lexicon, evaluate
from services.tools.evaluator.answers import (
    AnalysisInputs,
    Answer,
    analyze_answer,
    star_parts,
)
from services.tools.evaluator.code import assess_code
from services.tools.evaluator.delivery import delivery_metrics
from services.tools.evaluator.judge import LlmGrade, anchored_score, parse_grade
from services.tools.evaluator.report_builder import recommendation_for
from services.tools.evaluator.session import _bank_question, build_domain
from shared.events import Word
from shared.question_bank import load_question_bank
from shared.report import WEIGHTS
from shared.tools_api import CodeSubmission, QualityMetrics

STRONG_DYNAMO = (
    "I'd pick DynamoDB when the access patterns are known and mostly key-value lookups by id, and I need "
    "predictable single-digit millisecond latency at any scale. The partition key design drives scaling, so a "
    "hot key throttles. I'd stay with PostgreSQL for joins and ad-hoc queries, or multi-row transactions."
)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def _analyze(
    lexicon: Lexicon, type_id: str, question_id: str, answer: str, earlier: list[set[str]] | None = None
):  # type: ignore[no-untyped-def]
    bank = load_question_bank(type_id)
    question = next(q for q in bank if q.id == question_id)
    record = session_record(type_id, "t", [(question_id, answer)])
    inputs = AnalysisInputs(lexicon=lexicon, domain=build_domain(record, bank, lexicon))
    return analyze_answer(_bank_question(question, "q1"), [Answer("a1", answer)], inputs, earlier or [])


def test_key_points_are_matched_with_the_candidates_words_as_evidence(lexicon: Lexicon) -> None:
    analysis = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", STRONG_DYNAMO)
    covered = {k.point: k for k in analysis.key_points if k.strength == 1}
    assert "partition key design drives scaling" in covered
    quote = covered["partition key design drives scaling"].quote
    assert quote is not None and quote.turn_id == "a1" and "partition key" in quote.quote
    assert quote.quote in STRONG_DYNAMO  # a quote is the candidate's own words, never paraphrased
    assert analysis.flags == [] and analysis.score >= 6


@pytest.mark.parametrize(
    ("answer", "flag"),
    [
        ("", "empty"),
        ("sdfkj lkjwer qpwoeir zmxncb alskdj qwpeoir", "gibberish"),
        ("My cat loves sleeping on the sofa all afternoon while it rains outside.", "off_topic"),
        (
            "When would you choose DynamoDB over a relational database like PostgreSQL for a new service?",
            "echo",
        ),
        ("I don't know.", "dont_know"),
    ],
)
def test_non_answers_are_flagged_and_score_near_zero(lexicon: Lexicon, answer: str, flag: str) -> None:
    analysis = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", answer)
    assert flag in analysis.flags
    assert analysis.score <= 1.0


def test_an_answer_repeating_an_earlier_one_is_flagged(lexicon: Lexicon) -> None:
    earlier = [lexicon.concepts(STRONG_DYNAMO)]
    analysis = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", STRONG_DYNAMO, earlier)
    assert "repeated" in analysis.flags and analysis.score < 2


def test_star_parts_are_found_in_a_story() -> None:
    story = (
        "Last year our team had a failing release. My task was to fix the pipeline. I rewrote the tests and "
        "I added an alarm. As a result, failures dropped by 80%."
    )
    assert star_parts(story) == {"situation": True, "task": True, "action": True, "result": True}
    assert star_parts("We should always communicate well.") == {
        "situation": False,
        "task": False,
        "action": False,
        "result": False,
    }


def test_nonsense_interview_scores_at_most_two_and_is_no_hire(lexicon: Lexicon) -> None:
    bank = load_question_bank("google_sde")
    junk = ["asdf qwer zxcv", "I like turtles and pancakes on sunday mornings.", "um uh you know like yeah"]
    record = session_record("google_sde", "junk", [(q.id, junk[i % 3]) for i, q in enumerate(bank[:6])])
    report = evaluate(record, bank, lexicon, generated_at="now")
    assert report.overall_score <= 2.0 and report.recommendation == "NO_HIRE"
    assert report.improvements and all(q.score is not None and q.score <= 1 for q in report.questions)


def test_behavioral_interview_has_no_code_quality_and_renormalised_weights(lexicon: Lexicon) -> None:
    bank = load_question_bank("behavioral")
    story = (
        "Last year our team of five had to migrate payments in six weeks. My task was the data migration. "
        "I designed a dual-write approach and I paired daily with two new engineers. As a result we switched "
        "over with zero downtime two days early."
    )
    record = session_record("behavioral", "b", [("behavioral-tech-01", story)])
    report = evaluate(record, bank, lexicon, generated_at="now")
    assert report.scores["codeQuality"] is None and report.scores["technicalKnowledge"] is None
    assert "no code" in report.competencies["codeQuality"].reason
    judged = [c for c in report.competencies.values() if c.score is not None]
    assert sum(c.applied_weight for c in judged) == pytest.approx(1.0, abs=1e-3)
    expected = sum((c.score or 0) * WEIGHTS[n] for n, c in report.competencies.items()) / sum(
        WEIGHTS[n] for n, c in report.competencies.items() if c.score is not None
    )
    assert report.overall_score == pytest.approx(expected, abs=0.06)
    assert report.questions[0].star == {"situation": True, "task": True, "action": True, "result": True}
    assert report.evidence["culturalFit"] and report.evidence["culturalFit"][0].turn_id == "t0-a"


def test_delivery_from_word_timings() -> None:
    # 12 words over 5 s with a 3 s pause and two fillers.
    texts = ["So", "um", "I", "would", "use", "a", "hash", "map", "uh", "for", "lookups", "here"]
    words, t = [], 0.0
    for i, text in enumerate(texts):
        words.append(Word(word=text, start=t, end=t + 0.15))
        t += 0.15 + (3.0 if i == 5 else 0.02)
    delivery = delivery_metrics([words])
    assert delivery is not None
    assert delivery.long_pauses == 1 and delivery.top_fillers == {"um": 1, "uh": 1}
    assert delivery.filler_share == pytest.approx(2 / 12, abs=1e-3)
    assert delivery.words_per_minute == pytest.approx(12 / (words[-1].end / 60), rel=0.01)
    assert delivery_metrics([[], []]) is None


def _submission(
    passed: int, total: int, verdict: str, quality: float, at: str, complexity: int = 3
) -> CodeSubmission:
    return CodeSubmission(
        submission_id=at,
        session_id="s",
        submitted_at=at,
        language="python",
        problem_id="two-sum",
        code="def f(): pass",
        verdict=verdict,  # type: ignore[arg-type]
        verdict_label=verdict,
        all_tests_passed=passed == total,
        passed_count=passed,
        total=total,
        execution_time_ms=1.0,
        test_results=[],
        quality_metrics=QualityMetrics(
            language="python",
            lines_of_code=10,
            comment_lines=1,
            blank_lines=1,
            comment_ratio=0.1,
            functions=[],
            average_complexity=complexity,
            max_complexity=complexity,
            quality_score=quality,
            deductions=[],
        ),
    )


def test_code_is_judged_on_the_final_submission_per_problem() -> None:
    early = _submission(1, 10, "wrong_answer", 4.0, "2026-01-01T00:00:00")
    final = _submission(10, 10, "accepted", 9.0, "2026-01-01T00:05:00")
    good = assess_code([final, early], {"two-sum": "O(n)"})
    assert good is not None and good.tests_passed == 10 and good.met_target and good.score >= 9
    slow = assess_code([_submission(6, 10, "time_limit_exceeded", 9.0, "x")], {"two-sum": "O(n)"})
    assert slow is not None and slow.met_target is False and slow.score < good.score
    assert "0/1 within the target complexity (O(n))" in slow.reason and "6/10 tests passed" in slow.reason
    assert assess_code([], {}) is None


@pytest.mark.parametrize(
    ("overall", "label"),
    [(9.0, "STRONG_HIRE"), (7.0, "HIRE"), (5.5, "LEAN_HIRE"), (4.0, "LEAN_NO_HIRE"), (1.0, "NO_HIRE")],
)
def test_recommendation_bands(overall: float, label: str) -> None:
    assert recommendation_for(overall) == label


def test_a_model_grade_is_validated_and_anchored_to_the_rubric(lexicon: Lexicon) -> None:
    assert (
        parse_grade('Sure! {"score": 7, "covered_key_points": [1], "correct": true, "feedback": "ok"}')
        is not None
    )
    assert parse_grade('{"score": 42, "correct": true, "feedback": "x"}') is None  # out of range
    assert parse_grade("no json here") is None
    real = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", STRONG_DYNAMO)
    generous = LlmGrade(score=10, correct=True, feedback="perfect")
    assert anchored_score(real, generous) <= real.score + 1.0 + 1e-9  # at most MAX_SHIFT, averaged: +1
    harsh = LlmGrade(score=0, correct=False, feedback="wrong")
    assert real.score - 1.0 <= anchored_score(real, harsh) < real.score
    junk = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", "qwpoeiru zxmcnvb lkajsdf")
    assert anchored_score(junk, generous) == junk.score  # a model cannot find merit in a non-answer


def test_a_bare_list_of_the_right_terms_is_not_an_answer(lexicon: Lexicon) -> None:
    salad = (
        "DynamoDB partition key access patterns latency scale PostgreSQL joins ad-hoc queries transactions"
    )
    analysis = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", salad)
    assert "keyword_list" in analysis.flags and analysis.score < 3
    looped = _analyze(
        lexicon, "amazon_sde", "amazon_sde-tech-01", "I would use DynamoDB because it is good. " * 8
    )
    assert "repetitive" in looped.flags and looped.score < 1


def test_hedging_is_a_signal_and_costs_a_little(lexicon: Lexicon) -> None:
    sure = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", STRONG_DYNAMO)
    unsure_text = "I think " + STRONG_DYNAMO.replace("I'd stay", "Maybe I'd stay").replace(
        "so a hot", "so probably a hot"
    )
    unsure = _analyze(lexicon, "amazon_sde", "amazon_sde-tech-01", unsure_text)
    assert unsure.hedges == ["i think", "probably", "maybe"] and not sure.hedges
    assert sure.score - 1.0 <= unsure.score < sure.score


def test_a_question_outside_the_bank_is_named_by_what_it_asked() -> None:
    from services.tools.evaluator.session import asked_in

    greeting = (
        "Hi Grace, I'm Alex, and I'll be your interviewer today. We'll talk about your background. "
        "To start, could you tell me a little about yourself?"
    )
    assert asked_in(greeting) == "To start, could you tell me a little about yourself?"
    assert asked_in("Thanks, that's all from me.") == "Thanks, that's all from me."

"""From the analysed interview to the performance report: the five competency scores with their
evidence (or null and why), the weighted overall score and recommendation, strengths and improvements
that quote the moment they are about, per-question feedback and a short summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.tools.evaluator.answers import AnswerAnalysis, KeyPointMatch
from services.tools.evaluator.delivery import PACE_GOOD, delivery_score
from services.tools.evaluator.judge import LlmGrade, anchored_score
from services.tools.evaluator.session import SessionAnalysis
from shared.report import (
    WEIGHTS,
    Competency,
    CompetencyScore,
    Judge,
    PerformanceReport,
    QuestionFeedback,
    Quote,
    Recommendation,
)

BANK_COMPETENCY: dict[str, Competency] = {
    "technical_knowledge": "technicalKnowledge",
    "problem_solving": "problemSolving",
    "communication": "communication",
    "code_quality": "codeQuality",
    "culture_fit": "culturalFit",
}
LABEL: dict[Competency, str] = {
    "technicalKnowledge": "technical knowledge",
    "problemSolving": "problem solving",
    "communication": "communication",
    "codeQuality": "code quality",
    "culturalFit": "cultural fit",
}
# Overall score -> recommendation, highest first.
RECOMMENDATIONS: tuple[tuple[float, Recommendation], ...] = (
    (8.0, "STRONG_HIRE"),
    (6.5, "HIRE"),
    (5.0, "LEAN_HIRE"),
    (3.5, "LEAN_NO_HIRE"),
    (0.0, "NO_HIRE"),
)
FLAG_TEXT = {
    "empty": "was empty",
    "gibberish": "could not be read as words",
    "repetitive": "repeated the same words over and over",
    "keyword_list": "listed terms without explaining them",
    "off_topic": "did not address the question",
    "echo": "only repeated the question back",
    "repeated": "repeated an earlier answer",
    "dont_know": "said they did not know, without reasoning towards an answer",
}


@dataclass(frozen=True)
class Graded:
    """One answer with its final score (the rubric's, or anchored to a model's grade)."""

    analysis: AnswerAnalysis
    score: float
    grade: LlmGrade | None = None


def recommendation_for(overall: float) -> Recommendation:
    return next(label for floor, label in RECOMMENDATIONS if overall >= floor)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _evidence(graded: list[Graded], limit: int = 3) -> list[Quote]:
    quotes: list[Quote] = []
    for g in sorted(graded, key=lambda g: -g.score):
        if g.analysis.best_quote and g.analysis.best_quote not in quotes:
            quotes.append(g.analysis.best_quote)
    return quotes[:limit]


def _by_competency(graded: list[Graded], competency: str) -> list[Graded]:
    return [g for g in graded if competency in g.analysis.question.competencies]


def _scored(value: float | None, reason: str, evidence: list[Quote]) -> tuple[float | None, str, list[Quote]]:
    return (None if value is None else round(min(10.0, max(0.0, value)), 1)), reason, evidence


def _from_questions(
    graded: list[Graded], competency: str, label: str
) -> tuple[float | None, str, list[Quote]]:
    relevant = _by_competency(graded, competency)
    if not relevant:
        return None, f"no question in this interview probed {label}", []
    value = _mean([g.score for g in relevant])
    return _scored(value, f"mean of {len(relevant)} answer(s) to questions on {label}", _evidence(relevant))


def _problem_solving(session: SessionAnalysis, graded: list[Graded]) -> tuple[float | None, str, list[Quote]]:
    value, reason, evidence = _from_questions(graded, "problem_solving", "problem solving")
    code = session.code
    if code is None or not code.tests_total:
        return value, reason, evidence
    tests = 10 * code.tests_passed / code.tests_total
    if value is None:
        return _scored(tests, f"from the code: {code.tests_passed}/{code.tests_total} tests passed", evidence)
    return _scored(
        0.75 * value + 0.25 * tests,
        f"{reason}; 25% from tests passed ({code.tests_passed}/{code.tests_total})",
        evidence,
    )


def _communication(session: SessionAnalysis, graded: list[Graded]) -> tuple[float | None, str, list[Quote]]:
    if not graded:
        return None, "the candidate gave no answer to judge", []
    # How well each answer was put across, tied to whether it answered at all (nonsense is not clear).
    per_answer = [0.5 * g.score + 5 * g.analysis.clarity * g.analysis.gate for g in graded]
    value = sum(per_answer) / len(per_answer)
    reason = f"clarity and structure of {len(graded)} answer(s)"
    if session.delivery is not None:
        spoken = delivery_score(session.delivery, session.spoken_minutes)
        value = 0.7 * value + 0.3 * min(spoken, value + 3)  # good pace cannot carry empty answers
        reason += f"; 30% delivery ({session.delivery.words_per_minute:.0f} wpm, {session.delivery.filler_share:.0%} fillers)"
    return _scored(value, reason, _evidence(graded))


def _code_quality(session: SessionAnalysis) -> tuple[float | None, str, list[Quote]]:
    if session.code is not None:
        return _scored(session.code.score, session.code.reason, [])
    if session.coding_asked:
        return 0.0, "a coding question was asked but no code was run", []
    return None, "no code was written in this interview", []


def competency_scores(session: SessionAnalysis, graded: list[Graded]) -> dict[Competency, CompetencyScore]:
    """The five seeds: a score with its reason and evidence, or None with the reason; weights renormalised."""
    judges: dict[Competency, Callable[[], tuple[float | None, str, list[Quote]]]] = {
        "technicalKnowledge": lambda: _from_questions(graded, "technical_knowledge", "technical knowledge"),
        "problemSolving": lambda: _problem_solving(session, graded),
        "communication": lambda: _communication(session, graded),
        "codeQuality": lambda: _code_quality(session),
        "culturalFit": lambda: _from_questions(graded, "culture_fit", "cultural fit"),
    }
    raw = {name: judge() for name, judge in judges.items()}
    total = sum(WEIGHTS[name] for name, (score, _, _) in raw.items() if score is not None)
    return {
        name: CompetencyScore(
            score=score,
            weight=WEIGHTS[name],
            applied_weight=round(WEIGHTS[name] / total, 4) if score is not None and total else 0.0,
            reason=reason,
            evidence=evidence,
        )
        for name, (score, reason, evidence) in raw.items()
    }


def overall_score(competencies: dict[Competency, CompetencyScore]) -> float:
    return round(sum((c.score or 0.0) * c.applied_weight for c in competencies.values()), 1)


def _covered(analysis: AnswerAnalysis) -> list[KeyPointMatch]:
    return [k for k in analysis.key_points if k.strength >= 1]


def _missed(analysis: AnswerAnalysis) -> list[str]:
    return [k.point for k in analysis.key_points if k.strength == 0]


def _feedback(g: Graded) -> str:
    a = g.analysis
    bad = [FLAG_TEXT[f] for f in a.flags if f in FLAG_TEXT]
    if bad:
        credit = "almost no" if a.gate <= 0.2 else "little"
        return f"The answer {' and '.join(bad)}; it earns {credit} credit."
    parts: list[str] = []
    if a.key_points:
        parts.append(f"Covered {len(_covered(a))} of {len(a.key_points)} key points")
        if _missed(a):
            parts[-1] += f"; missing: {'; '.join(_missed(a))}"
    if a.star is not None:
        absent = [part for part, present in a.star.items() if not present]
        parts.append(
            "Complete STAR story" if not absent else f"STAR story without a clear {', '.join(absent)}"
        )
    if a.depth < 0.4:
        parts.append("Too brief: explain your reasoning and give specifics")
    elif a.reasoning < 0.34 and g.score < 8:
        parts.append("Say why, not only what (trade-offs, alternatives)")
    if len(a.hedges) >= 2:
        said = ", ".join(f'"{h}"' for h in dict.fromkeys(a.hedges))
        parts.append(f"Sounded unsure ({said}): state what you know, then what you would check")
    if g.grade is not None:
        parts.append(f"Judge: {g.grade.feedback}")
    return ". ".join(parts) + "." if parts else "Answered."


def question_feedback(session: SessionAnalysis, graded: list[Graded]) -> list[QuestionFeedback]:
    items = [
        QuestionFeedback(
            question=g.analysis.question.text or "(the candidate spoke first)",
            turn_id=g.analysis.question.turn_id,
            answer_turn_ids=[a.turn_id for a in g.analysis.answers],
            score=round(g.score, 1),
            feedback=_feedback(g),
            covered=[k.point for k in _covered(g.analysis)],
            missed=_missed(g.analysis),
            star=g.analysis.star,
        )
        for g in graded
    ]
    items += [
        QuestionFeedback(
            question=q.text, turn_id=q.turn_id, feedback="Not answered.", missed=list(q.key_points)
        )
        for q in session.unanswered
    ]
    return items


def strengths(session: SessionAnalysis, graded: list[Graded]) -> list[str]:
    found: list[str] = []
    for g in sorted(graded, key=lambda g: -g.score):
        if g.score < 6.5 or len(found) >= 3:
            break
        covered = _covered(g.analysis)
        what = (
            f"covered {', '.join(k.point for k in covered[:3])}"
            if covered
            else "gave a clear, specific answer"
        )
        quote = g.analysis.best_quote
        # The moment is named by the question and the candidate's words (its turn id is in `evidence`).
        said = f' — you said: "{quote.quote}"' if quote else ""
        found.append(f'On "{_short(g.analysis.question.text)}" you {what}{said}.')
    delivery = session.delivery
    if (
        delivery
        and PACE_GOOD[0] <= delivery.words_per_minute <= PACE_GOOD[1]
        and delivery.filler_share < 0.03
    ):
        found.append(
            f"Spoke at an easy pace ({delivery.words_per_minute:.0f} words a minute) with few fillers."
        )
    code = session.code
    if code and code.tests_total and code.tests_passed == code.tests_total:
        found.append(f"Your final code passed all {code.tests_total} tests.")
    return found


def _improvement(g: Graded) -> str | None:
    a = g.analysis
    quote = a.best_quote
    said = f' (you said: "{quote.quote}")' if quote else ""
    question = _short(a.question.text)
    bad = [FLAG_TEXT[f] for f in a.flags if f in FLAG_TEXT]
    if bad:
        return f'Your answer to "{question}" {" and ".join(bad)}{said}.'
    if a.star is not None and not all(a.star.values()):
        absent = ", ".join(part for part, present in a.star.items() if not present)
        return (
            f'Your story for "{question}" lacked a clear {absent}{said}: use situation, task, action, result.'
        )
    missed = _missed(a)
    if missed:
        return f'On "{question}" you did not cover: {"; ".join(missed[:3])}{said}.'
    if a.depth < 0.4:
        return f'Your answer to "{question}" was too brief to show depth{said}.'
    return None


def improvements(session: SessionAnalysis, graded: list[Graded]) -> list[str]:
    found = [
        text for g in sorted(graded, key=lambda g: g.score) if g.score < 6.5 and (text := _improvement(g))
    ]
    found = found[:4]
    delivery = session.delivery
    if delivery is not None:
        if delivery.filler_share >= 0.05:
            top = ", ".join(f'"{w}" ×{n}' for w, n in delivery.top_fillers.items())
            found.append(f"Cut the filler words: {delivery.filler_share:.0%} of your words ({top}).")
        if not PACE_GOOD[0] <= delivery.words_per_minute <= PACE_GOOD[1]:
            found.append(f"Your pace was {delivery.words_per_minute:.0f} words a minute; aim for 120-170.")
        if delivery.long_pauses >= 3:
            found.append(
                f"{delivery.long_pauses} pauses over {delivery.long_pause_s:.0f} s: outline the answer first, then speak."
            )
    code = session.code
    if code and code.tests_total and code.tests_passed < code.tests_total:
        found.append(
            f"Your final code passed {code.tests_passed} of {code.tests_total} tests: test edge cases before submitting."
        )
    if session.coding_asked and code is None:
        found.append("You were asked to code but never ran any code.")
    return found


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeio" else "a"


def summary(
    session: SessionAnalysis,
    graded: list[Graded],
    competencies: dict[Competency, CompetencyScore],
    overall: float,
) -> str:
    record = session.record
    asked = len(graded) + len(session.unanswered)
    scored = {name: c.score for name, c in competencies.items() if c.score is not None}
    text = f"{record.candidate_name} answered {len(graded)} of {asked} question(s) in {_article(record.interview_type_name)} {record.interview_type_name} interview and scored {overall:.1f}/10 overall."
    if scored:
        best = max(scored, key=lambda n: scored[n] or 0.0)
        worst = min(scored, key=lambda n: scored[n] or 0.0)
        text += f" Strongest in {LABEL[best]} ({scored[best]:.1f}), weakest in {LABEL[worst]} ({scored[worst]:.1f})."
    not_answers = sum(1 for g in graded if g.analysis.gate < 1)
    if not_answers:
        text += f" {not_answers} answer(s) did not address the question and earned almost nothing."
    return text


def build_report(
    session: SessionAnalysis,
    graded: list[Graded],
    *,
    judge: Judge,
    generated_at: str,
) -> PerformanceReport:
    competencies = competency_scores(session, graded)
    overall = overall_score(competencies)
    record = session.record
    return PerformanceReport(
        session_id=record.session_id,
        interview_type=record.interview_type,
        candidate_name=record.candidate_name,
        generated_at=generated_at,
        overall_score=overall,
        scores={name: c.score for name, c in competencies.items()},
        competencies=competencies,
        evidence={name: c.evidence for name, c in competencies.items()},
        strengths=strengths(session, graded),
        improvements=improvements(session, graded),
        recommendation=recommendation_for(overall),
        summary=summary(session, graded, competencies, overall),
        questions=question_feedback(session, graded),
        delivery=session.delivery,
        judge=judge,
    )


def grade_answers(session: SessionAnalysis, grades: dict[int, LlmGrade] | None = None) -> list[Graded]:
    """Each answer's final score: the rubric's, anchored to the model's grade where one was given
    (`grades`: answer index -> grade)."""
    grades = grades or {}
    return [
        Graded(
            analysis=a, score=anchored_score(a, grades.get(i)), grade=grades.get(i) if a.gate >= 1 else None
        )
        for i, a in enumerate(session.answers)
    ]

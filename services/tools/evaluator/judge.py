"""The optional model judge's side of the rubric: what it is asked, the structured grade it must answer
with, and how that grade is anchored to the deterministic measures.

A model may read an answer better than word matching (a correct explanation in unexpected words), but it
can also be talked into generosity. So its grade is validated (pydantic), moved at most `MAX_SHIFT` points
away from the rubric's, and never applied to an answer the rubric found was not an answer at all.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, ValidationError

from services.tools.evaluator.answers import AnswerAnalysis

MAX_SHIFT = 2.0
RUBRIC_VERSION = "rubric-1"


class LlmGrade(BaseModel):
    """The judge model's answer, as JSON."""

    score: float = Field(ge=0, le=10, description="0-10 for the answer against the key points")
    covered_key_points: list[int] = Field(
        default_factory=list, description="1-based indexes of key points covered"
    )
    correct: bool = Field(description="no technical mistakes in what the candidate said")
    feedback: str = Field(max_length=600, description="one or two sentences for the candidate")


def judge_prompt(analysis: AnswerAnalysis, interview_type: str) -> str:
    """The grading request for one answer: the rubric, the key points and the answer, JSON out."""
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(analysis.question.key_points, 1)) or "(none)"
    return (
        f"You grade one answer in a {interview_type} practice interview.\n"
        f"Question: {analysis.question.text}\n"
        f"Key points a strong answer covers:\n{points}\n"
        f'Candidate\'s answer:\n"""\n{analysis.text[:4000]}\n"""\n'
        "Rubric: 9-10 covers nearly every key point with specifics and sound reasoning; 6-8 covers most "
        "points correctly; 3-5 vague or partial; 0-2 wrong, empty, off topic or nonsense.\n"
        'Reply with JSON only: {"score": <0-10>, "covered_key_points": [<numbers>], "correct": <true|false>, '
        '"feedback": "<one or two sentences>"}'
    )


def anchored_score(analysis: AnswerAnalysis, grade: LlmGrade | None) -> float:
    """The answer's final score: the rubric's, moved towards the model's by at most MAX_SHIFT."""
    if grade is None or analysis.gate < 1.0:
        return analysis.score
    low, high = max(0.0, analysis.score - MAX_SHIFT), min(10.0, analysis.score + MAX_SHIFT)
    clamped = min(high, max(low, grade.score))
    if not grade.correct:  # a model that saw a mistake lowers the grade; it cannot raise it past the rubric
        clamped = min(clamped, analysis.score)
    return round(0.5 * analysis.score + 0.5 * clamped, 2)


_JSON_OBJECT_RE = re.compile(r"\{.*\}", re.DOTALL)


def parse_grade(reply: str) -> LlmGrade | None:
    """The model's grade from its reply (the first JSON object in it), or None when it does not validate."""
    found = _JSON_OBJECT_RE.search(reply)
    if found is None:
        return None
    try:
        return LlmGrade.model_validate_json(found.group(0))
    except ValidationError:
        return None

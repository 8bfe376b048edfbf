"""Answers to a candidate's questions about the job, from the interview type's fact sheet.

A small model asked "What does the team I'd join work on?" invents a team. The interviewer answers from
the short fact sheet of the interview type instead (what the real loop looks like, what the role involves)
and says plainly that this is a practice interview when asked about a real team, pay or internal details.
"""

from __future__ import annotations

from shared.interview_types import InterviewType
from shared.question_bank import load_fact_sheet


def answer_about_the_job(itype: InterviewType, topic: str | None) -> str:
    """The answer for a question on `topic` (a `signals.ROLE_TOPICS` key; None when it is not known)."""
    facts = load_fact_sheet(itype.id)
    if topic == "format":
        return (
            f"This practice interview takes about {itype.duration_minutes} minutes: your background, then "
            f"{' and '.join(itype.focus[:2])} questions, then your questions for me. When you end it, you get "
            "a feedback report."
        )
    answers = {
        "practice": facts.practice,
        "salary": facts.salary,
        "team": f"{facts.team_disclaimer} {facts.team}",
        "loop": facts.loop,
        "role": facts.role,
    }
    return answers.get(topic or "", facts.other)

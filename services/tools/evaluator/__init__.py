"""The evaluator's domain: pure functions from a session record (plus its code submissions) to the
performance report. No I/O beyond loading the word list (`Lexicon.load`), no NATS, no storage, no model:
the service layer (`services/tools/evaluator_service.py`) brings those."""

from __future__ import annotations

from services.tools.evaluator.judge import RUBRIC_VERSION, LlmGrade
from services.tools.evaluator.report_builder import build_report, grade_answers
from services.tools.evaluator.session import SessionAnalysis, analyze_session
from services.tools.evaluator.text import Lexicon
from shared.question_bank import Question
from shared.report import Judge, PerformanceReport
from shared.sessions import SessionRecord
from shared.tools_api import CodeSubmission

__all__ = ["Lexicon", "LlmGrade", "SessionAnalysis", "analyze_session", "evaluate", "rubric_judge"]


def rubric_judge() -> Judge:
    return Judge(kind="rubric", version=RUBRIC_VERSION)


def evaluate(
    record: SessionRecord,
    bank: list[Question],
    lexicon: Lexicon,
    *,
    generated_at: str,
    submissions: list[CodeSubmission] | None = None,
    targets: dict[str, str] | None = None,
) -> PerformanceReport:
    """The deterministic report (the rubric alone)."""
    session = analyze_session(record, bank, submissions or [], targets or {}, lexicon)
    return build_report(session, grade_answers(session), judge=rubric_judge(), generated_at=generated_at)

"""The evaluator as a use case: an interview ended -> its performance report (JSON and PDF) in storage,
announced on the REPORTS stream.

Ports (Protocols, so tests use fakes): where session records and code submissions come from, where the
report goes, who hears that it is ready, how the PDF is drawn and, optionally, a model that judges
answers. The grading itself is the pure domain in `services/tools/evaluator/`.

Idempotent: a report that is already stored (JSON and PDF) is not computed again; it is announced again
(with the same `Nats-Msg-Id`, so JetStream drops the copy inside its duplicate window).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from services.tools.evaluator import Lexicon, LlmGrade, SessionAnalysis, analyze_session, rubric_judge
from services.tools.evaluator.judge import RUBRIC_VERSION, judge_prompt
from services.tools.evaluator.report_builder import build_report, grade_answers
from shared.question_bank import Question
from shared.report import Judge, PerformanceReport, ReportReady
from shared.sessions import SessionRecord, utc_now_iso
from shared.tools_api import CodeSubmission

log = logging.getLogger("tools.evaluator")


class SessionSource(Protocol):
    async def get(self, session_id: str) -> SessionRecord: ...


class SubmissionSource(Protocol):
    async def for_session(self, session_id: str) -> list[CodeSubmission]: ...


class ReportStore(Protocol):
    async def load(self, session_id: str) -> PerformanceReport | None:
        """The stored report when both its JSON and its PDF exist, else None."""
        ...

    async def save(self, report: PerformanceReport, pdf: bytes) -> None:
        """The PDF first, then the JSON: once the JSON is there the PDF is too."""
        ...


class ReportPublisher(Protocol):
    async def publish(self, event: ReportReady) -> None: ...


class AnswerJudge(Protocol):
    """A language model that grades one answer against the rubric; None when it gave no usable grade."""

    model: str

    async def grade(self, prompt: str) -> LlmGrade | None: ...


@dataclass(frozen=True)
class Catalogues:
    """Read-only lookups: an interview type's bank questions, a coding problem's target complexity."""

    questions: Callable[[str], list[Question]]
    target_complexity: Callable[[str], str | None]


@dataclass(frozen=True)
class Outcome:
    report: PerformanceReport
    written: bool  # False: it was already stored (a redelivered end)


class EvaluatorService:
    def __init__(
        self,
        *,
        sessions: SessionSource,
        submissions: SubmissionSource,
        reports: ReportStore,
        publisher: ReportPublisher,
        render_pdf: Callable[[PerformanceReport], bytes],
        catalogues: Catalogues,
        lexicon: Lexicon,
        judge: AnswerJudge | None = None,
    ) -> None:
        self.sessions = sessions
        self.submissions = submissions
        self.reports = reports
        self.publisher = publisher
        self.render_pdf = render_pdf
        self.catalogues = catalogues
        self.lexicon = lexicon
        self.judge = judge

    async def on_session_ended(self, session_id: str) -> Outcome:
        """Write the session's report unless it is stored already; announce it either way.
        Raises SessionNotFound when there is no such session (nothing to report, ever)."""
        stored = await self.reports.load(session_id)
        if stored is not None:
            await self.publisher.publish(ReportReady(session_id=session_id, report=stored))
            return Outcome(stored, written=False)
        report = await self.evaluate(session_id)
        pdf = await asyncio.to_thread(self.render_pdf, report)
        await self.reports.save(report, pdf)
        await self.publisher.publish(ReportReady(session_id=session_id, report=report))
        return Outcome(report, written=True)

    async def evaluate(self, session_id: str) -> PerformanceReport:
        record = await self.sessions.get(session_id)
        submissions = await self.submissions.for_session(session_id)
        analysis = await asyncio.to_thread(self._analyze, record, submissions)
        grades = await self._judge(analysis) if self.judge is not None else {}
        judge = (
            Judge(kind="llm+rubric", model=self.judge.model, version=RUBRIC_VERSION)
            if grades and self.judge is not None
            else rubric_judge()
        )
        return build_report(
            analysis, grade_answers(analysis, grades), judge=judge, generated_at=utc_now_iso()
        )

    def _analyze(self, record: SessionRecord, submissions: list[CodeSubmission]) -> SessionAnalysis:
        try:
            bank = self.catalogues.questions(record.interview_type)
        except KeyError:  # a type retired since the interview: its answers are graded without key points
            bank = []
        targets = {
            s.problem_id: target
            for s in submissions
            if s.problem_id and (target := self.catalogues.target_complexity(s.problem_id))
        }
        return analyze_session(record, bank, submissions, targets, self.lexicon)

    async def _judge(self, analysis: SessionAnalysis) -> dict[int, LlmGrade]:
        """The model's grade for each real answer to a bank question; an answer it fails on keeps the
        rubric's grade (the report says which judge produced it)."""
        assert self.judge is not None
        grades: dict[int, LlmGrade] = {}
        for index, answer in enumerate(analysis.answers):
            if answer.gate < 1 or not answer.question.key_points:
                continue  # not an answer: the model is not asked to find merit in it
            try:
                grade = await self.judge.grade(judge_prompt(answer, analysis.record.interview_type_name))
            except Exception:  # a model outage must not cost the candidate the report
                log.warning(
                    "judge failed on session %s answer %d", analysis.record.session_id, index, exc_info=True
                )
                grade = None
            if grade is not None:
                grades[index] = grade
        return grades

"""EvaluatorService with fakes at its ports: the report is stored (PDF before JSON) and announced; a second
end re-announces without rewriting; the optional model judge (a fake here: the path was not run against a
real model) is asked only about real answers, anchored by the rubric, and a failing judge costs nothing."""

from __future__ import annotations

import pytest

from bench.calibration import load_answers, session_record
from services.tools.evaluator import Lexicon, LlmGrade
from services.tools.evaluator_service import Catalogues, EvaluatorService
from shared.question_bank import load_question_bank
from shared.report import PerformanceReport, ReportReady
from shared.sessions import SessionNotFound, SessionRecord
from shared.tools_api import CodeSubmission


class Sessions:
    def __init__(self, *records: SessionRecord) -> None:
        self.records = {r.session_id: r for r in records}

    async def get(self, session_id: str) -> SessionRecord:
        if session_id not in self.records:
            raise SessionNotFound(session_id)
        return self.records[session_id]


class NoSubmissions:
    async def for_session(self, session_id: str) -> list[CodeSubmission]:
        return []


class Reports:
    def __init__(self) -> None:
        self.saved: list[tuple[PerformanceReport, bytes]] = []

    async def load(self, session_id: str) -> PerformanceReport | None:
        return next((r for r, _ in self.saved if r.session_id == session_id), None)

    async def save(self, report: PerformanceReport, pdf: bytes) -> None:
        self.saved.append((report, pdf))


class Published:
    def __init__(self) -> None:
        self.events: list[ReportReady] = []

    async def publish(self, event: ReportReady) -> None:
        self.events.append(event)


class FakeJudge:
    """Grades every answer `score`; remembers the prompts; `fail` raises like a model outage."""

    model = "fake-judge"

    def __init__(self, score: float, *, fail: bool = False) -> None:
        self.score = score
        self.fail = fail
        self.prompts: list[str] = []

    async def grade(self, prompt: str) -> LlmGrade | None:
        self.prompts.append(prompt)
        if self.fail:
            raise TimeoutError("model down")
        return LlmGrade(
            score=self.score, covered_key_points=[1], correct=True, feedback="Clear and specific."
        )


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def _record(levels: list[str]) -> SessionRecord:
    answers = load_answers()["gcp_sa"]
    return session_record(
        "gcp_sa", "svc", [(q, answers[q][lvl]) for q, lvl in zip(answers, levels, strict=True)]
    )


def _service(
    lexicon: Lexicon, record: SessionRecord, judge: FakeJudge | None = None
) -> tuple[EvaluatorService, Reports, Published]:
    reports, published = Reports(), Published()
    service = EvaluatorService(
        sessions=Sessions(record),
        submissions=NoSubmissions(),
        reports=reports,
        publisher=published,
        render_pdf=lambda report: f"%PDF {report.session_id}".encode(),
        catalogues=Catalogues(questions=load_question_bank, target_complexity=lambda _: None),
        lexicon=lexicon,
        judge=judge,
    )
    return service, reports, published


async def test_the_report_is_stored_and_announced_once_then_re_announced(lexicon: Lexicon) -> None:
    record = _record(["strong", "adequate", "weak"])
    service, reports, published = _service(lexicon, record)
    first = await service.on_session_ended(record.session_id)
    second = await service.on_session_ended(record.session_id)
    assert first.written and not second.written
    assert len(reports.saved) == 1 and reports.saved[0][1] == f"%PDF {record.session_id}".encode()
    assert [e.report for e in published.events] == [first.report, first.report]
    assert first.report.judge.kind == "rubric" and first.report.judge.model is None


async def test_an_unknown_session_raises(lexicon: Lexicon) -> None:
    service, _, _ = _service(lexicon, _record(["strong", "strong", "strong"]))
    with pytest.raises(SessionNotFound):
        await service.on_session_ended("nope")


async def test_the_model_judge_is_anchored_and_never_asked_about_nonsense(lexicon: Lexicon) -> None:
    record = _record(["adequate", "nonsense", "weak"])
    rubric, _, _ = _service(lexicon, record)
    baseline = await rubric.evaluate(record.session_id)
    judge = FakeJudge(10.0)
    judged_service, _, _ = _service(lexicon, record, judge)
    judged = await judged_service.evaluate(record.session_id)
    assert judged.judge.kind == "llm+rubric" and judged.judge.model == "fake-judge"
    assert len(judge.prompts) == 2  # the nonsense answer is not sent to the model
    assert all("Key points a strong answer covers" in p for p in judge.prompts)
    for before, after in zip(baseline.questions, judged.questions, strict=True):
        assert before.score is not None and after.score is not None
        assert before.score <= after.score <= before.score + 1.05  # the model moved it by at most 2, averaged
    nonsense_before, nonsense_after = baseline.questions[1].score, judged.questions[1].score
    assert nonsense_after == nonsense_before
    assert judged.overall_score >= baseline.overall_score
    assert "Judge: Clear and specific." in judged.questions[0].feedback


async def test_a_failing_judge_leaves_the_rubric_report(lexicon: Lexicon) -> None:
    record = _record(["strong", "adequate", "weak"])
    rubric, _, _ = _service(lexicon, record)
    failing, _, _ = _service(lexicon, record, FakeJudge(10.0, fail=True))
    baseline, report = await rubric.evaluate(record.session_id), await failing.evaluate(record.session_id)
    assert report.judge.kind == "rubric"
    assert report.overall_score == baseline.overall_score

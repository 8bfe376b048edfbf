"""A whole interview, read for grading: the transcript cut into questions and the answers to each, every
answer analysed, the spoken answers' delivery and the code submissions' assessment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.tools.evaluator.answers import (
    AnalysisInputs,
    Answer,
    AnswerAnalysis,
    AskedQuestion,
    Domain,
    analyze_answer,
)
from services.tools.evaluator.code import CodeAssessment, assess_code
from services.tools.evaluator.delivery import delivery_metrics, spoken_minutes
from services.tools.evaluator.text import Lexicon, content_tokens
from shared.events import Word
from shared.interview_types import find_interview_type
from shared.question_bank import PHASES_WITHOUT_BANK, Question
from shared.report import Delivery
from shared.sessions import SessionRecord, TranscriptEntry
from shared.tools_api import CodeSubmission

# Answers in these phases are the candidate's own questions and goodbyes: not graded.
UNGRADED_PHASES = frozenset({"candidate_questions", "wrap_up"})
# Words any interview answer may use without being off topic (work stories, reasoning about systems).
WORK_VOCABULARY = (
    "team project manager customer deadline release production incident design system service api code "
    "review test data users feature bug fix deploy architecture requirement performance cost security "
    "stakeholder priority decision problem solution approach option risk plan goal metric result learn"
)


@dataclass
class Exchange:
    question: AskedQuestion
    answers: list[Answer] = field(default_factory=list)
    spoken: list[list[Word]] = field(default_factory=list)
    graded: bool = True


@dataclass
class SessionAnalysis:
    record: SessionRecord
    answers: list[AnswerAnalysis]  # one per question that was answered, in order
    unanswered: list[AskedQuestion]
    delivery: Delivery | None
    spoken_minutes: float
    code: CodeAssessment | None
    coding_asked: bool  # a coding-phase question was asked (so no code at all is a finding)


def _bank_question(question: Question, turn_id: str) -> AskedQuestion:
    return AskedQuestion(
        text=question.text,
        turn_id=turn_id,
        question_id=question.id,
        key_points=tuple(question.key_points),
        competencies=tuple(question.competencies),
        context=" ".join((*question.hints, *question.follow_ups, *question.tags)),
        star="star" in question.tags,  # the bank marks the questions that want a story
    )


def _next_question(
    entry: TranscriptEntry, current: Exchange | None, bank: dict[str, Question]
) -> Exchange | None:
    """The exchange an interviewer turn opens, or None when it continues the current one (a follow-up,
    a hint, a clarification of the same bank question)."""
    question = bank.get(entry.question_id or "")
    if question is not None:
        if current is not None and current.question.question_id == question.id:
            return None
        return Exchange(_bank_question(question, entry.turn_id))
    if current is not None and current.question.question_id and entry.phase not in PHASES_WITHOUT_BANK:
        return None
    return Exchange(
        AskedQuestion(text=asked_in(entry.text), turn_id=entry.turn_id),
        graded=entry.phase not in UNGRADED_PHASES,
    )


def asked_in(line: str) -> str:
    """What an interviewer's line asked: its last question ("Hi Grace, I'm Alex... To start, could you tell
    me about yourself?" asked the last sentence), or the whole line when it asks nothing."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", line.strip()) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    return questions[-1] if questions else line.strip()


def exchanges(record: SessionRecord, bank: dict[str, Question]) -> list[Exchange]:
    """The transcript as questions and the candidate's answers to each, in order."""
    result: list[Exchange] = []
    current: Exchange | None = None
    for entry in record.transcript:
        if entry.role == "assistant":
            opened = _next_question(entry, current, bank)
            if opened is not None:
                current = opened
                result.append(opened)
            continue
        if current is None:  # the candidate spoke before any question: graded as a general answer
            current = Exchange(AskedQuestion(text="", turn_id=None))
            result.append(current)
        current.answers.append(Answer(turn_id=entry.turn_id, text=entry.text))
        if entry.words:
            current.spoken.append(list(entry.words))
    return result


def build_domain(record: SessionRecord, bank: list[Question], lexicon: Lexicon) -> Domain:
    interview_type = find_interview_type(record.interview_type)
    words = [WORK_VOCABULARY, record.interview_type_name]
    if interview_type is not None:
        words += [*interview_type.vocabulary, *interview_type.focus, interview_type.description]
    for question in bank:
        words += [question.text, *question.key_points, *question.hints, *question.follow_ups, *question.tags]
    text = " ".join(words)
    return Domain(tokens=frozenset(content_tokens(text)), concepts=frozenset(lexicon.concepts(text)))


def analyze_session(
    record: SessionRecord,
    bank: list[Question],
    submissions: list[CodeSubmission],
    targets: dict[str, str],
    lexicon: Lexicon,
) -> SessionAnalysis:
    """Everything the report is computed from; `bank`: the interview type's questions,
    `targets`: problem id -> target complexity."""
    by_id = {q.id: q for q in bank}
    domain = build_domain(record, bank, lexicon)
    inputs = AnalysisInputs(lexicon=lexicon, domain=domain)
    analysed: list[AnswerAnalysis] = []
    unanswered: list[AskedQuestion] = []
    spoken: list[list[Word]] = []
    earlier: list[set[str]] = []
    for exchange in exchanges(record, by_id):
        spoken += exchange.spoken
        if not exchange.answers:
            if exchange.question.question_id:
                unanswered.append(exchange.question)
            continue
        if not exchange.graded:
            continue
        analysis = analyze_answer(exchange.question, exchange.answers, inputs, earlier)
        earlier.append(lexicon.concepts(analysis.text))
        analysed.append(analysis)
    coding_asked = any(
        by_id[q.question_id].phase == "coding" for q in (a.question for a in analysed) if q.question_id
    )
    coding_asked = coding_asked or any(
        by_id[q.question_id].phase == "coding" for q in unanswered if q.question_id
    )
    return SessionAnalysis(
        record=record,
        answers=analysed,
        unanswered=unanswered,
        delivery=delivery_metrics(spoken),
        spoken_minutes=spoken_minutes(spoken),
        code=assess_code(submissions, targets),
        coding_asked=coding_asked,
    )

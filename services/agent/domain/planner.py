"""The interview plan: which phase we are in and what the interviewer does next.

The planner is deterministic and model-free. It decides *what* to say next
(greet, ask a bank question, follow up, give a graded hint, move on, answer the
candidate's question, wrap up); the language model only decides *how* to say
it. That keeps a small local model on the rails of a real interview.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, Field

from services.agent.domain.signals import AnswerSignals, read_answer
from shared.interview_types import InterviewType
from shared.question_bank import Question

Action = Literal[
    "greet",
    "ask",
    "follow_up",
    "hint",
    "clarify",
    "move_on",
    "invite_questions",
    "answer_candidate",
    "wrap_up",
    "closed",
]

# How many bank questions each phase asks before moving on.
PHASE_QUESTIONS: dict[str, int] = {"background": 2, "technical": 3, "coding": 1, "scenario": 2}
MAX_FOLLOW_UPS_PER_QUESTION = 1
INTRO_QUESTION = (
    "To start, could you tell me a little about yourself and what you have been working on recently?"
)
REACT = (
    "React to the candidate's last answer in one short, natural sentence. "
    "Do not ask any question and do not answer anything yourself."
)
MOVE_ON_LINE = "That's alright, this one is tricky. Let's move on."
INVITE_QUESTIONS_LINE = "We're nearly at time. Do you have any questions for me about the role or the team?"


class InterviewState(BaseModel):
    """The agent's per-session state, persisted in the session record after every turn."""

    phase: str = "introduction"
    questions_in_phase: int = 0
    asked_question_ids: list[str] = Field(default_factory=list)
    current_question_id: str | None = None
    follow_ups_given: int = 0
    hints_given: int = 0
    difficulty: int = 2  # 1..3, adapted to how the candidate does
    strong_answers: int = 0
    struggles: int = 0
    turns: int = 0
    # The session-start message as first sent (name, CV, job): part of every later prompt's prefix.
    start_text: str = ""
    # The exact interviewer notes sent with each turn, so the prompt prefix of later turns is identical
    # to what the model already evaluated (its KV cache is reused).
    notes_by_turn: dict[str, str] = Field(default_factory=dict)


LINE_ACTIONS = frozenset(
    {"greet", "ask", "follow_up", "clarify", "move_on", "invite_questions", "hint", "closed"}
)


@dataclass(frozen=True)
class ReplyPlan:
    action: Action
    phase: str
    line: str  # what the interviewer must convey this turn (question, hint, ...), in plain words
    guidance: str  # how to say it: an instruction for the language model
    question: Question | None = None
    acknowledge: bool = True  # react briefly to the candidate's answer first

    @property
    def says_line(self) -> bool:
        """The model writes only a one-sentence reaction and the planned line follows verbatim: small
        models asked to "ask this question" too often answer it themselves, in the candidate's voice."""
        return self.action in LINE_ACTIONS


@dataclass(frozen=True)
class CandidateContext:
    name: str
    cv_skills: Sequence[str] = ()
    job_description: str | None = None


def plan_turn(
    state: InterviewState,
    itype: InterviewType,
    bank: Sequence[Question],
    candidate_text: str | None,
    candidate: CandidateContext,
    seed: str,
) -> tuple[ReplyPlan, InterviewState]:
    """Decide the next move. `candidate_text` is None for the session start."""
    new = state.model_copy(deep=True)
    new.turns += 1
    if candidate_text is None:
        return _greet(new, itype, candidate), new

    by_id = {q.id: q for q in bank}
    current = by_id.get(state.current_question_id or "")
    signals = read_answer(candidate_text, current.key_points if current else ())
    _adapt_difficulty(new, signals)

    if new.phase == "wrap_up":
        new.phase = "closed"
        return _closing(new), new
    if new.phase == "closed":
        return _closing(new), new
    if new.phase == "candidate_questions":
        return _answer_candidate(new, itype, signals), new
    if current is not None:
        follow = _respond_to_answer(new, current, signals)
        if follow is not None:
            return follow, new
    plan = _next_question(new, itype, bank, candidate, seed)
    if current is not None and signals.struggling:
        # Out of hints: reassure, and move on in the same breath so the candidate is never left waiting.
        plan = replace(
            plan,
            action="move_on",
            line=f"{MOVE_ON_LINE} {plan.line}",
            guidance="Reassure the candidate in one short sentence that it is fine to move on. Do not ask any question.",
            acknowledge=False,
        )
    return plan, new


def _greet(state: InterviewState, itype: InterviewType, candidate: CandidateContext) -> ReplyPlan:
    state.phase = "introduction"
    company = f" at {itype.company}" if itype.company else ""
    line = (
        f"Hi {candidate.name}, I'm Alex, and I'll be your interviewer today for this {itype.name} interview"
        f"{company}. We'll talk about your background, go through some {', '.join(itype.focus[:2])} questions, "
        f"and leave time for your questions. {INTRO_QUESTION}"
    )
    guidance = (
        f"Greet {candidate.name} warmly by name, introduce yourself as Alex, their interviewer for the "
        f'{itype.name} interview, say in one sentence how the interview will go, then ask: "{INTRO_QUESTION}"'
    )
    return ReplyPlan("greet", "introduction", line, guidance, acknowledge=False)


def _adapt_difficulty(state: InterviewState, signals: AnswerSignals) -> None:
    if signals.strong:
        state.strong_answers += 1
        state.difficulty = min(3, state.difficulty + 1)
    elif signals.struggling:
        state.struggles += 1
        state.difficulty = max(1, state.difficulty - 1)


def _respond_to_answer(state: InterviewState, question: Question, signals: AnswerSignals) -> ReplyPlan | None:
    """Stay on the current question (clarify, hint, follow up) or return None to move on."""
    if signals.asks_clarification:
        return ReplyPlan(
            "clarify",
            state.phase,
            question.text,
            "The candidate asked you to clarify. Say in one short sentence that you will rephrase. "
            "Do not ask any question and do not answer anything yourself.",
            question,
            acknowledge=False,
        )
    if signals.struggling and state.hints_given < len(question.hints):
        hint = question.hints[state.hints_given]
        state.hints_given += 1
        return ReplyPlan(
            "hint",
            state.phase,
            f"Here's a hint: {hint} Give it another try.",
            "The candidate is struggling. Encourage them in one short sentence. Do not give the answer "
            "and do not ask any question.",
            question,
            acknowledge=False,
        )
    missing = [p for p in question.key_points if p not in signals.covered_points]
    if (
        not signals.strong
        and missing
        and question.follow_ups
        and state.follow_ups_given < MAX_FOLLOW_UPS_PER_QUESTION
    ):
        follow_up = question.follow_ups[state.follow_ups_given % len(question.follow_ups)]
        state.follow_ups_given += 1
        return ReplyPlan(
            "follow_up",
            state.phase,
            follow_up,
            REACT,
            question,
        )
    return None


def _core_phases(itype: InterviewType) -> list[str]:
    return [p for p in itype.phases if p in PHASE_QUESTIONS]


def _next_question(
    state: InterviewState,
    itype: InterviewType,
    bank: Sequence[Question],
    candidate: CandidateContext,
    seed: str,
) -> ReplyPlan:
    phases = _core_phases(itype)
    if state.phase not in phases:  # leaving the introduction
        state.phase, state.questions_in_phase = phases[0], 0
    while state.phase in phases:
        if state.questions_in_phase < PHASE_QUESTIONS[state.phase]:
            question = choose_question(bank, state, candidate, seed)
            if question is not None:
                return _ask(state, question)
        following = phases.index(state.phase) + 1
        if following >= len(phases):
            break
        state.phase, state.questions_in_phase = phases[following], 0
    state.phase = "candidate_questions"
    state.current_question_id = None
    return ReplyPlan(
        "invite_questions",
        "candidate_questions",
        INVITE_QUESTIONS_LINE,
        "Thank the candidate for their answers in one short sentence. Do not ask any question.",
    )


def _ask(state: InterviewState, question: Question) -> ReplyPlan:
    first_in_phase = state.questions_in_phase == 0
    state.questions_in_phase += 1
    state.asked_question_ids.append(question.id)
    state.current_question_id = question.id
    state.follow_ups_given = 0
    state.hints_given = 0
    transition = {
        "background": "Let's talk about your background.",
        "technical": "Let's move to some technical questions.",
        "coding": "Now let's do a coding problem. You can use the editor and run your code against tests.",
        "scenario": "Let's work through a scenario.",
    }
    intro = f"{transition.get(state.phase, '')} " if first_in_phase else ""
    line = f"{intro}{question.text}".strip()
    guidance = REACT
    return ReplyPlan("ask", state.phase, line, guidance, question)


def choose_question(
    bank: Sequence[Question], state: InterviewState, candidate: CandidateContext, seed: str
) -> Question | None:
    """The unasked question of the current phase that best fits the CV, the job and the current difficulty.

    Ties are broken by a hash of the session seed, so two candidates do not get the same interview.
    """
    asked = set(state.asked_question_ids)
    cv_skills = {s.lower() for s in candidate.cv_skills}
    pool = [
        q
        for q in bank
        if q.phase == state.phase and q.id not in asked and (cv_matches(q, cv_skills) or not mentions_cv(q))
    ]
    if not pool:
        return None
    job = (candidate.job_description or "").lower()

    def score(q: Question) -> tuple[float, str]:
        relevance = float(cv_matches(q, cv_skills))
        relevance += sum(0.5 for s in q.cv_skills + q.tags if s.lower() in job)
        closeness = -abs(q.difficulty - state.difficulty)
        shuffle = hashlib.sha256(f"{seed}:{q.id}".encode()).hexdigest()
        return (relevance * 2 + closeness, shuffle)

    return max(pool, key=score)


_CV_WORDS = re.compile(r"\b(cv|resume|résumé)\b", re.IGNORECASE)


def mentions_cv(question: Question) -> bool:
    """A question phrased around the CV ("I see Kubernetes on your CV...") needs a CV that shows it."""
    return bool(_CV_WORDS.search(question.text))


def cv_matches(question: Question, cv_skills: set[str]) -> int:
    return sum(1 for s in question.cv_skills if s.lower() in cv_skills)


def _answer_candidate(state: InterviewState, itype: InterviewType, signals: AnswerSignals) -> ReplyPlan:
    state.phase = "wrap_up"
    closing = (
        "Thank you for your time today, it was great talking with you. "
        "You can end the interview now to see your feedback report."
    )
    if signals.asks_question:
        guidance = (
            f"Answer the candidate's question briefly and honestly as an interviewer for {itype.name} "
            f"(two sentences at most, no invented specifics about salaries or internal details), then close with: "
            f'"{closing}"'
        )
    else:
        guidance = f'Thank the candidate and close the interview with: "{closing}"'
    return ReplyPlan("wrap_up", "wrap_up", closing, guidance, acknowledge=signals.asks_question)


def _closing(state: InterviewState) -> ReplyPlan:
    line = "We've covered everything for today. Please end the interview to see your feedback report."
    return ReplyPlan(
        "closed", "closed", line, "Thank the candidate politely in one short sentence.", acknowledge=False
    )

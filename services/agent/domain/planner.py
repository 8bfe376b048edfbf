"""The interview plan: which phase we are in and what the interviewer does next.

The planner is deterministic and model-free. It decides *what* to say next
(greet, ask a bank question, follow up, give a graded hint, move on, answer the
candidate's question, wrap up); the language model only decides *how* to say
it. That keeps a small local model on the rails of a real interview.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import BaseModel, Field

from services.agent.domain.candidate_questions import answer_about_the_job
from services.agent.domain.coding import hint_due, is_filler, run_feedback, says_done
from services.agent.domain.reactions import REASK, pick_reaction
from services.agent.domain.signals import AnswerSignals, read_answer, topic_roots
from shared.events import CodeRun
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
    "run_feedback",  # a reaction to a run of the candidate's code
    "listen",  # nothing to say: the candidate is coding and asked for nothing
]

# How many bank questions each phase asks before moving on.
PHASE_QUESTIONS: dict[str, int] = {"background": 2, "technical": 3, "coding": 1, "scenario": 2}
MAX_FOLLOW_UPS_PER_QUESTION = 1
INTRO_QUESTION = (
    "To start, could you tell me a little about yourself and what you have been working on recently?"
)
_NO_QUESTION = "Do not ask any question and do not answer anything yourself."
# The model words the reaction only to a real answer, and is told whether praise was earned.
REACT_GUIDANCE = {
    "strong": "React to the candidate's last answer in one short, natural sentence: it covered the key points, "
    f"so you may say briefly what was good about it. {_NO_QUESTION}",
    "answered": "React to the candidate's last answer in one short, neutral sentence. It answered only part of "
    "the question, so do not praise it (no 'great', 'good', 'excellent', 'right'). " + _NO_QUESTION,
}
# Every other turn is said in the planner's own words: the model writes nothing.
SAY_PLANNED = "Say the planned words."
INVITE_QUESTIONS_LINE = "We're nearly at time. Do you have any questions for me about the role or the team?"
CLOSING_LINE = "Thank you for your time today. You can end the interview now to see your feedback report."
MAX_REACTIONS_KEPT = 40
# How the reaction sounds when the interviewer moves to the next question, by what the answer was.
_MOVING_ON_REACTION = {
    "strong": "strong",
    "answered": "answered",
    "evasive": "evasive",
    "empty": "unclear_again",
    "unclear": "unclear_again",
}


class InterviewState(BaseModel):
    """The agent's per-session state, persisted in the session record after every turn."""

    phase: str = "introduction"
    questions_in_phase: int = 0
    asked_question_ids: list[str] = Field(default_factory=list)
    current_question_id: str | None = None
    follow_ups_given: int = 0
    # The follow-up asked last about the current question: what a request to repeat, or an unclear answer,
    # gets again (not the question it followed: "Let me ask again" once re-asked the answered question).
    follow_up: str | None = None
    hints_given: int = 0
    unclear_answers: int = 0  # to the current question: the first is asked again, the second moves on
    difficulty: int = 2  # 1..3, adapted to how the candidate does
    strong_answers: int = 0
    struggles: int = 0
    turns: int = 0
    # The reactions said so far (planner's or model's), so the next one is not a repeat.
    reactions: list[str] = Field(default_factory=list)
    # The session-start message as first sent (name, CV, job): part of every later prompt's prefix.
    start_text: str = ""
    # The exact interviewer notes sent with each turn, so the prompt prefix of later turns is identical
    # to what the model already evaluated (its KV cache is reused).
    notes_by_turn: dict[str, str] = Field(default_factory=dict)
    # The CV lines quoted so far: each is quoted once (two questions on one line would repeat it).
    cv_quoted: list[str] = Field(default_factory=list)

    # The coding problem handed out with the current question, and how the candidate's runs of it went.
    problem_id: str | None = None
    runs: int = 0
    failed_runs: int = 0
    solved: bool = False

    def said_reaction(self, reaction: str) -> None:
        self.reactions = [*self.reactions, reaction][-MAX_REACTIONS_KEPT:]


@dataclass(frozen=True)
class ReplyPlan:
    action: Action
    phase: str
    line: str  # what the interviewer must convey this turn (question, hint, ...), in plain words
    guidance: str  # how to say it: an instruction for the language model
    question: Question | None = None
    # The reaction to the answer, said before the line: the planner's words, or the model's own when
    # `model_reacts` and they pass the reaction check (`praise_earned` says whether praise may be in them).
    reaction: str = ""
    model_reacts: bool = False
    praise_earned: bool = False
    hands_out: str | None = None  # the coding problem this reply hands out (the question's problem)

    @property
    def text(self) -> str:
        """The reply in the planner's own words."""
        return f"{self.reaction} {self.line}".strip()


@dataclass(frozen=True)
class CandidateContext:
    name: str
    cv_skills: Sequence[str] = ()
    job_description: str | None = None
    # skill (lower case) -> the CV's own words where the candidate used it (best first), quoted when asking
    cv_quotes: Mapping[str, Sequence[str]] = field(default_factory=dict)


def plan_turn(
    state: InterviewState,
    itype: InterviewType,
    bank: Sequence[Question],
    candidate_text: str | None,
    candidate: CandidateContext,
    seed: str,
    *,
    run: CodeRun | None = None,
    spoken: bool = False,
) -> tuple[ReplyPlan, InterviewState]:
    """Decide the next move. `candidate_text` is None for the session start (or a run: `run`); `spoken`:
    the candidate said it (speech while coding may be thinking aloud)."""
    new = state.model_copy(deep=True)
    new.turns += 1
    current = {q.id: q for q in bank}.get(state.current_question_id or "")
    if run is not None:
        return _react_to_run(new, current, run), new
    if candidate_text is None:
        return _greet(new, itype, candidate), new
    topic = _topic(itype, current, state.phase)
    signals = read_answer(candidate_text, current.key_points if current else (), topic)
    if spoken and _thinking_aloud(state, signals, candidate_text):
        return ReplyPlan("listen", state.phase, "", SAY_PLANNED, current), new
    _adapt_difficulty(new, signals)
    plan = _decide(new, itype, bank, current, signals, candidate, seed)
    if plan.reaction:
        new.said_reaction(plan.reaction)
    return plan, new


# What a candidate says when they have no questions at the end: not nonsense.
_NO_QUESTIONS_WORDS = "thanks thank questions covered everything nothing fine all set clear"


def _topic(itype: InterviewType, question: Question | None, phase: str) -> frozenset[str]:
    """The words an answer on topic is likely to share with the question or the interview."""
    own = [question.text, *question.hints, *question.follow_ups] if question else [INTRO_QUESTION]
    if phase == "candidate_questions":
        own = [INVITE_QUESTIONS_LINE, _NO_QUESTIONS_WORDS]
    return topic_roots(own, itype.focus, itype.vocabulary, itype.description)


def _decide(
    state: InterviewState,
    itype: InterviewType,
    bank: Sequence[Question],
    current: Question | None,
    signals: AnswerSignals,
    candidate: CandidateContext,
    seed: str,
) -> ReplyPlan:
    if state.phase in ("wrap_up", "closed"):
        state.phase = "closed"
        return _closing()
    if state.phase == "candidate_questions":
        return _answer_candidate(state, itype, signals, seed)
    if signals.kind == "role_question":
        return _answer_mid_interview(state, itype, current, signals, seed)
    stay = _stay_on_question(state, current, signals, seed)
    if stay is not None:
        return stay
    reaction_kind = _MOVING_ON_REACTION.get(signals.kind, "no_hint_left")
    if current is None and reaction_kind == "no_hint_left":
        reaction_kind = "answered"  # a short introduction: no hint was ever due
    plan = _next_question(state, itype, bank, candidate, seed)
    action = plan.action if reaction_kind in ("strong", "answered") else "move_on"
    model_reacts = reaction_kind in ("strong", "answered") and signals.kind in ("strong", "answered")
    return replace(
        plan,
        action=action,
        reaction=_react(state, reaction_kind, seed),
        guidance=REACT_GUIDANCE[reaction_kind] if model_reacts else SAY_PLANNED,
        model_reacts=model_reacts,
        praise_earned=reaction_kind == "strong",
    )


def _thinking_aloud(state: InterviewState, signals: AnswerSignals, text: str) -> bool:
    """Speech while the candidate works on the problem that asks for nothing: no reply. A request (a hint,
    the question again, about the job), being stuck or saying they are done is answered."""
    if state.problem_id is None or state.solved:
        return False
    asks = signals.asks_hint or signals.asks_repeat or signals.asks_clarification or signals.topic is not None
    stuck = signals.stuck and not is_filler(text)
    return not (asks or stuck or signals.evasive or says_done(text))


def _react_to_run(state: InterviewState, question: Question | None, run: CodeRun) -> ReplyPlan:
    """The interviewer's words on a run: its verdict, and a graded hint after repeated failures."""
    if state.problem_id is None or run.problem_id != state.problem_id:
        line = "I see you ran some code, but we're not working on that problem right now."
        return ReplyPlan("run_feedback", state.phase, line, SAY_PLANNED, question)
    solved_before = state.solved
    state.runs += 1
    line = run_feedback(run, solved_before=solved_before)
    if run.verdict == "accepted":
        state.solved = True
        # The complexity question is the problem's follow-up: the answer to it moves the interview on.
        state.follow_ups_given = MAX_FOLLOW_UPS_PER_QUESTION
    else:
        state.failed_runs += 1
        if question is not None and hint_due(state.failed_runs) and state.hints_given < len(question.hints):
            line = f"{line} Here's a hint: {question.hints[state.hints_given]}"
            state.hints_given += 1
    return ReplyPlan("run_feedback", state.phase, line, SAY_PLANNED, question)


def _react(state: InterviewState, kind: str, seed: str) -> str:
    return pick_reaction(kind, state.reactions, f"{seed}:{state.turns}")


def _greet(state: InterviewState, itype: InterviewType, candidate: CandidateContext) -> ReplyPlan:
    state.phase = "introduction"
    company = f" at {itype.company}" if itype.company else ""
    line = (
        f"Hi {candidate.name}, I'm Alex, and I'll be your interviewer today for this {itype.name} interview"
        f"{company}. We'll talk about your background, go through some {', '.join(itype.focus[:2])} questions, "
        f"and leave time for your questions. {INTRO_QUESTION}"
    )
    # Said as planned: a small model asked to greet has answered its own greeting as the candidate.
    return ReplyPlan("greet", "introduction", line, SAY_PLANNED)


def _adapt_difficulty(state: InterviewState, signals: AnswerSignals) -> None:
    if signals.strong:
        state.strong_answers += 1
        state.difficulty = min(3, state.difficulty + 1)
    elif signals.kind in ("stuck", "hint_request", "empty", "unclear", "evasive"):
        state.struggles += 1
        state.difficulty = max(1, state.difficulty - 1)


def _stay_on_question(
    state: InterviewState, question: Question | None, signals: AnswerSignals, seed: str
) -> ReplyPlan | None:
    """Stay on the current question (or the introduction): say it again, give a hint, follow up. None:
    move on."""
    kind = signals.kind
    text = state.follow_up or (question.text if question else INTRO_QUESTION)
    if kind in ("repeat_request", "clarify_request") or (question is None and kind == "hint_request"):
        return _say_again(state, question, text, kind, seed)
    if kind in ("empty", "unclear") and state.unclear_answers == 0:
        state.unclear_answers += 1  # asked once more; a second answer like it moves on
        return _say_again(state, question, REASK + text, kind, seed)
    if question is None:
        return None
    if kind in ("hint_request", "stuck") and state.hints_given < len(question.hints):
        hint = question.hints[state.hints_given]
        state.hints_given += 1
        line = f"Here's a hint: {hint} Give it another try."
        return ReplyPlan("hint", state.phase, line, SAY_PLANNED, question, reaction=_react(state, kind, seed))
    missing = [p for p in question.key_points if p not in signals.covered_points]
    follow_ups_left = state.follow_ups_given < MAX_FOLLOW_UPS_PER_QUESTION and question.follow_ups
    if kind == "answered" and missing and follow_ups_left:
        follow_up = question.follow_ups[state.follow_ups_given % len(question.follow_ups)]
        state.follow_ups_given += 1
        state.follow_up = follow_up
        reaction = _react(state, "answered", seed)
        return ReplyPlan(
            "follow_up", state.phase, follow_up, REACT_GUIDANCE["answered"], question, reaction, True
        )
    return None


def _say_again(
    state: InterviewState, question: Question | None, line: str, kind: str, seed: str
) -> ReplyPlan:
    reaction = _react(state, kind, seed)
    return ReplyPlan("clarify", state.phase, line, SAY_PLANNED, question, reaction=reaction)


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
                return _ask(state, question, cv_quote(question, candidate, state.cv_quoted))
        following = phases.index(state.phase) + 1
        if following >= len(phases):
            break
        state.phase, state.questions_in_phase = phases[following], 0
    state.phase = "candidate_questions"
    state.current_question_id = state.follow_up = None
    state.problem_id = None
    return ReplyPlan("invite_questions", "candidate_questions", INVITE_QUESTIONS_LINE, SAY_PLANNED)


def _ask(state: InterviewState, question: Question, quote: str | None = None) -> ReplyPlan:
    first_in_phase = state.questions_in_phase == 0
    state.questions_in_phase += 1
    state.asked_question_ids.append(question.id)
    state.current_question_id = question.id
    state.follow_ups_given = 0
    state.follow_up = None
    state.hints_given = 0
    state.unclear_answers = 0
    state.problem_id = question.problem_id
    state.runs = state.failed_runs = 0
    state.solved = False
    transition = {
        "background": "Let's talk about your background.",
        "technical": "Let's move to some technical questions.",
        "coding": "Now let's do a coding problem. It's in the editor now: run your code against its tests "
        "whenever you like, and think aloud if it helps.",
        "scenario": "Let's work through a scenario.",
    }
    intro = f"{transition.get(state.phase, '')} " if first_in_phase else ""
    text = question.text
    if quote and (cited := cite_cv(question.text, quote)) != text:
        text = cited
        state.cv_quoted = [*state.cv_quoted, quote]
    line = f"{intro}{text}".strip()
    return ReplyPlan("ask", state.phase, line, SAY_PLANNED, question, hands_out=question.problem_id)


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


def cv_quote(question: Question, candidate: CandidateContext, quoted: Sequence[str] = ()) -> str | None:
    """The CV's words to quote with a question phrased around the CV (where it uses the question's skill),
    not quoted before in this interview."""
    if not mentions_cv(question):
        return None
    lines = (line for skill in question.cv_skills for line in candidate.cv_quotes.get(skill.lower(), ()))
    return next((line for line in lines if line not in quoted), None)


_CLAUSE_END_RE = re.compile(r"[.:?!](?=\s)")  # not the dot of ".NET" or "Node.js"


def cite_cv(text: str, quote: str) -> str:
    """The question with the CV's own words after the clause that names the CV: "Your CV mentions
    Kubernetes, where you wrote “Ran the payments cluster on EKS”. Tell me about..." (unchanged unless its
    first clause names the CV and ends with "." or ":")."""
    end = _CLAUSE_END_RE.search(text)
    if end is None or end.group() not in ".:" or not _CV_WORDS.search(text[: end.start()]):
        return text
    return f"{text[: end.start()]}, where you wrote “{quote}”{end.group()}{text[end.end() :]}"


def _answer_candidate(
    state: InterviewState, itype: InterviewType, signals: AnswerSignals, seed: str
) -> ReplyPlan:
    """The candidate's questions at the end: answered from the fact sheet, then the interview closes."""
    state.phase = "wrap_up"
    if signals.asks_question and signals.kind not in ("empty", "unclear"):
        answer = answer_about_the_job(itype, signals.topic)
        line = f"{answer} {CLOSING_LINE}"
        return ReplyPlan(
            "wrap_up", "wrap_up", line, SAY_PLANNED, reaction=_react(state, "role_question", seed)
        )
    kind = "unclear" if signals.kind in ("empty", "unclear") else "no_questions"
    return ReplyPlan("wrap_up", "wrap_up", CLOSING_LINE, SAY_PLANNED, reaction=_react(state, kind, seed))


def _answer_mid_interview(
    state: InterviewState, itype: InterviewType, current: Question | None, signals: AnswerSignals, seed: str
) -> ReplyPlan:
    """A question about the job in the middle of the interview: answered, then back to the question."""
    back = f"Now, back to the question: {current.text}" if current else f"Now, back to you: {INTRO_QUESTION}"
    line = f"{answer_about_the_job(itype, signals.topic)} {back}"
    reaction = _react(state, "role_question", seed)
    return ReplyPlan("answer_candidate", state.phase, line, SAY_PLANNED, current, reaction=reaction)


def _closing() -> ReplyPlan:
    line = "We've covered everything for today. Please end the interview to see your feedback report."
    return ReplyPlan("closed", "closed", line, SAY_PLANNED)

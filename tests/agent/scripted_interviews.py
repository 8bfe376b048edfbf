"""Whole interviews with scripted candidates, through the real turn path (TurnProcessor -> Interviewer ->
planner -> responder), and counts of how the interviewer reacted. No human, no network: the ports are the
in-memory fakes, the session record is real local storage.

The counts are judged here, from the replies' text only, with checks written independently of the agent's
own classifier and guard (so they can disagree with it): praise words, candidate-voice phrases, the first
sentence of a reply repeated from an earlier reply, and whether a nonsense answer was told so.

Used by `tests/agent/test_reactions.py` (scripted responder; the real model with `-m model`) and by
`bench/reactions.py` (the real model, printed per candidate kind).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.agent.interviewer import Interviewer
from services.agent.responders import Responder
from services.agent.turns import Ack, TurnProcessor
from shared.events import UserTurn
from shared.question_bank import Question, load_question_bank
from shared.sessions import SessionRecord, SessionRepository
from shared.storage.local import LocalObjectStore
from tests.agent.fakes import FakeLeases, FakeOutbox, FakeQueue

# --- what scripted candidates say ------------------------------------------------------------------------

NONSENSE = [
    "banana banana purple monkey dishwasher",
    "asdf qwerty zxcv hjkl",
    "",
    "My favourite colour is green and I had soup for lunch today.",
    "blue seven elephant trumpet sandwich glitter",
    "The moon is made of cheese and penguins cannot fly.",
    "lorem ipsum dolor sit amet consectetur",
    "wobble wobble jelly fish on a trampoline",
]
EVASIVE = [
    "I'd rather not answer that.",
    "Can we skip this one?",
    "Next question, please.",
    "That's confidential, I can't talk about it.",
    "I don't want to get into that.",
    "Whatever, it doesn't really matter.",
]
WEAK = [
    "I would use a database for it.",
    "I'd just make it faster with some caching, I guess.",
    "I worked on some projects with my team and it went okay.",
    "I think I would write some code and then test it.",
    "Probably a list or something like that would work.",
]
HELP = [
    "Can you give me a hint?",
    "Could you repeat the question?",
    "What does the team I'd join work on?",
    "What's the salary for this role?",
    "What does the real interview loop look like?",
]
INTRO = (
    "I'm a backend engineer with six years of experience. I build payment services in Python and Go, "
    "I led the move of our ledger to Kubernetes, and lately I have been working on making our batch jobs "
    "faster and cheaper to run."
)


def strong_answer(question: Question) -> str:
    """An answer that walks through every key point of the question, in full sentences."""
    points = ". ".join(f"I would cover {p}" for p in question.key_points)
    return f"Let me walk through how I would approach this carefully. {points}. That is my approach."


# (answer number, the bank question asked or None, the interview phase) -> the answer
Answerer = Callable[[int, Question | None, str], str]


def _cycling(lines: Sequence[str]) -> Answerer:
    return lambda n, _question, _phase: lines[n % len(lines)]


def _strong(n: int, question: Question | None, phase: str) -> str:
    if phase == "candidate_questions":
        return "No, thank you, I think you covered everything I wanted to know."
    return strong_answer(question) if question is not None else INTRO


def _help_seeker(n: int, question: Question | None, phase: str) -> str:
    """Asks for help or about the role every other turn, answers properly in between."""
    if phase == "candidate_questions":
        return HELP[2]
    if question is None:
        return INTRO
    return HELP[(n // 2) % len(HELP)] if n % 2 == 0 else strong_answer(question)


CANDIDATES: dict[str, Answerer] = {
    "nonsense": _cycling(NONSENSE),
    "evasive": _cycling(EVASIVE),
    "weak": _cycling(WEAK),
    "strong": _strong,
    "help": _help_seeker,
}
# Answers that earn no praise and must be met as not understood / not answered.
NOT_ANSWERS = frozenset(NONSENSE) | frozenset(EVASIVE)

# --- how replies are judged --------------------------------------------------------------------------------

PRAISE = re.compile(
    r"\b(great|excellent|perfect|awesome|fantastic|wonderful|brilliant|impressive|amazing|outstanding|"
    r"superb|nice|well done|good (idea|point|answer|job|thinking|start|example|one|work)|exactly|spot on|"
    r"^(very )?good\b|strong answer|well reasoned|"
    r"you'?re (right|correct|absolutely)|that'?s (right|correct|true)|love (that|it|this))\b",
    re.IGNORECASE,
)
CANDIDATE_VOICE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*(candidate|user|me)\s*:",
        r"\b(I'm|I am) (a|an|the) [\w\s-]{0,40}candidate\b",
        r"\bas (a|the) candidate\b",
        r"\bthank(s| you) for having me\b",
        r"\bmy (name is|background|resume|cv|experience|skills)\b",
        r"\bI have (\d+|several|many|a few|over|more than) [\w\s]{0,12}(years|months)\b",
        r"\bin my (current|previous|last|past) (role|job|position|company|team)\b",
        r"\b(hello|hi|hey),? alex\b",
        r"\bI('m| am) (excited|thrilled|happy|eager) to (join|be part|interview|apply|work)\b",
        r"\bmy team (and I|works|worked|is|was)\b",
        r"\bI (worked|led|built|developed|implemented|designed) (a|an|the|our|my)\b",
        # a chat assistant's voice is out of the interviewer's role too
        r"\b(happy|glad) to help\b|\bhelp you with\b|\bhow can I (help|assist)\b|\bglad you'?re interested\b",
    )
]
NOT_FOLLOWED = re.compile(
    r"\b(didn'?t|did not|couldn'?t|could not|don'?t|do not|still) (quite |think I )?(follow|catch|understand|get|answer)|"
    r"\bnot sure (I|what)\b|\blost me\b|\bmake sense of\b|\bno answer\b|\bnot (an|really an) answer\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    return _SENTENCE.split(text.strip(), maxsplit=1)[0].strip().lower()


def out_of_role(reply: str, answer: str = "") -> bool:
    """In the candidate's voice: their phrases, or their own answer said back as the interviewer's words."""
    opening = first_sentence(reply)
    echoes = len(opening.split()) >= 4 and opening.rstrip(".!?") in answer.lower()
    return echoes or any(p.search(reply) for p in CANDIDATE_VOICE)


@dataclass
class Exchange:
    answer: str
    question: Question | None  # the bank question the answer was given to
    reply: str


@dataclass
class Counts:
    kind: str
    interviews: int = 0
    answers: int = 0
    praised_nonsense: int = 0  # a nonsense or evasive answer met with praise
    unearned_praise: int = 0  # praise for an answer that did not cover the question's key points
    nonsense_not_flagged: int = 0  # a nonsense answer not told it was not understood
    out_of_role: int = 0  # replies in the candidate's voice
    repeated_reactions: int = 0  # replies opening with the same sentence as an earlier reply
    requests_unmet: int = 0  # a hint, repeat or role question that did not get what it asked for
    empty_replies: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, exchanges: Sequence[Exchange], greeting: str) -> None:
        self.interviews += 1
        self.out_of_role += out_of_role(greeting)
        openings: set[str] = {first_sentence(greeting)}
        for ex in exchanges:
            self.answers += 1
            self._judge(ex)
            opening = first_sentence(ex.reply)
            if opening in openings:
                self.repeated_reactions += 1
                self._example("repeated", ex)
            openings.add(opening)

    def _judge(self, ex: Exchange) -> None:
        praised = bool(PRAISE.search(first_sentence(ex.reply)))
        if not ex.reply.strip():
            self.empty_replies += 1
        if ex.answer in NOT_ANSWERS and praised:
            self.praised_nonsense += 1
            self._example("praised nonsense", ex)
        if praised and not _covers_key_points(ex):
            self.unearned_praise += 1
            self._example("unearned praise", ex)
        if ex.answer in NONSENSE and not NOT_FOLLOWED.search(ex.reply):
            self.nonsense_not_flagged += 1
            self._example("nonsense not flagged", ex)
        if out_of_role(ex.reply, ex.answer):
            self.out_of_role += 1
            self._example("out of role", ex)
        if not request_met(ex):
            self.requests_unmet += 1
            self._example("request unmet", ex)

    def _example(self, what: str, ex: Exchange) -> None:
        if len(self.examples) < 6:
            self.examples.append(f"{what}: {ex.answer!r} -> {ex.reply[:160]!r}")

    def row(self) -> dict[str, int | str]:
        return {k: v for k, v in vars(self).items() if k != "examples"}


def _covers_key_points(ex: Exchange) -> bool:
    """Praise is earned by the answers built from the question's key points (and the full introduction)."""
    if ex.question is None:
        return ex.answer == INTRO
    return ex.answer == strong_answer(ex.question)


def request_met(ex: Exchange) -> bool:
    """A hint request gets one of the question's hints, a repeat the question, a role question an honest
    answer that this is practice (a real team, salary and internals are not ours to invent)."""
    reply = ex.reply.lower()
    if ex.answer in HELP[2:4]:
        return "practice" in reply
    if ex.answer == HELP[4]:
        return "interview" in reply and "round" in reply
    if ex.question is None or ex.answer not in HELP:
        return True
    if ex.answer == HELP[0]:
        return any(h.lower() in reply for h in ex.question.hints)
    return ex.question.text.lower() in reply


# --- running an interview ----------------------------------------------------------------------------------


async def run_interview(
    responder: Responder,
    kind: str,
    *,
    interview_type: str = "google_sde",
    session_id: str = "scripted-1",
    max_answers: int = 30,
    storage: Path | None = None,
) -> tuple[str, list[Exchange]]:
    """The greeting and every (answer, reply) until the interviewer closes or `max_answers` is reached."""
    answer_for = CANDIDATES[kind]
    repo = SessionRepository(LocalObjectStore(storage or Path(tempfile.mkdtemp(prefix="prepai-scripted-"))))
    queue, outbox = FakeQueue(), FakeOutbox()
    interviewer = Interviewer(responder, context_tokens=4096, max_reply_tokens=160)
    processor = TurnProcessor(repo, interviewer, queue, FakeLeases(), outbox)
    bank = {q.id: q for q in load_question_bank(interview_type)}
    await repo.create(
        SessionRecord(
            session_id=session_id,
            interview_type=interview_type,
            interview_type_name=interview_type,
            candidate_name="Sam",
        )
    )

    async def turn(kind_: str, text: str, turn_id: str) -> str:
        user_turn = UserTurn(session_id=session_id, turn_id=turn_id, kind=kind_, text=text)  # type: ignore[arg-type]
        delivery = queue.publish(user_turn)
        decision = await processor.handle(user_turn, delivery)
        assert isinstance(decision, Ack), decision
        queue.ack(delivery.stream_seq)
        if outbox.failures:
            raise AssertionError(f"the turn failed: {outbox.failures[-1]}")
        return outbox.replies[-1].text if outbox.replies[-1].turn_id == turn_id else ""

    greeting = await turn("start", "", "start")
    exchanges: list[Exchange] = []
    for n in range(max_answers):
        last = (await repo.get(session_id)).transcript[-1]
        if last.phase in ("wrap_up", "closed"):  # the interviewer said goodbye
            break
        question = bank.get(last.question_id or "")
        answer = answer_for(n, question, last.phase or "")
        reply = await turn("text", answer, f"u{n}")
        exchanges.append(Exchange(answer, question, reply))
    return greeting, exchanges

"""One interviewer turn: plan the move, build the prompt, stream the reply in role.

Transport-free: the turn processor hands it a session record and a callback
for the text it may publish; it returns the reply and the new state.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from services.agent.domain.planner import CandidateContext, InterviewState, ReplyPlan, plan_turn
from services.agent.domain.prompts import build_messages, prefix_messages, start_message, system_prompt
from services.agent.domain.reactions import MAX_REACTION_WORDS, rejection
from services.agent.domain.reply_guard import ReplyGuard
from services.agent.responders import Responder
from services.agent.speech import ReplyVoice, Say
from shared.cv import CvAnalysis
from shared.events import UserTurn
from shared.interview_types import INTERVIEW_TYPES, InterviewType, find_interview_type
from shared.question_bank import Question, load_question_bank
from shared.sessions import SessionRecord

Emit = Callable[[str], Awaitable[None]]
log = logging.getLogger(__name__)


@dataclass
class TurnOutcome:
    text: str
    plan: ReplyPlan
    state: InterviewState
    interrupted: bool = False
    metrics: dict[str, float] = field(default_factory=dict)
    model_reaction: str | None = None  # the model's words said as the reaction (None: the planner's)


class UnknownInterviewType(Exception):
    pass


def cv_summary(cv: CvAnalysis | None) -> str | None:
    """One line about the CV for the interviewer: the analyzer's summary, else skills, latest role, years."""
    if cv is None:
        return None
    if cv.summary.strip():
        return cv.summary[:400]
    parts = []
    if cv.skills:
        parts.append("skills: " + ", ".join(cv.skills[:12]))
    if cv.experience:
        latest = cv.experience[0]
        parts.append(f"recent role: {latest.title or ''} at {latest.company or ''}".strip())
    if cv.total_years_experience:
        parts.append(f"{cv.total_years_experience:g} years of experience")
    return "; ".join(parts) or None


# Where a CV shows a skill used (not only listed), most telling first.
_USED_IN = ("experience", "projects", "summary")
_BULLET_RE = re.compile(r"^[\s\-–—•*·▪◦>|]+")
_QUOTE_WORDS = 16  # said aloud: a line's gist, not the whole line


def cv_quotes(cv: CvAnalysis | None) -> dict[str, list[str]]:
    """Skill (lower case) -> the CV's own words where the candidate used it (sentences of their experience,
    projects or summary, not lists; experience first), each cut to about 16 words around the skill, for the
    interviewer to cite."""
    if cv is None:
        return {}
    quotes: dict[str, list[str]] = {}
    for detail in cv.skill_details:
        used = [e for e in detail.evidence if e.section in _USED_IN and _is_sentence(e.text)]
        used.sort(key=lambda e: _USED_IN.index(e.section))  # stable: in CV order within a section
        if used:
            quotes[detail.name.lower()] = list(dict.fromkeys(_gist(e.text, e.written) for e in used))
    return quotes


def _is_sentence(line: str) -> bool:
    text = _BULLET_RE.sub("", line)
    return len(text.split()) >= 4 and text.count(",") < 3 and "|" not in text


def _gist(line: str, written: str) -> str:
    words = _BULLET_RE.sub("", line).rstrip(" .;,").split()
    if len(words) <= _QUOTE_WORDS:
        return " ".join(words)
    first = (written.lower().split() or [""])[0]
    at = next((i for i, w in enumerate(words) if first and first in w.lower()), 0)
    start = max(0, min(at - 5, len(words) - _QUOTE_WORDS))
    gist = " ".join(words[start : start + _QUOTE_WORDS])
    return f"{'…' if start else ''}{gist}{'…' if start + _QUOTE_WORDS < len(words) else ''}"


class Interviewer:
    def __init__(
        self,
        responder: Responder,
        *,
        context_tokens: int,
        max_reply_tokens: int,
        question_bank: Callable[[str], list[Question]] = load_question_bank,
        model_reactions: bool = True,
    ) -> None:
        self.responder = responder
        # False: every reaction is the planner's (the model is never asked, nor pre-read for).
        self.model_reactions = model_reactions
        self.prompt_budget = context_tokens - max_reply_tokens - 64
        self.question_bank = question_bank

    async def warm_up(self) -> None:
        await self.responder.warm_up([system_prompt(t) for t in INTERVIEW_TYPES])

    def _interview_type(self, session: SessionRecord) -> InterviewType:
        itype = find_interview_type(session.interview_type)
        if itype is None:
            raise UnknownInterviewType(session.interview_type)
        return itype

    async def prefill(self, session: SessionRecord, words_so_far: str) -> None:
        """Let the model pre-read a turn still being spoken, so its reply reads only the rest."""
        if not self.model_reactions:
            return  # the model will not be asked: pre-reading would only take the speech services' CPU
        itype = self._interview_type(session)
        state = InterviewState.model_validate(session.agent_state or {})
        messages = prefix_messages(
            itype, session.transcript, state.notes_by_turn, state.start_text, words_so_far, self.prompt_budget
        )
        await self.responder.prefill(messages)

    async def reply(
        self,
        session: SessionRecord,
        turn: UserTurn,
        emit: Emit,
        cancelled: asyncio.Event,
        say: Say | None = None,
    ) -> TurnOutcome:
        """Plan and stream the reply; `emit` publishes its text as it comes, `say` (a voice client is
        listening) requests its speakable pieces from the TTS service."""
        itype = self._interview_type(session)
        state = InterviewState.model_validate(session.agent_state or {})
        cv_skills = session.cv_analysis.skills if session.cv_analysis else []
        candidate = CandidateContext(
            session.candidate_name, cv_skills, session.job_description, cv_quotes(session.cv_analysis)
        )
        user_text = None if turn.kind in ("start", "code_run") else turn.text
        plan, new_state = plan_turn(
            state,
            itype,
            self.question_bank(itype.id),
            user_text,
            candidate,
            seed=session.session_id,
            run=turn.code_run if turn.kind == "code_run" else None,
            spoken=turn.kind == "speech",
        )
        if plan.action == "listen":  # the candidate is coding and asked for nothing: no words, no voice
            return TurnOutcome("", plan, new_state)
        if turn.kind == "start":
            new_state.start_text = start_message(itype, candidate, cv_summary(session.cv_analysis))
        messages = build_messages(
            itype,
            session.transcript,
            state.notes_by_turn,
            new_state.start_text,
            user_text,
            plan,
            self.prompt_budget,
        )
        new_state.notes_by_turn[turn.turn_id] = plan.guidance
        heard = _Heard(user_text or "", state.reactions)
        outcome = await self._stream(plan, messages, emit, cancelled, say, heard)
        if outcome.model_reaction is not None:  # said in place of the planner's reaction
            new_state.reactions[-1] = outcome.model_reaction
        outcome.state = new_state
        return outcome

    async def _stream(
        self,
        plan: ReplyPlan,
        messages: list[Any],
        emit: Emit,
        cancelled: asyncio.Event,
        say: Say | None,
        heard: _Heard,
    ) -> TurnOutcome:
        started = time.perf_counter()
        # A responder that says the planned words itself streams all of them; with a model, the planned line
        # is fixed and said after the reaction, so its voice is synthesised while the model writes.
        own_words = self.responder.says_planned_line
        voice = ReplyVoice(say, None if own_words else plan.line) if say is not None else None
        reply = _Reply(emit, voice)
        if voice is not None:
            await voice.start()
        if own_words:
            pieces = await self._relay(plan, messages, reply, cancelled)
        else:
            pieces = await self._react_then_say(plan, messages, reply, cancelled, heard)
        interrupted = cancelled.is_set()
        if voice is not None and not interrupted:
            await voice.finish()
        metrics = {
            "llm_first_token_ms": round(((reply.first_at or reply.started_at) - reply.started_at) * 1000, 1),
            "llm_total_ms": round((time.perf_counter() - started) * 1000, 1),
            "llm_pieces": float(pieces),
        }
        if reply.first_at is not None:
            metrics["first_token_at"] = reply.first_at
        if voice is not None and voice.first_piece_at is not None:
            metrics["first_sentence_at"] = voice.first_piece_at
        return TurnOutcome(
            reply.text.strip(), plan, InterviewState(), interrupted, metrics, reply.model_reaction
        )

    async def _relay(
        self, plan: ReplyPlan, messages: list[Any], reply: _Reply, cancelled: asyncio.Event
    ) -> int:
        """Publish what the responder says, through the guard that keeps it in role."""
        guard = ReplyGuard()
        pieces = 0
        stream = self.responder.respond(plan, messages)
        try:
            async for piece in stream:
                if cancelled.is_set():
                    break
                pieces += 1
                await reply.publish(guard.feed(piece))
                if guard.stopped:
                    break
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        tail = guard.finish()
        if not cancelled.is_set():
            await reply.publish(tail)
            if not guard.text.strip():  # nothing said: the planned words, so the interview never stalls
                await reply.publish(plan.text)
        return pieces

    async def _react_then_say(
        self,
        plan: ReplyPlan,
        messages: list[Any],
        reply: _Reply,
        cancelled: asyncio.Event,
        heard: _Heard,
    ) -> int:
        """The reaction (the model's words if they pass the check, else the planner's), then the line."""
        pieces: list[str] = []
        if plan.model_reacts and self.model_reactions:
            pieces = await self._model_reaction(plan, messages, cancelled)
            text = "".join(pieces).strip()
            refused = rejection(
                text, praise_earned=plan.praise_earned, used=heard.reactions, answer=heard.answer
            )
            if refused is None:
                reply.model_reaction = text
            else:
                log.info("the model's reaction %r is not said: %s", text, refused)
            log.debug("model reaction verdict: %s", refused or "said")
        if cancelled.is_set():
            return len(pieces)
        for piece in pieces if reply.model_reaction else [plan.reaction]:
            await reply.publish(piece)
        if cancelled.is_set():  # interrupted while the reaction went out
            return len(pieces)
        spoken_apart = reply.voice is not None and reply.voice.has_fixed_line
        await reply.publish((" " if reply.text else "") + plan.line, spoken=not spoken_apart)
        return len(pieces)

    async def _model_reaction(
        self, plan: ReplyPlan, messages: list[Any], cancelled: asyncio.Event
    ) -> list[str]:
        """The model's one-sentence reaction, kept back (as the pieces it came in) until it is checked:
        a reaction already heard cannot be taken back."""
        guard = ReplyGuard(max_sentences=1)
        pieces: list[str] = []
        stream = self.responder.respond(plan, messages)
        try:
            async for piece in stream:
                if cancelled.is_set():
                    break
                pieces.append(guard.feed(piece))
                if guard.stopped or len(guard.text.split()) > MAX_REACTION_WORDS:
                    break
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        pieces.append(guard.finish())
        return [p for p in pieces if p]


@dataclass(frozen=True)
class _Heard:
    """What the model's reaction is checked against: the answer, and the reactions said before."""

    answer: str
    reactions: list[str]


@dataclass
class _Reply:
    """The reply as it goes out: published text, spoken when a voice listens."""

    emit: Emit
    voice: ReplyVoice | None
    text: str = ""
    started_at: float = field(default_factory=time.time)  # events cross processes: wall-clock
    first_at: float | None = None
    model_reaction: str | None = None  # the model's own words, when they were said

    async def publish(self, text: str, *, spoken: bool = True) -> None:
        if not text:
            return
        self.first_at = self.first_at or time.time()
        self.text += text
        await self.emit(text)
        if self.voice is not None and spoken:
            await self.voice.feed(text)

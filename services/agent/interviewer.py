"""One interviewer turn: plan the move, build the prompt, stream the reply in role.

Transport-free: the turn processor hands it a session record and a callback
for the text it may publish; it returns the reply and the new state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from services.agent.domain.planner import CandidateContext, InterviewState, ReplyPlan, plan_turn
from services.agent.domain.prompts import build_messages, prefix_messages, start_message, system_prompt
from services.agent.domain.reply_guard import ReplyGuard
from services.agent.responders import Responder
from services.agent.speech import ReplyVoice, Say
from shared.cv import CvAnalysis
from shared.events import UserTurn
from shared.interview_types import INTERVIEW_TYPES, InterviewType, find_interview_type
from shared.question_bank import Question, load_question_bank
from shared.sessions import SessionRecord

Emit = Callable[[str], Awaitable[None]]


@dataclass
class TurnOutcome:
    text: str
    plan: ReplyPlan
    state: InterviewState
    interrupted: bool = False
    metrics: dict[str, float] = field(default_factory=dict)


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


class Interviewer:
    def __init__(
        self,
        responder: Responder,
        *,
        context_tokens: int,
        max_reply_tokens: int,
        question_bank: Callable[[str], list[Question]] = load_question_bank,
    ) -> None:
        self.responder = responder
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
        candidate = CandidateContext(session.candidate_name, cv_skills, session.job_description)
        user_text = None if turn.kind == "start" else turn.text
        plan, new_state = plan_turn(
            state, itype, self.question_bank(itype.id), user_text, candidate, seed=session.session_id
        )
        if user_text is None:
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
        outcome = await self._stream(plan, messages, emit, cancelled, say)
        outcome.state = new_state
        return outcome

    async def _stream(
        self, plan: ReplyPlan, messages: list[Any], emit: Emit, cancelled: asyncio.Event, say: Say | None
    ) -> TurnOutcome:
        started = time.perf_counter()
        started_epoch = time.time()  # events cross processes: their timestamps are wall-clock
        # The model reacts in one sentence and the planned line follows, said as planned.
        scripted_line = plan.says_line and not self.responder.says_planned_line
        guard = ReplyGuard(max_sentences=1 if scripted_line else None)
        voice = ReplyVoice(say, plan.line if scripted_line else None) if say is not None else None
        if voice is not None:
            await voice.start()  # the fixed line is synthesised while the model writes its reaction

        async def publish(text: str, *, spoken: bool = True) -> None:
            await emit(text)
            if voice is not None and spoken:
                await voice.feed(text)

        first_token_at: float | None = None
        pieces = 0
        stream = self.responder.respond(plan, messages)
        try:
            async for piece in stream:
                if cancelled.is_set():
                    break
                pieces += 1
                first_token_at = first_token_at or time.time()
                safe = guard.feed(piece)
                if safe:
                    await publish(safe)
                if guard.stopped:
                    break
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        interrupted = cancelled.is_set()
        tail = guard.finish()
        if tail and not interrupted:
            await publish(tail)
        if not interrupted and (scripted_line or not guard.text.strip()):
            # The planned line is said as planned, so the interview never stalls on a small model's slip.
            addition = plan.line if not guard.text else " " + plan.line
            await publish(addition, spoken=voice is None or not voice.has_fixed_line)
            guard.text += addition
        if voice is not None and not interrupted:
            await voice.finish()
        metrics = {
            "llm_first_token_ms": round(((first_token_at or started_epoch) - started_epoch) * 1000, 1),
            "llm_total_ms": round((time.perf_counter() - started) * 1000, 1),
            "llm_pieces": float(pieces),
        }
        if first_token_at is not None:
            metrics["first_token_at"] = first_token_at
        if voice is not None and voice.first_piece_at is not None:
            metrics["first_sentence_at"] = voice.first_piece_at
        return TurnOutcome(guard.text.strip(), plan, InterviewState(), interrupted, metrics)

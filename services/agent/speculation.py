"""Work on a spoken turn before it is certain (the STT's `ProvisionalTurn`s).

While the candidate speaks, the words so far are pre-read into the model's cache (`prefill`), so the
reply only reads the last words and its notes. When the candidate falls silent, the reply to the likely
answer is written ahead, recorded instead of published: if the real turn arrives with the same words it
is replayed at once; if the words differ, or speech resumed, it is dropped. All of it is an optimisation:
a replica that never saw the provisional turn answers the real one normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from services.agent.interviewer import Emit, Interviewer, TurnOutcome
from services.agent.speech import Say
from shared.events import ProvisionalTurn, UserTurn
from shared.sessions import SessionRecord, SessionRepository

log = logging.getLogger(__name__)

MAX_SPECULATIONS = 64


@dataclass
class Recording:
    """A reply written ahead: its text pieces and speech requests, in order, and the outcome."""

    pieces: list[str] = field(default_factory=list)
    said: list[tuple[int, str, bool]] = field(default_factory=list)

    async def emit(self, text: str) -> None:
        self.pieces.append(text)

    async def say(self, index: int, text: str, final: bool) -> None:
        self.said.append((index, text, final))


def conversation_point(session: SessionRecord) -> tuple[int, str | None]:
    """Where the conversation stands: a reply written at another point does not fit."""
    return len(session.transcript), session.cv_filename


@dataclass
class Speculation:
    turn_id: str
    text: str
    at: tuple[int, str | None]
    recording: Recording
    cancelled: asyncio.Event
    task: asyncio.Task[TurnOutcome]


class Speculator:
    def __init__(self, interviewer: Interviewer, repo: SessionRepository) -> None:
        self.interviewer = interviewer
        self.repo = repo
        self._ahead: dict[str, Speculation] = {}  # by session
        self._prefilling: set[str] = set()

    async def on_provisional(self, event: ProvisionalTurn) -> None:
        if event.cancelled:
            self.drop(event.session_id)
        elif event.likely_final:
            await self._write_ahead(event)
        elif event.session_id not in self._prefilling:  # a newer prefill waits for none: the next one comes
            self._prefilling.add(event.session_id)
            try:
                session = await self.repo.get(event.session_id)
                await self.interviewer.prefill(session, event.text)
            finally:
                self._prefilling.discard(event.session_id)

    async def _write_ahead(self, event: ProvisionalTurn) -> None:
        current = self._ahead.get(event.session_id)
        if current is not None and (current.turn_id, current.text) == (event.turn_id, event.text):
            return
        self.drop(event.session_id)
        session = await self.repo.get(event.session_id)
        if session.status == "ended" or event.turn_id in session.handled_turn_ids:
            return
        turn = UserTurn(session_id=event.session_id, turn_id=event.turn_id, kind="speech", text=event.text)
        recording, cancelled = Recording(), asyncio.Event()
        task = asyncio.create_task(self._reply(session, turn, recording, cancelled))
        self._ahead[event.session_id] = Speculation(
            event.turn_id, event.text, conversation_point(session), recording, cancelled, task
        )
        while len(self._ahead) > MAX_SPECULATIONS:
            self.drop(next(iter(self._ahead)))

    async def _reply(
        self, session: SessionRecord, turn: UserTurn, recording: Recording, cancelled: asyncio.Event
    ) -> TurnOutcome:
        return await self.interviewer.reply(session, turn, recording.emit, cancelled, recording.say)

    def drop(self, session_id: str) -> None:
        speculation = self._ahead.pop(session_id, None)
        if speculation is not None:
            speculation.cancelled.set()
            speculation.task.cancel()

    async def replay(
        self, session: SessionRecord, turn: UserTurn, emit: Emit, say: Say | None
    ) -> TurnOutcome | None:
        """The reply written ahead for exactly this turn (same words, same conversation), published now;
        None when there is none (the caller writes the reply)."""
        speculation = self._ahead.pop(turn.session_id, None)
        if speculation is None:
            return None
        same_turn = (speculation.turn_id, speculation.text) == (turn.turn_id, turn.text)
        if not same_turn or speculation.at != conversation_point(session):
            speculation.cancelled.set()
            speculation.task.cancel()
            return None
        try:
            outcome = await speculation.task
        except Exception as err:  # a failed speculation is just no speculation
            log.info("the reply written ahead for %s failed (%s); writing it now", turn.turn_id, err)
            return None
        if outcome.interrupted:
            return None
        replayed_at = time.time()
        for piece in speculation.recording.pieces:
            await emit(piece)
        first_sentence_at: float | None = None
        if say is not None:
            for index, text, final in speculation.recording.said:
                await say(index, text, final)
                if text and first_sentence_at is None:
                    first_sentence_at = time.time()
        # Latencies as the candidate lives them: the reply became visible when it was replayed.
        metrics = {k: v for k, v in outcome.metrics.items() if not k.endswith("_at")}
        metrics["first_token_at"] = replayed_at
        if first_sentence_at is not None:
            metrics["first_sentence_at"] = first_sentence_at
        metrics["written_ahead"] = 1.0
        outcome.metrics = metrics
        return outcome

    async def aclose(self) -> None:
        for session_id in list(self._ahead):
            speculation = self._ahead[session_id]
            self.drop(session_id)
            with contextlib.suppress(BaseException):
                await speculation.task

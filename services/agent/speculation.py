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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from services.agent.interviewer import Emit, Interviewer, TurnOutcome
from services.agent.llm.base import LLMError
from services.agent.speech import REACTION_SLOTS, Say
from shared.events import ProvisionalTurn, SpeakRequest, UserTurn
from shared.sessions import SessionRecord, SessionRepository

log = logging.getLogger(__name__)

MAX_SPECULATIONS = 64


@dataclass(frozen=True)
class Step:
    """One published piece: reply text (`spoken_index` None) or a speech request."""

    text: str
    spoken_index: int | None = None
    final: bool = False


@dataclass
class Recording:
    """A reply being written ahead: its text pieces and speech requests, in order. A replay follows it
    live: what is recorded goes out at once, the rest as it is written."""

    items: list[Step] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def emit(self, text: str) -> None:
        self.items.append(Step(text))
        self.changed.set()

    async def say(self, index: int, text: str, final: bool) -> None:
        self.items.append(Step(text, spoken_index=index, final=final))
        self.changed.set()


def conversation_point(session: SessionRecord) -> tuple[int, str | None]:
    """Where the conversation stands: a reply written at another point does not fit."""
    return len(session.transcript), session.cv_filename


@dataclass
class Forwarded:
    started_at: float = field(default_factory=time.time)
    items: int = 0
    pieces: int = 0


@dataclass
class Speculation:
    turn_id: str
    text: str
    at: tuple[int, str | None]
    recording: Recording
    cancelled: asyncio.Event
    task: asyncio.Task[TurnOutcome]


class Speculator:
    def __init__(
        self,
        interviewer: Interviewer,
        repo: SessionRepository,
        speak_ahead: Callable[[SpeakRequest], Awaitable[None]] | None = None,
    ) -> None:
        self.interviewer = interviewer
        self.repo = repo
        # Sentences of a reply written ahead go to the TTS at once (`ahead`: synthesised and kept, not
        # played), so that at the replay their audio is ready.
        self.speak_ahead = speak_ahead
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

    async def after_reply(self, session_id: str) -> None:
        """A reply was just stored: pre-read the conversation up to the candidate's next words (the reply as
        stored, including the planned line the model did not write itself), while the candidate listens."""
        if session_id in self._prefilling:
            return
        self._prefilling.add(session_id)
        try:
            session = await self.repo.get(session_id)
            if session.status != "ended":
                await self.interviewer.prefill(session, "")
        except Exception:  # an optimisation: never an error of the turn
            log.debug("prefill after the reply of %s failed", session_id, exc_info=True)
        finally:
            self._prefilling.discard(session_id)

    async def _write_ahead(self, event: ProvisionalTurn) -> None:
        current = self._ahead.get(event.session_id)
        if current is not None and (current.turn_id, current.text) == (event.turn_id, event.text):
            return
        self.drop(event.session_id)
        session = await self.repo.get(event.session_id)
        if session.status == "ended" or event.turn_id in session.handled_turn_ids:
            return
        turn = UserTurn(
            session_id=event.session_id,
            turn_id=event.turn_id,
            kind="speech",
            text=event.text,
            speak=event.speak,
        )
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
        async def say(index: int, text: str, final: bool) -> None:
            await recording.say(index, text, final)
            # Only what is said first (the reaction and the line's first sentence): the TTS takes sentences
            # in order, and the real requests must not queue behind a whole reply made ahead.
            if turn.speak and text.strip() and index <= REACTION_SLOTS and not cancelled.is_set():
                await self._speak_ahead(turn, index, text, final)

        return await self.interviewer.reply(session, turn, recording.emit, cancelled, say)

    async def _speak_ahead(self, turn: UserTurn, index: int, text: str, final: bool) -> None:
        if self.speak_ahead is None:
            return
        request = SpeakRequest(
            session_id=turn.session_id, turn_id=turn.turn_id, index=index, text=text, final=final, ahead=True
        )
        try:
            await self.speak_ahead(request)
        except Exception:  # an optimisation: the real request synthesises it
            log.debug("could not send sentence %d of %s ahead", index, turn.turn_id, exc_info=True)

    def drop(self, session_id: str) -> None:
        speculation = self._ahead.pop(session_id, None)
        if speculation is not None:
            speculation.cancelled.set()
            speculation.task.cancel()

    async def replay(
        self, session: SessionRecord, turn: UserTurn, emit: Emit, say: Say | None, cancelled: asyncio.Event
    ) -> TurnOutcome | None:
        """The reply written ahead for exactly this turn (same words, same conversation), published now;
        None when there is none (the caller writes the reply)."""
        speculation = self._ahead.pop(turn.session_id, None)
        if speculation is None:
            return None
        same_turn = (speculation.turn_id, speculation.text) == (turn.turn_id, turn.text)
        if not same_turn or speculation.at != conversation_point(session):
            log.debug("the reply written ahead for %s does not fit (same words: %s)", turn.turn_id, same_turn)
            speculation.cancelled.set()
            speculation.task.cancel()
            return None
        forwarded = await self._follow(speculation, emit, say, cancelled)
        try:
            outcome = speculation.task.result()
        except (Exception, asyncio.CancelledError) as err:
            if forwarded.pieces == 0:
                return None  # nothing went out: the caller writes the reply itself
            raise LLMError(f"the reply written ahead failed: {err!r}") from None
        # Latencies as the candidate lives them: nothing of a reply written ahead was visible before the
        # replay began (a piece written earlier counts as produced when the replay started).
        metrics = dict(outcome.metrics)
        for key in ("first_token_at", "first_sentence_at"):
            if key in metrics:
                metrics[key] = max(metrics[key], forwarded.started_at)
        metrics["written_ahead"] = 1.0
        outcome.metrics = metrics
        return outcome

    @staticmethod
    async def _follow(
        speculation: Speculation, emit: Emit, say: Say | None, cancelled: asyncio.Event
    ) -> Forwarded:
        """Forward what is recorded, then follow the writing live until it ends (or the turn is interrupted,
        which stops the writing too)."""
        recording, forwarded = speculation.recording, Forwarded()
        while True:
            if cancelled.is_set():
                speculation.cancelled.set()
            recording.changed.clear()  # before forwarding: an item added meanwhile wakes the wait below
            while forwarded.items < len(recording.items):
                step = recording.items[forwarded.items]
                forwarded.items += 1
                if step.spoken_index is None:
                    await emit(step.text)
                    forwarded.pieces += 1
                elif say is not None:
                    await say(step.spoken_index, step.text, step.final)
            if speculation.task.done():
                return forwarded
            waiters = [
                asyncio.ensure_future(recording.changed.wait()),
                asyncio.ensure_future(cancelled.wait()),
            ]
            await asyncio.wait([speculation.task, *waiters], return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def aclose(self) -> None:
        for session_id in list(self._ahead):
            speculation = self._ahead[session_id]
            self.drop(session_id)
            with contextlib.suppress(BaseException):
                await speculation.task

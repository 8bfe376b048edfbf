"""A reply's voice: its speakable pieces, requested from the TTS service as soon as each is complete.

Pieces are numbered in speaking order (the gateway plays them by index). When the planner has a fixed line
to say after the model's reaction (the next question), the line's first sentence is requested at once, so
it is synthesised while the model is still writing (it is the first thing said when the model has no
reaction); the rest of the line follows the reaction, so the reaction never queues behind it at the TTS.
The reaction owns the first `REACTION_SLOTS` indexes (its first clause, then the rest; an unused slot is
sent empty to keep the order).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from services.agent.domain.sentences import SentenceSplitter, sentences

# (index, text, final) -> publish one SpeakRequest
Say = Callable[[int, str, bool], Awaitable[None]]
REACTION_SLOTS = 2  # the reaction is at most one sentence: its first clause, and the rest


class ReplyVoice:
    def __init__(self, say: Say, fixed_line: str | None) -> None:
        self._say = say
        self._line = sentences(fixed_line) if fixed_line else []
        self._splitter = SentenceSplitter()
        self._next = 0
        self._held = ""  # the reaction's second slot, said once the reaction is complete
        self.first_piece_at: float | None = None  # epoch s of the first piece with words, for metrics

    @property
    def has_fixed_line(self) -> bool:
        return bool(self._line)

    async def start(self) -> None:
        if self._line:
            await self._say_line(0)

    async def _say_line(self, offset: int) -> None:
        await self._say(REACTION_SLOTS + offset, self._line[offset], offset == len(self._line) - 1)

    async def feed(self, text: str) -> None:
        for piece in self._splitter.feed(text):
            await self._piece(piece)

    async def finish(self) -> None:
        """The reply is complete: say what is left and mark the end of the reply."""
        rest = self._splitter.flush()
        if self._line:
            if rest:
                await self._piece(rest)
            if self._next == 0:  # no reaction at all: its slot goes out empty, keeping the order
                await self._emit("", final=False)
            await self._emit(self._held, final=False)  # the rest of the reaction (or empty)
            for offset in range(1, len(self._line)):
                await self._say_line(offset)
            return
        await self._emit(rest, final=True)

    async def _piece(self, piece: str) -> None:
        if self._line and self._next >= REACTION_SLOTS - 1:
            self._held = f"{self._held} {piece}".strip()  # the rest of the reaction: said at the end
            return
        await self._emit(piece, final=False)

    async def _emit(self, text: str, *, final: bool) -> None:
        if text and self.first_piece_at is None:
            self.first_piece_at = time.time()
        await self._say(self._next, text, final)
        self._next += 1

"""The turns whose replies were interrupted: bounded (least recently added go first) and expiring.

Every TTS replica keeps its own copy (the interrupts arrive on core NATS, to every replica), so a sentence
of an interrupted turn is dropped by whichever replica takes it from the queue.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

# A sentence waits at most an hour in the SPEECH stream (its max_age): no interrupt needs to outlive that.
DEFAULT_TTL_S = 3600.0
DEFAULT_CAPACITY = 4096


class InterruptedTurns:
    """`add` an interrupt; `covers` tells whether a sentence belongs to an interrupted reply.

    An interrupt names its turn; one without a turn id stops whatever the session was saying: every sentence
    of that session requested (`SpeakRequest.ts`) at or before the interrupt (`Interrupt.ts`).
    """

    def __init__(
        self,
        *,
        capacity: int = DEFAULT_CAPACITY,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1 or ttl_s <= 0:
            raise ValueError("capacity and ttl_s must be positive")
        self.capacity = capacity
        self.ttl_s = ttl_s
        self._clock = clock
        # (session, turn) -> expiry (clock); session -> (interrupted at, epoch s; expiry)
        self._turns: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._sessions: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def add(self, session_id: str, turn_id: str | None, interrupted_at: float) -> bool:
        """Remember an interrupt; False if it was already known."""
        expires = self._clock() + self.ttl_s
        if turn_id is None:
            known = self._sessions.pop(session_id, None)
            latest = max(interrupted_at, known[0]) if known else interrupted_at
            self._sessions[session_id] = (latest, expires)
            self._bound(self._sessions)
            return known is None or latest != known[0]
        key = (session_id, turn_id)
        known_turn = self._turns.pop(key, None) is not None
        self._turns[key] = expires
        self._bound(self._turns)
        return not known_turn

    def covers(self, session_id: str, turn_id: str, requested_at: float) -> bool:
        """Is this sentence part of an interrupted reply?"""
        self._expire()
        if (session_id, turn_id) in self._turns:
            return True
        session = self._sessions.get(session_id)
        return session is not None and requested_at <= session[0]

    def __len__(self) -> int:
        self._expire()
        return len(self._turns) + len(self._sessions)

    def _bound(
        self, entries: OrderedDict[tuple[str, str], float] | OrderedDict[str, tuple[float, float]]
    ) -> None:
        while len(entries) > self.capacity:
            entries.popitem(last=False)

    def _expire(self) -> None:
        # Entries are kept in insertion order and share one TTL, so the expired ones are at the front.
        now = self._clock()
        while self._turns and next(iter(self._turns.values())) <= now:
            self._turns.popitem(last=False)
        while self._sessions and next(iter(self._sessions.values()))[1] <= now:
            self._sessions.popitem(last=False)

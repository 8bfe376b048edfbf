"""What the interviewer is saying on each session's client, from the gateway's `PlaybackUpdate`s: the
transcriber asks it whether speech starting now is over the interviewer's voice (echo or barge-in)."""

from __future__ import annotations

import time
from collections.abc import Callable

from shared.events import PlaybackUpdate

# The echo may run a little past the gateway's `playing_until` (an estimate: the client starts playing a
# piece a network hop after it was sent, and the room rings on for a moment): 0.1-0.2 s, so 0.25 s is plenty.
# (It was 0.6 s: an answer started 0.3-0.6 s after the interviewer stopped was taken for speech over it.)
ECHO_TAIL_S = 0.25
FORGET_AFTER_S = 120.0


class PlaybackBoard:
    """The `Playback` port: the latest update per session, kept in memory (every replica hears them all)."""

    def __init__(self, *, tail_s: float = ECHO_TAIL_S, clock: Callable[[], float] = time.time) -> None:
        self.tail_s = tail_s
        self.clock = clock
        self._latest: dict[str, PlaybackUpdate] = {}
        self._since: dict[str, float] = {}

    def update(self, event: PlaybackUpdate) -> None:
        current = self._latest.get(event.session_id)
        if current is not None and event.ts < current.ts:
            return  # an older update arriving late
        if current is None or current.turn_id != event.turn_id:
            self._since[event.session_id] = event.ts  # the reply started playing about then
        self._latest[event.session_id] = event
        self._forget_old()

    def playing(self, session_id: str, at: float) -> str | None:
        """What the interviewer is saying at `at` (its echo tail included), or None."""
        event = self._latest.get(session_id)
        if event is None:
            return None
        since = self._since.get(session_id, event.ts)
        if not since - 1.0 <= at < event.playing_until + self.tail_s:
            return None
        return event.text

    def ended(self, session_id: str, at: float) -> bool:
        """Is `at` past the estimated end of what was played (in its echo tail, or later)?"""
        event = self._latest.get(session_id)
        return event is None or at >= event.playing_until

    def _forget_old(self) -> None:
        if len(self._latest) < 256:
            return
        cutoff = self.clock() - FORGET_AFTER_S
        for session_id in [s for s, e in self._latest.items() if e.playing_until < cutoff]:
            del self._latest[session_id]
            self._since.pop(session_id, None)

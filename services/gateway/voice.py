"""The voice side of one socket, transport-free: putting synthesised pieces back in order, the client's
playback timeline (what it is playing, what the candidate has heard), and each turn's stage latencies.

The client plays the WAVs back to back as they arrive, so the gateway can estimate the timeline from what
it sent: a piece starts when the previous one ends (or when it is sent, if the player is idle).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

from shared.events import SpeechAudio

KEPT_TURNS = 8  # turns whose order and timeline are remembered (a socket only plays the latest)


class AudioSequencer:
    """TTS replicas finish a reply's pieces in any order; the client must hear them in index order."""

    def __init__(self) -> None:
        self._pending: OrderedDict[str, dict[int, SpeechAudio]] = OrderedDict()
        self._next: dict[str, int] = {}
        self._finished: set[str] = set()
        self._cancelled: set[str] = set()

    def add(self, audio: SpeechAudio) -> list[SpeechAudio]:
        """The pieces that may be played now, in order (an empty or failed piece still moves the order on)."""
        turn = audio.turn_id
        if turn in self._cancelled or turn in self._finished:
            return []
        if turn not in self._pending:
            self._pending[turn] = {}
            self._next[turn] = 0
            self._forget_old()
        if audio.index < self._next[turn]:
            return []  # a duplicate (a redelivered sentence): the first one was played
        self._pending[turn].setdefault(audio.index, audio)
        ready: list[SpeechAudio] = []
        while (piece := self._pending[turn].pop(self._next[turn], None)) is not None:
            ready.append(piece)
            self._next[turn] += 1
            if piece.final:
                self._finished.add(turn)
                break
        return ready

    def cancel(self, turn_id: str) -> None:
        self._cancelled.add(turn_id)
        self._pending.pop(turn_id, None)

    def finished(self, turn_id: str) -> bool:
        """The reply's last piece was released."""
        return turn_id in self._finished

    def _forget_old(self) -> None:
        while len(self._pending) > KEPT_TURNS:
            turn, _ = self._pending.popitem(last=False)
            self._next.pop(turn, None)
        for old in (self._finished, self._cancelled):
            if len(old) > 4 * KEPT_TURNS:
                old.clear()


@dataclass(frozen=True)
class SentPiece:
    turn_id: str
    text: str
    starts_at: float  # epoch s, on the client's estimated timeline
    duration_s: float


@dataclass
class Playback:
    """What the client is playing, estimated from what was sent."""

    pieces: list[SentPiece] = field(default_factory=list)
    until: float = 0.0  # when the last piece sent ends playing

    def add(self, turn_id: str, text: str, duration_s: float, now: float) -> SentPiece:
        piece = SentPiece(turn_id, text, max(now, self.until), max(0.0, duration_s))
        self.until = piece.starts_at + piece.duration_s
        self.pieces.append(piece)
        if len(self.pieces) > 16 * KEPT_TURNS:
            del self.pieces[: len(self.pieces) - 16 * KEPT_TURNS]
        return piece

    def playing(self, now: float) -> bool:
        return now < self.until

    def sent_text(self, turn_id: str) -> str:
        return " ".join(p.text for p in self.pieces if p.turn_id == turn_id and p.text)

    def heard(self, turn_id: str, now: float) -> str:
        """The words of the reply the candidate has heard by `now` (a piece in progress counts in part)."""
        words: list[str] = []
        for piece in self.pieces:
            if piece.turn_id != turn_id or piece.starts_at >= now:
                continue
            piece_words = piece.text.split()
            if piece.duration_s <= 0 or now >= piece.starts_at + piece.duration_s:
                words += piece_words
            else:
                share = (now - piece.starts_at) / piece.duration_s
                words += piece_words[: math.ceil(share * len(piece_words))]
        return " ".join(words)

    def stop(self, now: float) -> None:
        """The client was told to stop: nothing plays after `now`."""
        self.until = min(self.until, now)


def stage_latencies(times: dict[str, float]) -> dict[str, float]:
    """Each stage of a turn in milliseconds, from the absolute times (epoch s) the services recorded:
    `turn_ended_at` (end of speech, or the typed answer's arrival), `transcribed_at`, `first_token_at`,
    `first_sentence_at`, `first_audio_at` (sent to the client). Stages whose ends are unknown are left out."""
    stages = {
        "speech_end_to_transcript": ("turn_ended_at", "transcribed_at"),
        "transcript_to_first_token": ("transcribed_at", "first_token_at"),
        "turn_to_first_token": ("turn_ended_at", "first_token_at"),
        "first_token_to_first_sentence": ("first_token_at", "first_sentence_at"),
        "first_sentence_to_first_audio": ("first_sentence_at", "first_audio_at"),
        "first_token_to_first_audio": ("first_token_at", "first_audio_at"),
        "speech_end_to_first_audio": ("turn_ended_at", "first_audio_at"),
    }
    return {
        name: round((times[end] - times[start]) * 1000, 1)
        for name, (start, end) in stages.items()
        if start in times and end in times
    }

"""Turn-taking on the server: when has the candidate finished speaking?

`TurnTaker` is a state machine over the socket's audio timeline, fed one VAD frame at a time (its speech
probability and its length in samples), the client's hints and the text recognised so far. It decides,
and says what to do through actions:

- speech starts an utterance (with a little audio from before the onset);
- a pause of `pause_ms` commits the segment spoken so far (the service decodes it while the candidate is
  silent, so at the end of the turn little or nothing is left to decode), and is where speculation starts;
  a committed segment with less than `min_segment_speech_ms` of speech is reopened if speech resumes (its
  decode is dropped and it is decoded again with what follows: Whisper given one word and a pause writes
  "Sorry sorry sorry ..." or "Sorry. Sorry.");
- the turn ends after `silence_ms` of silence, or `unfinished_silence_ms` when the words so far stop
  mid-thought (a filler, "because", "and", "the", "..."), both times `coding_factor` in the coding phase;
- the `likely final` moment: as soon as a quick draft of the last segment (decoded at the pause) sounds
  finished, else `silence_ms - pause_ms` before the end (the agent may start its reply); speech resuming
  after it cancels it;
- an utterance longer than `max_turn_s` is cut into turns (at a pause near the limit, at the limit if none);
- speech that starts while the interviewer's voice plays is provisional: after `bargein_min_speech_ms` of
  it the service decodes it and says whether it is the candidate (barge-in) or the interviewer's echo
  (no words at all: checked again, whole, at twice the speech); a burst too short to check is dropped
  after `burst_gap_ms` of silence, and speech resuming sooner joins it ("Sorry, could you...");
- speech that starts in the echo tail (the reply is over, by the gateway's estimate, but its echo may
  linger a moment) is the candidate's answer once it outlasts any echo (`bargein_min_speech_ms`, longer
  than the tail): no check, no barge-in; a shorter burst there is decoded at its pause and compared with
  the reply (the candidate's quick "Yes." is a turn, the echo of the reply's last word is not);
- hints: `speech_end` ends the turn now if there was speech, `speech_start` cancels a pending end (and the
  shorter wait); a stalled stream and the socket's end finish the utterance.

Every decision depends only on the audio timeline, the hints (ordered with the audio) and the decoded
text, never on the wall clock or on how fast decoding ran: replaying the same audio from the same point
gives the same turns (that is how another replica resumes a socket). When a decision needs text that is
still being decoded, `blocked` is set and the caller waits for it before feeding the next frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from services.stt.domain.language import Speaker, ends_unfinished
from services.stt.domain.prompting import is_blank, join_text

SAMPLE_RATE = 16_000


def ms_to_samples(ms: float) -> int:
    return round(ms * SAMPLE_RATE / 1000)


def samples_to_ms(samples: int) -> float:
    return samples * 1000 / SAMPLE_RATE


@dataclass(frozen=True)
class EndpointRules:
    silence_ms: float = 600.0
    unfinished_silence_ms: float = 1600.0
    coding_factor: float = 2.0
    max_turn_s: float = 300.0
    bargein_min_speech_ms: float = 400.0
    pause_ms: float = 250.0  # a pause this long commits the segment (decode it now) and starts speculation
    # A segment committed at a pause with less speech than this is decoded again with the speech after the
    # pause, if there is any: alone, "Sorry," (0.4 s) came back looped ("Sorry sorry sorry ...") or doubled
    # ("Sorry. Sorry.") at 8 of 16 alignments of the audio to the VAD's windows.
    min_segment_speech_ms: float = 1000.0
    # Over the interviewer's voice, speech too short to check is dropped after this much silence; speech
    # resuming sooner joins it (the "Sorry," of "Sorry, could you repeat that?" was lost at a 250-ms pause).
    burst_gap_ms: float = 500.0
    preroll_ms: float = 300.0  # audio kept from before the speech onset (the VAD triggers late)
    min_speech_ms: float = (
        90.0  # less speech than this in an utterance is a click or a pop: dropped undecoded
    )
    partial_every_ms: float = 1000.0  # a partial transcript this often while speaking
    max_segment_s: float = 25.0  # Whisper decodes 30 s windows: a segment without pauses is cut before that
    echo_recheck_ms: float = 3000.0  # speech judged echo is checked again after this much more of it
    checkpoint_idle_s: float = 30.0  # a long silence is checkpointed (where a resumed replica would start)
    speech_threshold: float = 0.5  # VAD probability that starts speech
    silence_threshold: float = 0.35  # ... and that ends it (hysteresis)
    stall_grace_ms: float = 1000.0  # no audio at all this long past the endpoint ends the turn (wall clock)

    def deadline_ms(self, *, unfinished: bool, coding: bool) -> float:
        base = self.unfinished_silence_ms if unfinished else self.silence_ms
        return base * (self.coding_factor if coding else 1.0)

    @property
    def speculation_lead_ms(self) -> float:
        return max(0.0, self.silence_ms - self.pause_ms)

    @property
    def max_turn_grace_s(self) -> float:
        """Near the maximum length, a pause ends the turn (rather than cutting the next word)."""
        return min(5.0, self.max_turn_s / 5)


Span = tuple[int, int]  # [start, end) in samples of the socket's timeline
EndReason = Literal["silence", "max_length", "hint", "stalled", "socket_end"]


# --- actions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UtteranceStarted:
    start: int  # the utterance's audio starts here (onset minus the pre-roll)
    onset: int  # the first speech frame
    provisional: bool  # over the interviewer's voice: barge-in or echo, to be decided
    after_playback: bool = False  # ... in the echo tail: the reply is over (the candidate's turn, or echo)


@dataclass(frozen=True)
class CommitSegment:
    span: Span  # decode it; its text comes back through `committed`
    pause: bool = False  # at a pause (the answer may be over): a quick draft first, for `draft`
    speech_end: int = 0  # where the speech in it ended


@dataclass(frozen=True)
class SegmentReopened:
    span: Span  # the last committed segment, too short to decode alone: forget its text; it is decoded again
    # as the start of the next segment


@dataclass(frozen=True)
class PartialDue:
    span: Span  # the uncommitted speech so far (decode it if the model is free)


@dataclass(frozen=True)
class CheckBargeIn:
    span: Span  # decode it and compare with what the interviewer is saying; answer with `verdict`
    speech_ms: float


@dataclass(frozen=True)
class LikelyFinal:
    text: str  # the whole answer, if the candidate stays silent


@dataclass(frozen=True)
class SpeculationCancelled:
    text: str


@dataclass(frozen=True)
class TurnEnded:
    start: int
    end: int
    speech_end: int  # where the last speech frame ended
    reason: EndReason
    pending: Span | None  # audio not yet committed: decode it before publishing the turn


@dataclass(frozen=True)
class Discarded:
    reason: Literal["noise", "echo", "burst_over_playback"]
    span: Span


@dataclass(frozen=True)
class Checkpoint:
    at: int  # a long silence: the timeline may restart here


Action = (
    UtteranceStarted
    | CommitSegment
    | SegmentReopened
    | PartialDue
    | CheckBargeIn
    | LikelyFinal
    | SpeculationCancelled
    | TurnEnded
    | Discarded
    | Checkpoint
)

# Actions after which nothing of the timeline before `TurnTaker.floor` is needed any more.
RESETS = (TurnEnded, Discarded, Checkpoint)


@dataclass
class _Utterance:
    start: int
    onset: int
    provisional: bool
    after_playback: bool
    segment_start: int
    speech_end: int
    silence_from: int
    speech: int = 0  # samples of speech frames
    segment_speech: int = 0  # ... of them in the current segment
    short_commit: tuple[Span, int] | None = None  # this pause's commit and its speech, if too little of it
    speaking: bool = True
    pause_committed: bool = False  # the current pause has committed the segment
    commits_pending: int = 0
    texts: list[str] = field(default_factory=list)  # one per commit handed back, blank ones included
    hold: bool = False  # a `speech_start` hint in this pause: wait the longer deadline
    likely_final_sent: bool = False
    next_partial_at: int = 0
    checking: bool = False  # a barge-in check is being decoded
    check_at_speech: int = 0  # provisional speech is (next) checked once it has this much speech
    echo: bool = False  # judged the interviewer's voice: ignored until the next pause
    echo_checked_at: int = 0

    @property
    def text(self) -> str:
        return join_text(self.texts)


class TurnTaker:
    def __init__(self, rules: EndpointRules, *, start: int = 0, coding: bool = False) -> None:
        self.rules = rules
        self.t = start  # the end of the last frame
        self.floor = start  # nothing before this belongs to a future utterance
        self.coding = coding
        self._speaking = False  # the VAD's hysteresis state
        self._u: _Utterance | None = None
        self._pause = ms_to_samples(rules.pause_ms)
        self._min_segment_speech = ms_to_samples(rules.min_segment_speech_ms)
        self._burst_gap = ms_to_samples(rules.burst_gap_ms)
        self._preroll = ms_to_samples(rules.preroll_ms)
        self._min_speech = ms_to_samples(rules.min_speech_ms)
        self._bargein_speech = ms_to_samples(rules.bargein_min_speech_ms)
        self._partial_every = ms_to_samples(rules.partial_every_ms)
        self._max_segment = ms_to_samples(rules.max_segment_s * 1000)
        self._max_turn = ms_to_samples(rules.max_turn_s * 1000)
        self._max_turn_soft = ms_to_samples((rules.max_turn_s - rules.max_turn_grace_s) * 1000)
        self._echo_recheck = ms_to_samples(rules.echo_recheck_ms)
        self._checkpoint = ms_to_samples(rules.checkpoint_idle_s * 1000)

    # --- queries ---------------------------------------------------------------------------------------

    @property
    def in_utterance(self) -> bool:
        return self._u is not None

    @property
    def text(self) -> str:
        """The committed text of the current utterance."""
        return self._u.text if self._u else ""

    @property
    def commits_pending(self) -> int:
        return self._u.commits_pending if self._u else 0

    @property
    def speculating(self) -> bool:
        """A likely end was announced (and not cancelled) for the current utterance."""
        return bool(self._u and self._u.likely_final_sent)

    @property
    def checking(self) -> bool:
        return bool(self._u and self._u.checking)

    @property
    def blocked(self) -> bool:
        """A decision is due that needs text still being decoded (commits or a barge-in check): the caller
        must deliver it (`committed`, `verdict`) before the next frame. A barge-in check blocks at once:
        its verdict then lands on the frame after the stretch it judged, wherever the decode's speed (a
        verdict arriving mid-speech or at a pause would decide differently)."""
        u = self._u
        if u is None:
            return False
        if u.checking:
            return True
        if u.speaking:
            return False
        silence = self.t - u.silence_from
        return u.commits_pending > 0 and silence >= ms_to_samples(self._deadline_ms(unfinished=False))

    def deadline_ms(self) -> float:
        """The silence that would end the current utterance, as far as is known now."""
        u = self._u
        unfinished = bool(u and (u.hold or ends_unfinished(u.text)))
        return self._deadline_ms(unfinished=unfinished)

    def silence_ms(self) -> float:
        u = self._u
        if u is None or u.speaking:
            return 0.0
        return samples_to_ms(self.t - u.silence_from)

    def stall_after_ms(self) -> float | None:
        """How long (wall clock) to wait for more audio before ending the utterance as if silent."""
        if self._u is None:
            return None
        return max(0.0, self.deadline_ms() - self.silence_ms()) + self.rules.stall_grace_ms

    def _deadline_ms(self, *, unfinished: bool) -> float:
        return self.rules.deadline_ms(unfinished=unfinished, coding=self.coding)

    # --- inputs ----------------------------------------------------------------------------------------

    def frame(
        self, probability: float, samples: int, *, playing: bool = False, tail: bool = False
    ) -> list[Action]:
        """One VAD frame: `probability` of speech over `samples` samples; `playing`: the interviewer's voice
        is playing on the client (speech starting now is provisional); `tail`: what plays is only the echo
        tail (the reply has ended: speech starting now is the candidate's unless it is the echo)."""
        start = self.t
        self.t += samples
        if probability >= self.rules.speech_threshold:
            self._speaking = True
        elif probability < self.rules.silence_threshold:
            self._speaking = False
        actions: list[Action] = []
        u = self._u
        if u is None:
            if self._speaking:
                self._start(start, samples, playing, playing and tail, actions)
            elif self.t - self.floor >= self._checkpoint:
                self._reset()
                actions.append(Checkpoint(self.t))
            return actions
        if self._speaking:
            self._speech(u, start, samples, actions)
        else:
            self._silence(u, actions)
        return actions

    def committed(self, text: str) -> list[Action]:
        """The text of the oldest pending commit."""
        u = self._u
        if u is None or u.commits_pending == 0:
            return []
        u.commits_pending -= 1
        u.texts.append(text.strip())
        actions: list[Action] = []
        self._evaluate_end(u, actions)
        return actions

    def draft(self, text: str) -> list[Action]:
        """A quick decode of the segment that the current pause committed (the full one is under way): if
        the candidate is still silent and the words so far sound finished, the answer is likely over."""
        u = self._u
        if u is None or u.speaking or not u.pause_committed or u.likely_final_sent or u.provisional or u.echo:
            return []
        whole = join_text([*u.texts, text]) if u.commits_pending == 1 else ""
        if is_blank(whole) or u.hold or ends_unfinished(whole):
            return []  # unsure: the committed text decides, shortly before the longer deadline
        u.likely_final_sent = True
        return [LikelyFinal(whole)]

    def verdict(self, heard: Speaker) -> list[Action]:
        """The barge-in check's answer: the candidate speaking, the interviewer's echo (or noise), or
        unclear (no words, or too common ones to tell)."""
        u = self._u
        if u is None or not u.checking:
            return []
        u.checking = False
        actions: list[Action] = []
        if heard == "unclear" and u.speaking and not u.echo and u.speech < self._echo_recheck:
            # Not known to be the echo: taking it for one dropped a candidate's "Could you repeat the
            # question?" unheard (its first 0.4 s decoded to nothing, or to "could you"). Listen on and
            # check the whole stretch again with twice the speech; past the echo's recheck length it is echo.
            u.check_at_speech = 2 * u.speech
            return actions
        if heard == "candidate":
            if u.echo:  # the candidate spoke up over a stretch of echo: the turn starts where the check did
                u.start = u.segment_start = u.echo_checked_at
                u.speech = u.segment_speech = self.t - u.start
            self._accept(u)
            if not u.speaking:
                self._silence(u, actions)
            return actions
        if u.speaking:  # keep ignoring this stretch until it pauses; look again after a while
            u.echo = True
            u.echo_checked_at = self.t
            return actions
        self._discard("echo", actions)
        return actions

    def hint_speech_start(self) -> list[Action]:
        """The client's VAD hears speech: a pending end waits (the longer deadline, counted from now)."""
        u = self._u
        actions: list[Action] = []
        if u is None or u.speaking or u.provisional:
            return actions
        u.hold = True
        u.silence_from = self.t
        if u.likely_final_sent:
            u.likely_final_sent = False
            actions.append(SpeculationCancelled(u.text))
        return actions

    def hint_speech_end(self) -> list[Action]:
        """The client's VAD says the candidate stopped: the turn ends now if there was speech."""
        return self._finish("hint")

    def stalled(self) -> list[Action]:
        """No audio has arrived for `stall_after_ms` (wall clock): end the utterance as it is."""
        return self._finish("stalled")

    def socket_end(self) -> list[Action]:
        return self._finish("socket_end")

    # --- internals -------------------------------------------------------------------------------------

    def _start(
        self, start: int, samples: int, playing: bool, after_playback: bool, actions: list[Action]
    ) -> None:
        begin = max(self.floor, start - self._preroll)
        self._u = _Utterance(
            start=begin,
            onset=start,
            provisional=playing,
            after_playback=after_playback,
            segment_start=begin,
            speech_end=self.t,
            silence_from=self.t,
            speech=samples,
            segment_speech=samples,
            next_partial_at=start + self._partial_every,
            check_at_speech=self._bargein_speech,
        )
        actions.append(UtteranceStarted(begin, start, playing, after_playback))

    def _accept(self, u: _Utterance) -> None:
        """The provisional speech is the candidate's: from now on, an ordinary utterance."""
        u.provisional = False
        u.echo = False
        u.next_partial_at = self.t + self._partial_every

    def _speech(self, u: _Utterance, start: int, samples: int, actions: list[Action]) -> None:
        if not u.speaking:  # speech resumes after a pause
            if u.likely_final_sent:
                u.likely_final_sent = False
                actions.append(SpeculationCancelled(u.text))
            if u.pause_committed and u.short_commit is not None:
                self._reopen(u, actions)
            elif u.pause_committed:
                u.segment_start = max(u.segment_start, start - self._preroll)
            u.pause_committed = False
            u.hold = False
        u.speaking = True
        u.speech += samples
        u.segment_speech += samples
        u.speech_end = self.t
        u.silence_from = self.t
        if u.echo:
            if self.t - u.echo_checked_at >= self._echo_recheck and not u.checking:
                u.checking = True
                actions.append(
                    CheckBargeIn((u.echo_checked_at, self.t), samples_to_ms(self.t - u.echo_checked_at))
                )
            return
        if u.provisional:
            if u.after_playback:
                if u.speech >= self._bargein_speech:  # longer than any echo outlasting the reply: the answer
                    self._accept(u)
            elif u.speech >= u.check_at_speech and not u.checking:
                u.checking = True
                actions.append(CheckBargeIn((u.start, self.t), samples_to_ms(u.speech)))
            return
        if self.t - u.start >= self._max_turn:
            self._end(u, "max_length", actions)
            return
        if self.t - u.segment_start >= self._max_segment:
            self._commit(u, actions)
            return
        if self.t >= u.next_partial_at:
            u.next_partial_at = self.t + self._partial_every
            actions.append(PartialDue((u.segment_start, self.t)))

    def _silence(self, u: _Utterance, actions: list[Action]) -> None:
        u.speaking = False
        silence = self.t - u.silence_from
        if u.echo:
            if silence >= self._pause and not u.checking:
                self._discard("echo", actions)
            return
        if u.provisional:
            if u.checking:
                return
            if u.after_playback:
                if silence >= self._pause:
                    if u.speech >= self._min_speech:  # a short answer, or the echo?
                        u.checking = True
                        actions.append(CheckBargeIn((u.start, self.t), samples_to_ms(u.speech)))
                    else:
                        self._discard("burst_over_playback", actions)
            elif silence >= self._burst_gap:  # a word and a pause ("Sorry, could you...") join what follows
                self._discard("burst_over_playback", actions)
            return
        if u.speech < self._min_speech and not any(u.texts) and u.commits_pending == 0:
            if silence >= self._pause:
                self._discard("noise", actions)
            return
        if not u.pause_committed and silence >= min(
            self._pause, ms_to_samples(self._deadline_ms(unfinished=False))
        ):
            self._commit(u, actions, pause=True)
            u.pause_committed = True
            if self.t - u.start >= self._max_turn_soft:
                self._end(u, "max_length", actions)
                return
        self._evaluate_end(u, actions)

    def _commit(self, u: _Utterance, actions: list[Action], *, pause: bool = False) -> None:
        u.short_commit = None
        if self.t > u.segment_start:
            span = (u.segment_start, self.t)
            actions.append(CommitSegment(span, pause, u.speech_end))
            u.commits_pending += 1
            if pause and u.segment_speech < self._min_segment_speech:
                u.short_commit = (span, u.segment_speech)
        u.segment_start = self.t
        u.segment_speech = 0

    def _reopen(self, u: _Utterance, actions: list[Action]) -> None:
        """Speech resumed after a short committed segment: withdraw it (its text, or its pending decode) and
        start the next segment where it started."""
        assert u.short_commit is not None
        span, speech = u.short_commit
        u.short_commit = None
        if u.commits_pending:  # the last commit: the service drops its decode and never hands it back
            u.commits_pending -= 1
        else:
            u.texts.pop()
        u.segment_start = span[0]
        u.segment_speech += speech
        actions.append(SegmentReopened(span))

    def _evaluate_end(self, u: _Utterance, actions: list[Action]) -> None:
        if u.speaking or not u.pause_committed or u.commits_pending or u.checking or u.provisional:
            return
        silence = self.t - u.silence_from
        deadline = ms_to_samples(self.deadline_ms())
        if silence >= deadline:
            self._end(u, "silence", actions)
        elif (
            not u.likely_final_sent
            and not is_blank(u.text)
            and silence >= deadline - ms_to_samples(self.rules.speculation_lead_ms)
        ):
            u.likely_final_sent = True
            actions.append(LikelyFinal(u.text))

    def _end(self, u: _Utterance, reason: EndReason, actions: list[Action]) -> None:
        pending = (u.segment_start, self.t) if self.t > u.segment_start and not u.pause_committed else None
        actions.append(TurnEnded(u.start, self.t, u.speech_end, reason, pending))
        self._reset()

    def _finish(self, reason: EndReason) -> list[Action]:
        u = self._u
        actions: list[Action] = []
        if u is None:
            return actions
        if (
            u.provisional
            or u.echo
            or (u.speech < self._min_speech and not any(u.texts) and not u.commits_pending)
        ):
            self._discard(
                "echo" if u.echo else "noise" if not u.provisional else "burst_over_playback", actions
            )
            return actions
        self._end(u, reason, actions)
        return actions

    def _discard(
        self, reason: Literal["noise", "echo", "burst_over_playback"], actions: list[Action]
    ) -> None:
        u = self._u
        assert u is not None
        actions.append(Discarded(reason, (u.start, self.t)))
        self._reset()

    def _reset(self) -> None:
        self._u = None
        self.floor = self.t

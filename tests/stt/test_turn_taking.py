"""Turn-taking rules on synthetic audio: frame sequences of speech and silence (32 ms VAD frames) with the
text each committed segment decodes to. Pure domain: no model, no NATS."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TypeVar

import pytest

from services.stt.domain.turn_taking import (
    Action,
    CheckBargeIn,
    Checkpoint,
    CommitSegment,
    Discarded,
    EndpointRules,
    LikelyFinal,
    PartialDue,
    SegmentReopened,
    SpeculationCancelled,
    TurnEnded,
    TurnTaker,
    UtteranceStarted,
    ms_to_samples,
    samples_to_ms,
)

A = TypeVar("A")
FRAME = 512  # 32 ms
FRAME_MS = 32.0
RULES = EndpointRules()  # 600 ms, 1600 ms after an unfinished clause, x2 coding, 300 s max


def speech(ms: float) -> tuple[str, float]:
    return ("speech", ms)


def silence(ms: float) -> tuple[str, float]:
    return ("silence", ms)


class Driver:
    """Feeds frames like the transcriber does; each commit decodes to the next text (at once, or when
    `deliver()` is called if `instant=False`)."""

    def __init__(
        self,
        rules: EndpointRules = RULES,
        texts: Iterable[str] = (),
        *,
        coding: bool = False,
        instant: bool = True,
    ) -> None:
        self.taker = TurnTaker(rules, coding=coding)
        self.texts: Iterator[str] = iter(texts)
        self.instant = instant
        self.owed = 0
        self.log: list[tuple[float, Action]] = []

    @property
    def now_ms(self) -> float:
        return samples_to_ms(self.taker.t)

    def handle(self, actions: list[Action]) -> None:
        for action in actions:
            self.log.append((self.now_ms, action))
            if isinstance(action, CommitSegment):
                self.owed += 1
            if isinstance(action, SegmentReopened) and self.owed:
                self.owed -= 1  # withdrawn before its text came back: it never will
            if isinstance(action, TurnEnded | Discarded):
                self.owed = 0
        if self.instant:
            self.deliver()

    def deliver(self) -> None:
        while self.owed:
            self.owed -= 1
            self.handle(self.taker.committed(next(self.texts, "")))

    def run(self, *pattern: tuple[str, float], playing: bool = False, tail: bool = False) -> Driver:
        for kind, ms in pattern:
            for _ in range(round(ms / FRAME_MS)):
                probability = 0.9 if kind == "speech" else 0.02
                self.handle(self.taker.frame(probability, FRAME, playing=playing, tail=tail))
        return self

    def of(self, kind: type[A]) -> list[tuple[float, A]]:
        return [(t, a) for t, a in self.log if isinstance(a, kind)]

    def ends(self) -> list[TurnEnded]:
        return [a for _, a in self.of(TurnEnded)]


def end_silence_ms(driver: Driver) -> float:
    """The silence between the last speech frame and the end of the (only) turn."""
    (end,) = driver.ends()
    return samples_to_ms(end.end - end.speech_end)


def test_a_finished_sentence_ends_after_the_silence_setting():
    d = Driver(texts=["I would use a hash map."]).run(speech(1500), silence(2000))
    assert 600 <= end_silence_ms(d) < 600 + FRAME_MS
    (end,) = d.ends()
    assert end.reason == "silence"
    assert end.pending is None  # the pause committed everything: nothing is left to decode at the end
    assert len(d.of(CommitSegment)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "So I would use a hash map and",
        "The reason is because",
        "Um",
        "I think, I mean",
        "We could put it in the",
        "Then we move it to",
        "So the answer is...",
        "It depends on, like",
    ],
)
def test_an_unfinished_clause_or_a_filler_waits_longer(text: str):
    d = Driver(texts=[text]).run(speech(1500), silence(3000))
    assert 1600 <= end_silence_ms(d) < 1600 + FRAME_MS


@pytest.mark.parametrize(
    "text", ["No.", "It went well.", "Yes, I would.", "Thank you.", "That's what I'd do."]
)
def test_finished_answers_do_not_wait_longer(text: str):
    d = Driver(texts=[text]).run(speech(800), silence(3000))
    assert end_silence_ms(d) < 600 + FRAME_MS


def test_the_coding_phase_doubles_both_waits():
    finished = Driver(texts=["Done."], coding=True).run(speech(1000), silence(5000))
    assert 1200 <= end_silence_ms(finished) < 1200 + FRAME_MS
    unfinished = Driver(texts=["so now I loop over the"], coding=True).run(speech(1000), silence(5000))
    assert 3200 <= end_silence_ms(unfinished) < 3200 + FRAME_MS


def test_speech_resuming_inside_the_longer_wait_continues_the_same_turn():
    d = Driver(texts=["I would first sort the array and", "then scan it once."])
    d.run(speech(1200), silence(1200), speech(1000), silence(1500))
    (end,) = d.ends()
    assert d.taker.in_utterance is False
    commits = [a for _, a in d.of(CommitSegment)]
    assert len(commits) == 2
    assert commits[0].span[1] <= commits[1].span[0]  # contiguous, in order
    assert samples_to_ms(end.end - end.start) > 3000


def test_short_pauses_do_not_split_a_segment():
    d = Driver(texts=["one whole sentence"]).run(speech(500), silence(160), speech(500), silence(1000))
    assert len(d.of(CommitSegment)) == 1
    assert len(d.ends()) == 1


def test_a_short_segment_is_decoded_again_with_the_speech_after_its_pause():
    # Whisper on "Sorry," and a pause alone: "Sorry sorry sorry ..." (the first text, never kept).
    d = Driver(texts=["Sorry sorry sorry", "Sorry, can I stop you there?"])
    d.run(speech(400), silence(300), speech(1500), silence(1000))
    first, second = (a for _, a in d.of(CommitSegment))
    ((_, reopened),) = d.of(SegmentReopened)
    assert reopened.span == first.span
    assert second.span[0] == first.span[0]  # the second segment covers the first one's audio
    assert d.taker.text == ""  # the turn ended
    likely = [a.text for _, a in d.of(LikelyFinal)]
    assert likely[-1] == "Sorry, can I stop you there?"
    (end,) = d.ends()
    assert end.pending is None


def test_a_short_segment_still_decoding_when_speech_resumes_is_never_handed_back():
    d = Driver(texts=["Sorry, can I stop you there?"], instant=False)
    d.run(speech(400), silence(300), speech(200))
    assert d.taker.commits_pending == 0 and d.owed == 0  # the withdrawn decode is not waited for
    d.run(speech(1300), silence(300))
    d.deliver()
    d.run(silence(700))
    assert [a.text for _, a in d.of(LikelyFinal)][-1] == "Sorry, can I stop you there?"
    assert len(d.ends()) == 1


def test_short_segments_in_a_row_grow_into_one():
    d = Driver(texts=["So.", "So, um.", "So, um, I would use a queue."])
    d.run(speech(300), silence(300), speech(300), silence(300), speech(1200), silence(1000))
    commits = [a for _, a in d.of(CommitSegment)]
    assert len(commits) == 3 and len(d.of(SegmentReopened)) == 2
    assert {c.span[0] for c in commits} == {commits[0].span[0]}
    assert [a.text for _, a in d.of(LikelyFinal)][-1] == "So, um, I would use a queue."


def test_a_short_answer_is_committed_at_its_pause_and_ends_the_turn():
    d = Driver(texts=["Yes."]).run(speech(400), silence(1000))
    assert len(d.of(CommitSegment)) == 1 and not d.of(SegmentReopened)
    (end,) = d.ends()
    assert end.pending is None  # decoded during the pause, as a longer answer is


def test_a_segment_with_enough_speech_is_kept_when_speech_resumes():
    d = Driver(texts=["I would use a queue.", "And a worker pool."])
    d.run(speech(1100), silence(300), speech(600), silence(1000))
    first, second = (a for _, a in d.of(CommitSegment))
    assert not d.of(SegmentReopened)
    assert second.span[0] >= first.span[1]


def test_partials_come_about_every_second_of_speech():
    d = Driver(texts=["a long answer"]).run(speech(5000), silence(1000))
    times = [t for t, _ in d.of(PartialDue)]
    assert 4 <= len(times) <= 5
    assert all(900 <= b - a <= 1100 for a, b in itertools.pairwise(times))


def test_the_speculation_comes_before_the_end_and_speech_cancels_it():
    d = Driver(texts=["I would use a queue.", "And a worker pool."])
    d.run(speech(1200), silence(400), speech(800), silence(1000))
    kinds = [
        type(a).__name__ for _, a in d.log if isinstance(a, LikelyFinal | SpeculationCancelled | TurnEnded)
    ]
    assert kinds == ["LikelyFinal", "SpeculationCancelled", "LikelyFinal", "TurnEnded"]
    likely = [a for _, a in d.of(LikelyFinal)]
    assert likely[-1].text == "I would use a queue. And a worker pool."


def test_an_unfinished_clause_speculates_shortly_before_its_longer_end():
    d = Driver(texts=["and then"]).run(speech(1000), silence(2000))
    ((likely_at, _),) = d.of(LikelyFinal)
    ((end_at, _),) = d.of(TurnEnded)
    assert end_at - likely_at == pytest.approx(RULES.speculation_lead_ms, abs=FRAME_MS)


def test_a_decision_waits_for_the_text_still_being_decoded():
    d = Driver(texts=["I think the bottleneck is the"], instant=False)
    d.run(speech(1000), silence(600))
    assert d.taker.blocked  # the end would be now, unless the words say otherwise
    assert not d.ends()
    d.deliver()
    assert not d.ends()  # unfinished: it waits longer
    d.run(silence(1100))
    assert len(d.ends()) == 1
    assert 1600 <= end_silence_ms(d) < 1600 + FRAME_MS


def test_a_monologue_is_cut_into_turns_no_longer_than_the_maximum():
    rules = EndpointRules(max_turn_s=10.0)
    d = Driver(rules, texts=[f"part {i}" for i in range(20)]).run(speech(25_000), silence(1000))
    ends = d.ends()
    assert len(ends) == 3
    assert all(samples_to_ms(e.end - e.start) <= 10_000 + FRAME_MS for e in ends)
    assert [e.reason for e in ends] == ["max_length", "max_length", "silence"]
    assert ends[0].pending is not None  # cut mid-speech: the rest of the segment is decoded at the end
    assert ends[1].start == ends[0].end  # nothing lost between two cuts


def test_near_the_maximum_a_pause_ends_the_turn():
    rules = EndpointRules(max_turn_s=10.0)  # grace: the last 2 s
    d = Driver(rules, texts=["x"] * 10).run(speech(8500), silence(300), speech(5000), silence(1000))
    first = d.ends()[0]
    assert first.reason == "max_length"
    assert first.pending is None  # at the pause: no word cut
    assert 8500 <= samples_to_ms(first.end - first.start) < 9200


def test_speech_end_hint_ends_the_turn_at_once_with_the_rest_to_decode():
    d = Driver(texts=["the whole answer"]).run(speech(900))
    d.handle(d.taker.hint_speech_end())
    (end,) = d.ends()
    assert end.reason == "hint"
    assert end.pending is not None and end.pending[1] == d.taker.t


def test_speech_end_hint_without_speech_does_nothing():
    d = Driver().run(silence(500))
    d.handle(d.taker.hint_speech_end())
    assert d.ends() == []


def test_speech_start_hint_cancels_a_pending_end():
    d = Driver(texts=["I would use Redis."]).run(speech(1000), silence(400))
    assert d.of(LikelyFinal)
    d.handle(d.taker.hint_speech_start())
    assert d.of(SpeculationCancelled)
    d.run(silence(1000))
    assert d.ends() == []  # the client's VAD hears speech: the longer wait, counted from the hint
    d.run(silence(700))
    (end,) = d.ends()
    assert samples_to_ms(end.end - end.speech_end) >= 400 + 1600 - FRAME_MS


def test_a_stalled_stream_ends_the_utterance():
    d = Driver(texts=["and then"]).run(speech(700))
    assert d.taker.stall_after_ms() == pytest.approx(600 + RULES.stall_grace_ms)
    d.handle(d.taker.stalled())
    (end,) = d.ends()
    assert end.reason == "stalled"
    assert d.taker.stall_after_ms() is None


def test_the_socket_end_finishes_the_utterance():
    d = Driver(texts=["last words"]).run(speech(700), silence(100))
    d.handle(d.taker.socket_end())
    assert [e.reason for e in d.ends()] == ["socket_end"]


def test_clicks_are_dropped_without_a_decode():
    d = Driver().run(silence(300), speech(64), silence(600))
    assert d.of(CommitSegment) == []
    assert [a.reason for _, a in d.of(Discarded)] == ["noise"]


def test_a_noise_burst_that_decodes_to_nothing_ends_without_words():
    d = Driver(texts=[""]).run(speech(300), silence(1000))
    assert len(d.ends()) == 1
    assert d.of(LikelyFinal) == []  # nothing to speculate on


def test_the_utterance_keeps_a_little_audio_from_before_the_onset():
    d = Driver(texts=["hi"]).run(silence(1000), speech(500), silence(800))
    ((_, started),) = d.of(UtteranceStarted)
    assert isinstance(started, UtteranceStarted)
    assert samples_to_ms(started.onset - started.start) == pytest.approx(RULES.preroll_ms, abs=1)


def test_the_preroll_never_reaches_into_the_previous_turn():
    d = Driver(texts=["one.", "two."]).run(speech(500), silence(700), speech(500), silence(700))
    first, second = d.ends()
    assert second.start >= first.end


def test_only_silence_gives_nothing_but_checkpoints():
    d = Driver().run(silence(65_000))
    assert {type(a) for _, a in d.log} == {Checkpoint}
    assert len(d.log) == 2  # every 30 s of silence


# --- over the interviewer's voice ---------------------------------------------------------------------------


def test_a_short_burst_over_playback_never_barges_in():
    d = Driver().run(speech(300), silence(400), playing=True)
    assert d.of(Discarded) == []  # not yet: speech may follow the pause
    d.run(silence(200), playing=True)
    assert d.of(CheckBargeIn) == []
    assert [a.reason for _, a in d.of(Discarded)] == ["burst_over_playback"]


def test_a_word_and_a_pause_over_playback_join_the_speech_after_it():
    """ "Sorry, could you repeat that?": the "Sorry," is too short to check, and stays in the stretch."""
    d = Driver().run(speech(300), silence(350), speech(200), playing=True)
    ((_, started),) = d.of(UtteranceStarted)
    ((_, check),) = d.of(CheckBargeIn)
    assert isinstance(started, UtteranceStarted) and isinstance(check, CheckBargeIn)
    assert check.span[0] == started.start  # from before the first word
    assert d.of(Discarded) == []


def test_speech_over_playback_is_checked_after_the_minimum():
    d = Driver(texts=["actually, can I ask something?"]).run(speech(600), playing=True)
    ((_, check),) = d.of(CheckBargeIn)
    assert isinstance(check, CheckBargeIn)
    assert 400 <= check.speech_ms < 400 + FRAME_MS
    assert d.of(PartialDue) == []  # nothing is shown before the verdict
    d.handle(d.taker.verdict("candidate"))
    d.run(speech(500), silence(800))
    (end,) = d.ends()
    assert end.start == check.span[0]  # the barge-in is the start of the candidate's turn


def test_echo_is_ignored_until_it_pauses():
    d = Driver().run(speech(600), playing=True)
    d.handle(d.taker.verdict("echo"))
    d.run(speech(1000), playing=True)
    assert d.taker.in_utterance
    d.run(silence(400), playing=True)
    assert [a.reason for _, a in d.of(Discarded)] == ["echo"]
    assert d.ends() == [] and d.of(CommitSegment) == []


def test_long_echo_is_checked_again_and_the_candidate_taking_over_is_heard():
    d = Driver(texts=["wait, I meant the second one"]).run(speech(600), playing=True)
    d.handle(d.taker.verdict("echo"))
    d.run(speech(3100), playing=True)
    checks = [a for _, a in d.of(CheckBargeIn)]
    assert len(checks) == 2
    d.handle(d.taker.verdict("candidate"))
    d.run(speech(300), silence(900))
    (end,) = d.ends()
    assert end.start == checks[1].span[0]  # the echo before the candidate's words is not in the turn


def speak_until_checked(d: Driver, *, limit_ms: float = 10_000) -> CheckBargeIn | None:
    """Speech over playback, frame by frame, until the TurnTaker asks for a check (as the transcriber
    feeds it: a check blocks, its verdict lands on the next frame)."""
    for _ in range(round(limit_ms / FRAME_MS)):
        d.run(speech(FRAME_MS), playing=True)
        if d.taker.checking:
            return d.of(CheckBargeIn)[-1][1]
    return None


def test_speech_over_playback_that_decoded_to_no_words_is_checked_again_with_more_of_it():
    d = Driver(texts=["could you repeat the question?"])
    first = speak_until_checked(d)
    assert first is not None and 400 <= first.speech_ms < 400 + FRAME_MS
    d.handle(d.taker.verdict("unclear"))  # not known to be echo: listen on
    again = speak_until_checked(d)
    assert again is not None
    assert again.span[0] == first.span[0]  # the whole stretch, not only what came after
    assert again.speech_ms == 2 * first.speech_ms
    d.handle(d.taker.verdict("candidate"))
    d.run(speech(300), silence(900))
    (end,) = d.ends()
    assert end.start == first.span[0]


def test_speech_that_stays_wordless_is_rechecked_up_to_the_recheck_length_then_ignored_as_echo():
    d = Driver()
    checked_ms = []
    while len(checked_ms) < 6 and (check := speak_until_checked(d, limit_ms=4000)) is not None:
        checked_ms.append(check.speech_ms)
        d.handle(d.taker.verdict("unclear"))
    # the whole stretch at twice the speech each time; past 3 s it is echo: only its new 3 s are checked
    assert checked_ms == pytest.approx([416, 832, 1664, 3328, 3008, 3008])
    d.run(silence(400), playing=True)
    assert [a.reason for _, a in d.of(Discarded)] == ["echo"] and d.ends() == []


def test_a_wordless_check_at_a_pause_drops_the_burst():
    d = Driver().run(speech(500), playing=True)
    d.run(silence(300), playing=True)
    d.handle(d.taker.verdict("unclear"))
    assert [a.reason for _, a in d.of(Discarded)] == ["echo"] and d.ends() == []


def test_a_pause_during_the_check_waits_for_the_verdict():
    d = Driver().run(speech(500), playing=True)
    d.run(silence(300), playing=True)
    assert d.taker.blocked
    d.handle(d.taker.verdict("echo"))
    assert [a.reason for _, a in d.of(Discarded)] == ["echo"]


# --- in the echo tail (the reply has ended; its echo may linger a moment) -------------------------------------


def test_an_answer_starting_in_the_echo_tail_is_the_candidates_turn_without_a_check():
    d = Driver(texts=["I would start with the requirements."])
    d.run(speech(600), playing=True, tail=True)  # longer than any echo: the answer
    d.run(speech(900), silence(800))
    assert d.of(CheckBargeIn) == []
    (started,) = [a for _, a in d.of(UtteranceStarted)]
    assert started.provisional and started.after_playback
    (end,) = d.ends()
    assert end.start == started.start  # the answer's first words are kept


def test_a_short_reply_in_the_echo_tail_is_checked_at_its_pause():
    d = Driver().run(speech(250), silence(400), playing=True, tail=True)
    ((_, check),) = d.of(CheckBargeIn)  # "Yes." or the echo of the reply's last word? the text decides
    assert 240 <= check.speech_ms < 250 + FRAME_MS
    d.handle(d.taker.verdict("candidate"))
    d.run(silence(1000))
    assert len(d.ends()) == 1


def test_a_click_in_the_echo_tail_is_dropped():
    d = Driver().run(speech(64), silence(400), playing=True, tail=True)
    assert d.of(CheckBargeIn) == [] and d.ends() == []


def test_replaying_from_a_reset_point_gives_the_same_decisions():
    """What a resumed replica relies on: from the floor of a reset, the same frames give the same turns."""
    frames = [0.9] * 31 + [0.02] * 25 + [0.9] * 47 + [0.02] * 6 + [0.9] * 12 + [0.02] * 60
    whole = Driver(texts=["one.", "two and three."])
    for p in frames:
        whole.handle(whole.taker.frame(p, FRAME))
    first, second = whole.ends()
    resumed = Driver(texts=["two and three."])
    resumed.taker = TurnTaker(RULES, start=first.end)
    for p in frames[first.end // FRAME :]:
        resumed.handle(resumed.taker.frame(p, FRAME))
    (again,) = resumed.ends()
    assert again == second
    assert [a for _, a in resumed.of(CommitSegment)] == [a for _, a in whole.of(CommitSegment)][1:]


def test_rules_from_settings_units():
    assert ms_to_samples(RULES.silence_ms) == 9600
    assert RULES.deadline_ms(unfinished=True, coding=True) == 3200


def test_a_quick_draft_that_sounds_finished_announces_the_likely_end_at_once():
    d = Driver(texts=["I would use a queue."], instant=False).run(speech(1000), silence(256))
    ((_, commit),) = d.of(CommitSegment)
    assert isinstance(commit, CommitSegment) and commit.pause
    assert samples_to_ms(commit.span[1] - commit.speech_end) == pytest.approx(256, abs=FRAME_MS)
    d.handle(d.taker.draft("I would use a queue."))
    ((at, likely),) = d.of(LikelyFinal)
    assert at == pytest.approx(1256, abs=FRAME_MS)  # at the pause, long before the 600-ms end
    assert isinstance(likely, LikelyFinal) and likely.text == "I would use a queue."
    d.deliver()
    d.run(silence(400))
    assert len(d.of(LikelyFinal)) == 1 and len(d.ends()) == 1


def test_a_draft_that_sounds_unfinished_or_comes_late_announces_nothing():
    d = Driver(texts=["so I would use the"], instant=False).run(speech(1000), silence(256))
    d.handle(d.taker.draft("so I would use the"))
    assert d.of(LikelyFinal) == []
    late = Driver(texts=["done."], instant=False).run(speech(1000), silence(256), speech(300))
    late.handle(late.taker.draft("done."))  # the candidate already spoke again
    assert late.of(LikelyFinal) == []

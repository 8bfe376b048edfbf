"""Whisper's inventions, recognised from its own scores: pure functions over decoded segments."""

from __future__ import annotations

from services.stt.domain.hallucinations import (
    DecodedSegment,
    TimedWord,
    is_invented,
    plausible_segments,
    segments_text,
)
from services.stt.transcriber import Transcription


def words(text: str, probability: float = 0.9, start: float = 0.0) -> tuple[TimedWord, ...]:
    return tuple(
        TimedWord(word, start + 0.3 * i, start + 0.3 * i + 0.25, probability)
        for i, word in enumerate(text.split())
    )


def segment(text: str, probability: float = 0.9, **scores: float) -> DecodedSegment:
    return DecodedSegment(text=text, words=words(text, probability), **scores)


SPEECH = segment("We moved the session store to DynamoDB.", avg_logprob=-0.2, no_speech_prob=0.02)


def test_real_speech_is_kept_whole():
    assert not is_invented(SPEECH)
    assert plausible_segments([SPEECH]) == [SPEECH]


def test_text_written_over_silence_is_dropped():
    over_noise = segment("BFS DFS", probability=0.1, avg_logprob=-1.4, no_speech_prob=0.6)
    assert is_invented(over_noise)
    assert plausible_segments([SPEECH, over_noise]) == [SPEECH]


def test_a_confident_segment_is_kept_even_when_the_model_doubts_there_was_speech():
    quiet = segment("I would shard by customer.", probability=0.85, avg_logprob=-0.3, no_speech_prob=0.5)
    assert not is_invented(quiet)


def test_stock_phrases_need_clear_evidence_of_speech():
    doubtful = segment("Thank you.", probability=0.7, avg_logprob=-0.5, no_speech_prob=0.25)
    said = segment("Thank you.", probability=0.95, avg_logprob=-0.1, no_speech_prob=0.03)
    assert is_invented(doubtful)
    assert not is_invented(said)
    assert segments_text(plausible_segments([said])) == "Thank you."


def test_a_repetition_loop_keeps_one_copy():
    loop = segment("I'm here. I'm here. I'm here. I'm here.", compression_ratio=3.1)
    (kept,) = plausible_segments([loop])
    assert kept.text == "I'm here."


def test_repetition_in_a_segment_that_does_not_compress_well_is_speech():
    said = segment("very very very good", compression_ratio=1.2)
    assert plausible_segments([said]) == [said]


def test_a_long_loop_at_the_end_of_a_segment_is_collapsed_whatever_its_compression():
    looped = segment("a copy of production data first. 1 1 1 1 1 1 1 1", compression_ratio=1.9)
    (kept,) = plausible_segments([looped])
    assert kept.text == "a copy of production data first. 1"


def test_a_long_read_back_of_the_prompt_is_dropped_even_when_confident():
    prompt = "The biggest mistake I made was"
    echoed = segment("the biggest mistake I made was um shipping a migration on a Friday.", probability=0.9)
    (kept,) = plausible_segments([echoed], prompt=prompt)
    assert kept.text == "um shipping a migration on a Friday."


def test_the_prompt_read_back_unsure_at_the_start_is_trimmed():
    prompt = "I would put a cache in front of the database."
    leaked = DecodedSegment(
        text="the database. Then reads scale out.",
        words=words("the database.", probability=0.2) + words("Then reads scale out.", start=1.0),
    )
    (kept,) = plausible_segments([leaked], prompt=prompt)
    assert kept.text == "Then reads scale out."


def test_words_that_repeat_the_prompt_confidently_were_said():
    prompt = "I would put a cache in front of the database."
    said = segment("the database. Then reads scale out.", probability=0.9)
    assert plausible_segments([said], prompt=prompt) == [said]


def test_hotwords_read_out_unsure_at_the_end_are_trimmed():
    hotwords = ["Kubernetes", "DynamoDB", "CloudFront"]
    leaked = DecodedSegment(
        text="We used a queue. DynamoDB CloudFront",
        words=words("We used a queue.") + words("DynamoDB CloudFront", probability=0.15, start=1.5),
    )
    (kept,) = plausible_segments([leaked], hotwords=hotwords)
    assert kept.text == "We used a queue."


def test_a_single_hotword_said_at_the_end_is_kept():
    said = segment("We moved to DynamoDB", probability=0.4)
    assert plausible_segments([said], hotwords=["Kubernetes", "DynamoDB"]) == [said]


def test_a_transcription_without_segment_scores_is_taken_at_its_word():
    """A model adapter that gives no segments (the tests' fakes) only has its text cleaned."""
    result = Transcription("[coughs] I would use a heap", ()).plausible(hotwords=["Heap"])
    assert result.text == "I would use a heap"

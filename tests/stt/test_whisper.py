"""The Whisper adapter with the real packaged model: the decode settings that matter for what it writes."""

from __future__ import annotations

import numpy as np
import pytest

from services.stt.whisper import WhisperOptions, WhisperSpeechModel
from shared.config import Settings
from tests.stt.speech import silence, speak


@pytest.fixture(scope="module")
def model() -> WhisperSpeechModel:
    whisper = WhisperSpeechModel(WhisperOptions(cache_dir=Settings().model_cache_dir))
    whisper.load()
    return whisper


def test_a_short_last_segment_after_a_prompt_does_not_loop(model: WhisperSpeechModel) -> None:
    """The last words of an answer, decoded after the prompt of what came before (as the service decodes a
    segment committed at a pause): with 3 s of encoder padding this gave "the question. The question. ..."
    eight times over (here "Question. Question. Question. again."); with 10 s, nothing or "the question."."""
    said = speak("I think I misunderstood the question.")
    tail = np.concatenate([said[-int(0.6 * 16_000) :], silence(0.3)])
    prompt = "Can I stop you there for a moment? I think I misunderstood the question."
    result = model.transcribe(tail, hotwords=None, prompt=prompt)
    words = result.text.lower().split()
    assert len(words) <= 2 and words.count("question.") <= 1, result.text


def test_a_whole_answer_is_heard(model: WhisperSpeechModel) -> None:
    answer = "We moved the session store from PostgreSQL to DynamoDB."
    result = model.transcribe(np.concatenate([speak(answer), silence(0.3)]), hotwords="DynamoDB", prompt=None)
    assert "DynamoDB" in result.text and result.words and result.segments

"""The real Silero VAD run window by window: speech after a long silence is heard at once, and a saved
state resumes the same probabilities (what a replica taking over a socket relies on)."""

from __future__ import annotations

import numpy as np

from services.stt.vad import WINDOW, SileroVad
from tests.stt.speech import silence, speak


def probabilities(stream: object, audio: np.ndarray) -> list[float]:
    usable = len(audio) // WINDOW * WINDOW
    return [stream.probability(w) for w in audio[:usable].reshape(-1, WINDOW)]  # type: ignore[attr-defined]


def test_speech_after_a_long_silence_is_heard_from_its_first_second():
    vad = SileroVad()
    answer = speak("We moved the session store from PostgreSQL to DynamoDB.")
    fresh = probabilities(vad.stream(), answer)[:31]
    stream = vad.stream()
    probabilities(stream, silence(45.0))
    after_silence = probabilities(stream, answer)[:31]
    # Carried through 45 s of silence the state used to drift (first second averaged 0.52 against 0.84).
    assert np.mean(after_silence) > 0.7
    assert abs(np.mean(after_silence) - np.mean(fresh)) < 0.1


def test_a_saved_state_resumes_the_same_probabilities():
    vad = SileroVad()
    audio = np.concatenate([speak("I would use a hash map."), silence(0.7), speak("Then sort it.")])
    half = len(audio) // WINDOW // 2 * WINDOW
    whole = probabilities(vad.stream(), audio)
    first = vad.stream()
    probabilities(first, audio[:half])
    resumed = probabilities(vad.stream(first.state()), audio[half:])
    assert resumed == whole[half // WINDOW :]

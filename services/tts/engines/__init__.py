"""The speech engines behind the SpeechEngine port (`services/tts/speaker.py`), chosen by name.

Each adapter imports its library only when it is built, so an engine that is not installed costs nothing
and a missing one fails with a message naming what to install (`EngineUnavailable`).
"""

from __future__ import annotations

from services.tts.engines.base import EngineUnavailable, SynthesisError
from services.tts.speaker import SpeechEngine

ENGINE_NAMES = ("piper", "espeak", "coqui")

__all__ = ["ENGINE_NAMES", "EngineUnavailable", "SynthesisError", "create_engine"]


def create_engine(name: str, *, voice: str | None = None, threads: int = 1) -> SpeechEngine:
    """Load the engine `name` with `voice` (a Piper .onnx path, an espeak-ng voice, a Coqui model name or
    path; None: the engine's default). EngineUnavailable says what is missing."""
    if name == "piper":
        from services.tts.engines.piper import PiperEngine

        return PiperEngine(voice, threads=threads)
    if name == "espeak":
        from services.tts.engines.espeak import EspeakEngine

        return EspeakEngine(voice)
    if name == "coqui":
        from services.tts.engines.coqui import CoquiEngine

        return CoquiEngine(voice, threads=threads)
    raise EngineUnavailable(
        f"unknown TTS engine {name!r}: PREPAI_TTS_ENGINE is one of {', '.join(ENGINE_NAMES)}"
    )

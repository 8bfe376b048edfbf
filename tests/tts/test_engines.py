"""Engine selection and its errors, the Coqui adapter against a stand-in `TTS` package, and the real
Piper and espeak-ng engines."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
import time
import types
import wave
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from pydantic import ValidationError

from services.tts.bootstrap import create_app, load_engines
from services.tts.domain import frame_wav, pcm_duration_s, trim_silence
from services.tts.engines import EngineUnavailable, create_engine
from services.tts.engines.espeak import EspeakEngine
from shared.config import REPO_ROOT, Settings
from shared.storage.local import LocalObjectStore

HAS_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
SENTENCE = "Let's talk about how you would design a rate limiter for a public API."


def rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


# --- selection and its errors ------------------------------------------------------------------------


def test_an_unknown_engine_is_named_with_the_choices() -> None:
    with pytest.raises(
        EngineUnavailable, match=r"unknown TTS engine 'festival'.*PREPAI_TTS_ENGINE.*piper, espeak, coqui"
    ):
        create_engine("festival")
    with pytest.raises(ValidationError, match="tts_engine"):  # and the setting itself refuses it
        Settings(tts_engine="festival")  # type: ignore[arg-type]


def test_coqui_without_its_package_says_what_to_install_and_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "TTS", None)  # as on this machine: not importable
    with pytest.raises(EngineUnavailable) as caught:
        create_engine("coqui", voice="tts_models/en/ljspeech/vits")
    message = str(caught.value)
    assert "PREPAI_TTS_ENGINE=coqui" in message and "pip install coqui-tts" in message
    assert "PREPAI_TTS_VOICE" in message


def test_piper_without_its_package_or_voice_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match=r"voice file .*nope\.onnx not found.*PREPAI_TTS_VOICE"):
        create_engine("piper", voice=str(tmp_path / "nope.onnx"))
    monkeypatch.setitem(sys.modules, "piper", None)
    with pytest.raises(EngineUnavailable, match=r"piper-tts is not installed: pip install piper-tts"):
        create_engine("piper")


def test_espeak_without_its_binary_or_voice_says_so() -> None:
    with pytest.raises(EngineUnavailable, match="apt-get install espeak-ng"):
        EspeakEngine(binary="/no/such/espeak-ng")
    if HAS_ESPEAK:
        with pytest.raises(EngineUnavailable, match="voice 'xx-nope'"):
            create_engine("espeak", voice="xx-nope")


@needs_espeak
def test_piper_that_cannot_load_falls_back_to_espeak_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        engines = load_engines(Settings(tts_voice=str(tmp_path / "missing.onnx")))
    assert engines.primary.name == "espeak" and engines.fallback is None
    assert "Piper cannot be loaded" in caplog.text and "speaking with espeak-ng instead" in caplog.text


@needs_espeak
def test_engine_choices() -> None:
    espeak = load_engines(Settings(tts_engine="espeak", tts_voice="en-gb"))
    assert (espeak.primary.name, espeak.primary.voice, espeak.fallback) == ("espeak", "en-gb", None)
    piper = load_engines(Settings())
    assert piper.primary.name == "piper" and piper.primary.voice == "en_US-joe-medium"
    assert piper.fallback is not None and piper.fallback.name == "espeak"


def test_coqui_never_falls_back_silently(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "TTS", None)
    with pytest.raises(EngineUnavailable, match="coqui"):
        load_engines(Settings(tts_engine="coqui", tts_voice="tts_models/en/ljspeech/vits"))


async def test_the_app_refuses_to_start_without_its_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "TTS", None)
    app = create_app(
        Settings(tts_engine="coqui", nats_url="nats://127.0.0.1:1"), store=LocalObjectStore(tmp_path)
    )
    with pytest.raises(EngineUnavailable, match="pip install coqui-tts"):
        async with app:  # the start-up hook loads the engine before connecting anywhere
            pass


def test_the_process_exits_with_the_message(tmp_path: Path) -> None:
    env = os.environ | {
        "PREPAI_TTS_ENGINE": "coqui",
        "PREPAI_DATA_DIR": str(tmp_path),
        "PREPAI_NATS_URL": "nats://127.0.0.1:1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "services.tts"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "cannot start" in done.stderr and "pip install coqui-tts" in done.stderr
    assert "Traceback" not in done.stderr


# --- the Coqui adapter, against a stand-in for the `TTS` package -------------------------------------


class StandInTTS:
    """What the adapter uses of `TTS.api.TTS` (coqui-tts 0.2x)."""

    made: ClassVar[list[dict[str, object]]] = []

    def __init__(
        self,
        model_name: str | None = None,
        model_path: str | None = None,
        config_path: str | None = None,
        progress_bar: bool = True,
    ) -> None:
        self.made.append({"model_name": model_name, "model_path": model_path, "config_path": config_path})
        self.is_multi_speaker = model_name == "tts_models/en/vctk/vits"
        self.speakers = ["p225", "p226"] if self.is_multi_speaker else None
        self.is_multi_lingual = False
        self.languages = None
        self.synthesizer = types.SimpleNamespace(output_sample_rate=22_050)
        self.calls: list[dict[str, object]] = []

    def to(self, device: str) -> StandInTTS:
        return self

    def tts(self, text: str, **options: object) -> list[float]:
        self.calls.append({"text": text} | options)
        return [0.5, -0.5, 2.0, -2.0] * 10


@pytest.fixture
def coqui_package(monkeypatch: pytest.MonkeyPatch) -> type[StandInTTS]:
    package, api = types.ModuleType("TTS"), types.ModuleType("TTS.api")
    api.TTS = StandInTTS  # type: ignore[attr-defined]
    package.api = api  # type: ignore[attr-defined]
    torch = types.ModuleType("torch")
    torch.set_num_threads = lambda n: None  # type: ignore[attr-defined]
    for name, module in (("TTS", package), ("TTS.api", api), ("torch", torch)):
        monkeypatch.setitem(sys.modules, name, module)
    StandInTTS.made = []
    return StandInTTS


def test_coqui_by_model_name(coqui_package: type[StandInTTS]) -> None:
    engine = create_engine("coqui", voice="tts_models/en/vctk/vits", threads=2)
    assert (engine.name, engine.voice, engine.sample_rate, engine.thread_safe) == (
        "coqui",
        "tts_models/en/vctk/vits",
        22_050,
        False,
    )
    assert coqui_package.made == [
        {"model_name": "tts_models/en/vctk/vits", "model_path": None, "config_path": None}
    ]
    pcm = engine.synthesize("Hello there.")
    assert np.frombuffer(pcm, dtype="<i2").tolist()[:4] == [16383, -16383, 32767, -32767]  # clipped to PCM16
    assert engine._tts.calls == [{"text": "Hello there.", "speaker": "p225"}]  # type: ignore[attr-defined]


def test_coqui_by_local_folder(coqui_package: type[StandInTTS], tmp_path: Path) -> None:
    (tmp_path / "model.pth").write_bytes(b"weights")
    (tmp_path / "config.json").write_text("{}")
    create_engine("coqui", voice=str(tmp_path))
    assert coqui_package.made[-1] == {
        "model_name": None,
        "model_path": str(tmp_path / "model.pth"),
        "config_path": str(tmp_path / "config.json"),
    }
    (tmp_path / "config.json").unlink()
    with pytest.raises(EngineUnavailable, match=r"no Coqui model \(a \.pth and config\.json\)"):
        create_engine("coqui", voice=str(tmp_path))


def test_coqui_needs_a_model(coqui_package: type[StandInTTS]) -> None:
    with pytest.raises(EngineUnavailable, match=r"PREPAI_TTS_ENGINE=coqui needs a model.*PREPAI_TTS_VOICE"):
        create_engine("coqui", voice=None)


# --- the real engines ----------------------------------------------------------------------------------


def check_speech(pcm: bytes, rate: int) -> float:
    """The audio is speech-like: plausible length for the sentence, and loud enough."""
    pcm = trim_silence(pcm, rate)
    duration = pcm_duration_s(pcm, rate)
    assert 2.0 < duration < 7.0, duration
    assert rms(pcm) > 800, rms(pcm)
    with wave.open(io.BytesIO(frame_wav(pcm, rate))) as w:
        assert (w.getnchannels(), w.getframerate()) == (1, rate)
    return duration


def test_piper_speaks_quickly() -> None:
    pytest.importorskip("piper")
    started = time.perf_counter()
    engine = create_engine("piper", threads=1)
    assert time.perf_counter() - started < 10
    assert (engine.voice, engine.sample_rate) == ("en_US-joe-medium", 22_050)
    engine.synthesize("Hello.")  # the first call pays onnxruntime's set-up
    started = time.perf_counter()
    pcm = engine.synthesize(SENTENCE)
    elapsed = time.perf_counter() - started
    duration = check_speech(pcm, engine.sample_rate)
    assert elapsed < 0.5 * duration  # measured: RTF about 0.08 on one thread


@needs_espeak
def test_espeak_speaks_quickly() -> None:
    engine = create_engine("espeak")
    assert (engine.voice, engine.sample_rate) == ("en-us", 22_050)
    started = time.perf_counter()
    pcm = engine.synthesize(SENTENCE)
    elapsed = time.perf_counter() - started
    check_speech(pcm, engine.sample_rate)
    assert elapsed < 1.0  # measured: about 15 ms
    assert engine.synthesize("-v xx --help") != b""  # text on stdin: never read as options

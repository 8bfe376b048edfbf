"""The recogniser alone: word error rate and decode time of Whisper on the voice corpus, per setting.

Each clip (bench/voice_corpus.py: Piper and espeak-ng voices, clean, noisy, fast, slow, with pauses) is
decoded whole, as the STT service decodes one segment (its model adapter, hotwords from the interview
vocabulary, the same filtering of Whisper's inventions), once per setting, so that settings are compared
on the same audio without the platform around them. Prints, per setting: WER overall, clean and per
engine, and the median decode time per second of audio (the real-time factor).

    .venv/bin/python bench/stt_decode.py --clips 22 --beams 1 2 3 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# bench/ is a folder of scripts, not a package: its modules import each other by their own names.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import voice_corpus
import wer

from services.stt.domain.prompting import TurnContext, hotword_terms
from services.stt.whisper import WhisperOptions, WhisperSpeechModel
from shared.interview_types import INTERVIEW_TYPES

CONTEXT = TurnContext(
    question="Tell me about a system you designed and the trade-offs you made.",
    vocabulary=tuple(dict.fromkeys(term for itype in INTERVIEW_TYPES for term in itype.vocabulary)),
)


def run(model: WhisperSpeechModel, clips: list[voice_corpus.Clip], hotwords: bool) -> dict[str, float]:
    terms = hotword_terms(CONTEXT) if hotwords else []
    errors: dict[str, list[wer.WordErrors]] = {}
    rtf: list[float] = []
    for clip in clips:
        audio = voice_corpus.from_pcm16(clip.pcm).astype(np.float32)
        started = time.perf_counter()
        result = model.transcribe(audio, hotwords=" ".join(terms) or None, prompt=None)
        rtf.append((time.perf_counter() - started) / clip.duration_s)
        text = result.plausible(hotwords=terms).text
        counted = wer.word_errors(clip.text, text)
        engine = "espeak" if clip.spec.voice.startswith("espeak") else "piper"
        for group in ("all", clip.variant, engine, f"{engine}-{clip.variant}"):
            errors.setdefault(group, []).append(counted)
    return {
        "rtf": statistics.median(rtf),
        **{group: wer.total(items).rate for group, items in errors.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=22)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 2, 3, 5])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-hotwords", action="store_true")
    parser.add_argument("--padding-s", type=float, nargs="+", default=[10.0], help="final decodes' padding")
    parser.add_argument("--cache", type=Path, default=Path("data/models"))
    args = parser.parse_args()
    clips = voice_corpus.load_many(voice_corpus.bench_specs(args.clips))
    print(f"{len(clips)} clips, {sum(c.duration_s for c in clips):.0f} s of speech; threads {args.threads}")
    groups = [
        "all",
        "clean",
        "noisy",
        "fast",
        "slow",
        "pauses",
        "piper",
        "espeak",
        "piper-clean",
        "espeak-clean",
    ]
    print(f"{'beam':>5} {'pad s':>6} {'rtf':>6} " + " ".join(f"{g:>12}" for g in groups))
    for beam in args.beams:
        for padding_s in args.padding_s:
            options = WhisperOptions(
                cache_dir=args.cache,
                threads=args.threads,
                beam_size=beam,
                final_padding_frames=round(padding_s * 100),
            )
            model = WhisperSpeechModel(options)
            model.load()
            figures = run(model, clips, hotwords=not args.no_hotwords)
            cells = " ".join(
                f"{100 * float(figures[g]):11.1f}%" if g in figures else f"{'-':>12}" for g in groups
            )
            print(f"{beam:>5} {padding_s:6.1f} {float(figures['rtf']):6.3f} {cells}", flush=True)


if __name__ == "__main__":
    main()

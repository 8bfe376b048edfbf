"""The STT's own segmenting on real speech: each corpus clip through one socket's transcriber (Whisper base,
Silero VAD, the real turn-taking; NATS, the session and storage faked), at several alignments of the audio
to the VAD's 32-ms windows, once per value of `min_segment_speech_ms` (0: every pause commits a segment
for good, as before; 1000: a segment with less speech is decoded again with what follows).

Why alignments: the VAD sees the same clip differently when it starts a few samples later, and so cuts it
at different pauses (the barge-in clip's "Sorry," is 12 or 13 speech windows). Prints per setting: WER,
turns with a word said twice that the speaker said once ("Sorry. Sorry."), segments reopened, and the
median decode time per second of speech; and each clip's last transcript per setting as it goes.

    .venv/bin/python bench/stt_segments.py --clips 11 --alignments 4 --min-segment-ms 0 1000
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

# bench/ is a folder of scripts, not a package: its modules import each other by their own names.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import voice_corpus as corpus
import wer

from services.stt.domain.prompting import TurnContext
from services.stt.domain.turn_taking import EndpointRules
from services.stt.playback import PlaybackBoard
from services.stt.transcriber import DecodeQueue, Pipeline
from services.stt.vad import SileroVad
from services.stt.whisper import WhisperOptions, WhisperSpeechModel
from shared.config import REPO_ROOT
from shared.interview_types import find_interview_type
from shared.storage.local import LocalObjectStore
from tests.stt.fakes import FakeContext, FakeOutbox, chunks, play, transcriber

LEAD_S = 1.0  # silence before each clip (an open microphone)
TAIL_S = 2.5  # ... and after it: the turn ends in it
QUESTION = "Tell me about a system you designed and the trade-offs you made."


def doubled(reference: str, heard: str) -> int:
    """Words the transcript says twice in a row where the reference does not."""
    said, got = wer.normalize(reference), wer.normalize(heard)
    repeats = Counter(a for a, b in itertools.pairwise(got) if a == b)
    expected = Counter(a for a, b in itertools.pairwise(said) if a == b)
    return sum((repeats - expected).values())


async def one(
    clip: corpus.Clip,
    shift: int,
    rules: EndpointRules,
    decoder: DecodeQueue,
    vad: SileroVad,
    context: TurnContext,
) -> tuple[str, int, float]:
    """The clip's turn text, the segments reopened and the decode seconds it took."""
    pcm = np.frombuffer(clip.pcm, dtype="<i2")
    silence_before = np.zeros(round(LEAD_S * corpus.RATE) + shift, dtype="<i2")
    audio = np.concatenate([silence_before, pcm, np.zeros(round(TAIL_S * corpus.RATE), dtype="<i2")])
    with tempfile.TemporaryDirectory() as tmp:
        pipe = Pipeline(
            decoder=decoder,
            vad=vad,
            outbox=FakeOutbox(),
            context=FakeContext(context),
            playback=PlaybackBoard(),
            store=LocalObjectStore(Path(tmp)),
            rules=rules,
        )
        stt = transcriber(pipe)
        seconds, withdrawn = decoder.stats.seconds, decoder.stats.withdrawn
        await play(stt, chunks(audio.tobytes(), ms=100), pace_s=0.005)
        await stt.finish()
        assert isinstance(pipe.outbox, FakeOutbox)
        text = " ".join(turn.text for turn in pipe.outbox.turns)
    return text, decoder.stats.withdrawn - withdrawn, decoder.stats.seconds - seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=11, help="bench clips, and the barge-in clip")
    parser.add_argument("--offset", type=int, default=0, help="start position in the corpus sequence")
    parser.add_argument(
        "--alignments", type=int, default=4, help="sample shifts per clip, spread over one window"
    )
    parser.add_argument("--min-segment-ms", type=float, nargs="+", default=[0.0, 1000.0])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    clips = corpus.load_many([*corpus.bench_specs(args.clips, args.offset), corpus.BARGE_IN_SPEC])
    model = WhisperSpeechModel(WhisperOptions(cache_dir=REPO_ROOT / "data" / "models", threads=args.threads))
    model.load()
    vad = SileroVad()
    vad.load()
    decoder = DecodeQueue(model)
    itype = find_interview_type("google_sde")
    context = TurnContext(question=QUESTION, vocabulary=tuple(itype.vocabulary) if itype else ())
    shifts = [round(i * 512 / args.alignments) for i in range(args.alignments)]

    results: dict[float, list[tuple[corpus.Clip, str, int, float]]] = {m: [] for m in args.min_segment_ms}
    for clip in clips:
        for shift in shifts:
            for min_ms in args.min_segment_ms:  # interleaved: the same load for every setting
                rules = replace(EndpointRules(), min_segment_speech_ms=min_ms)
                text, reopened, seconds = await one(clip, shift, rules, decoder, vad, context)
                results[min_ms].append((clip, text, reopened, seconds))
        heard = " | ".join(f"{m:.0f}: {r[-1][1]!r}" for m, r in results.items())
        print(f"{clip.spec.key}: {heard}", flush=True)

    print(f"\n{len(clips)} clips x {len(shifts)} alignments")
    for min_ms, rows in results.items():
        errors = wer.total([wer.word_errors(c.spec.spoken_text, text) for c, text, _, _ in rows])
        doubles = sum(doubled(c.spec.spoken_text, text) > 0 for c, text, _, _ in rows)
        reopened = sum(r for _, _, r, _ in rows)
        speech_s = [max(c.speech_end_s - c.speech_start_s, 0.1) for c, _, _, _ in rows]
        cost = statistics.median(s / d for (_, _, _, s), d in zip(rows, speech_s, strict=True))
        by_variant: dict[str, float] = {}
        for variant in sorted({c.variant for c, _, _, _ in rows}):
            items = [wer.word_errors(c.spec.spoken_text, t) for c, t, _, _ in rows if c.variant == variant]
            by_variant[variant] = wer.total(items).rate
        print(
            f"min_segment_speech_ms={min_ms:.0f}: WER {errors.rate:.1%} ({errors.errors}/{errors.reference_words} words); "
            f"turns with a doubled word {doubles}/{len(rows)}; segments reopened {reopened}; decode s per s "
            f"of speech (median) {cost:.3f}; WER by variant "
            + ", ".join(f"{k} {v:.1%}" for k, v in by_variant.items())
        )


if __name__ == "__main__":
    asyncio.run(main())

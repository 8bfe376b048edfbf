"""Spoken turns through the real platform: end of speech -> first audio, where the time goes, STT speed, WER.

    python bench/voice_turn.py [--provider llamacpp|scripted] [--sessions 1 5] [--turns 4]

Starts the whole platform (nats-server, agent, tools, STT, TTS, gateway as processes, on free ports) once
per entry of `--sessions`, opens that many interview sockets at once (with the interviewer's voice on),
and in each one: waits for the greeting to be played out, then `--turns` times streams a recorded answer
(bench/voice_corpus.py: Piper and espeak-ng voices, fast/slow, noisy, with mid-answer pauses) at
real-time pace in 20 ms frames from an open microphone (which keeps streaming silence), waits for the
spoken reply and for it to be played out, and goes on after `--think-s` (the candidate's reaction time).

It prints, per configuration:
- end of speech -> first audio, on the client's clock (the last frame holding speech was sent -> the first
  WAV of the reply arrived): median, p95, min, max;
- the stages of the server's `turn_metrics` that follow each other (speech end -> transcript -> first token
  -> first audio: median, and each one's share of their sum over all turns), then the last one split at the
  first sentence handed to the TTS (with a reply written ahead, that sentence may predate the first token);
- the STT's real-time factor from the service's own counters (its shutdown line: time spent decoding /
  audio decoded, over every decode, partials and barge-in checks included), and its end-of-turn wait;
- the word error rate (bench/wer.py) overall and per variant, against the text each clip spoke;
- how many turns produced a spoken reply, were cut in two, or were taken for a barge-in, and after how many
  replies the server never said `listening` (the client goes on 5 s after the reply's audio ran out).

`--json FILE` keeps every turn (texts, latencies, metrics); `--log PREFIX` the platform's log.

`--provider scripted` answers with the interview plan's line at once (no language model): it isolates the
speech pipeline's own latency. The default is the local LLM (`llamacpp`, the packaged Qwen2.5 0.5B).
Run it on a quiet machine: the STT, the TTS, the LLM and this client share the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

# bench/ is a folder of scripts, not a package: its modules import each other by their own names.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import voice_corpus as corpus
from wer import WordErrors, total, word_errors

from deploy.local_platform import REPO_ROOT, LocalPlatform, default_services, free_port
from tests.interview_client import InterviewClient, SpokenReply

# speech end -> transcript -> first token -> first audio: consecutive, so they add up to the total.
STAGES = ("speech_end_to_transcript", "transcript_to_first_token", "first_token_to_first_audio")
# The last stage split at the first sentence handed to the TTS. With a reply written ahead (speculation),
# `first_sentence_at` comes from the speculative run and may precede `first_token_at` (the replay).
SUB_STAGES = ("first_token_to_first_sentence", "first_sentence_to_first_audio")
OTHER_METRICS = ("speech_end_to_first_audio", "llm_first_token_ms", "llm_total_ms")
GOAL_MEDIAN_MS, LIMIT_MEDIAN_MS, LIMIT_CLEAN_WER = 1000.0, 1500.0, 0.12
TAIL_S = 1.5  # the room noise (or silence) streamed right after an answer, as part of it
LISTENING_GRACE_S = 5.0  # a reply played out this long ago without `listening`: go on (and count it)
STT_STOPPED = re.compile(r"stt stopped: (\d+) decodes, ([\d.]+) s decoding ([\d.]+) s of audio")
STT_TURN = re.compile(r"turn (\S+) \(([^)]*)\): (\d+) words, ([\d.]+) s")  # its log line, in any version
STT_AFTER_END = re.compile(r"out ([\d.]+) s after the speech ended|decode at the end ([\d.]+) s")


@dataclass
class TurnRecord:
    session: int
    turn: int
    clip: str
    variant: str
    engine: str
    reference: str
    hypothesis: str = ""
    turn_id: str = ""
    finals: int = 0  # final transcripts while the answer was spoken and just after (>1: cut in two)
    latency_ms: float | None = None  # client: end of speech -> first WAV
    metrics: dict[str, float] = field(default_factory=dict)
    wavs: int = 0
    audio_s: float = 0.0
    barge_ins: int = 0  # `interrupted` events while this answer was spoken (nothing should be playing)
    no_listening: bool = False  # the server never said `listening` after the reply was played out
    error: str = ""

    @property
    def errors(self) -> WordErrors:
        return word_errors(self.reference, self.hypothesis)


@dataclass
class RunResult:
    provider: str
    sessions: int
    turns: list[TurnRecord]
    wall_s: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    stt_log: list[str]
    startup_s: float


# --- running -----------------------------------------------------------------------------------------------


def platform_for(provider: str, lines: list[str], stt_replicas: int, tts_replicas: int) -> LocalPlatform:
    data_dir = Path(tempfile.mkdtemp(prefix="prepai-voice-bench-"))
    models = REPO_ROOT / "data" / "models"
    if models.is_dir():  # the joined model files, shared (else every run joins 0.6 GB again)
        (data_dir / "models").symlink_to(models, target_is_directory=True)
    return LocalPlatform(
        data_dir=data_dir,
        http_port=free_port(),
        nats_port=free_port(),
        env={"PREPAI_LLM_PROVIDER": provider, "PREPAI_LOG_LEVEL": "INFO"},
        services=default_services(stt_replicas=stt_replicas, tts_replicas=tts_replicas),
        log=lines.append,
    )


async def interview(
    platform: LocalPlatform, index: int, clips: Sequence[corpus.Clip], think_s: float, timeout_s: float
) -> list[TurnRecord]:
    async with httpx.AsyncClient(base_url=platform.base_url, timeout=30) as http:
        created = await http.post(
            "/api/sessions", json={"interview_type": "google_sde", "candidate_name": f"Bench {index}"}
        )
        sid = str(created.json()["session_id"])
    client = await InterviewClient.connect(f"ws://127.0.0.1:{platform.http_port}", sid, "")
    records: list[TurnRecord] = []
    try:
        await client.start_microphone()
        await client.spoken_reply(f"start-{sid}", timeout=timeout_s, played_out_grace_s=LISTENING_GRACE_S)
        for n, clip in enumerate(clips):
            record = TurnRecord(
                index,
                n,
                clip.spec.key,
                clip.variant,
                corpus.VOICES[clip.spec.voice].engine,
                clip.text,
            )
            records.append(record)
            await asyncio.sleep(think_s)
            began = len(client.events)
            try:
                await client.speak(clip.with_tail(TAIL_S), speech_end_s=clip.speech_end_s)
                reply = await client.spoken_reply(timeout=timeout_s, played_out_grace_s=LISTENING_GRACE_S)
            except (TimeoutError, ConnectionError) as err:
                record.error = f"{type(err).__name__}: {err}"[:2000]
                record.hypothesis = " ".join(e["text"] for e in client.transcripts(began))
                with contextlib.suppress(TimeoutError):  # let a late reply play out before the next answer
                    await client.wait_for(
                        lambda: client.events[-1:] == [{"type": "state", "state": "listening"}], 30
                    )
                continue
            fill(record, client, began, reply)
    finally:
        await client.close()
    return records


def fill(record: TurnRecord, client: InterviewClient, began: int, reply: SpokenReply) -> None:
    end = client.index_of(
        lambda e: e.get("turn_id") == reply.turn_id and e["type"] == "transcript" and e["is_final"]
    )
    finals = [
        e for e in client.events[began : (end or began) + 1] if e["type"] == "transcript" and e["is_final"]
    ]
    record.hypothesis = " ".join(e["text"] for e in finals)
    record.finals = len(finals)
    record.turn_id = reply.turn_id
    record.latency_ms = reply.latency_ms
    record.metrics = {k: float(v) for k, v in reply.metrics.items() if isinstance(v, int | float)}
    record.wavs = len(reply.wavs)
    record.audio_s = round(reply.audio_s, 2)
    record.no_listening = not reply.listening
    record.barge_ins = sum(1 for e in client.events[began : (end or began) + 1] if e["type"] == "interrupted")


async def run(
    provider: str,
    sessions: int,
    turns: int,
    think_s: float,
    offset: int,
    stt_replicas: int,
    tts_replicas: int,
    log_path: Path | None = None,
) -> RunResult:
    specs = corpus.bench_specs(sessions * turns, offset)
    clips = corpus.load_many(specs)  # synthesised (once) before the platform starts
    lines: list[str] = []
    platform = platform_for(provider, lines, stt_replicas, tts_replicas)
    started = time.perf_counter()
    await platform.start()
    startup_s = time.perf_counter() - started
    timeout_s = 60.0 if provider == "scripted" else 180.0
    load_before = os.getloadavg()
    began = time.perf_counter()
    try:
        results = await asyncio.gather(
            *(
                interview(platform, s, clips[s * turns : (s + 1) * turns], think_s, timeout_s)
                for s in range(sessions)
            )
        )
        wall_s = time.perf_counter() - began
        load_after = os.getloadavg()
    finally:
        await platform.stop()
    if log_path is not None:
        write_lines(log_path, lines)
    stt_log = [line for line in lines if line.startswith("stt")]
    records = [record for session in results for record in session]
    return RunResult(provider, sessions, records, wall_s, load_before, load_after, stt_log, startup_s)


# --- reporting --------------------------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation (q=0.95: p95)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def describe(name: str, values: Sequence[float], unit: str = "ms") -> str:
    if not values:
        return f"  {name:<34} (no data)"
    return (
        f"  {name:<34} median {statistics.median(values):7.0f} {unit}  p95 {pct(values, 0.95):7.0f}  "
        f"min {min(values):7.0f}  max {max(values):7.0f}  (n={len(values)})"
    )


def wer_line(name: str, results: Iterable[WordErrors]) -> str:
    pooled = total(results)
    return (
        f"  {name:<22} {pooled.rate * 100:5.1f} %   ({pooled.errors} errors / {pooled.reference_words} words: "
        f"{pooled.substitutions} sub, {pooled.deletions} del, {pooled.insertions} ins)"
    )


def report(result: RunResult) -> list[str]:
    records = result.turns
    ok = [r for r in records if not r.error]
    out = [
        "",
        f"== provider {result.provider}, {result.sessions} concurrent session(s) x "
        f"{len(records) // max(1, result.sessions)} turns ({len(records)} turns, {result.wall_s:.0f} s; "
        f"platform start {result.startup_s:.1f} s)",
        f"   machine load (1/5/15 min): {fmt_load(result.load_before)} before, {fmt_load(result.load_after)} after; "
        f"{os.cpu_count()} cores",
    ]
    replied = [r for r in ok if r.wavs > 0]
    out.append(
        f"   turns with a spoken reply: {len(replied)}/{len(records)}   cut in two or more: "
        f"{sum(1 for r in ok if r.finals > 1)}   taken for a barge-in: {sum(1 for r in records if r.barge_ins)}   "
        f"failed: {len(records) - len(ok)}   no `listening` after the reply: {sum(1 for r in ok if r.no_listening)}"
    )
    for r in records:
        if r.error:
            out.append(f"     failed: session {r.session} turn {r.turn} ({r.clip}): {r.error}")
    latencies = [r.latency_ms for r in replied if r.latency_ms is not None]
    out.append("end of speech -> first audio (client clock)")
    out.append(describe("speech end -> first WAV", latencies))
    server = [
        r.metrics["speech_end_to_first_audio"] for r in replied if "speech_end_to_first_audio" in r.metrics
    ]
    out.append(describe("server speech_end_to_first_audio", server))
    out.append("stages (server turn_metrics; share = the stage's sum / the sum of the three, over all turns)")
    with_all = [r for r in replied if all(s in r.metrics for s in STAGES)]
    grand = sum(sum(r.metrics[s] for s in STAGES) for r in with_all) or 1.0
    for stage in STAGES:
        values = [r.metrics[stage] for r in replied if stage in r.metrics]
        share = sum(r.metrics[stage] for r in with_all) / grand * 100
        out.append(describe(stage, values) + f"  share {share:5.1f} %")
    for stage in SUB_STAGES:
        out.append(describe(f"  {stage}", [r.metrics[stage] for r in replied if stage in r.metrics]))
    for name in OTHER_METRICS:
        out.append(describe(name, [r.metrics[name] for r in replied if name in r.metrics]))
    written_ahead = sum(1 for r in replied if r.metrics.get("written_ahead"))
    out.append(f"  replies written ahead (speculation used): {written_ahead}/{len(replied)}")
    out.extend(stt_lines(result, ok))
    out.append(
        "word error rate (normalised: case, punctuation, hyphens, 0-20 and tens as digits, % = percent, fillers out)"
    )
    out.append(wer_line("all", (r.errors for r in records)))
    for variant in corpus.VARIANTS:
        chosen = [r for r in records if r.variant == variant]
        if chosen:
            out.append(wer_line(variant, (r.errors for r in chosen)))
    for engine in ("piper", "espeak"):
        chosen = [r for r in records if r.engine == engine]
        if chosen:
            out.append(wer_line(f"{engine} (all variants)", (r.errors for r in chosen)))
    out.append("  by variant and voice:   " + "".join(f"{v:>9}" for v in corpus.VARIANTS))
    for engine in ("piper", "espeak"):
        cells = []
        for variant in corpus.VARIANTS:
            pooled = total(r.errors for r in records if r.engine == engine and r.variant == variant)
            cells.append(f"{pooled.rate * 100:7.1f} %" if pooled.reference_words else f"{'-':>9}")
        out.append(f"  {engine:<22}  " + "".join(cells))
    clean = total(r.errors for r in records if r.variant == "clean")
    if result.sessions == 1 and latencies:
        median = statistics.median(latencies)
        verdict = (
            "met"
            if median <= GOAL_MEDIAN_MS
            else "within the limit"
            if median <= LIMIT_MEDIAN_MS
            else "MISSED"
        )
        out.append(
            f"target: first audio median {median:.0f} ms for one session: {verdict} "
            f"(limit {LIMIT_MEDIAN_MS:.0f} ms, goal {GOAL_MEDIAN_MS:.0f} ms)"
        )
    if clean.reference_words:
        verdict = "met" if clean.rate <= LIMIT_CLEAN_WER else "MISSED"
        out.append(
            f"target: WER on clean speech {clean.rate * 100:.1f} %: {verdict} (limit {LIMIT_CLEAN_WER * 100:.0f} %)"
        )
    return out


def stt_lines(result: RunResult, ok: Sequence[TurnRecord]) -> list[str]:
    out = ["STT"]
    stopped = [m for line in result.stt_log if (m := STT_STOPPED.search(line))]
    if stopped:
        decodes = sum(int(m.group(1)) for m in stopped)
        seconds = sum(float(m.group(2)) for m in stopped)
        audio = sum(float(m.group(3)) for m in stopped)
        out.append(
            f"  real-time factor {seconds / audio if audio else math.nan:.2f} (the service's counters: "
            f"{seconds:.1f} s decoding {audio:.1f} s of audio in {decodes} decodes, partials and barge-in "
            f"checks included; Whisper decodes a 30 s window whatever the length, so short decodes cost more)"
        )
    else:
        out.append("  real-time factor: no 'stt stopped' line in the STT's log (counters not found)")
    turns = [line for line in result.stt_log if STT_TURN.search(line)]
    if turns:
        spoken = sum(float(m.group(4)) for line in turns if (m := STT_TURN.search(line)))
        after = [
            float(m.group(1) or m.group(2)) * 1000 for line in turns if (m := STT_AFTER_END.search(line))
        ]
        line = f"  {len(turns)} turns, {spoken:.0f} s of speech (the STT's log)"
        if after:
            line += f"; its own end-of-speech -> turn out: median {statistics.median(after):.0f} ms, max {max(after):.0f} ms"
        out.append(line)
    waits = [r.metrics["speech_end_to_transcript"] for r in ok if "speech_end_to_transcript" in r.metrics]
    if waits:
        out.append(
            f"  speech end -> final transcript: median {statistics.median(waits):.0f} ms "
            "(includes the endpoint silence: 600 ms, 1600 ms after a filler or an unfinished clause)"
        )
    return out


def fmt_load(load: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.2f}" for v in load)


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))


async def main_async(args: argparse.Namespace) -> None:
    print(
        f"voice bench: provider {args.provider}, sessions {args.sessions}, {args.turns} turns each, "
        f"think time {args.think_s} s, corpus offset {args.offset}"
    )
    print(f"load average now: {fmt_load(os.getloadavg())}")
    dump: list[dict[str, Any]] = []
    for count in args.sessions:
        log_path = Path(f"{args.log}.{args.provider}-{count}.log") if args.log else None
        result = await run(
            args.provider,
            count,
            args.turns,
            args.think_s,
            args.offset,
            args.stt_replicas,
            args.tts_replicas,
            log_path,
        )
        for line in report(result):
            print(line, flush=True)
        if args.verbose:
            for r in result.turns:
                print(
                    f"    s{r.session} t{r.turn} {r.variant:<6} {r.clip}: {r.latency_ms or math.nan:.0f} ms, "
                    f"WER {r.errors.rate * 100:.0f} % | {r.hypothesis}"
                )
        dump.append(
            {"provider": args.provider, "sessions": count, "turns": [asdict(r) for r in result.turns]}
        )
    if args.json:
        write_json(Path(args.json), dump)
        print(f"per-turn records: {args.json}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--provider", choices=["llamacpp", "scripted"], default="llamacpp")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--turns", type=int, default=4, help="answers per session")
    parser.add_argument("--think-s", type=float, default=1.0, help="pause after the reply before answering")
    parser.add_argument("--offset", type=int, default=0, help="start position in the corpus sequence")
    parser.add_argument("--stt-replicas", type=int, default=1)
    parser.add_argument("--tts-replicas", type=int, default=1)
    parser.add_argument("--json", help="write every turn's record here (e.g. bench/results/voice.json)")
    parser.add_argument("--log", help="write the platform's log to LOG.<provider>-<sessions>.log")
    parser.add_argument("--verbose", action="store_true", help="print every turn")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()

"""How the interviewer reacts to nonsense, evasive, weak, strong and help-seeking candidates, with the real
local model: whole scripted interviews through the real turn path (no network), counted per candidate kind.

    python bench/reactions.py [--kinds nonsense evasive weak strong help] [--type google_sde] [--scripted]
                              [--max-answers 30] [--dump exchanges.json]
    python bench/reactions.py --recount exchanges.json
        Judges a dump again with the current checks (e.g. one written by an older version of the agent).

Prints one row per kind: answers, praise of nonsense, unearned praise, nonsense not flagged, replies out of
role, repeated reactions, unmet requests; then a few examples of each problem. `--scripted` runs the same
interviews with the scripted responder (no model) for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.options import LlamaCppOptions
from services.agent.responders import LLMResponder, Responder, ScriptedResponder
from shared.question_bank import load_question_bank
from tests.agent.scripted_interviews import CANDIDATES, Counts, Exchange, run_interview

COLUMNS = (
    "kind",
    "answers",
    "praised_nonsense",
    "unearned_praise",
    "nonsense_not_flagged",
    "out_of_role",
    "repeated_reactions",
    "requests_unmet",
    "empty_replies",
)


async def main(
    kinds: list[str], interview_type: str, scripted: bool, temperature: float, max_answers: int
) -> dict[str, object]:
    """Runs and prints; returns every exchange by kind (for --dump)."""
    responder: Responder
    if scripted:
        responder = ScriptedResponder()
    else:
        responder = LLMResponder(LlamaCppProvider(LlamaCppOptions()), max_tokens=160, temperature=temperature)
    rows: list[Counts] = []
    dumped: dict[str, object] = {}
    verdicts = Verdicts()
    agent_log = logging.getLogger("services.agent.interviewer")
    agent_log.addHandler(verdicts)
    agent_log.setLevel(logging.DEBUG)
    try:
        for kind in kinds:
            verdicts.counts.clear()
            started = time.perf_counter()
            greeting, exchanges = await run_interview(
                responder,
                kind,
                interview_type=interview_type,
                session_id=f"bench-{kind}",
                max_answers=max_answers,
            )
            counts = Counts(kind)
            counts.add(exchanges, greeting)
            rows.append(counts)
            seconds = time.perf_counter() - started
            print(f"{kind}: {len(exchanges)} answers in {seconds:.0f} s", flush=True)
            dumped[kind] = {
                "greeting": greeting,
                "seconds": round(seconds, 1),
                "exchanges": [
                    [ex.answer, ex.question.id if ex.question else None, ex.reply] for ex in exchanges
                ],
            }
            for ex in exchanges[:4]:
                print(f"    {ex.answer[:50]!r} -> {ex.reply[:110]!r}", flush=True)
            print("    " + " | ".join(f"{c}={counts.row()[c]}" for c in COLUMNS), flush=True)
            print(f"    the model's reactions: {dict(verdicts.counts) or 'none asked'}", flush=True)
            dumped[kind]["model_reactions"] = dict(verdicts.counts)  # type: ignore[index]
    finally:
        await responder.aclose()
    print_table(rows)
    return dumped


class Verdicts(logging.Handler):
    """Counts the interviewer's verdicts on the model's reactions (said, or why not)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "model reaction verdict: %s":
            self.counts[str(record.args[0]) if record.args else "?"] += 1  # type: ignore[index]


def print_table(rows: list[Counts]) -> None:
    print("\n" + " | ".join(COLUMNS))
    for counts in rows:
        row = counts.row()
        print(" | ".join(str(row[c]) for c in COLUMNS))
    for counts in rows:
        for example in counts.examples:
            print(f"  [{counts.kind}] {example}")


def recount(dump: dict[str, Any], interview_type: str) -> list[Counts]:
    bank = {q.id: q for q in load_question_bank(interview_type)}
    rows = []
    for kind, interview in dump.items():
        counts = Counts(kind)
        exchanges = [
            Exchange(answer, bank.get(qid or ""), reply) for answer, qid, reply in interview["exchanges"]
        ]
        counts.add(exchanges, interview["greeting"])
        rows.append(counts)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kinds", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    parser.add_argument("--type", default="google_sde")
    parser.add_argument("--scripted", action="store_true", help="the scripted responder, no model")
    parser.add_argument("--temperature", type=float, default=0.6, help="the agent's default is 0.6")
    parser.add_argument("--max-answers", type=int, default=30, help="answers per interview at most")
    parser.add_argument("--dump", type=Path, help="write every exchange to this JSON file")
    parser.add_argument("--recount", type=Path, help="judge the exchanges of a dump again, run nothing")
    args = parser.parse_args()
    if args.recount is not None:
        print_table(recount(json.loads(args.recount.read_text()), args.type))
        sys.exit(0)
    exchanges = asyncio.run(main(args.kinds, args.type, args.scripted, args.temperature, args.max_answers))
    if args.dump is not None:
        args.dump.write_text(json.dumps(exchanges, indent=1))

"""Text-turn latency through the real platform (nats-server, agent, gateway as processes).

    python bench/text_turns.py overhead [--sessions 1 10 100] [--turns 5]
        The platform's own cost: the scripted responder answers instantly, so the time from a
        typed answer to the complete reply is gateway -> JetStream -> agent -> storage -> gateway.
    python bench/text_turns.py model [--runs 5]
        The default local LLM: typed answer -> first streamed token, and -> the complete reply.

Prints medians and p90 over all turns; run it on a quiet machine and compare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.local_platform import LocalPlatform, default_services, free_port
from tests.interview_client import InterviewClient

ANSWERS = [
    "I'm a backend engineer. For the last five years I've built payment APIs in Python and Go, "
    "mostly on Kubernetes, and I led our move from a monolith to services.",
    "I would put a cache in front of the database, measure the hit rate, and shard by customer "
    "id once a single primary can no longer take the writes.",
    "The trade-off is consistency: with asynchronous replication a reader may see stale data, so "
    "I'd route read-your-writes traffic to the primary for a short window.",
    "I'd start by reproducing it, then bisect recent deploys, and add tracing around the slow call.",
    "We wrote a design doc, agreed on the API first, and shipped behind a feature flag.",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def describe(name: str, values: list[float]) -> str:
    return (
        f"{name:<28} median {statistics.median(values):8.1f} ms   p90 {pct(values, 0.9):8.1f} ms   "
        f"min {min(values):8.1f}   max {max(values):8.1f}   (n={len(values)})"
    )


async def start(provider: str, agent_replicas: int) -> LocalPlatform:
    platform = LocalPlatform(
        data_dir=Path(tempfile.mkdtemp(prefix="prepai-bench-")),
        http_port=free_port(),
        nats_port=free_port(),
        env={"PREPAI_LLM_PROVIDER": provider, "PREPAI_LOG_LEVEL": "WARNING"},
        services=default_services(agent_replicas=agent_replicas),
        log=lambda line: None,
    )
    await platform.start()
    return platform


async def interview(platform: LocalPlatform, turns: int, first: list[float], full: list[float]) -> None:
    async with httpx.AsyncClient(base_url=platform.base_url, timeout=30) as http:
        sid = (
            await http.post("/api/sessions", json={"interview_type": "google_sde", "candidate_name": "Bench"})
        ).json()["session_id"]
    client = await InterviewClient.connect(f"ws://127.0.0.1:{platform.http_port}", sid)
    try:
        await client.reply(timeout=300)  # the greeting
        for n in range(turns):
            sent = time.perf_counter()
            turn_id = await client.say(ANSWERS[n % len(ANSWERS)])
            reply = await client.reply(turn_id, timeout=300)
            full.append((reply.complete_at - sent) * 1000)
            if reply.first_chunk_at is not None:
                first.append((reply.first_chunk_at - sent) * 1000)
    finally:
        await client.close()


async def overhead(sessions: list[int], turns: int, agent_replicas: int) -> None:
    platform = await start("scripted", agent_replicas)
    try:
        print(
            f"platform overhead (scripted responder, {agent_replicas} agent replica(s), {turns} turns/session)"
        )
        for count in sessions:
            first: list[float] = []
            full: list[float] = []
            began = time.perf_counter()
            await asyncio.gather(*(interview(platform, turns, first, full) for _ in range(count)))
            elapsed = time.perf_counter() - began
            print(f"-- {count} concurrent session(s): {len(full) / elapsed:.0f} turns/s overall")
            print("  " + describe("answer -> first chunk", first))
            print("  " + describe("answer -> complete reply", full))
    finally:
        await platform.stop()


async def model(runs: int) -> None:
    platform = await start("llamacpp", 1)
    try:
        first: list[float] = []
        full: list[float] = []
        for _ in range(runs):
            await interview(platform, 2, first, full)
        print(f"default local model through the platform ({runs} sessions x 2 turns)")
        print("  " + describe("answer -> first token", first))
        print("  " + describe("answer -> complete reply", full))
    finally:
        await platform.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="mode")
    o = sub.add_parser("overhead")
    o.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 100])
    o.add_argument("--turns", type=int, default=5)
    o.add_argument("--agent-replicas", type=int, default=1)
    m = sub.add_parser("model")
    m.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.mode == "model":
        asyncio.run(model(args.runs))
    else:
        asyncio.run(
            overhead(
                getattr(args, "sessions", [1, 10, 100]),
                getattr(args, "turns", 5),
                getattr(args, "agent_replicas", 1),
            )
        )


if __name__ == "__main__":
    main()

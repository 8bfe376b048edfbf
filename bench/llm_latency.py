"""How fast the embedded interviewer starts talking, per packaged model.

    .venv/bin/python bench/llm_latency.py [--model qwen2.5-coder-0.5b] [--runs 5] [--no-interleave]

A realistic turn: a ~250-token system prompt, a conversation of a few
exchanges, and a new candidate answer of ~40 words with a one-line
[Interviewer guidance: ...]. Each run is the next turn of that conversation
(the reply is appended, as the agent does), so the KV prefix is reused the way
it is in production. Measured per turn: time to first token, time to the end of
the first sentence (what a voice pipeline waits for before speaking), time to
the whole reply, and decode speed. Also: the cold first turn (system prompt not
yet evaluated), the warm-up cost, and two interleaved sessions of different
interview types with and without the session KV cache.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.agent.bootstrap import llm_options
from services.agent.domain.messages import ChatMessage
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.options import DEFAULT_SESSION_CACHE_BYTES, LlamaCppOptions, PackagedModelKey
from shared.config import Settings

MODELS: tuple[PackagedModelKey, ...] = get_args(PackagedModelKey)
STOP = ("Candidate:", "[Interviewer", "<|im_end|>")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


def system_prompt(interview: str, focus: str) -> str:
    return (
        f"You are Alex, a senior engineer and an experienced interviewer conducting a {interview} interview "
        "for a Software Development Engineer position. You speak with the candidate over a voice call, "
        f"so everything you write is read aloud. Focus areas: {focus}.\n"
        "Rules:\n"
        "- You are the interviewer, never the candidate. Never answer your own questions, never write the "
        "candidate's lines, and never continue the conversation on the candidate's behalf.\n"
        "- Each candidate message ends with a private line [Interviewer guidance: ...]. Follow it: it says "
        "what to acknowledge and which question to ask next. Never mention, quote or reveal the guidance.\n"
        "- Speak like a person on a call: at most three short sentences, no lists, no markdown, no code "
        "blocks, no emojis.\n"
        "- Briefly acknowledge what the candidate said, in your own words, before moving on.\n"
        "- Ask exactly one question per turn, the one in the guidance, and end your turn with it.\n"
        "- If the candidate asks for clarification, clarify the question without giving away the answer.\n"
        "- Be professional, warm and encouraging. Give a hint only when the guidance says so, and never "
        "the full answer. Do not score or grade the candidate, and do not tell them how they did."
    )


SYSTEM_A = system_prompt(
    "Google SDE", "algorithms, data structures, complexity analysis, system design basics"
)
SYSTEM_B = system_prompt("Amazon SDE", "coding, the Leadership Principles with STAR stories, scalability")


def ask(question: str) -> str:
    """Guidance in the agent planner's style: the exact question to ask."""
    return f'Acknowledge the previous answer in one short sentence, then ask this question: "{question}"'


def candidate(words: str, guidance: str) -> ChatMessage:
    return ChatMessage("user", f"{words}\n[Interviewer guidance: {guidance}]")


HISTORY = [
    candidate(
        "[The candidate, Sam, has joined the interview.]",
        'Greet Sam, introduce yourself, then ask this question: "Could you tell me a little about your background?"',
    ),
    ChatMessage(
        "assistant",
        "Hi Sam, I'm Alex, a senior engineer here, and I'll be running today's interview. "
        "To start, could you tell me a little about your background?",
    ),
    candidate(
        "Sure. I have about five years of experience, mostly backend work in Python and Go. Right now I'm "
        "at a logistics startup where I own the routing service, and before that I worked on payments.",
        ask("What's the most complex system you've built, and what made it hard?"),
    ),
    ChatMessage(
        "assistant",
        "Thanks, that's a solid mix of backend work. What's the most complex system you've built, and "
        "what made it hard?",
    ),
    candidate(
        "Probably the routing service. It computes delivery routes for thousands of drivers every few "
        "minutes, and the hard part was keeping latency low while the road data changed all the time.",
        ask("How would you find the k most frequent words in a very large log file?"),
    ),
    ChatMessage(
        "assistant",
        "That sounds like a demanding system to keep fast. Let's move to a technical question: how would "
        "you find the k most frequent words in a very large log file?",
    ),
]

ANSWERS = [
    candidate(
        "I would stream the file line by line, count words in a hash map, and then keep a min-heap of size "
        "k over the counts, so the whole thing is linear in the number of words plus n log k for the heap.",
        ask("What would you do if the word counts do not fit in memory?"),
    ),
    candidate(
        "If the counts do not fit, I would shard the words by hash into several files, count each shard "
        "separately in memory, take the top k of each shard, and merge those small lists at the end.",
        ask("What are the time and space complexity of the sharded approach?"),
    ),
    candidate(
        "Each word is read twice, once to shard and once to count, so time stays linear. Space per shard "
        "is bounded by the distinct words in that shard, and the final merge only keeps k entries per shard.",
        ask("How would you test this code?"),
    ),
    candidate(
        "I would unit test the counting and the heap with small inputs where I know the answer, add edge "
        "cases like ties, empty files and k larger than the vocabulary, and compare against a naive sort.",
        ask("How would you parallelise the counting across several machines?"),
    ),
    candidate(
        "I would use a map-reduce style job: mappers emit word counts per chunk, a combiner sums locally, "
        "the shuffle groups by word, and reducers sum and keep a local top k that a final step merges.",
        ask("What happens if one word is so frequent that it overloads a single reducer?"),
    ),
    candidate(
        "That is a hot key. I would pre-aggregate in the combiners so the reducer gets few records, or salt "
        "the hot key into several sub-keys and sum them again in a second small step at the end.",
        ask("Can you tell me about a time you disagreed with a teammate on a design decision?"),
    ),
    candidate(
        "We disagreed about caching routes in Redis. I measured both options on production traffic, showed "
        "the cache hit rate was low, and we agreed to precompute only the busiest zones instead.",
        ask("What did you learn from that disagreement?"),
    ),
]


@dataclass
class TurnTiming:
    first_token_s: float
    first_sentence_s: float
    total_s: float
    pieces: int
    reply: str

    @property
    def decode_tokens_per_s(self) -> float:
        decode_time = self.total_s - self.first_token_s
        return (self.pieces - 1) / decode_time if decode_time > 0 and self.pieces > 1 else 0.0


async def timed_turn(provider: LlamaCppProvider, messages: list[ChatMessage], max_tokens: int) -> TurnTiming:
    started = time.perf_counter()
    first_token = first_sentence = None
    text = ""
    pieces = 0
    async for piece in provider.stream(messages, max_tokens=max_tokens, temperature=0.6, stop=STOP):
        now = time.perf_counter() - started
        pieces += 1
        text += piece
        first_token = first_token if first_token is not None else now
        if first_sentence is None and _SENTENCE_END.search(text):
            first_sentence = now
    total = time.perf_counter() - started
    return TurnTiming(first_token or total, first_sentence or total, total, pieces, text.strip())


def llama_options(
    model: PackagedModelKey, threads: int, session_cache_bytes: int = DEFAULT_SESSION_CACHE_BYTES
) -> LlamaCppOptions:
    """The agent's llama.cpp options from PREPAI_* (as it would run), with this run's choices."""
    options = llm_options(Settings(llm_provider="llamacpp", llm_model=model, llm_threads=threads))
    assert isinstance(options, LlamaCppOptions)
    return LlamaCppOptions.model_validate(
        {**options.model_dump(), "session_cache_bytes": session_cache_bytes}
    )


def summary(label: str, values: list[float], unit: str = "s") -> str:
    return (
        f"  {label:<22} median {statistics.median(values):6.2f} {unit}"
        f"   min {min(values):6.2f}   max {max(values):6.2f}"
    )


def in_role(reply: str) -> bool:
    """A rough check: asks something, does not speak as the candidate, does not recite the notes.
    (It cannot tell asking the planned question from answering it and asking another: read the replies.)"""
    lowered = reply.lower()
    leaks_notes = "[interviewer" in lowered  # the stop sequence is case-sensitive; models vary the case
    return (
        "?" in reply and not leaks_notes and not lowered.startswith(("candidate", "sam:", "as the candidate"))
    )


async def conversation_runs(model: PackagedModelKey, runs: int, max_tokens: int, threads: int) -> None:
    provider = LlamaCppProvider(llama_options(model, threads))
    started = time.perf_counter()
    await provider.warm_up([])  # loads the model only
    print(f"\n=== {model}: model load {time.perf_counter() - started:.2f} s")

    conversation = [ChatMessage("system", SYSTEM_A), *HISTORY]
    cold = await timed_turn(provider, [*conversation, ANSWERS[0]], max_tokens)
    print(
        f"cold first turn (system prompt + history not cached): first token {cold.first_token_s:.2f} s, "
        f"first sentence {cold.first_sentence_s:.2f} s, reply {cold.total_s:.2f} s"
    )
    conversation += [ANSWERS[0], ChatMessage("assistant", cold.reply)]

    started = time.perf_counter()
    await provider.warm_up([SYSTEM_B])
    print(f"warm_up of one system prompt: {time.perf_counter() - started:.2f} s")

    timings: list[TurnTiming] = []
    for run in range(runs):
        answer = ANSWERS[1 + run % (len(ANSWERS) - 1)]
        timing = await timed_turn(provider, [*conversation, answer], max_tokens)
        conversation += [answer, ChatMessage("assistant", timing.reply)]
        timings.append(timing)
        role = "in role" if in_role(timing.reply) else "OUT OF ROLE?"
        print(
            f"  run {run + 1}: first token {timing.first_token_s:.2f} s, first sentence "
            f"{timing.first_sentence_s:.2f} s, reply {timing.total_s:.2f} s ({timing.pieces} tokens, "
            f"{timing.decode_tokens_per_s:.1f} tok/s) [{role}] {timing.reply!r}"
        )
    print(f"warm turns over {runs} runs:")
    print(summary("time to first token", [t.first_token_s for t in timings]))
    print(summary("time to first sentence", [t.first_sentence_s for t in timings]))
    print(summary("time to whole reply", [t.total_s for t in timings]))
    print(summary("decode speed", [t.decode_tokens_per_s for t in timings], "tok/s"))
    print(
        f"  in role: {sum(in_role(t.reply) for t in timings)}/{runs} (asks a question, not as the candidate)"
    )
    await provider.aclose()


async def interleaved_sessions(
    model: PackagedModelKey, turns: int, max_tokens: int, threads: int, cache_bytes: int
) -> None:
    """Two sessions of different interview types taking turns on one model."""
    provider = LlamaCppProvider(llama_options(model, threads, cache_bytes))
    await provider.warm_up([SYSTEM_A, SYSTEM_B])
    sessions = {
        "A": [ChatMessage("system", SYSTEM_A), *HISTORY],
        "B": [ChatMessage("system", SYSTEM_B), *HISTORY],
    }
    first_tokens: list[float] = []
    for turn in range(turns):
        for conversation in sessions.values():
            answer = ANSWERS[turn % len(ANSWERS)]
            timing = await timed_turn(provider, [*conversation, answer], max_tokens)
            conversation += [answer, ChatMessage("assistant", timing.reply)]
            first_tokens.append(timing.first_token_s)
    label = f"session cache {cache_bytes >> 20} MiB" if cache_bytes else "no session cache"
    print(f"interleaved A/B sessions, {label}: first token per turn {[round(t, 2) for t in first_tokens]}")
    print(summary("time to first token", first_tokens))
    await provider.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", choices=MODELS, action="append", help="default: every packaged model")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=Settings().llm_max_reply_tokens)
    parser.add_argument("--threads", type=int, default=Settings().llm_threads)
    parser.add_argument("--no-interleave", action="store_true", help="skip the two-session comparison")
    parser.add_argument(
        "--background-load",
        type=int,
        default=0,
        metavar="N",
        help="run N busy processes meanwhile, as STT/TTS would compete for the same cores",
    )
    args = parser.parse_args()
    print(
        f"threads={args.threads}, max_tokens={args.max_tokens}, background busy processes={args.background_load}"
    )
    with busy_processes(args.background_load):
        for model in args.model or MODELS:
            await conversation_runs(model, args.runs, args.max_tokens, args.threads)
            if not args.no_interleave:
                for cache_bytes in (0, DEFAULT_SESSION_CACHE_BYTES):
                    await interleaved_sessions(model, 3, args.max_tokens, args.threads, cache_bytes)


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def busy_processes(count: int) -> Iterator[None]:
    processes = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(count)]
    for process in processes:
        process.start()
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
            process.join()


if __name__ == "__main__":
    asyncio.run(main())

"""Work before the turn is certain: the words so far pre-read, the likely answer's reply written ahead
and replayed only when the real turn has the same words."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from services.agent.speculation import Speculator
from shared.events import ProvisionalTurn, UserTurn
from tests.agent.fakes import FakeLLM
from tests.agent.test_turns import Rig


def rig_with_speculator(tmp_path: Path) -> tuple[Rig, Speculator]:
    rig = Rig(tmp_path)
    speculator = Speculator(rig.processor.interviewer, rig.repo, speak_ahead=rig.outbox.speak)
    rig.processor.speculator = speculator
    return rig, speculator


def provisional(text: str, *, final: bool = False, cancelled: bool = False) -> ProvisionalTurn:
    return ProvisionalTurn(session_id="s1", turn_id="v1", text=text, likely_final=final, cancelled=cancelled)


# An answer the model reacts to; to a one-word reply the planner's words are said without a model.
KAFKA = "I use Kafka to stream the order events between our services."
KAFKA_AND_FLINK = "I use Kafka to stream the order events, and Flink to aggregate them."


def spoken(text: str) -> UserTurn:
    return UserTurn(session_id="s1", turn_id="v1", kind="speech", text=text, speak=True)


async def test_the_words_so_far_are_the_prefix_of_the_real_prompt(tmp_path: Path) -> None:
    rig, speculator = rig_with_speculator(tmp_path)
    await rig.session()
    await rig.deliver(UserTurn(session_id="s1", turn_id="start-s1", kind="start"))
    await speculator.on_provisional(provisional("I would shard"))
    (prefill,) = rig.llm.prefilled
    await rig.deliver(spoken("I would shard the orders table by customer id."))
    real = rig.llm.calls[-1]
    assert [m.content for m in prefill[:-1]] == [m.content for m in real[:-1]]
    assert real[-1].content.startswith(prefill[-1].content) and prefill[-1].content == "I would shard"


async def test_a_reply_written_ahead_is_replayed_when_the_words_match(tmp_path: Path) -> None:
    rig, speculator = rig_with_speculator(tmp_path)
    await rig.session()
    await speculator.on_provisional(provisional(KAFKA, final=True))
    await rig.deliver(spoken(KAFKA))
    assert len(rig.llm.calls) == 1  # written once, ahead
    reply = rig.outbox.replies[-1]
    assert reply.metrics["written_ahead"] == 1.0 and reply.metrics["first_token_at"] >= reply.ts - 5
    stored = (await rig.repo.get("s1")).transcript
    assert [(e.role, e.turn_id) for e in stored] == [("user", "v1"), ("assistant", "v1")]
    assert "".join(t for tid, _, t in rig.outbox.chunks if tid == "v1").strip() == stored[-1].text
    pieces = sorted(r.index for r in rig.outbox.spoken if r.turn_id == "v1" and not r.ahead)
    assert pieces == list(range(len(pieces))) and pieces


async def test_the_sentences_of_a_reply_written_ahead_are_synthesised_ahead(tmp_path: Path) -> None:
    rig, speculator = rig_with_speculator(tmp_path)
    await rig.session()
    await speculator.on_provisional(provisional(KAFKA, final=True))
    await rig.deliver(spoken(KAFKA))
    ahead = [r for r in rig.outbox.spoken if r.ahead]
    real = [r for r in rig.outbox.spoken if not r.ahead and r.text.strip()]
    assert ahead and {(r.index, r.text) for r in ahead} == {(r.index, r.text) for r in real if r.index <= 2}
    assert len(real) > len(ahead)  # the rest of the line is not made ahead: it would hold the TTS queue


async def test_nothing_is_synthesised_ahead_for_a_socket_without_voice(tmp_path: Path) -> None:
    rig, speculator = rig_with_speculator(tmp_path)
    await rig.session()
    silent = ProvisionalTurn(session_id="s1", turn_id="v1", text=KAFKA, likely_final=True, speak=False)
    await speculator.on_provisional(silent)
    await rig.deliver(UserTurn(session_id="s1", turn_id="v1", kind="speech", text=KAFKA, speak=False))
    assert rig.outbox.spoken == [] and rig.outbox.replies[-1].metrics["written_ahead"] == 1.0


async def test_different_words_or_resumed_speech_drop_the_reply_written_ahead(tmp_path: Path) -> None:
    rig, speculator = rig_with_speculator(tmp_path)
    await rig.session()
    await speculator.on_provisional(provisional(KAFKA, final=True))
    await rig.deliver(spoken(KAFKA_AND_FLINK))
    assert len(rig.llm.calls) == 2  # the speculation, then the real reply
    assert "written_ahead" not in rig.outbox.replies[-1].metrics
    rig2, speculator2 = rig_with_speculator(tmp_path / "b")
    await rig2.session()
    await speculator2.on_provisional(provisional("Done.", final=True))
    await speculator2.on_provisional(provisional("", cancelled=True))  # the candidate went on speaking
    await rig2.deliver(spoken("Done."))
    assert "written_ahead" not in rig2.outbox.replies[-1].metrics


class SlowLLM(FakeLLM):
    """A reaction written in ~0.7 s (held back until it is complete and checked)."""

    async def stream(self, messages, *, max_tokens, temperature, stop=()):  # type: ignore[no-untyped-def,override]
        self.calls.append(messages)
        for word in ["Okay,", "so", "Kafka", "carries", "the", "order", "events.", "Next."]:
            await asyncio.sleep(0.1)
            yield word + " "


async def test_a_replay_follows_a_reply_still_being_written(tmp_path: Path) -> None:
    rig = Rig(tmp_path, SlowLLM())
    speculator = Speculator(rig.processor.interviewer, rig.repo)
    rig.processor.speculator = speculator
    await rig.session()
    await speculator.on_provisional(provisional(KAFKA, final=True))
    await asyncio.sleep(0.4)  # a few words are written when the real turn arrives
    first_chunk = asyncio.Event()
    record_chunk = rig.outbox.chunk

    async def chunk(session_id: str, turn_id: str, index: int, text: str) -> None:
        await record_chunk(session_id, turn_id, index, text)
        first_chunk.set()

    rig.outbox.chunk = chunk  # type: ignore[method-assign]
    started = time.monotonic()
    delivery = asyncio.create_task(rig.deliver(spoken(KAFKA)))
    await asyncio.wait_for(first_chunk.wait(), 5)
    first_chunk_after = time.monotonic() - started
    await asyncio.wait_for(delivery, 5)
    assert first_chunk_after < 0.55  # the reply written ahead goes on: not a new one (~0.7 s of writing)
    assert len(rig.llm.calls) == 1 and rig.outbox.replies[-1].metrics["written_ahead"] == 1.0


async def test_an_interrupt_stops_a_replayed_reply(tmp_path: Path) -> None:
    llm = SlowLLM()
    rig = Rig(tmp_path, llm)
    speculator = Speculator(rig.processor.interviewer, rig.repo)
    rig.processor.speculator = speculator
    await rig.session()
    await speculator.on_provisional(provisional(KAFKA, final=True))
    delivery = asyncio.create_task(rig.deliver(spoken(KAFKA)))
    await asyncio.sleep(0.15)
    assert rig.processor.interrupt("s1", "v1")
    await asyncio.wait_for(delivery, 5)
    assert rig.outbox.replies[-1].interrupted
    # The reaction was still being written (and held back): nothing of it was said or stored as said.
    assert [c for c in rig.outbox.chunks if c[0] == "v1"] == []
    assert [e.role for e in (await rig.repo.get("s1")).transcript] == ["user"]


async def test_after_a_reply_the_conversation_is_pre_read_up_to_the_next_answer(tmp_path: Path) -> None:
    rig, _ = rig_with_speculator(tmp_path)
    await rig.session()
    await rig.deliver(UserTurn(session_id="s1", turn_id="start-s1", kind="start"))
    await asyncio.gather(*rig.processor._tasks)
    (prefill,) = rig.llm.prefilled
    stored = (await rig.repo.get("s1")).transcript[-1].text
    assert prefill[-2].role == "assistant" and prefill[-2].content == stored  # the reply as stored
    assert (prefill[-1].role, prefill[-1].content) == ("user", "")

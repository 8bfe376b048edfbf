"""The turn processor: order, exactly-once replies, failures and interrupts, on in-memory ports."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.agent.interviewer import Interviewer, cv_quotes
from services.agent.llm.base import LLMError
from services.agent.responders import LLMResponder
from services.agent.turns import Ack, Retry, TurnProcessor
from services.tools.cv.analyze import analyze_cv
from shared.events import CodeRun, UserTurn
from shared.sessions import SessionRecord, SessionRepository
from shared.storage.local import LocalObjectStore
from tests.agent.fakes import FakeLeases, FakeLLM, FakeOutbox, FakeQueue


class Rig:
    def __init__(self, tmp_path: Path, llm: FakeLLM | None = None, *, model_reactions: bool = True) -> None:
        self.repo = SessionRepository(LocalObjectStore(tmp_path))
        self.llm = llm or FakeLLM()
        self.queue = FakeQueue()
        self.leases = FakeLeases()
        self.outbox = FakeOutbox()
        interviewer = Interviewer(
            LLMResponder(self.llm, max_tokens=64, temperature=0.1),
            context_tokens=4096,
            max_reply_tokens=64,
            model_reactions=model_reactions,
        )
        self.processor = TurnProcessor(self.repo, interviewer, self.queue, self.leases, self.outbox)

    async def session(self, sid: str = "s1", itype: str = "google_sde") -> str:
        await self.repo.create(
            SessionRecord(session_id=sid, interview_type=itype, interview_type_name="X", candidate_name="Ada")
        )
        return sid

    async def deliver(self, turn: UserTurn, delivery=None):  # type: ignore[no-untyped-def]
        delivery = delivery or self.queue.publish(turn)
        decision = await self.processor.handle(turn, delivery)
        if isinstance(decision, Ack):
            self.queue.ack(delivery.stream_seq)
        return decision, delivery


# An answer the model reacts to (to nonsense or a one-word reply the planner's own words are said instead).
ANSWER = "I build payment services in Python and deploy them on Kubernetes."


def text(sid: str, words: str, turn_id: str | None = None) -> UserTurn:
    return UserTurn(session_id=sid, kind="text", text=words, **({"turn_id": turn_id} if turn_id else {}))


async def test_greeting_then_answer_are_persisted_in_order(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    decision, _ = await rig.deliver(UserTurn(session_id=sid, turn_id="start-s1", kind="start"))
    assert isinstance(decision, Ack)
    await rig.deliver(text(sid, "I build payment systems in Python.", "u1"))
    record = await rig.repo.get(sid)
    assert [(e.role, e.turn_id) for e in record.transcript] == [
        ("assistant", "start-s1"),
        ("user", "u1"),
        ("assistant", "u1"),
    ]
    assert record.status == "in_progress"
    assert [r.turn_id for r in rig.outbox.replies] == ["start-s1", "u1"]
    # what streamed is what was stored
    streamed = "".join(t for tid, _, t in rig.outbox.chunks if tid == "u1")
    assert streamed.strip() == record.transcript[-1].text


async def test_a_younger_turn_waits_for_its_predecessor(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    first = text(sid, "first answer", "u1")
    second = text(sid, "second answer", "u2")
    d1 = rig.queue.publish(first)
    d2 = rig.queue.publish(second)
    decision = await rig.processor.handle(second, d2)
    assert isinstance(decision, Retry)
    assert rig.outbox.replies == []
    await rig.deliver(first, d1)
    await rig.deliver(second, d2)
    record = await rig.repo.get(sid)
    assert [e.turn_id for e in record.transcript if e.role == "user"] == ["u1", "u2"]


async def test_an_answered_but_unacked_turn_does_not_hide_an_unanswered_one(tmp_path: Path) -> None:
    """u1 is answered but its ack is still in flight: u3 must still wait for u2."""
    rig = Rig(tmp_path)
    sid = await rig.session()
    turns = [text(sid, f"answer {i}", f"u{i}") for i in (1, 2, 3)]
    deliveries = [rig.queue.publish(t) for t in turns]
    assert isinstance(await rig.processor.handle(turns[0], deliveries[0]), Ack)  # not acked in the queue
    assert isinstance(await rig.processor.handle(turns[2], deliveries[2]), Retry)
    assert isinstance(await rig.processor.handle(turns[1], deliveries[1]), Ack)
    assert isinstance(await rig.processor.handle(turns[2], deliveries[2]), Ack)
    record = await rig.repo.get(sid)
    assert [e.turn_id for e in record.transcript if e.role == "user"] == ["u1", "u2", "u3"]


async def test_a_redelivered_turn_gets_no_second_reply(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    turn = text(sid, ANSWER, "u1")
    delivery = rig.queue.publish(turn)
    await rig.processor.handle(turn, delivery)  # answered but "crashed" before the ack
    decision = await rig.processor.handle(turn, delivery)  # the redelivery
    assert decision == Ack("duplicate")
    record = await rig.repo.get(sid)
    assert sum(1 for e in record.transcript if e.role == "assistant") == 1
    assert len(rig.llm.calls) == 1
    # the stored reply is re-published (the outbox de-duplicates by turn id downstream)
    first, again = rig.outbox.replies
    assert first.text == again.text and first.turn_id == again.turn_id


async def test_a_session_busy_elsewhere_is_retried(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    rig.leases.held[sid] = 99
    decision, _ = await rig.deliver(text(sid, "hello", "u1"))
    assert isinstance(decision, Retry)


async def test_llm_failure_reports_an_error_and_keeps_the_answer(tmp_path: Path) -> None:
    rig = Rig(tmp_path, FakeLLM(fail=LLMError("model crashed")))
    sid = await rig.session()
    decision, _ = await rig.deliver(text(sid, ANSWER, "u1"))
    assert isinstance(decision, Ack)
    assert [f.code for f in rig.outbox.failures] == ["reply_failed"]
    record = await rig.repo.get(sid)
    assert [e.text for e in record.transcript] == [ANSWER]


async def test_retryable_llm_failure_is_retried_once(tmp_path: Path) -> None:
    llm = FakeLLM(fail=LLMError("timeout", retryable=True))
    rig = Rig(tmp_path, llm)
    sid = await rig.session()
    await rig.deliver(text(sid, ANSWER, "u1"))
    assert len(llm.calls) == 2
    assert [f.code for f in rig.outbox.failures] == ["reply_failed"]


async def test_unknown_session_is_reported_not_retried(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    decision, _ = await rig.deliver(text("nope", "hello", "u1"))
    assert isinstance(decision, Ack)
    assert rig.outbox.failures[0].code == "session_not_found"


async def test_turns_after_the_end_are_refused(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()

    def end(r: SessionRecord) -> SessionRecord:
        r.status = "ended"
        return r

    await rig.repo.update(sid, end)
    await rig.deliver(text(sid, "one more thing", "u1"))
    assert rig.outbox.failures[0].code == "session_ended"
    assert (await rig.repo.get(sid)).transcript == []


async def test_a_stuck_predecessor_is_reported_and_skipped(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    stale = text(sid, "lost turn", "u0")
    rig.queue.publish(stale, age_s=1000)
    decision, _ = await rig.deliver(text(sid, "fresh turn", "u1"))
    assert isinstance(decision, Ack)
    assert [f.turn_id for f in rig.outbox.failures] == ["u0"]
    assert rig.outbox.replies[-1].turn_id == "u1"


class SlowLLM(FakeLLM):
    """Writes a reaction word by word, slowly, and counts what it wrote."""

    written = 0

    async def stream(self, messages, *, max_tokens, temperature, stop=()):  # type: ignore[no-untyped-def,override]
        self.calls.append(messages)
        for word in [
            "Okay,",
            "that",
            "gives",
            "me",
            "a",
            "clear",
            "picture",
            "of",
            "how",
            "the",
            "payment",
            "services",
            "run.",
        ]:
            await asyncio.sleep(0.05)
            self.written += 1
            yield word + " "


async def test_interrupt_stops_the_reply_and_marks_it(tmp_path: Path) -> None:
    """An interrupt while the model writes its reaction: the writing stops, and as the reaction is held back
    until it is checked, nothing of it was said, nor is anything stored as said."""
    llm = SlowLLM()
    rig = Rig(tmp_path, llm)
    sid = await rig.session()
    task = asyncio.create_task(rig.deliver(text(sid, ANSWER, "u1")))
    await asyncio.sleep(0.2)
    assert rig.processor.interrupt(sid, None)
    await asyncio.wait_for(task, 5)
    assert 0 < llm.written < 12
    assert rig.outbox.replies[-1].interrupted and rig.outbox.replies[-1].text == ""
    assert [c for c in rig.outbox.chunks if c[0] == "u1"] == []
    record = await rig.repo.get(sid)
    assert [e.role for e in record.transcript] == ["user"]


@pytest.mark.parametrize("reply", ["", "   "])
async def test_an_empty_model_reply_falls_back_to_the_planned_line(tmp_path: Path, reply: str) -> None:
    rig = Rig(tmp_path, FakeLLM(reply=reply))
    sid = await rig.session()
    await rig.deliver(UserTurn(session_id=sid, turn_id="start-s1", kind="start"))
    greeting = (await rig.repo.get(sid)).transcript[0].text
    assert "Ada" in greeting and greeting.endswith("?")


async def test_a_voice_turn_requests_its_speech_piece_by_piece_and_times_its_stages(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    spoken = UserTurn(
        session_id=sid, turn_id="v1", kind="speech", text="I use Kafka.", speak=True, transcribed_at=123.0
    )
    await rig.deliver(UserTurn(session_id=sid, turn_id="start-s1", kind="start", speak=True))
    await rig.deliver(spoken)
    for turn_id in ("start-s1", "v1"):
        pieces = sorted((r.index, r.text, r.final) for r in rig.outbox.spoken if r.turn_id == turn_id)
        assert [index for index, _, _ in pieces] == list(range(len(pieces)))  # no gap: the order is kept
        assert [final for *_, final in pieces].count(True) == 1
        said = " ".join(text for _, text, _ in pieces if text)
        stored = next(
            e.text
            for e in (await rig.repo.get(sid)).transcript
            if e.turn_id == turn_id and e.role == "assistant"
        )
        assert said.split() == stored.split()  # what is spoken is what was stored
    metrics = rig.outbox.replies[-1].metrics
    assert metrics["transcribed_at"] == 123.0 and metrics["turn_ended_at"] == spoken.ended_at
    assert (
        metrics["first_token_at"] >= spoken.ts and metrics["first_sentence_at"] >= metrics["first_token_at"]
    )


async def test_a_text_turn_requests_no_speech(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    await rig.deliver(text(sid, "typed", "u1"))
    assert rig.outbox.spoken == []


async def test_an_interrupted_voice_reply_keeps_only_what_was_heard(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    await rig.deliver(UserTurn(session_id=sid, turn_id="v1", kind="speech", text="My answer.", speak=True))
    full = (await rig.repo.get(sid)).transcript[-1]
    assert not full.interrupted
    # The reply was written before the candidate spoke over its audio: the stored one is cut afterwards.
    heard = " ".join(full.text.split()[:2])
    await rig.processor.keep_heard(sid, "v1", heard)
    await rig.processor.keep_heard(sid, "v1", heard)  # the same word from another replica: no change
    entry = (await rig.repo.get(sid)).transcript[-1]
    assert (entry.text, entry.interrupted, entry.source) == (heard, True, "voice")
    await rig.processor.keep_heard(sid, "unknown-turn", "x")  # not stored: nothing happens


async def test_an_interrupt_after_the_reaction_stores_the_heard_text(tmp_path: Path) -> None:
    """The reply is out (the voice still playing) when the candidate speaks over it: the transcript keeps
    only what they heard."""
    rig = Rig(tmp_path)
    sid = await rig.session()
    said = asyncio.Event()
    record_chunk = rig.outbox.chunk

    async def chunk(session_id: str, turn_id: str, index: int, text: str) -> None:
        await record_chunk(session_id, turn_id, index, text)
        assert rig.processor.interrupt(sid, "v1", heard_text="Thanks for sharing.")
        said.set()

    rig.outbox.chunk = chunk  # type: ignore[method-assign]
    await rig.deliver(UserTurn(session_id=sid, turn_id="v1", kind="speech", text=ANSWER, speak=True))
    assert said.is_set()
    entry = (await rig.repo.get(sid)).transcript[-1]
    assert (entry.text, entry.interrupted) == ("Thanks for sharing.", True)


async def _in_coding_phase(rig: Rig, sid: str) -> str:
    """Answer (typed) until the coding question is asked; returns the problem handed out."""
    await rig.deliver(UserTurn(session_id=sid, turn_id=f"start-{sid}", kind="start"))
    for n in range(20):
        await rig.deliver(text(sid, ANSWER * 3, f"a{n}"))
        record = await rig.repo.get(sid)
        if record.handed_out_problem():
            return record.handed_out_problem() or ""
    raise AssertionError("no problem was handed out")


async def test_the_problem_handed_out_is_on_the_reply_and_in_the_transcript(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session(itype="coding")
    problem = await _in_coding_phase(rig, sid)
    record = await rig.repo.get(sid)
    handing = [e for e in record.transcript if e.problem_id]
    assert len(handing) == 1 and handing[0].role == "assistant" and handing[0].phase == "coding"
    assert rig.outbox.replies[-1].problem_id == problem
    assert [r.problem_id for r in rig.outbox.replies].count(problem) == 1


async def test_a_run_is_a_turn_answered_once_and_kept_with_its_submission(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session(itype="coding")
    problem = await _in_coding_phase(rig, sid)
    run = CodeRun(
        submission_id="abc",
        problem_id=problem,
        language="python",
        verdict="wrong_answer",
        verdict_label="Wrong answer",
        passed=1,
        total=9,
    )
    turn = UserTurn(session_id=sid, turn_id="run-abc", kind="code_run", code_run=run)
    await rig.deliver(turn)
    await rig.deliver(turn)  # the same run told twice (REST and socket): one reply
    record = await rig.repo.get(sid)
    replies = [e for e in record.transcript if e.turn_id == "run-abc"]
    assert [(e.role, e.submission_id) for e in replies] == [("assistant", "abc")]
    assert replies[0].text.startswith("1 of 9 tests pass.")
    assert record.agent_state["runs"] == 1


async def test_speech_while_coding_that_asks_nothing_gets_an_empty_reply_and_is_kept(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session(itype="coding")
    await _in_coding_phase(rig, sid)
    chunks_before = len(rig.outbox.chunks)
    spoken = UserTurn(session_id=sid, turn_id="v1", kind="speech", text="so I keep a stack of the open ones")
    await rig.deliver(spoken)
    record = await rig.repo.get(sid)
    assert [(e.role, e.turn_id) for e in record.transcript[-1:]] == [("user", "v1")]
    assert rig.outbox.replies[-1].turn_id == "v1" and rig.outbox.replies[-1].text == ""
    assert len(rig.outbox.chunks) == chunks_before and "v1" in record.handled_turn_ids


async def test_a_question_about_the_cv_quotes_the_candidates_own_words(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "tools" / "cv" / "fixtures" / "one_column.pdf"
    analysis = analyze_cv(fixture.name, fixture.read_bytes())
    rig = Rig(tmp_path)
    await rig.repo.create(
        SessionRecord(
            session_id="s1",
            interview_type="google_sde",
            interview_type_name="X",
            candidate_name="Ada",
            cv_analysis=analysis,
        )
    )
    await rig.deliver(UserTurn(session_id="s1", turn_id="start-s1", kind="start"))
    for n in range(8):
        await rig.deliver(text("s1", ANSWER, f"u{n}"))
    said = [e.text for e in (await rig.repo.get("s1")).transcript if e.role == "assistant"]
    cited = [line for line in said if "where you wrote “" in line]
    assert cited, said
    quotes = {q for lines in cv_quotes(analysis).values() for q in lines}
    said_quotes = [q for line in cited for q in quotes if f"“{q}”" in line]
    assert len(said_quotes) == len(cited) == len(set(said_quotes))  # the CV's own words, each line once

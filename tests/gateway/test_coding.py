"""The coding round on the gateway, on fakes: the `problem` event (with/after the reply that hands it out,
and again on reconnect), the candidate's runs told to the interviewer as one turn each, and bad `code_run`s
answered with clear errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from pydantic import BaseModel

from services.gateway.coding import after_execute, run_turn_id
from services.gateway.deps import Deps
from services.gateway.protocol import ClientError
from services.gateway.ws import Conversation
from services.tools.problems import ProblemBank, ProblemNotFound, public_view
from shared import subjects
from shared.events import AssistantReply, Event, UserTurn
from shared.sessions import SessionRecord, SessionRepository, TranscriptEntry
from shared.storage import write_model
from shared.storage.local import LocalObjectStore
from shared.tools_api import (
    CodeSubmission,
    ProblemDetail,
    ProblemRef,
    QualityMetrics,
    TestOutcome,
    submission_key,
)
from tests.gateway.test_conversation import FakeSocket

BANK = ProblemBank.load()
PROBLEM = "first-unique-letter"


@dataclass
class FakeBus:
    """The tools' problem bank over request/reply, and the turn queue."""

    turns: list[UserTurn] = field(default_factory=list)
    published: list[Event] = field(default_factory=list)

    async def call_tool(self, subject: str, request: BaseModel, result_type: type, timeout_s: float) -> Any:
        assert subject == subjects.TOOLS_PROBLEMS_GET and isinstance(request, ProblemRef)
        try:
            return ProblemDetail(problem=public_view(BANK.get(request.problem_id)))
        except ProblemNotFound:
            raise AssertionError(f"unknown problem {request.problem_id}") from None

    async def publish_turn(self, turn: UserTurn) -> None:
        self.turns.append(turn)

    async def publish_metrics(self, event: Event) -> None:
        self.published.append(event)


@dataclass
class Rig:
    deps: Deps
    bus: FakeBus
    socket: FakeSocket
    talk: Conversation


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    store = LocalObjectStore(tmp_path)
    bus = FakeBus()
    deps = cast(
        Deps, type("FakeDeps", (), {"bus": bus, "store": store, "sessions": SessionRepository(store)})()
    )
    socket = FakeSocket()
    return Rig(deps, bus, socket, Conversation(cast(Any, socket), deps, "s1", speak=False))


async def _session(rig: Rig, *, handed_out: str | None = PROBLEM, sid: str = "s1") -> SessionRecord:
    record = SessionRecord(
        session_id=sid, interview_type="coding", interview_type_name="Coding", candidate_name="Ada"
    )
    record.transcript.append(
        TranscriptEntry(role="assistant", text="Hi", turn_id=f"start-{sid}", phase="introduction")
    )
    if handed_out:
        record.transcript.append(
            TranscriptEntry(
                role="assistant", text="Now a problem.", turn_id="a1", phase="coding", problem_id=handed_out
            )
        )
    return await rig.deps.sessions.create(record)


def _outcome(passed: bool, *, hidden: bool = False) -> TestOutcome:
    return TestOutcome.model_validate(
        {
            "input": ["aabbc"],
            "expected": 4,
            "actual": 4 if passed else 0,
            "passed": passed,
            "time_ms": 1.0,
            "verdict": "accepted" if passed else "wrong_answer",
            "verdict_label": "x",
            "hidden": hidden,
        }
    )


async def _submission(
    rig: Rig, problem_id: str | None = PROBLEM, *, sid: str = "s1", sub: str = "sub1"
) -> str:
    quality = QualityMetrics.model_validate(
        {
            "language": "python",
            "lines_of_code": 3,
            "comment_lines": 0,
            "blank_lines": 0,
            "comment_ratio": 0.0,
            "functions": [],
            "average_complexity": 1.0,
            "max_complexity": 1,
            "quality_score": 8.0,
            "deductions": [],
        }
    )
    tests = [_outcome(True), _outcome(False, hidden=True), _outcome(False)]
    submission = CodeSubmission(
        submission_id=sub,
        session_id=sid,
        submitted_at="2026-01-01T00:00:00+00:00",
        language="python",
        problem_id=problem_id,
        code="def f(): pass",
        verdict="wrong_answer",
        verdict_label="Wrong answer",
        all_tests_passed=False,
        passed_count=1,
        total=3,
        execution_time_ms=3.0,
        test_results=tests,
        quality_metrics=quality,
    )
    await write_model(rig.deps.store, submission_key(sid, sub), submission)
    return sub


async def test_the_reply_that_hands_out_a_problem_is_followed_by_the_problem_event(rig: Rig) -> None:
    reply = AssistantReply(session_id="s1", turn_id="a1", text="Now a coding problem.", problem_id=PROBLEM)
    await rig.talk.on_event("reply", reply.to_bytes())
    kinds = rig.socket.kinds()
    assert kinds.index("assistant_complete") < kinds.index("problem")
    problem = next(e for e in rig.socket.events if e["type"] == "problem")["problem"]
    assert problem["id"] == PROBLEM and problem["title"] and "exactly one" in problem["statement"]
    assert set(problem["templates"]) == {"python", "javascript", "java", "cpp"}
    assert "def first_unique_letter" in problem["templates"]["python"]
    assert "public class Main" in problem["templates"]["java"] and "int main()" in problem["templates"]["cpp"]
    assert problem["examples"] and problem["sample_tests"]
    hidden = [t for t in BANK.expanded_tests(BANK.get(PROBLEM)) if not t.sample]
    assert hidden and problem["hidden_test_count"] == len(hidden)
    shown = str(problem)
    assert not {"tests", "solution", "solutions", "hints"} & set(problem)
    assert all(str(t.args) not in shown for t in hidden if len(str(t.args)) > 12)


async def test_a_silent_reply_sends_nothing_but_listening(rig: Rig) -> None:
    await rig.talk.set_state("thinking")
    await rig.talk.on_event("reply", AssistantReply(session_id="s1", turn_id="v1", text="").to_bytes())
    assert "assistant_complete" not in rig.socket.kinds()
    assert rig.socket.kinds()[-1] == "state:listening" or "state:listening" in rig.socket.kinds()


async def test_a_reconnect_during_the_coding_round_gets_the_problem_again(rig: Rig) -> None:
    session = await _session(rig)
    await rig.talk.resend_problem(session)
    assert rig.socket.kinds() == ["problem"]
    session.transcript.append(TranscriptEntry(role="assistant", text="Next.", turn_id="a2", phase="scenario"))
    await rig.talk.resend_problem(session)
    assert rig.socket.kinds() == ["problem"]  # the round is over: not again


async def test_code_run_tells_the_interviewer_once_with_the_visible_failure_and_the_target(rig: Rig) -> None:
    await _session(rig)
    sub = await _submission(rig)
    await rig.talk.code_run(sub)
    turn = rig.bus.turns[-1]
    assert turn.turn_id == run_turn_id(sub) and turn.kind == "code_run" and turn.code_run is not None
    run = turn.code_run
    assert (run.problem_id, run.verdict, run.passed, run.total) == (PROBLEM, "wrong_answer", 1, 3)
    assert (
        run.failed_test is not None and run.failed_test.actual == 0
    )  # the visible failure, not the hidden one
    assert run.target_time == public_view(BANK.get(PROBLEM)).target_complexity.time
    await after_execute(rig.deps, "s1", sub)  # the REST call tells it too: the same turn id
    assert [t.turn_id for t in rig.bus.turns] == [turn.turn_id] * 2
    assert rig.socket.kinds()[-1] == "state:thinking"


@pytest.mark.parametrize(
    ("handed_out", "problem_id", "submission_id", "code"),
    [
        (PROBLEM, PROBLEM, "no-such-run", "submission_not_found"),
        (PROBLEM, PROBLEM, "../../sessions/s1", "submission_not_found"),
        (None, PROBLEM, "sub1", "no_problem"),
        (PROBLEM, "pair-sum-indices", "sub1", "not_the_problem"),
        (PROBLEM, None, "sub1", "not_the_problem"),
    ],
)
async def test_a_bad_code_run_is_a_clear_error_and_no_turn(
    rig: Rig, handed_out: str | None, problem_id: str | None, submission_id: str, code: str
) -> None:
    await _session(rig, handed_out=handed_out)
    await _submission(rig, problem_id)
    with pytest.raises(ClientError) as raised:
        await rig.talk.code_run(submission_id)
    assert raised.value.code == code and raised.value.message
    assert rig.bus.turns == []


async def test_another_sessions_run_is_not_found_here(rig: Rig) -> None:
    await _session(rig)
    await _session(rig, sid="s2")
    other = await _submission(rig, sid="s2", sub="theirs")
    with pytest.raises(ClientError) as raised:
        await rig.talk.code_run(other)
    assert raised.value.code == "submission_not_found" and rig.bus.turns == []


async def test_a_practice_run_outside_the_round_is_stored_but_not_told(rig: Rig) -> None:
    await _session(rig, handed_out=None)
    sub = await _submission(rig)
    await after_execute(rig.deps, "s1", sub)  # no error for the REST caller, and no turn
    assert rig.bus.turns == []


async def test_thinking_lasts_until_the_last_awaited_reply_then_listening(rig: Rig) -> None:
    await _session(rig)
    await rig.talk.text_turn("first")
    await rig.talk.text_turn("second")
    first, second = (t.turn_id for t in rig.bus.turns)
    await rig.talk.on_event("reply", AssistantReply(session_id="s1", turn_id=first, text="One.").to_bytes())
    assert rig.socket.kinds()[-1] != "state:listening"  # the second answer still waits for its reply
    await rig.talk.on_event("reply", AssistantReply(session_id="s1", turn_id=second, text="Two.").to_bytes())
    assert rig.socket.kinds()[-1] == "state:listening"


async def test_a_code_run_whose_reply_already_came_does_not_leave_thinking_on(rig: Rig) -> None:
    await _session(rig)
    sub = await _submission(rig)
    reply = AssistantReply(session_id="s1", turn_id=run_turn_id(sub), text="1 of 3 tests pass.")
    await rig.talk.on_event("reply", reply.to_bytes())  # the REST call told the interviewer first
    await rig.talk.code_run(sub)
    assert "state:thinking" not in rig.socket.kinds() and rig.talk.awaiting == set()

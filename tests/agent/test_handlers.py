"""The agent's NATS handlers on FastStream's in-memory TestNatsBroker (no server), in the application
exactly as `bootstrap.create_app` wires it, with the turn processor's ports faked."""

from __future__ import annotations

import asyncio
from pathlib import Path

from faststream import FastStream
from faststream.nats import NatsBroker, TestNatsBroker

from services.agent.bootstrap import create_app, create_interviewer
from services.agent.responders import ScriptedResponder
from services.agent.turns import Ack, Decision, TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.events import Interrupt, UserTurn
from shared.sessions import SessionRepository
from shared.storage.local import LocalObjectStore
from tests.agent.fakes import FakeLeases, FakeOutbox, FakeQueue


class RecordingProcessor(TurnProcessor):
    def __init__(self, tmp_path: Path) -> None:
        settings = Settings(llm_provider="scripted")
        super().__init__(
            SessionRepository(LocalObjectStore(tmp_path)),
            create_interviewer(settings, ScriptedResponder()),
            FakeQueue(),
            FakeLeases(),
            FakeOutbox(),
        )
        self.turns: list[UserTurn] = []
        self.interrupts: list[tuple[str, str | None]] = []
        self.heard: list[tuple[str, str, str]] = []

    async def handle(self, turn: UserTurn, delivery: object) -> Decision:  # type: ignore[override]
        self.turns.append(turn)
        return Ack("recorded")

    def interrupt(self, session_id: str, turn_id: str | None, heard_text: str | None = None) -> bool:
        self.interrupts.append((session_id, turn_id))
        return True

    async def keep_heard(self, session_id: str, turn_id: str, heard_text: str) -> None:
        self.heard.append((session_id, turn_id, heard_text))


def app_with(processor: TurnProcessor, tmp_path: Path) -> tuple[FastStream, NatsBroker]:
    app = create_app(Settings(llm_provider="scripted"), store=LocalObjectStore(tmp_path))
    app.context.set_global("turn_processor", processor)  # what the start-up hook does on a real broker
    assert isinstance(app.broker, NatsBroker)
    return app, app.broker


async def test_interrupts_reach_the_processor_and_junk_is_ignored(tmp_path: Path) -> None:
    processor = RecordingProcessor(tmp_path)
    _, broker = app_with(processor, tmp_path)
    async with TestNatsBroker(broker) as test_broker:
        await test_broker.publish(Interrupt(session_id="s1", turn_id="t1"), subjects.control("s1"))
        await test_broker.publish(b"{not json", subjects.control("s2"))  # dropped, no crash
        await test_broker.publish(Interrupt(session_id="s3"), subjects.control("s3"))
        heard = Interrupt(session_id="s4", turn_id="t4", source="speech", heard_text="Good point,")
        await test_broker.publish(heard, subjects.control("s4"))
    assert processor.interrupts == [("s1", "t1"), ("s3", None), ("s4", "t4")]
    assert processor.heard == [("s4", "t4", "Good point,")]


async def test_turns_reach_the_processor_typed_and_junk_is_dropped(nats_url: str, tmp_path: Path) -> None:
    """On a real nats-server: TestNatsBroker has no JetStream delivery metadata."""
    settings = Settings(nats_url=nats_url, llm_provider="scripted", data_dir=tmp_path)
    app = create_app(settings, store=LocalObjectStore(tmp_path))
    processor = RecordingProcessor(tmp_path)
    async with app:  # runs the start-up hooks: streams, buckets, the real processor
        app.context.set_global("turn_processor", processor)
        broker = app.broker
        assert isinstance(broker, NatsBroker)
        js = broker.connection.jetstream()
        session = f"s-{tmp_path.name}"
        await js.publish(subjects.turn(session), b'{"kind": "telepathy"}')  # not a UserTurn
        turn = UserTurn(session_id=session, kind="text", text="I would use a hash map.")
        await js.publish(subjects.turn(session), turn.to_bytes())
        for _ in range(100):
            if processor.turns:
                break
            await asyncio.sleep(0.05)
        assert processor.turns == [turn]
        # Acked and rejected alike, both are gone from the work queue: nothing waits for a redelivery.
        for _ in range(40):
            info = await js.stream_info(subjects.TURNS_STREAM, subjects_filter=subjects.turn(session))
            if not info.state.subjects:
                break
            await asyncio.sleep(0.05)
        assert not info.state.subjects

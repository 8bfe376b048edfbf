"""The agent's NATS handlers on FastStream's in-memory TestNatsBroker (no server)."""

from __future__ import annotations

from pathlib import Path

from faststream.nats import TestNatsBroker

from services.agent.handlers import build_router
from services.agent.interviewer import Interviewer
from services.agent.responders import ScriptedResponder
from services.agent.turns import TurnProcessor
from shared import subjects
from shared.config import Settings
from shared.events import Interrupt
from shared.messaging import make_broker
from shared.sessions import SessionRepository
from shared.storage.local import LocalObjectStore
from tests.agent.fakes import FakeLeases, FakeOutbox, FakeQueue


def processor(tmp_path: Path) -> TurnProcessor:
    interviewer = Interviewer(ScriptedResponder(), context_tokens=4096, max_reply_tokens=64)
    repo = SessionRepository(LocalObjectStore(tmp_path))
    return TurnProcessor(repo, interviewer, FakeQueue(), FakeLeases(), FakeOutbox())


async def test_interrupts_reach_the_processor(tmp_path: Path) -> None:
    proc = processor(tmp_path)
    calls: list[tuple[str, str | None]] = []
    proc.interrupt = lambda sid, tid: calls.append((sid, tid)) or True  # type: ignore[method-assign]
    settings = Settings()
    broker = make_broker(settings, "test")
    broker.include_router(build_router(proc, settings, concurrency=1))
    async with TestNatsBroker(broker) as test_broker:
        await test_broker.publish(Interrupt(session_id="s1", turn_id="t1").to_bytes(), subjects.control("s1"))
        await test_broker.publish(b"{not json", subjects.control("s2"))  # ignored, no crash
    assert calls == [("s1", "t1")]

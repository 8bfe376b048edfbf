"""The STT's NATS handlers in the application exactly as `bootstrap.create_app` wires it: playback updates
reach the board (in-memory TestNatsBroker), claims are acked, nak'ed or left as the follower decides (a
real nats-server: TestNatsBroker has no JetStream delivery metadata). Building the app loads no model."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from faststream.nats import NatsBroker, TestNatsBroker
from faststream.specification import AsyncAPI

from services.stt.bootstrap import create_app, endpoint_rules
from services.stt.claims import ClaimDelivery, ClaimFollower, ClaimOutcome
from services.stt.playback import PlaybackBoard
from services.stt.vad import SileroVad
from services.stt.whisper import WhisperSpeechModel
from shared import subjects
from shared.config import Settings
from shared.events import PlaybackUpdate, VoiceClaim
from shared.storage.local import LocalObjectStore
from tests.stt.fakes import EnergyVad, MemoryAudio, MemoryProgress, ToneModel, pipeline


def test_building_the_app_loads_nothing_and_documents_the_subjects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_loading(self: object) -> None:
        pytest.fail("a model was loaded while building the app")

    monkeypatch.setattr(WhisperSpeechModel, "load", no_loading)
    monkeypatch.setattr(SileroVad, "load", no_loading)
    app = create_app(Settings(data_dir=tmp_path))  # what `make docs` does: nothing connects, nothing loads
    assert isinstance(app.broker, NatsBroker)
    document = json.loads(AsyncAPI(app.broker, title="stt").to_specification().to_json())
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {
        subjects.VOICE_SUBJECTS[0],
        subjects.PLAYBACK_ALL,
        subjects.out("{session_id}", "transcript"),
        subjects.out("{session_id}", "bargein"),
        subjects.out("{session_id}", "error"),
        subjects.speculate("{session_id}"),
        subjects.turn("{session_id}"),
    } <= addresses


def test_the_endpoint_settings_reach_the_rules() -> None:
    settings = Settings(
        endpoint_silence_ms=700,
        endpoint_unfinished_silence_ms=2000,
        endpoint_coding_factor=3.0,
        bargein_min_speech_ms=500,
    )
    rules = endpoint_rules(settings)
    assert (
        rules.silence_ms,
        rules.unfinished_silence_ms,
        rules.coding_factor,
        rules.bargein_min_speech_ms,
    ) == (
        700,
        2000,
        3.0,
        500,
    )


async def test_playback_updates_reach_the_board_and_junk_is_ignored(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), model=ToneModel(), vad=EnergyVad())
    board = app.context.get("playback")
    assert isinstance(board, PlaybackBoard) and isinstance(app.broker, NatsBroker)
    async with TestNatsBroker(app.broker) as broker:
        await broker.publish(b"{not json", subjects.playback("s1"))
        update = PlaybackUpdate(
            session_id="s1", turn_id="r1", text="Tell me more.", playing_until=2e9, ts=1e9
        )
        await broker.publish(update, subjects.playback("s1"))
    assert board.playing("s1", at=1.5e9) == "Tell me more."
    assert board.playing("s1", at=3e9) is None


class ScriptedFollower(ClaimFollower):
    def __init__(self, tmp_path: Path, outcomes: dict[str, ClaimOutcome]) -> None:
        super().__init__(
            audio=MemoryAudio(), progress=MemoryProgress(), pipeline=pipeline(tmp_path), heartbeat_s=1
        )
        self.outcomes = outcomes
        self.seen: list[tuple[str, int]] = []

    async def follow(self, claim: VoiceClaim, delivery: ClaimDelivery) -> ClaimOutcome:
        self.seen.append((claim.socket_id, delivery.num_delivered))
        return self.outcomes[claim.socket_id]


async def test_claims_are_acked_nakd_or_left_as_the_follower_says(nats_url: str, tmp_path: Path) -> None:
    settings = Settings(nats_url=nats_url, data_dir=tmp_path)
    app = create_app(settings, model=ToneModel(), vad=EnergyVad(), store=LocalObjectStore(tmp_path))
    follower = ScriptedFollower(
        tmp_path,
        {
            "done": ClaimOutcome("ack", "the socket closed"),
            "again": ClaimOutcome("nak", "shutting down", delay_s=0.2),
        },
    )
    session = f"h-{tmp_path.name[-12:]}".replace("_", "-")
    async with app:  # the start-up hook builds the real follower on the broker's connection
        assert isinstance(app.context.get("claims"), ClaimFollower)
        app.context.set_global("claims", follower)
        assert isinstance(app.broker, NatsBroker)
        js = app.broker.connection.jetstream()
        await js.publish(subjects.voice_claim(session), b'{"socket_id": 3}')  # not a VoiceClaim: dropped
        for socket in ("done", "again"):
            claim = VoiceClaim(session_id=session, socket_id=socket, first_seq=1)
            await js.publish(subjects.voice_claim(session), claim.to_bytes())
        for _ in range(100):
            if ("again", 2) in follower.seen:
                break
            await asyncio.sleep(0.05)
        follower.outcomes["again"] = ClaimOutcome("ack", "done now")
        for _ in range(100):
            info = await js.consumer_info(subjects.VOICE_STREAM, subjects.STT_CLAIMS_CONSUMER)
            if ("again", 3) in follower.seen or info.num_ack_pending == 0:
                break
            await asyncio.sleep(0.05)
    assert ("done", 1) in follower.seen
    assert [n for s, n in follower.seen if s == "again"][:2] == [1, 2]  # nak'ed: delivered again
    assert follower.seen.count(("done", 1)) == 1  # acked: never again

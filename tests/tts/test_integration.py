"""The TTS service on a real nats-server: sentences in through the SPEECH work queue, WAVs out on
`prepai.out.{sid}.audio`; an interrupt stops a reply; a replica killed mid-sentence loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
import time
import uuid
import wave
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import nats
import numpy as np
import pytest
from faststream import FastStream
from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from services.tts.bootstrap import Engines, create_app
from shared import subjects
from shared.config import REPO_ROOT, Settings
from shared.events import Interrupt, SpeakRequest, SpeechAudio
from shared.storage.local import LocalObjectStore
from tests.tts.fakes import FakeEngine

pytestmark = pytest.mark.integration

ACK_WAIT_S = 1.0


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[Client]:
    """A client of the test's own, and a fresh TTS consumer: the one `ensure_streams` creates next gets this
    test's short ack wait, and no sentence left by another test is waiting in the queue."""
    client = await nats.connect(nats_url)
    js = client.jetstream()
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(subjects.SPEECH_STREAM, subjects.TTS_SENTENCES_CONSUMER)
    with contextlib.suppress(NotFoundError):
        await js.purge_stream(subjects.SPEECH_STREAM)
    yield client
    with contextlib.suppress(NotFoundError):  # the next user of the server gets the default consumer
        await js.delete_consumer(subjects.SPEECH_STREAM, subjects.TTS_SENTENCES_CONSUMER)
    await client.close()


def settings_for(nats_url: str, tmp_path: Path, **overrides: object) -> Settings:
    fields: dict[str, object] = {"nats_url": nats_url, "data_dir": tmp_path, "voice_ack_wait_s": ACK_WAIT_S}
    return Settings.model_validate(fields | overrides)


class Listener:
    """Every SpeechAudio of one session, as the gateway would receive it."""

    def __init__(self) -> None:
        self.audio: list[SpeechAudio] = []
        self.arrived: list[float] = []

    async def on_msg(self, msg: Msg) -> None:
        self.audio.append(SpeechAudio.model_validate_json(msg.data))
        self.arrived.append(time.monotonic())

    async def wait_for(self, done: Callable[[list[SpeechAudio]], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not done(self.audio):
            assert time.monotonic() < deadline, f"timed out with {[(a.turn_id, a.index) for a in self.audio]}"
            await asyncio.sleep(0.02)


async def listen(nc: Client, session_id: str) -> Listener:
    listener = Listener()
    await nc.subscribe(subjects.out(session_id, "audio"), cb=listener.on_msg)
    await nc.flush()
    return listener


async def speak(nc: Client, session_id: str, turn_id: str, sentences: list[str]) -> None:
    js = nc.jetstream()
    for index, text in enumerate(sentences):
        request = SpeakRequest(
            session_id=session_id, turn_id=turn_id, index=index, text=text, final=index == len(sentences) - 1
        )
        await js.publish(subjects.speak(session_id), request.to_bytes())


async def queue_drained(nc: Client, session_id: str, timeout: float = 5.0) -> None:
    """Every sentence of the session acked (or terminated): the work queue holds none."""
    js = nc.jetstream()
    deadline = time.monotonic() + timeout
    while True:
        info = await js.stream_info(subjects.SPEECH_STREAM, subjects_filter=subjects.speak(session_id))
        if not info.state.subjects:
            return
        assert time.monotonic() < deadline, f"still queued: {info.state.subjects}"
        await asyncio.sleep(0.05)


def session() -> str:
    return f"s-{uuid.uuid4().hex[:12]}"


async def test_sentences_come_back_as_wavs_with_the_real_engine(
    nc: Client, nats_url: str, tmp_path: Path
) -> None:
    pytest.importorskip("piper")
    app = create_app(settings_for(nats_url, tmp_path), store=LocalObjectStore(tmp_path))
    sid, turn = session(), uuid.uuid4().hex
    sentences = [
        "Great, thanks.",
        "Let's talk about **caching**.",
        "What is the cost of a miss, in O(1) terms?",
    ]
    async with app:
        listener = await listen(nc, sid)
        started = time.monotonic()
        await nc.jetstream().publish(subjects.speak(sid), b'{"text": "no turn id"}')  # unreadable: dropped
        await speak(nc, sid, turn, sentences)
        await listener.wait_for(lambda audio: len(audio) == 3)
        first_audio_s = min(listener.arrived) - started
        await queue_drained(nc, sid)
    assert first_audio_s < 2.0
    by_index = {a.index: a for a in listener.audio}
    assert sorted(by_index) == [0, 1, 2] and [by_index[i].final for i in range(3)] == [False, False, True]
    for index, text in enumerate(sentences):
        audio = by_index[index]
        assert audio.turn_id == turn and audio.text == text and not audio.failed and audio.wav is not None
        with wave.open(io.BytesIO(audio.wav)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22_050)
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        assert 0.5 < audio.duration_s < 6 and np.sqrt(np.mean(samples**2)) > 800
        assert (tmp_path / f"recordings/{sid}/{turn}/reply-{index:03d}.wav").read_bytes() == audio.wav


async def test_an_interrupt_drops_the_rest_of_the_turn(nc: Client, nats_url: str, tmp_path: Path) -> None:
    engine = FakeEngine(delay_s=0.25)
    app = create_app(
        settings_for(nats_url, tmp_path, tts_concurrency=2),
        engines=Engines(engine),
        store=LocalObjectStore(tmp_path),
    )
    sid, turn = session(), uuid.uuid4().hex
    async with app:
        listener = await listen(nc, sid)
        await speak(nc, sid, turn, [f"Sentence number {i} of a long reply." for i in range(10)])
        await listener.wait_for(lambda audio: len(audio) >= 1)
        await nc.publish(subjects.control(sid), Interrupt(session_id=sid, turn_id=turn).to_bytes())
        interrupted = time.monotonic()
        await queue_drained(nc, sid, timeout=1.0)  # the rest is acked without synthesis, at once
        drained_s = time.monotonic() - interrupted
        await asyncio.sleep(0.5)
        # The next reply of the session is spoken as usual.
        await speak(nc, sid, "next-turn", ["Next question."])
        await listener.wait_for(lambda audio: any(a.turn_id == "next-turn" for a in audio))
    of_turn = [a for a in listener.audio if a.turn_id == turn]
    assert len(of_turn) < 10
    # Nothing of the interrupted turn went out after the interrupt (a sentence in synthesis is dropped too).
    late = [
        t - interrupted for a, t in zip(listener.audio, listener.arrived, strict=True) if a.turn_id == turn
    ]
    assert max(late) < 0.05, late
    # Nothing new started after it: beyond the sentences heard, only the two in flight were made...
    starts = [
        t for text, t in zip(engine.said, engine.started, strict=True) if text.startswith("Sentence number")
    ]
    assert len(starts) <= len(of_turn) + 2 and max(starts) < interrupted + 0.05
    # ... and the rest left the queue as soon as a worker was free (the in-flight synthesis, 0.25 s).
    assert drained_s < 0.25 + 0.3


async def test_a_replica_killed_mid_sentence_loses_nothing(nc: Client, nats_url: str, tmp_path: Path) -> None:
    sid, turn = session(), uuid.uuid4().hex
    marker = tmp_path / "holding.txt"
    env = os.environ | {
        "PREPAI_NATS_URL": nats_url,
        "PREPAI_DATA_DIR": str(tmp_path / "hanging"),
        "PREPAI_VOICE_ACK_WAIT_S": str(ACK_WAIT_S),
        "PREPAI_TTS_CONCURRENCY": "1",
        "TTS_TEST_MARKER": str(marker),
    }
    log_path = tmp_path / "hanging.log"
    with log_path.open("wb") as log:
        hanging = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.tts.hanging_replica", cwd=REPO_ROOT, env=env, stdout=log, stderr=log
        )
    try:
        listener = await listen(nc, sid)
        await speak(nc, sid, turn, ["The first sentence, which the doomed replica takes.", "The second one."])
        deadline = time.monotonic() + 20
        while not marker.exists():  # the hanging replica holds sentence 0 (it takes one at a time)
            assert hanging.returncode is None, log_path.read_text()
            assert time.monotonic() < deadline, "the hanging replica never took a sentence"
            await asyncio.sleep(0.05)
        assert marker.read_text().startswith("The first sentence")
        healthy = create_app(
            settings_for(nats_url, tmp_path), engines=Engines(FakeEngine()), store=LocalObjectStore(tmp_path)
        )
        async with healthy:
            await listener.wait_for(lambda audio: {a.index for a in audio} == {1}, timeout=5)
            hanging.kill()  # SIGKILL mid-sentence: no ack, no more heartbeats
            await asyncio.wait_for(hanging.wait(), 10)
            killed = time.monotonic()
            await listener.wait_for(lambda audio: {a.index for a in audio} == {0, 1}, timeout=10)
            redelivered_after_s = listener.arrived[-1] - killed
            await queue_drained(nc, sid)
            await asyncio.sleep(ACK_WAIT_S + 0.5)  # time enough for a duplicate to show up
    finally:
        if hanging.returncode is None:
            hanging.kill()
            await hanging.wait()
    assert sorted(a.index for a in listener.audio) == [
        0,
        1,
    ]  # each exactly once: the dead replica said nothing
    assert all(a.wav and not a.failed for a in listener.audio)
    assert redelivered_after_s < ACK_WAIT_S + 1.5


async def test_interrupts_reach_every_replica(nc: Client, nats_url: str, tmp_path: Path) -> None:
    apps: list[FastStream] = [
        create_app(
            settings_for(nats_url, tmp_path), engines=Engines(FakeEngine()), store=LocalObjectStore(tmp_path)
        )
        for _ in range(2)
    ]
    sid = session()
    async with apps[0], apps[1]:
        await nc.publish(subjects.control(sid), Interrupt(session_id=sid, turn_id="t1").to_bytes())
        await nc.publish(subjects.control(sid), b"not an interrupt")  # ignored, nothing breaks
        await nc.flush()
        for app in apps:
            speaker = app.context.get("speaker")
            for _ in range(100):
                if speaker.interrupts.covers(sid, "t1", 0.0):
                    break
                await asyncio.sleep(0.01)
            assert speaker.interrupts.covers(sid, "t1", 0.0)
            assert isinstance(app.broker, NatsBroker)

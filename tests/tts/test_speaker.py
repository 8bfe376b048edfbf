"""The speaker (service layer) with fake engines, a local store and an in-memory outbox."""

from __future__ import annotations

import asyncio
import io
import logging
import wave
from pathlib import Path

import pytest

from services.tts.speaker import Speaker
from shared.events import Interrupt, SpeakRequest
from shared.storage import StorageError
from shared.storage.local import LocalObjectStore
from tests.tts.fakes import (
    BlockingEngine,
    FailingEngine,
    FakeEngine,
    RecordingOutbox,
    SilentEngine,
    UnsafeEngine,
)


def request(index: int = 0, text: str = "Tell me about a project you led.", **kw: object) -> SpeakRequest:
    fields: dict[str, object] = {"session_id": "s1", "turn_id": "t1", "index": index, "text": text} | kw
    return SpeakRequest.model_validate(fields)


def speaker(tmp_path: Path, engine: object | None = None, **kw: object) -> tuple[Speaker, RecordingOutbox]:
    outbox = RecordingOutbox()
    return Speaker(engine or FakeEngine(), store=LocalObjectStore(tmp_path), outbox=outbox, **kw), outbox  # type: ignore[arg-type]


def frames(wav: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(wav)) as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()


async def test_a_sentence_becomes_a_wav_with_its_order_data_and_a_recording(tmp_path: Path) -> None:
    engine = FakeEngine(sample_rate=16_000)
    tts, outbox = speaker(tmp_path, engine)
    spoken = await tts.speak(request(index=3, text="**Great.** That's O(n).", final=True))
    assert spoken.status == "spoken" and spoken.engine == "fake"
    assert engine.said == ["Great. That's O of n."]
    [audio] = outbox.published
    assert (audio.session_id, audio.turn_id, audio.index, audio.final) == ("s1", "t1", 3, True)
    assert audio.text == "**Great.** That's O(n)."  # the text as written: the gateway shows/logs it
    assert audio.wav is not None and not audio.failed and audio.audio_key is None
    channels, width, rate, n = frames(audio.wav)
    assert (channels, width, rate) == (1, 2, 16_000)
    assert audio.duration_s == pytest.approx(n / rate, abs=0.001) and audio.duration_s > 0.5
    recording = tmp_path / "recordings/s1/t1/reply-003.wav"
    assert recording.read_bytes() == audio.wav
    # On the wire the WAV is base64 in JSON, and parses back to the same bytes.
    assert type(audio).model_validate_json(audio.to_bytes()).wav == audio.wav


async def test_a_sentence_made_ahead_is_sent_at_once_when_its_turn_comes(tmp_path: Path) -> None:
    """A reply written before the turn was certain: its sentence is synthesised and kept, not played; the
    real request for the same words (from any replica: the audio is in storage) sends it without the engine."""
    engine = FakeEngine(sample_rate=16_000)
    tts, outbox = speaker(tmp_path, engine)
    ahead = await tts.speak(request(text="Thanks, that's clear.", ahead=True))
    assert ahead.status == "ahead" and outbox.published == []
    assert len(list((tmp_path / "tts-ahead/s1").iterdir())) == 1
    other_replica, outbox = speaker(tmp_path, engine)
    spoken = await other_replica.speak(request(text="Thanks, that's clear."))
    assert spoken.status == "spoken" and spoken.engine == "fake (made ahead)"
    assert engine.said == ["Thanks, that's clear."]  # synthesised once
    [audio] = outbox.published
    assert audio.wav is not None and audio.duration_s > 0
    assert (tmp_path / "recordings/s1/t1/reply-000.wav").read_bytes() == audio.wav
    assert list((tmp_path / "tts-ahead/s1").iterdir()) == []  # used once


async def test_a_real_request_waits_for_its_sentence_still_being_made_ahead(tmp_path: Path) -> None:
    engine = BlockingEngine()
    tts, outbox = speaker(tmp_path, engine)
    ahead = asyncio.create_task(tts.speak(request(text="Thanks, that's clear.", ahead=True)))
    await asyncio.to_thread(engine.holding.wait, 5)
    real = asyncio.create_task(tts.speak(request(text="Thanks, that's clear.")))
    await asyncio.sleep(0.05)
    assert not real.done()  # waiting for the synthesis in progress, not starting a second one
    engine.release.set()
    spoken, made = await asyncio.wait_for(asyncio.gather(real, ahead), 5)
    assert spoken.engine == "blocking (made ahead)" and made.status == "ahead"
    assert engine.said == ["Thanks, that's clear."] and len(outbox.published) == 1
    assert not (tmp_path / "tts-ahead").exists()  # taken at once: nothing left in storage


async def test_a_sentence_made_ahead_is_not_used_for_other_words(tmp_path: Path) -> None:
    engine = FakeEngine(sample_rate=16_000)
    tts, outbox = speaker(tmp_path, engine)
    await tts.speak(request(text="Thanks, that's clear.", ahead=True))
    spoken = await tts.speak(request(text="Let's move on."))
    assert spoken.engine == "fake" and engine.said == ["Thanks, that's clear.", "Let's move on."]
    assert len(outbox.published) == 1


async def test_nothing_to_say_keeps_the_index_with_no_audio(tmp_path: Path) -> None:
    engine = FakeEngine()
    tts, outbox = speaker(tmp_path, engine)
    assert (await tts.speak(request(index=4, text="```\nx = 1\n```", final=True))).status == "silent"
    [audio] = outbox.published
    assert (audio.index, audio.final, audio.wav, audio.duration_s, audio.failed) == (
        4,
        True,
        None,
        0.0,
        False,
    )
    assert engine.said == []


async def test_a_sentence_the_engine_fails_on_is_said_by_the_fallback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    primary, fallback = FailingEngine("piper", fail_on="queue"), FakeEngine("espeak", sample_rate=22_050)
    tts, outbox = speaker(tmp_path, primary, fallback=fallback)
    with caplog.at_level(logging.WARNING):
        first = await tts.speak(request(0, "How would you design a queue?"))
        second = await tts.speak(request(1, "And a stack?"))
    assert (first.status, first.engine, second.engine) == ("spoken", "espeak", "piper")
    assert "piper failed on sentence 0 of turn t1" in caplog.text and "trying espeak" in caplog.text
    assert frames(outbox.published[0].wav or b"")[2] == 22_050  # each WAV carries its own engine's rate
    assert frames(outbox.published[1].wav or b"")[2] == 16_000


async def test_empty_audio_counts_as_a_failure_of_that_engine(tmp_path: Path) -> None:
    tts, _ = speaker(tmp_path, SilentEngine("piper"), fallback=FakeEngine("espeak"))
    assert (await tts.speak(request())).engine == "espeak"
    tts, _ = speaker(tmp_path, SilentEngine("piper"))
    assert (await tts.speak(request())).status == "failed"


async def test_a_sentence_no_engine_can_say_is_reported_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tts, outbox = speaker(tmp_path, FailingEngine("piper"), fallback=FailingEngine("espeak"))
    with caplog.at_level(logging.ERROR):
        spoken = await tts.speak(request(index=2, final=True))
    assert spoken.status == "failed"
    [audio] = outbox.published
    assert (audio.index, audio.final, audio.failed, audio.wav) == (2, True, True, None)
    assert "no engine could say sentence 2" in caplog.text


async def test_a_hung_engine_times_out_into_the_fallback(tmp_path: Path) -> None:
    hung = BlockingEngine()
    tts, _ = speaker(tmp_path, hung, fallback=FakeEngine("espeak"), synthesis_timeout_s=0.2)
    try:
        spoken = await asyncio.wait_for(tts.speak(request()), 5)
    finally:
        hung.release.set()
    assert (spoken.status, spoken.engine) == ("spoken", "espeak")


async def test_a_large_wav_goes_by_reference(tmp_path: Path) -> None:
    tts, outbox = speaker(tmp_path, max_inline_bytes=10_000)
    spoken = await tts.speak(request(index=1, text="A long sentence that makes a WAV larger than the limit."))
    [audio] = outbox.published
    assert audio.wav is None and audio.audio_key == "recordings/s1/t1/reply-001.wav" == spoken.audio_key
    stored = (tmp_path / audio.audio_key).read_bytes()
    assert len(stored) > 10_000 and frames(stored)[0] == 1
    assert audio.duration_s > 1


class BrokenStore(LocalObjectStore):
    async def put(self, key: str, data: bytes, **kw: object) -> str:
        raise StorageError("disk on fire")


async def test_storage_failures(tmp_path: Path) -> None:
    # Inline: the candidate still hears the sentence; only the recording is lost.
    outbox = RecordingOutbox()
    tts = Speaker(FakeEngine(), store=BrokenStore(tmp_path), outbox=outbox)
    assert (await tts.speak(request())).status == "spoken"
    assert outbox.published[-1].wav is not None
    # By reference: the audio cannot reach the gateway, so the sentence is reported failed (never stuck).
    tts = Speaker(FakeEngine(), store=BrokenStore(tmp_path), outbox=outbox, max_inline_bytes=100)
    assert (await tts.speak(request(index=1))).status == "failed"
    assert outbox.published[-1].failed


async def test_sentences_of_an_interrupted_turn_are_skipped(tmp_path: Path) -> None:
    engine = FakeEngine()
    tts, outbox = speaker(tmp_path, engine)
    await tts.speak(request(0, "First sentence."))
    assert tts.interrupt(Interrupt(session_id="s1", turn_id="t1"))
    assert not tts.interrupt(Interrupt(session_id="s1", turn_id="t1"))
    assert (await tts.speak(request(1, "Second sentence."))).status == "skipped"
    assert (await tts.speak(request(2, "Third.", final=True))).status == "skipped"
    assert [a.index for a in outbox.published] == [0]
    assert engine.said == ["First sentence."]
    # Another turn of the session speaks.
    assert (await tts.speak(request(0, "Next reply.", turn_id="t2"))).status == "spoken"


async def test_an_interrupt_without_a_turn_stops_the_sentences_requested_before_it(tmp_path: Path) -> None:
    tts, _ = speaker(tmp_path)
    earlier = request(0, "Already queued.", ts=1000.0)
    tts.interrupt(Interrupt(session_id="s1", ts=1001.0))
    assert (await tts.speak(earlier)).status == "skipped"
    assert (await tts.speak(request(0, "A later reply.", turn_id="t2", ts=1002.0))).status == "spoken"


async def test_an_interrupt_during_synthesis_drops_that_audio(tmp_path: Path) -> None:
    engine = BlockingEngine()
    tts, outbox = speaker(tmp_path, engine)
    task = asyncio.create_task(tts.speak(request()))
    assert await asyncio.to_thread(engine.holding.wait, 5)
    tts.interrupt(Interrupt(session_id="s1", turn_id="t1"))
    engine.release.set()
    assert (await task).status == "skipped"
    assert outbox.published == []


async def test_an_engine_that_is_not_thread_safe_is_serialised(tmp_path: Path) -> None:
    engine = UnsafeEngine()
    tts, outbox = speaker(tmp_path, engine)
    await asyncio.gather(*(tts.speak(request(i, f"Sentence number {i}.")) for i in range(4)))
    assert not engine.overlapped and len(outbox.published) == 4


async def test_synthesis_runs_off_the_event_loop(tmp_path: Path) -> None:
    tts, _ = speaker(tmp_path, FakeEngine(delay_s=0.3))
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await tts.speak(request())
    ticker.cancel()
    assert ticks >= 10  # the loop kept running while the engine worked


async def test_warm_up_drops_an_engine_that_fails_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tts, _ = speaker(tmp_path, FakeEngine("piper"), fallback=FakeEngine("espeak"))
    assert await tts.warm_up() >= 0 and tts.engine.name == "piper" and tts.fallback is not None
    tts, _ = speaker(tmp_path, FailingEngine("piper"), fallback=FakeEngine("espeak"))
    with caplog.at_level(logging.WARNING):
        await tts.warm_up()
    assert tts.engine.name == "espeak" and tts.fallback is None
    assert (
        "piper engine failed its warm-up" in caplog.text
        and "speaking with espeak instead of piper" in caplog.text
    )
    tts, _ = speaker(tmp_path, FailingEngine("piper"))
    with pytest.raises(RuntimeError, match="no TTS engine works"):
        await tts.warm_up()

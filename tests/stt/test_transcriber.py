"""The socket transcriber with fakes at its ports: segments decoded at pauses, partials, speculation, the
final turn and its recording, echo against barge-in, bad audio, resuming from a checkpoint."""

from __future__ import annotations

import asyncio
import io
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.stt.audio import Samples
from services.stt.domain.prompting import TurnContext
from services.stt.domain.turn_taking import EndpointRules
from services.stt.playback import PlaybackBoard
from services.stt.transcriber import LeaseLost, Pipeline, Resume, Transcription
from shared.events import AudioChunk, PlaybackUpdate, ProvisionalTurn, TranscriptUpdate, UserTurn
from shared.storage.local import LocalObjectStore
from tests.stt.fakes import (
    SR,
    T0,
    FakeContext,
    FakeOutbox,
    MemoryCheckpoints,
    ToneModel,
    audio,
    chunks,
    pcm,
    pipeline,
    play,
    tone,
    transcriber,
)


def outbox_of(pipe: Pipeline) -> FakeOutbox:
    assert isinstance(pipe.outbox, FakeOutbox)
    return pipe.outbox


def model_of(pipe: Pipeline) -> ToneModel:
    assert isinstance(pipe.decoder.model, ToneModel)
    return pipe.decoder.model


async def test_an_answer_with_a_pause_is_one_turn_decoded_at_the_pauses(tmp_path: Path):
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe)
    await play(stt, chunks(audio(300.0, "i would use a hash map because", 500.0, "it is fast", 1500.0)))
    out = outbox_of(pipe)
    (turn,) = out.turns
    assert turn.text == "i would use a hash map because it is fast"
    assert turn.turn_id == "sock-0" and turn.kind == "speech" and turn.speak
    finals = [c for c in model_of(pipe).calls if c["words"]]
    assert len(finals) == 2  # one per segment, both at pauses: nothing left to decode at the end
    assert finals[1]["prompt"] == "i would use a hash map because"  # the words so far prompt the next segment
    assert out.transcripts[-1] == TranscriptUpdate(
        session_id="s1", turn_id="sock-0", text=turn.text, is_final=True, ts=out.transcripts[-1].ts
    )
    assert all(not t.is_final for t in out.transcripts[:-1]) and out.transcripts[:-1]


class LoneWordModel(ToneModel):
    """Whisper's habit on a clip holding one word and a pause: the word twice ("Sorry. Sorry.")."""

    def transcribe(self, audio: Samples, **options: Any) -> Transcription:
        heard = super().transcribe(audio, **options)
        if len(heard.text.split()) == 1:
            return Transcription(f"{heard.text} {heard.text}", heard.words)
        return heard


async def test_a_word_and_a_pause_are_decoded_with_the_speech_that_follows(tmp_path: Path):
    pipe = pipeline(tmp_path, model=LoneWordModel())
    await play(transcriber(pipe), chunks(audio(300.0, "sorry", 350.0, "i would use a queue", 1500.0)))
    (turn,) = outbox_of(pipe).turns
    assert turn.text == "sorry i would use a queue"  # not "sorry sorry i would use a queue"
    assert [w.word for w in turn.words] == turn.text.split()
    finals = model_of(pipe).decodes(final_only=True)
    assert finals[-1]["prompt"] is None  # nothing before it: the withdrawn "sorry sorry" prompts nothing
    seconds = finals[-1]["seconds"]  # "sorry", the pause and the rest
    assert isinstance(seconds, float) and seconds > 0.3 + 0.24 + 0.35 + 5 * 0.3


async def test_words_are_timed_from_the_start_of_the_utterance(tmp_path: Path):
    pipe = pipeline(tmp_path)
    await play(transcriber(pipe), chunks(audio(1000.0, "use a queue", 400.0, "redis", 1200.0)))
    (turn,) = outbox_of(pipe).turns
    assert [w.word for w in turn.words] == ["use", "a", "queue", "redis"]
    # The utterance starts 300 ms (the pre-roll) before the VAD's onset; each word lasts 240 ms + 60 ms gap.
    assert turn.words[0].start == pytest.approx(0.3, abs=0.05)
    assert turn.words[1].start == pytest.approx(0.6, abs=0.05)
    assert turn.words[3].start == pytest.approx(0.3 + 0.9 + 0.4, abs=0.08)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(turn.words, turn.words[1:], strict=False))
    assert turn.speech_started_at == pytest.approx(T0 + 1.0, abs=0.11)
    assert turn.ended_at == pytest.approx(T0 + 1.0 + 0.9 + 0.4 + 0.3, abs=0.11)
    assert turn.transcribed_at is not None and turn.transcribed_at > turn.ended_at


async def test_the_recording_is_stored_before_the_turn(tmp_path: Path):
    pipe = pipeline(tmp_path)
    await play(transcriber(pipe), chunks(audio(500.0, "yes", 1000.0)))
    (turn,) = outbox_of(pipe).turns
    assert turn.audio_key == "recordings/s1/sock-0/candidate.wav"
    stored = await LocalObjectStore(tmp_path / "objects").get(turn.audio_key)
    with wave.open(io.BytesIO(stored.data)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
        seconds = wav.getnframes() / SR
    assert 0.3 + 0.3 <= seconds <= 0.3 + 0.3 + 0.6  # pre-roll + the word + at most the recording tail


async def test_partials_come_while_speaking_with_the_upcoming_turn_id(tmp_path: Path):
    pipe = pipeline(tmp_path)
    long_answer = " ".join(["we cache the queue and then"] * 4) + " done"
    await play(transcriber(pipe), chunks(audio(long_answer, 1200.0)), pace_s=0.01)
    out = outbox_of(pipe)
    partials = [t for t in out.transcripts if not t.is_final]
    assert len(partials) >= 3
    assert {t.turn_id for t in out.transcripts} == {"sock-0"}
    assert out.log.index(out.turns[0]) > out.log.index(partials[0])
    assert partials[0].text.split()[0] == "we"
    skipped = [c for c in model_of(pipe).calls if not c["words"]]
    assert skipped  # partial decodes ran without word timings


async def test_partials_are_skipped_while_the_model_is_busy(tmp_path: Path):
    pipe = pipeline(tmp_path, model=ToneModel(delay_s=0.3))
    long_answer = " ".join(["we cache the queue and then"] * 3) + " done"
    await play(transcriber(pipe), chunks(audio(long_answer, 1500.0)), pace_s=0.0)
    assert len(model_of(pipe).calls) <= 3  # not one per second of speech: at most one in flight
    assert pipe.decoder.stats.skipped_partials >= 1
    assert len(outbox_of(pipe).turns) == 1


async def test_speculation_words_so_far_then_likely_final_then_the_turn(tmp_path: Path):
    pipe = pipeline(tmp_path)
    await play(
        transcriber(pipe),
        chunks(audio("i would use redis", 400.0, "because it is fast", 1200.0)),
        pace_s=0.01,
    )
    events = [e for e in outbox_of(pipe).log if isinstance(e, ProvisionalTurn | UserTurn)]
    shapes = [
        (
            "turn"
            if isinstance(e, UserTurn)
            else "final?"
            if e.likely_final
            else "cancel"
            if e.cancelled
            else "so far"
        )
        for e in events
    ]
    assert shapes == ["final?", "cancel", "final?", "turn"] or shapes == [
        "so far",
        "so far",
        "final?",
        "turn",
    ], shapes
    likely = [e for e in events if isinstance(e, ProvisionalTurn) and e.likely_final][-1]
    assert likely.text == "i would use redis because it is fast" == events[-1].text
    assert {e.turn_id for e in events} == {"sock-0"}


async def test_a_clause_left_hanging_waits_and_speech_resuming_cancels_the_speculation(tmp_path: Path):
    pipe = pipeline(tmp_path)
    await play(
        transcriber(pipe),
        chunks(audio("we use redis", 450.0, "and", 1200.0, "sharding", 1000.0)),
        pace_s=0.01,
    )
    out = outbox_of(pipe)
    (turn,) = out.turns  # "and" kept the turn open over 1.2 s of silence
    assert turn.text == "we use redis and sharding"
    assert any(e.cancelled for e in out.speculation)


async def test_the_session_biases_the_decodes(tmp_path: Path):
    context = FakeContext(TurnContext(question="How would you shard Redis?", skills=("Kubernetes",)))
    pipe = pipeline(tmp_path, context=context)
    await play(transcriber(pipe), chunks(audio("sharding", 800.0, "done", 800.0)))
    assert len(outbox_of(pipe).turns) == 2
    assert all(c["hotwords"] == "Kubernetes Redis" for c in model_of(pipe).calls)
    assert context.reads == 2  # read at each utterance start after a turn (the question may have changed)


async def test_a_session_that_cannot_be_read_does_not_stop_transcription(tmp_path: Path):
    pipe = pipeline(tmp_path, context=FakeContext(fail=True))
    await play(transcriber(pipe), chunks(audio("yes", 800.0)))
    assert [t.text for t in outbox_of(pipe).turns] == ["yes"]


async def test_the_coding_phase_waits_longer(tmp_path: Path):
    pipe = pipeline(tmp_path, context=FakeContext(TurnContext(phase="coding")))
    await play(transcriber(pipe), chunks(audio("done", 1000.0, "scale", 1500.0)))
    assert [t.text for t in outbox_of(pipe).turns] == ["done scale"]  # 1 s of silence is thinking here


async def test_only_silence_publishes_nothing(tmp_path: Path):
    pipe = pipeline(tmp_path)
    checkpoints = MemoryCheckpoints()
    await play(transcriber(pipe, checkpoints=checkpoints), chunks(audio(65_000.0), ms=1000))
    assert outbox_of(pipe).log == []
    assert model_of(pipe).calls == []
    assert len(checkpoints.saved) == 2  # long silences are checkpointed


async def test_noise_that_decodes_to_nothing_is_no_turn(tmp_path: Path):
    pipe = pipeline(tmp_path)
    rng = np.random.default_rng(7)
    garbage = rng.integers(0, 256, 16_000 * 2, dtype=np.uint8).tobytes()  # random bytes, taken as PCM
    await play(transcriber(pipe), chunks(garbage + pcm(audio(1500.0))))
    assert outbox_of(pipe).turns == []
    assert model_of(pipe).calls  # it was decoded (loud), and found to be no words


async def test_odd_sized_frames_give_the_same_turn(tmp_path: Path):
    data = pcm(audio(300.0, "i would use a queue", 1000.0))
    odd = []
    offset = 0
    for n, size in enumerate([3201, 1599, 777, 4001] * 200):
        if offset >= len(data):
            break
        odd.append(
            (n + 1, AudioChunk(session_id="s1", socket_id="sock", seq=n, pcm=data[offset : offset + size]))
        )
        offset += size
    pipe = pipeline(tmp_path)
    await play(transcriber(pipe), odd)
    assert [t.text for t in outbox_of(pipe).turns] == ["i would use a queue"]


async def test_a_huge_frame_is_framed_without_blocking_the_loop(tmp_path: Path):
    pipe = pipeline(tmp_path)
    parts: list[str | float] = ["we cache the queue", 600.0] * 20
    long = audio(*parts, 1000.0)  # about 50 s in one frame
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await play(transcriber(pipe), chunks(long, ms=60_000))
    task.cancel()
    assert len(outbox_of(pipe).turns) == 20
    assert ticks > 20


async def test_a_monologue_is_cut_at_the_maximum_length(tmp_path: Path):
    pipe = pipeline(tmp_path, rules=EndpointRules(max_turn_s=4.0))
    await play(transcriber(pipe), chunks(audio(" ".join(["we cache the queue"] * 10), 1000.0)))
    turns = outbox_of(pipe).turns
    assert len(turns) >= 3
    assert [t.turn_id for t in turns] == [f"sock-{i}" for i in range(len(turns))]
    assert all(len(t.words) <= 14 for t in turns)  # about 4 s of 0.3-s words each


async def test_a_container_blob_is_decoded(tmp_path: Path):
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(pcm(audio(300.0, "yes we cache", 1000.0)))
    blob = AudioChunk(session_id="s1", socket_id="sock", seq=0, format="container", pcm=out.getvalue())
    pipe = pipeline(tmp_path)
    await play(transcriber(pipe), [(1, blob)])
    assert [t.text for t in outbox_of(pipe).turns] == ["yes we cache"]


async def test_an_unreadable_blob_is_reported_and_the_socket_goes_on(tmp_path: Path):
    junk = AudioChunk(
        session_id="s1", socket_id="sock", seq=0, format="container", pcm=b"RIFF\x00garbage" * 50
    )
    missing = AudioChunk(session_id="s1", socket_id="sock", seq=1, audio_key="uploads/s1/nowhere.pcm")
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe)
    await play(stt, [(1, junk), (2, missing), *chunks(audio("yes", 1000.0), first_seq=3, first_index=2)])
    out = outbox_of(pipe)
    assert [(f.code, f.turn_id) for f in out.failures] == [("audio_unreadable", "sock")] * 2
    assert [t.text for t in out.turns] == ["yes"]


async def test_a_frame_by_reference_is_read_from_storage(tmp_path: Path):
    pipe = pipeline(tmp_path)
    await pipe.store.put("audio/s1/big.pcm", pcm(audio(200.0, "no", 1000.0)))
    ref = AudioChunk(session_id="s1", socket_id="sock", seq=0, audio_key="audio/s1/big.pcm")
    await play(transcriber(pipe), [(1, ref)])
    assert [t.text for t in outbox_of(pipe).turns] == ["no"]


async def test_a_failing_model_is_reported_once_per_utterance_and_never_crashes(tmp_path: Path):
    pipe = pipeline(tmp_path, model=ToneModel(fail=True))
    await play(transcriber(pipe), chunks(audio("i would", 400.0, "use redis", 1000.0, "yes", 1000.0)))
    out = outbox_of(pipe)
    assert [f.code for f in out.failures] == ["transcription_failed", "transcription_failed"]
    assert out.turns == []


async def test_a_vanishing_client_finishes_its_utterance(tmp_path: Path):
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe)
    await play(stt, chunks(audio(200.0, "we use redis and")))
    await stt.finish()
    assert [t.text for t in outbox_of(pipe).turns] == ["we use redis and"]


async def test_a_stalled_stream_ends_the_turn(tmp_path: Path):
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe)
    await play(stt, chunks(audio(200.0, "we use redis")))
    stall = stt.stall_after_s()
    assert stall is not None and 1.0 < stall <= 1.6 + 1.0
    await stt.stalled()
    assert [t.text for t in outbox_of(pipe).turns] == ["we use redis"]
    assert stt.stall_after_s() is None


async def test_client_hints(tmp_path: Path):
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe)
    items = chunks(audio(200.0, "we use redis", 300.0))
    await play(stt, items)
    await stt.feed(len(items) + 1, AudioChunk(session_id="s1", socket_id="sock", seq=99, hint="speech_end"))
    assert [t.text for t in outbox_of(pipe).turns] == ["we use redis"]  # at once, not after the silence


# --- over the interviewer's voice -----------------------------------------------------------------------------


def playing_board(text: str, seconds: float = 30.0) -> PlaybackBoard:
    board = PlaybackBoard()
    board.update(PlaybackUpdate(session_id="s1", turn_id="r1", text=text, playing_until=T0 + seconds, ts=T0))
    return board


async def test_the_interviewers_echo_is_ignored(tmp_path: Path):
    pipe = pipeline(tmp_path, playback=playing_board("Tell me about your last project."))
    await play(transcriber(pipe), chunks(audio(200.0, "tell me about your last project", 1000.0)))
    out = outbox_of(pipe)
    assert out.bargeins == [] and out.turns == [] and out.transcripts == []


async def test_speaking_over_the_interviewer_barges_in_and_starts_the_turn(tmp_path: Path):
    pipe = pipeline(tmp_path, playback=playing_board("Tell me about your last project."))
    await play(transcriber(pipe), chunks(audio(200.0, "sorry wait i would use redis", 1000.0)), pace_s=0.01)
    out = outbox_of(pipe)
    (barge,) = out.bargeins
    assert barge.speech_ms >= 400
    assert barge.text.startswith("sorry")
    assert [t.text for t in out.turns] == ["sorry wait i would use redis"]
    assert out.log.index(barge) < out.log.index(out.turns[0])


async def test_speech_over_the_interviewer_whose_start_has_no_words_is_checked_again(tmp_path: Path):
    """A mumble first (it decodes to nothing): not taken for the echo, so the question after it is heard."""
    pipe = pipeline(tmp_path, playback=playing_board("Tell me about your last project."))
    mumble = tone(5000.0, 450)  # no word of the model's
    await play(
        transcriber(pipe),
        chunks(audio(200.0, mumble, 60.0, "sorry wait i would use redis", 1000.0)),
        pace_s=0.01,
    )
    out = outbox_of(pipe)
    (barge,) = out.bargeins
    assert barge.speech_ms >= 800 and barge.text.startswith("sorry")
    assert [t.text for t in out.turns] == ["sorry wait i would use redis"]


async def test_a_cough_over_the_interviewer_never_barges_in(tmp_path: Path):
    pipe = pipeline(tmp_path, playback=playing_board("Tell me about your last project."))
    await play(transcriber(pipe), chunks(audio(200.0, "um", 1000.0, "no", 1000.0)))
    out = outbox_of(pipe)
    assert out.bargeins == [] and out.turns == []
    assert model_of(pipe).calls == []  # short bursts are not even decoded


async def test_after_the_interviewer_stops_speech_is_a_turn_again(tmp_path: Path):
    pipe = pipeline(tmp_path, playback=playing_board("Tell me about your last project.", seconds=1.0))
    await play(transcriber(pipe), chunks(audio(2000.0, "tell me about your last project", 1000.0)))
    assert [t.text for t in outbox_of(pipe).turns] == ["tell me about your last project"]


# --- resuming -----------------------------------------------------------------------------------------------------


async def test_a_replica_resuming_from_the_checkpoint_produces_the_same_turn(tmp_path: Path):
    items = chunks(audio(300.0, "i would use redis", 1000.0, "because it is fast", 1000.0), ms=70)
    first = pipeline(tmp_path)
    checkpoints = MemoryCheckpoints()
    await play(transcriber(first, checkpoints=checkpoints), items)
    turns = outbox_of(first).turns
    assert [t.turn_id for t in turns] == ["sock-0", "sock-1"]
    after_first = next(r for r in checkpoints.saved if r.utterance == 1)
    assert after_first.position.skip > 0  # mid-chunk: 70-ms frames and 32-ms windows do not line up

    second = pipeline(tmp_path / "b")
    resumed = transcriber(second, resume=after_first)
    await play(resumed, [(seq, c) for seq, c in items if seq >= after_first.position.seq])
    (again,) = outbox_of(second).turns
    assert (again.turn_id, again.text, again.words, again.ended_at) == (
        turns[1].turn_id,
        turns[1].text,
        turns[1].words,
        turns[1].ended_at,
    )


async def test_an_odd_byte_waiting_at_the_checkpoint_is_carried_over(tmp_path: Path):
    data = pcm(audio(300.0, "yes", 800.0, "no", 800.0))
    items = []
    for n, offset in enumerate(range(0, len(data), 3333)):
        items.append(
            (n + 1, AudioChunk(session_id="s1", socket_id="sock", seq=n, pcm=data[offset : offset + 3333]))
        )
    first = pipeline(tmp_path)
    checkpoints = MemoryCheckpoints()
    await play(transcriber(first, checkpoints=checkpoints), items)
    resume = next(r for r in checkpoints.saved if r.utterance == 1)
    second = pipeline(tmp_path / "b")
    await play(transcriber(second, resume=resume), [(s, c) for s, c in items if s >= resume.position.seq])
    assert [t.text for t in outbox_of(second).turns] == ["no"] == [t.text for t in outbox_of(first).turns][1:]


async def test_a_lost_lease_stops_the_transcriber(tmp_path: Path):
    pipe = pipeline(tmp_path)
    stt = transcriber(pipe, checkpoints=MemoryCheckpoints(lost=True))
    with pytest.raises(LeaseLost):
        await play(stt, chunks(audio("yes", 1000.0)))


async def test_the_resume_point_names_the_next_utterance(tmp_path: Path):
    pipe = pipeline(tmp_path)
    checkpoints = MemoryCheckpoints()
    await play(transcriber(pipe, checkpoints=checkpoints), chunks(audio("yes", 1000.0, "no", 1000.0)))
    assert [r.utterance for r in checkpoints.saved] == [1, 2]
    assert all(isinstance(r, Resume) for r in checkpoints.saved)

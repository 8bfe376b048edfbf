"""Spoken interviews through the real processes: nats-server, agent, tools, 2 STT replicas (faster-whisper),
2 TTS replicas (Piper), the gateway; the candidate is synthetic speech (bench/voice_corpus.py) streamed at
real-time pace from an open microphone, as a browser does.

The interviewer is the scripted responder (no language model) except in the last test (`model`), so these
tests exercise the speech pipeline: transcripts, spoken replies, barge-in, noise, and replicas killed
mid-turn. Replies are checked by ear, too: the WAVs a client received are transcribed here with Whisper and
compared with the reply's text (complete, in order, nothing twice).

Timings (barge-in, latency) are printed: run with `-s` to see them.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import pytest_asyncio

from bench import voice_corpus as corpus
from bench.wer import normalize, wer, word_errors
from deploy.local_platform import REPO_ROOT, LocalPlatform, default_services, free_port
from tests.interview_client import InterviewClient, SpokenReply, WavFrame

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ENV = {
    "PREPAI_LLM_PROVIDER": "scripted",
    "PREPAI_SCRIPTED_WORD_DELAY_S": "0.05",
    "PREPAI_VOICE_ACK_WAIT_S": "2",  # a dead replica's claim or sentence is redelivered after 2 s
    "PREPAI_LOG_LEVEL": "INFO",
}
BARGE_IN_LIMIT_S = 0.3  # no WAV of an interrupted reply later than this after `interrupted`
BARGEIN_MIN_SPEECH_S = 0.4  # PREPAI_BARGEIN_MIN_SPEECH_MS default
THINK_S = 1.0  # the candidate's pause before answering (the STT's echo tail is 0.6 s)
LISTENING_GRACE_S = 3.0


def shared_models(data_dir: Path) -> None:
    """Use the joined model files of ./data/models (else each platform joins them again)."""
    models = REPO_ROOT / "data" / "models"
    if models.is_dir():
        (data_dir / "models").symlink_to(models, target_is_directory=True)


class VoicePlatform:
    def __init__(
        self, tmp: Path, env: dict[str, str], stt: int, tts: int, ready_timeout_s: float = 120
    ) -> None:
        self.lines: list[str] = []
        self.data_dir = tmp
        shared_models(tmp)
        self.runner = LocalPlatform(
            data_dir=tmp,
            http_port=free_port(),
            nats_port=free_port(),
            env=env,
            services=default_services(stt_replicas=stt, tts_replicas=tts),
            log=self.lines.append,
            ready_timeout_s=ready_timeout_s,
        )
        self.http = httpx.AsyncClient(base_url=self.runner.base_url, timeout=10)
        self.ws_url = f"ws://127.0.0.1:{self.runner.http_port}"

    async def new_session(self, name: str = "Ada") -> str:
        response = await self.http.post(
            "/api/sessions", json={"interview_type": "google_sde", "candidate_name": name}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["session_id"])

    async def connect(self, sid: str) -> InterviewClient:
        client = await InterviewClient.connect(self.ws_url, sid, "")  # the interviewer's voice on
        await client.start_microphone()  # silence streams from now on, like an open browser microphone
        return client

    async def transcript(self, sid: str) -> list[dict[str, Any]]:
        response = await self.http.get(f"/api/interviews/{sid}/transcript")
        assert response.status_code == 200, response.text
        return response.json()["transcript"]  # type: ignore[no-any-return]

    async def stored_reply(
        self, sid: str, turn_id: str, *, interrupted: bool, timeout_s: float = 10
    ) -> dict[str, Any]:
        """The interviewer's stored entry for `turn_id`, once it is (or is marked) `interrupted`."""
        deadline = time.monotonic() + timeout_s
        while True:
            entries = [
                e for e in await self.transcript(sid) if e["role"] == "assistant" and e["turn_id"] == turn_id
            ]
            if entries and entries[0].get("interrupted", False) == interrupted:
                return entries[0]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no {'interrupted ' if interrupted else ''}reply {turn_id} stored: {entries}"
                )
            await asyncio.sleep(0.2)

    def follower(self, sid: str) -> str:
        """The STT replica following this session's socket now (from its 'following socket' log line)."""
        lines = [line for line in self.lines if "following socket" in line and sid in line]
        assert lines, f"no STT replica follows session {sid}"
        return lines[-1].split("|")[0].strip()

    def save_log(self) -> Path:
        path = self.data_dir / "platform.log"
        path.write_text("\n".join(self.lines) + "\n")
        return path

    def logged(self, *texts: str) -> list[str]:
        return [line for line in self.lines if all(text in line for text in texts)]

    def recordings(self, sid: str, turn_id: str) -> list[Path]:
        """The reply's spoken pieces as the TTS kept them (one per non-empty piece, by index)."""
        folder = self.data_dir / "objects" / "recordings" / sid / turn_id
        return sorted(folder.glob("reply-*.wav"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def platform(
    tmp_path_factory: pytest.TempPathFactory, clips: dict[str, corpus.Clip]
) -> AsyncIterator[VoicePlatform]:
    p = VoicePlatform(tmp_path_factory.mktemp("voice"), ENV, stt=2, tts=2)
    await p.runner.start()
    try:
        yield p
    finally:
        await p.http.aclose()
        await p.runner.stop()
        print(f"\nplatform log: {p.save_log()}")


@pytest.fixture(scope="module")
def clips() -> dict[str, corpus.Clip]:
    """Synthesised once (cached under data/bench/voice), before the platform starts."""
    chosen = [*corpus.test_specs(), corpus.BARGE_IN_SPEC]
    return {spec.answer: clip for spec, clip in zip(chosen, corpus.load_many(chosen), strict=True)}


@pytest.fixture(scope="module")
def ear() -> Iterator[Any]:
    """Whisper in the test process, to hear what the client received."""
    from faster_whisper import WhisperModel

    from services.stt.whisper import WhisperOptions, model_folder

    folder = model_folder(WhisperOptions(cache_dir=REPO_ROOT / "data" / "models"))
    yield WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)


def hear(ear: Any, wavs: list[WavFrame]) -> str:
    """What a listener hears when the WAVs are played back to back."""
    assert len({w.sample_rate for w in wavs}) == 1, "every piece at one rate"
    samples = corpus.from_pcm16(b"".join(w.pcm for w in wavs))
    audio = corpus.resample(samples, wavs[0].sample_rate, corpus.RATE)
    segments, _ = ear.transcribe(audio, language="en", beam_size=1, condition_on_previous_text=False)
    return " ".join(segment.text.strip() for segment in segments)


def check_wavs(wavs: list[WavFrame]) -> None:
    assert wavs, "no spoken reply"
    for wav in wavs:
        assert wav.data[:4] == b"RIFF" and wav.data[8:12] == b"WAVE"
        assert (wav.channels, wav.sample_width) == (1, 2), "PCM16 mono"
        assert wav.sample_rate in (16_000, 22_050, 24_000)
        assert wav.duration_s > 0.2, f"a piece of {wav.duration_s:.2f} s"
        assert wav.rms_dbfs > -40 and wav.peak > 3000, f"a silent piece: {wav.rms_dbfs:.1f} dBFS"
    times = [w.received_at for w in wavs]
    assert times == sorted(times)


async def played(client: InterviewClient, turn_id: str | None = None) -> SpokenReply:
    """The spoken reply, played out (waiting a grace period for `listening`, checked by `expect_listening`)."""
    return await client.spoken_reply(turn_id, timeout=60, played_out_grace_s=LISTENING_GRACE_S)


def expect_listening(reply: SpokenReply) -> None:
    """Last in a test: the interviewer's state went back to `listening` after the reply was played out."""
    assert reply.listening, "no `listening` after the reply was played out"


async def skip_greeting(client: InterviewClient, sid: str) -> None:
    """Cut the greeting short (the client's interrupt) so the candidate can answer."""
    start = f"start-{sid}"
    await client.wait_for(lambda: bool(client.wavs_of(start)), 60)
    await client.send({"type": "interrupt"})
    await client.next_event(lambda e: e["type"] == "interrupted" and e["turn_id"] == start, 10)
    await client.next_event(lambda e: e == {"type": "state", "state": "listening"}, 10)
    await asyncio.sleep(THINK_S)


def wavs_after(client: InterviewClient, turn_id: str, moment: float) -> list[float]:
    return [round(w.received_at - moment, 3) for w in client.wavs_of(turn_id) if w.received_at > moment]


async def test_client_interrupt_stops_the_reply_and_keeps_what_was_heard(platform: VoicePlatform) -> None:
    sid = await platform.new_session()
    client = await platform.connect(sid)
    try:
        start = f"start-{sid}"
        await client.wait_for(lambda: bool(client.wavs_of(start)), 60)
        await asyncio.sleep(1.5)  # the candidate hears the first words
        sent = time.perf_counter()
        await client.send({"type": "interrupt"})
        event = await client.next_event(lambda e: e["type"] == "interrupted", 10)
        interrupted_at = client.received_at[client.events.index(event)]
        assert event == {"type": "interrupted", "turn_id": start, "source": "client"}
        await client.next_event(lambda e: e == {"type": "state", "state": "listening"}, 5)
        await asyncio.sleep(1.0)  # anything still coming would arrive by now
        late = wavs_after(client, start, interrupted_at + BARGE_IN_LIMIT_S)
        assert not late, f"WAVs of the interrupted reply {late} s after `interrupted`"
        print(f"\nclient interrupt -> `interrupted` {1000 * (interrupted_at - sent):.0f} ms")
        full = client.replies[start].text if start in client.replies else ""
        stored = await platform.stored_reply(sid, start, interrupted=True)
    finally:
        await client.close()
    heard = normalize(stored["text"])
    assert heard, "1.5 s of the greeting were heard"
    if full:
        assert heard == normalize(full)[: len(heard)] and len(heard) < len(normalize(full)), (stored, full)


async def test_a_spoken_answer_gets_a_transcript_and_a_spoken_reply(
    platform: VoicePlatform, clips: dict[str, corpus.Clip], ear: Any
) -> None:
    clip = clips["dynamodb"]  # Piper, clean
    sid = await platform.new_session()
    client = await platform.connect(sid)
    try:
        await skip_greeting(client, sid)
        await client.speak(clip.pcm, speech_end_s=clip.speech_end_s)
        reply = await played(client)
        stored = await platform.transcript(sid)
    finally:
        await client.close()
    errors = word_errors(clip.text, reply.transcript)
    print(
        f"\nspoken answer: WER {errors.rate:.0%} ({reply.transcript!r}); end of speech -> first audio "
        f"{reply.latency_ms:.0f} ms (client), {reply.metrics.get('speech_end_to_first_audio')} ms (server); "
        f"metrics {reply.metrics}"
    )
    assert reply.partials, "partial transcripts while the candidate speaks"
    assert errors.rate <= 0.3, (errors, reply.transcript)
    assert {"session", "store", "partition", "key", "hot"} <= set(normalize(reply.transcript)), (
        reply.transcript
    )
    check_wavs(reply.wavs)
    assert reply.text and not reply.interrupted
    said = hear(ear, reply.wavs)
    assert wer(reply.text, said) <= 0.25, f"the audio says {said!r}, the reply is {reply.text!r}"
    assert reply.metrics.get("speech_end_to_first_audio", 0) > 0, reply.metrics
    assert reply.latency_ms is not None and 0 < reply.latency_ms < 10_000
    assert reply.audio_s > 1.0
    user = [e for e in stored if e["role"] == "user"]
    assert [e["turn_id"] for e in user] == [reply.turn_id] and user[0]["text"] == reply.transcript
    expect_listening(reply)
    assert reply.states == ["thinking", "speaking", "listening"], reply.states


async def test_speech_over_the_interviewer_barges_in(
    platform: VoicePlatform, clips: dict[str, corpus.Clip]
) -> None:
    clip = clips["barge-in"]
    sid = await platform.new_session()
    client = await platform.connect(sid)
    start = f"start-{sid}"
    try:
        await client.wait_for(lambda: bool(client.wavs_of(start)), 60)
        await asyncio.sleep(2.0)  # the candidate listens for two seconds, then talks over the interviewer
        speaking = asyncio.create_task(client.speak(clip.pcm, speech_end_s=clip.speech_end_s))
        event = await client.next_event(lambda e: e["type"] == "interrupted", 15)
        interrupted_at = client.received_at[client.events.index(event)]
        utterance = await speaking
        assert event == {"type": "interrupted", "turn_id": start, "source": "speech"}
        reply = await played(client)  # the barge-in is the candidate's next turn
        late = wavs_after(client, start, interrupted_at + BARGE_IN_LIMIT_S)
        stored = await platform.stored_reply(sid, start, interrupted=True)
        transcript = await platform.transcript(sid)
    finally:
        await client.close()
    onset = utterance.started_at + clip.speech_start_s
    decided = onset + BARGEIN_MIN_SPEECH_S
    last_wav = max(w.received_at for w in client.wavs_of(start))
    print(
        f"\nbarge-in: `interrupted` {1000 * (interrupted_at - onset):.0f} ms after the speech began, "
        f"{1000 * (interrupted_at - decided):.0f} ms after {BARGEIN_MIN_SPEECH_S * 1000:.0f} ms of it; last WAV of "
        f"the reply {1000 * (last_wav - interrupted_at):.0f} ms after `interrupted`; heard {stored['text']!r}"
    )
    assert not late, f"WAVs of the interrupted reply {late} s after `interrupted`"
    assert interrupted_at - decided < 3.0, "the barge-in decision took too long"
    heard = normalize(stored["text"])
    full = normalize(client.replies[start].text) if start in client.replies else []
    assert heard and (not full or (heard == full[: len(heard)] and len(heard) < len(full))), (stored, full)
    assert wer(clip.text, reply.transcript) <= 0.3, reply.transcript
    assert [e["role"] for e in transcript] == ["assistant", "user", "assistant"], transcript
    assert transcript[1]["turn_id"] == reply.turn_id
    expect_listening(reply)


async def test_noise_and_coughs_over_the_interviewer_do_not_barge_in(platform: VoicePlatform) -> None:
    sid = await platform.new_session()
    client = await platform.connect(sid)
    start = f"start-{sid}"
    try:
        await client.wait_for(lambda: bool(client.wavs_of(start)), 60)
        await asyncio.sleep(1.0)
        noise = (
            corpus.white_noise(2.5, dbfs=-30, seed=1)
            + bytes(16_000)
            + corpus.cough(seed=2)
            + bytes(24_000)
            + corpus.cough(seed=3, dbfs=-8)
            + corpus.white_noise(1.5, dbfs=-24, seed=4)
        )
        await client.speak(noise, speech_end_s=len(noise) / 32_000)
        greeting = await played(client, start)  # played to the end
        await asyncio.sleep(1.0)
        recordings = platform.recordings(sid, start)
    finally:
        await client.close()
    assert not greeting.interrupted and not any(e["type"] == "interrupted" for e in client.events)
    assert len(greeting.wavs) == len(recordings), "every piece of the reply played"
    finals = client.transcripts(final=True)
    assert not finals, f"noise became a turn: {finals}"
    expect_listening(greeting)


async def test_an_stt_replica_killed_mid_answer_loses_nothing(
    platform: VoicePlatform, clips: dict[str, corpus.Clip]
) -> None:
    clip = clips["kafka"]  # espeak-ng, clean, 12 s
    sid = await platform.new_session()
    client = await platform.connect(sid)
    try:
        await skip_greeting(client, sid)
        speaking = asyncio.create_task(client.speak(clip.pcm, speech_end_s=clip.speech_end_s))
        await asyncio.sleep(5.0)  # mid-answer
        victim = platform.follower(sid)
        old_pid = await platform.runner.kill(victim, restart=True)  # kill -9; the supervisor restarts it
        await speaking
        reply = await played(client)
        await asyncio.sleep(1.0)  # a duplicate final transcript or reply would arrive by now
        stored = await platform.transcript(sid)
        await platform.runner.wait_restarted(victim, old_pid)
    finally:
        await client.close()
    resumed = platform.logged("following socket", sid)
    print(f"\nSTT {victim} killed mid-answer; followers: {[line.split('|')[0].strip() for line in resumed]}")
    print(f"  transcript {reply.transcript!r}; end of speech -> first audio {reply.latency_ms:.0f} ms")
    assert len(resumed) >= 2, "another replica resumed the socket"
    finals = client.transcripts(final=True)
    assert [e["turn_id"] for e in finals] == [reply.turn_id], f"transcribed more than once: {finals}"
    errors = word_errors(clip.text, reply.transcript)
    assert errors.rate <= 0.3 and errors.deletions <= 3, (errors, reply.transcript)
    words = set(normalize(reply.transcript))
    assert {"publish", "kafka"} <= words and {"twice", "harm"} <= words, "the start and the end of the answer"
    check_wavs(reply.wavs)
    assert [e["turn_id"] for e in stored if e["role"] == "user"] == [reply.turn_id]
    assert [e["role"] for e in stored] == ["assistant", "user", "assistant"]
    expect_listening(reply)


async def test_a_tts_replica_killed_mid_reply_loses_nothing(
    platform: VoicePlatform, clips: dict[str, corpus.Clip], ear: Any
) -> None:
    clip = clips["dynamodb"]
    sid = await platform.new_session()
    client = await platform.connect(sid)
    try:
        await skip_greeting(client, sid)
        await client.speak(clip.pcm, speech_end_s=clip.speech_end_s)
        final = await client.final_transcript(timeout=30)
        # The reply's sentences are being synthesised now: kill each replica in turn (a crash; restarted).
        first = await platform.runner.kill("tts-1", restart=True)
        await asyncio.sleep(0.3)
        second = await platform.runner.kill("tts-2", restart=True)
        # Both replicas restart (the voice loads in seconds, longer on a busy machine) and the sentences they
        # held come back after the ack wait: the rest of the reply may come well after its first pieces
        # have played. So wait for `listening`, which the gateway says only after the last piece, rather
        # than for the played-out grace, which once ended this test while two pieces were still on the way.
        reply = await client.spoken_reply(final["turn_id"], timeout=90)
        await asyncio.sleep(1.0)  # a duplicate piece would arrive by now
        recordings = platform.recordings(sid, reply.turn_id)
        await platform.runner.wait_restarted("tts-1", first)
        await platform.runner.wait_restarted("tts-2", second)
    finally:
        await client.close()
    wavs = client.wavs_of(reply.turn_id)
    check_wavs(wavs)
    said = hear(ear, wavs)
    spoken_by = [line.split("|")[0].strip() for line in platform.logged(reply.turn_id, "sentence")]
    print(
        f"\nTTS replicas killed mid-reply: {len(wavs)} WAVs, {len(recordings)} pieces kept; sentences logged by "
        f"{spoken_by}; end of speech -> first audio {reply.latency_ms:.0f} ms\n  heard {said!r}"
    )
    assert len(wavs) == len(recordings), "every piece once: none lost, none played twice"
    durations = [WavFrame.parse(path.read_bytes(), 0, None).duration_s for path in recordings]
    assert np.allclose([w.duration_s for w in wavs], durations, rtol=0.35), "the pieces in order"
    assert wer(reply.text, said) <= 0.25, f"the audio says {said!r}, the reply is {reply.text!r}"
    assert not reply.interrupted
    expect_listening(reply)


# --- the real local language model ---------------------------------------------------------------------


@pytest.mark.model
async def test_barge_in_on_a_reply_of_the_local_model(
    tmp_path_factory: pytest.TempPathFactory, clips: dict[str, corpus.Clip]
) -> None:
    """The default LLM writes while the TTS speaks: a barge-in stops both, and no later piece is played."""
    # The model words the reaction (not the default with the 0.5B model), so it is still writing when the
    # barge-in comes.
    env = {**ENV, "PREPAI_LLM_PROVIDER": "llamacpp", "PREPAI_LLM_REACTIONS": "model"}
    del env["PREPAI_SCRIPTED_WORD_DELAY_S"]
    p = VoicePlatform(
        Path(tempfile.mkdtemp(prefix="prepai-voice-model-")), env, stt=1, tts=1, ready_timeout_s=300
    )
    await p.runner.start()
    try:
        sid = await p.new_session()
        client = await p.connect(sid)
        try:
            await skip_greeting(client, sid)
            answer = clips["dynamodb"]
            await client.speak(answer.pcm, speech_end_s=answer.speech_end_s)
            final = await client.final_transcript(timeout=30)
            turn = final["turn_id"]
            await client.wait_for(lambda: bool(client.wavs_of(turn)), 60)
            first_audio = client.wavs_of(turn)[0].received_at
            barge = clips["barge-in"]
            speaking = asyncio.create_task(client.speak(barge.pcm, speech_end_s=barge.speech_end_s))
            event = await client.next_event(lambda e: e["type"] == "interrupted", 20)
            interrupted_at = client.received_at[client.events.index(event)]
            await speaking
            await asyncio.sleep(1.5)
            stored = await p.stored_reply(sid, turn, interrupted=True)
        finally:
            await client.close()
    finally:
        await p.http.aclose()
        await p.runner.stop()
    wavs = client.wavs_of(turn)
    print(
        f"\nlocal model: end of speech -> first audio {1000 * (first_audio - client.utterances[0].speech_ended_at):.0f} ms; "
        f"`interrupted` {1000 * (interrupted_at - first_audio):.0f} ms after the first audio; {len(wavs)} WAVs, "
        f"last {1000 * (max(w.received_at for w in wavs) - interrupted_at):.0f} ms after `interrupted`; heard {stored['text']!r}"
    )
    assert event["turn_id"] == turn and event["source"] == "speech"
    assert not wavs_after(client, turn, interrupted_at + BARGE_IN_LIMIT_S)
    assert stored["interrupted"] and stored["text"]

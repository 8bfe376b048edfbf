"""Following claims with fakes at the ports: a socket to its end, a finished or held claim, a replica dying
mid-utterance (another one resumes from the stored utterance start), idling, lost leases, shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.stt.audio import Position
from services.stt.claims import ClaimFollower
from services.stt.transcriber import Pipeline, Resume
from shared.events import AudioChunk, VoiceClaim
from tests.stt.fakes import (
    FakeDelivery,
    FakeOutbox,
    MemoryAudio,
    MemoryProgress,
    audio,
    chunks,
    pipeline,
)


def follower(
    pipe: Pipeline,
    source: MemoryAudio,
    progress: MemoryProgress,
    *,
    heartbeat_s: float = 0.05,
    idle_limit_s: float = 600,
) -> ClaimFollower:
    return ClaimFollower(
        audio=source, progress=progress, pipeline=pipe, heartbeat_s=heartbeat_s, idle_limit_s=idle_limit_s
    )


def publish_all(source: MemoryAudio, items: list[tuple[int, AudioChunk]]) -> int:
    first = 0
    for _, chunk in items:
        seq = source.publish(chunk)
        first = first or seq
    return first


def end(seq: int, socket: str = "sock") -> AudioChunk:
    return AudioChunk(session_id="s1", socket_id=socket, seq=seq, hint="end")


def outbox(pipe: Pipeline) -> FakeOutbox:
    assert isinstance(pipe.outbox, FakeOutbox)
    return pipe.outbox


async def test_a_socket_is_followed_to_its_end_and_the_claim_acked(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(), pipeline(tmp_path)
    source.publish(
        AudioChunk(session_id="s1", socket_id="other", seq=0, pcm=b"\x00" * 3200)
    )  # another socket
    items = chunks(audio(200.0, "yes", 800.0, "we use redis", 400.0))
    first = publish_all(source, items)
    source.publish(None)  # a message that is not an AudioChunk
    source.publish(end(len(items)))
    delivery = FakeDelivery()
    outcome = await follower(pipe, source, progress).follow(
        VoiceClaim(session_id="s1", socket_id="sock", first_seq=first, speak=False), delivery
    )
    assert outcome.action == "ack"
    assert [(t.turn_id, t.text, t.speak) for t in outbox(pipe).turns] == [
        ("sock-0", "yes", False),
        ("sock-1", "we use redis", False),  # the socket closed mid-pause: its last words are a turn
    ]
    assert progress.entries[("s1", "sock")].done


async def test_a_finished_socket_is_acked_at_once_and_a_held_one_is_left_alone(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(), pipeline(tmp_path)
    claim = VoiceClaim(session_id="s1", socket_id="sock", first_seq=1)
    source.publish(end(0))
    assert (await follower(pipe, source, progress).follow(claim, FakeDelivery())).action == "ack"
    again = await follower(pipe, source, progress).follow(claim, FakeDelivery(num_delivered=2))
    assert (again.action, again.reason) == ("ack", "the socket was already transcribed to its end")

    busy = VoiceClaim(session_id="s1", socket_id="busy", first_seq=1)
    await progress.acquire("s1", "busy", Resume(Position(1)))  # held by a live replica
    held = await follower(pipe, source, progress).follow(busy, FakeDelivery(num_delivered=2))
    assert held.action == "leave"


async def test_a_replica_dying_mid_utterance_loses_nothing(tmp_path: Path):
    source, progress = MemoryAudio(), MemoryProgress()
    first_pipe = pipeline(tmp_path / "a")
    items = chunks(audio(200.0, "yes", 800.0, "i would use redis because it is fast", 1000.0))
    claim = VoiceClaim(session_id="s1", socket_id="sock", first_seq=1)
    half = len(items) * 2 // 3
    publish_all(source, items[:half])  # the second answer is under way
    dying = asyncio.create_task(follower(first_pipe, source, progress).follow(claim, FakeDelivery()))
    for _ in range(200):
        if outbox(first_pipe).turns:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    dying.cancel()  # the replica is gone (its lease runs out, the claim is redelivered)
    await asyncio.gather(dying, return_exceptions=True)
    progress.crash()
    assert [t.turn_id for t in outbox(first_pipe).turns] == ["sock-0"]

    publish_all(source, items[half:])
    source.publish(end(len(items)))
    second_pipe = pipeline(tmp_path / "b")
    outcome = await follower(second_pipe, source, progress).follow(claim, FakeDelivery(num_delivered=2))
    assert outcome.action == "ack"
    assert [(t.turn_id, t.text) for t in outbox(second_pipe).turns] == [
        ("sock-1", "i would use redis because it is fast")
    ]


async def test_heartbeats_keep_the_claim_while_the_socket_lives(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(lease_s=0.2), pipeline(tmp_path)
    delivery = FakeDelivery()
    task = asyncio.create_task(
        follower(pipe, source, progress).follow(
            VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), delivery
        )
    )
    await asyncio.sleep(0.5)
    assert delivery.heartbeats >= 5
    other = await follower(pipeline(tmp_path / "b"), source, progress).follow(
        VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), FakeDelivery(num_delivered=2)
    )
    assert other.action == "leave"  # the lease is renewed with the heartbeats
    source.publish(end(0))
    assert (await task).action == "ack"


async def test_a_silent_socket_is_finished_after_the_idle_limit(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(), pipeline(tmp_path)
    outcome = await follower(pipe, source, progress, idle_limit_s=0.3).follow(
        VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), FakeDelivery()
    )
    assert outcome.action == "ack"


async def test_a_stalled_client_gets_its_turn_on_the_wall_clock(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(), pipeline(tmp_path)
    publish_all(source, chunks(audio(200.0, "we use redis")))  # then nothing: no silence, no end
    task = asyncio.create_task(
        follower(pipe, source, progress, idle_limit_s=30).follow(
            VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), FakeDelivery()
        )
    )
    for _ in range(40):
        await asyncio.sleep(0.1)
        if outbox(pipe).turns:
            break
    assert [t.text for t in outbox(pipe).turns] == ["we use redis"]
    source.publish(end(99))
    await task


async def test_a_lost_lease_stops_following_without_an_ack(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(lease_s=0.05), pipeline(tmp_path)
    task = asyncio.create_task(
        follower(pipe, source, progress, heartbeat_s=0.2).follow(
            VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), FakeDelivery()
        )
    )
    await asyncio.sleep(0.1)
    await progress.acquire("s1", "sock", Resume(Position(1)))  # another replica took it over
    outcome = await asyncio.wait_for(task, 5)
    assert outcome.action == "leave"


async def test_shutting_down_hands_the_sockets_over(tmp_path: Path):
    source, progress, pipe = MemoryAudio(), MemoryProgress(), pipeline(tmp_path)
    stt = follower(pipe, source, progress)
    task = asyncio.create_task(
        stt.follow(VoiceClaim(session_id="s1", socket_id="sock", first_seq=1), FakeDelivery())
    )
    await asyncio.sleep(0.1)
    assert stt.active == 1
    await stt.drain()
    outcome = await task
    assert outcome.action == "nak"
    assert progress.entries[("s1", "sock")].expires == 0.0  # released: the next replica need not wait
    late = await stt.follow(VoiceClaim(session_id="s1", socket_id="late", first_seq=1), FakeDelivery())
    assert late.action == "nak"

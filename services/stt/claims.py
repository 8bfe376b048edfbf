"""Following a socket's claim: one replica transcribes a socket from its first frame to its `end`, and
another one takes over, losing nothing, if it dies.

A `VoiceClaim` sits unacked on the VOICE work queue while its replica follows the socket: heartbeats
(`in_progress`, every `voice_ack_wait_s / 3`) keep it there, and a lease in the progress store (renewed
with them) says who holds the socket. The progress record also holds where the socket's next utterance
starts (written after each turn). If the replica dies, the claim is redelivered after `voice_ack_wait_s`;
the replica that gets it finds the lease expired, takes it with compare-and-set, and replays the audio
from the stored utterance start. A duplicate delivery while the holder is alive is left alone (the holder
acks it); a claim whose socket was finished is acked at once.

The ports are Protocols; `nats_adapters.py` implements them on JetStream (an ordered consumer of the
audio subject, a KV bucket for the progress).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from services.stt.audio import Position
from services.stt.transcriber import LeaseLost, Pipeline, Resume, SocketTranscriber
from shared.events import AudioChunk, VoiceClaim

log = logging.getLogger(__name__)

IDLE_LIMIT_S = 600.0  # a socket that sends nothing for this long is finished (and its claim acked)
POLL_S = 1.0  # the follower looks at its clocks (stall, idle, shutdown) at least this often


# --- ports -----------------------------------------------------------------------------------------------


class ClaimDelivery(Protocol):
    @property
    def num_delivered(self) -> int: ...

    async def in_progress(self) -> None: ...


class AudioStream(Protocol):
    async def next(self, timeout: float) -> tuple[int, AudioChunk | None] | None:
        """The next message of the session's audio subject: (stream sequence, chunk, or None if it does not
        parse); None when nothing arrived within `timeout` seconds."""
        ...

    async def close(self) -> None: ...


class AudioSource(Protocol):
    async def open(self, session_id: str, from_seq: int) -> AudioStream:
        """The session's audio messages in stream order, from stream sequence `from_seq` on."""
        ...


class ProgressLease(Protocol):
    @property
    def resume(self) -> Resume: ...

    async def save(self, resume: Resume) -> None:
        """Store the resume point and extend the lease (LeaseLost: another replica holds the socket)."""
        ...

    async def renew(self) -> None:
        """Extend the lease (LeaseLost: another replica holds the socket)."""
        ...

    async def finish(self) -> None:
        """The socket is transcribed to its end: a later delivery of its claim is acked at once."""
        ...

    async def release(self) -> None:
        """Give the socket up now (graceful shutdown): the next replica need not wait for the lease."""
        ...


@dataclass(frozen=True)
class HeldElsewhere:
    owner: str


@dataclass(frozen=True)
class AlreadyFinished:
    pass


class ProgressStore(Protocol):
    async def acquire(
        self, session_id: str, socket_id: str, start: Resume
    ) -> ProgressLease | HeldElsewhere | AlreadyFinished:
        """Take the socket's lease (new, or expired) with its stored progress (`start` if there is none)."""
        ...


# --- the use case ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimOutcome:
    action: Literal["ack", "leave", "nak"]  # leave: another replica holds it and will ack it
    reason: str
    delay_s: float = 0.0


class ClaimFollower:
    def __init__(
        self,
        *,
        audio: AudioSource,
        progress: ProgressStore,
        pipeline: Pipeline,
        heartbeat_s: float,
        idle_limit_s: float = IDLE_LIMIT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.audio = audio
        self.progress = progress
        self.pipeline = pipeline
        self.heartbeat_s = heartbeat_s
        self.idle_limit_s = idle_limit_s
        self.clock = clock
        self._draining = False
        self._active: set[tuple[str, str]] = set()
        self._none_active = asyncio.Event()

    @property
    def active(self) -> int:
        return len(self._active)

    async def follow(self, claim: VoiceClaim, delivery: ClaimDelivery) -> ClaimOutcome:
        """Transcribe the claimed socket until its end; say what to do with the claim message."""
        key = (claim.session_id, claim.socket_id)
        if self._draining:
            return ClaimOutcome("nak", "this replica is shutting down", delay_s=1.0)
        if key in self._active:
            return ClaimOutcome("leave", "already followed by this replica")
        start = Resume(Position(max(1, claim.first_seq)))
        held = await self.progress.acquire(claim.session_id, claim.socket_id, start)
        if isinstance(held, AlreadyFinished):
            return ClaimOutcome("ack", "the socket was already transcribed to its end")
        if isinstance(held, HeldElsewhere):
            return ClaimOutcome("leave", f"held by {held.owner}")
        lease = held
        resumed = lease.resume != start
        log.info(
            "following socket %s of session %s from stream seq %d (turn %d)%s",
            claim.socket_id,
            claim.session_id,
            lease.resume.position.seq,
            lease.resume.utterance,
            ", resumed from another replica" if resumed or delivery.num_delivered > 1 else "",
        )
        self._active.add(key)
        lost = asyncio.Event()
        heartbeat = asyncio.create_task(self._heartbeat(delivery, lease, lost))
        transcriber = SocketTranscriber(
            session_id=claim.session_id,
            socket_id=claim.socket_id,
            speak=claim.speak,
            resume=lease.resume,
            pipeline=self.pipeline,
            checkpoints=lease,
            clock=self.clock,
        )
        stream: AudioStream | None = None
        try:
            stream = await self.audio.open(claim.session_id, lease.resume.position.seq)
            outcome = await self._pump(claim, stream, transcriber, lost)
        except LeaseLost:
            outcome = ClaimOutcome("leave", "another replica took the socket over")
        except BaseException:
            with contextlib.suppress(Exception):  # let the next delivery take the socket without waiting
                await lease.release()
            raise
        finally:
            heartbeat.cancel()
            with contextlib.suppress(BaseException):
                await heartbeat
            await transcriber.close()
            if stream is not None:
                with contextlib.suppress(Exception):
                    await stream.close()
            self._active.discard(key)
            if not self._active:
                self._none_active.set()
        if outcome.action == "ack":
            with contextlib.suppress(Exception):
                await lease.finish()
        elif outcome.action == "nak":
            with contextlib.suppress(Exception):
                await lease.release()
        log.info(
            "socket %s of session %s: %s (%s), %d turns",
            claim.socket_id,
            claim.session_id,
            outcome.action,
            outcome.reason,
            transcriber.turns_published,
        )
        return outcome

    async def _pump(
        self, claim: VoiceClaim, stream: AudioStream, transcriber: SocketTranscriber, lost: asyncio.Event
    ) -> ClaimOutcome:
        last_audio = self.clock()
        while True:
            if lost.is_set():
                return ClaimOutcome("leave", "another replica took the socket over")
            if self._draining:
                return ClaimOutcome("nak", "this replica is shutting down")
            stall_s = transcriber.stall_after_s()
            elapsed = self.clock() - last_audio
            if stall_s is not None:
                wait = stall_s - elapsed
                if wait <= 0:
                    log.info(
                        "socket %s: no audio for %.1f s mid-utterance: ending it", claim.socket_id, elapsed
                    )
                    await transcriber.stalled()
                    continue
            else:
                wait = self.idle_limit_s - elapsed
                if wait <= 0:
                    return ClaimOutcome("ack", f"no audio for {self.idle_limit_s:.0f} s")
            item = await stream.next(timeout=max(0.01, min(wait, POLL_S)))
            if item is None:
                continue
            seq, chunk = item
            if chunk is None or chunk.socket_id != claim.socket_id:
                continue  # another socket of the session, or a message that is not an AudioChunk
            last_audio = self.clock()
            if chunk.hint == "end":
                await transcriber.finish()
                return ClaimOutcome("ack", "the socket closed")
            try:
                await transcriber.feed(seq, chunk)
            except (LeaseLost, asyncio.CancelledError):
                raise
            except Exception:  # a bug on one frame must not stick the socket (a redelivery would replay it)
                log.exception("socket %s: frame %d (stream seq %d) skipped", claim.socket_id, chunk.seq, seq)
            last_audio = self.clock()  # a frame that took long to process is not the client going quiet

    async def _heartbeat(self, delivery: ClaimDelivery, lease: ProgressLease, lost: asyncio.Event) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                await delivery.in_progress()
            except Exception:
                log.warning("could not extend a voice claim", exc_info=True)
            try:
                await lease.renew()
            except LeaseLost:
                lost.set()
                return
            except Exception:
                log.warning("could not renew a socket lease", exc_info=True)

    async def drain(self, timeout_s: float = 5.0) -> None:
        """Shutting down: stop following every socket and hand each over (its claim is nak'ed, its lease
        released, so another replica resumes it at once from its last utterance start)."""
        self._draining = True  # each follower looks at it at least every POLL_S
        if self._active:
            self._none_active.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._none_active.wait(), timeout_s)

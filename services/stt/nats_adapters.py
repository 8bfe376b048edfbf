"""The STT's ports on NATS and storage: the session's audio as an ordered JetStream consumer, the socket's
progress and lease in a KV bucket (compare-and-set), the outbox (FastStream publishers, so the AsyncAPI
document lists what the STT publishes), and the session record as the turn's context."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any

import nats.errors
from faststream.nats import JStream, NatsBroker, NatsRouter
from faststream.nats.publisher.usecase import LogicPublisher
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import ValidationError

from services.stt.audio import Position
from services.stt.claims import AlreadyFinished, HeldElsewhere
from services.stt.domain.prompting import TurnContext
from services.stt.transcriber import LeaseLost, Resume
from shared import subjects
from shared.events import AudioChunk, BargeIn, ProvisionalTurn, TranscriptUpdate, TurnFailed, UserTurn
from shared.interview_types import find_interview_type
from shared.sessions import SessionRepository

_KV_KEY_UNSAFE = re.compile(r"[^-/_=.a-zA-Z0-9]")


# --- audio -------------------------------------------------------------------------------------------------


class JetStreamAudioStream:
    def __init__(self, subscription: JetStreamContext.PushSubscription) -> None:
        self._sub = subscription

    async def next(self, timeout: float) -> tuple[int, AudioChunk | None] | None:
        try:
            msg = await self._sub.next_msg(timeout=timeout)
        except nats.errors.TimeoutError:
            return None
        seq = msg.metadata.sequence.stream
        try:
            return seq, AudioChunk.model_validate_json(msg.data)
        except ValidationError:
            return seq, None

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._sub.unsubscribe()


class JetStreamAudioSource:
    """An ordered consumer (ephemeral, flow-controlled, recreated on gaps) of `prepai.audio.{sid}` from a
    stream sequence: the socket's frames in order, however far behind the reader is."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js

    async def open(self, session_id: str, from_seq: int) -> JetStreamAudioStream:
        subscription = await self.js.subscribe(
            subjects.audio(session_id),
            ordered_consumer=True,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=max(1, from_seq)
            ),
        )
        return JetStreamAudioStream(subscription)


# --- progress ------------------------------------------------------------------------------------------------


def progress_key(session_id: str, socket_id: str) -> str:
    return _KV_KEY_UNSAFE.sub("_", f"{session_id}.{socket_id}")


def _encode(owner: str, expires: float, resume: Resume, *, done: bool = False) -> bytes:
    return json.dumps(
        {
            "owner": owner,
            "expires": expires,
            "done": done,
            "seq": resume.position.seq,
            "carry": resume.position.carry.hex(),
            "skip": resume.position.skip,
            "utterance": resume.utterance,
            "vad": base64.b64encode(resume.vad_state).decode() if resume.vad_state else None,
        }
    ).encode()


def _decode(value: bytes | None) -> dict[str, Any]:
    try:
        record = json.loads(value or b"{}")
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def _resume_of(record: dict[str, Any], default: Resume) -> Resume:
    try:
        return Resume(
            Position(
                int(record["seq"]), bytes.fromhex(record.get("carry") or ""), int(record.get("skip") or 0)
            ),
            int(record.get("utterance") or 0),
            base64.b64decode(record["vad"]) if record.get("vad") else None,
        )
    except (KeyError, TypeError, ValueError):
        return default


class KvProgressLease:
    """The socket's lease and progress in one KV entry; every write is compare-and-set on the revision
    this replica last wrote, so a replica that lost the socket finds out at its next write."""

    def __init__(
        self, kv: KeyValue, key: str, owner: str, lease_s: float, revision: int, resume: Resume
    ) -> None:
        self.kv = kv
        self.key = key
        self.owner = owner
        self.lease_s = lease_s
        self._revision = revision
        self._resume = resume
        self._initial = resume

    @property
    def resume(self) -> Resume:
        return self._initial

    async def _write(self, resume: Resume, *, expires: float | None = None, done: bool = False) -> None:
        value = _encode(
            self.owner, time.time() + self.lease_s if expires is None else expires, resume, done=done
        )
        try:
            self._revision = await self.kv.update(self.key, value, last=self._revision)
        except (KeyWrongLastSequenceError, BadRequestError) as exc:  # nats-py: a revision conflict is 10071
            if isinstance(exc, BadRequestError) and exc.err_code != 10071:
                raise
            raise LeaseLost(self.key) from exc
        self._resume = resume

    async def save(self, resume: Resume) -> None:
        await self._write(resume)

    async def renew(self) -> None:
        await self._write(self._resume)

    async def finish(self) -> None:
        await self._write(self._resume, done=True)

    async def release(self) -> None:
        await self._write(self._resume, expires=0.0)


class KvProgressStore:
    def __init__(self, kv: KeyValue, lease_s: float, owner: str | None = None) -> None:
        self.kv = kv
        self.lease_s = lease_s
        self.owner = owner or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    async def acquire(
        self, session_id: str, socket_id: str, start: Resume
    ) -> KvProgressLease | HeldElsewhere | AlreadyFinished:
        key = progress_key(session_id, socket_id)
        for _ in range(3):
            try:
                revision = await self.kv.create(key, _encode(self.owner, time.time() + self.lease_s, start))
                return KvProgressLease(self.kv, key, self.owner, self.lease_s, revision, start)
            except KeyWrongLastSequenceError:
                pass
            try:
                entry = await self.kv.get(key)
            except KeyNotFoundError:
                continue  # deleted meanwhile: create it
            record = _decode(entry.value)
            if record.get("done"):
                return AlreadyFinished()
            if float(record.get("expires") or 0) > time.time():
                return HeldElsewhere(str(record.get("owner") or "?"))
            resume = _resume_of(record, start)
            try:
                revision = await self.kv.update(
                    key, _encode(self.owner, time.time() + self.lease_s, resume), last=entry.revision
                )
            except (KeyWrongLastSequenceError, BadRequestError):
                return HeldElsewhere("another replica (taken over meanwhile)")
            return KvProgressLease(self.kv, key, self.owner, self.lease_s, revision, resume)
        return HeldElsewhere("unknown (the progress entry kept changing)")


# --- outbox ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NatsVoiceOutbox:
    """Transcripts, speculation, barge-ins and failures on core NATS (the socket's gateway and the agent
    follow them live); the final turn on the TURNS work queue, de-duplicated by its id."""

    broker: NatsBroker
    transcripts: LogicPublisher
    speculation: LogicPublisher
    bargeins: LogicPublisher
    failures: LogicPublisher
    turns: LogicPublisher

    @classmethod
    def declare(cls, broker: NatsBroker, registrar: NatsRouter | NatsBroker) -> NatsVoiceOutbox:
        return cls(
            broker=broker,
            transcripts=registrar.publisher(
                subjects.out("{session_id}", "transcript"),
                schema=TranscriptUpdate,
                title="stt: transcript",
                description="What the candidate is saying: partial (about every second, and after each "
                "pause) then final, with the upcoming turn's id.",
            ),
            speculation=registrar.publisher(
                subjects.speculate("{session_id}"),
                schema=ProvisionalTurn,
                title="stt: provisional turn",
                description="The words so far after each pause (`likely_final=False`), the probable whole "
                "answer when the candidate falls silent (`likely_final=True`), `cancelled` when speech resumes.",
            ),
            bargeins=registrar.publisher(
                subjects.out("{session_id}", "bargein"),
                schema=BargeIn,
                title="stt: barge-in",
                description="The candidate spoke over the interviewer (checked not to be its echo).",
            ),
            failures=registrar.publisher(
                subjects.out("{session_id}", "error"),
                schema=TurnFailed,
                title="stt: audio or transcription failed",
                description="`audio_unreadable` (turn_id: the socket id): a frame could not be decoded; "
                "`transcription_failed`: part of an answer could not be transcribed.",
            ),
            turns=registrar.publisher(
                subjects.turn("{session_id}"),
                stream=JStream(subjects.TURNS_STREAM, declare=False),
                schema=UserTurn,
                title="stt: spoken turn",
                description="The candidate's finished spoken answer (kind `speech`), Nats-Msg-Id = turn id "
                "(`{socket_id}-{n}`): a replica that resumes a socket re-publishes the same id, dropped.",
            ),
        )

    async def transcript(self, update: TranscriptUpdate) -> None:
        await self.transcripts.publish(update, subject=subjects.out(update.session_id, "transcript"))

    async def speculate(self, event: ProvisionalTurn) -> None:
        await self.speculation.publish(event, subject=subjects.speculate(event.session_id))

    async def barge_in(self, event: BargeIn) -> None:
        await self.bargeins.publish(event, subject=subjects.out(event.session_id, "bargein"))

    async def failed(self, event: TurnFailed) -> None:
        await self.failures.publish(event, subject=subjects.out(event.session_id, "error"))

    async def turn(self, turn: UserTurn) -> bool:
        # Through JetStream directly for its PubAck (a duplicate is not announced twice); the `turns`
        # publisher stays declared: it documents the subject.
        ack = await self.broker.connection.jetstream().publish(
            subjects.turn(turn.session_id), turn.to_bytes(), headers={"Nats-Msg-Id": turn.turn_id}
        )
        return not ack.duplicate


# --- the session as context ------------------------------------------------------------------------------------


class SessionContext:
    """The `ContextSource` port on the session record: the interviewer's last line, the CV skills, the phase."""

    def __init__(self, repo: SessionRepository) -> None:
        self.repo = repo

    async def context(self, session_id: str) -> TurnContext:
        record = await self.repo.get(session_id)
        question = next((e.text for e in reversed(record.transcript) if e.role == "assistant"), "")
        skills = tuple(record.cv_analysis.skills) if record.cv_analysis else ()
        phase = record.agent_state.get("phase")
        itype = find_interview_type(record.interview_type)
        return TurnContext(
            question=question,
            skills=skills,
            vocabulary=tuple(itype.vocabulary) if itype else (),
            phase=phase if isinstance(phase, str) else "",
        )

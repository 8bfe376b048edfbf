"""The STT's NATS handlers: voice claims (JetStream pull, one durable consumer shared by every replica,
manual acks) and what the client is playing (core NATS, every replica hears every session).

NATS in, NATS out, nothing else: FastStream parses each message into its typed event, the claim follower
(from the application context, put there by `bootstrap.py`) follows the socket, and the handler turns its
outcome into an ack, a nak or nothing. A message that is not a valid event is dropped for good by the
broker's middleware (`reject_unreadable`).
"""

from __future__ import annotations

import logging
from typing import Annotated

from faststream import AckPolicy, Context
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub

from services.stt.claims import ClaimFollower
from services.stt.playback import PlaybackBoard
from shared import subjects
from shared.config import Settings
from shared.events import PlaybackUpdate, VoiceClaim
from shared.messaging import stt_claims_consumer

log = logging.getLogger(__name__)

Claims = Annotated[ClaimFollower, Context("claims")]
Board = Annotated[PlaybackBoard, Context("playback")]


class _NatsDelivery:
    def __init__(self, msg: NatsMessage) -> None:
        self.msg = msg
        self._delivered = msg.raw_message.metadata.num_delivered

    @property
    def num_delivered(self) -> int:
        return self._delivered

    async def in_progress(self) -> None:
        await self.msg.in_progress()


def build_router(settings: Settings) -> NatsRouter:
    router = NatsRouter()

    @router.subscriber(
        subjects.VOICE_SUBJECTS[0],
        stream=JStream(subjects.VOICE_STREAM, declare=False),  # declared by shared.messaging.ensure_streams
        durable=subjects.STT_CLAIMS_CONSUMER,
        config=stt_claims_consumer(settings),
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        max_workers=settings.stt_max_sockets,
        title="stt: voice claims",
        description="A socket started sending audio: one replica follows it to its end (heartbeats keep the "
        "claim; if the replica dies another one resumes it from the last utterance start).",
    )
    async def on_claim(claim: VoiceClaim, msg: NatsMessage, claims: Claims) -> None:
        try:
            outcome = await claims.follow(claim, _NatsDelivery(msg))
        except Exception:
            # A bug or an outage (KV, stream): let another replica (or this one, later) try again.
            log.exception("socket %s of session %s failed; will retry", claim.socket_id, claim.session_id)
            await msg.nack(delay=2.0)
            return
        if outcome.action == "ack":
            await msg.ack()
        elif outcome.action == "nak":
            await msg.nack(delay=outcome.delay_s)
        # "leave": another replica holds the socket and acks the claim when it is done

    @router.subscriber(
        subjects.PLAYBACK_ALL,
        title="stt: playback",
        description="What the client is playing of the interviewer's reply (tells its echo from barge-in).",
    )
    async def on_playback(update: PlaybackUpdate, board: Board) -> None:
        board.update(update)

    return router

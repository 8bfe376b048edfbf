"""The TTS service's NATS handlers: reply sentences (JetStream pull, one durable consumer shared by every
replica, manual acks) and interrupts (core NATS, every replica hears every one).

NATS in, NATS out, nothing else: FastStream parses each message into its typed event, the speaker (from the
application context, put there by `bootstrap.py`) does the work, and the handler acks. While a sentence is
being synthesised its delivery is kept alive (`in_progress`), so a slow sentence is not handed to a second
replica; a replica that dies stops the heartbeats and its sentence is redelivered after the ack wait.
"""

from __future__ import annotations

import logging
from typing import Annotated

from faststream import AckPolicy, Context
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from nats.js.api import ConsumerConfig

from services.tts.speaker import Speaker
from shared import subjects
from shared.events import Interrupt, SpeakRequest
from shared.messaging import kept_alive

log = logging.getLogger("tts.handlers")

SpeakerDep = Annotated[Speaker, Context("speaker")]


def build_router(consumer: ConsumerConfig, *, concurrency: int) -> NatsRouter:
    """`consumer`: the shared durable consumer (`shared.messaging.tts_sentences_consumer`);
    `concurrency`: sentences one replica works on at once."""
    router = NatsRouter()
    heartbeat_s = max(0.2, (consumer.ack_wait or 10.0) / 3)

    @router.subscriber(
        subjects.SPEECH_SUBJECTS[0],
        stream=JStream(subjects.SPEECH_STREAM, declare=False),  # declared by shared.messaging.ensure_streams
        durable=subjects.TTS_SENTENCES_CONSUMER,
        config=consumer,
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        max_workers=concurrency,
        title="tts: reply sentences",
        description="Every TTS replica pulls from one durable consumer; each sentence is acked once its audio "
        "(or its failure) is published. Sentences of an interrupted turn are acked without synthesis.",
    )
    async def on_sentence(request: SpeakRequest, msg: NatsMessage, speaker: SpeakerDep) -> None:
        delivered = msg.raw_message.metadata.num_delivered
        try:
            async with kept_alive(msg, heartbeat_s):
                spoken = await speaker.speak(request)
        except Exception:
            # Publishing failed (NATS down?): let JetStream hand the sentence out again, spaced out.
            log.exception("sentence %d of turn %s failed; will retry", request.index, request.turn_id)
            await msg.nack(delay=min(5.0, 0.25 * 2**delivered))
            return
        await msg.ack()
        log.info(
            "turn %s sentence %d%s: %s%s",
            request.turn_id,
            request.index,
            " (final)" if request.final else "",
            spoken.status,
            f" by {spoken.engine} in {spoken.synthesis_s:.2f} s, {spoken.duration_s:.2f} s of audio"
            if spoken.status == "spoken"
            else "",
        )

    @router.subscriber(
        subjects.CONTROL_ALL,
        title="tts: interrupt",
        description="Stop the reply in flight: sentences of the interrupted turn not yet synthesised are not.",
    )
    async def on_control(event: Interrupt, speaker: SpeakerDep) -> None:
        if speaker.interrupt(event):
            log.info("turn %s of session %s interrupted", event.turn_id or "(current)", event.session_id)

    return router

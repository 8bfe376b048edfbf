"""The speaker's outbox on NATS: a FastStream publisher, so the AsyncAPI document lists what TTS publishes."""

from __future__ import annotations

from dataclasses import dataclass

from faststream.nats import NatsBroker, NatsRouter
from faststream.nats.publisher.usecase import LogicPublisher

from shared import subjects
from shared.events import SpeechAudio


@dataclass(frozen=True)
class NatsAudioOutbox:
    """Sentences go out on core NATS (`prepai.out.{sid}.audio`): the gateway holding the socket follows them
    live. Delivery is at least once: a sentence redelivered after a replica died may come out twice, with
    the same (turn_id, index)."""

    audio: LogicPublisher

    @classmethod
    def declare(cls, registrar: NatsRouter | NatsBroker) -> NatsAudioOutbox:
        return cls(
            audio=registrar.publisher(
                subjects.out("{session_id}", "audio"),
                schema=SpeechAudio,
                title="tts: sentence audio",
                description="One sentence of a reply as a WAV (RIFF, PCM16 mono), inline (`wav`, base64) or "
                "by reference (`audio_key`) when larger than a NATS message; `wav` null and `failed` false: "
                "nothing to say; `failed`: no engine could say it. `index`/`final` as requested: the "
                "gateway restores the order and drops duplicates of a (turn_id, index).",
            )
        )

    async def publish(self, audio: SpeechAudio) -> None:
        await self.audio.publish(audio, subject=subjects.out(audio.session_id, "audio"))

"""The use case: speak one sentence of a reply. Ports: SpeechEngine, AudioOutbox (and shared ObjectStore).

For each `SpeakRequest` (any replica may take any sentence; `index` and `final` pass through untouched, the
gateway puts the sentences back in order):

1. a sentence of an interrupted turn is dropped before any work: nothing is synthesised or published;
2. the text is made speakable (`domain.speech_text`); nothing to say -> `SpeechAudio(wav=None)`, so the
   gateway still sees every index;
3. the engine synthesises it in a worker thread (never on the event loop; an engine that is not
   thread-safe is serialised by a lock); if it fails, times out or returns no audio, the fallback engine
   (espeak-ng) says the sentence instead; if every engine fails -> `SpeechAudio(failed=True)`;
4. if the turn was interrupted meanwhile, the audio is dropped (the gateway stops the turn anyway);
5. the WAV is published inline (base64) and then kept as a recording; a WAV larger than a NATS message is
   stored first and published by reference (`audio_key`).

A request marked `ahead` (a reply the agent wrote before the turn was certain) is synthesised and kept in
storage under `ahead_key`, and nothing is published; when the real request for the same words comes (from
any replica), that audio is sent at once instead of being synthesised again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal, Protocol

from services.tts.domain import (
    InterruptedTurns,
    ahead_key,
    frame_wav,
    pcm_duration_s,
    read_wav,
    recording_key,
    speech_text,
    trim_silence,
)
from shared.events import Interrupt, SpeakRequest, SpeechAudio
from shared.messaging import MAX_INLINE_AUDIO_BYTES
from shared.storage import ObjectNotFound, ObjectStore

log = logging.getLogger("tts.speaker")

WARM_UP_TEXT = "Hello, let's begin."
DEFAULT_SYNTHESIS_TIMEOUT_S = 20.0


class SpeechEngine(Protocol):
    """A text-to-speech engine. `synthesize` is blocking (it runs in a worker thread) and returns PCM16
    little-endian mono samples at `sample_rate`; it raises on failure."""

    @property
    def name(self) -> str: ...

    @property
    def voice(self) -> str: ...

    @property
    def sample_rate(self) -> int: ...

    @property
    def thread_safe(self) -> bool:
        """May `synthesize` run in several threads at once?"""
        ...

    def synthesize(self, text: str) -> bytes: ...


class AudioOutbox(Protocol):
    async def publish(self, audio: SpeechAudio) -> None: ...


Status = Literal["spoken", "silent", "failed", "skipped", "ahead"]


@dataclass(frozen=True)
class Spoken:
    """What became of one sentence (for the log and the tests)."""

    status: Status
    engine: str | None = None
    synthesis_s: float = 0.0
    duration_s: float = 0.0
    audio_key: str | None = None  # set when the audio went by reference


class _Guarded:
    """An engine with its lock, if it needs one."""

    def __init__(self, engine: SpeechEngine) -> None:
        self.engine = engine
        self._lock = None if engine.thread_safe else threading.Lock()

    def synthesize(self, text: str) -> bytes:
        if self._lock is None:
            return self.engine.synthesize(text)
        with self._lock:
            return self.engine.synthesize(text)


class Speaker:
    def __init__(
        self,
        engine: SpeechEngine,
        *,
        store: ObjectStore,
        outbox: AudioOutbox,
        fallback: SpeechEngine | None = None,
        interrupts: InterruptedTurns | None = None,
        synthesis_timeout_s: float = DEFAULT_SYNTHESIS_TIMEOUT_S,
        max_inline_bytes: int = MAX_INLINE_AUDIO_BYTES,
    ) -> None:
        self._engines = [_Guarded(engine)] + ([_Guarded(fallback)] if fallback is not None else [])
        self.store = store
        self.outbox = outbox
        self.interrupts = interrupts or InterruptedTurns()
        self.synthesis_timeout_s = synthesis_timeout_s
        self.max_inline_bytes = max_inline_bytes
        # Sentences being made ahead on this replica (by storage key), and those a real request took.
        self._making_ahead: dict[str, asyncio.Future[bytes | None]] = {}
        self._taken_while_making: set[str] = set()

    @property
    def engine(self) -> SpeechEngine:
        return self._engines[0].engine

    @property
    def fallback(self) -> SpeechEngine | None:
        return self._engines[1].engine if len(self._engines) > 1 else None

    async def warm_up(self) -> float:
        """One short sentence through every engine, so the first reply pays no first-call cost. An engine
        that fails its warm-up is dropped (the fallback takes its place, with a warning); RuntimeError if
        none is left. Returns the main engine's warm-up time (s)."""
        times: dict[str, float] = {}
        working = []
        for guarded in self._engines:
            started = time.perf_counter()
            try:
                pcm = await asyncio.wait_for(
                    asyncio.to_thread(guarded.synthesize, WARM_UP_TEXT), self.synthesis_timeout_s
                )
                if not pcm:
                    raise RuntimeError("it produced no audio")
            except Exception as error:
                log.warning(
                    "the %s engine failed its warm-up (%s): it is not used",
                    guarded.engine.name,
                    error or type(error).__name__,
                )
                continue
            times[guarded.engine.name] = time.perf_counter() - started
            working.append(guarded)
        if not working:
            raise RuntimeError("no TTS engine works (see the warnings above)")
        if working[0] is not self._engines[0]:
            log.warning("speaking with %s instead of %s", working[0].engine.name, self.engine.name)
        self._engines = working
        return times[self.engine.name]

    def interrupt(self, event: Interrupt) -> bool:
        """Remember an interrupt; True if it is new."""
        return self.interrupts.add(event.session_id, event.turn_id, event.ts)

    def interrupted(self, request: SpeakRequest) -> bool:
        return self.interrupts.covers(request.session_id, request.turn_id, request.ts)

    def _ahead_key(self, request: SpeakRequest, text: str) -> str:
        return ahead_key(request.session_id, f"{self.engine.name}/{self.engine.voice}", text)

    async def speak(self, request: SpeakRequest) -> Spoken:
        if self.interrupted(request):
            return Spoken("skipped")
        text = speech_text(request.text)
        if request.ahead:
            return await self._make_ahead(request, text)
        if not text:
            await self.outbox.publish(self._audio(request))
            return Spoken("silent")
        made_ahead = await self._made_ahead(request, text)
        if made_ahead is not None:
            return await self._deliver(request, made_ahead, f"{self.engine.name} (made ahead)", 0.0)
        made = await self._make(request, text)
        if isinstance(made, Spoken):
            if made.status != "skipped":
                await self.outbox.publish(self._audio(request, failed=made.status == "failed"))
            return made
        wav, engine, seconds = made
        return await self._deliver(request, wav, engine, seconds)

    async def _make(self, request: SpeakRequest, text: str) -> tuple[bytes, str, float] | Spoken:
        """The sentence as a WAV with the engine and seconds it took, or what became of it instead."""
        synthesis = await self._synthesize(text, request)
        if self.interrupted(request):  # the candidate barged in while this sentence was being made
            return Spoken("skipped")
        if synthesis is None:
            return Spoken("failed")
        engine, pcm, seconds = synthesis
        pcm = trim_silence(pcm, engine.sample_rate)
        if not pcm:
            return Spoken("silent", engine.name, seconds)
        return frame_wav(pcm, engine.sample_rate), engine.name, seconds

    async def _make_ahead(self, request: SpeakRequest, text: str) -> Spoken:
        """Synthesise and keep the sentence for its real request; a real request arriving meanwhile on this
        replica takes the audio as soon as it is made (and it is then not stored)."""
        if not text:
            return Spoken("silent")
        key = self._ahead_key(request, text)
        making: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._making_ahead[key] = making
        try:
            made = await self._make(request, text)
        except BaseException:
            making.set_result(None)
            raise
        finally:
            del self._making_ahead[key]
        making.set_result(None if isinstance(made, Spoken) else made[0])
        if isinstance(made, Spoken):
            return made
        wav, engine, seconds = made
        if key in self._taken_while_making:
            self._taken_while_making.discard(key)
            return Spoken("ahead", engine, seconds)
        try:
            await self.store.put(key, wav, content_type="audio/wav")
        except Exception:  # the real request will synthesise it
            log.warning("could not keep sentence %d of turn %s made ahead", request.index, request.turn_id)
            return Spoken("failed", engine, seconds)
        return Spoken("ahead", engine, seconds)

    async def _made_ahead(self, request: SpeakRequest, text: str) -> bytes | None:
        """The WAV synthesised ahead for these words (taken: each is used once), or None. One still being
        made on this replica is waited for."""
        key = self._ahead_key(request, text)
        making = self._making_ahead.get(key)
        if making is not None:
            self._taken_while_making.add(key)
            try:
                return await asyncio.wait_for(asyncio.shield(making), self.synthesis_timeout_s)
            except TimeoutError:
                return None
        try:
            stored = await self.store.get(key)
        except ObjectNotFound:
            return None
        except Exception:  # an optimisation: synthesise instead
            log.warning("could not read %s", key, exc_info=True)
            return None
        try:
            await self.store.delete(key)
        except Exception:
            log.warning("could not remove %s", key, exc_info=True)
        return stored.data

    async def _deliver(self, request: SpeakRequest, wav: bytes, engine: str, seconds: float) -> Spoken:
        """Publish the sentence's WAV (inline, or by reference when large) and keep it as a recording."""
        pcm, rate = read_wav(wav)
        duration = pcm_duration_s(pcm, rate)
        key = recording_key(request.session_id, request.turn_id, request.index)
        if len(wav) > self.max_inline_bytes:
            try:
                await self.store.put(key, wav, content_type="audio/wav")
            except Exception:
                log.exception("could not store %s: sentence %d reported failed", key, request.index)
                await self.outbox.publish(self._audio(request, failed=True))
                return Spoken("failed", engine, seconds)
            await self.outbox.publish(self._audio(request, audio_key=key, duration_s=duration))
            return Spoken("spoken", engine, seconds, duration, key)
        # Inline: the candidate hears it first; the recording is kept after (losing it loses no audio).
        await self.outbox.publish(self._audio(request, wav=wav, duration_s=duration))
        try:
            await self.store.put(key, wav, content_type="audio/wav")
        except Exception:
            log.exception("could not keep the recording %s", key)
        return Spoken("spoken", engine, seconds, duration)

    async def _synthesize(self, text: str, request: SpeakRequest) -> tuple[SpeechEngine, bytes, float] | None:
        """The first engine's audio that works, with the seconds it took; None if every engine failed."""
        for position, guarded in enumerate(self._engines):
            if position and self.interrupted(request):
                return None
            started = time.perf_counter()
            try:
                pcm = await asyncio.wait_for(
                    asyncio.to_thread(guarded.synthesize, text), self.synthesis_timeout_s
                )
                if not pcm:
                    raise RuntimeError("no audio")
            except Exception as error:
                following = (
                    self._engines[position + 1].engine.name if position + 1 < len(self._engines) else None
                )
                log.warning(
                    "%s failed on sentence %d of turn %s (%s)%s",
                    guarded.engine.name,
                    request.index,
                    request.turn_id,
                    repr(error) if isinstance(error, TimeoutError) else error,
                    f": trying {following}" if following else "",
                )
                continue
            return guarded.engine, pcm, time.perf_counter() - started
        log.error("no engine could say sentence %d of turn %s: %r", request.index, request.turn_id, text)
        return None

    @staticmethod
    def _audio(
        request: SpeakRequest,
        *,
        wav: bytes | None = None,
        audio_key: str | None = None,
        duration_s: float = 0.0,
        failed: bool = False,
    ) -> SpeechAudio:
        return SpeechAudio(
            session_id=request.session_id,
            turn_id=request.turn_id,
            index=request.index,
            text=request.text,
            final=request.final,
            wav=wav,  # raw here, base64 in the JSON on the wire
            audio_key=audio_key,
            duration_s=round(duration_s, 3),
            failed=failed,
        )

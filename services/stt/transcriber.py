"""One socket's speech to turns: audio -> VAD frames -> turn-taking -> decodes -> transcript events.

`SocketTranscriber` owns the socket's timeline. Each 512-sample window goes through the VAD and the
`TurnTaker` (domain), whose actions it carries out:

- a committed segment is decoded in the background (one decode at a time per socket, in order, each
  prompted with the words before it), then published as a partial transcript and a `ProvisionalTurn`;
  a reopened one (too short to decode alone, and speech went on) is forgotten: the next segment covers it;
- a partial transcript is decoded about every second of speech, only when the model is idle;
- at the likely end, `ProvisionalTurn(likely_final=True)`; if speech resumes, `cancelled=True`;
- at the end of a turn the remaining audio (usually none: the pause already committed it) is decoded,
  the recording is stored, and the `UserTurn` and the final transcript are published;
- speech over the interviewer's voice is decoded after `bargein_min_speech_ms` and compared with what is
  playing: the interviewer's echo is dropped, the candidate's speech is a `BargeIn` and the start of a turn
  (a check that heard no words is repeated with more speech: not knowing is not echo).

After every turn (and every discarded utterance or long silence) it saves where the next utterance
starts (`Checkpoints`): a replica that takes the socket over replays from there and, the timeline being
deterministic, produces the same turn ids (the turn's Nats-Msg-Id drops a duplicate).

The ports below are Protocols: the tests run all of this with fakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np

from services.stt.audio import (
    EMPTY,
    Position,
    Samples,
    Timeline,
    UnreadableAudio,
    decode_container,
    pcm16_to_samples,
    wav_bytes,
)
from services.stt.domain.hallucinations import DecodedSegment as DecodedSegment  # re-exported: the port's
from services.stt.domain.hallucinations import TimedWord as TimedWord  # vocabulary for model adapters
from services.stt.domain.hallucinations import plausible_segments, segments_text, segments_words
from services.stt.domain.language import Speaker, clean_transcript, who_spoke
from services.stt.domain.prompting import TurnContext, hotword_terms, is_blank, join_text, segment_prompt
from services.stt.domain.turn_taking import (
    SAMPLE_RATE,
    Action,
    CheckBargeIn,
    Checkpoint,
    CommitSegment,
    Discarded,
    EndpointRules,
    LikelyFinal,
    PartialDue,
    SegmentReopened,
    Span,
    SpeculationCancelled,
    TurnEnded,
    TurnTaker,
    UtteranceStarted,
    ms_to_samples,
    samples_to_ms,
)
from shared.events import (
    AudioChunk,
    BargeIn,
    ProvisionalTurn,
    TranscriptUpdate,
    TurnFailed,
    UserTurn,
    Word,
    now,
)
from shared.storage import ObjectStore

log = logging.getLogger(__name__)

WINDOW = 512  # samples per VAD frame (32 ms)
YIELD_EVERY = 64  # frames processed between two yields to the event loop (a huge frame does not starve it)
CONTEXT_TTL_S = 30.0  # the session record is re-read at an utterance start after this long (or after a turn)
DECODE_TAIL_S = 0.3  # silence decoded after the last speech frame (the VAD's end is a window early at most)
RECORDING_TAIL_S = 0.5  # silence kept after the last word in the recording
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
E = TypeVar("E")


# --- ports -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transcription:
    text: str
    words: tuple[TimedWord, ...] = ()
    # The model's segments with their scores, for dropping what it invented (`domain/hallucinations.py`);
    # a model that gives none (a fake) is taken at its word.
    segments: tuple[DecodedSegment, ...] = ()

    def plausible(self, *, hotwords: Sequence[str] = (), prompt: str | None = None) -> Transcription:
        """Without what the model wrote over silence or noise, read back from the prompt or the hotwords,
        or repeated in a loop; the text cleaned of notes for sounds."""
        if not self.segments:
            return Transcription(clean_transcript(self.text), self.words)
        kept = tuple(plausible_segments(self.segments, hotwords=hotwords, prompt=prompt))
        return Transcription(segments_text(kept), segments_words(kept), kept)


class SpeechModel(Protocol):
    def transcribe(
        self,
        audio: Samples,
        *,
        hotwords: str | None,
        prompt: str | None,
        word_timestamps: bool = True,
        draft: bool = False,
    ) -> Transcription:
        """Blocking (the transcriber runs it in a worker thread). `draft`: a quick, rougher decode for a
        partial transcript (no word timings)."""
        ...


class VadStream(Protocol):
    def probability(self, window: Samples) -> float: ...

    def state(self) -> bytes: ...


class VoiceActivity(Protocol):
    def stream(self, state: bytes | None = None) -> VadStream: ...


class VoiceOutbox(Protocol):
    async def transcript(self, update: TranscriptUpdate) -> None: ...

    async def speculate(self, event: ProvisionalTurn) -> None: ...

    async def barge_in(self, event: BargeIn) -> None: ...

    async def failed(self, event: TurnFailed) -> None: ...

    async def turn(self, turn: UserTurn) -> bool:
        """Publish the turn (de-duplicated by its id); False if it had been published already."""
        ...


class ContextSource(Protocol):
    async def context(self, session_id: str) -> TurnContext: ...


class Playback(Protocol):
    def playing(self, session_id: str, at: float) -> str | None:
        """What the interviewer is saying on the client at `at` (epoch s, the gateway's clock), or None
        (its echo tail included)."""
        ...

    def ended(self, session_id: str, at: float) -> bool:
        """Is `at` past the estimated end of the interviewer's voice (in its echo tail, or later)?"""
        ...


@dataclass(frozen=True)
class Resume:
    """Where a socket's next utterance starts: its audio position, the turn counter, the VAD's state there."""

    position: Position
    utterance: int = 0
    vad_state: bytes | None = None


class LeaseLost(Exception):
    """Another replica took this socket over: stop following it."""


class Checkpoints(Protocol):
    async def save(self, resume: Resume) -> None:
        """Store the resume point (raises LeaseLost if another replica holds the socket now)."""
        ...


# --- the decoder shared by every socket of a process ------------------------------------------------------


@dataclass
class DecodeStats:
    decodes: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    skipped_partials: int = 0
    withdrawn: int = 0  # segment decodes whose text was dropped (the segment reopened: decoded again)


class DecodeQueue:
    """The process's speech model behind one worker thread: decodes run one at a time, in order; an
    optional decode (a partial transcript) is skipped when any other is running or waiting."""

    def __init__(self, model: SpeechModel) -> None:
        self.model = model
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stt-decode")
        self._waiting = 0
        self.stats = DecodeStats()

    @property
    def busy(self) -> bool:
        return self._waiting > 0

    async def decode(
        self,
        audio: Samples,
        *,
        hotwords: str | None,
        prompt: str | None,
        word_timestamps: bool = True,
        draft: bool = False,
    ) -> Transcription:
        self._waiting += 1
        try:
            loop = asyncio.get_running_loop()
            started = time.perf_counter()
            result = await loop.run_in_executor(
                self._executor,
                lambda: self.model.transcribe(
                    audio, hotwords=hotwords, prompt=prompt, word_timestamps=word_timestamps, draft=draft
                ),
            )
            elapsed = time.perf_counter() - started
            self.stats.decodes += 1
            self.stats.seconds += elapsed
            self.stats.audio_seconds += len(audio) / SAMPLE_RATE
            log.debug(
                "decoded %.2f s of audio in %.2f s%s: %r",
                len(audio) / SAMPLE_RATE,
                elapsed,
                " (draft)" if draft else "",
                result.text[:60],
            )
            return result
        finally:
            self._waiting -= 1

    async def try_decode(
        self, audio: Samples, *, hotwords: str | None, prompt: str | None
    ) -> Transcription | None:
        if self.busy:
            self.stats.skipped_partials += 1
            return None
        return await self.decode(audio, hotwords=hotwords, prompt=prompt, word_timestamps=False, draft=True)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


# --- one socket ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pipeline:
    """What every socket of a process shares: the model, the VAD, the ports, the rules."""

    decoder: DecodeQueue
    vad: VoiceActivity
    outbox: VoiceOutbox
    context: ContextSource
    playback: Playback
    store: ObjectStore
    rules: EndpointRules


@dataclass(frozen=True)
class _Decoded:
    span: Span
    result: Transcription


@dataclass
class _Utterance:
    """The service's side of the utterance in progress: its decodes and what was published for it."""

    index: int
    turn_id: str
    onset: int
    context: TurnContext
    playing_text: str | None
    after_playback: bool = False  # started in the echo tail: the reply was over (no barge-in to announce)
    commits: list[asyncio.Task[_Decoded]] = field(default_factory=list)
    withdrawn: set[asyncio.Task[_Decoded]] = field(default_factory=set)  # reopened: their text is not kept
    decoded: list[_Decoded] = field(default_factory=list)  # committed segments, in order, as they finish
    applied: int = 0  # commits handed to the TurnTaker
    partial: asyncio.Task[tuple[int, Transcription | None]] | None = None
    check: asyncio.Task[Transcription] | None = None
    speculation: asyncio.Future[str] | None = None  # the draft of the segment the current pause committed
    last_draft: tuple[Span, str] | None = None  # the latest partial transcript's span and text
    check_speech_ms: float = 0.0
    failed: bool = False
    barged_in: bool = False
    last_partial: str = ""

    @property
    def committed_text(self) -> str:
        return join_text([d.result.text for d in self.decoded])

    def background(self) -> list[asyncio.Future[Any]]:
        tasks: list[asyncio.Future[Any]] = [*self.commits, *self.withdrawn]
        tasks += [t for t in (self.partial, self.check, self.speculation) if t is not None]
        return tasks


class SocketTranscriber:
    def __init__(
        self,
        *,
        session_id: str,
        socket_id: str,
        speak: bool,
        resume: Resume,
        pipeline: Pipeline,
        checkpoints: Checkpoints,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_id = session_id
        self.socket_id = socket_id
        self.speak = speak
        self.pipeline = pipeline
        self.rules = pipeline.rules
        self.checkpoints = checkpoints
        self.clock = clock
        self.utterance_index = resume.utterance
        self.timeline = Timeline()
        self.taker = TurnTaker(self.rules)
        self._vad = pipeline.vad.stream(resume.vad_state)
        self._start = resume.position
        self._first = True
        self._carry = resume.position.carry
        self._pending: Samples = EMPTY  # samples not yet framed (< one window)
        self._u: _Utterance | None = None
        self._context: TurnContext | None = None
        self._context_read_at = 0.0
        self._frames = 0
        self._playing_text: str | None = None  # what the interviewer says over the current chunk, if anything
        self.turns_published = 0

    # --- inputs ----------------------------------------------------------------------------------------

    def turn_id(self, index: int | None = None) -> str:
        return f"{self.socket_id}-{self.utterance_index if index is None else index}"

    def stall_after_s(self) -> float | None:
        """Wall-clock seconds without audio after which the utterance in progress ends (None: no utterance)."""
        ms = self.taker.stall_after_ms()
        return None if ms is None else ms / 1000

    async def feed(self, stream_seq: int, chunk: AudioChunk) -> None:
        """One chunk of this socket, in stream order."""
        if chunk.hint in ("speech_start", "speech_end"):
            self.timeline.passed(stream_seq, self._carry)
            if chunk.hint == "speech_start":
                await self._handle(self.taker.hint_speech_start())
            else:
                await self._settle_check()
                await self._handle(self.taker.hint_speech_end())
            return
        decoded = await self._samples(stream_seq, chunk)
        carry_before = self._carry
        if decoded is None:
            self.timeline.passed(stream_seq, self._carry)
            return
        samples, self._carry = decoded
        if self._first and stream_seq == self._start.seq:
            samples = samples[self._start.skip :]
        self._first = False
        self.timeline.append(stream_seq, carry_before, samples, chunk.received_at, self._carry)
        await self._frame_samples(samples, chunk.received_at)

    async def stalled(self) -> None:
        """No audio for `stall_after_s`: the client stopped streaming mid-utterance."""
        await self._settle_check()
        await self._handle(self.taker.stalled())

    async def finish(self) -> None:
        """The socket closed: finish the utterance in progress (a turn if it has words)."""
        await self._settle_check()
        await self._handle(self.taker.socket_end())

    async def close(self) -> None:
        """Stop background work (the socket is finished or handed over)."""
        if self._u is not None:
            await _cancel(self._u.background())
            self._u = None

    # --- audio -----------------------------------------------------------------------------------------

    async def _samples(self, stream_seq: int, chunk: AudioChunk) -> tuple[Samples, bytes] | None:
        data = chunk.pcm
        if data is None and chunk.audio_key:
            try:
                data = (await self.pipeline.store.get(chunk.audio_key)).data
            except Exception as exc:
                await self._unreadable(f"audio frame {chunk.seq} is not in storage ({exc})")
                return None
        if not data:
            return None
        if chunk.format == "pcm16":
            return pcm16_to_samples(data, self._carry)
        try:
            samples = await asyncio.to_thread(decode_container, data)
        except UnreadableAudio as exc:
            await self._unreadable(f"audio frame {chunk.seq}: {exc}")
            return None
        return samples, self._carry

    async def _unreadable(self, message: str) -> None:
        log.warning("socket %s of session %s: %s", self.socket_id, self.session_id, message)
        await self._publish(
            self.pipeline.outbox.failed,
            TurnFailed(
                session_id=self.session_id, turn_id=self.socket_id, code="audio_unreadable", message=message
            ),
        )

    async def _frame_samples(self, samples: Samples, received_at: float) -> None:
        buffer = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        offset = 0
        playing_text = self.pipeline.playback.playing(self.session_id, received_at)
        tail = playing_text is not None and self.pipeline.playback.ended(self.session_id, received_at)
        while len(buffer) - offset >= WINDOW:
            window = buffer[offset : offset + WINDOW]
            offset += WINDOW
            await self._apply_finished()
            probability = self._vad.probability(window)
            self._playing_text = playing_text
            await self._handle(
                self.taker.frame(probability, WINDOW, playing=playing_text is not None, tail=tail)
            )
            while self.taker.blocked:
                if not await self._wait_for_decodes():
                    log.error(
                        "session %s: turn-taking waits for a decode that is not running", self.session_id
                    )
                    break
            self._frames += 1
            if self._frames % YIELD_EVERY == 0:
                await asyncio.sleep(0)
                if not self.taker.in_utterance:  # keep only what a future utterance's pre-roll may need
                    self.timeline.keep_from(
                        max(self.taker.floor, self.taker.t - ms_to_samples(self.rules.preroll_ms) - WINDOW)
                    )
        self._pending = buffer[offset:].copy() if offset < len(buffer) else EMPTY

    # --- actions ---------------------------------------------------------------------------------------

    async def _handle(self, actions: Sequence[Action]) -> None:
        for action in actions:
            if isinstance(action, UtteranceStarted):
                await self._started(action)
            elif isinstance(action, CommitSegment):
                self._commit(action)
            elif isinstance(action, SegmentReopened):
                self._reopen()
            elif isinstance(action, PartialDue):
                self._maybe_partial(action.span)
            elif isinstance(action, CheckBargeIn):
                self._check(action)
            elif isinstance(action, LikelyFinal):
                await self._speculate(action.text, likely_final=True)
            elif isinstance(action, SpeculationCancelled):
                await self._speculate(action.text, cancelled=True)
            elif isinstance(action, TurnEnded):
                await self._end_turn(action)
            elif isinstance(action, Discarded):
                await self._discarded(action)
            elif isinstance(action, Checkpoint):
                await self._checkpoint()

    async def _started(self, action: UtteranceStarted) -> None:
        context = await self._turn_context()
        self.taker.coding = context.coding
        self._u = _Utterance(
            index=self.utterance_index,
            turn_id=self.turn_id(),
            onset=action.onset,
            context=context,
            playing_text=self._playing_text if action.provisional else None,
            after_playback=action.after_playback,
        )

    async def _turn_context(self) -> TurnContext:
        if self._context is not None and self.clock() - self._context_read_at < CONTEXT_TTL_S:
            return self._context
        try:
            self._context = await asyncio.wait_for(
                self.pipeline.context.context(self.session_id), timeout=2.0
            )
        except Exception as exc:  # no bias this time; transcription goes on
            log.warning("session %s: could not read the session for hotwords (%r)", self.session_id, exc)
            self._context = self._context or TurnContext()
        self._context_read_at = self.clock()
        return self._context

    def _commit(self, action: CommitSegment) -> None:
        """Decode a committed segment (in order, after the ones before it); at a pause, a quick draft of it
        first (or the partial transcript's, if it heard the whole segment): if it sounds finished, the agent
        hears of the likely end well before the final text."""
        u = self._u
        assert u is not None
        span = action.span
        previous: asyncio.Future[Any] | None = u.commits[-1] if u.commits else None
        commit = asyncio.create_task(self._decode_commit(u, span, action.speech_end, previous))
        u.commits.append(commit)
        if action.pause:
            heard = u.last_draft
            if heard is not None and heard[0][0] == span[0] and heard[0][1] >= action.speech_end:
                u.speculation = asyncio.get_running_loop().create_future()
                u.speculation.set_result(heard[1])
            else:
                # The segment's own decode, not a rougher draft before it: with the encoder window fitted to
                # the audio it is fast enough, and the likely final text is then the final text itself, so
                # the reply the agent writes ahead is the one it keeps.
                u.speculation = asyncio.create_task(self._text_of(commit))

    def _reopen(self) -> None:
        """The last commit is withdrawn (the TurnTaker forgot its text, or will never get it): a decode in
        flight runs on (the decode thread cannot stop it) but its text never joins the utterance."""
        u = self._u
        assert u is not None
        withdrawn = u.commits.pop()
        if u.applied > len(u.commits):  # its text had been handed to the TurnTaker
            u.applied -= 1
        u.withdrawn.add(withdrawn)
        self.pipeline.decoder.stats.withdrawn += 1
        if withdrawn.done() and not withdrawn.cancelled() and withdrawn.exception() is None:
            u.decoded.remove(withdrawn.result())
        u.speculation = None  # its draft: the next pause drafts the longer segment

    @staticmethod
    async def _text_of(commit: asyncio.Task[_Decoded]) -> str:
        try:
            return (await commit).result.text
        except Exception:  # reported by the commit itself
            return ""

    async def _decode_commit(
        self, u: _Utterance, span: Span, speech_end: int, previous: asyncio.Future[Any] | None
    ) -> _Decoded:
        if previous is not None:  # in order (whatever became of it)
            await asyncio.wait([previous])
        audio = self._speech_audio(span, speech_end)
        result = await self._decode(u, audio, prompt=segment_prompt(u.committed_text))
        decoded = _Decoded(span, result)
        if asyncio.current_task() not in u.withdrawn:
            u.decoded.append(decoded)
        return decoded

    def _speech_audio(self, span: Span, speech_end: int) -> Samples:
        """A segment's audio up to a moment after its last speech: the silence of the pause that ended it is
        where Whisper invents words (measured: a 0.6-1.6 s tail gave "D1 2 3 2 2 3 ..." after an answer)."""
        start, end = span
        if start < speech_end < end:
            end = min(end, speech_end + ms_to_samples(DECODE_TAIL_S * 1000))
        return self.timeline.slice(start, end)

    async def _decode(self, u: _Utterance, audio: Samples, *, prompt: str | None) -> Transcription:
        if not len(audio):
            return Transcription("")
        terms = hotword_terms(u.context)
        try:
            result = await self.pipeline.decoder.decode(
                audio, hotwords=" ".join(terms) or None, prompt=prompt
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception(
                "session %s: decoding %.1f s of speech failed", self.session_id, len(audio) / SAMPLE_RATE
            )
            if not u.failed:
                u.failed = True
                await self._publish(
                    self.pipeline.outbox.failed,
                    TurnFailed(
                        session_id=self.session_id,
                        turn_id=u.turn_id,
                        code="transcription_failed",
                        message=f"Part of your answer could not be transcribed ({type(exc).__name__}).",
                    ),
                )
            return Transcription("")
        return result.plausible(hotwords=terms, prompt=prompt)

    def _maybe_partial(self, span: Span) -> None:
        u = self._u
        if u is None:
            return
        busy = u.partial is not None and not u.partial.done()
        if busy or any(not t.done() for t in u.commits) or self.pipeline.decoder.busy:
            self.pipeline.decoder.stats.skipped_partials += 1
            return
        audio = self.timeline.slice(*span)
        generation = len(u.commits)
        terms = hotword_terms(u.context)
        prompt = segment_prompt(u.committed_text)

        async def partial() -> tuple[int, Transcription | None]:
            try:
                result = await self.pipeline.decoder.try_decode(
                    audio, hotwords=" ".join(terms) or None, prompt=prompt
                )
            except Exception:
                log.warning("session %s: a partial decode failed", self.session_id, exc_info=True)
                result = None
            if result is not None:
                result = result.plausible(hotwords=terms, prompt=prompt)
                if generation == len(u.commits):
                    u.last_draft = (span, result.text)
            return generation, result

        u.partial = asyncio.create_task(partial())

    def _check(self, action: CheckBargeIn) -> None:
        u = self._u
        assert u is not None
        audio = self.timeline.slice(*action.span)
        u.check_speech_ms = action.speech_ms
        u.playing_text = self._playing_text or u.playing_text  # the reply's text grows sentence by sentence

        async def check() -> Transcription:
            try:
                result = await self.pipeline.decoder.decode(
                    audio, hotwords=None, prompt=None, word_timestamps=False
                )
            except Exception:
                log.warning("session %s: a barge-in check failed to decode", self.session_id, exc_info=True)
                return Transcription("")
            return result.plausible()

        u.check = asyncio.create_task(check())

    async def _apply_finished(self) -> None:
        """Hand finished background decodes to the TurnTaker (commits in order) and publish them."""
        u = self._u
        if u is None:
            return
        if u.speculation is not None and u.speculation.done():
            draft = u.speculation.result()
            u.speculation = None
            await self._handle(self.taker.draft(draft))
        while u.applied < len(u.commits) and u.commits[u.applied].done():
            decoded = u.commits[u.applied].result()
            u.applied += 1
            actions = self.taker.committed(decoded.result.text)
            text = u.committed_text
            if text and self._u is u:
                await self._publish_partial(u, text)
                if not self.taker.speculating and not any(
                    isinstance(a, LikelyFinal | TurnEnded) for a in actions
                ):
                    await self._speculate(text, likely_final=False)
            await self._handle(actions)
            if self._u is not u:
                return
        if u.check is not None and u.check.done():
            heard = u.check.result().text
            u.check = None
            playing = u.playing_text or ""
            speaker: Speaker = who_spoke(heard, playing)
            if speaker == "unclear" and u.after_playback and not is_blank(heard):
                speaker = "candidate"  # the interviewer had finished: a quick "Yes." is the answer
            candidate = speaker == "candidate"
            if candidate and u.after_playback:  # the interviewer had finished: nothing to interrupt
                log.info(
                    "session %s: speech as the interviewer finished is the answer: %r", self.session_id, heard
                )
                await self._publish_partial(u, heard)
            elif candidate:
                log.info("session %s: barge-in (%.0f ms): %r", self.session_id, u.check_speech_ms, heard)
                u.barged_in = True
                await self._publish(
                    self.pipeline.outbox.barge_in,
                    BargeIn(session_id=self.session_id, speech_ms=u.check_speech_ms, text=heard),
                )
                await self._publish_partial(u, heard)
            elif speaker == "unclear":
                log.info("session %s: speech over the interviewer, unclear yet: %r", self.session_id, heard)
            else:
                log.info("session %s: ignored the interviewer's echo: %r", self.session_id, heard)
            await self._handle(self.taker.verdict(speaker))
        if u.partial is not None and u.partial.done() and self._u is u:
            generation, result = u.partial.result()
            u.partial = None
            if result is not None and generation == len(u.commits):
                text = join_text([u.committed_text, result.text])
                if text:
                    await self._publish_partial(u, text)

    async def _wait_for_decodes(self) -> bool:
        """Wait for the decode the TurnTaker's next decision needs; False if there is none."""
        u = self._u
        if u is None:
            return False
        if self.taker.checking and u.check is not None:
            await asyncio.wait([u.check])
        elif u.applied < len(u.commits):  # the draft before it, if any, is announced as soon as it is ready
            waiting = [t for t in (u.speculation, u.commits[u.applied]) if t is not None]
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        else:
            return False
        await self._apply_finished()
        return True

    async def _settle_check(self) -> None:
        """A barge-in check in flight is answered before the utterance is finished by a hint or the end."""
        u = self._u
        if u is not None and u.check is not None:
            await asyncio.wait([u.check])
            await self._apply_finished()

    async def _end_turn(self, action: TurnEnded) -> None:
        u = self._u
        self._u = None
        if u is None:
            return
        if u.partial is not None:
            await _cancel([u.partial])
        if u.check is not None:
            await _cancel([u.check])
        u.speculation = None  # a draft still running finishes (the commit after it waits for it), unheard
        decode_started = time.perf_counter()
        for task in u.commits:
            with contextlib.suppress(Exception):
                await task
        final_decode_s = 0.0
        if action.pending is not None:
            started = time.perf_counter()
            audio = self._speech_audio(action.pending, action.speech_end)
            result = await self._decode(u, audio, prompt=segment_prompt(u.committed_text))
            u.decoded.append(_Decoded(action.pending, result))
            final_decode_s = time.perf_counter() - started
        waited_s = time.perf_counter() - decode_started
        text = clean_transcript(u.committed_text)
        if is_blank(text):
            log.info(
                "session %s: utterance %s had no words (%s, %.1f s)",
                self.session_id,
                u.turn_id,
                action.reason,
                samples_to_ms(action.end - action.start) / 1000,
            )
            await self._checkpoint()
            return
        words = _utterance_words(u.decoded, action.start)
        recording_end = min(action.end, action.speech_end + ms_to_samples(RECORDING_TAIL_S * 1000))
        audio_key = await self._store_recording(u.turn_id, self.timeline.slice(action.start, recording_end))
        onset = max(u.onset, action.start)
        turn = UserTurn(
            session_id=self.session_id,
            turn_id=u.turn_id,
            kind="speech",
            text=text,
            words=words,
            ended_at=self.timeline.received_at(max(action.speech_end - 1, 0)),
            speech_started_at=self.timeline.received_at(onset),
            transcribed_at=now(),
            speak=self.speak,
            audio_key=audio_key,
        )
        fresh = await self.pipeline.outbox.turn(turn)
        if fresh:
            await self._publish(
                self.pipeline.outbox.transcript,
                TranscriptUpdate(session_id=self.session_id, turn_id=u.turn_id, text=text, is_final=True),
            )
            self.turns_published += 1
        log.info(
            "session %s: turn %s (%s%s): %d words, %.1f s; out %.2f s after the speech ended "
            "(waited %.2f s for decodes at the end, %.2f s of them for audio not yet committed)",
            self.session_id,
            u.turn_id,
            action.reason,
            "" if fresh else ", a duplicate",
            len(words),
            samples_to_ms(action.speech_end - action.start) / 1000,
            (turn.transcribed_at or 0.0) - turn.ended_at,
            waited_s,
            final_decode_s,
        )
        self.utterance_index = u.index + 1
        self._context = None  # the interviewer will say something new: re-read the session next time
        await self._checkpoint()

    async def _discarded(self, action: Discarded) -> None:
        u = self._u
        self._u = None
        if u is not None:
            await _cancel(u.background())
        log.debug(
            "session %s: dropped %s (%.2f s)",
            self.session_id,
            action.reason,
            samples_to_ms(action.span[1] - action.span[0]) / 1000,
        )
        await self._checkpoint()

    async def _checkpoint(self) -> None:
        """Save where the next utterance starts (the TurnTaker's floor); raises LeaseLost."""
        floor = self.taker.floor
        resume = Resume(self.timeline.position(floor), self.utterance_index, self._vad.state())
        self.timeline.keep_from(floor)
        try:
            await self.checkpoints.save(resume)
        except LeaseLost:
            raise
        except Exception:  # a NATS hiccup: the next checkpoint carries the same information
            log.warning("session %s: could not save the STT progress", self.session_id, exc_info=True)

    async def _store_recording(self, turn_id: str, audio: Samples) -> str | None:
        key = f"recordings/{_key_part(self.session_id)}/{_key_part(turn_id)}/candidate.wav"
        try:
            await self.pipeline.store.put(key, wav_bytes(audio), content_type="audio/wav")
        except Exception:
            log.warning("session %s: could not store the recording %s", self.session_id, key, exc_info=True)
            return None
        return key

    async def _publish_partial(self, u: _Utterance, text: str) -> None:
        if text == u.last_partial:
            return
        u.last_partial = text
        await self._publish(
            self.pipeline.outbox.transcript,
            TranscriptUpdate(session_id=self.session_id, turn_id=u.turn_id, text=text, is_final=False),
        )

    async def _speculate(self, text: str, *, likely_final: bool = False, cancelled: bool = False) -> None:
        u = self._u
        turn_id = u.turn_id if u is not None else self.turn_id()
        await self._publish(
            self.pipeline.outbox.speculate,
            ProvisionalTurn(
                session_id=self.session_id,
                turn_id=turn_id,
                text=text,
                likely_final=likely_final,
                cancelled=cancelled,
                speak=self.speak,
            ),
        )

    async def _publish(self, send: Callable[[E], Awaitable[None]], event: E) -> None:
        """Best-effort events (partials, speculation, errors): a failed publish is logged, never fatal."""
        try:
            await send(event)
        except Exception:
            log.warning(
                "session %s: could not publish %s", self.session_id, type(event).__name__, exc_info=True
            )


def _utterance_words(decoded: Sequence[_Decoded], start: int) -> list[Word]:
    """Every segment's words, timed from the utterance's start."""
    words: list[Word] = []
    for piece in decoded:
        offset = (piece.span[0] - start) / SAMPLE_RATE
        for w in piece.result.words:
            text = clean_transcript(w.word)
            if is_blank(text):
                continue
            words.append(
                Word(
                    word=text,
                    start=round(w.start + offset, 3),
                    end=round(w.end + offset, 3),
                    probability=round(w.probability, 3),
                )
            )
    return words


def _key_part(value: str) -> str:
    cleaned = _KEY_UNSAFE.sub("_", value).strip("._") or "_"
    return cleaned if cleaned[0].isalnum() else f"x{cleaned}"


async def _cancel(tasks: Sequence[asyncio.Future[Any]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(BaseException):
            await task

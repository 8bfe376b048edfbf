"""Whisper's typical inventions, recognised and dropped: what it writes over silence or noise, the prompt
and the hotwords read back at a segment boundary, and repetition loops.

Whisper is a language model over audio: where the audio says little (the silence left in a segment after
the speech, a pause, noise) it continues the text it was given, or writes the phrases of its training data
("Thank you.", "you"). faster-whisper scores each segment it returns (`avg_logprob`, `no_speech_prob`,
`compression_ratio`) and each word (`probability`): the rules below use those, measured here on Whisper
base with the service's prompts and hotwords (bench clips, and white/pink noise at -50..-20 dBFS):

- over silence or noise: every invented segment had `no_speech_prob` 0.25-0.75 and either `avg_logprob`
  below -1.0 (hotwords such as "BFS DFS", "C++", "Word", "Hub", "AMP", "So V") or word probabilities
  averaging under 0.2 (the prompt read back: "I would put a cache in front of the database."); no segment
  of real speech had `no_speech_prob` above 0.25 (clean and noisy, Piper and espeak-ng, "Thank you." at
  5 dB SNR included: 0.0-0.16, words 0.74-0.97);
- Whisper's stock phrases ("Thank you.", "you", "Thanks for watching!") are believed only with clear
  evidence of speech (`no_speech_prob` at most 0.2 and confident words);
- at a segment boundary, words that repeat the end of the prompt or read out two or more hotwords in their
  listed order, unsure of themselves, are the prompt leaking into the transcript; four or more words that
  repeat the prompt's end are dropped however sure (the candidate's "The biggest mistake I made was",
  committed at a pause, came back as the start of the next segment);
- a segment that still compresses too well after the decoder's fallbacks (`compression_ratio` > 2.4,
  Whisper's own threshold: "R R R R ...", "I'm here. I'm here. ...", "________") keeps one copy of what
  it repeats and no symbol runs; a unit repeated four times or more in a row is a loop in any segment
  ("... production data first. 1 1 1 1 1 1 1").

Pure functions over the decoded segments: the model adapter fills them in, the transcriber applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.stt.domain.language import clean_transcript, words_of

# Whisper's own thresholds (openai/whisper's defaults): an average log-probability under this is a failed
# decode; a compression ratio over this is a repetition loop.
LOW_LOGPROB = -1.0
LOOP_COMPRESSION = 2.4
# Measured here (module docstring): invented segments 0.25-0.75, real speech at most 0.16 (5 dB SNR).
NO_SPEECH = 0.3
STOCK_NO_SPEECH = 0.2  # the stock phrases need more: they are what Whisper writes when unsure
UNSURE_WORDS = 0.3  # a mean word probability under this is a guess (invented: < 0.2; real: > 0.5)
UNSURE_WORD = 0.5  # one word repeating the prompt or a hotword at a boundary, below this: a leak
MAX_LOOP_UNIT = 4  # words in a repeated unit ("I'm here." is 2)
LOOP_REPEATS = 3  # a unit said this many times in a row, in a segment that compresses too well: a loop
# ... and this many times in any segment (a loop at the end of a longer segment: "... first. 1 1 1 1 1 1"):
# speech repeats a word or a phrase twice or three times, not four.
LONG_LOOP_REPEATS = 4
PROMPT_ECHO_MAX = 12  # words: the longest prompt tail recognised when read back
PROMPT_ECHO_SURE = 4  # words: a read-back this long is dropped however sure the model is

# Whisper's stock phrases (from the subtitles it was trained on), normalised with `words_of`.
STOCK_PHRASES = frozenset(
    {
        ("you",),
        ("thank", "you"),
        ("thanks",),
        ("thank", "you", "very", "much"),
        ("thank", "you", "for", "watching"),
        ("thanks", "for", "watching"),
        ("bye",),
        ("so",),
        ("okay",),
        ("hmm",),
        ("please", "subscribe"),
        ("subscribe",),
    }
)


@dataclass(frozen=True)
class TimedWord:
    word: str
    start: float  # seconds from the start of the decoded audio
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class DecodedSegment:
    """One segment of Whisper's output with its scores (neutral defaults: a fake model need not score)."""

    text: str
    words: tuple[TimedWord, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0

    @property
    def word_confidence(self) -> float | None:
        """The mean word probability (None without word timings)."""
        if not self.words:
            return None
        return sum(w.probability for w in self.words) / len(self.words)


def is_invented(segment: DecodedSegment) -> bool:
    """Is the segment Whisper writing over silence or noise (see the module docstring)?"""
    confidence = segment.word_confidence
    unsure = segment.avg_logprob < LOW_LOGPROB or (confidence is not None and confidence < UNSURE_WORDS)
    if segment.no_speech_prob > NO_SPEECH and unsure:
        return True
    if tuple(words_of(segment.text)) in STOCK_PHRASES:
        doubtful = confidence is not None and confidence < UNSURE_WORD
        return segment.no_speech_prob > STOCK_NO_SPEECH or segment.avg_logprob < LOW_LOGPROB or doubtful
    return False


def plausible_segments(
    segments: Sequence[DecodedSegment],
    *,
    hotwords: Sequence[str] = (),
    prompt: str | None = None,
) -> list[DecodedSegment]:
    """The segments without Whisper's inventions: invented segments dropped, loops collapsed, the prompt
    and the hotwords (`hotwords`: the terms, in the order given to the model) leaking in at the decode's
    start or end removed."""
    kept = [_without_loops(s) for s in segments if not is_invented(s)]
    kept = [s for s in kept if words_of(s.text)]
    if not kept:
        return []
    terms = [t for t in (tuple(words_of(term)) for term in hotwords) if t]
    kept[0] = _trim_leading(kept[0], prompt, terms)
    kept[-1] = _trim_trailing(kept[-1], terms)
    return [s for s in kept if words_of(s.text)]


def segments_text(segments: Sequence[DecodedSegment]) -> str:
    return " ".join(t for t in (clean_transcript(s.text) for s in segments) if t)


def segments_words(segments: Sequence[DecodedSegment]) -> tuple[TimedWord, ...]:
    return tuple(w for s in segments for w in s.words)


# --- loops ---------------------------------------------------------------------------------------------------

Key = tuple[str, ...]


def _without_loops(segment: DecodedSegment) -> DecodedSegment:
    repeats = LOOP_REPEATS if segment.compression_ratio > LOOP_COMPRESSION else LONG_LOOP_REPEATS
    if segment.words:
        words = [w for w in segment.words if words_of(clean_transcript(w.word))]
        kept = _collapsed([_key(w.word) for w in words], repeats)
        if len(kept) == len(words):
            return segment
        kept_words = [words[i] for i in kept]
        return replace(segment, words=tuple(kept_words), text=" ".join(w.word for w in kept_words))
    tokens = clean_transcript(segment.text).split()
    kept = _collapsed([_key(t) for t in tokens], repeats)
    if len(kept) == len(tokens):
        return segment
    return replace(segment, text=" ".join(tokens[i] for i in kept))


def _key(text: str) -> Key:
    return tuple(words_of(text))


def _collapsed(keys: Sequence[Key], min_repeats: int) -> list[int]:
    """The indexes kept when a unit of 1-4 items repeated `min_repeats` times or more in a row is kept once."""
    kept: list[int] = []
    i = 0
    while i < len(keys):
        skip = 0
        for size in range(1, min(MAX_LOOP_UNIT, len(keys) - i) + 1):
            unit = list(keys[i : i + size])
            repeats = 1
            while list(keys[i + repeats * size : i + (repeats + 1) * size]) == unit:
                repeats += 1
            if repeats >= min_repeats:
                skip = repeats * size
                break
        if skip:
            kept += range(i, i + size)
            i += skip
        else:
            kept.append(i)
            i += 1
    return kept


# --- the prompt and the hotwords at the boundaries ------------------------------------------------------------


def _prompt_echo(keys: Sequence[Key], prompt: str | None) -> int:
    """How many leading tokens repeat the last words of the prompt (the longest match)."""
    said = [k for k in (_key(w) for w in (prompt or "").split()) if k]
    for size in range(min(PROMPT_ECHO_MAX, len(said), len(keys)), 0, -1):
        if list(keys[:size]) == said[-size:]:
            return size
    return 0


def _hotword_run(keys: Sequence[Key], terms: Sequence[Key]) -> int:
    """How many leading tokens read out two or more whole hotwords in their listed order (0 if fewer)."""
    flat: list[str] = []
    ends: dict[int, int] = {}  # a word count at a token boundary -> the tokens up to it
    for index, key in enumerate(keys):
        flat += key
        ends[len(flat)] = index + 1
    best = 0
    for first in range(len(terms)):
        position = 0
        for matched, term in enumerate(terms[first:], start=1):
            if tuple(flat[position : position + len(term)]) != term:
                break
            position += len(term)
            if matched >= 2 and position in ends:
                best = max(best, ends[position])
    return best


def _unsure(words: Sequence[TimedWord], segment: DecodedSegment) -> bool:
    if words:
        return all(w.probability < UNSURE_WORD for w in words)
    return segment.avg_logprob < LOW_LOGPROB / 2  # no word timings: only the segment's score


def _trim_leading(segment: DecodedSegment, prompt: str | None, terms: Sequence[Key]) -> DecodedSegment:
    if segment.words:
        keys = [_key(w.word) for w in segment.words]
        echo = _prompt_echo(keys, prompt)
        if echo >= PROMPT_ECHO_SURE:  # "The biggest mistake I made was" read back after a pause
            return _drop_words(segment, echo, 0)
        for count in (_hotword_run(keys, terms), echo):
            if count and _unsure(segment.words[:count], segment):
                return _drop_words(segment, count, 0)
        return segment
    pieces = segment.text.split()
    keys = [_key(p) for p in pieces]
    echo = _prompt_echo(keys, prompt)
    if echo >= PROMPT_ECHO_SURE:
        return replace(segment, text=" ".join(pieces[echo:]))
    count = _hotword_run(keys, terms) or echo
    if count and _unsure((), segment):
        return replace(segment, text=" ".join(pieces[count:]))
    return segment


def _trim_trailing(segment: DecodedSegment, terms: Sequence[Key]) -> DecodedSegment:
    backwards = [tuple(reversed(t)) for t in reversed(terms)]
    if segment.words:
        keys = [tuple(reversed(_key(w.word))) for w in reversed(segment.words)]
        count = _hotword_run(keys, backwards)
        if count and _unsure(segment.words[len(segment.words) - count :], segment):
            return _drop_words(segment, 0, count)
        return segment
    pieces = segment.text.split()
    count = _hotword_run([tuple(reversed(_key(p))) for p in reversed(pieces)], backwards)
    if count and _unsure((), segment):
        return replace(segment, text=" ".join(pieces[: len(pieces) - count]))
    return segment


def _drop_words(segment: DecodedSegment, head: int, tail: int) -> DecodedSegment:
    words = segment.words[head : len(segment.words) - tail]
    return replace(segment, words=words, text=" ".join(w.word for w in words))

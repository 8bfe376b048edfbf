"""Keeps a streamed reply in role: strips a leading speaker label and stops the
stream where a small model starts writing the candidate's part or leaks the
private notes. It filters *before* text is published, so what the candidate
sees streaming is exactly what is stored.
"""

from __future__ import annotations

import re

_STOP_MARKERS = (
    "\ncandidate:",
    "candidate:",
    "\nuser:",
    "[interviewer notes",
    "interviewer notes:",
    "<|im_end|>",
    "<|im_start|>",
    "\n\n\n",
)
# A speaker label, or the model echoing its instruction ("React to the candidate's last answer: ...").
_LEADING_LABEL = re.compile(
    r"^\s*(interviewer|alex|assistant|react(ion)? to the candidate'?s (last )?answer)\s*:\s*", re.IGNORECASE
)
_LABEL_WORDS = ("interviewer", "alex", "assistant", "react", "reaction")
_FIRST_WORD_END = re.compile(r"[\s:,.!?;]")


def _may_be_label(pending: str) -> bool:
    """Could the text so far still turn out to be a leading speaker label? (Only its first word tells.)"""
    text = pending.lstrip().lower()
    end = _FIRST_WORD_END.search(text)
    if end is None:  # the first word is still being written
        return any(word.startswith(text) for word in _LABEL_WORDS)
    return text[: end.start()] in _LABEL_WORDS


def _held_back(text: str) -> int:
    """How many trailing characters could be the start of a stop marker: held until the next piece says.
    (Holding back only these, not a fixed margin, lets the first clause reach the voice sooner.)"""
    trailing_space = len(text) - len(text.rstrip())
    if trailing_space:  # a marker may follow: the cut then trims the space too
        return trailing_space
    lowered = text.lower()
    longest = 0
    for marker in _STOP_MARKERS:
        for length in range(min(len(marker), len(lowered)), longest, -1):
            if lowered.endswith(marker[:length]):
                longest = length
                break
    return longest


_SENTENCE_END = re.compile(r"[.!?](?=\s)")


class ReplyGuard:
    def __init__(self, max_sentences: int | None = None) -> None:
        self.max_sentences = max_sentences
        self._pending = ""
        self._started = False
        self.stopped = False
        self.text = ""

    def feed(self, piece: str) -> str:
        """Add generated text; return what is safe to publish now."""
        if self.stopped:
            return ""
        self._pending += piece
        if not self._started:
            label_pending = ":" not in self._pending and not self._pending.endswith("\n")
            if len(self._pending) < 48 and label_pending and _may_be_label(self._pending):
                return ""  # wait until a possible "Interviewer:" label is complete
            self._pending = _LEADING_LABEL.sub("", self._pending).lstrip()
            self._started = bool(self._pending)
        cut = self._stop_index(self._pending)
        if cut is not None:
            self.stopped = True
            return self._emit(self._pending[:cut].rstrip())
        safe_len = len(self._pending) - _held_back(self._pending)
        return self._emit(self._pending[:safe_len], keep=self._pending[safe_len:])

    def finish(self) -> str:
        """The rest of the reply once generation ended."""
        if self.stopped:
            return ""
        self.stopped = True
        rest = _LEADING_LABEL.sub("", self._pending) if not self._started else self._pending
        if not self.text:
            rest = rest.lstrip()
        cut = self._stop_index(rest + " ")
        if cut is not None:
            rest = rest[:cut]
        return self._emit(rest.rstrip())

    def _emit(self, text: str, keep: str = "") -> str:
        self._pending = keep
        self.text += text
        return text

    def _stop_index(self, text: str) -> int | None:
        lowered = text.lower()
        hits = [i for i in (lowered.find(m) for m in _STOP_MARKERS) if i >= 0]
        if self.max_sentences is not None:
            # Sentences already published count too: `text` is only the part not yet emitted.
            done = len(_SENTENCE_END.findall(self.text + " "))
            if done >= self.max_sentences and text.strip():
                # The last sentence's end went out alone ("!" then " Greetings"): nothing more is said.
                hits.append(0)
            for match in _SENTENCE_END.finditer(text):
                done += 1
                if done >= self.max_sentences:
                    hits.append(match.end())
                    break
        return min(hits) if hits else None

"""Cutting a streamed reply into speakable pieces for the TTS service.

Sentences end at `.`, `!` or `?` followed by a space (not in "e.g.", "Mr.", "3.5"). The very first piece
of a reply may end earlier, at a clause (a comma after a few words): the voice starts sooner, and a
clause is still a natural unit to say.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "approx", "fig"})
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s)")
_CLAUSE = re.compile(r"[,;:](?=\s)")
# A long first sentence without a comma may still be cut before a conjunction ("... sessions | and ...").
_CONJUNCTION = re.compile(r"\s(?=(?:and|but|so|because|which|while)\s)", re.IGNORECASE)
FIRST_CLAUSE_MIN_WORDS = 4
FIRST_CONJUNCTION_MIN_WORDS = 6


def _ends_in_abbreviation(text: str) -> bool:
    """`text` ends just before a period: is that period part of an abbreviation or a number?"""
    word = text.rsplit(None, 1)[-1].lower() if text.strip() else ""
    return word.rstrip(".") in _ABBREVIATIONS or len(word) == 1 or word[-1:].isdigit()


class SentenceSplitter:
    """Feed streamed text; get back each piece once it is complete."""

    def __init__(self, *, first_clause: bool = True) -> None:
        self._buffer = ""
        self._first = first_clause

    def feed(self, text: str) -> list[str]:
        self._buffer += text
        pieces: list[str] = []
        while (piece := self._next_piece()) is not None:
            pieces.append(piece)
        return pieces

    def flush(self) -> str:
        """What is left once the stream ended (may be empty)."""
        rest, self._buffer = self._buffer.strip(), ""
        return rest

    def _next_piece(self) -> str | None:
        if self._first:
            for match in _CLAUSE.finditer(self._buffer):
                if len(self._buffer[: match.end()].split()) >= FIRST_CLAUSE_MIN_WORDS:
                    return self._cut(match.end())
            for match in _CONJUNCTION.finditer(self._buffer):
                head = self._buffer[: match.start()]
                if len(head.split()) >= FIRST_CONJUNCTION_MIN_WORDS and not _END.search(head + " "):
                    return self._cut(match.start())
        for match in _END.finditer(self._buffer):
            if match.group().startswith(".") and _ends_in_abbreviation(self._buffer[: match.start()]):
                continue
            return self._cut(match.end())
        return None

    def _cut(self, end: int) -> str:
        piece, self._buffer = self._buffer[:end].strip(), self._buffer[end:]
        self._first = False
        return piece


def sentences(text: str) -> list[str]:
    """A whole text cut into sentences (no clause split)."""
    splitter = SentenceSplitter(first_clause=False)
    pieces = splitter.feed(text + " ")
    rest = splitter.flush()
    return [*pieces, rest] if rest else pieces

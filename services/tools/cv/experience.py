"""Work experience out of resume lines: one entry per date range, with title and company (rules, no model).

The text arrives as lines (see sections.py). Experience entries are anchored on date ranges inside the
experience section; title and company come from the rest of that line and from the short "header" lines
just above or below it, which is how one-column, two-column and table layouts all end up once flattened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.tools.cv.dates import DateRange, find_date_ranges
from services.tools.cv.parts import PART_SPLIT_RE, clean_part, is_location
from services.tools.cv.sections import BULLET_START_RE, Line
from shared.cv import ExperienceEntry

_TITLE_WORDS = {
    "engineer", "engineering", "developer", "programmer", "architect", "manager", "lead", "head", "director",
    "vp", "cto", "ceo", "cio", "cpo", "chief", "founder", "co-founder", "cofounder", "intern", "internship",
    "analyst", "scientist", "consultant", "designer", "administrator", "admin", "specialist", "officer",
    "sre", "devops", "researcher", "tester", "qa", "owner", "coordinator", "principal", "staff", "senior",
    "sr", "sr.", "junior", "jr", "jr.", "associate", "assistant", "technician", "contractor", "freelancer",
    "freelance", "instructor", "teacher", "lecturer", "professor", "fellow", "trainee", "apprentice",
    "president", "advisor", "strategist", "evangelist", "advocate", "member", "supervisor", "executive",
}  # fmt: skip
_COMPANY_SUFFIXES = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "corp", "corp.", "corporation", "co", "co.",
    "company", "plc", "s.a.", "sa", "bv", "b.v.", "oy", "ab", "srl", "pty", "technologies", "technology",
    "labs", "lab", "systems", "solutions", "software", "group", "holdings", "partners", "consulting",
    "studio", "studios", "bank", "agency", "ventures", "networks", "digital", "media", "health", "capital",
    "games", "analytics", "interactive", "logistics", "industries", "foundation", "se", "kg",
}  # fmt: skip
_AT_RE = re.compile(r"^(?P<title>.+?)\s+(?:at|@)\s+(?P<company>.+)$")
_PARENTHESES_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_DURATION_RE = re.compile(
    r"\(?\s*\d+\+?\s*(?:yrs?|years?|mos?|months?)(?:\s*,?\s*\d+\s*(?:mos?|months?))?\s*\)?", re.IGNORECASE
)
_SUFFIXES_NO_DOT = {suffix.rstrip(".") for suffix in _COMPANY_SUFFIXES}
_SCOPE_SECTIONS = ("experience",)
_MAX_HEADER_WORDS = 12


@dataclass
class _Anchor:
    line: Line
    date_range: DateRange


@dataclass(frozen=True)
class _Part:
    text: str
    line: Line
    after_at: bool = False  # the company of "Title at Company"


@dataclass
class ExperienceResult:
    entries: list[ExperienceEntry]
    ranges: list[DateRange]
    company_spans: list[tuple[int, int]]  # where company names sit in the text (not skill mentions)


def extract_experience(lines: list[Line], today: date) -> ExperienceResult:
    scope = _experience_scope(lines)
    anchors = [_Anchor(line, ranges[0]) for line in scope if (ranges := find_date_ranges(line.text, today))]
    result = ExperienceResult([], [], [])
    for index, anchor in enumerate(anchors):
        previous_anchor = anchors[index - 1].line.number if index else -1
        next_anchor = anchors[index + 1].line.number if index + 1 < len(anchors) else len(lines)
        title, company = _title_and_company(lines, anchor, previous_anchor, next_anchor)
        result.entries.append(
            ExperienceEntry(
                title=clean_part(title.text if title else None),
                company=clean_part(company.text if company else None),
                start=str(anchor.date_range.start),
                end=anchor.date_range.end_text(),
            )
        )
        result.ranges.append(anchor.date_range)
        if company is not None and (found := company.line.text.find(company.text)) >= 0:
            offset = company.line.start + found
            result.company_spans.append((offset, offset + len(company.text)))
    return result


def _experience_scope(lines: list[Line]) -> list[Line]:
    in_section = [line for line in lines if line.section in _SCOPE_SECTIONS]
    if in_section:
        return in_section
    # No experience heading: every line outside the education-like sections may hold a job.
    return [line for line in lines if line.section in ("header", "summary", "other")]


def _title_and_company(
    lines: list[Line], anchor: _Anchor, previous_anchor: int, next_anchor: int
) -> tuple[_Part | None, _Part | None]:
    start, end = anchor.date_range.span
    blanked = anchor.line.text[:start] + " " * (end - start) + anchor.line.text[end:]
    parts = _header_parts(blanked, anchor.line)
    if not _complete(parts):
        parts += _neighbour_parts(lines, anchor.line.number, previous_anchor, step=-1)
    if not _complete(parts):
        parts += _neighbour_parts(lines, anchor.line.number, next_anchor, step=1)
    return _assign(parts)


def _header_parts(text: str, line: Line) -> list[_Part]:
    text = _DURATION_RE.sub(" ", text)
    text = _PARENTHESES_RE.sub("  ", text)  # "(part-time)", "(Remote)", "(acquired by X)": qualifiers
    text = text.strip(" \t|,•·-–—:")
    if not text:
        return []
    parts: list[_Part] = []
    for piece in PART_SPLIT_RE.split(text):
        piece = piece.strip(" \t|,•·-–—:")
        if not piece:
            continue
        if parts and piece.lower().rstrip(".") in _SUFFIXES_NO_DOT:
            parts[-1] = _Part(f"{parts[-1].text}, {piece}", line, parts[-1].after_at)  # "Acme, Inc."
            continue
        at = _AT_RE.match(piece)
        if at and _title_score(at.group("title")) > 0:
            parts += [_Part(at.group("title"), line), _Part(at.group("company"), line, after_at=True)]
            continue
        parts.append(_Part(piece, line))
    return [part for part in parts if not is_location(part.text)]


def _neighbour_parts(lines: list[Line], number: int, limit: int, *, step: int) -> list[_Part]:
    parts: list[_Part] = []
    taken = 0
    cursor = number + step
    while 0 <= cursor < len(lines) and cursor != limit and taken < 2:
        line = lines[cursor]
        if not _is_header_like(line):
            break
        parts += _header_parts(line.text, line)
        taken += 1
        cursor += step
    return parts


def _is_header_like(line: Line) -> bool:
    text = line.text.strip()
    if not text or line.section == "heading" or BULLET_START_RE.match(text):
        return False
    words = text.split()
    if len(words) > _MAX_HEADER_WORDS or text.endswith(";"):
        return False
    # A full stop ends a sentence (a bullet's last line), except after "Inc." or "S.A.".
    return not text.endswith(".") or words[-1].lower() in _COMPANY_SUFFIXES


def _complete(parts: list[_Part]) -> bool:
    has_title = any(_title_score(part.text) > 0 for part in parts)
    return has_title and len(parts) >= 2


def _assign(parts: list[_Part]) -> tuple[_Part | None, _Part | None]:
    """Title: the part with the most title words. Company: "at X", else a suffixed name, else the first."""
    if not parts:
        return None, None
    scored = [(_title_score(part.text), index) for index, part in enumerate(parts) if not part.after_at]
    best_score, best_index = max(scored, default=(0, -1), key=lambda item: (item[0], -item[1]))
    title = parts[best_index] if best_score > 0 else None
    others = [part for index, part in enumerate(parts) if title is None or index != best_index]
    marked = [part for part in others if part.after_at]
    suffixed = [part for part in others if _has_company_suffix(part.text)]
    plain = [part for part in others if _title_score(part.text) == 0]
    company = next(iter(marked or suffixed or plain), None)
    if title is None and len(plain) > 1:
        title = next(part for part in plain if part is not company)
    return title, company


def _title_score(part: str) -> int:
    words = re.findall(r"[a-z][a-z.-]*", part.lower())
    return sum(1 for word in words if word in _TITLE_WORDS)


def _has_company_suffix(part: str) -> bool:
    words = part.lower().replace(",", " ").split()
    return bool(words) and words[-1] in _COMPANY_SUFFIXES

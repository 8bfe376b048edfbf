"""Education out of resume lines: degree, institution and year of each entry (rules, no model)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from services.tools.cv.dates import find_date_ranges, lone_years
from services.tools.cv.parts import PART_SPLIT_RE, clean_part
from services.tools.cv.sections import Line
from shared.cv import EducationEntry

_DEGREE_RE = re.compile(
    r"(?<![A-Za-z])(?:Ph\.?\s?D\.?|D\.?Phil|Doctor(?:ate)?\b(?:\s+of\s+[A-Z]\w+)?|MPhil|M\.\s?Sc\.?|MSc|M\.S\.|"
    r"MS(?=[\s,])|M\.A\.|MA(?=[\s,])|MBA|M\.\s?Eng\.?|MEng|M\.?\s?Tech|Master(?:['’]s|s)?\b|"
    r"B\.\s?Sc\.?|BSc|B\.S\.|BS(?=[\s,])|B\.A\.|BA(?=[\s,])|BBA|B\.\s?Eng\.?|BEng|B\.?\s?Tech|"
    r"Bachelor(?:['’]s|s)?\b|Associate(?:['’]s)?\s+(?:of|in|degree)|A\.A\.S\.|Diploma\b|HND\b|LL\.?[BM]\b|"
    r"BCA|MCA|Abitur|High\s+School\s+Diploma|GCSEs?|A-Levels?|Licenciatura|Licenciado|Licence|Laurea|"
    r"Diplom(?:-Ingenieur)?|Dipl\.-Ing\.?|Magister|Mestrado|Maestr[ií]a|Ingeniero|Engenheiro)"
)
_INSTITUTION_RE = re.compile(
    r"\b(?:University|College|Institute|School|Academy|Polytechnic|Universit[äa]t|Universit[ée]|"
    r"Hochschule|Politecnico|Conservatory|ETH|EPFL|MIT|UCL|Caltech|Technion|KTH|TU\s+\w+|Universidad|"
    r"Universidade|Università|Universiteit|Uniwersytet|Université|Escola|Ecole|École)\b"
)
_EDUCATION_SECTIONS = ("education",)


def extract_education(lines: list[Line], today: date) -> list[EducationEntry]:
    scope = [line for line in lines if line.section in _EDUCATION_SECTIONS]
    if not scope:
        scope = [line for line in lines if line.section not in ("experience", "projects")]
    entries: list[EducationEntry] = []
    used_institution_lines: set[int] = set()
    degree_lines = [line for line in scope if _DEGREE_RE.search(line.text)]
    for line in degree_lines:
        entries.append(_education_entry(scope, line, today, used_institution_lines))
    # Institutions without a degree line nearby still count (a degree-less listing or an odd layout).
    for line in scope:
        if line.number in used_institution_lines or not _INSTITUTION_RE.search(line.text):
            continue
        if _DEGREE_RE.search(line.text):
            continue
        used_institution_lines.add(line.number)
        entries.append(
            EducationEntry(
                degree=None, institution=_institution_part(line.text), year=_year_near(scope, line, today)
            )
        )
    return entries


def _education_entry(scope: list[Line], line: Line, today: date, used: set[int]) -> EducationEntry:
    parts = _education_parts(line.text)
    degree = next((part for part in parts if _DEGREE_RE.search(part)), None)
    institution = next((part for part in parts if _INSTITUTION_RE.search(part) and part != degree), None)
    if institution is None:
        neighbour = _nearest(
            scope,
            line,
            lambda other: bool(_INSTITUTION_RE.search(other.text)) and not _DEGREE_RE.search(other.text),
        )
        if neighbour is not None and neighbour.number not in used:
            used.add(neighbour.number)
            institution = _institution_part(neighbour.text)
    elif degree is None:
        degree = line.text.strip()
    used.add(line.number)
    return EducationEntry(
        degree=clean_part(degree), institution=clean_part(institution), year=_year_near(scope, line, today)
    )


def _education_parts(text: str) -> list[str]:
    text = re.sub(r"\((?:[^()]*\d{4}[^()]*)\)", " ", text)  # "(2012 - 2016)" is a date, not a part
    parts = []
    for piece in PART_SPLIT_RE.split(text):
        piece = _strip_dates(piece).strip(" \t|,•·-–—:()")
        if piece:
            parts.append(piece)
    return parts


def _strip_dates(text: str) -> str:
    text = re.sub(r"\b(?:expected|graduated|graduation|class of)\b:?", " ", text, flags=re.IGNORECASE)
    text = re.sub(
        r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d"
        r"(?:\s*[-–—]\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
        r"(?:(?:19|20)\d\d|present))?",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    return re.sub(r"\s+", " ", text)


def _institution_part(text: str) -> str | None:
    parts = _education_parts(text)
    for part in parts:
        if _INSTITUTION_RE.search(part):
            return part
    return parts[0] if parts else None


def _nearest(scope: list[Line], line: Line, predicate: Callable[[Line], bool]) -> Line | None:
    by_number = {other.number: other for other in scope}
    for distance in (1, -1, 2, -2):
        other = by_number.get(line.number + distance)
        if other is not None and other.section != "heading" and predicate(other):
            return other
    return None


def _year_near(scope: list[Line], line: Line, today: date) -> int | None:
    by_number = {other.number: other for other in scope}
    for distance in (0, 1, -1, 2):
        other = by_number.get(line.number + distance)
        if other is None or (distance and _DEGREE_RE.search(other.text)):
            continue
        years = _years_in(other.text, today)
        if years:
            return max(years)
    return None


def _years_in(text: str, today: date) -> list[int]:
    years = [year for year in lone_years(text) if 1950 <= year <= today.year + 8]
    for date_range in find_date_ranges(text, today):
        if date_range.end != "present" and not isinstance(date_range.end, str):
            years.append(date_range.end.year)
    return years

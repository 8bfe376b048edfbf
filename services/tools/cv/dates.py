"""Date ranges as resumes write them, and years of experience with overlapping jobs counted once.

Handled forms (each as a start, an end, or "since X"):
"Jan 2020", "January, 2020", "Sept. 2019", "Jan '19", "03/2018", "3/2018", "03.2017", "03-2017",
"2018-03", "2018/03", "2018.03", "2020-01-15", "15.01.2020", "Jan 15, 2020", "15 January 2020",
"Summer 2019", "Q3 2020", "2016", and for the end "Present", "Current(ly)", "Now", "Today", "To date",
"Ongoing". Separators: "-", "–", "—", "to", "until", "till", "through", "thru", "~", "->", "→".
A year alone starts in January and ends in January (December when a range starts and ends in the same
year), so "2016 - 2018" counts as about two years, the expected length of such a job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PRESENT: Literal["present"] = "present"
_MIN_YEAR = 1950

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 1}
_QUARTERS = {"q1": 1, "q2": 4, "q3": 7, "q4": 10}

_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR4 = r"(?:19[5-9]\d|20\d\d)"
_YEAR = rf"(?:{_YEAR4}|['’]\d\d)"
_MM = r"(?:0?[1-9]|1[0-2])"
_DD = r"(?:0?[1-9]|[12]\d|3[01])"

# Each alternative names its parts; _to_year_month reads whichever matched.
_DATE = (
    rf"(?:(?P<{{p}}iso_y>{_YEAR4})-(?P<{{p}}iso_m>{_MM})-{_DD}"  # 2020-01-15
    rf"|{_DD}\.(?P<{{p}}eu_m>{_MM})\.(?P<{{p}}eu_y>{_YEAR4})"  # 15.01.2020
    rf"|(?:{_DD}(?:st|nd|rd|th)?\s+)?(?P<{{p}}mon>{_MONTH_NAME})(?:\s+{_DD}(?:st|nd|rd|th)?)?,?\s*(?P<{{p}}mon_y>{_YEAR})"
    rf"|(?P<{{p}}season>spring|summer|fall|autumn|winter)\s+(?P<{{p}}season_y>{_YEAR4})"
    rf"|(?P<{{p}}quarter>q[1-4])\s*(?P<{{p}}quarter_y>{_YEAR4})"
    rf"|(?P<{{p}}ym_y>{_YEAR4})\s?[-/.]\s?(?P<{{p}}ym_m>{_MM})(?![\d])"  # 2018-03, 2018/03
    rf"|(?P<{{p}}my_m>{_MM})\s?[-/.]\s?(?P<{{p}}my_y>{_YEAR4})"  # 03/2018, 3.2018
    rf"|(?P<{{p}}y>{_YEAR4}))"
)
_PRESENT_WORDS = r"(?:present|current(?:ly)?|now|today|to\s+date|till\s+date|ongoing|date)"
_SEPARATOR = r"\s*(?:-{1,2}|–|—|~|->|→|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"

_RANGE_RE = re.compile(
    rf"(?<![\w./-])(?:from\s+)?{_DATE.format(p='s_')}{_SEPARATOR}"
    rf"(?:(?P<present>{_PRESENT_WORDS})\b|{_DATE.format(p='e_')})(?![\w/]|\.\d)",
    re.IGNORECASE,
)
_SINCE_RE = re.compile(rf"\bsince\s+{_DATE.format(p='s_')}(?![\w/]|\.\d)", re.IGNORECASE)
_LONE_YEAR_RE = re.compile(rf"(?<![\w./-]){_YEAR4}(?![\w/-]|\.\d)")


@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class DateRange:
    start: YearMonth
    end: YearMonth | Literal["present"]
    span: tuple[int, int]  # where the range sits in the line it was found in

    def end_text(self) -> str:
        return PRESENT if self.end == PRESENT else str(self.end)

    def end_index(self, today: date) -> int:
        if self.end == PRESENT:
            return today.year * 12 + today.month - 1
        assert isinstance(self.end, YearMonth)
        return self.end.index


def find_date_ranges(line: str, today: date) -> list[DateRange]:
    """Every plausible employment/study range in a line, left to right."""
    found: list[DateRange] = []
    for match in _RANGE_RE.finditer(line):
        date_range = _range_from_match(match, today)
        if date_range is not None:
            found.append(date_range)
    taken = [r.span for r in found]
    for match in _SINCE_RE.finditer(line):
        if any(start <= match.start() < end for start, end in taken):
            continue
        start = _to_year_month(match, "s_", today)
        if start is not None and start.index <= today.year * 12 + today.month - 1:
            found.append(DateRange(start, PRESENT, match.span()))
    return sorted(found, key=lambda r: r.span[0])


def _range_from_match(match: re.Match[str], today: date) -> DateRange | None:
    start = _to_year_month(match, "s_", today)
    if start is None:
        return None
    end: YearMonth | Literal["present"]
    if match.group("present"):
        end = PRESENT
    else:
        parsed_end = _to_year_month(match, "e_", today)
        if parsed_end is None:
            return None
        if match.group("e_y") and match.group("s_y") and parsed_end.year == start.year:
            parsed_end = YearMonth(parsed_end.year, 12)  # "2019 - 2019": the whole year
        end = parsed_end
    today_index = today.year * 12 + today.month - 1
    if start.index > today_index + 1:
        return None  # a start in the future is not a past job (it is a phone number or an ID)
    if isinstance(end, YearMonth):
        if end.index < start.index:
            return None
        if end.index > today_index:
            end = PRESENT  # an expected end date: the job is still running
    return DateRange(start, end, match.span())


def _to_year_month(match: re.Match[str], prefix: str, today: date) -> YearMonth | None:
    groups = {
        name[len(prefix) :]: value for name, value in match.groupdict().items() if name.startswith(prefix)
    }
    month: int | None
    if groups.get("iso_y"):
        year, month = int(groups["iso_y"]), int(groups["iso_m"])
    elif groups.get("eu_y"):
        year, month = int(groups["eu_y"]), int(groups["eu_m"])
    elif groups.get("mon"):
        year, month = _year(groups["mon_y"], today), _MONTHS[groups["mon"].lower()[:3]]
    elif groups.get("season"):
        year, month = int(groups["season_y"]), _SEASONS[groups["season"].lower()]
    elif groups.get("quarter"):
        year, month = int(groups["quarter_y"]), _QUARTERS[groups["quarter"].lower()]
    elif groups.get("ym_y"):
        year, month = int(groups["ym_y"]), int(groups["ym_m"])
    elif groups.get("my_y"):
        year, month = int(groups["my_y"]), int(groups["my_m"])
    elif groups.get("y"):
        year, month = int(groups["y"]), 1
    else:
        return None
    if not _MIN_YEAR <= year <= today.year + 1 or not 1 <= month <= 12:
        return None
    return YearMonth(year, month)


def _year(text: str, today: date) -> int:
    """'19 -> 2019, '98 -> 1998: two-digit years are in this century unless that is in the future."""
    if len(text) == 4:
        return int(text)
    short = int(text[-2:])
    century = 2000 if 2000 + short <= today.year + 1 else 1900
    return century + short


def lone_years(line: str) -> list[int]:
    """Four-digit years standing alone in a line (graduation years and the like)."""
    return [int(m.group(0)) for m in _LONE_YEAR_RE.finditer(line)]


def total_years(ranges: list[DateRange], today: date) -> float:
    """Years covered by the union of the ranges (months inclusive), so parallel jobs count once."""
    intervals = sorted((r.start.index, r.end_index(today)) for r in ranges)
    months = 0
    current_start: int | None = None
    current_end = 0
    for start, end in intervals:
        if current_start is None or start > current_end + 1:
            if current_start is not None:
                months += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None:
        months += current_end - current_start + 1
    return round(months / 12, 1)

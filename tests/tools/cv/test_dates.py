from __future__ import annotations

from datetime import date

import pytest

from services.tools.cv.dates import find_date_ranges, total_years

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("Jan 2020 – Present", "2020-01", "present"),
        ("January, 2020 - current", "2020-01", "present"),
        ("Sept. 2019 – Current", "2019-09", "present"),
        ("Jan '19 - Mar '21", "2019-01", "2021-03"),
        ("03/2018 - 12/2019", "2018-03", "2019-12"),
        ("3/2018 – 11/2019", "2018-03", "2019-11"),
        ("03.2017 – 08.2019", "2017-03", "2019-08"),
        ("10.2021 – today", "2021-10", "present"),
        ("2018-03 to 2019-11", "2018-03", "2019-11"),
        ("2018/03 — 2019/11", "2018-03", "2019-11"),
        ("2020-01-15 - 2021-03-31", "2020-01", "2021-03"),
        ("15.01.2020 - 31.03.2021", "2020-01", "2021-03"),
        ("Jan 15, 2020 – now", "2020-01", "present"),
        ("15 January 2020 until 30 June 2022", "2020-01", "2022-06"),
        ("Summer 2019 - Fall 2019", "2019-06", "2019-09"),
        ("Q3 2020 - Q1 2021", "2020-07", "2021-01"),
        ("2016 - 2018", "2016-01", "2018-01"),
        ("2019–2019", "2019-01", "2019-12"),
        ("from May 2015 to Aug 2016", "2015-05", "2016-08"),
        ("Since 2021", "2021-01", "present"),
        ("since March 2022", "2022-03", "present"),
        ("Mar 2024 – Dec 2027 (expected)", "2024-03", "present"),
        ("Oct 2023 - ongoing", "2023-10", "present"),
        ("2012 -> 2014", "2012-01", "2014-01"),
    ],
)
def test_date_formats(line: str, start: str, end: str) -> None:
    ranges = find_date_ranges(f"Engineer, Acme  {line}", TODAY)
    assert len(ranges) == 1
    assert (str(ranges[0].start), ranges[0].end_text()) == (start, end)


@pytest.mark.parametrize(
    "line",
    [
        "+1 (415) 555-0132",
        "Phone: 020 7946 0958",
        "ISO 27001",
        "Scored 2019 points",
        "version 3.11-2.0",
        "2030 - 2032",
        "13/2019 - 14/2020",
    ],
)
def test_things_that_are_not_date_ranges(line: str) -> None:
    assert find_date_ranges(line, TODAY) == []


def test_total_years_counts_overlapping_jobs_once() -> None:
    ranges = [
        *find_date_ranges("Jan 2020 - Dec 2020", TODAY),  # 12 months
        *find_date_ranges("Jun 2020 - Jun 2021", TODAY),  # overlaps: union Jan 2020 .. Jun 2021 = 18
        *find_date_ranges("Jan 2023 - Dec 2023", TODAY),  # gap, then 12 months
    ]
    assert total_years(ranges, TODAY) == 2.5


def test_present_runs_to_the_current_month() -> None:
    assert total_years(find_date_ranges("Nov 2025 - Present", TODAY), TODAY) == round(13 / 12, 1)


def test_no_ranges_means_zero_years() -> None:
    assert total_years([], TODAY) == 0.0

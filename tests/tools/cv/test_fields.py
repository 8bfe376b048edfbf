from __future__ import annotations

from datetime import date

import pytest

from services.tools.cv import analyze_cv
from shared.cv import CvAnalysis

TODAY = date(2026, 11, 1)


def analyse(text: str) -> CvAnalysis:
    return analyze_cv("cv.txt", text.encode(), today=TODAY)


def test_contract_keys_when_dumped_by_alias() -> None:
    dumped = analyse("Jane Doe\njane@example.com\n").model_dump(by_alias=True)
    assert {
        "candidateName", "email", "phone", "links", "skills", "experience", "education", "totalYearsExperience",
        "primaryField", "skillsByCategory", "summary", "extractionMethod", "pages", "warnings",
    } <= set(dumped)  # fmt: skip


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("JANE DOE\nSoftware Engineer", "Jane Doe"),
        ("Name: María José García\nEngineer", "María José García"),
        ("Jean-Luc van der Berg | Data Scientist | jl@example.com", "Jean-Luc van der Berg"),
        ("Curriculum Vitae\nAisha Bello\nLagos", "Aisha Bello"),
    ],
)
def test_names(header: str, name: str) -> None:
    assert analyse(header + "\n").candidate_name == name


def test_missing_name_is_a_warning_not_an_error() -> None:
    analysis = analyse("experienced engineer, python and docker\n")
    assert analysis.candidate_name is None
    assert any("name" in warning for warning in analysis.warnings)


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("Phone: +1 (415) 555-0132", "+14155550132"),
        ("Tel. 020 7946 0958", "02079460958"),
        ("Mobile +49 151 23456789", "+4915123456789"),
        ("(312) 555-0178", "3125550178"),
    ],
)
def test_phones(line: str, phone: str) -> None:
    assert analyse(f"Jane Doe\n{line}\nEXPERIENCE\nEngineer, Acme  2019 - 2021\n").phone == phone


def test_links_are_normalised_and_deduplicated() -> None:
    analysis = analyse(
        "Jane Doe\njane@example.com | linkedin.com/in/jane | https://github.com/jane | jane.dev\n"
        "Portfolio: https://github.com/jane\n"
    )
    assert analysis.links == ["https://linkedin.com/in/jane", "https://github.com/jane", "https://jane.dev"]


@pytest.mark.parametrize(
    ("block", "title", "company"),
    [
        ("Senior Engineer at Acme Corp (Jan 2020 – Present)", "Senior Engineer", "Acme Corp"),
        ("Acme Corp | Staff Engineer | 2019 – 2021", "Staff Engineer", "Acme Corp"),
        ("Acme, Inc.\nLead Developer\n2019 - 2021", "Lead Developer", "Acme, Inc."),
        ("2019 - 2021  Data Analyst, Globex (Remote)", "Data Analyst", "Globex"),
        ("Product Designer — Initech, Austin, TX — 2018 – 2020", "Product Designer", "Initech"),
        ("Jan 2020 - Mar 2022 | Software Engineer | Hooli\n• Built things.", "Software Engineer", "Hooli"),
    ],
)
def test_experience_layouts(block: str, title: str, company: str) -> None:
    analysis = analyse(f"Jane Doe\n\nEXPERIENCE\n{block}\n")
    assert [(e.title, e.company) for e in analysis.experience] == [(title, company)]


def test_education_dates_are_not_experience() -> None:
    analysis = analyse(
        "Jane Doe\nEXPERIENCE\nEngineer, Acme  2020 - 2022\nEDUCATION\n"
        "MSc Computer Science, ETH Zurich, 2014 - 2016\nBSc Physics\nUniversity of Bern\n2014\n"
    )
    assert len(analysis.experience) == 1
    assert analysis.total_years_experience == 2.1  # Jan 2020 .. Jan 2022, months inclusive
    assert [(e.degree, e.institution, e.year) for e in analysis.education] == [
        ("MSc Computer Science", "ETH Zurich", 2016),
        ("BSc Physics", "University of Bern", 2014),
    ]


def test_primary_field_and_summary() -> None:
    analysis = analyse(
        "Jane Doe\nEXPERIENCE\nSenior Android Engineer, Acme  Jan 2021 - Present\n"
        "• Kotlin, Jetpack Compose, Coroutines, Firebase\n"
        "Backend Developer, Globex  Jan 2018 - Dec 2020\n• Java, Spring Boot\n"
    )
    assert analysis.primary_field == "mobile"
    assert analysis.summary.startswith(
        "Jane Doe has about 8.9 years of experience, mainly in mobile development"
    )
    assert "most recently as Senior Android Engineer at Acme" in analysis.summary
    assert analysis.summary.endswith(".") and analysis.summary.count(". ") == 1  # two sentences


def test_no_dated_experience_is_reported() -> None:
    analysis = analyse("Jane Doe\nA student who likes Python.\n")
    assert analysis.total_years_experience == 0
    assert analysis.experience == []
    assert "no dated work experience" in analysis.summary

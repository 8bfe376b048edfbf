from __future__ import annotations

import pytest
import yaml

from services.tools.cv.skills import TAXONOMY_PATH, find_skills, load_taxonomy


def skills_of(text: str) -> list[str]:
    return find_skills(text).skills


def test_taxonomy_has_at_least_400_skills_with_valid_entries() -> None:
    raw = yaml.safe_load(TAXONOMY_PATH.read_text())
    assert len(raw["skills"]) >= 400
    owners: dict[str, str] = {}
    for entry in raw["skills"]:
        assert entry["category"] in raw["categories"], entry
        assert set(entry) <= {"name", "category", "aliases", "fields", "ambiguous", "case_sensitive"}, entry
        for form in [entry["name"], *entry.get("aliases", [])]:
            key = str(form).lstrip("=?").lower()
            assert owners.setdefault(key, entry["name"]) == entry["name"], f"{form} belongs to two skills"
    assert sum(1 for entry in raw["skills"] if entry.get("ambiguous")) >= 30


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Built the dashboard in JS and CSS.", "JavaScript"),
        ("Operated k8s clusters for 40 teams.", "Kubernetes"),
        ("Tuned Postgres queries.", "PostgreSQL"),
        ("Moved workloads to GCP.", "GCP"),
        ("Wrote a design system in React.js.", "React"),
        ("Five years on Amazon Web Services.", "AWS"),
        ("Services in Golang.", "Go"),
        ("Trained models with sklearn.", "scikit-learn"),
        ("Shipped apps with ReactNative.", "React Native"),
        ("Ran ETL on Spark SQL.", "Apache Spark"),
        ("Moved CI to GitLab CI/CD.", "GitLab CI"),
        ("Maintained C++17 and C# code.", "C++"),
        ("Maintained C++17 and C# code.", "C#"),
        ("APIs on ASP.NET Core and .NET 8.", "ASP.NET"),
        ("APIs on ASP.NET Core and .NET 8.", ".NET"),
        ("Used scikit learn daily.", "scikit-learn"),
    ],
)
def test_aliases_map_to_canonical_names(text: str, canonical: str) -> None:
    assert canonical in skills_of(text)


def test_skills_inside_experience_bullets_are_found() -> None:
    text = "EXPERIENCE\nBackend Engineer, Acme  2019 - 2021\n• Cut costs by moving cron jobs to AWS Lambda and DynamoDB."
    assert {"AWS Lambda", "DynamoDB"} <= set(skills_of(text))


@pytest.mark.parametrize(
    "text",
    [
        "we had to go to the store",
        "Presented the plan to C-level executives.",
        "Partnered with the R&D department.",
        "Swift delivery of every milestone.",
        "Grew up in the rust belt.",
        "Go-live was in March.",
        "Go to market in Q3 with the sales team.",
        "Managed a team of 12; Swift onboarding and Rust removal from the old plant.",
        "Series C funding round; vitamin C.",
        "Reference: Julia Roberts, R. J. Smith.",
        "Spring 2019 internship; Express delivery; Chef de partie.",
        "Please rest assured; the rest of the team.",
        "Reported to the CEO; did the dishes in the kitchen sink.",
    ],
)
def test_ordinary_words_are_not_skills(text: str) -> None:
    assert skills_of(text) == []


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Languages: Go, Python, C, R", "Go"),
        ("Languages: Go, Python, C, R", "C"),
        ("Languages: Go, Python, C, R", "R"),
        ("SKILLS\nSwift\nKotlin", "Swift"),
        ("Rewrote the billing service in Rust, cutting p99 latency.", "Rust"),
        ("Built microservices in Python/Go.", "Go"),
        ("Statistics in Python and R.", "R"),
        ("Senior Swift developer at a bank.", "Swift"),
        ("Maintained C/C++ firmware.", "C"),
        ("Backend: Java, Spring, Hibernate", "Spring"),
        ("Experience with Ruby and Rails.", "Ruby"),
    ],
)
def test_ambiguous_skills_count_in_technical_context(text: str, skill: str) -> None:
    assert skill in skills_of(text)


def test_company_names_are_not_skills_when_ignored() -> None:
    text = "iOS Developer, Shopify  Jul 2017 - May 2020"
    start = text.index("Shopify")
    assert "Shopify" in skills_of(text)
    assert "Shopify" not in find_skills(text, ignore_spans=[(start, start + len("Shopify"))]).skills


def test_emails_and_urls_are_not_scanned_for_skills() -> None:
    assert skills_of("jane@python.org github.com/jane/react-app https://go.dev/x") == []


def test_skills_are_ordered_by_mentions_and_grouped_by_category() -> None:
    report = find_skills("Python, Docker. Docker, Kubernetes. Docker and Python.")
    assert report.skills[:2] == ["Docker", "Python"]
    assert report.by_category["devops"] == ["Docker", "Kubernetes"]
    assert report.by_category["languages"] == ["Python"]


def test_longest_form_wins_over_its_parts() -> None:
    assert skills_of("Spring Boot and T-SQL") == ["Spring Boot", "T-SQL"]


def test_taxonomy_is_cached() -> None:
    assert load_taxonomy() is load_taxonomy()

"""Items of skill lists the taxonomy does not know: where lists are, how items are cut and cleaned, evidence."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.tools.cv.skill_lists import clean_item
from services.tools.cv.skill_similarity import NoSimilarSkills, SimilarMatch, default_similar_skills
from services.tools.cv.skills import SkillReport, find_skills, load_taxonomy

# Names no taxonomy holds, so whatever is found of them came from the list rules.
UNKNOWN = ["Zorblax", "Quuxify", "Frobnicate Studio", "Plumbus"]


def report_of(text: str) -> SkillReport:
    return find_skills(text, similar=NoSimilarSkills())


def unknown_found(text: str) -> list[str]:
    report = report_of(text)
    return [name for name in report.skills if not report.catalogue[name].known]


@pytest.mark.parametrize(
    "text",
    [
        "SKILLS\nZorblax, Quuxify, Frobnicate Studio, Plumbus",
        "TECHNICAL SKILLS\n• Zorblax\n• Quuxify\n• Frobnicate Studio\n• Plumbus",
        "Tools: Zorblax | Quuxify | Frobnicate Studio | Plumbus",
        "EXPERIENCE\nTech stack: Zorblax; Quuxify; Frobnicate Studio and Plumbus",
        "SKILLS\nTesting | Zorblax 2.1, Quuxify v3, Frobnicate Studio (advanced), Plumbus 10+",
    ],
)
def test_items_of_a_skills_section_or_labelled_line_are_skills(text: str) -> None:
    assert sorted(unknown_found(text)) == sorted(UNKNOWN)


def test_items_next_to_known_skills_are_cut_at_slashes_and_plus() -> None:
    report = report_of("Skills: Python/Zorblax, Docker + Quuxify")
    assert {"Python", "Docker", "Zorblax", "Quuxify"} <= set(report.skills)


def test_a_word_next_to_a_known_skill_belongs_to_it() -> None:
    assert unknown_found("Skills: AWS Lambda functions, Bash scripting, Python 3.12") == []


def test_bare_lists_of_short_names_with_a_known_one_count_anywhere_but_the_header() -> None:
    text = "Jane Doe\nLondon · Zorblax · Quuxify\nEXPERIENCE\nGrafana · Prometheus · Zorblax · Quuxify"
    found = report_of(text)
    assert {"Zorblax", "Quuxify"} <= set(found.skills)
    # Half the parts must be known: a job line "Senior SRE, Takealot.com, Cape Town" is not a list.
    assert unknown_found("EXPERIENCE\nSenior SRE, Zorblax Ltd, Cape Town") == []
    assert "London" not in found.skills
    assert all(evidence.section == "experience" for evidence in found.evidence["Zorblax"])


def test_a_sentence_lends_its_list_of_names_when_known_tools_are_among_them() -> None:
    text = "EXPERIENCE\n- Built pipelines with Airflow, Zorblax, Frobnicate Studio and Kafka."
    assert sorted(unknown_found(text)) == ["Frobnicate Studio", "Zorblax"]


@pytest.mark.parametrize(
    "text",
    [
        "EXPERIENCE\n- Churn and claims models in Python, pandas and SQL.",  # sentence start is not a name
        "EXPERIENCE\n- Built forecasting models (LightGBM, XGBoost) for 40,000 products.",
        "EXPERIENCE\nSenior Engineer, Zorblax Ltd, Berlin, Germany  Jan 2020 - Present",  # job header
        "Jane Doe · Munich, Germany · Python",  # contact line
        "CERTIFICATIONS\nCertified Kubernetes Administrator (CKA), 2020",
        "SKILLS\nI enjoy mentoring engineers. We shipped weekly, with care.",  # sentences are not lists
        "SKILLS\nLanguages: English (native), German (B2), Spanish - conversational",
        "SKILLS\nLanguages\nFrameworks\nOther",  # sub-headings of the section
        "EXPERIENCE\n- Met with sales, marketing and legal every week.",  # no known tool in the run
    ],
)
def test_no_items_are_made_from_prose_places_dates_or_spoken_languages(text: str) -> None:
    assert unknown_found(text) == []


def test_unknown_items_take_their_category_from_the_label_and_keep_their_spelling() -> None:
    report = report_of("Testing: Zorblax, quuxify-ng\nCloud: Plumbus\nSKILLS\nFrobnicate Studio")
    assert report.catalogue["Zorblax"].category == "testing"
    assert report.catalogue["quuxify-ng"].category == "testing"
    assert report.catalogue["Plumbus"].category == "cloud"
    assert report.catalogue["Frobnicate Studio"].category == "other"
    assert report.by_category["testing"] == ["Zorblax", "quuxify-ng"]


def test_an_unknown_item_written_twice_is_one_skill_with_two_mentions() -> None:
    report = report_of("SKILLS\nZorblax, Quuxify\nTools: zorblax")
    assert report.skills.count("Zorblax") == 1
    assert report.mentions["Zorblax"] == 2
    assert "zorblax" not in report.skills


def test_evidence_names_section_line_source_and_the_words_written() -> None:
    report = report_of("Jane Doe\nSKILLS\nk8s, Zorblax\nEXPERIENCE\n- Ran Kubernetes for 40 teams.")
    zorblax = report.evidence["Zorblax"][0]
    assert (zorblax.section, zorblax.line, zorblax.written, zorblax.source) == (
        "skills",
        3,
        "Zorblax",
        "list_item",
    )
    kubernetes = report.evidence["Kubernetes"]
    assert [(e.section, e.line, e.written, e.source) for e in kubernetes] == [
        ("skills", 3, "k8s", "alias"),
        ("experience", 5, "Kubernetes", "taxonomy"),
    ]
    assert report.sources["Kubernetes"] == "taxonomy"
    assert kubernetes[1].text == "- Ran Kubernetes for 40 teams."


WRAPPED = (
    "Jane Doe\nSUMMARY\n"
    "Architect with a decade on Amazon Web Services and Microsoft Azure, helping banks move regulated\n"
    "workloads to the cloud.\n"
    "EXPERIENCE\nContoso Retail\nData Engineer at Contoso\n"
    "• Own the ELT platform: Fivetran ingestion, dbt models and Snowflake,\n"
    "orchestrated with Apache Airflow.\n"
    "• Built streaming ingestion with Kafka and Spark Structured Streaming on\n"
    "Databricks.\n"
    "• Wrote T-SQL stored procedures for the finance team and PostgreSQL\n"
    "• Migrated nightly ETL from SSIS to Python."
)


def test_evidence_quotes_the_sentence_a_soft_wrap_split_across_lines() -> None:
    report = report_of(WRAPPED)
    (azure,) = report.evidence["Azure"]
    assert azure.line == 3 and azure.text.endswith("helping banks move regulated workloads to the cloud.")
    (databricks,) = report.evidence["Databricks"]  # the wrapped part: its line, the whole sentence
    assert databricks.line == 11
    assert (
        databricks.text
        == "• Built streaming ingestion with Kafka and Spark Structured Streaming on Databricks."
    )
    (airflow,) = report.evidence["Apache Airflow"]
    assert airflow.text.startswith("• Own the ELT platform") and airflow.text.endswith("Apache Airflow.")
    # A new bullet is a new sentence, and short lines (a company, a title) are not wraps.
    (postgres,) = report.evidence["PostgreSQL"]
    assert postgres.text == "• Wrote T-SQL stored procedures for the finance team and PostgreSQL"
    (python,) = report.evidence["Python"]
    assert python.text == "• Migrated nightly ETL from SSIS to Python."


def test_a_name_the_wrap_split_is_quoted_whole_and_written_on_one_line() -> None:
    report = report_of(
        "EXPERIENCE\n- Wrote the bank's reference architectures for AKS, Key Vault and Azure\n"
        "Functions; ran the review board."
    )
    (functions,) = report.evidence["Azure Functions"]
    assert functions.written == "Azure Functions" and functions.line == 2
    assert functions.text.endswith("AKS, Key Vault and Azure Functions; ran the review board.")


def test_a_long_passage_is_quoted_in_whole_words_around_the_skill() -> None:
    filler = " ".join(["we shipped the release on time"] * 12)
    report = report_of(f"EXPERIENCE\n{filler} and then rewrote the renderer in Rust to cut latency {filler}")
    (rust,) = report.evidence["Rust"]
    assert len(rust.text) <= 160 and rust.text.startswith("…") and rust.text.endswith("…")
    assert "rewrote the renderer in Rust to cut latency" in rust.text
    assert all(word in filler.split() for word in rust.text.strip("…").split()[:3])  # no word cut in half


def test_the_label_of_a_list_is_not_a_skill() -> None:
    assert "Machine Learning" not in report_of("ML: Zorblax, Keras").skills


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Angular 15", "Angular"),
        ("  Zorblax v2.3.1 ", "Zorblax"),
        ("advanced Plumbus", "Plumbus"),
        ("Plumbus (5 years)", "Plumbus"),
        ("strong knowledge of", None),
        ("e.g.", None),
        ("Design of Experiments", "Design of Experiments"),
        ("owning services end to end", None),
        ("Cloud: Plumbus", "Plumbus"),
        ("German B2", None),
        ("x", None),
        ("2019", None),
    ],
)
def test_clean_item(raw: str, expected: str | None) -> None:
    assert clean_item(raw) == expected


def test_a_vendor_label_completes_its_items() -> None:
    report = report_of("SKILLS\nAWS: Organizations, Control Tower\nLeadership: coaching")
    assert "AWS Organizations" in report.skills and "Organizations" not in report.skills
    assert "Executive Coaching" not in report.skills


class _Nearest:
    """A fake model: every item is closest to the known skill given, at the similarity given."""

    def __init__(self, skill_name: str, similarity: float) -> None:
        self.skill_name, self.similarity = skill_name, similarity

    def nearest(self, names: Sequence[str]) -> list[SimilarMatch]:
        skill = load_taxonomy().skills[self.skill_name]
        return [SimilarMatch(skill, skill.name, self.similarity) for _ in names]


def test_a_merge_by_meaning_must_fit_the_line() -> None:
    fits = find_skills("SKILLS\nAndroid: Kotlin, Coroutines", similar=_Nearest("Kotlin Coroutines", 0.8))
    assert "Kotlin Coroutines" in fits.skills and fits.sources["Kotlin Coroutines"] == "similar"
    misfit = find_skills("SKILLS\nAndroid: Kotlin, Coroutines", similar=_Nearest("Salesforce Flow", 0.8))
    assert "Salesforce Flow" not in misfit.skills and "Coroutines" in misfit.skills


def test_the_packaged_model_merges_an_item_only_into_a_name_holding_its_words() -> None:
    similar = default_similar_skills(load_taxonomy())
    coroutines, acquiring, iso = similar.nearest(["Coroutines", "card acquiring", "ISO"])
    assert coroutines.merged is not None and coroutines.merged.name == "Kotlin Coroutines"
    assert acquiring.merged is None  # "Card Issuing" is close in meaning but another skill
    assert iso.merged is None  # too short to say

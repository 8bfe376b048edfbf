"""What the interviewer quotes from a CV when it asks about a skill: the candidate's own sentence where
they used it, from the analyzer's evidence."""

from __future__ import annotations

from pathlib import Path

from services.agent.interviewer import cv_quotes
from services.tools.cv.analyze import analyze_cv
from shared.cv import CvAnalysis, SkillDetail, SkillEvidence

FIXTURES = Path(__file__).parents[1] / "tools" / "cv" / "fixtures"


def detail(name: str, *mentions: tuple[str, str]) -> SkillDetail:
    evidence = [
        SkillEvidence(section=section, line=n + 1, text=text, written=name, source="taxonomy")
        for n, (section, text) in enumerate(mentions)
    ]
    return SkillDetail(
        name=name, category="tools", source="taxonomy", known=True, mentions=len(evidence), evidence=evidence
    )


def test_the_quote_is_a_sentence_where_the_skill_was_used_not_a_list() -> None:
    cv = CvAnalysis(
        skills=["Kubernetes", "Redis", "Go"],
        skill_details=[
            detail(
                "Kubernetes",
                ("skills", "Kubernetes, Docker, Helm, Terraform"),
                ("summary", "Platform engineer who likes Kubernetes"),
                ("experience", "- Moved 40 services onto Kubernetes with Helm and Argo CD."),
                ("projects", "Wrote a Kubernetes operator for nightly database backups"),
            ),
            detail("Redis", ("skills", "Tools: Redis, Kafka, Postgres, Vault")),
            detail("Go", ("experience", "Go | Python | Rust")),
        ],
    )
    assert cv_quotes(cv) == {
        "kubernetes": [  # experience first, then projects, then summary
            "Moved 40 services onto Kubernetes with Helm and Argo CD",
            "Wrote a Kubernetes operator for nightly database backups",
            "Platform engineer who likes Kubernetes",
        ]
    }


def test_a_long_line_is_cut_around_the_skill() -> None:
    line = (
        "Owned the billing platform end to end for two years and, among many other things, rewrote the "
        "invoice renderer in Rust which cut p99 latency from 900 ms to 120 ms for the largest customers"
    )
    ((quote,),) = cv_quotes(
        CvAnalysis(skills=["Rust"], skill_details=[detail("Rust", ("experience", line))])
    ).values()
    assert quote.startswith("…") and quote.endswith("…")
    assert "Rust" in quote and len(quote.strip("…").split()) == 16


def test_a_real_cv_gives_quotes_from_its_experience() -> None:
    analysis = analyze_cv("one_column.pdf", (FIXTURES / "one_column.pdf").read_bytes())
    quotes = cv_quotes(analysis)
    assert "kubernetes" in quotes and "Kubernetes" in quotes["kubernetes"][0]
    text = analysis_lines(analysis)
    for quote in (q for lines in quotes.values() for q in lines):  # the CV's own words, never a skills list
        assert quote.strip("…") in text
        assert quote.count(",") < 3


def test_a_sentence_the_pdf_wrapped_is_quoted_whole() -> None:
    analysis = analyze_cv("cloud_architect.pdf", (FIXTURES / "cloud_architect.pdf").read_bytes())
    (quote,) = cv_quotes(analysis)["azure"]
    assert "helping banks move regulated workloads" in quote  # was cut at "regulated", the end of the line


def analysis_lines(analysis: CvAnalysis) -> str:
    return "\n".join(e.text for d in analysis.skill_details for e in d.evidence)


def test_no_cv_no_quotes() -> None:
    assert cv_quotes(None) == {}

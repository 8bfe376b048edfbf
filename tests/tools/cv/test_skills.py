from __future__ import annotations

import pytest

from services.tools.cv.skill_similarity import NoSimilarSkills
from services.tools.cv.skills import find_skills, load_taxonomy


def skills_of(text: str) -> list[str]:
    return find_skills(text, similar=NoSimilarSkills()).skills


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
        "We had to go live before the spring release.",
        "Taught Python to a chef, two bank tellers and a nurse.",
        "Kept the vault of customer records; a swift turnaround.",
    ],
)
def test_ordinary_words_are_not_skills(text: str) -> None:
    assert set(skills_of(text)) <= {"Python"}


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
        ("Wrote the team's first Helm manifests.", "Helm"),
        ("Configured Vault for the payments team.", "Vault"),
        ("Rolled out Chef cookbooks to 300 hosts.", "Chef"),
        ("Replaced Nagios with Prometheus and Grafana; Chef, Puppet and Ansible for config.", "Puppet"),
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


@pytest.mark.parametrize(
    "text",
    [
        "Joined a team whose services were written in Scala; I built the Python tooling.",
        "The vendor's platform was built in Scala, which we only called over REST.",
    ],
)
def test_someone_elses_language_is_not_the_candidates_skill(text: str) -> None:
    assert "Scala" not in skills_of(text)
    assert "Scala" in skills_of(text + " Later rewrote the ETL in Scala.")


def test_a_glued_version_or_possessive_still_names_the_skill() -> None:
    assert {"Python", "Docker", "Vue.js"} <= set(skills_of("Python3.11 services, Docker's cache, Vue3 apps."))


def test_a_skill_inside_a_hyphenated_word_or_handle_is_not_a_mention() -> None:
    assert skills_of("A non-Java shop; ping @react on chat.") == []


@pytest.mark.parametrize(
    ("text", "not_theirs"),
    [
        (
            "The quoting service is written in Elixir. My teams maintain it; I have never written Elixir.",
            "Elixir",
        ),
        (
            "The payment switch is an IBM i system run by the core-banking team; we only watch its queues.",
            "IBM i",
        ),
        ("The annotation tool was built by the frontend team in Vue; I designed its schema.", "Vue.js"),
        ("The perception team's PyTorch models are theirs; I only call them.", "PyTorch"),
        ("The iOS team ships the same features in Swift.", "iOS"),
        ("One client's plant ran Siemens SCADA; we only received its firewall logs.", "SCADA"),
        ("The risk team trains its models in H2O on these features; I don't maintain them.", "H2O"),
    ],
)
def test_clauses_that_disown_a_skill_drop_it(text: str, not_theirs: str) -> None:
    assert not_theirs not in skills_of(text)


def test_a_disowned_skill_named_elsewhere_still_counts() -> None:
    text = "SKILLS\nElixir, Go\nEXPERIENCE\n- The billing service is written in Elixir by another team."
    assert "Elixir" in skills_of(text)


def test_the_headline_and_lowercase_hobbies_are_not_claims() -> None:
    text = "Amira Haddad\nCybersecurity Analyst\nEXPERIENCE\n- Ran Splunk.\nINTERESTS\nSailing: trimming the spinnaker"
    found = skills_of(text)
    assert "Splunk" in found
    assert "Information Security" not in found and "Spinnaker" not in found


def test_industry_domains_count_from_lists_not_from_passing_mentions() -> None:
    assert "E-commerce" not in skills_of(
        "SUMMARY\nData engineer building pipelines for e-commerce and travel."
    )
    assert "E-commerce" in skills_of("SKILLS\nDomains: e-commerce, payments")

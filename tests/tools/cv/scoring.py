"""Compare a CvAnalysis with a fixture's hand-written ground truth: skill precision/recall, field accuracy.

Matching rules (stated here so the figures can be read):
- name: equal ignoring case; email: equal ignoring case; phone: equal digits (and "+").
- an experience entry is right when start, end, title and company all match; titles and companies are
  compared lower-cased, without punctuation and without parenthesised qualifiers ("(part-time)").
- an education entry is right when degree, institution and year all match (degree and institution
  compared like titles; an institution also matches when one name contains the other, e.g.
  "University of California" / "University of California, Berkeley").
- total years: right when within 0.25 years.
- skills are alias-tolerant: a name found and a name expected are one skill when the taxonomy reads them as
  forms of one skill ("GCP" and "Google Cloud"), or when they are the same words ignoring case, spaces,
  hyphens and a trailing version ("Label Studio" and "label-studio 1.9"). Nothing else is forgiven.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.tools.cv.skills import load_taxonomy
from services.tools.cv.taxonomy import form_key
from shared.cv import CvAnalysis

FIXTURES = Path(__file__).with_name("fixtures")
YEARS_TOLERANCE = 0.25


@dataclass
class FixtureScore:
    file: str
    true_positives: int
    false_positives: list[str]
    false_negatives: list[str]
    fields: dict[str, bool] = field(default_factory=dict)
    experience_right: int = 0
    experience_total: int = 0
    education_right: int = 0
    education_total: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0


def load_truths(folder: Path = FIXTURES) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.truth.json"))]


def _norm(text: str | None) -> str:
    text = re.sub(r"\([^)]*\)", " ", text or "")
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _institution_matches(found: str | None, expected: str | None) -> bool:
    a, b = _norm(found), _norm(expected)
    return bool(a and b) and (a == b or a in b or b in a)


def _as_list(value: Any) -> list[Any]:
    """A truth field may list every acceptable answer (a full-stack CV is frontend or backend)."""
    return value if isinstance(value, list) else [value]


def skill_key(name: str) -> str:
    """One key per skill: the taxonomy's canonical name when any of its forms reads so, else the words."""
    taxonomy = load_taxonomy()
    stripped = re.sub(r"\s+v?\d+(?:\.\d+)*\+?$", "", name.strip())
    for text in (name.strip(), stripped):
        forms = taxonomy.lookup(text)
        if forms:
            return forms[0].skill_name
    return form_key(stripped, False)


def score(analysis: CvAnalysis, truth: dict[str, Any]) -> FixtureScore:
    expected = {skill_key(name): name for name in truth["skills"]}
    found = {skill_key(name): name for name in analysis.skills}
    result = FixtureScore(
        file=truth["file"],
        true_positives=len(found.keys() & expected.keys()),
        false_positives=sorted(found[key] for key in found.keys() - expected.keys()),
        false_negatives=sorted(expected[key] for key in expected.keys() - found.keys()),
    )
    result.fields = {
        "name": (analysis.candidate_name or "").lower() == truth["name"].lower(),
        "email": (analysis.email or "").lower() == truth["email"].lower(),
        "phone": analysis.phone == truth["phone"],
        "links": sorted(analysis.links) == sorted(truth["links"]),
        "total_years": abs(analysis.total_years_experience - truth["total_years"]) <= YEARS_TOLERANCE,
        "primary_field": analysis.primary_field in _as_list(truth["primary_field"]),
        "extraction_method": analysis.extraction_method == truth["extraction_method"],
        "experience_count": len(analysis.experience) == len(truth["experience"]),
        "education_count": len(analysis.education) == len(truth["education"]),
    }
    found_jobs = [(_norm(e.title), _norm(e.company), e.start, e.end) for e in analysis.experience]
    for job in truth["experience"]:
        key = (_norm(job["title"]), _norm(job["company"]), job["start"], job["end"])
        result.experience_right += key in found_jobs
    result.experience_total = len(truth["experience"])
    for school in truth["education"]:
        result.education_right += any(
            _norm(e.degree) == _norm(school["degree"])
            and _institution_matches(e.institution, school["institution"])
            and e.year == school["year"]
            for e in analysis.education
        )
    result.education_total = len(truth["education"])
    return result


@dataclass
class Totals:
    precision: float
    recall: float
    field_accuracy: dict[str, float]
    experience_accuracy: float
    education_accuracy: float


def totals(scores: list[FixtureScore]) -> Totals:
    tp = sum(s.true_positives for s in scores)
    fp = sum(len(s.false_positives) for s in scores)
    fn = sum(len(s.false_negatives) for s in scores)
    names = scores[0].fields.keys() if scores else []
    return Totals(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        field_accuracy={name: sum(s.fields[name] for s in scores) / len(scores) for name in names},
        experience_accuracy=sum(s.experience_right for s in scores)
        / max(1, sum(s.experience_total for s in scores)),
        education_accuracy=sum(s.education_right for s in scores)
        / max(1, sum(s.education_total for s in scores)),
    )


def report(scores: list[FixtureScore]) -> str:
    lines = [f"{'fixture':22} {'P':>5} {'R':>5}  exp  edu  failed fields / skill errors"]
    for s in scores:
        failed = [name for name, ok in s.fields.items() if not ok]
        lines.append(
            f"{s.file:22} {s.precision:5.2f} {s.recall:5.2f}  {s.experience_right}/{s.experience_total}  "
            f"{s.education_right}/{s.education_total}  {failed} FP={s.false_positives} FN={s.false_negatives}"
        )
    t = totals(scores)
    lines.append(f"overall precision {t.precision:.3f} recall {t.recall:.3f}")
    lines.append(
        f"experience entries {t.experience_accuracy:.3f} education entries {t.education_accuracy:.3f}"
    )
    lines.append("fields " + ", ".join(f"{k}={v:.2f}" for k, v in t.field_accuracy.items()))
    return "\n".join(lines)

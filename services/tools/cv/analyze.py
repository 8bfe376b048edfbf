"""analyze_cv: bytes in, CvAnalysis out, in this process. See isolation.py for the guarded variant."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from services.tools.cv.contact import extract_contact
from services.tools.cv.dates import total_years
from services.tools.cv.detect import check_size, detect_file_type
from services.tools.cv.education import extract_education
from services.tools.cv.errors import CvError
from services.tools.cv.experience import extract_experience
from services.tools.cv.extract_text import extract_text
from services.tools.cv.limits import DEFAULT_LIMITS, CvLimits
from services.tools.cv.sections import split_lines
from services.tools.cv.skills import SkillReport, find_skills
from shared.cv import CvAnalysis, ExperienceEntry, PrimaryField, SkillDetail

FIELD_LABELS: dict[PrimaryField, str] = {
    "backend": "backend engineering",
    "frontend": "frontend engineering",
    "data": "data engineering and analytics",
    "cloud_architecture": "cloud architecture",
    "devops": "DevOps and infrastructure",
    "mobile": "mobile development",
    "ml": "machine learning",
    "management": "engineering management",
}
# Job titles are the strongest hint of a person's field; checked in this order, first hit wins.
_TITLE_FIELD_PATTERNS: tuple[tuple[str, tuple[PrimaryField, ...]], ...] = (
    (r"\b(?:engineering|development|software|technical|it|delivery|program|project|product)\s+manager\b"
     r"|\bhead\s+of\b|\bdirector\b|\bvp\b|\bvice\s+president\b|\bcto\b|\bchief\b|\bmanager\b",
     ("management",)),
    (r"machine\s+learning|\bml\b|\bai\b|deep\s+learning|research\s+scientist|data\s+scientist|\bnlp\b"
     r"|computer\s+vision", ("ml",)),
    (r"\bdata\s+(?:engineer|analyst|architect|platform)|analytics|\bbi\b|business\s+intelligence|\betl\b",
     ("data",)),
    (r"devops|\bsre\b|site\s+reliability|platform\s+engineer|infrastructure|release\s+engineer",
     ("devops",)),
    (r"\bcloud\b|solutions?\s+architect", ("cloud_architecture",)),
    (r"\bios\b|android|mobile", ("mobile",)),
    (r"full[\s-]?stack", ("frontend", "backend")),
    (r"front[\s-]?end|\bui\b|web\s+developer|javascript|react", ("frontend",)),
    (r"back[\s-]?end|server|\bapi\b|java|python|golang|software\s+engineer|software\s+developer",
     ("backend",)),
)  # fmt: skip
_TITLE_FIELDS = tuple(
    (re.compile(pattern, re.IGNORECASE), fields) for pattern, fields in _TITLE_FIELD_PATTERNS
)
_TITLE_WEIGHTS = (6.0, 3.0, 1.5)
_SKILL_SCORE_TOTAL = 10.0
_SUMMARY_SKILLS = 6


def analyze_cv(
    filename: str,
    data: bytes,
    *,
    limits: CvLimits = DEFAULT_LIMITS,
    textract_client: Any | None = None,
    today: date | None = None,
) -> CvAnalysis:
    """Read a PDF, DOCX or TXT resume and return its structured analysis; raise CvError for bad files.

    Pure: nothing is stored. `textract_client` (a boto3 "textract" client) replaces local OCR for scanned
    pages. `today` fixes the month that "Present" means (tests); it defaults to the current date.
    """
    today = today or date.today()
    check_size(data, limits)
    file_type = detect_file_type(filename, data)
    try:
        extracted = extract_text(file_type, data, limits, textract_client)
    except MemoryError as exc:
        raise CvError(
            "file_too_complex", "The document needs more memory than allowed to read.", 422
        ) from exc
    lines = split_lines(extracted.text)
    contact = extract_contact(lines, today)
    experience_result = extract_experience(lines, today)
    experience = experience_result.entries
    education = extract_education(lines, today)
    skill_report = find_skills(extracted.text, ignore_spans=experience_result.company_spans)
    years = total_years(experience_result.ranges, today)
    primary = primary_field(skill_report, experience)
    warnings = list(extracted.warnings) + _field_warnings(contact.name, contact.email, experience)
    analysis = CvAnalysis(
        candidate_name=contact.name,
        email=contact.email,
        phone=contact.phone,
        links=contact.links,
        skills=skill_report.skills,
        skills_by_category=skill_report.by_category,
        skill_details=skill_details(skill_report),
        experience=experience,
        education=education,
        total_years_experience=years,
        primary_field=primary,
        extraction_method=extracted.method,
        file_type=extracted.file_type,
        pages=extracted.pages,
        warnings=warnings,
    )
    analysis.summary = build_summary(analysis, skill_report)
    return analysis


def skill_details(report: SkillReport) -> list[SkillDetail]:
    return [
        SkillDetail(
            name=name,
            category=report.catalogue[name].category,
            source=report.sources[name],
            known=report.catalogue[name].known,
            mentions=report.mentions[name],
            evidence=report.evidence[name],
        )
        for name in report.skills
    ]


def primary_field(report: SkillReport, experience: list[ExperienceEntry]) -> PrimaryField | None:
    """The field with the highest score: skills share 10 points, recent job titles weigh 6, 3, 1.5."""
    scores: dict[PrimaryField, float] = dict.fromkeys(FIELD_LABELS, 0.0)
    skill_points: dict[PrimaryField, float] = dict.fromkeys(FIELD_LABELS, 0.0)
    for name in report.skills:
        fields = [field for field in report.catalogue[name].fields if field in FIELD_LABELS]
        weight = 1.0 + 0.5 * min(report.mentions[name] - 1, 2)
        for field in fields:
            skill_points[field] += weight / len(fields)
    total = sum(skill_points.values())
    if total:
        for field, points in skill_points.items():
            scores[field] += _SKILL_SCORE_TOTAL * points / total
    recent_first = sorted(experience, key=lambda entry: entry.start or "", reverse=True)
    for entry, weight in zip(recent_first, _TITLE_WEIGHTS, strict=False):
        for field in _title_fields(entry.title or ""):
            scores[field] += weight
    best = max(scores, key=lambda field: scores[field])
    return best if scores[best] > 0 else None


def _title_fields(title: str) -> tuple[PrimaryField, ...]:
    for pattern, fields in _TITLE_FIELDS:
        if pattern.search(title):
            return fields
    return ()


def build_summary(analysis: CvAnalysis, report: SkillReport) -> str:
    """Two sentences an interviewer can read aloud: experience and field, then the strongest skills."""
    who = analysis.candidate_name or "The candidate"
    if analysis.total_years_experience > 0:
        first = f"{who} has about {analysis.total_years_experience:g} years of experience"
    else:
        first = f"{who} lists no dated work experience"
    if analysis.primary_field is not None:
        first += f", mainly in {FIELD_LABELS[analysis.primary_field]}"
    latest = _latest_job(analysis.experience)
    if latest is not None and latest.title:
        first += f", most recently as {latest.title}" + (f" at {latest.company}" if latest.company else "")
    sentences = [first + "."]
    top = _summary_skills(report)
    if top:
        listed = ", ".join(top[:-1]) + f" and {top[-1]}" if len(top) > 1 else top[0]
        sentences.append(f"Most mentioned skills: {listed}.")
    return " ".join(sentences)


def _latest_job(experience: list[ExperienceEntry]) -> ExperienceEntry | None:
    if not experience:
        return None
    return max(
        experience,
        key=lambda entry: ("9999" if entry.end == "present" else entry.end or "", entry.start or ""),
    )


def _summary_skills(report: SkillReport) -> list[str]:
    generic = {"practices", "tools", "testing"}
    # Known, specific skills first: an unknown list item may be anything from "Pact" to "Teamwork".
    specific = [
        name
        for name in report.skills
        if report.catalogue[name].known and report.catalogue[name].category not in generic
    ]
    chosen = specific[:_SUMMARY_SKILLS]
    if len(chosen) < _SUMMARY_SKILLS:
        chosen += [name for name in report.skills if name not in chosen][: _SUMMARY_SKILLS - len(chosen)]
    return chosen


def _field_warnings(name: str | None, email: str | None, experience: list[ExperienceEntry]) -> list[str]:
    warnings = []
    if name is None:
        warnings.append("The candidate's name was not recognised.")
    if email is None:
        warnings.append("No e-mail address was found.")
    if not experience:
        warnings.append("No dated work experience was found.")
    elif any(entry.title is None or entry.company is None for entry in experience):
        warnings.append("Some experience entries lack a recognisable title or company.")
    return warnings

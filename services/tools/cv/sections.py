"""Resume sections from their headings ("EXPERIENCE", "Work History:", "Technical Skills" ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADINGS: dict[str, tuple[str, ...]] = {
    "experience": (
        "experience", "work experience", "professional experience", "employment", "employment history",
        "work history", "career history", "relevant experience", "career", "professional background",
        "positions held", "industry experience", "work", "experience highlights", "career summary",
        "professional history", "technical experience",
    ),
    "education": (
        "education", "academic background", "education and training", "academic qualifications",
        "qualifications", "studies", "academics", "education and certifications", "academic history",
    ),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "skills and tools", "technologies",
        "tech stack", "tools", "tools and technologies", "competencies", "core competencies",
        "technical competencies", "expertise", "areas of expertise", "technical expertise",
        "programming languages", "toolbox", "stack", "skills and expertise", "skills summary",
        "technical proficiencies", "proficiencies", "skill set", "skillset", "it skills",
    ),
    "summary": (
        "summary", "profile", "professional summary", "about", "about me", "objective",
        "career objective", "personal statement", "overview", "professional profile", "executive summary",
    ),
    "projects": ("projects", "personal projects", "selected projects", "side projects", "open source", "key projects"),
    "certifications": (
        "certifications", "certificates", "licenses and certifications", "licences and certifications",
        "courses", "training", "certifications and training",
    ),
    "languages": ("languages", "spoken languages", "language skills"),
    "contact": ("contact", "contact information", "contact details", "personal details", "personal information"),
    "other": (
        "awards", "honors", "honours", "achievements", "publications", "interests", "hobbies", "references",
        "volunteering", "volunteer experience", "activities", "leadership", "awards and honors",
        "additional information", "extracurricular activities", "outside work", "outside of work",
        "personal interests", "interests and hobbies", "hobbies and interests",
    ),
}  # fmt: skip
_HEADING_LOOKUP = {phrase: name for name, phrases in _HEADINGS.items() for phrase in phrases}
_MAX_HEADING_WORDS = 5
# Rules, bullets and scanner dust around a heading ("== SKILLS ==", "_ EXPERIENCE", "SKILLS .").
_DECORATION_RE = re.compile(r"^[\s#*=_•\-–—|:.,;'`~]+|[\s#*=_•\-–—|:.,;'`~]+$")
# A line that starts a new item of a list: a bullet, a dash, a number ("• Built", "- Led", "2) Ran").
BULLET_START_RE = re.compile(r"^\s*(?:•|[-*–▪◦]\s|\d+[.)]\s)")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    start: int  # offset of the line in the whole text
    section: str  # "header" before the first heading


def heading_name(line: str) -> str | None:
    """The section a line opens, or None when it is not a heading."""
    cleaned = _DECORATION_RE.sub("", line).lower().replace("&", "and")
    cleaned = re.sub(r"\s+", " ", cleaned)
    if not cleaned or len(cleaned.split()) > _MAX_HEADING_WORDS:
        return None
    return _HEADING_LOOKUP.get(cleaned)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    section = "header"
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        name = heading_name(raw)
        if name is not None:
            section = name
        lines.append(Line(number, raw, offset, "heading" if name is not None else section))
        offset += len(raw) + 1
    return lines

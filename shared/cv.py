"""The CV analysis: what the tools service's CV analyzer produces, the gateway returns and the agent reads.

Serialised with the contract's camelCase keys (`candidateName`, `totalYearsExperience`, ...) wherever it
is dumped; either spelling is accepted on input.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

ExtractionMethod = Literal["text", "ocr", "textract"]
FileType = Literal["pdf", "docx", "txt"]
PrimaryField = Literal[
    "backend", "frontend", "data", "cloud_architecture", "devops", "mobile", "ml", "management"
]


class _CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class ExperienceEntry(_CamelModel):
    title: str | None = None
    company: str | None = None
    start: str | None = Field(default=None, description="YYYY-MM")
    end: str | None = Field(default=None, description='YYYY-MM or "present"')


class EducationEntry(_CamelModel):
    degree: str | None = None
    institution: str | None = None
    year: int | None = Field(default=None, description="graduation (or last) year")


SkillSource = Literal["taxonomy", "alias", "similar", "list_item"]


class SkillEvidence(_CamelModel):
    """One place a skill was found, so the interviewer and the report can cite it."""

    section: str = Field(description='the section of the CV: "skills", "experience", "header", ...')
    line: int = Field(description="1-based line number in the extracted text")
    text: str = Field(
        description="the line, with the lines a soft wrap split its sentence across, whitespace collapsed; "
        "at most 160 characters of whole words around the skill (… where cut)"
    )
    written: str = Field(description="the skill as the CV writes it (whitespace collapsed)")
    source: SkillSource = Field(
        description="taxonomy: its canonical name; alias: another known form of it; similar: a list item "
        "merged with the known skill of the same meaning; list_item: an item of a skill list the taxonomy "
        "does not know, kept as written"
    )


class SkillDetail(_CamelModel):
    name: str
    category: str
    source: SkillSource = Field(description="the strongest source among its mentions")
    known: bool = Field(description="the skill is in the analyzer's taxonomy")
    mentions: int
    evidence: list[SkillEvidence] = Field(default_factory=list, description="the first five mentions")


class CvAnalysis(_CamelModel):
    candidate_name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="canonical names, most mentioned first")
    skills_by_category: dict[str, list[str]] = Field(default_factory=dict)
    skill_details: list[SkillDetail] = Field(default_factory=list, description="in the order of `skills`")
    experience: list[ExperienceEntry] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    total_years_experience: float = 0.0
    primary_field: PrimaryField | None = None
    summary: str = ""
    extraction_method: ExtractionMethod = "text"
    file_type: FileType = "txt"
    pages: int = 1
    warnings: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _details_follow_skills(self) -> CvAnalysis:
        """A corrected analysis (PUT cv-analysis) may drop skills: their grouping and evidence go with them.
        A skill the candidate adds has no evidence: the CV never said it."""
        kept = set(self.skills)
        self.skill_details = [detail for detail in self.skill_details if detail.name in kept]
        self.skills_by_category = {
            category: [name for name in names if name in kept]
            for category, names in self.skills_by_category.items()
            if any(name in kept for name in names)
        }
        return self

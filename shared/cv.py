"""The CV analysis: what the tools service's CV analyzer produces, the gateway returns and the agent reads.

Serialised with the contract's camelCase keys (`candidateName`, `totalYearsExperience`, ...) wherever it
is dumped; either spelling is accepted on input.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
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


class CvAnalysis(_CamelModel):
    candidate_name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="canonical names, most mentioned first")
    skills_by_category: dict[str, list[str]] = Field(default_factory=dict)
    experience: list[ExperienceEntry] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    total_years_experience: float = 0.0
    primary_field: PrimaryField | None = None
    summary: str = ""
    extraction_method: ExtractionMethod = "text"
    file_type: FileType = "txt"
    pages: int = 1
    warnings: list[str] = Field(default_factory=list)

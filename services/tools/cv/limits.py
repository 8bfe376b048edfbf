"""Limits that bound the work one uploaded CV can cause. Documented in README.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024


class CvLimits(BaseModel):
    """Every bound the analyzer enforces; the defaults suit a one- to three-page resume with room to spare."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=10 * MIB, gt=0, description="largest accepted upload")
    max_pages: int = Field(default=20, gt=0, description="PDF pages; more is rejected, not truncated")
    max_docx_uncompressed_bytes: int = Field(
        default=50 * MIB, gt=0, description="sum of all DOCX zip members once inflated (zip-bomb guard)"
    )
    max_docx_entries: int = Field(default=2000, gt=0, description="members in the DOCX zip")
    max_text_chars: int = Field(default=200_000, gt=0, description="extracted text beyond this is cut")
    parse_timeout_s: float = Field(default=60.0, gt=0, description="wall time of the isolated child")
    max_memory_bytes: int = Field(default=1024 * MIB, gt=0, description="address-space rlimit of the child")
    ocr_dpi: int = Field(default=300, ge=72, le=600, description="render resolution of scanned pages")
    max_ocr_pixels: int = Field(
        default=40_000_000, gt=0, description="a page rendered larger than this is rendered at a lower DPI"
    )
    min_chars_per_page: int = Field(
        default=25, ge=0, description="a PDF page with less text than this is treated as scanned"
    )
    ocr_language: str = Field(default="eng", description="tesseract language pack")


DEFAULT_LIMITS = CvLimits()

"""The report PDF: rendered to PNG (pypdfium2), every page has ink on it, and its text extracts with the
title block, the sections and the candidate's quoted words."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bench.calibration import load_answers, session_record
from services.tools.evaluator import Lexicon, evaluate
from services.tools.evaluator.pdf import render_report_pdf
from shared.events import Word
from shared.question_bank import load_question_bank
from shared.report import PerformanceReport


@pytest.fixture(scope="module")
def report() -> PerformanceReport:
    answers = load_answers()["behavioral"]
    record = session_record(
        "behavioral",
        "pdf",
        [(q, answers[q][lvl]) for q, lvl in zip(answers, ["strong", "weak", "nonsense"], strict=True)],
    )
    spoken = record.transcript[1]
    spoken.words = [Word(word=w, start=i * 0.4, end=i * 0.4 + 0.3) for i, w in enumerate(spoken.text.split())]
    record.candidate_name = "Zoë O’Brien \ud800"  # accents, a curly apostrophe and a lone surrogate
    return evaluate(
        record, load_question_bank("behavioral"), Lexicon.load(), generated_at="2026-11-29T15:00:00+00:00"
    )


def _ink(image: object) -> float:
    """The share of pixels that are not white."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    gray = image.convert("L")
    histogram = gray.histogram()
    return 1 - sum(histogram[250:]) / (gray.width * gray.height)


def test_the_pdf_renders_with_ink_on_every_page_and_its_text_extracts(
    report: PerformanceReport, tmp_path: Path
) -> None:
    pdf = render_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf)
    text = ""
    for index in range(len(document)):
        page = document[index]
        image = page.render(scale=1).to_pil()
        image.save(tmp_path / f"page-{index}.png")
        assert _ink(image) > 0.01, f"page {index + 1} is blank"
        text += page.get_textpage().get_text_range()
    assert 1 <= len(document) <= 4
    for expected in (
        "Zoë O’Brien",
        "Behavioral interview",
        f"{report.overall_score:.1f}",
        "Strengths",
        "To improve",
        "Question by question",
        "Delivery",
        "words a minute",
    ):
        assert expected in text, expected
    quote = report.competencies["culturalFit"].evidence[0].quote
    assert quote[:40] in " ".join(text.split())  # the candidate's words, as said


def test_a_report_with_nothing_judged_still_renders(report: PerformanceReport) -> None:
    empty = report.model_copy(update={"strengths": [], "improvements": [], "questions": [], "delivery": None})
    text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(render_report_pdf(empty)))
    assert "No answer reached a solid level" in text and "No answer was spoken" in text


def test_oversized_text_cannot_break_the_layout(report: PerformanceReport) -> None:
    """A table cell cannot split across pages: a huge name or question must be cut, not crash the render."""
    huge = "x" * 5000
    questions = [q.model_copy(update={"question": huge}) for q in report.questions]
    pdf = render_report_pdf(report.model_copy(update={"candidate_name": huge, "questions": questions}))
    assert pdf.startswith(b"%PDF") and len(pdfium.PdfDocument(pdf)) <= 6

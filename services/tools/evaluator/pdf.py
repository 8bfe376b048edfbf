"""The performance report as a designed PDF (reportlab, pure Python): a title block, the radar chart of
the five scores, the scores with their weights and evidence, strengths, improvements, delivery and the
per-question feedback. Text is set in Bitstream Vera (shipped inside reportlab), so quotes keep their
accents and typographic punctuation on any machine."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from services.tools.evaluator.report_builder import LABEL
from shared.interview_types import find_interview_type
from shared.report import Competency, PerformanceReport, QuestionFeedback

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#2457c5")
RULE = colors.HexColor("#d9e2ec")
PANEL = colors.HexColor("#f0f4f8")
BADGE = {
    "STRONG_HIRE": colors.HexColor("#1e7b45"),
    "HIRE": colors.HexColor("#2f9e5b"),
    "LEAN_HIRE": colors.HexColor("#c98a06"),
    "LEAN_NO_HIRE": colors.HexColor("#d2621b"),
    "NO_HIRE": colors.HexColor("#c0392b"),
}
FONT, BOLD, ITALIC = "PrepVera", "PrepVera-Bold", "PrepVera-Italic"
PAGE_WIDTH = A4[0] - 36 * mm - 12  # the frame keeps 6 pt of padding on each side


def _register_fonts() -> None:
    """Vera from reportlab's own folder; registering is process-wide, so only once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8.5, leading=11.5),
        "quote": ParagraphStyle(
            "quote", parent=base, fontName=ITALIC, textColor=MUTED, fontSize=8.5, leading=11.5, leftIndent=8
        ),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=20, leading=24),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=4),
        "score": ParagraphStyle(
            "score", parent=base, fontName=BOLD, fontSize=30, leading=32, alignment=TA_RIGHT, textColor=ACCENT
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, textColor=MUTED, fontSize=8.5),
    }


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text any PDF can hold: lone surrogates (valid in JSON, not in UTF-8) become "?", controls go."""
    return _CONTROL_RE.sub("", text.encode("utf-8", "replace").decode("utf-8"))


def _p(text: str, style: ParagraphStyle, limit: int = 2000) -> Paragraph:
    """A paragraph of plain text; `limit` keeps one within a page (a table cell cannot split)."""
    text = clean(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return Paragraph(escape(text), style)


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d %B %Y, %H:%M UTC")
    except ValueError:
        return iso


def _title_block(report: PerformanceReport, s: dict[str, ParagraphStyle]) -> Table:
    interview_type = find_interview_type(report.interview_type)
    type_name = interview_type.name if interview_type else report.interview_type
    badge = Table(
        [
            [
                _p(
                    report.recommendation.replace("_", " "),
                    ParagraphStyle(
                        "badge", parent=s["body"], fontName=BOLD, textColor=colors.white, alignment=1
                    ),
                )
            ]
        ],
        colWidths=[38 * mm],
    )
    badge.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BADGE[report.recommendation]),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    left = [
        _p("Interview performance report", s["muted"]),
        _p(report.candidate_name, s["h1"], limit=80),
        Spacer(1, 2),
        _p(f"{type_name} interview · {_date(report.generated_at)}", s["muted"], limit=160),
    ]
    right = [
        _p(f"{report.overall_score:.1f}", s["score"]),
        _p("overall, out of 10", s["right"]),
        Spacer(1, 3),
        badge,
    ]
    table = Table([[left, right]], colWidths=[PAGE_WIDTH - 50 * mm, 50 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, -1), 2, ACCENT),
            ]
        )
    )
    return table


def radar_chart(report: PerformanceReport, size: float = 62 * mm) -> Drawing:
    """The five competencies on a spider chart (0-10); a competency not judged sits at 0, labelled n/a."""
    names: list[Competency] = list(report.scores)
    drawing = Drawing(size * 1.35, size)
    chart = SpiderChart()
    chart.x, chart.y = size * 0.2, size * 0.08
    chart.width = chart.height = size * 0.84
    chart.data = [[report.scores[n] or 0.0 for n in names], [10.0] * len(names)]
    chart.labels = [f"{LABEL[n].capitalize()}\n{_score_text(report.scores[n])}" for n in names]
    chart.strands[0].fillColor = colors.Color(0.14, 0.34, 0.77, alpha=0.3)
    chart.strands[0].strokeColor = ACCENT
    chart.strands[0].strokeWidth = 1.5
    chart.strands[1].fillColor = None
    chart.strands[1].strokeColor = RULE
    chart.strandLabels.fontName = FONT
    chart.spokes.strokeColor = RULE
    chart.spokeLabels.fontName = FONT
    chart.spokeLabels.fontSize = 7.5
    chart.spokeLabels.fillColor = INK
    drawing.add(chart)
    drawing.add(String(0, 2, "0-10 per competency", fontName=FONT, fontSize=7, fillColor=MUTED))
    return drawing


def _score_text(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def _scores_table(report: PerformanceReport, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Flowable | str]] = [
        [_p("Competency", s["h3"]), _p("Score", s["h3"]), _p("Weight", s["h3"])]
    ]
    for name, competency in report.competencies.items():
        weight = (
            f"{competency.applied_weight:.0%}"
            if competency.score is not None
            else f"({competency.weight:.0%})"
        )
        rows.append(
            [
                _p(LABEL[name].capitalize(), s["body"]),
                _p(_score_text(competency.score), s["body"]),
                _p(weight, s["body"]),
            ]
        )
    table = Table(rows, colWidths=[36 * mm, 16 * mm, 21 * mm])
    table.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def _overview(report: PerformanceReport, s: dict[str, ParagraphStyle]) -> Table:
    chart = radar_chart(report)
    side = [
        _scores_table(report, s),
        Spacer(1, 4),
        _p("Weights 30/25/20/15/10, renormalised over the competencies judged.", s["muted"]),
    ]
    table = Table([[chart, side]], colWidths=[chart.width + 4 * mm, PAGE_WIDTH - chart.width - 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _bullets(items: list[str], style: ParagraphStyle, empty: str) -> Flowable:
    if not items:
        return _p(empty, style)
    return ListFlowable(
        [ListItem(_p(text, style), leftIndent=10, value="•") for text in items],
        bulletType="bullet",
        bulletFontName=FONT,
        bulletFontSize=8,
        leftIndent=10,
    )


def _competency_details(report: PerformanceReport, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    blocks: list[list[Flowable]] = []
    for name, competency in report.competencies.items():
        head = f"{LABEL[name].capitalize()}: {_score_text(competency.score)}"
        block: list[Flowable] = [_p(head, s["h3"]), _p(competency.reason.capitalize(), s["muted"])]
        block += [_p(f"“{q.quote}”", s["quote"]) for q in competency.evidence]
        blocks.append(block)
    return _section("Scores and evidence", blocks, s)


def _section(title: str, blocks: list[list[Flowable]], s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A heading kept on the page of its first block (a heading alone at a page's foot reads as a bug)."""
    if not blocks:
        return [_p(title, s["h2"])]
    first, *rest = blocks
    return [KeepTogether([_p(title, s["h2"]), *first]), *(KeepTogether(block) for block in rest)]


def _delivery(report: PerformanceReport, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    d = report.delivery
    if d is None:
        return [
            _p("Delivery", s["h2"]),
            _p("No answer was spoken, so there are no delivery measures.", s["muted"]),
        ]
    fillers = ", ".join(f"{w} ×{n}" for w, n in d.top_fillers.items()) or "none"
    rows = [
        ["Spoken answers", str(d.spoken_answers)],
        ["Pace", f"{d.words_per_minute:.0f} words a minute (comfortable: 120-170)"],
        [
            "Filler words",
            f"{d.filler_words_per_minute:.1f} a minute, {d.filler_share:.1%} of words ({fillers})",
        ],
        ["Long pauses", f"{d.long_pauses} longer than {d.long_pause_s:.0f} s"],
    ]
    table = Table(
        [[_p(a, s["h3"]), _p(b, s["body"])] for a, b in rows], colWidths=[38 * mm, PAGE_WIDTH - 38 * mm]
    )
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return [_p("Delivery", s["h2"]), table]


def _question(index: int, q: QuestionFeedback, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    score = "not answered" if q.score is None else f"{q.score:.1f} / 10"
    head = Table(
        [[_p(f"{index}. {q.question}", s["h3"], limit=400), _p(score, s["right"])]],
        colWidths=[PAGE_WIDTH - 26 * mm, 26 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    block: list[Flowable] = [head, _p(q.feedback, s["body"])]
    if q.covered:
        block.append(_p("Covered: " + "; ".join(q.covered), s["muted"]))
    if q.star is not None:
        parts = ", ".join(f"{part} {'yes' if present else 'missing'}" for part, present in q.star.items())
        block.append(_p(f"STAR: {parts}", s["muted"]))
    block.append(Spacer(1, 5))
    return block


def _footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(18 * mm, 10 * mm, "PrepAI · practice interview report")
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
    canvas.restoreState()


def render_report_pdf(report: PerformanceReport) -> bytes:
    """The report as PDF bytes (A4)."""
    _register_fonts()
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=clean(f"Performance report: {report.candidate_name}"),
        author="PrepAI",
        subject=clean(report.interview_type),
    )
    judge = (
        "rubric" if report.judge.kind == "rubric" else f"model ({report.judge.model}) checked by the rubric"
    )
    story: list[Flowable] = [
        _title_block(report, s),
        Spacer(1, 8),
        _p(report.summary, s["body"]),
        _p(f"Scored by the {judge} ({report.judge.version}).", s["muted"]),
        Spacer(1, 6),
        _overview(report, s),
        _p("Strengths", s["h2"]),
        _bullets(report.strengths, s["body"], "No answer reached a solid level in this interview."),
        _p("To improve", s["h2"]),
        _bullets(report.improvements, s["body"], "Nothing stood out to improve."),
        *_delivery(report, s),
        *_competency_details(report, s),
        *_section("Question by question", [_question(i, q, s) for i, q in enumerate(report.questions, 1)], s),
    ]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()

"""The optional AWS Textract backend, driven through botocore's Stubber (no network, no credentials)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from PIL import Image, ImageDraw, ImageFont

from services.tools.cv import analyze_cv

FIXTURES = Path(__file__).with_name("fixtures")
SCANNED = (FIXTURES / "scanned.pdf").read_bytes()
TODAY = date(2026, 11, 1)
CV_LINES = [
    "EMILY CHEN",
    "iOS Developer",
    "emily.chen@example.com | 415-555-0199",
    "EXPERIENCE",
    "Senior iOS Engineer, Lyft Jun 2020 - Present",
    "- Rebuilt the booking flow in SwiftUI and Combine.",
    "SKILLS",
    "Swift, SwiftUI, UIKit, Firebase",
]


def textract_client() -> Any:
    return boto3.client(
        "textract", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
    )


def lines_response(lines: list[str]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"BlockType": "PAGE", "Id": "page"}]
    blocks += [
        {"BlockType": "LINE", "Id": f"l{i}", "Text": text, "Confidence": 99.1} for i, text in enumerate(lines)
    ]
    blocks += [{"BlockType": "WORD", "Id": "w0", "Text": "ignored"}]
    return {"DocumentMetadata": {"Pages": 1}, "Blocks": blocks}


def two_page_scan() -> bytes:
    pages = []
    for text in ("EMILY CHEN", "SKILLS"):
        page = Image.new("L", (620, 877), 255)
        ImageDraw.Draw(page).text((60, 60), text, font=ImageFont.load_default(size=28), fill=0)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=75.0)
    return out.getvalue()


def test_single_page_scan_is_sent_as_is() -> None:
    client = textract_client()
    with Stubber(client) as stub:
        stub.add_response("detect_document_text", lines_response(CV_LINES), {"Document": {"Bytes": SCANNED}})
        analysis = analyze_cv("scan.pdf", SCANNED, textract_client=client, today=TODAY)
        stub.assert_no_pending_responses()
    assert analysis.extraction_method == "textract"
    assert analysis.candidate_name == "Emily Chen"
    assert analysis.experience[0].company == "Lyft"
    assert {"Swift", "SwiftUI", "Combine", "UIKit", "Firebase", "iOS"} <= set(analysis.skills)


def test_multi_page_scan_goes_page_by_page_as_png() -> None:
    client = textract_client()
    sent: list[bytes] = []
    client.meta.events.register(
        "before-parameter-build.textract.DetectDocumentText",
        lambda params, **_: sent.append(params["Document"]["Bytes"]),
    )
    with Stubber(client) as stub:
        stub.add_response("detect_document_text", lines_response(CV_LINES[:3]), {"Document": {"Bytes": ANY}})
        stub.add_response("detect_document_text", lines_response(CV_LINES[6:]), {"Document": {"Bytes": ANY}})
        analysis = analyze_cv("scan.pdf", two_page_scan(), textract_client=client, today=TODAY)
        stub.assert_no_pending_responses()
    assert [payload[:8] for payload in sent] == [b"\x89PNG\r\n\x1a\n"] * 2
    assert analysis.pages == 2 and analysis.extraction_method == "textract"
    assert analysis.email == "emily.chen@example.com" and "Firebase" in analysis.skills


def test_textract_failure_falls_back_to_local_ocr() -> None:
    client = textract_client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "detect_document_text", service_error_code="ThrottlingException", http_status_code=400
        )
        analysis = analyze_cv("scan.pdf", SCANNED, textract_client=client, today=TODAY)
    assert analysis.extraction_method == "ocr"
    assert any("Textract failed" in warning for warning in analysis.warnings)
    assert analysis.email == "emily.chen@example.com"


@pytest.mark.parametrize("fixture", ["one_column.pdf", "plain.txt"])
def test_documents_with_text_never_call_textract(fixture: str) -> None:
    client = textract_client()
    with Stubber(client):  # no responses queued: any call would raise
        analysis = analyze_cv(fixture, (FIXTURES / fixture).read_bytes(), textract_client=client, today=TODAY)
    assert analysis.extraction_method == "text"

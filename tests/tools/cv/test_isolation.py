"""IsolatedCvParser: a child process that may time out, run out of memory or crash, never the worker."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import time
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from services.tools.cv import CvError, CvLimits, IsolatedCvParser, analyze_cv, isolation

FIXTURES = Path(__file__).with_name("fixtures")
TODAY = date(2026, 11, 1)
PARSER = IsolatedCvParser()


async def test_isolated_result_equals_in_process_result() -> None:
    data = (FIXTURES / "table_layout.docx").read_bytes()
    isolated = await PARSER.analyze("cv.docx", data, today=TODAY)
    assert isolated == analyze_cv("cv.docx", data, today=TODAY)


async def test_bad_file_error_crosses_the_process_boundary() -> None:
    with pytest.raises(CvError) as raised:
        await PARSER.analyze("cv.pdf", b"%PDF-1.4\n%%EOF")
    assert (raised.value.code, raised.value.status) == ("corrupt_file", 422)


async def test_cheap_rejections_do_not_start_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process() -> None:
        raise AssertionError("a child process was started")

    monkeypatch.setattr(isolation, "_fork_context", no_process)
    for filename, data, code in (
        ("a.pdf", b"", "empty_file"),
        ("a.png", b"\x89PNG\r\n\x1a\n", "unsupported_type"),
    ):
        with pytest.raises(CvError) as raised:
            await PARSER.analyze(filename, data)
        assert raised.value.code == code


async def test_timeout_kills_the_child_and_the_worker_carries_on() -> None:
    scanned = (FIXTURES / "scanned.pdf").read_bytes()
    started = time.monotonic()
    with pytest.raises(CvError) as raised:
        await IsolatedCvParser(limits=CvLimits(parse_timeout_s=0.3)).analyze("scan.pdf", scanned)
    assert raised.value.code == "parse_timeout" and raised.value.status == 422
    assert time.monotonic() - started < 3
    plain = (FIXTURES / "plain.txt").read_bytes()
    assert (await PARSER.analyze("cv.txt", plain, today=TODAY)).candidate_name == "Tomasz Kowalczyk"


def poster_sized_blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=14400)  # 200 x 200 inches, the PDF maximum
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_pixel_budget_keeps_a_poster_sized_scan_affordable() -> None:
    with pytest.raises(CvError) as raised:
        await PARSER.analyze("scan.pdf", poster_sized_blank_pdf())
    assert raised.value.code == "no_text_found"  # rendered within max_ocr_pixels, OCR found nothing


async def test_memory_limit_turns_into_a_clear_error() -> None:
    # Without the pixel budget the page needs a 3.6 GB bitmap: the child's 1 GiB rlimit stops it.
    limits = CvLimits(max_ocr_pixels=10**10)
    with pytest.raises(CvError) as raised:
        await IsolatedCvParser(limits=limits).analyze("scan.pdf", poster_sized_blank_pdf())
    assert (raised.value.code, raised.value.status) == ("file_too_complex", 422)
    plain = (FIXTURES / "plain.txt").read_bytes()
    assert (await PARSER.analyze("cv.txt", plain, today=TODAY)).email == "tomasz.kowalczyk@example.pl"


async def test_parallel_children_are_independent() -> None:
    files = ["plain.txt", "one_column.pdf", "manager.docx"]
    results = await asyncio.gather(
        *(PARSER.analyze(name, (FIXTURES / name).read_bytes(), today=TODAY) for name in files)
    )
    assert [r.file_type for r in results] == ["txt", "pdf", "docx"]


@pytest.mark.parametrize(
    ("exitcode", "code"),
    [
        (-signal.SIGXCPU, "parse_timeout"),
        (-signal.SIGKILL, "file_too_complex"),
        (-signal.SIGSEGV, "parse_failed"),
        (1, "parse_failed"),
    ],
)
def test_crashes_map_to_4xx_errors(exitcode: int, code: str) -> None:
    error = isolation.crash_error(exitcode)
    assert error.code == code and 400 <= error.status < 500


def _segfault(connection: Connection, request: dict[str, Any]) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)  # what a crash in a parser's C code looks like


def _hang(connection: Connection, request: dict[str, Any]) -> None:
    while True:
        time.sleep(1)


async def test_a_child_that_crashes_without_replying() -> None:
    with pytest.raises(CvError) as raised:
        await isolation.run_in_child(_segfault, {}, timeout_s=20)
    assert raised.value.code == "parse_failed" and str(-signal.SIGSEGV) in raised.value.message


async def test_a_hung_child_is_killed_at_the_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(CvError) as raised:
        await isolation.run_in_child(_hang, {}, timeout_s=0.5)
    assert raised.value.code == "parse_timeout"
    assert time.monotonic() - started < 3

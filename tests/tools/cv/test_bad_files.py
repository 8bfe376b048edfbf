"""Every bad upload is a CvError with a clear 4xx, raised before anything expensive happens."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from services.tools.cv import CvError, CvLimits, analyze_cv
from services.tools.cv.extract_text import normalize_text

FIXTURES = Path(__file__).with_name("fixtures")
GOOD_PDF = (FIXTURES / "one_column.pdf").read_bytes()
GOOD_DOCX = (FIXTURES / "manager.docx").read_bytes()


def error_of(filename: str, data: bytes, limits: CvLimits | None = None) -> CvError:
    with pytest.raises(CvError) as raised:
        analyze_cv(filename, data, limits=limits or CvLimits())
    error = raised.value
    assert 400 <= error.status < 500
    assert error.message and error.code == error.code.lower()
    return error


def docx_with_member(name: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(GOOD_DOCX)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, payload)
    return out.getvalue()


def understate_size(data: bytes, member: str, fake_size: int) -> bytes:
    """Rewrite a member's uncompressed size in both zip headers: a bomb that lies about itself."""
    patched = bytearray(data)
    encoded = member.encode()
    for signature, name_length_at, size_at, name_at in (
        (b"PK\x01\x02", 28, 24, 46),
        (b"PK\x03\x04", 26, 22, 30),
    ):
        offset = 0
        while (offset := patched.find(signature, offset)) != -1:
            (length,) = struct.unpack_from("<H", patched, offset + name_length_at)
            if bytes(patched[offset + name_at : offset + name_at + length]) == encoded:
                struct.pack_into("<I", patched, offset + size_at, fake_size)
            offset += 4
    return bytes(patched)


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_empty_file() -> None:
    assert error_of("cv.pdf", b"").code == "empty_file"


def test_fifty_megabyte_upload_is_rejected_by_size() -> None:
    error = error_of("cv.pdf", b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))
    assert (error.code, error.status) == ("file_too_large", 413)
    assert "50.0 MiB" in error.message and "10.0 MiB" in error.message


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("cv.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "unsupported_type"),
        ("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "unsupported_type"),
        ("cv.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, "unsupported_type"),
        ("cv.bin", bytes(range(256)) * 8, "unsupported_type"),
        ("cv.txt", bytes(range(256)) * 8, "unsupported_type"),
        ("cv.rtf", b"{\\rtf1\\ansi Jane Doe}", "unsupported_type"),
        ("cv.pdf", b"\x00\x01\x02 not a pdf" * 50, "corrupt_file"),
        ("cv.pdf", b"Jane Doe, plain text named like a PDF", "corrupt_file"),
        ("cv.docx", b"Jane Doe, plain text named like a DOCX", "corrupt_file"),
    ],
)
def test_unsupported_and_misnamed_types(filename: str, data: bytes, code: str) -> None:
    assert error_of(filename, data).code == code


def test_zip_archives_that_are_not_word_documents() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel" in error_of("cv.xlsx", out.getvalue()).message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,  # header then noise
        GOOD_PDF[: len(GOOD_PDF) // 2],  # truncated download
        b"%PDF-1.4\n%%EOF",
    ],
    ids=["noise", "truncated", "header-only"],
)
def test_corrupt_pdf(data: bytes) -> None:
    assert error_of("cv.pdf", data).code == "corrupt_file"


def test_pdf_with_too_many_pages() -> None:
    error = error_of("cv.pdf", blank_pdf(25))
    assert error.code == "too_many_pages" and "25" in error.message


def test_blank_pdf_has_no_text() -> None:
    assert error_of("cv.pdf", blank_pdf(1)).code == "no_text_found"


def test_password_protected_pdf() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(GOOD_PDF))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert error_of("cv.pdf", out.getvalue()).code == "encrypted_file"


def test_docx_zip_bomb_is_refused_from_its_declared_size() -> None:
    bomb = docx_with_member("word/media/image1.bin", b"\0" * (60 * 1024 * 1024))
    assert len(bomb) < 200 * 1024
    error = error_of("cv.docx", bomb)
    assert (error.code, error.status) == ("docx_too_large", 413)


def test_docx_zip_bomb_lying_about_its_size_is_refused() -> None:
    # The directory claims 1 kB; inflating stops there and the checksum gives the lie away.
    liar = understate_size(
        docx_with_member("word/media/image1.bin", b"\0" * (60 * 1024 * 1024)), "word/media/image1.bin", 1000
    )
    assert error_of("cv.docx", liar).code in {"docx_too_large", "corrupt_file"}


def test_docx_real_size_is_counted_even_under_a_small_declared_limit() -> None:
    limits = CvLimits(max_docx_uncompressed_bytes=20_000)
    assert error_of("cv.docx", GOOD_DOCX, limits).code == "docx_too_large"


def test_docx_with_too_many_members() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD_DOCX)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for index in range(2100):
            target.writestr(f"word/extra/part{index}.xml", "<a/>")
    assert error_of("cv.docx", out.getvalue()).code == "docx_too_large"


def test_docx_with_a_broken_document_part() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD_DOCX)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            payload = b"<w:document><unclosed" if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, payload)
    assert error_of("cv.docx", out.getvalue()).code == "corrupt_file"


def test_damaged_zip_named_docx() -> None:
    assert error_of("cv.docx", GOOD_DOCX[:3000]).code == "corrupt_file"


def test_whitespace_only_text() -> None:
    assert error_of("cv.txt", b"  \n\t\n ").code == "no_text_found"


def test_long_text_is_cut_with_a_warning() -> None:
    text = ("Jane Doe\n" + "Python developer. " * 20_000).encode()
    analysis = analyze_cv("cv.txt", text, limits=CvLimits(max_text_chars=50_000))
    assert any("cut" in warning for warning in analysis.warnings)


def test_text_encodings() -> None:
    for encoded in ("Zoë Müller\nPython".encode("utf-16"), "Zoë Müller\nPython".encode("cp1252")):
        assert analyze_cv("cv.txt", encoded).candidate_name == "Zoë Müller"


def test_normalisation_of_ligatures_and_bullets() -> None:
    assert normalize_text("ﬁnance\u00a0team\n\u25cf Python\r\n") == "finance team\n• Python"


def test_randomly_damaged_files_only_ever_raise_cv_errors() -> None:
    """A seeded fuzz: flipped bytes and truncations of real CVs give an analysis or a CvError, nothing else."""
    rng = random.Random(20261101)
    sources = [
        (name, (FIXTURES / name).read_bytes()) for name in ("one_column.pdf", "manager.docx", "plain.txt")
    ]
    outcomes: dict[str, int] = {}
    for _ in range(60):
        name, original = rng.choice(sources)
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        try:
            analyze_cv(name, bytes(damaged))
            outcome = "ok"
        except CvError as error:
            assert 400 <= error.status < 500
            outcome = error.code
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("corrupt_file", 0) > 0  # the fuzz did reach the parsers' error paths

"""Decide what an upload is from its bytes (magic numbers), using the filename only to word errors."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import PurePath

from services.tools.cv import errors
from services.tools.cv.limits import CvLimits
from shared.cv import FileType

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Formats people plausibly upload instead of a CV; each gets its own explanation.
_OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (_OLE2_MAGIC, "This is a legacy Word .doc (or another old Office) file; save it as .docx or PDF."),
    (b"{\\rtf", "RTF files are not supported; save the document as .docx or PDF."),
    (b"\x89PNG\r\n\x1a\n", "This is a PNG image; put scans into a PDF."),
    (b"\xff\xd8\xff", "This is a JPEG image; put scans into a PDF."),
    (b"GIF8", "This is a GIF image."),
    (b"II*\x00", "This is a TIFF image; put scans into a PDF."),
    (b"MM\x00*", "This is a TIFF image; put scans into a PDF."),
    (b"\x1f\x8b", "This is a gzip archive."),
    (b"Rar!", "This is a RAR archive."),
    (b"7z\xbc\xaf\x27\x1c", "This is a 7-Zip archive."),
    (b"\x7fELF", "This is a program, not a document."),
    (b"MZ", "This is a Windows program, not a document."),
)
# The PDF specification lets the header start within the first 1024 bytes.
_PDF_HEADER_WINDOW = 1024
# Share of control characters above which a "text" file is really binary.
_MAX_CONTROL_SHARE = 0.02


def check_size(data: bytes, limits: CvLimits) -> None:
    if len(data) == 0:
        raise errors.empty_file()
    if len(data) > limits.max_bytes:
        raise errors.file_too_large(len(data), limits.max_bytes)


def detect_file_type(filename: str, data: bytes) -> FileType:
    """The type the content really has; raise CvError when it is none we read."""
    claimed = PurePath(filename or "").suffix.lower()
    if _PDF_MAGIC in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return _detect_zip_flavour(claimed, data)
    for magic, explanation in _OTHER_MAGICS:
        if data.startswith(magic):
            raise errors.unsupported_type(explanation)
    if decode_text(data) is not None:
        if claimed in {".pdf", ".docx"}:
            raise errors.corrupt_file(
                f"The file is named {claimed} but holds plain text, not a {claimed[1:].upper()} document."
            )
        return "txt"
    if claimed == ".pdf":
        raise errors.corrupt_file("The file is named .pdf but is not a PDF (no %PDF header).")
    if claimed == ".docx":
        raise errors.corrupt_file("The file is named .docx but is not a DOCX (not a zip archive).")
    raise errors.unsupported_type("The file type was not recognised.")


def _detect_zip_flavour(claimed: str, data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        if claimed == ".docx":
            raise errors.corrupt_file("The DOCX file is damaged (its zip structure cannot be read).") from exc
        raise errors.unsupported_type("This is a damaged zip archive.") from exc
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        raise errors.unsupported_type("This is an Excel workbook.")
    if any(name.startswith("ppt/") for name in names):
        raise errors.unsupported_type("This is a PowerPoint presentation.")
    if "mimetype" in names and "content.xml" in names:
        raise errors.unsupported_type("OpenDocument files are not supported; save the document as .docx.")
    if claimed == ".docx":
        raise errors.corrupt_file("The file is named .docx but has no Word document inside.")
    raise errors.unsupported_type("This is a zip archive, not a document.")


def decode_text(data: bytes) -> str | None:
    """The text of a plain-text file, or None when the bytes are binary."""
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            return None
        text = _decode_without_bom(data)
    if not text:
        return text
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls / len(text) > _MAX_CONTROL_SHARE:
        return None
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # latin-1 maps every byte, so this never fails; control characters are judged by the caller.
        return data.decode("latin-1")

"""Plain text out of a PDF, DOCX or TXT upload, with OCR (tesseract or AWS Textract) for scanned pages.

Every parser here reads untrusted bytes; any failure inside a third-party parser is reported as a
`CvError` about the file, never as a crash. Hard bounds (time, memory) are enforced around this module by
`isolation.py`; the size and count bounds are enforced here, before the expensive work starts.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from services.tools.cv import errors
from services.tools.cv.detect import decode_text
from services.tools.cv.errors import CvError
from services.tools.cv.limits import CvLimits
from shared.cv import ExtractionMethod, FileType

log = logging.getLogger(__name__)

# Textract's synchronous API takes documents of at most 10 MB as bytes.
TEXTRACT_MAX_BYTES = 10 * 1024 * 1024
_READ_CHUNK = 64 * 1024


@dataclass
class ExtractedText:
    text: str
    file_type: FileType
    method: ExtractionMethod = "text"
    pages: int = 1
    warnings: list[str] = field(default_factory=list)


def extract_text(
    file_type: FileType, data: bytes, limits: CvLimits, textract_client: Any | None = None
) -> ExtractedText:
    if file_type == "pdf":
        extracted = _extract_pdf(data, limits, textract_client)
    elif file_type == "docx":
        extracted = _extract_docx(data, limits)
    else:
        extracted = _extract_txt(data)
    extracted.text = normalize_text(extracted.text)
    if len(extracted.text) > limits.max_text_chars:
        extracted.text = extracted.text[: limits.max_text_chars]
        extracted.warnings.append(f"Text was cut to the first {limits.max_text_chars} characters.")
    if not extracted.text.strip():
        raise errors.no_text_found(_no_text_message(extracted))
    return extracted


def _no_text_message(extracted: ExtractedText) -> str:
    if extracted.method in ("ocr", "textract"):
        return "No text was found in the document, even with OCR (is the scan blank or unreadable?)."
    return "The document contains no text."


# --- normalisation ---------------------------------------------------------------------------------

_BULLETS = "•●▪■◦‣⁃∙·▸►➢➤✓✔❖◆○□"
_BULLET_RE = re.compile(rf"^[ \t]*[{_BULLETS}\uf0b7\uf0a7\uf076\uf0d8][ \t]*", re.MULTILINE)
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_MARKDOWN_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MARKDOWN_EMPHASIS_RE = re.compile(r"(?<![\w*_])(?:\*\*|__)(\S(?:.*?\S)?)(?:\*\*|__)(?![\w*_])")
_TRAILING_SPACE_RE = re.compile(r"[ \t]+$", re.MULTILINE)
_MANY_BLANK_LINES_RE = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """One text shape for every source: NFKC (ligatures, odd spaces), "• " bullets, tidy line ends,
    and Markdown decoration removed (resumes pasted as .txt are often Markdown)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _MARKDOWN_HEADING_RE.sub("", text)
    text = _MARKDOWN_EMPHASIS_RE.sub(r"\1", text)
    text = _BULLET_RE.sub("• ", text)
    text = _TRAILING_SPACE_RE.sub("", text)
    return _MANY_BLANK_LINES_RE.sub("\n\n", text).strip()


# --- TXT ---------------------------------------------------------------------------------------------


def _extract_txt(data: bytes) -> ExtractedText:
    text = decode_text(data)
    if text is None:
        raise errors.unsupported_type("The file is binary, not plain text.")
    return ExtractedText(text=text, file_type="txt", pages=1)


# --- PDF ---------------------------------------------------------------------------------------------


def _extract_pdf(data: bytes, limits: CvLimits, textract_client: Any | None) -> ExtractedText:
    page_texts = _pdf_text_layer(data, limits)
    scanned = [
        index for index, text in enumerate(page_texts) if len(text.strip()) < limits.min_chars_per_page
    ]
    extracted = ExtractedText(text="", file_type="pdf", pages=len(page_texts))
    if scanned:
        _ocr_pages(data, scanned, page_texts, limits, textract_client, extracted)
        if len(scanned) < len(page_texts):
            extracted.warnings.append(
                f"{len(scanned)} of {len(page_texts)} pages had no text layer and were read with OCR."
            )
    extracted.text = "\n\n".join(page_texts)
    return extracted


def _pdf_text_layer(data: bytes, limits: CvLimits) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise CvError("encrypted_file", "The PDF is password-protected; upload an unprotected copy.", 422)
        page_count = len(reader.pages)
    except CvError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input; all mean "damaged file"
        raise errors.corrupt_file(f"The PDF is damaged and cannot be read ({_short(exc)}).") from exc
    if page_count == 0:
        raise errors.corrupt_file("The PDF has no pages.")
    if page_count > limits.max_pages:
        raise errors.too_many_pages(page_count, limits.max_pages)
    texts: list[str] = []
    for page in reader.pages:
        try:
            texts.append(page.extract_text() or "")
        except MemoryError:
            raise
        except Exception as exc:  # one unreadable page should not lose the others; OCR may still read it
            log.info("pypdf could not read a page: %s", _short(exc))
            texts.append("")
    return texts


def _ocr_pages(
    data: bytes,
    page_indexes: list[int],
    page_texts: list[str],
    limits: CvLimits,
    textract_client: Any | None,
    extracted: ExtractedText,
) -> None:
    if textract_client is not None:
        try:
            _textract_pages(data, page_indexes, page_texts, limits, textract_client)
            extracted.method = "textract"
            return
        except CvError:
            raise
        except Exception as exc:  # AWS errors of every kind: fall back to local OCR, as the seeds did
            extracted.warnings.append(f"Textract failed ({_short(exc)}); used local OCR instead.")
    for index, image in _render_pages(data, page_indexes, limits):
        page_texts[index] = _tesseract(image, limits)
    extracted.method = "ocr"


def _render_pages(data: bytes, page_indexes: list[int], limits: CvLimits) -> Iterator[tuple[int, Any]]:
    """Yield (page index, PIL image) for each page that renders, never above max_ocr_pixels."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:  # pdfium refuses what it cannot parse
        raise errors.corrupt_file(f"The scanned PDF cannot be rendered ({_short(exc)}).") from exc
    try:
        for index in page_indexes:
            try:
                page = document[index]
                width_pt, height_pt = page.get_size()
                image = page.render(scale=_render_scale(width_pt, height_pt, limits), grayscale=True).to_pil()
            except MemoryError:
                raise
            except Exception as exc:  # a damaged page: the other pages may still have text
                log.info("pdfium could not render page %d: %s", index + 1, _short(exc))
                continue
            yield index, image
    finally:
        document.close()


def _render_scale(width_pt: float, height_pt: float, limits: CvLimits) -> float:
    scale = limits.ocr_dpi / 72.0
    pixels = width_pt * height_pt * scale * scale
    if pixels > limits.max_ocr_pixels:
        # A poster-sized page would need gigabytes at full DPI; shrink it to the pixel budget instead.
        scale *= (limits.max_ocr_pixels / pixels) ** 0.5
    return scale


def _tesseract(image: Any, limits: CvLimits) -> str:
    import pytesseract

    try:
        return str(pytesseract.image_to_string(image, lang=limits.ocr_language))
    except pytesseract.TesseractNotFoundError as exc:
        raise CvError(
            "ocr_unavailable",
            "This PDF has no text layer and OCR (tesseract) is not installed on the server.",
            503,
        ) from exc


def _textract_pages(
    data: bytes, page_indexes: list[int], page_texts: list[str], limits: CvLimits, client: Any
) -> None:
    """Textract's synchronous DetectDocumentText reads one page per call.

    A one-page PDF goes as it is; each page of a longer PDF is rendered to PNG and sent alone, because the
    multi-page API (StartDocumentTextDetection) only reads from S3 and answers asynchronously.
    """
    if len(page_texts) == 1 and len(data) <= TEXTRACT_MAX_BYTES:
        page_texts[0] = _textract_lines(client, data)
        return
    for index, image in _render_pages(data, page_indexes, limits):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        page_texts[index] = _textract_lines(client, buffer.getvalue())


def _textract_lines(client: Any, document: bytes) -> str:
    response = client.detect_document_text(Document={"Bytes": document})
    lines = [
        block.get("Text", "") for block in response.get("Blocks", []) if block.get("BlockType") == "LINE"
    ]
    return "\n".join(lines)


# --- DOCX --------------------------------------------------------------------------------------------


def _extract_docx(data: bytes, limits: CvLimits) -> ExtractedText:
    _check_docx_archive(data, limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except MemoryError:
        raise
    except Exception as exc:  # python-docx/lxml raise KeyError, ValueError, XMLSyntaxError... on bad parts
        raise errors.corrupt_file(f"The DOCX file is damaged and cannot be read ({_short(exc)}).") from exc
    return ExtractedText(text="\n".join(lines), file_type="docx", pages=_docx_page_count(data))


def _check_docx_archive(data: bytes, limits: CvLimits) -> None:
    """Reject zip bombs before python-docx inflates anything: declared sizes first, then real ones.

    Declared sizes in the zip directory can lie, so every member is also inflated in chunks and counted,
    stopping as soon as the running total passes the limit.
    """
    too_large = CvError(
        "docx_too_large",
        f"The DOCX unpacks to more than {limits.max_docx_uncompressed_bytes // (1024 * 1024)} MiB "
        "(a zip bomb?); it was not opened.",
        413,
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > limits.max_docx_entries:
                raise CvError("docx_too_large", f"The DOCX holds {len(members)} files; too many.", 413)
            if sum(member.file_size for member in members) > limits.max_docx_uncompressed_bytes:
                raise too_large
            inflated = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_READ_CHUNK):
                        inflated += len(chunk)
                        if inflated > limits.max_docx_uncompressed_bytes:
                            raise too_large
    except (CvError, MemoryError):
        raise
    except RuntimeError as exc:  # zipfile's answer to encrypted members
        raise CvError("encrypted_file", "The DOCX is password-protected.", 422) from exc
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, NotImplementedError...: a damaged archive
        raise errors.corrupt_file(f"The DOCX file is damaged ({_short(exc)}).") from exc


def _docx_lines(document: Any) -> Iterator[str]:
    from docx.oxml.ns import qn

    seen_header: set[str] = set()
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            text = paragraph.text.strip()
            if text and text not in seen_header:
                seen_header.add(text)
                yield text
    yield from _block_lines(document.element.body, qn)


def _block_lines(container: Any, qn: Any) -> Iterator[str]:
    """Paragraphs and tables in document order; tables nest inside cells."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield from _paragraph_lines(child, qn)
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(child, qn)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, qn)


def _paragraph_lines(paragraph: Any, qn: Any) -> Iterator[str]:
    # Text of the paragraph's own runs (w:t and tabs/breaks), then of any text boxes anchored in it.
    own: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:txbxContent")):
        if node.tag == qn("w:txbxContent"):
            continue
        if _inside(node, qn("w:txbxContent"), paragraph) or _inside(node, _MC_FALLBACK, paragraph):
            continue
        own.append(_run_piece(node, qn))
    text = "".join(own).strip()
    if text:
        yield text
    for box in paragraph.iter(qn("w:txbxContent")):
        if not _inside(box, _MC_FALLBACK, paragraph):
            yield from _block_lines(box, qn)


def _run_piece(node: Any, qn: Any) -> str:
    if node.tag == qn("w:t"):
        return str(node.text or "")
    return "\t" if node.tag == qn("w:tab") else "\n"


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inside(node: Any, tag: str, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _table_lines(table: Any, qn: Any) -> Iterator[str]:
    for row in table.iter(qn("w:tr")):
        if _inside(row, qn("w:tbl"), table):
            continue  # rows of nested tables are read through their cell
        cells = [list(_block_lines(cell, qn)) for cell in row.iterchildren(qn("w:tc"))]
        cells = [cell for cell in cells if cell]
        if all(len(cell) == 1 for cell in cells):
            # A row of one-line cells reads as one line: "Jan 2020 - Present | Engineer | Acme".
            if cells:
                yield " | ".join(cell[0] for cell in cells)
        else:
            for cell in cells:
                yield from cell


_PAGES_RE = re.compile(rb"<Pages>(\d{1,4})</Pages>")


def _docx_page_count(data: bytes) -> int:
    """Word stores the page count it last rendered in docProps/app.xml; 1 when it is absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            match = _PAGES_RE.search(archive.read("docProps/app.xml"))
    except (KeyError, zipfile.BadZipFile):
        return 1
    return max(1, int(match.group(1))) if match else 1


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

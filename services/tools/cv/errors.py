"""The one error type the CV analyzer raises: a code, a human message and an HTTP-like 4xx status."""

from __future__ import annotations

from typing import Any

from shared.errors import DomainError


class CvError(DomainError):
    """A CV could not be analysed because of the file itself (never because of a bug in the caller).

    `code` is stable snake_case for clients and tests, `message` is written for the person who uploaded
    the file, and `status` is the 4xx the HTTP layer should answer with.
    """

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message, code=code, status=status)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "status": self.status}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CvError:
        return cls(str(raw["code"]), str(raw["message"]), int(raw["status"]))


def empty_file() -> CvError:
    return CvError("empty_file", "The uploaded file is empty.", 400)


def file_too_large(size: int, limit: int) -> CvError:
    return CvError(
        "file_too_large",
        f"The file is {_mib(size)}; the limit is {_mib(limit)}.",
        413,
    )


def unsupported_type(detail: str) -> CvError:
    return CvError("unsupported_type", f"{detail} Upload a PDF, a DOCX or a plain-text file.", 415)


def corrupt_file(detail: str) -> CvError:
    return CvError("corrupt_file", detail, 422)


def too_many_pages(pages: int, limit: int) -> CvError:
    return CvError("too_many_pages", f"The document has {pages} pages; at most {limit} are analysed.", 422)


def no_text_found(detail: str) -> CvError:
    return CvError("no_text_found", detail, 422)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"

"""The one base class for errors a client caused, with the contract's error code.

A `DomainError` is never a bug: it says what was wrong with the request (`code`, stable snake_case a
client can act on; `message`, written for a person; `status`, the 4xx the REST layer answers with;
`fields`, the request fields at fault). Every service maps these to the contract's error shape in one
place (the gateway's exception handlers, the workers' exception middleware); anything else that
escapes a handler is a bug and becomes a 5xx `internal_error`.
"""

from __future__ import annotations


class DomainError(Exception):
    code: str = "invalid_request"
    status: int = 422

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        fields: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status}, message={self.message!r})"


class NotFound(DomainError):
    code = "not_found"
    status = 404

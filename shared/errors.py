"""The one base class for errors a client caused, with the contract's error code.

A `DomainError` is never a bug: it says what was wrong with the request (`code`, stable snake_case a
client can act on; `message`, written for a person; `status`, the 4xx the REST layer answers with;
`fields`, the request fields at fault). Every service maps these to the contract's error shape in one
place (the gateway's exception handlers, the workers' exception middleware); anything else that
escapes a handler is a bug and becomes a 5xx `internal_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


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


def invalid_request(problems: Sequence[Any], field_of: Callable[[Any], str]) -> DomainError:
    """pydantic's validation errors as one DomainError: 422 `invalid_request`, naming each field.

    `problems` are `ValidationError.errors()` entries; `field_of` names the field of one (each transport
    knows its own location prefix: FastAPI's `body`/`query`, a handler's parameter name).
    """
    fields: set[str] = set()
    messages: list[str] = []
    for problem in problems:
        field = field_of(problem)
        fields.add(field)
        # "Value error, ..." is how pydantic wraps our validators' ValueErrors: the words after it are ours.
        messages.append(f"{field}: {str(problem['msg']).removeprefix('Value error, ')}")
    return DomainError("; ".join(messages), fields=sorted(fields))

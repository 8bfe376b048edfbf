"""The storage port: a flat key/value object store with compare-and-set.

Keys follow the seeds' layout: `sessions/{id}.json`, `cvs/{id}/...`,
`code/{id}/...` and `uploads/{id}/...` (staged CV uploads).
Every write is atomic (a reader sees the old or the new object, never half),
and `put(..., if_match=etag)` lets concurrent writers update one object
without losing each other's changes (see `shared.storage.update_model`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")


class StorageError(Exception):
    pass


class ObjectNotFound(StorageError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no object at {key!r}")
        self.key = key


class PreconditionFailed(StorageError):
    """The object changed (or exists) since the caller read it: re-read and retry."""

    def __init__(self, key: str) -> None:
        super().__init__(f"object {key!r} changed concurrently")
        self.key = key


class InvalidKey(StorageError):
    pass


def validate_key(key: str) -> str:
    if not _KEY_RE.match(key) or ".." in key.split("/") or "//" in key or len(key) > 512:
        raise InvalidKey(f"invalid storage key {key!r}")
    return key


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    etag: str
    content_type: str = "application/octet-stream"


class ObjectStore(Protocol):
    async def get(self, key: str) -> StoredObject:
        """The object, or ObjectNotFound."""
        ...

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> str:
        """Write atomically and return the new etag.

        `if_match`: only if the current etag is this one; `if_none_match`: only
        if no object exists. Otherwise PreconditionFailed.
        """
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""
        ...

    async def list(self, prefix: str) -> list[str]:
        """Keys under `prefix`, sorted."""
        ...

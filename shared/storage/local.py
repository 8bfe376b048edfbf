"""Local-folder object store: the embedded default (`./data/objects`).

Atomicity: each write goes to a temporary file in the same folder and is
renamed over the target. Compare-and-set: a per-key lock file (`filelock`, an
OS lock, so it also holds across processes on one host) guards the
read-compare-rename of conditional writes; plain writes and deletes need no
lock, since a rename is atomic and "last writer wins" is their meaning.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from filelock import FileLock

from shared.storage.base import ObjectNotFound, PreconditionFailed, StoredObject, validate_key

_LOCK_SUFFIX = ".lock"
_TMP_PREFIX = ".tmp-"


def _etag(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class LocalObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _lock(self, path: Path) -> FileLock:
        return FileLock(path.with_name(path.name + _LOCK_SUFFIX))

    def _get(self, key: str) -> StoredObject:
        try:
            data = self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFound(key) from None
        return StoredObject(data=data, etag=_etag(data))

    def _put(self, key: str, data: bytes, if_match: str | None, if_none_match: bool) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if if_match is None and not if_none_match:
            self._replace(path, data)
            return _etag(data)
        with self._lock(path):
            try:
                current: str | None = _etag(path.read_bytes())
            except FileNotFoundError:
                current = None
            if if_none_match and current is not None:
                raise PreconditionFailed(key)
            if if_match is not None and current != if_match:
                raise PreconditionFailed(key)
            self._replace(path, data)
        return _etag(data)

    @staticmethod
    def _replace(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def _delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def _list(self, prefix: str) -> list[str]:
        keys = []
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                if name.endswith(_LOCK_SUFFIX) or name.startswith(_TMP_PREFIX):
                    continue
                key = os.path.relpath(os.path.join(dirpath, name), self.root)
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    # Small files on a local disk: a thread hop costs more than the read itself,
    # but writes fsync, so both run off the event loop.
    async def get(self, key: str) -> StoredObject:
        return await asyncio.to_thread(self._get, key)

    async def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> str:
        return await asyncio.to_thread(self._put, key, data, if_match, if_none_match)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    async def list(self, prefix: str) -> list[str]:
        return await asyncio.to_thread(self._list, prefix)

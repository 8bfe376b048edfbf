"""Compiled artefacts (Java classes, C++ binaries) kept by the sha256 of source, flags and compiler.

A candidate re-runs the same code often (run, then submit; every bench iteration), and javac
alone costs about a second. An entry is a folder `<root>/entries/<key>/` with `meta.json` (ok,
compiler output, compile time) and `artifact/` (bound read-only into the run's sandbox).
Compiler errors are cached too; timeouts and sandbox failures are not (they depend on load).

The compiler writes into a staging folder owned by the sandbox's uid; before publishing, the
cache takes ownership back (root, not writable by others) and renames the folder into place,
which is atomic, so concurrent workers never see half an entry. Old entries are evicted by last
use when the cache holds more than `max_entries`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    output: str  # the compiler's messages
    compile_ms: float
    cacheable: bool = True  # False for timeouts and sandbox failures


@dataclass(frozen=True)
class CompiledArtifact:
    ok: bool
    output: str
    compile_ms: float  # what compiling took (the original compile, on a hit)
    cache_hit: bool
    directory: Path | None  # the artefact folder; None when compiling failed
    lookup_ms: float  # what getting the artefact took this time (small on a hit)


Builder = Callable[[Path], Awaitable[BuildOutcome]]


def cache_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", errors="surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return digest.hexdigest()


class CompileCache:
    def __init__(self, root: Path, max_entries: int = 512, owner: tuple[int, int] | None = None) -> None:
        """`owner`: the (uid, gid) the compiler runs as, or None when it runs as this process."""
        self.root = root
        self.max_entries = max_entries
        self.owner = owner
        self.hits = 0
        self.misses = 0
        self._locks: dict[str, asyncio.Lock] = {}
        self._entries = root / "entries"
        self._staging = root / "staging"
        for folder in (root, self._entries, self._staging):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o711)

    def entry_dir(self, key: str) -> Path:
        return self._entries / key

    async def get_or_build(self, key: str, build: Builder) -> CompiledArtifact:
        started = time.monotonic()
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                cached = self._load(key, started)
                if cached is not None:
                    self.hits += 1
                    return cached
                self.misses += 1
                return await self._build(key, build, started)
        finally:
            if not lock.locked():
                self._locks.pop(key, None)

    def _load(self, key: str, started: float) -> CompiledArtifact | None:
        entry = self.entry_dir(key)
        try:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(entry / "meta.json")  # last use, for eviction
        return CompiledArtifact(
            ok=bool(meta["ok"]),
            output=str(meta["output"]),
            compile_ms=float(meta["compile_ms"]),
            cache_hit=True,
            directory=entry / "artifact" if meta["ok"] else None,
            lookup_ms=(time.monotonic() - started) * 1000,
        )

    async def _build(self, key: str, build: Builder, started: float) -> CompiledArtifact:
        staging = Path(tempfile.mkdtemp(prefix=f"{key[:16]}-", dir=self._staging))
        artifact = staging / "artifact"
        artifact.mkdir()
        if self.owner is not None:
            os.chown(artifact, *self.owner)
        os.chmod(staging, 0o755)
        try:
            outcome = await build(artifact)
            if outcome.cacheable:
                self._publish(key, staging, outcome)
                published = self._load(key, started)
                if published is not None:
                    return CompiledArtifact(
                        ok=published.ok,
                        output=published.output,
                        compile_ms=published.compile_ms,
                        cache_hit=False,
                        directory=published.directory,
                        lookup_ms=(time.monotonic() - started) * 1000,
                    )
            return CompiledArtifact(
                ok=False,
                output=outcome.output,
                compile_ms=outcome.compile_ms,
                cache_hit=False,
                directory=None,
                lookup_ms=(time.monotonic() - started) * 1000,
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _publish(self, key: str, staging: Path, outcome: BuildOutcome) -> None:
        artifact = staging / "artifact"
        if outcome.ok:
            _take_ownership(artifact)
        else:
            shutil.rmtree(artifact, ignore_errors=True)
            artifact.mkdir()
        meta = {
            "ok": outcome.ok,
            "output": outcome.output,
            "compile_ms": outcome.compile_ms,
            "created": time.time(),
        }
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        os.chmod(staging / "meta.json", 0o644)
        try:
            os.rename(staging, self.entry_dir(key))
        except OSError:
            return  # another worker published the same key first: theirs is as good
        self._evict()

    def _evict(self) -> None:
        entries = list(self._entries.iterdir())
        if len(entries) <= self.max_entries:
            return

        def last_use(entry: Path) -> float:
            try:
                return (entry / "meta.json").stat().st_mtime
            except OSError:
                return 0.0

        for entry in sorted(entries, key=last_use)[: len(entries) - self.max_entries]:
            shutil.rmtree(entry, ignore_errors=True)


def _take_ownership(folder: Path) -> None:
    """The sandbox's uid wrote these files: make them ours and read-only for everyone else."""
    is_root = os.geteuid() == 0
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            path.unlink()  # an artefact has no business pointing elsewhere
            continue
        if is_root:
            os.chown(path, 0, 0)
        mode = path.stat().st_mode
        executable = path.is_dir() or mode & 0o111
        os.chmod(path, 0o755 if executable else 0o644)

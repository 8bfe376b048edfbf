"""Joining a packaged GGUF once: atomic, verified, skipped on later starts, clear errors."""

from __future__ import annotations

import hashlib
import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.agent.llm import model_files
from services.agent.llm.base import LLMError
from services.agent.llm.model_files import (
    PACKAGED_MODELS,
    PackagedModel,
    default_model_path,
    packaged_model_path,
)

CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 1500, b"c" * 7]


@pytest.fixture
def part_packages(tmp_path: Path) -> Iterator[PackagedModel]:
    """Three importable part packages shaped like the real ones (get_part_path() -> data/partNN.bin)."""
    site = tmp_path / "site"
    prefix = f"fake_gguf_part_{tmp_path.name.replace('-', '_')}_"
    for number, chunk in enumerate(CHUNKS, start=1):
        package = site / f"{prefix}{number}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part{number:02d}.bin").write_bytes(chunk)
        (package / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{number:02d}.bin')\n"
        )
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    joined = b"".join(CHUNKS)
    yield PackagedModel(
        key="fake",
        file_name="fake.gguf",
        part_modules=tuple(f"{prefix}{n}" for n in range(1, len(CHUNKS) + 1)),
        pip_requirements=tuple(f"fake-gguf-part{n}==1.0" for n in range(1, len(CHUNKS) + 1)),
        size_bytes=len(joined),
        sha256=hashlib.sha256(joined).hexdigest(),
    )
    sys.path.remove(str(site))


def test_joins_the_chunks_in_order_once_and_marks_the_file_verified(
    part_packages: PackagedModel, tmp_path: Path
):
    cache = tmp_path / "models"
    path = packaged_model_path(part_packages, cache)
    assert path == cache / "fake.gguf"
    assert path.read_bytes() == b"".join(CHUNKS)
    assert (cache / "fake.gguf.verified").is_file()
    assert not list(cache.glob("*.tmp"))


def test_a_later_start_neither_joins_nor_hashes_again(
    part_packages: PackagedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = tmp_path / "models"
    packaged_model_path(part_packages, cache)

    def fail(*args: object) -> None:
        raise AssertionError("joined or hashed again")

    monkeypatch.setattr(model_files, "_join_parts", fail)
    monkeypatch.setattr(model_files, "_sha256_of", fail)
    assert packaged_model_path(part_packages, cache).read_bytes() == b"".join(CHUNKS)


def test_a_truncated_cached_file_is_joined_again(part_packages: PackagedModel, tmp_path: Path):
    cache = tmp_path / "models"
    path = packaged_model_path(part_packages, cache)
    path.write_bytes(b"GGUF")
    assert packaged_model_path(part_packages, cache).read_bytes() == b"".join(CHUNKS)


def test_a_replaced_file_of_the_same_size_is_checked_and_rejoined(
    part_packages: PackagedModel, tmp_path: Path
):
    cache = tmp_path / "models"
    path = packaged_model_path(part_packages, cache)
    path.write_bytes(b"x" * part_packages.size_bytes)  # new mtime: the marker no longer vouches for it
    assert packaged_model_path(part_packages, cache).read_bytes() == b"".join(CHUNKS)


def test_a_checksum_mismatch_is_an_error_and_leaves_no_file(part_packages: PackagedModel, tmp_path: Path):
    cache = tmp_path / "models"
    wrong = PackagedModel(**{**part_packages.__dict__, "sha256": "0" * 64})
    with pytest.raises(LLMError, match="sha256") as caught:
        packaged_model_path(wrong, cache)
    assert "fake-gguf-part1==1.0" in str(caught.value)
    assert sorted(p.name for p in cache.iterdir()) == ["fake.gguf.lock"]


def test_a_missing_part_package_names_the_pip_packages(part_packages: PackagedModel, tmp_path: Path):
    missing = PackagedModel(
        **{**part_packages.__dict__, "part_modules": (*part_packages.part_modules, "no_such_part_4")}
    )
    with pytest.raises(LLMError) as caught:
        packaged_model_path(missing, tmp_path / "models")
    assert "no_such_part_4 is not installed" in str(caught.value)
    assert "pip install fake-gguf-part1==1.0 fake-gguf-part2==1.0 fake-gguf-part3==1.0" in str(caught.value)


def test_racing_joiners_all_get_the_complete_file(part_packages: PackagedModel, tmp_path: Path):
    cache = tmp_path / "models"
    results: list[Path | BaseException] = []

    def join() -> None:
        try:
            results.append(packaged_model_path(part_packages, cache))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=join) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [cache / "fake.gguf"] * 4
    assert (cache / "fake.gguf").read_bytes() == b"".join(CHUNKS)


def test_an_explicit_model_path_is_used_as_is(tmp_path: Path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    assert default_model_path("qwen2.5-coder-0.5b", gguf, tmp_path / "models") == gguf
    assert not (tmp_path / "models").exists()


def test_an_explicit_model_path_that_does_not_exist_is_an_error(tmp_path: Path):
    with pytest.raises(LLMError, match="not a file"):
        default_model_path("qwen2.5-coder-0.5b", tmp_path / "absent.gguf", tmp_path / "models")


def test_without_a_path_the_packaged_model_is_joined_into_the_cache_folder(
    part_packages: PackagedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(PACKAGED_MODELS, part_packages.key, part_packages)
    cache = tmp_path / "models"
    assert default_model_path(part_packages.key, None, cache) == cache / "fake.gguf"
    assert (cache / "fake.gguf").read_bytes() == b"".join(CHUNKS)


def test_an_unknown_packaged_model_is_an_error(tmp_path: Path):
    with pytest.raises(LLMError, match=r"no packaged model is called 'qwen-9000'.*qwen2\.5-coder-0\.5b"):
        default_model_path("qwen-9000", None, tmp_path / "models")


@pytest.mark.parametrize("key", sorted(PACKAGED_MODELS))
def test_the_recorded_sizes_match_the_installed_part_packages(key: str):
    model = PACKAGED_MODELS[key]
    try:
        parts = model_files._part_paths(model)
    except LLMError as exc:
        pytest.skip(str(exc))
    assert sum(p.stat().st_size for p in parts) == model.size_bytes
    assert [p.name for p in parts] == [f"part{n:02d}.bin" for n in range(1, len(parts) + 1)]

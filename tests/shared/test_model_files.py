"""Joining packaged model files once: atomic, verified, skipped on later starts, clear errors."""

from __future__ import annotations

import hashlib
import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import model_files
from shared.model_files import ModelFilesError, PackagedFile, PackagedModel, packaged_model_dir

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
    # Parts found both ways: by get_part_path() and by a path inside the package.
    parts: tuple[tuple[str, str | None], ...] = tuple(
        (f"{prefix}{n}", None if n % 2 else f"data/part{n:02d}.bin") for n in range(1, len(CHUNKS) + 1)
    )
    yield PackagedModel(
        key="fake",
        folder="fake-model",
        files=(PackagedFile("fake.gguf", parts, len(joined), hashlib.sha256(joined).hexdigest()),),
        pip_requirements=tuple(f"fake-gguf-part{n}==1.0" for n in range(1, len(CHUNKS) + 1)),
    )
    sys.path.remove(str(site))


def packaged_model_path(model: PackagedModel, cache: Path) -> Path:
    return packaged_model_dir(model, cache) / model.files[0].name


def test_joins_the_chunks_in_order_once_and_marks_the_file_verified(
    part_packages: PackagedModel, tmp_path: Path
):
    cache = tmp_path / "models"
    path = packaged_model_path(part_packages, cache)
    assert path == cache / "fake-model" / "fake.gguf"
    assert path.read_bytes() == b"".join(CHUNKS)
    assert (cache / "fake-model" / "fake.gguf.verified").is_file()
    assert not list(cache.rglob("*.tmp"))


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
    path.write_bytes(
        b"x" * part_packages.files[0].size_bytes
    )  # new mtime: the marker no longer vouches for it
    assert packaged_model_path(part_packages, cache).read_bytes() == b"".join(CHUNKS)


def test_a_checksum_mismatch_is_an_error_and_leaves_no_file(part_packages: PackagedModel, tmp_path: Path):
    cache = tmp_path / "models"
    file = part_packages.files[0]
    wrong = PackagedModel(
        **{**part_packages.__dict__, "files": (PackagedFile(**{**file.__dict__, "sha256": "0" * 64}),)}
    )
    with pytest.raises(ModelFilesError, match="sha256") as caught:
        packaged_model_path(wrong, cache)
    assert "fake-gguf-part1==1.0" in str(caught.value)
    assert not (cache / "fake-model" / "fake.gguf").exists() and not list(cache.rglob("*.tmp"))


def test_a_missing_part_package_names_the_pip_packages(part_packages: PackagedModel, tmp_path: Path):
    file = part_packages.files[0]
    more = PackagedFile(**{**file.__dict__, "parts": (*file.parts, ("no_such_part_4", None))})
    missing = PackagedModel(**{**part_packages.__dict__, "files": (more,)})
    with pytest.raises(ModelFilesError) as caught:
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
    assert results == [cache / "fake-model" / "fake.gguf"] * 4
    assert (cache / "fake-model" / "fake.gguf").read_bytes() == b"".join(CHUNKS)

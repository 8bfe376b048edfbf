"""C++: g++ once (cached by source hash), then the binary once per stdin test."""

from __future__ import annotations

from services.tools.runner.config import RunnerConfig
from services.tools.runner.languages.base import ARTIFACT_MOUNT, COMPILE_OUTPUT_MOUNT
from services.tools.runner.languages.compiled import CompiledLanguage
from services.tools.runner.limits import CPP_ADDRESS_SPACE_EXTRA_MB, RunLimits

GXX_FLAGS = ["-std=gnu++17", "-O2", "-pipe", "-fdiagnostics-color=never"]
COMPILER_ADDRESS_SPACE_EXTRA_MB = 256
OUT_OF_MEMORY_MARKERS = {"std::bad_alloc": "memory"}


class CppAdapter(CompiledLanguage):
    cache_name = "cpp"
    stderr_markers = OUT_OF_MEMORY_MARKERS

    def source_name(self, code: str) -> str:
        return "main.cpp"

    def compile_command(self, config: RunnerConfig, limits: RunLimits, source: str) -> list[str]:
        return [config.gxx_path, *GXX_FLAGS, "-o", f"{COMPILE_OUTPUT_MOUNT}/main", source]

    def compile_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        return COMPILER_ADDRESS_SPACE_EXTRA_MB

    def run_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        return CPP_ADDRESS_SPACE_EXTRA_MB

    def run_command(self, config: RunnerConfig, limits: RunLimits, source_name: str) -> list[str]:
        return [f"{ARTIFACT_MOUNT}/main"]

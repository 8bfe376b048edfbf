"""C++: g++ once (cached by source hash), then the binary once per stdin test."""

from __future__ import annotations

from pathlib import Path

from services.tools.runner.compile_cache import BuildOutcome, cache_key
from services.tools.runner.languages.base import (
    ARTIFACT_MOUNT,
    COMPILE_OUTPUT_MOUNT,
    TASK_MOUNT,
    LanguageContext,
    Preparation,
    SessionPlan,
    compile_in_sandbox,
    copy_harness,
    limits_payload,
    python_command,
    toolchain_stamp,
)
from services.tools.runner.limits import CPP_ADDRESS_SPACE_EXTRA_MB
from services.tools.runner.models import RunRequest
from services.tools.runner.sandbox import Bind, TaskDir

PROCESS_HARNESS = "process_harness.py"
GXX_FLAGS = ["-std=gnu++17", "-O2", "-pipe", "-fdiagnostics-color=never"]
COMPILER_ADDRESS_SPACE_EXTRA_MB = 256
OUT_OF_MEMORY_MARKERS = {"std::bad_alloc": "memory"}


class CppAdapter:
    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation:
        config, limits = context.config, request.limits
        task.write("src/main.cpp", request.code)
        gxx = [
            config.gxx_path,
            *GXX_FLAGS,
            "-o",
            f"{COMPILE_OUTPUT_MOUNT}/main",
            f"{TASK_MOUNT}/src/main.cpp",
        ]
        key = cache_key("cpp", request.code, " ".join(gxx), toolchain_stamp(config.gxx_path))

        async def build(output_dir: Path) -> BuildOutcome:
            return await compile_in_sandbox(
                context, gxx, task, output_dir, limits, COMPILER_ADDRESS_SPACE_EXTRA_MB, f"{TASK_MOUNT}/src/"
            )

        artifact = await context.cache.get_or_build(key, build)
        if not artifact.ok or artifact.directory is None:
            return Preparation(
                failure="compilation_error",
                message=artifact.output,
                compile_output=artifact.output,
                compile_time_ms=artifact.compile_ms,
                cache_hit=artifact.cache_hit,
            )
        copy_harness(task, PROCESS_HARNESS)
        plan = SessionPlan(
            harness=PROCESS_HARNESS,
            command=python_command(config, PROCESS_HARNESS),
            address_space_extra_mb=CPP_ADDRESS_SPACE_EXTRA_MB,
            binds=[Bind(artifact.directory, ARTIFACT_MOUNT)],
            stderr_markers=OUT_OF_MEMORY_MARKERS,
            payload={"command": [f"{ARTIFACT_MOUNT}/main"], "limits": limits_payload(limits)},
        )
        return Preparation(
            plan=plan,
            compile_output=artifact.output or None,
            compile_time_ms=artifact.lookup_ms,
            cache_hit=artifact.cache_hit,
        )

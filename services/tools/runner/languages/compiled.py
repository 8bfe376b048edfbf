"""The compile-then-run skeleton that C++ and Java share.

`prepare` writes the source under src/, compiles it in the sandbox through the compile cache
(keyed by language, source, compiler command and compiler build), turns a failed compile into a
`compilation_error` preparation, and otherwise plans a session in which the process harness runs
the compiled program (bound read-only at /app) once per stdin test. A subclass says only what
differs: the source file's name, the compiler command, the address-space headroom of compiler and
program, how the program is launched, and which stderr texts mean it ran out of a resource.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from services.tools.runner.compile_cache import BuildOutcome, CompiledArtifact, cache_key
from services.tools.runner.config import RunnerConfig
from services.tools.runner.languages.base import (
    ARTIFACT_MOUNT,
    PROCESS_HARNESS,
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
from services.tools.runner.limits import RunLimits
from services.tools.runner.models import RunRequest
from services.tools.runner.sandbox import Bind, TaskDir

SOURCE_DIR = "src"  # in the task folder; its sandbox path is stripped from compiler messages


class CompiledLanguage(ABC):
    cache_name: ClassVar[str]  # the first part of the compile-cache key
    stderr_markers: ClassVar[dict[str, str]]  # text in the program's stderr -> the limit it hit

    @abstractmethod
    def source_name(self, code: str) -> str:
        """The source file's name in src/."""

    @abstractmethod
    def compile_command(self, config: RunnerConfig, limits: RunLimits, source: str) -> list[str]:
        """The compiler (its binary first) reading `source` (a sandbox path) and writing to /out."""

    @abstractmethod
    def compile_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        """The compiler's RLIMIT_AS beyond `compile_memory_mb` (None: no RLIMIT_AS)."""

    @abstractmethod
    def run_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        """The program's RLIMIT_AS beyond `memory_mb` (None: no RLIMIT_AS)."""

    @abstractmethod
    def run_command(self, config: RunnerConfig, limits: RunLimits, source_name: str) -> list[str]:
        """How the process harness starts the compiled program (the compiler's output is at /app)."""

    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation:
        config, limits = context.config, request.limits
        source_name = self.source_name(request.code)
        task.write(f"{SOURCE_DIR}/{source_name}", request.code)
        command = self.compile_command(config, limits, f"{TASK_MOUNT}/{SOURCE_DIR}/{source_name}")
        key = cache_key(self.cache_name, request.code, " ".join(command), toolchain_stamp(command[0]))

        async def build(output_dir: Path) -> BuildOutcome:
            return await compile_in_sandbox(
                context,
                command,
                task,
                output_dir,
                limits,
                self.compile_address_space_extra_mb(limits),
                f"{TASK_MOUNT}/{SOURCE_DIR}/",
            )

        artifact = await context.cache.get_or_build(key, build)
        if not artifact.ok or artifact.directory is None:
            return compilation_failed(artifact)
        copy_harness(task, PROCESS_HARNESS)
        plan = SessionPlan(
            harness=PROCESS_HARNESS,
            command=python_command(config, PROCESS_HARNESS),
            address_space_extra_mb=self.run_address_space_extra_mb(limits),
            binds=[Bind(artifact.directory, ARTIFACT_MOUNT)],
            stderr_markers=self.stderr_markers,
            payload={
                "command": self.run_command(config, limits, source_name),
                "limits": limits_payload(limits),
            },
        )
        return Preparation(
            plan=plan,
            compile_output=artifact.output or None,
            compile_time_ms=artifact.lookup_ms,
            cache_hit=artifact.cache_hit,
        )


def compilation_failed(artifact: CompiledArtifact) -> Preparation:
    """Nothing runs: the compiler's messages are both the message and the compile output."""
    return Preparation(
        failure="compilation_error",
        message=artifact.output,
        compile_output=artifact.output,
        compile_time_ms=artifact.compile_ms,
        cache_hit=artifact.cache_hit,
    )

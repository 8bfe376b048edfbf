"""Java: javac once (cached by source hash), then `java Main` once per stdin test."""

from __future__ import annotations

import re
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
from services.tools.runner.limits import RunLimits, java_address_space_extra_mb, java_heap_mb
from services.tools.runner.models import RunRequest
from services.tools.runner.sandbox import Bind, TaskDir

PROCESS_HARNESS = "process_harness.py"
_PUBLIC_CLASS = re.compile(r"^\s*public\s+(?:final\s+|abstract\s+)*class\s+([A-Za-z_$][\w$]*)", re.MULTILINE)
# The compiler is a JVM too: one compiler thread tier, serial GC, the class-data archive.
JAVAC_JVM_FLAGS = ["-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto", "-J-XX:-UsePerfData"]
JAVAC_FLAGS = ["-encoding", "UTF-8", "-nowarn", "-Xlint:none"]
# Checked in order: the JVM reports running out of threads as an OutOfMemoryError too.
OUT_OF_MEMORY_MARKERS = {
    "unable to create native thread": "processes",
    "java.lang.OutOfMemoryError": "memory",
    "java.lang.StackOverflowError": "stack",
}


def main_class(code: str) -> str:
    """`Main`, or the one public class (javac needs the file named after it)."""
    match = _PUBLIC_CLASS.search(code)
    return match.group(1) if match else "Main"


def jvm_flags(limits: RunLimits) -> list[str]:
    return [
        f"-Xmx{java_heap_mb(limits)}m",
        f"-Xms{min(32, java_heap_mb(limits))}m",
        f"-Xss{limits.stack_mb}m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",  # C1 only: starts fast and spends little CPU on compiling
        "-Xshare:auto",
        "-XX:-UsePerfData",
        "-XX:ReservedCodeCacheSize=64m",
        "-XX:MaxMetaspaceSize=128m",
        "-XX:CompressedClassSpaceSize=64m",
        "-XX:MaxDirectMemorySize=64m",
        "-Xlog:disable",  # the JVM logs warnings to stdout, where they would spoil the output
        "-Xlog:all=warning:stderr",
        "-Djava.io.tmpdir=/tmp",
    ]


class JavaAdapter:
    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation:
        config, limits = context.config, request.limits
        class_name = main_class(request.code)
        source_path = f"src/{class_name}.java"
        task.write(source_path, request.code)
        javac = [
            config.javac_path,
            f"-J-Xmx{max(128, limits.compile_memory_mb // 2)}m",
            *JAVAC_JVM_FLAGS,
            *JAVAC_FLAGS,
            "-d",
            COMPILE_OUTPUT_MOUNT,
            f"{TASK_MOUNT}/{source_path}",
        ]
        key = cache_key("java", request.code, " ".join(javac), toolchain_stamp(config.javac_path))

        async def build(output_dir: Path) -> BuildOutcome:
            return await compile_in_sandbox(
                context,
                javac,
                task,
                output_dir,
                limits,
                java_address_space_extra_mb(limits),
                f"{TASK_MOUNT}/src/",
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
            address_space_extra_mb=java_address_space_extra_mb(limits),
            binds=[Bind(artifact.directory, ARTIFACT_MOUNT)],
            stderr_markers=OUT_OF_MEMORY_MARKERS,
            payload={
                "command": [config.java_path, *jvm_flags(limits), "-cp", ARTIFACT_MOUNT, class_name],
                "limits": limits_payload(limits),
            },
        )
        return Preparation(
            plan=plan,
            compile_output=artifact.output or None,
            compile_time_ms=artifact.lookup_ms,
            cache_hit=artifact.cache_hit,
        )

"""Java: javac once (cached by source hash), then `java Main` once per stdin test."""

from __future__ import annotations

import re

from services.tools.runner.config import RunnerConfig
from services.tools.runner.languages.base import ARTIFACT_MOUNT, COMPILE_OUTPUT_MOUNT
from services.tools.runner.languages.compiled import CompiledLanguage
from services.tools.runner.limits import RunLimits, java_address_space_extra_mb, java_heap_mb

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


class JavaAdapter(CompiledLanguage):
    cache_name = "java"
    stderr_markers = OUT_OF_MEMORY_MARKERS

    def source_name(self, code: str) -> str:
        return f"{main_class(code)}.java"

    def compile_command(self, config: RunnerConfig, limits: RunLimits, source: str) -> list[str]:
        return [
            config.javac_path,
            f"-J-Xmx{max(128, limits.compile_memory_mb // 2)}m",
            *JAVAC_JVM_FLAGS,
            *JAVAC_FLAGS,
            "-d",
            COMPILE_OUTPUT_MOUNT,
            source,
        ]

    def compile_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        return java_address_space_extra_mb(limits)

    def run_address_space_extra_mb(self, limits: RunLimits) -> int | None:
        return java_address_space_extra_mb(limits)

    def run_command(self, config: RunnerConfig, limits: RunLimits, source_name: str) -> list[str]:
        class_name = source_name.removesuffix(".java")  # the file is named after its public class
        return [config.java_path, *jvm_flags(limits), "-cp", ARTIFACT_MOUNT, class_name]

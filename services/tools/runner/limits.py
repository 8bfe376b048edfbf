"""Resource limits of a run: what a request may set, and how they become rlimits per runtime.

Defaults sit near Judge0's (CPU 5 s, wall 10 s, 128 MB, stack 64 MB, 60 processes, 1 MB output)
and Piston's (run 3 s, compile 10 s, 64 processes), tightened in time because an interview run
should answer within seconds. See README.md for the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, Field

MIB = 1024 * 1024


class RunLimits(BaseModel):
    """Per-request limits. Time and output limits apply to each test."""

    cpu_time_s: float = Field(default=2.0, gt=0, le=15.0)  # CPU time per test
    wall_time_s: float = Field(default=4.0, gt=0, le=30.0)  # wall-clock time per test
    total_time_s: float = Field(default=20.0, gt=0, le=120.0)  # wall budget for all tests of a run
    memory_mb: int = Field(default=256, ge=32, le=2048)  # peak resident memory of the program
    stack_mb: int = Field(default=64, ge=1, le=512)
    max_processes: int = Field(default=64, ge=8, le=512)  # processes and threads inside the sandbox
    max_output_bytes: int = Field(default=1024 * 1024, ge=1024, le=16 * MIB)  # stdout (or return value)
    max_file_bytes: int = Field(default=1024 * 1024, ge=0, le=64 * MIB)  # largest file it may write
    tmp_size_mb: int = Field(default=16, ge=1, le=256)  # the private /tmp (a size-capped tmpfs)
    max_open_files: int = Field(default=64, ge=16, le=1024)
    compile_time_s: float = Field(default=10.0, gt=0, le=60.0)  # CPU time of a compile
    compile_memory_mb: int = Field(default=1024, ge=128, le=4096)
    stop_on_time_limit: bool = True  # after a test times out, skip the rest (they would time out too)


# Address space a runtime reserves without using it: the rlimit is memory_mb plus this.
# Peak resident memory is what the memory verdict looks at.
PYTHON_ADDRESS_SPACE_EXTRA_MB = 64
CPP_ADDRESS_SPACE_EXTRA_MB = 32
NODE_ADDRESS_SPACE_EXTRA_MB = 1024  # V8 reserves about 700 MB of code and heap ranges at start
JVM_ADDRESS_SPACE_EXTRA_MB = 1024  # class space, code cache, CDS archive, malloc arenas
JVM_THREAD_STACK_RESERVATIONS = 16  # the JVM's own threads each reserve -Xss of stack
JVM_NATIVE_OVERHEAD_MB = 64  # kept out of -Xmx so that heap + JVM stays within memory_mb
HARNESS_STARTUP_S = 3.0  # sandbox and interpreter start, on top of the tests' own budgets


@dataclass(frozen=True)
class ProcessLimits:
    """rlimits applied inside the sandbox, to the harness and everything it starts."""

    cpu_s: int  # hard RLIMIT_CPU (the harness lowers the soft limit per test)
    address_space_mb: int | None  # None: no RLIMIT_AS
    stack_mb: int
    processes: int
    file_bytes: int
    open_files: int


def process_limits(limits: RunLimits, address_space_extra_mb: int, test_count: int) -> ProcessLimits:
    """rlimits for a session that runs `test_count` tests in one sandbox."""
    cpu_budget = math.ceil(limits.cpu_time_s * test_count + HARNESS_STARTUP_S + 1)
    return ProcessLimits(
        cpu_s=min(cpu_budget, math.ceil(limits.total_time_s + HARNESS_STARTUP_S)),
        address_space_mb=limits.memory_mb + address_space_extra_mb,
        stack_mb=limits.stack_mb,
        processes=limits.max_processes,
        # One byte past the output cap: output captured in a file stops right there (SIGXFSZ).
        file_bytes=max(limits.max_file_bytes, limits.max_output_bytes + 1),
        open_files=limits.max_open_files,
    )


def java_heap_mb(limits: RunLimits) -> int:
    return max(32, limits.memory_mb - JVM_NATIVE_OVERHEAD_MB)


def java_address_space_extra_mb(limits: RunLimits) -> int:
    return JVM_ADDRESS_SPACE_EXTRA_MB + JVM_THREAD_STACK_RESERVATIONS * limits.stack_mb


def node_stack_kb(limits: RunLimits) -> int:
    """V8's --stack-size: most of the real stack, leaving room for native frames."""
    return max(984, int(limits.stack_mb * 1024 * 0.75))

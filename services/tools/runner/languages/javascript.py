"""JavaScript (Node): function style in one vm-context harness; stdin style as one process per test."""

from __future__ import annotations

from services.tools.runner.languages.base import (
    PROCESS_HARNESS,
    START,
    TASK_MOUNT,
    LanguageContext,
    Preparation,
    SessionPlan,
    copy_harness,
    limits_payload,
    python_command,
)
from services.tools.runner.limits import NODE_ADDRESS_SPACE_EXTRA_MB, RunLimits, node_stack_kb
from services.tools.runner.models import RunRequest
from services.tools.runner.sandbox import RESULT_FD, TaskDir

FUNCTION_HARNESS = "js_harness.js"
# Node prints these when V8 runs out of heap; the test then failed for memory, not a bug.
OUT_OF_MEMORY_MARKERS = {
    "JavaScript heap out of memory": "memory",
    "Reached heap limit": "memory",
    "Allocation failed": "memory",
    "allocation failed": "memory",  # RangeError: Array buffer allocation failed
}


def node_flags(limits: RunLimits) -> list[str]:
    return [
        f"--max-old-space-size={limits.memory_mb}",
        f"--stack-size={node_stack_kb(limits)}",
        "--disallow-code-generation-from-strings",
    ]


class JavaScriptAdapter:
    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation:
        config = context.config
        if request.style == "function":
            task.write("solution.js", request.code)
            copy_harness(task, FUNCTION_HARNESS)
            command = [
                config.node_path,
                *node_flags(request.limits),
                f"{TASK_MOUNT}/{FUNCTION_HARNESS}",
                RESULT_FD,
                START,
            ]
            plan = SessionPlan(
                harness=FUNCTION_HARNESS,
                command=command,
                address_space_extra_mb=NODE_ADDRESS_SPACE_EXTRA_MB,
                stderr_markers=OUT_OF_MEMORY_MARKERS,
                payload={"function_name": request.function_name, **limits_payload(request.limits)},
            )
            return Preparation(plan=plan)
        program = f"{TASK_MOUNT}/main.js"
        task.write("main.js", request.code)
        copy_harness(task, PROCESS_HARNESS)
        plan = SessionPlan(
            harness=PROCESS_HARNESS,
            command=python_command(config, PROCESS_HARNESS),
            address_space_extra_mb=NODE_ADDRESS_SPACE_EXTRA_MB,
            stderr_markers=OUT_OF_MEMORY_MARKERS,
            payload={
                "command": [config.node_path, *node_flags(request.limits), program],
                "precheck": [config.node_path, "--check", program],
                "precheck_limits": {"cpu_time_s": 5.0, "wall_time_s": 10.0, "max_output_bytes": 65536},
                "limits": limits_payload(request.limits),
            },
        )
        return Preparation(plan=plan)

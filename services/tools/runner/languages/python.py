"""Python: the policy check, then every test in one harness process (function or stdin style)."""

from __future__ import annotations

from services.tools.runner.languages.base import (
    LanguageContext,
    Preparation,
    SessionPlan,
    copy_harness,
    limits_payload,
    python_command,
)
from services.tools.runner.limits import PYTHON_ADDRESS_SPACE_EXTRA_MB
from services.tools.runner.models import RunRequest
from services.tools.runner.python_policy import ALLOWED_MODULES, check_python
from services.tools.runner.sandbox import TaskDir

HARNESS = "python_harness.py"


class PythonAdapter:
    async def prepare(self, request: RunRequest, task: TaskDir, context: LanguageContext) -> Preparation:
        report = check_python(request.code)
        if report.syntax_error is not None:
            return Preparation(
                failure="compilation_error", message=report.syntax_error, compile_output=report.syntax_error
            )
        if report.violations:
            return Preparation(failure="rejected", message=report.message())
        task.write("solution.py", request.code)
        copy_harness(task, HARNESS)
        plan = SessionPlan(
            harness=HARNESS,
            command=python_command(context.config, HARNESS),
            address_space_extra_mb=PYTHON_ADDRESS_SPACE_EXTRA_MB,
            stderr_markers={"MemoryError": "memory", "Fatal Python error: Segmentation fault": "stack"},
            payload={
                "mode": request.style,
                "function_name": request.function_name,
                "allowed_modules": sorted(ALLOWED_MODULES),
                **limits_payload(request.limits),
            },
        )
        return Preparation(plan=plan)

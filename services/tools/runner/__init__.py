"""The sandboxed code runner and code-quality metrics (domain only: no NATS, no HTTP, no storage).

    runner = CodeRunner(RunnerConfig())   # one per process (the tools service's bootstrap builds it)
    result = await runner.run(RunRequest(language="python", code=..., function_name="solution",
                                         tests=[TestCase(input="[3,1,2]", expected="[1,2,3]")]))
    metrics = analyze_quality(code, "python")

See README.md for the limits, the verdicts, the allowed Python modules and the sandbox.
"""

from __future__ import annotations

from services.tools.runner.config import RunnerConfig
from services.tools.runner.limits import RunLimits
from services.tools.runner.models import (
    LANGUAGES,
    VERDICT_LABELS,
    FunctionMetrics,
    InvalidRunRequest,
    Language,
    QualityMetrics,
    RunRequest,
    RunResult,
    TestCase,
    TestResult,
    Verdict,
    verdict_label,
)
from services.tools.runner.python_policy import ALLOWED_MODULES
from services.tools.runner.quality import analyze_quality
from services.tools.runner.runner import CodeRunner, validate_request

__all__ = [
    "ALLOWED_MODULES",
    "LANGUAGES",
    "VERDICT_LABELS",
    "CodeRunner",
    "FunctionMetrics",
    "InvalidRunRequest",
    "Language",
    "QualityMetrics",
    "RunLimits",
    "RunRequest",
    "RunResult",
    "RunnerConfig",
    "TestCase",
    "TestResult",
    "Verdict",
    "analyze_quality",
    "validate_request",
    "verdict_label",
]

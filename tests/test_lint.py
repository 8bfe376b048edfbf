"""The codebase stays ruff- and mypy-clean (the style guide's bar), checked with every `make test`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deploy.local_platform import REPO_ROOT

BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = run(str(BIN / "mypy"), "shared", "services", "deploy", "bench")
    assert result.returncode == 0, result.stdout + result.stderr

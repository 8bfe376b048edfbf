"""The web app's own unit tests (vitest: components, the socket client, the resampler), run from pytest so
`make test` runs them. `make` installs the packages first (npm ci in frontend/)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from deploy.local_platform import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"


def test_vitest_suite_passes() -> None:
    if shutil.which("npm") is None:
        pytest.fail("npm is not installed: run `make install` (deploy/install.sh installs nodejs and npm)")
    if not (FRONTEND / "node_modules" / ".package-lock.json").is_file():
        pytest.fail("frontend/node_modules is missing: run `make frontend` (npm ci)")
    result = subprocess.run(
        ["npm", "test", "--", "--reporter=verbose"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "CI": "1", "NO_COLOR": "1"},
    )
    output = result.stdout + result.stderr
    print(output[-4000:])
    assert result.returncode == 0, output[-4000:]
    passed = re.search(r"Tests\s+(\d+) passed", output)
    assert passed and int(passed.group(1)) >= 20, "the vitest suite ran fewer tests than it holds"


def test_typescript_is_strict_and_clean() -> None:
    result = subprocess.run(["npx", "tsc", "-b"], cwd=FRONTEND, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

"""A runner with its own sandbox uid, work folder and compile cache, shared by the runner tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.tools.runner import CodeRunner, RunnerConfig

# A uid nothing else on the machine uses, so "no stray processes" can be checked exactly.
TEST_SANDBOX_UID = 61999


def sandbox_processes(uid: int = TEST_SANDBOX_UID) -> list[str]:
    """Host processes running as the sandbox uid (there must be none between runs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        uid_line = next((line for line in status.splitlines() if line.startswith("Uid:")), "")
        if uid_line.split()[1:2] == [str(uid)]:
            found.append(f"{entry.name}: {status.splitlines()[0]}")
    return found


@pytest.fixture(scope="session")
def runner_root() -> Iterator[Path]:
    # Not under pytest's tmp folder: that one is private to root (0700), and the sandbox's uid
    # must be able to reach the folders it binds.
    root = Path(tempfile.mkdtemp(prefix="prepai-runner-test-"))
    os.chmod(root, 0o711)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def runner_config(runner_root: Path) -> RunnerConfig:
    switch = os.geteuid() == 0
    return RunnerConfig(
        sandbox_uid=TEST_SANDBOX_UID if switch else None,
        sandbox_gid=TEST_SANDBOX_UID if switch else None,
        work_dir=runner_root / "work",
        cache_dir=runner_root / "cache",
        max_concurrent_runs=4,
    )


@pytest.fixture(scope="session")
def runner(runner_config: RunnerConfig) -> Iterator[CodeRunner]:
    yield CodeRunner(runner_config)

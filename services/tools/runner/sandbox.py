"""One sandboxed process: bubblewrap, rlimits, a wall clock, output caps, and a result channel.

Isolation is the operating system's job here, not the submitted code's:

- bubblewrap unshares every namespace (user, pid, net, ipc, uts, cgroup, mount): no network
  (only a down loopback), no view of host processes, and a root made of read-only binds of the
  toolchains (`RunnerConfig.system_paths`); /work, /root, /home, /etc, /var and the data folders
  are simply not there. The root and /dev are remounted read-only; /tmp is a private tmpfs with
  a size cap. Nested user namespaces are disabled and every capability is dropped.
- The worker starts bubblewrap as an unprivileged uid (65534 by default). RLIMIT_NPROC never
  limits uid 0, so this switch is what makes the process limit real; the limit is set *inside*
  the new user namespace (prlimit), so it counts only that sandbox's processes and threads.
- `--as-pid-1` makes the harness the init of the sandbox's PID namespace: when it exits or is
  killed, the kernel kills every process left in the namespace (fork bombs included), and the
  sandboxed program cannot signal it. bubblewrap itself runs with an empty environment, so
  nothing of the worker's environment exists anywhere inside.
- rlimits (prlimit inside the sandbox): CPU, address space, stack, processes, file size, open
  files, no core dumps. The wall clock and output caps are enforced here, from outside.

A harness inside writes one JSON object per line to a private pipe (its fd number replaces
`RESULT_FD` in the command). `{"event": "start", "index": i}` opens a step that must end with
`{"event": "result", "index": i, ...}` within `step_timeout_s`, or the sandbox is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from services.tools.runner.config import USR_SYMLINKS, RunnerConfig
from services.tools.runner.limits import MIB, ProcessLimits

RESULT_FD = "{RESULT_FD}"
SANDBOX_UID_INSIDE = 65534
POLL_INTERVAL_S = 0.1
DRAIN_TIMEOUT_S = 2.0
READ_CHUNK = 65536
SANDBOX_ENV: dict[str, str] = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread arena otherwise
}

KillReason = Literal["wall_timeout", "step_timeout", "output_limit", "stopped"]


@dataclass(frozen=True)
class Bind:
    source: Path
    target: str
    writable: bool = False


@dataclass
class SandboxSpec:
    command: list[str]  # argv inside the sandbox; RESULT_FD is replaced by the pipe's fd number
    limits: ProcessLimits
    binds: list[Bind] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    tmp_size_mb: int = 16
    wall_timeout_s: float = 30.0  # the whole process
    step_timeout_s: float | None = None  # one test, from its start event to its result event
    max_stdout_bytes: int = MIB
    max_stderr_bytes: int = 64 * 1024
    max_event_bytes: int = 4 * MIB  # one result line
    max_events_total_bytes: int = 64 * MIB
    cwd: str = "/tmp"
    # Stop the sandbox as soon as an event satisfies this (e.g. a timeout when later tests are skipped).
    stop_after: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class SandboxOutcome:
    events: list[dict[str, Any]]
    stdout: bytes
    stderr: bytes
    exit_code: int | None  # None when killed by a signal
    term_signal: int | None
    killed: KillReason | None
    wall_ms: float
    open_step: int | None  # a test that started and never reported (the harness died in it)

    @property
    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")


class SandboxUnavailable(RuntimeError):
    """bubblewrap or a toolchain is missing, or the sandbox could not be created."""


@dataclass
class _Streams:
    spec: SandboxSpec
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    events: list[dict[str, Any]] = field(default_factory=list)
    events_bytes: int = 0
    open_step: int | None = None
    step_deadline: float | None = None
    killed: KillReason | None = None
    stop_requested: bool = False


class Sandbox:
    def __init__(self, config: RunnerConfig) -> None:
        self.config = config
        self._bwrap_found = os.path.exists(config.bwrap_path)
        self._base_args = self._build_base_args()

    # ----------------------------------------------------------------- command line
    def _build_base_args(self) -> list[str]:
        args = [
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--as-pid-1",
            "--uid",
            str(SANDBOX_UID_INSIDE),
            "--gid",
            str(SANDBOX_UID_INSIDE),
            "--hostname",
            "sandbox",
            "--cap-drop",
            "ALL",
            "--clearenv",
        ]
        for path in (*self.config.system_paths, *self.config.extra_ro_paths):
            if os.path.exists(path):
                args += ["--ro-bind", path, path]
        for binary in self.config.tool_binaries:
            if os.path.exists(binary) and not _is_under(binary, self.config.system_paths):
                args += ["--ro-bind", os.path.realpath(binary), binary]
        for link in USR_SYMLINKS:
            if os.path.islink(link):
                args += ["--symlink", os.readlink(link), link]
            elif os.path.isdir(link):
                args += ["--ro-bind", link, link]
        for path in self.config.etc_paths:
            args += ["--ro-bind-try", path, path]
        args += ["--proc", "/proc", "--dev", "/dev"]
        return args

    def command_line(self, spec: SandboxSpec, result_fd: int) -> list[str]:
        args = [self.config.bwrap_path, *self._base_args]
        args += ["--size", str(spec.tmp_size_mb * MIB), "--tmpfs", "/tmp"]
        for bind in spec.binds:
            args += ["--bind" if bind.writable else "--ro-bind", str(bind.source), bind.target]
        for name, value in {**SANDBOX_ENV, **spec.env}.items():
            args += ["--setenv", name, value]
        # Remount last: the root tmpfs and /dev would otherwise be writable and uncapped.
        args += ["--chdir", spec.cwd, "--remount-ro", "/", "--remount-ro", "/dev", "--"]
        args += self._prlimit_prefix(spec.limits)
        args += [part.replace(RESULT_FD, str(result_fd)) for part in spec.command]
        return args

    def _prlimit_prefix(self, limits: ProcessLimits) -> list[str]:
        prefix = [
            self.config.prlimit_path,
            f"--nproc={limits.processes}",
            f"--cpu={limits.cpu_s}",
            f"--stack={limits.stack_mb * MIB}",
            f"--fsize={limits.file_bytes}",
            f"--nofile={limits.open_files}",
            "--core=0",
        ]
        if limits.address_space_mb is not None:
            prefix.append(f"--as={limits.address_space_mb * MIB}")
        return [*prefix, "--"]

    def _user_kwargs(self) -> dict[str, Any]:
        if not self.config.switches_user:
            return {}
        return {"user": self.config.sandbox_uid, "group": self.config.sandbox_gid, "extra_groups": []}

    # ----------------------------------------------------------------- running
    async def run(self, spec: SandboxSpec) -> SandboxOutcome:
        if not self._bwrap_found:
            raise SandboxUnavailable(f"bubblewrap not found at {self.config.bwrap_path}")
        read_fd, write_fd = os.pipe()
        started = time.monotonic()
        try:
            process = await asyncio.create_subprocess_exec(
                *self.command_line(spec, write_fd),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                pass_fds=(write_fd,),
                env={},  # bubblewrap's own environment is visible to the sandbox: keep it empty
                start_new_session=True,
                **self._user_kwargs(),
            )
        except OSError as error:
            os.close(read_fd)
            raise SandboxUnavailable(f"could not start bubblewrap: {error}") from error
        finally:
            os.close(write_fd)
        streams = _Streams(spec)
        try:
            await self._supervise(process, streams, read_fd, started)
        finally:
            if process.returncode is None:  # cancelled: do not leave the sandbox behind
                _kill_group(process.pid)
        return _outcome(process, streams, started)

    async def _supervise(
        self, process: asyncio.subprocess.Process, streams: _Streams, read_fd: int, started: float
    ) -> None:
        assert process.stdout is not None and process.stderr is not None
        readers: list[asyncio.Task[Any]] = [
            asyncio.create_task(_read_capped(process.stdout, streams, "stdout", process)),
            asyncio.create_task(_read_capped(process.stderr, streams, "stderr", process)),
            asyncio.create_task(_read_events(read_fd, streams, process)),
        ]
        waiter = asyncio.create_task(process.wait())
        deadline = started + streams.spec.wall_timeout_s
        try:
            while not waiter.done():
                now = time.monotonic()
                if now >= deadline:
                    _kill(process, streams, "wall_timeout")
                elif streams.step_deadline is not None and now >= streams.step_deadline:
                    _kill(process, streams, "step_timeout")
                elif streams.stop_requested:
                    _kill(process, streams, "stopped")
                await asyncio.wait({waiter}, timeout=POLL_INTERVAL_S)
            _, pending = await asyncio.wait(readers, timeout=DRAIN_TIMEOUT_S)
            for task in pending:
                task.cancel()
        finally:
            for task in (*readers, waiter):
                if not task.done():
                    task.cancel()
            await asyncio.gather(*readers, waiter, return_exceptions=True)


def _is_under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def _kill(process: asyncio.subprocess.Process, streams: _Streams, reason: KillReason) -> None:
    if streams.killed is None:
        streams.killed = reason
    _kill_group(process.pid)


def _kill_group(pid: int) -> None:
    # bubblewrap leads its own process group; --die-with-parent and the PID namespace take the rest.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


async def _read_capped(
    stream: asyncio.StreamReader,
    streams: _Streams,
    name: Literal["stdout", "stderr"],
    process: asyncio.subprocess.Process,
) -> None:
    buffer = streams.stdout if name == "stdout" else streams.stderr
    cap = streams.spec.max_stdout_bytes if name == "stdout" else streams.spec.max_stderr_bytes
    # Read to the end even past the cap: asyncio only reports the process as finished once its
    # pipes reach EOF, and a reader that stops would leave the pipe paused forever.
    while chunk := await stream.read(READ_CHUNK):
        room = cap - len(buffer)
        buffer += chunk[: max(room, 0)]
        if len(chunk) > room:
            _kill(process, streams, "output_limit")


async def _read_events(read_fd: int, streams: _Streams, process: asyncio.subprocess.Process) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=streams.spec.max_event_bytes)
    pipe = os.fdopen(read_fd, "rb", buffering=0)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    try:
        while True:
            try:
                line = await reader.readline()
            except (asyncio.LimitOverrunError, ValueError):
                _kill(process, streams, "output_limit")
                return
            if not line:
                return
            streams.events_bytes += len(line)
            if streams.events_bytes > streams.spec.max_events_total_bytes:
                _kill(process, streams, "output_limit")
                return
            _record_event(line, streams)
    finally:
        transport.close()


def _record_event(line: bytes, streams: _Streams) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        return  # not from the harness; the program may have found the fd
    if not isinstance(event, dict):
        return
    streams.events.append(event)
    kind, index = event.get("event"), event.get("index")
    if kind == "start" and isinstance(index, int):
        streams.open_step = index
        step = streams.spec.step_timeout_s
        streams.step_deadline = time.monotonic() + step if step is not None else None
    elif kind == "result" and index == streams.open_step:
        streams.open_step = None
        streams.step_deadline = None
    if streams.spec.stop_after is not None and streams.spec.stop_after(event):
        streams.stop_requested = True


def _outcome(process: asyncio.subprocess.Process, streams: _Streams, started: float) -> SandboxOutcome:
    code = process.returncode
    exit_code: int | None = code if code is not None and code >= 0 else None
    term_signal: int | None = -code if code is not None and code < 0 else None
    return SandboxOutcome(
        events=streams.events,
        stdout=bytes(streams.stdout),
        stderr=bytes(streams.stderr),
        exit_code=exit_code,
        term_signal=term_signal,
        killed=streams.killed,
        wall_ms=(time.monotonic() - started) * 1000,
        open_step=streams.open_step,
    )


class TaskDir:
    """A host folder bound read-only at /task: the code, the harness, the test inputs.

    It lives under `work_dir` (mode 0711, so nobody can list it) and is removed afterwards.
    Expected answers are never written here: the sandbox cannot see them.
    """

    def __init__(self, work_dir: Path) -> None:
        work_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(work_dir, 0o711)
        self.path = Path(tempfile.mkdtemp(prefix="task-", dir=work_dir))
        os.chmod(self.path, 0o755)

    def write(self, name: str, data: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(target.parent, 0o755)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
        os.chmod(target, 0o644)
        return target

    def copy(self, source: Path, name: str) -> Path:
        return self.write(name, source.read_bytes())

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> TaskDir:
        return self

    def __exit__(self, *_: object) -> None:
        self.remove()

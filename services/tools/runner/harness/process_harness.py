"""Runs a whole program once per stdin test inside the sandbox (JavaScript, Java and C++).

Copied into the task folder and started as `python3 -I -S -B /task/process_harness.py FD START`.
/tests/request.json names the command, the tests' stdin files and the limits. For each test the
harness forks the program with that stdin, waits for it with a wall clock (a pidfd), and then
kills everything the program left behind (it is the PID namespace's init) before reporting one
JSON line on fd FD.

The program's stdout and stderr go to files in the private /tmp, not to pipes: Node keeps what it
cannot write to a full pipe in memory and never blocks, so a pipe cap would never trigger. With a
file, RLIMIT_FSIZE (one byte past the output cap) stops a flood at once with SIGXFSZ.
An optional `precheck` command (e.g. `node --check`) runs first; its failure is a compile error.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import resource
import select
import signal
import sys
import time
from typing import Any

TESTS_DIR = "/tests"  # request.json and the stdin files of this session's tests
STDOUT_PATH = "/tmp/.prepai-stdout"
STDERR_PATH = "/tmp/.prepai-stderr"
STDERR_CAP = 64 * 1024
PR_SET_DUMPABLE = 4


class Channel:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def emit(self, event: dict[str, Any]) -> None:
        data = (json.dumps(event, ensure_ascii=False) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


def forbid_tracing() -> None:
    """The program runs as the same uid: stop it from attaching to this process with ptrace."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def cpu_rlimit(cpu_s: float) -> tuple[int, int]:
    """Soft limit (SIGXCPU) at the test's CPU budget, hard (SIGKILL) a second later, both within
    the session's own hard limit."""
    soft = max(1, math.ceil(cpu_s))
    _, session_hard = resource.getrlimit(resource.RLIMIT_CPU)
    if session_hard == resource.RLIM_INFINITY:
        return soft, soft + 1
    return min(soft, session_hard), min(soft + 1, session_hard)


def open_output(path: str) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


def spawn(command: list[str], stdin_path: str, cpu_s: float) -> int:
    stdin_fd = os.open(stdin_path, os.O_RDONLY)
    out_fd, err_fd = open_output(STDOUT_PATH), open_output(STDERR_PATH)
    pid = os.fork()
    if pid == 0:  # the child: set up and exec, nothing else
        try:
            os.setsid()
            os.dup2(stdin_fd, 0)
            os.dup2(out_fd, 1)
            os.dup2(err_fd, 2)
            resource.setrlimit(resource.RLIMIT_CPU, cpu_rlimit(cpu_s))
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # Python ignores these two; programs expect
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # the default actions
            os.execve(command[0], command, dict(os.environ))
        except BaseException as error:
            with contextlib.suppress(BaseException):
                os.write(2, f"cannot start {command[0]}: {error}\n".encode())
        finally:
            os._exit(127)
    for fd in (stdin_fd, out_fd, err_fd):
        os.close(fd)
    return pid


def wait_with_deadline(pid: int, wall_s: float) -> tuple[int, Any, bool]:
    """(status word, rusage, killed for time) once the program ended or its wall time ran out."""
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], wall_s)
    finally:
        os.close(pidfd)
    if not ready:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _, status_word, usage = os.wait4(pid, 0)
    return status_word, usage, not ready


def kill_everything_else() -> None:
    """As the PID namespace's init: kill and reap every other process (the program's strays)."""
    for _ in range(5000):
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # nothing left
        if pid == 0:
            time.sleep(0.001)  # killed processes still exiting


def read_output(path: str, cap: int) -> tuple[bytes, int]:
    """The first `cap` bytes of a file and its full size; the file is removed."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            return handle.read(cap), size
    except OSError:
        return b"", 0
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def run_once(command: list[str], stdin_path: str, limits: dict[str, Any]) -> dict[str, Any]:
    cpu_s = float(limits["cpu_time_s"])
    cap = int(limits["max_output_bytes"])
    started = time.perf_counter()
    pid = spawn(command, stdin_path, cpu_s)
    status_word, usage, timed_out = wait_with_deadline(pid, float(limits["wall_time_s"]))
    wall_ms = (time.perf_counter() - started) * 1000
    kill_everything_else()
    stdout, stdout_size = read_output(STDOUT_PATH, cap)
    stderr, _ = read_output(STDERR_PATH, STDERR_CAP)
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    term_signal = os.WTERMSIG(status_word) if os.WIFSIGNALED(status_word) else None
    result: dict[str, Any] = {
        "stdout": stdout.decode("utf-8", errors="replace"),
        "stdout_bytes": stdout_size,
        "stderr": stderr.decode("utf-8", errors="replace"),
        "cpu_ms": round(cpu_ms, 3),
        "wall_ms": round(wall_ms, 3),
        "rss_kb": int(usage.ru_maxrss),
        "exit_code": os.WEXITSTATUS(status_word) if os.WIFEXITED(status_word) else None,
        "signal": term_signal,
    }
    if stdout_size > cap or (term_signal == signal.SIGXFSZ and stdout_size >= cap):
        result["status"] = "output_limit"
    elif timed_out or term_signal == signal.SIGXCPU or cpu_ms > cpu_s * 1000:
        result["status"] = "timeout"
    elif term_signal is not None or result["exit_code"] != 0:
        result["status"] = "runtime_error"
    else:
        result["status"] = "ok"
    return result


def main() -> None:
    fd = int(sys.argv[1])
    start = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.set_inheritable(fd, False)
    forbid_tracing()
    channel = Channel(fd)
    with open(f"{TESTS_DIR}/request.json", encoding="utf-8") as handle:
        request = json.load(handle)
    precheck = request.get("precheck")
    first_index = int(request["tests"][0]["index"]) if request["tests"] else 0
    if precheck and start <= first_index:  # not again when restarted after a crash
        checked = run_once(list(precheck), "/dev/null", request["precheck_limits"])
        channel.emit({"event": "precheck", **checked})
        if checked["status"] != "ok":
            return
    command = list(request["command"])
    for test in request["tests"]:
        index = int(test["index"])
        if index < start:
            continue
        channel.emit({"event": "start", "index": index})
        result = run_once(command, f"{TESTS_DIR}/{test['stdin_file']}", request["limits"])
        channel.emit({"event": "result", "index": index, **result})


if __name__ == "__main__":
    main()

"""Hostile programs in all four languages: each fails within seconds with a clear reason, nothing
escapes (files, network, secrets, the worker), nothing is left running, and the runner keeps working.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.tools.runner import CodeRunner, RunLimits, RunnerConfig, RunRequest, RunResult, TestCase
from tests.tools.runner.conftest import sandbox_processes
from tests.tools.runner.hostile_programs import PROGRAMS

LANGUAGES = ("python", "javascript", "java", "cpp")
# Tighter than the defaults so the battery stays fast; the defaults are only longer.
LIMITS = RunLimits(cpu_time_s=1.0, wall_time_s=3.0, total_time_s=8.0)
MAX_SECONDS = 10.0
TOKEN = secrets.token_hex(8)  # the secret: it must appear in no output
MARK = secrets.token_hex(8)  # names the files a program tries to create
EXPECTED = {
    "infinite_loop": {"time_limit_exceeded"},
    "sleep_forever": {"time_limit_exceeded"},
    "memory_bomb": {"memory_limit_exceeded"},
    "fork_bomb": {"time_limit_exceeded", "runtime_error"},
    "thread_bomb": {"time_limit_exceeded", "runtime_error", "memory_limit_exceeded"},
    "output_flood": {"output_limit_exceeded"},
    "deep_recursion": {"runtime_error"},
    "write_host_files": {"runtime_error"},
    "connect_to_broker": {"runtime_error"},
    "read_secrets": {"runtime_error"},
    "kill_the_parent": {"runtime_error"},
    "shell_out": {"runtime_error"},
}
LIMIT_REASONS = {
    "time_limit_exceeded": "Time Limit Exceeded",
    "memory_limit_exceeded": "Memory Limit Exceeded",
    "output_limit_exceeded": "Output Limit Exceeded",
}
RECURSION_WORDS = (
    "RecursionError",
    "Maximum call stack size exceeded",
    "StackOverflowError",
    "stack overflow",
)


@dataclass
class Listener:
    ports: list[int]
    connections: list[tuple[str, int]]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    """Listening sockets on the host: the broker's port 4222 (when free) and a random one."""
    sockets: list[socket.socket] = []
    for port in (4222, 0):
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", port))
        except OSError:
            server.close()  # 4222 is taken (a NATS server): the sandbox must not reach that either
            continue
        server.listen(16)
        server.settimeout(0.2)
        sockets.append(server)
    state = Listener(ports=[server.getsockname()[1] for server in sockets], connections=[])
    stop = threading.Event()

    def accept_loop() -> None:
        while not stop.is_set():
            for server in sockets:
                try:
                    connection, address = server.accept()
                except (TimeoutError, OSError):
                    continue
                state.connections.append(address)
                connection.close()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    yield state
    stop.set()
    thread.join(timeout=2)
    for server in sockets:
        server.close()


@pytest.fixture
def secret_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A secret in the worker's environment and in a host file."""
    monkeypatch.setenv("PREPAI_RUNNER_TEST_SECRET", TOKEN)
    path = Path(f"/tmp/prepai-secret-{MARK}")
    path.write_text(f"secret={TOKEN}\n")
    yield path
    path.unlink(missing_ok=True)


def program(attack: str, language: str, port: int, secret: Path | None) -> str:
    code = PROGRAMS[attack][language].replace("MARK", MARK).replace("PORT", str(port))
    return code.replace("SECRET_FILE", str(secret or "/nonexistent"))


async def run_all(
    runner: CodeRunner, attack: str, port: int, secret: Path | None = None
) -> dict[str, tuple[RunResult, float]]:
    async def one(language: str) -> tuple[RunResult, float]:
        request = RunRequest(
            language=language,  # type: ignore[arg-type]
            code=program(attack, language, port, secret),
            tests=[
                TestCase(stdin="", expected_stdout="ok"),
                TestCase(stdin="", expected_stdout="ok", hidden=True),
            ],
            limits=LIMITS,
        )
        started = time.monotonic()
        result = await runner.run(request)
        return result, time.monotonic() - started

    results = await asyncio.gather(*(one(language) for language in LANGUAGES))
    return dict(zip(LANGUAGES, results, strict=True))


async def assert_no_strays() -> None:
    for _ in range(30):
        if not sandbox_processes():
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"processes left behind: {sandbox_processes()}")


def output_of(result: RunResult) -> str:
    first = result.test_results[0]
    return "\n".join(
        str(part) for part in (first.actual, first.stdout, first.stderr, first.error, result.error)
    )


@pytest.mark.parametrize("attack", list(PROGRAMS))
async def test_hostile_program_fails_fast_and_is_contained(
    runner: CodeRunner, attack: str, listener: Listener, secret_file: Path
) -> None:
    port = listener.ports[-1]
    results = await run_all(runner, attack, port, secret_file)
    for language, (result, elapsed) in results.items():
        first = result.test_results[0]
        where = f"{attack}/{language}: {first.verdict} in {elapsed:.1f}s: {output_of(result)[:1500]}"
        assert elapsed < MAX_SECONDS, where
        assert not result.all_passed and result.verdict in EXPECTED[attack], where
        assert first.error, where
        if first.verdict in LIMIT_REASONS:
            assert first.error.startswith(LIMIT_REASONS[first.verdict]), where
        assert TOKEN not in output_of(result), where  # no secret in anything a candidate sees
        check_attack(attack, result, where)
    await assert_no_strays()
    assert listener.connections == []


def check_attack(attack: str, result: RunResult, where: str) -> None:
    output = str(result.test_results[0].actual or "")
    if attack == "deep_recursion":
        assert any(word in (result.test_results[0].error or "") for word in RECURSION_WORDS), where
    elif attack == "write_host_files":
        assert "denied /work/prepai-pwned" in output and "denied /task/pwned" in output, where
        assert "denied /usr/lib/pwned" in output and "denied /pwned" in output, where
        assert (
            not Path(f"/tmp/prepai-pwned-{MARK}").exists() and not Path(f"/work/prepai-pwned-{MARK}").exists()
        )
    elif attack == "connect_to_broker":
        assert not re.search(r"^connected", output, re.MULTILINE), where
        assert len(re.findall(r"^refused", output, re.MULTILINE)) == 2, where
    elif attack == "read_secrets":
        assert "[project]" not in output and "denied /work/main/pyproject.toml" in output, where
        assert "denied /root/.bashrc" in output, where
    elif attack == "kill_the_parent":
        assert "still alive" in output, where
    elif attack == "shell_out":
        assert "root:x:0:0" not in output and "pyproject" not in output, where


async def test_policy_refuses_the_plain_python_versions(runner: CodeRunner) -> None:
    """Without the attrgetter detour, Python's policy refuses these before anything runs."""
    attempts = {
        "import os\nos.system('ls')\n": 'import of "os" is not allowed',
        "import socket\n": 'import of "socket" is not allowed',
        "import subprocess\n": 'import of "subprocess" is not allowed',
        "print(open('/etc/passwd').read())\n": '"open" is not available',
        "exec('print(1)')\n": '"exec" is not available',
        "print(().__class__.__mro__)\n": '".__class__"',
        "import typing\nprint(typing.sys.modules)\n": '".sys": reaching other modules',
    }
    for code, reason in attempts.items():
        result = await runner.run(RunRequest(language="python", code=code, tests=[TestCase(stdin="")]))
        assert result.verdict == "rejected" and reason in (result.error or ""), (code, result.error)


async def test_compiler_bomb_is_stopped(runner: CodeRunner) -> None:
    code = "#include </dev/zero>\nint main() {}\n"
    limits = RunLimits(compile_time_s=2.0)
    started = time.monotonic()
    result = await runner.run(
        RunRequest(language="cpp", code=code, tests=[TestCase(stdin="")], limits=limits)
    )
    assert time.monotonic() - started < MAX_SECONDS
    assert result.verdict == "compilation_error"
    assert result.compile_cache_hit is False


async def test_runner_still_works_after_the_battery(runner: CodeRunner, runner_root: Path) -> None:
    programs = {
        "python": "print(int(input()) * 2)\n",
        "javascript": "console.log(Number(require('fs').readFileSync(0, 'utf8')) * 2);\n",
        "java": "public class Main { public static void main(String[] a) { System.out.println(new java.util.Scanner(System.in).nextInt() * 2); } }\n",
        "cpp": "#include <iostream>\nint main() { int x; std::cin >> x; std::cout << x * 2 << std::endl; }\n",
    }
    for language, code in programs.items():
        result = await runner.run(
            RunRequest(language=language, code=code, tests=[TestCase(stdin="21\n", expected_stdout="42")])  # type: ignore[arg-type]
        )
        assert result.verdict == "accepted", (language, result.test_results)
    await assert_no_strays()
    assert list((runner_root / "work").iterdir()) == []  # every task folder was removed
    assert os.getpid() > 0  # the worker (this process) is alive


async def test_visible_tests_cannot_see_hidden_inputs(runner: CodeRunner) -> None:
    """A program dumping everything it can read during a sample test finds no hidden input."""
    code = (
        "const fs = require('fs');\n"
        "for (const dir of ['/tests', '/tests/stdin', '/task']) {\n"
        "  for (const name of fs.readdirSync(dir)) {\n"
        "    const path = `${dir}/${name}`;\n"
        "    if (fs.statSync(path).isFile()) console.log(path, fs.readFileSync(path, 'utf8'));\n"
        "  }\n"
        "}\n"
    )
    hidden_input = f"hidden-{MARK}"
    result = await runner.run(
        RunRequest(
            language="javascript",
            code=code,
            tests=[TestCase(stdin="visible input\n"), TestCase(stdin=hidden_input, hidden=True)],
        )
    )
    visible = result.test_results[0]
    assert "visible input" in (visible.actual or "")
    assert hidden_input not in result.model_dump_json()


async def test_cancelling_a_run_kills_its_sandbox(runner: CodeRunner) -> None:
    request = RunRequest(language="cpp", code=PROGRAMS["fork_bomb"]["cpp"], tests=[TestCase(stdin="")])
    task = asyncio.create_task(runner.run(request))
    await asyncio.sleep(1.5)  # compiled (or cached) and forking by now
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await assert_no_strays()


async def test_missing_toolchain_is_an_internal_error(runner_config, tmp_path) -> None:
    config = RunnerConfig(**{**runner_config.__dict__, "node_path": str(tmp_path / "no-node")})
    result = await CodeRunner(config).run(
        RunRequest(language="javascript", code="console.log(1)", tests=[TestCase(stdin="")])
    )
    assert result.verdict == "internal_error" and "toolchain is not installed" in (result.error or "")

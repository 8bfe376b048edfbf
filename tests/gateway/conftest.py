"""One real platform (nats-server, agent, tools, gateway as processes) shared by the gateway's fuzz tests.

The fuzzers are synchronous (schemathesis calls with `requests`, the socket fuzzer with the `websockets`
sync client), so the platform's supervisor runs its own event loop in a background thread: the
children's logs are read all the time, and nothing the tests do blocks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deploy.local_platform import LocalPlatform, default_services, free_port
from tests.threaded_platform import ThreadedPlatform

SERVICES = ("agent", "tools", "gateway")

# A log line that means a request, a socket or a message ended in an unhandled exception.
CRASH_MARKERS = ("Traceback (most recent call last)", "Exception in ASGI application")


class FuzzPlatform(ThreadedPlatform):
    def __init__(self, data_dir: Path) -> None:
        lines: list[str] = []
        runner = LocalPlatform(
            data_dir=data_dir,
            http_port=free_port(),
            nats_port=free_port(),
            env={"PREPAI_LLM_PROVIDER": "scripted"},
            services=default_services(),
            log=lines.append,
            ready_timeout_s=60,
        )
        super().__init__(runner, lines)
        self.http = httpx.Client(base_url=self.runner.base_url, timeout=30)
        self.pids: dict[str, list[int]] = {}

    @property
    def base_url(self) -> str:
        return self.runner.base_url

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.runner.http_port}"

    def start(self) -> None:  # type: ignore[override]
        super().start(120)
        self.pids = {name: self.runner.pids(name) for name in SERVICES}

    def close(self) -> None:
        self.http.close()
        super().close()

    def new_session(self, name: str = "Ada Fuzz", interview_type: str = "coding") -> str:
        response = self.http.post(
            "/api/sessions", json={"interview_type": interview_type, "candidate_name": name}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["session_id"])

    def assert_platform_intact(self) -> None:
        """Healthy, every service the very process that started (no crash, no restart), and no unhandled
        exception in any service's log."""
        assert self.http.get("/health").status_code == 200
        for name in SERVICES:
            assert self.runner.pids(name) == self.pids[name], f"the {name} process was replaced"
            assert self.runner.restarts(name) == 0
        log = list(self.lines)
        crashes = [i for i, line in enumerate(log) if any(m in line for m in CRASH_MARKERS)]
        assert not crashes, "\n".join(log[crashes[0] : crashes[0] + 40])


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzPlatform]:
    p = FuzzPlatform(tmp_path_factory.mktemp("fuzz-platform"))
    p.start()
    try:
        yield p
    finally:
        p.close()

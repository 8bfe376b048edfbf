"""The whole platform (`deploy.local_platform.LocalPlatform`) on its own event loop in a background thread,
for tests that drive it from synchronous code (Playwright's sync API, the fuzzers)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from deploy.local_platform import LocalPlatform

T = TypeVar("T")


class ThreadedPlatform:
    def __init__(self, runner: LocalPlatform, lines: list[str]) -> None:
        self.runner = runner
        self.lines = lines  # the platform's log, as the runner writes it
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="platform", daemon=True)

    def run(self, coro: Coroutine[Any, Any, T], timeout_s: float) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout_s)

    def start(self, timeout_s: float, *, log_lines_on_failure: int = 60) -> None:
        self._thread.start()
        try:
            self.run(self.runner.start(), timeout_s)
        except BaseException:
            print("\n".join(self.lines[-log_lines_on_failure:]))
            self.close()
            raise

    def close(self) -> None:
        if self._thread.is_alive():
            try:
                self.run(self.runner.stop(), 60)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(10)
        self._loop.close()

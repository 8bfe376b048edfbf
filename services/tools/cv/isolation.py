"""`IsolatedCvParser`: analyze_cv in a throw-away child process, so a hostile file can neither hang nor
crash the worker.

Children are forked from a multiprocessing forkserver that has preloaded the parsers and the taxonomy
(services/tools/cv/child.py), so a child starts in milliseconds. Each child runs in its own process group
with an address-space rlimit (a decompression bomb ends in MemoryError, not in the OOM killer), a CPU-time
rlimit, a file-size rlimit, no core dumps and a stripped environment; past the wall-clock timeout its whole
group (tesseract included) is killed. Cheap checks (empty, too large, unknown type) run in the caller
first, so most bad uploads never start a child. Concurrency is the caller's choice: one child per call.

The forkserver itself is one per process (the standard library keeps it); `IsolatedCvParser.start()`
configures and starts it, so the first upload pays no start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any

from services.tools.cv.detect import check_size, detect_file_type
from services.tools.cv.errors import CvError
from services.tools.cv.limits import DEFAULT_LIMITS, CvLimits
from shared.cv import CvAnalysis

_CHILD_MODULE = "services.tools.cv.child"
_JOIN_TIMEOUT_S = 5.0


def _fork_context() -> ForkServerContext:
    """The forkserver context with the child module preloaded (the preload must be set before the
    process's forkserver starts; setting it again to the same module is harmless)."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload([_CHILD_MODULE])
    return context


class IsolatedCvParser:
    """Parses CVs in child processes bounded by `limits` (time, memory); the tools service's CV adapter.

    `textract=True` makes the child build a boto3 Textract client from the AWS_* environment (region,
    credentials or profile) and use it instead of tesseract for scanned pages.
    """

    def __init__(self, *, limits: CvLimits = DEFAULT_LIMITS, textract: bool = False) -> None:
        self.limits = limits
        self.textract = textract

    def start(self) -> None:
        """Start the forkserver now (about 1 s: it imports the parsers), not on the first upload."""
        _fork_context()
        from multiprocessing import forkserver

        forkserver.ensure_running()

    async def analyze(self, filename: str, data: bytes, *, today: date | None = None) -> CvAnalysis:
        """Like analyze_cv, in a child process; every failure is a CvError (4xx)."""
        check_size(data, self.limits)
        detect_file_type(filename, data)
        request = {
            "filename": filename,
            "data": data,
            "limits": self.limits.model_dump(),
            "textract": self.textract,
            "today": (today or date.today()).isoformat(),
        }
        reply = await run_in_child(_run_in_child, request, self.limits.parse_timeout_s)
        if "analysis" in reply:
            return CvAnalysis.model_validate(reply["analysis"])
        raise CvError.from_dict(reply["error"])


async def run_in_child(
    target: Callable[[Connection, dict[str, Any]], None], request: dict[str, Any], timeout_s: float
) -> dict[str, Any]:
    """Run target(connection, request) in a forked child and return the dict it sends back.

    Raises CvError when the child does not answer within timeout_s (it is killed with its process
    group) or dies without answering (a crash in a parser's C code, an rlimit signal).
    """
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(sender, request), daemon=True)
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, process.start)  # hands the request to the forkserver
        sender.close()
        reply = await loop.run_in_executor(None, _receive, receiver, timeout_s)
    finally:
        receiver.close()
        await loop.run_in_executor(None, _kill, process)  # reaps it; only kills one still running
    if reply is _TIMED_OUT:
        raise CvError(
            "parse_timeout", f"Reading the document took longer than {timeout_s:g} s; it was abandoned.", 422
        )
    if not isinstance(reply, dict):
        raise crash_error(process.exitcode)
    return reply


_TIMED_OUT = object()


def _run_in_child(connection: Connection, request: dict[str, Any]) -> None:
    # Imported here so the worker itself never loads the parsers; the forkserver has them preloaded.
    from services.tools.cv import child

    child.run(connection, request)


def _receive(connection: Connection, timeout_s: float) -> Any:
    """The child's reply, _TIMED_OUT, or None when the child died without replying."""
    try:
        if not connection.poll(timeout_s):
            return _TIMED_OUT
        return connection.recv()
    except (EOFError, OSError):
        return None


def _kill(process: BaseProcess) -> None:
    if process.pid is not None and process.exitcode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # the child called setsid(): its group is its pid
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    if process.pid is not None:
        process.join(_JOIN_TIMEOUT_S)


def crash_error(exitcode: int | None) -> CvError:
    """The error for a child that ended without a reply (exit code, or minus the killing signal)."""
    if exitcode == -signal.SIGXCPU:
        return CvError("parse_timeout", "Reading the document used more CPU time than allowed.", 422)
    if exitcode == -signal.SIGKILL:
        return CvError(
            "file_too_complex", "The document needs more memory or time than allowed to read.", 422
        )
    return CvError(
        "parse_failed", f"The document could not be read (the parser stopped with code {exitcode}).", 422
    )

"""Runs a Python submission's tests inside the sandbox, all in this one process.

Copied into the task folder and started as `python3 -I -S -B /task/python_harness.py FD START`.
It reads /tests/request.json and /task/solution.py, runs tests START.. in order, and writes one
JSON line per event to fd FD: `start` before a test, `result` after it, `fatal` when the code
cannot even load. Expected answers are not here: the worker compares.

The code runs with builtins that lack open/exec/eval/compile/globals/vars, an `__import__` that
only knows the allowed modules, and a small `sys` stand-in. That is a policy for honest code (the
worker already refused such code at compile time); the sandbox around this process is what
contains everything else.

Per-test limits: ITIMER_PROF (CPU) and ITIMER_REAL (wall) raise TimeLimitExceeded in the code; if
the code swallows it twice, the harness reports the timeout itself and exits (the worker starts a
new harness for the next test). Code stuck in C (no bytecode boundary) is killed from outside.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import io
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar, NoReturn

SOURCE_NAME = "solution.py"
TASK_DIR = "/task"  # the code and this harness
TESTS_DIR = "/tests"  # request.json and the stdin files of this session's tests
MAX_DEPTH = 200  # nesting of a returned value that can still be compared
MAX_RECURSION_LIMIT = 1_000_000
STDERR_CAP = 64 * 1024
FUNCTION_STDOUT_REPORT = 64 * 1024  # function style: printed output is only shown, not compared
EXIT_GAVE_UP = 3  # the code swallowed the time limit; the worker moves on to the next test
ESCALATION_S = 0.25
HIDDEN_BUILTINS = frozenset(
    {
        "open",
        "exec",
        "eval",
        "compile",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "help",
        "exit",
        "quit",
        "copyright",
        "credits",
        "license",
        "__import__",
        "__loader__",
        "__spec__",
    }
)
# Dunder names that getattr() may still reach: operators and protocols, nothing that leads to
# classes' internals, frames, globals or builtins.
SAFE_DUNDERS = frozenset(
    {
        *("__init__", "__post_init__", "__name__", "__qualname__", "__doc__", "__repr__", "__str__"),
        *("__len__", "__iter__", "__next__", "__contains__", "__getitem__", "__setitem__", "__delitem__"),
        *("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__hash__", "__bool__", "__call__"),
        *("__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__pow__"),
        *("__neg__", "__abs__", "__enter__", "__exit__"),
    }
)


# Attributes through which an allowed module reaches others (the policy refuses them as well).
MODULE_ATTRIBUTES = frozenset(
    {
        *("sys", "_sys", "os", "_os", "modules", "builtins", "_builtins", "subprocess", "socket"),
        *("importlib", "_imp", "threading", "_thread", "signal", "_signal", "posix", "io", "_io"),
    }
)


class TimeLimitExceeded(BaseException):
    """Raised into the code by the timers. BaseException: `except Exception` must not eat it."""


class OutputLimitExceeded(BaseException):
    pass


class Channel:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def emit(self, event: dict[str, Any]) -> None:
        data = (json.dumps(event, ensure_ascii=False, allow_nan=True, default=repr) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


class Clock:
    """The per-test timers. Signals only raise while `armed` (i.e. while the code runs)."""

    def __init__(self, cpu_s: float, wall_s: float, on_give_up: Callable[[], NoReturn]) -> None:
        self.cpu_s = cpu_s
        self.wall_s = wall_s
        self.armed = False
        self.strikes = 0
        self.on_give_up = on_give_up
        signal.signal(signal.SIGPROF, self._fire)
        signal.signal(signal.SIGALRM, self._fire)

    def _fire(self, _signum: int, _frame: object) -> None:
        if not self.armed:
            return
        self.strikes += 1
        if self.strikes >= 3:
            self.armed = False
            self.on_give_up()
        signal.setitimer(signal.ITIMER_REAL, ESCALATION_S)
        raise TimeLimitExceeded

    def arm(self) -> None:
        # Code stuck inside C never reaches a bytecode boundary, so these signals cannot stop it;
        # the worker kills the sandbox when a test overruns its wall limit.
        self.strikes = 0
        self.armed = True
        signal.setitimer(signal.ITIMER_PROF, self.cpu_s)
        signal.setitimer(signal.ITIMER_REAL, self.wall_s)

    def disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)


class CappedSink(io.RawIOBase):
    """Collects what the code prints; past the cap every write raises OutputLimitExceeded."""

    def __init__(self, cap: int, strict: bool = True) -> None:
        super().__init__()
        self.cap = cap
        self.strict = strict
        self.parts: list[bytes] = []
        self.size = 0
        self.overflowed = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self.size + len(chunk) > self.cap:
            self.overflowed = True
            if self.strict:
                raise OutputLimitExceeded
            chunk = chunk[: max(self.cap - self.size, 0)]
        self.parts.append(chunk)
        self.size += len(chunk)
        return len(data)

    def text(self, limit: int | None = None) -> str:
        data = b"".join(self.parts)
        return (data if limit is None else data[:limit]).decode("utf-8", errors="replace")


def text_stream(sink: CappedSink) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(sink, 8192), encoding="utf-8", errors="replace", newline="\n")


class SandboxSys:
    """What `import sys` gives the code: streams, recursion limit, sizes; no modules, no path."""

    argv: ClassVar[list[str]] = [SOURCE_NAME]
    maxsize = sys.maxsize
    float_info = sys.float_info
    int_info = sys.int_info
    version = sys.version
    version_info = sys.version_info
    byteorder = sys.byteorder
    getsizeof = staticmethod(sys.getsizeof)
    intern = staticmethod(sys.intern)
    getrecursionlimit = staticmethod(sys.getrecursionlimit)
    get_int_max_str_digits = staticmethod(sys.get_int_max_str_digits)
    set_int_max_str_digits = staticmethod(sys.set_int_max_str_digits)

    @property
    def stdin(self) -> Any:
        return sys.stdin

    @property
    def stdout(self) -> Any:
        return sys.stdout

    @property
    def stderr(self) -> Any:
        return sys.stderr

    @staticmethod
    def setrecursionlimit(limit: int) -> None:
        sys.setrecursionlimit(max(100, min(int(limit), MAX_RECURSION_LIMIT)))

    @staticmethod
    def exit(code: object = None) -> NoReturn:
        raise SystemExit(code)


def guarded_import_factory(allowed: frozenset[str], sandbox_sys: SandboxSys) -> Callable[..., Any]:
    real_import = builtins.__import__

    def guarded_import(
        name: str,
        globals: dict[str, Any] | None = None,
        locals: dict[str, Any] | None = None,
        fromlist: tuple[str, ...] = (),
        level: int = 0,
    ) -> Any:
        top = name.partition(".")[0]
        if level != 0 or top not in allowed:
            raise ImportError(
                f"import of '{name}' is not allowed here; allowed modules: {', '.join(sorted(allowed))}"
            )
        if top == "sys":
            return sandbox_sys
        return real_import(name, globals, locals, fromlist, level)

    return guarded_import


def refuse_dunder(name: object) -> None:
    if not isinstance(name, str):
        return
    if (name.startswith("__") and name not in SAFE_DUNDERS) or name in MODULE_ATTRIBUTES:
        raise AttributeError(f"access to '{name}' is not allowed")


def safe_getattr(obj: object, name: str, *default: Any) -> Any:
    refuse_dunder(name)
    return getattr(obj, name, *default)


def safe_hasattr(obj: object, name: str) -> bool:
    refuse_dunder(name)
    return hasattr(obj, name)


def safe_setattr(obj: object, name: str, value: Any) -> None:
    refuse_dunder(name)
    setattr(obj, name, value)


def safe_delattr(obj: object, name: str) -> None:
    refuse_dunder(name)
    delattr(obj, name)


def leave(code: object = None) -> NoReturn:
    """exit() and quit(): the site module that normally defines them is not loaded."""
    raise SystemExit(code)


def make_builtins(allowed: frozenset[str]) -> dict[str, Any]:
    table = {name: value for name, value in vars(builtins).items() if name not in HIDDEN_BUILTINS}
    table.update(
        exit=leave,
        quit=leave,
        getattr=safe_getattr,
        hasattr=safe_hasattr,
        setattr=safe_setattr,
        delattr=safe_delattr,
        __import__=guarded_import_factory(allowed, SandboxSys()),
    )
    return table


# ---------------------------------------------------------------------------------- errors


def describe_error(error: BaseException) -> dict[str, Any]:
    """The exception as `Type: message`, the line in solution.py, and the solution's frames."""
    line: int | None = None
    frames: list[str] = []
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename == SOURCE_NAME:
            line = trace.tb_lineno
            frames.append(f"line {trace.tb_lineno}, in {code.co_name}")
        trace = trace.tb_next
    if isinstance(error, SyntaxError) and error.filename == SOURCE_NAME:
        line = error.lineno
    message = str(error)
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return {"type": type(error).__name__, "message": text[:2000], "line": line, "trace": frames[-20:]}


# ---------------------------------------------------------------------------------- values


def to_jsonable(value: Any, depth: int = 0) -> Any:
    """The return value as JSON: tuples and deques become lists, sets sorted lists, keys strings."""
    if depth > MAX_DEPTH:
        raise ValueError(f"the returned value is nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) or type(value).__name__ == "deque":
        return [to_jsonable(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {json_key(key): to_jsonable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [to_jsonable(item, depth + 1) for item in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return repr(value)


def json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


# ---------------------------------------------------------------------------------- memory


def reset_peak_memory() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # 5: reset the peak resident set size (VmHWM)
    except OSError:
        pass


def peak_memory_kb() -> int:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def reap_strays() -> None:
    """As the PID namespace's init, kill and reap whatever the code forked."""
    for _ in range(5000):
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # nothing left (the usual case: one failed syscall each)
        if pid == 0:
            time.sleep(0.001)  # killed processes still exiting


# ---------------------------------------------------------------------------------- running


class Harness:
    def __init__(self, channel: Channel, request: dict[str, Any]) -> None:
        self.channel = channel
        self.request = request
        self.allowed = frozenset(request["allowed_modules"])
        self.builtins = make_builtins(self.allowed)
        self.max_output = int(request["max_output_bytes"])
        self.current_index: int | None = None
        self.clock = Clock(float(request["cpu_time_s"]), float(request["wall_time_s"]), self.give_up)
        self.streams_in_use: tuple[Any, Any, Any] = (sys.stdin, sys.stdout, sys.stderr)

    def give_up(self) -> NoReturn:
        """The code swallowed TimeLimitExceeded: report the timeout and leave."""
        if self.current_index is not None:
            self.channel.emit(
                {"event": "result", "index": self.current_index, "status": "timeout", "gave_up": True}
            )
        os._exit(EXIT_GAVE_UP)

    def fresh_globals(self, name: str) -> dict[str, Any]:
        return {"__builtins__": self.builtins, "__name__": name, "__doc__": None}

    def guarded(self, thunk: Callable[[], Any]) -> tuple[str, Any]:
        """Run code under the clock: ("ok", value) or (status, error description)."""
        try:
            try:
                self.clock.arm()
                value = thunk()
            finally:
                self.clock.disarm()
            return "ok", value
        except TimeLimitExceeded:
            self.clock.disarm()
            return "timeout", None
        except MemoryError:
            self.clock.disarm()
            return "memory", {"type": "MemoryError", "message": "MemoryError", "line": None, "trace": []}
        except OutputLimitExceeded:
            self.clock.disarm()
            return "output_limit", None
        except SystemExit as error:
            self.clock.disarm()
            return "exit", error.code
        except BaseException as error:
            self.clock.disarm()
            return "runtime_error", describe_error(error)

    def redirect(self, stdin_data: bytes, stdout_cap: int) -> tuple[CappedSink, CappedSink]:
        out_sink = CappedSink(stdout_cap)
        err_sink = CappedSink(STDERR_CAP, strict=False)
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin_data), encoding="utf-8", errors="replace")
        sys.stdout = text_stream(out_sink)
        sys.stderr = text_stream(err_sink)
        return out_sink, err_sink

    def restore(self) -> tuple[str, Any]:
        """Flush the code's streams; the flush itself may still overflow the cap."""
        status: tuple[str, Any] = ("ok", None)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OutputLimitExceeded:
                status = ("output_limit", None)
            except (OSError, ValueError):
                pass
        sys.stdin, sys.stdout, sys.stderr = self.streams_in_use
        return status

    def run(self, start: int) -> None:
        source = read_text(f"{TASK_DIR}/{SOURCE_NAME}")
        try:
            code = compile(source, SOURCE_NAME, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            self.channel.emit({"event": "fatal", "status": "compile_error", "error": describe_error(error)})
            return
        tests = [test for test in self.request["tests"] if int(test["index"]) >= start]
        if self.request["mode"] == "function":
            self.run_functions(code, tests)
        else:
            self.run_programs(code, tests)

    # ------------------------------------------------------------ function style
    def run_functions(self, code: Any, tests: list[dict[str, Any]]) -> None:
        namespace = self.fresh_globals("solution")
        self.redirect(b"", FUNCTION_STDOUT_REPORT * 16)
        status, detail = self.guarded(lambda: exec(code, namespace))
        flushed = self.restore()
        if status == "ok" and flushed[0] != "ok":
            status, detail = flushed
        if status != "ok":
            self.channel.emit({"event": "fatal", "status": status, "error": self.as_error(status, detail)})
            return
        try:
            function = resolve_function(namespace, str(self.request["function_name"]))
        except LookupError as error:
            self.channel.emit(
                {"event": "fatal", "status": "runtime_error", "error": {"message": str(error), "line": None}}
            )
            return
        for test in tests:
            self.run_function_test(function, test)

    def run_function_test(self, function: Callable[..., Any], test: dict[str, Any]) -> None:
        index = int(test["index"])
        self.current_index = index
        self.channel.emit({"event": "start", "index": index})
        value = test["args"]
        out_sink, err_sink = self.redirect(b"", self.max_output)
        reset_peak_memory()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        status, detail = self.guarded(lambda: function(*call_arguments(function, value)))
        cpu_ms = (time.process_time() - cpu_start) * 1000
        wall_ms = (time.perf_counter() - wall_start) * 1000
        flushed = self.restore()
        event: dict[str, Any] = {"event": "result", "index": index}
        if status == "ok":
            status, detail = flushed if flushed[0] != "ok" else self.encode_value(detail, event)
        if status == "exit":
            status, detail = (
                "runtime_error",
                {"message": f"the function called exit({detail!r})", "line": None},
            )
        event.update(
            status=status,
            error=self.as_error(status, detail),
            stdout=out_sink.text(FUNCTION_STDOUT_REPORT),
            stdout_bytes=out_sink.size,
            stderr=err_sink.text(),
            cpu_ms=round(cpu_ms, 3),
            wall_ms=round(wall_ms, 3),
            rss_kb=peak_memory_kb(),
        )
        self.finish(event)

    def encode_value(self, value: Any, event: dict[str, Any]) -> tuple[str, Any]:
        try:
            actual = to_jsonable(value)
            size = len(json.dumps(actual, ensure_ascii=False, allow_nan=True))
        except MemoryError:
            return "memory", None
        except (ValueError, RecursionError) as error:
            return "runtime_error", {"message": str(error), "line": None}
        if size > self.max_output:
            return "output_limit", None
        event["actual"] = actual
        event["actual_is_repr"] = isinstance(actual, str) and not isinstance(value, (str, bytes, bytearray))
        return "ok", None

    # ------------------------------------------------------------ stdin style
    def run_programs(self, code: Any, tests: list[dict[str, Any]]) -> None:
        for test in tests:
            index = int(test["index"])
            self.current_index = index
            self.channel.emit({"event": "start", "index": index})
            stdin_data = read_bytes(f"{TESTS_DIR}/{test['stdin_file']}")
            out_sink, err_sink = self.redirect(stdin_data, self.max_output)
            namespace = self.fresh_globals("__main__")
            reset_peak_memory()
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            status, detail = self.guarded(functools.partial(exec, code, namespace))
            cpu_ms = (time.process_time() - cpu_start) * 1000
            wall_ms = (time.perf_counter() - wall_start) * 1000
            flushed = self.restore()
            if status in ("ok", "exit") and flushed[0] != "ok":
                status, detail = flushed
            if status == "exit":
                status, detail = exit_status(detail)
            self.finish(
                {
                    "event": "result",
                    "index": index,
                    "status": status,
                    "error": self.as_error(status, detail),
                    "stdout": out_sink.text(),
                    "stdout_bytes": out_sink.size,
                    "stderr": err_sink.text(),
                    "cpu_ms": round(cpu_ms, 3),
                    "wall_ms": round(wall_ms, 3),
                    "rss_kb": peak_memory_kb(),
                }
            )

    def finish(self, event: dict[str, Any]) -> None:
        self.current_index = None
        reap_strays()
        self.channel.emit(event)

    @staticmethod
    def as_error(status: str, detail: Any) -> dict[str, Any] | None:
        if status in ("runtime_error", "memory", "compile_error") and isinstance(detail, dict):
            return detail
        return None


def exit_status(code: object) -> tuple[str, Any]:
    if code is None or code == 0:
        return "ok", None
    if isinstance(code, int):
        return "runtime_error", {"message": f"the program exited with status {code}", "line": None}
    return "runtime_error", {"message": f"the program exited: {str(code)[:500]}", "line": None}


def resolve_function(namespace: dict[str, Any], name: str) -> Callable[..., Any]:
    """`solution`, or `Class.method` on a fresh instance, or a method of a class named Solution."""
    owner_name, _, method = name.rpartition(".")
    if owner_name:
        owner = namespace.get(owner_name)
        if isinstance(owner, type) and callable(getattr(owner, method, None)):
            return getattr(owner(), method)  # type: ignore[no-any-return]
        raise LookupError(f"'{name}' is not defined: define class {owner_name} with a method {method}")
    candidate = namespace.get(name)
    if callable(candidate):
        return candidate  # type: ignore[no-any-return]
    solution_class = namespace.get("Solution")
    if isinstance(solution_class, type) and callable(getattr(solution_class, name, None)):
        return getattr(solution_class(), name)  # type: ignore[no-any-return]
    raise LookupError(f"function '{name}' is not defined")


def arity(function: Callable[..., Any]) -> tuple[int, int, bool]:
    """(positional parameters, required ones, takes *args) of a function or bound method."""
    target = getattr(function, "__func__", function)
    code = getattr(target, "__code__", None)
    if code is None:  # a builtin or a callable object: treat it as taking one value
        return 1, 1, False
    bound = 1 if hasattr(function, "__self__") and hasattr(function, "__func__") else 0
    positional = code.co_argcount - bound
    defaults = len(getattr(target, "__defaults__", None) or ())
    return positional, max(positional - defaults, 0), bool(code.co_flags & 0x04)


def call_arguments(function: Callable[..., Any], value: Any) -> list[Any]:
    """The documented rule: a list whose length fits the parameters is spread over them;
    otherwise a one-parameter function gets the whole value; otherwise a list is spread anyway."""
    positional, required, varargs = arity(function)
    if isinstance(value, list) and required <= len(value) and (len(value) <= positional or varargs):
        return value
    if positional == 1:
        return [value]
    return value if isinstance(value, list) else [value]


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def main() -> None:
    fd = int(sys.argv[1])
    start = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.set_inheritable(fd, False)
    channel = Channel(fd)
    with open(f"{TESTS_DIR}/request.json", encoding="utf-8") as handle:
        request = json.load(handle)
    Harness(channel, request).run(start)


if __name__ == "__main__":
    main()

"""The coding round: what the interviewer says about a run of the candidate's code, and when it says nothing.

A run is a natural moment to talk: the reaction follows the run's verdict (all tests pass: the complexity
is asked; a failing visible test is named without giving the answer away; a timeout is pointed at the
problem's target complexity; a compile error is quoted), and after every second failed run a graded hint of
the question is given. While the candidate codes, speech that asks for nothing (thinking aloud, a mutter, a
noise the STT took for words) gets no reply at all: an interviewer who talks into a silent coding stretch
breaks the candidate's concentration.
"""

from __future__ import annotations

import json
import re
from typing import Any

from shared.events import CodeRun

MAX_SHOWN_CHARS = 80  # an input or output longer than this is cut: it is read out, not pasted
COMPLEXITY_QUESTION = "What are the time and space complexity of your solution?"
_HINT_EVERY = 2  # failed runs between two unasked hints
# Speech that ends the candidate's attempt at the problem: the interview moves on even without a passing run.
_DONE_RE = re.compile(
    r"\b(i'?m|i am|we'?re) (done|finished)\b|\bmove on\b|\bnext (question|problem|one)\b"
    r"|\bthat'?s (my|the) (solution|answer|code)\b|\bgive up\b|\bi'?m (happy|ok|okay) with (it|this|that)\b",
    re.IGNORECASE,
)


# A lone filler while coding is thinking, not being stuck (elsewhere "hmm" as a whole answer is).
_FILLER_RE = re.compile(r"^\s*((um+|uh+|hmm+|mm+|okay|ok|so|right|well|let'?s see)[.,!\s]*)+$", re.IGNORECASE)


def is_filler(text: str) -> bool:
    return bool(_FILLER_RE.match(text))


def says_done(text: str) -> bool:
    """The candidate says they have finished (or given up on) the problem."""
    return bool(_DONE_RE.search(text))


def shown(value: Any) -> str:
    """A test's input or output as the interviewer says it: compact JSON, cut when long."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "))
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "..."


def first_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return shown(lines[0]) if lines else ""


def last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return shown(lines[-1]) if lines else ""


def run_feedback(run: CodeRun, *, solved_before: bool) -> str:
    """What the run's result means for the candidate, in the interviewer's words; never the solution."""
    count = f"{run.passed} of {run.total} tests pass"
    if run.verdict == "accepted":
        if solved_before:
            return f"All {run.total} tests still pass."
        return f"All {run.total} tests pass, hidden ones included. {COMPLEXITY_QUESTION}"
    if run.verdict == "compilation_error":
        detail = first_line(run.compile_output) or first_line(run.error)
        return f"It doesn't compile yet{': ' + detail if detail else ''}. Fix that and run it again."
    if run.verdict == "time_limit_exceeded":
        target = f" Can you get it down to {run.target_time} time?" if run.target_time else ""
        return f"{count}, but it's too slow on the larger tests.{target}"
    if run.verdict == "memory_limit_exceeded":
        return f"{count}, but it runs out of memory on the larger tests. What is taking the space?"
    if run.verdict == "runtime_error":
        return _crash(run, count)
    if run.verdict == "wrong_answer":
        return _wrong(run, count)
    return f"That run didn't finish: {run.verdict_label}. Have a look and run it again."


def _crash(run: CodeRun, count: str) -> str:
    failed = run.failed_test
    error = last_line(failed.error if failed else None) or last_line(run.error)
    where = f" on the input {shown(failed.input)}" if failed is not None else ""
    return f"{count}; it crashes{where}{': ' + error if error else ''}."


def _wrong(run: CodeRun, count: str) -> str:
    failed = run.failed_test
    if failed is None:  # only hidden tests fail: say what kind of case to look for, not the case
        return f"{count}. The examples pass, but some hidden tests fail: think about edge cases and larger inputs."
    return (
        f"{count}. For the input {shown(failed.input)} the expected answer is {shown(failed.expected)}, "
        f"but your code returned {shown(failed.actual)}."
    )


def hint_due(failed_runs: int) -> bool:
    """After repeated failures a hint comes unasked: on every second failed run."""
    return failed_runs > 0 and failed_runs % _HINT_EVERY == 0

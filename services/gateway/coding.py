"""The coding round on the gateway: the problem the interviewer hands out, and the candidate's runs of it
told to the interviewer as turns.

A run reaches the interviewer from `POST /api/code/execute` (with the session and the problem handed out)
and, if the client sends it, from the socket's `code_run` message: both publish the same turn,
`run-{submission id}`, so JetStream's Msg-Id de-duplication (and the agent's record of handled turns) makes
it one turn whichever arrives first.
"""

from __future__ import annotations

import logging
import re

from services.gateway.bus import ToolCallFailed
from services.gateway.deps import Deps
from services.gateway.protocol import ClientError, ProblemPayload
from shared import subjects
from shared.events import CodeRun, FailedTest, UserTurn
from shared.sessions import SessionNotFound, SessionRecord
from shared.storage import ObjectNotFound, read_model
from shared.tools_api import CodeSubmission, ProblemDetail, ProblemRef, ProblemView, submission_key

log = logging.getLogger(__name__)

PROBLEM_TIMEOUT_S = 10.0
MAX_COMPILE_OUTPUT_CHARS = 500  # the interviewer quotes its first line; the rest stays in the submission
# Submission ids are the tools service's uuid4 hex; anything else (a path, a wildcard) names no submission.
SUBMISSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def run_turn_id(submission_id: str) -> str:
    """One turn per run, whoever tells the interviewer of it."""
    return f"run-{submission_id}"


async def problem_view(deps: Deps, problem_id: str) -> ProblemView:
    detail = await deps.bus.call_tool(
        subjects.TOOLS_PROBLEMS_GET, ProblemRef(problem_id=problem_id), ProblemDetail, PROBLEM_TIMEOUT_S
    )
    return detail.problem


async def problem_payload(deps: Deps, problem_id: str) -> ProblemPayload:
    """The problem as the socket's `problem` event carries it: no hidden tests, no solutions, no hint texts."""
    return ProblemPayload.from_view(await problem_view(deps, problem_id))


def _failed_test(submission: CodeSubmission) -> FailedTest | None:
    """The first failing test the candidate can see; a hidden one is never shown."""
    for test in submission.test_results:
        if not test.passed and not test.hidden:
            return FailedTest(input=test.input, expected=test.expected, actual=test.actual, error=test.error)
    return None


def code_run(submission: CodeSubmission, problem: ProblemView) -> CodeRun:
    return CodeRun(
        submission_id=submission.submission_id,
        problem_id=problem.id,
        language=submission.language,
        verdict=submission.verdict,
        verdict_label=submission.verdict_label,
        passed=submission.passed_count,
        total=submission.total,
        failed_test=_failed_test(submission),
        compile_output=(submission.compile_output or "")[:MAX_COMPILE_OUTPUT_CHARS] or None,
        target_time=problem.target_complexity.time,
    )


def speaks(session: SessionRecord) -> bool:
    """Is a voice client listening? The run's reply is spoken when the interviewer's last reply was."""
    for entry in reversed(session.transcript):
        if entry.role == "assistant":
            return entry.source == "voice"
    return False


def check_run(session: SessionRecord, submission: CodeSubmission) -> str:
    """The problem a run is for, when the interviewer should hear of it; a ClientError says why not."""
    if session.status == "ended":
        raise ClientError("session_ended", "This interview has ended; the run is stored but not discussed.")
    handed_out = session.handed_out_problem()
    if handed_out is None:
        raise ClientError(
            "no_problem", "The interviewer has not handed out a coding problem yet; the run is stored only."
        )
    if submission.problem_id != handed_out:
        raise ClientError(
            "not_the_problem",
            f"Submission {submission.submission_id!r} did not run the tests of the problem handed out "
            f"({handed_out!r}); run it with problemId {handed_out!r}.",
        )
    return handed_out


async def run_turn(deps: Deps, session: SessionRecord, submission: CodeSubmission) -> UserTurn:
    """The turn that tells the interviewer of a run (ClientError if the run is not one to discuss)."""
    problem_id = check_run(session, submission)
    try:
        problem = await problem_view(deps, problem_id)
    except ToolCallFailed as err:
        raise ClientError(
            "run_not_accepted", f"The run could not be passed on: {err.error.message}"
        ) from None
    return UserTurn(
        session_id=session.session_id,
        turn_id=run_turn_id(submission.submission_id),
        kind="code_run",
        speak=speaks(session),
        code_run=code_run(submission, problem),
    )


async def stored_submission(deps: Deps, session_id: str, submission_id: str) -> CodeSubmission:
    """One of this session's runs; another session's submission id is not found here either."""
    missing = ClientError("submission_not_found", f"No submission {submission_id[:80]!r} in this interview.")
    if not SUBMISSION_ID.match(submission_id):
        raise missing
    try:
        submission, _ = await read_model(
            deps.store, submission_key(session_id, submission_id), CodeSubmission
        )
    except ObjectNotFound:
        raise missing from None
    return submission


async def publish_run(deps: Deps, session_id: str, submission: CodeSubmission) -> UserTurn:
    """Tell the interviewer of a run (idempotent per submission); ClientError when it cannot or should not."""
    try:
        session = await deps.sessions.get(session_id)
    except SessionNotFound:
        raise ClientError("session_not_found", f"No interview session with id {session_id!r}.") from None
    turn = await run_turn(deps, session, submission)
    try:
        await deps.bus.publish_turn(turn)
    except Exception as err:  # broker down: the run is stored; the candidate may tell the interviewer again
        log.error("could not enqueue run %s of %s: %s", submission.submission_id, session_id, err)
        raise ClientError(
            "turn_not_accepted", "The interview service is unavailable; please resend."
        ) from None
    return turn


async def after_execute(deps: Deps, session_id: str, submission_id: str) -> None:
    """`POST /api/code/execute` ran the problem's tests: the interviewer hears of it if it is the problem
    handed out in this interview. A run that is not (practice on another problem) is only stored."""
    try:
        await publish_run(deps, session_id, await stored_submission(deps, session_id, submission_id))
    except ClientError as err:
        if err.code in ("turn_not_accepted", "run_not_accepted"):
            log.warning("run %s of %s not told: %s", submission_id, session_id, err.message)
    except Exception:  # storage trouble: the run itself succeeded and its result must reach the candidate
        log.exception("run %s of %s could not be told to the interviewer", submission_id, session_id)

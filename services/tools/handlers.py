"""The tools service's NATS handlers: request/reply in a queue group, so any replica serves any call.

NATS in, NATS out, nothing else: FastStream parses each request into its typed model, the service
layer does the work, and the broker's error middleware (`shared.messaging.reply_errors_middleware`)
turns any exception into an error reply in the contract's shape. The services come from the
application context (`bootstrap.py` puts them there), so the router itself holds no state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from faststream import Context
from faststream.nats import NatsRouter

from services.tools.code_service import CodeService
from services.tools.cv_service import CvService
from services.tools.problems import ProblemBank, list_problems, public_view
from shared import subjects
from shared.tools_api import (
    CvAnalyzeRequest,
    CvAnalyzeResult,
    ExecuteCodeRequest,
    ExecuteCodeResult,
    ProblemDetail,
    ProblemList,
    ProblemRef,
    ProblemsQuery,
    ToolReply,
)

Code = Annotated[CodeService, Context("code_service")]
Cv = Annotated[CvService, Context("cv_service")]
Bank = Annotated[ProblemBank, Context("problem_bank")]


async def execute_code(request: ExecuteCodeRequest, code: Code) -> ToolReply[ExecuteCodeResult]:
    """Run code against inline tests or a bank problem's tests; the run is stored."""
    return ToolReply(ok=True, result=await code.execute(request))


async def analyze_cv(request: CvAnalyzeRequest, cv: Cv) -> ToolReply[CvAnalyzeResult]:
    """Parse an upload staged in storage; only a successful analysis is kept."""
    return ToolReply(ok=True, result=await cv.analyze(request))


async def list_bank(query: ProblemsQuery, bank: Bank) -> ToolReply[ProblemList]:
    """Problem summaries, optionally filtered by tag and difficulty."""
    return ToolReply(ok=True, result=ProblemList(problems=list_problems(bank, query.tag, query.difficulty)))


async def get_problem(ref: ProblemRef, bank: Bank) -> ToolReply[ProblemDetail]:
    """One problem as a candidate may see it."""
    return ToolReply(ok=True, result=ProblemDetail(problem=public_view(bank.get(ref.problem_id))))


# Every request/reply endpoint; the AsyncAPI builder (deploy/asyncapi.py) reads the replies' types from here.
ENDPOINTS: dict[str, Callable[..., Awaitable[ToolReply[Any]]]] = {
    subjects.TOOLS_CODE_EXECUTE: execute_code,
    subjects.TOOLS_CV_ANALYZE: analyze_cv,
    subjects.TOOLS_PROBLEMS_LIST: list_bank,
    subjects.TOOLS_PROBLEMS_GET: get_problem,
}
# Code runs and CV parses each take a child process: bounded per replica. Bank lookups are instant.
_BOUNDED = {subjects.TOOLS_CODE_EXECUTE, subjects.TOOLS_CV_ANALYZE}


def build_router(*, concurrency: int) -> NatsRouter:
    """`concurrency`: code runs and CV parses one replica works on at once."""
    router = NatsRouter()
    for subject, handler in ENDPOINTS.items():
        router.subscriber(
            subject,
            queue=subjects.TOOLS_QUEUE,
            max_workers=concurrency if subject in _BOUNDED else 1,
            title=f"tools: {subject.removeprefix(subjects.PREFIX + '.tools.')}",
            description=handler.__doc__,
        )(handler)
    return router

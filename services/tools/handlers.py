"""The tools service's NATS handlers: request/reply in a queue group, so any replica serves any call.

NATS in, NATS out, nothing else: FastStream parses each request into its typed model, the service
layer does the work, and the broker's error middleware (`shared.messaging.reply_errors_middleware`)
turns any exception into an error reply in the contract's shape. The services come from the
application context (`bootstrap.py` puts them there), so the router itself holds no state.
"""

from __future__ import annotations

from typing import Annotated

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


def build_router(*, concurrency: int) -> NatsRouter:
    """`concurrency`: code runs and CV parses one replica works on at once (each is a child process)."""
    router = NatsRouter()

    @router.subscriber(
        subjects.TOOLS_CODE_EXECUTE,
        queue=subjects.TOOLS_QUEUE,
        max_workers=concurrency,
        title="tools: execute code",
        description="Run code against inline tests or a bank problem's tests; the run is stored.",
    )
    async def execute_code(request: ExecuteCodeRequest, code: Code) -> ToolReply[ExecuteCodeResult]:
        return ToolReply(ok=True, result=await code.execute(request))

    @router.subscriber(
        subjects.TOOLS_CV_ANALYZE,
        queue=subjects.TOOLS_QUEUE,
        max_workers=concurrency,
        title="tools: analyze a CV",
        description="Parse an upload staged in storage; only a successful analysis is kept.",
    )
    async def analyze_cv(request: CvAnalyzeRequest, cv: Cv) -> ToolReply[CvAnalyzeResult]:
        return ToolReply(ok=True, result=await cv.analyze(request))

    @router.subscriber(subjects.TOOLS_PROBLEMS_LIST, queue=subjects.TOOLS_QUEUE, title="tools: list problems")
    async def problems(query: ProblemsQuery, bank: Bank) -> ToolReply[ProblemList]:
        return ToolReply(
            ok=True, result=ProblemList(problems=list_problems(bank, query.tag, query.difficulty))
        )

    @router.subscriber(subjects.TOOLS_PROBLEMS_GET, queue=subjects.TOOLS_QUEUE, title="tools: get a problem")
    async def problem(ref: ProblemRef, bank: Bank) -> ToolReply[ProblemDetail]:
        return ToolReply(ok=True, result=ProblemDetail(problem=public_view(bank.get(ref.problem_id))))

    return router

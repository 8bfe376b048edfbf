"""The tools service's NATS handlers: request/reply in a queue group, so any replica serves any call.

NATS in, NATS out, nothing else: FastStream parses each request into its typed model, the service
layer does the work, and the broker's error middleware (`shared.messaging.reply_errors_middleware`)
turns any exception into an error reply in the contract's shape. The services come from the
application context (`bootstrap.py` puts them there), so the router itself holds no state.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from faststream import AckPolicy, Context
from faststream.middlewares import ExceptionMiddleware
from faststream.nats import JStream, NatsMessage, NatsRouter, PullSub
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig
from pydantic import ValidationError

from services.tools.code_service import CodeService
from services.tools.cv_service import CvService
from services.tools.evaluator_service import EvaluatorService
from services.tools.problems import ProblemBank, list_problems, public_view
from shared import subjects
from shared.events import SessionEnded
from shared.messaging import error_reply, kept_alive, reply_errors_middleware
from shared.sessions import SessionNotFound
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
Evaluator = Annotated[EvaluatorService, Context("evaluator")]

log = logging.getLogger("tools.handlers")

# A report takes well under a second with the rubric alone, longer with a model judging each answer:
# the delivery is kept alive meanwhile, and redelivered this long after a replica died.
EVALUATOR_ACK_WAIT_S = 30.0


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


def errors_middleware() -> ExceptionMiddleware:
    """The request/reply error replies (`shared.messaging.reply_errors_middleware`), and for a JetStream
    delivery that does not parse (a session end that is not a `SessionEnded`): terminated, logged, never
    redelivered (it has no one to reply to)."""
    middleware = reply_errors_middleware()

    @middleware.add_handler(ValidationError, publish=True)
    async def unreadable(error: ValidationError, message: NatsMessage) -> ToolReply[Any] | None:
        if message.raw_message.reply.startswith("$JS.ACK."):
            log.error("dropping an unreadable message on %s: %s", message.raw_message.subject, error)
            await message.reject()
            return None
        return error_reply(error)

    return middleware


def evaluator_consumer() -> ConsumerConfig:
    """One durable pull consumer on the session ends, shared by every tools replica."""
    return ConsumerConfig(
        durable_name=subjects.EVALUATOR_CONSUMER,
        ack_policy=JsAckPolicy.EXPLICIT,
        ack_wait=EVALUATOR_ACK_WAIT_S,
        max_deliver=20,
        max_ack_pending=100,
        filter_subject=subjects.lifecycle("*", "ended"),
    )


def build_evaluator_router() -> NatsRouter:
    router = NatsRouter()
    consumer = evaluator_consumer()

    @router.subscriber(
        subjects.lifecycle("*", "ended"),
        stream=JStream(
            subjects.LIFECYCLE_STREAM, declare=False
        ),  # declared by shared.messaging.ensure_streams
        durable=subjects.EVALUATOR_CONSUMER,
        config=consumer,
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        title="tools: evaluator (session ended)",
        description="Every tools replica pulls from one durable consumer; the end of an interview is acked "
        "once its report (JSON and PDF) is stored and ReportReady is published. A redelivered end "
        "re-announces the stored report without computing it again.",
    )
    async def on_session_ended(event: SessionEnded, msg: NatsMessage, evaluator: Evaluator) -> None:
        delivered = msg.raw_message.metadata.num_delivered
        try:
            async with kept_alive(msg, EVALUATOR_ACK_WAIT_S / 3):
                outcome = await evaluator.on_session_ended(event.session_id)
        except SessionNotFound:
            log.warning("session %s ended but has no record: no report", event.session_id)
            await msg.reject()  # nothing will ever change that: do not redeliver
            return
        except Exception:
            # Storage or NATS trouble (or a bug): try again later, spaced out.
            log.exception("report of session %s failed; will retry", event.session_id)
            await msg.nack(delay=min(60.0, 0.5 * 2 ** min(delivered, 7)))
            return
        await msg.ack()
        report = outcome.report
        log.info(
            "report of session %s %s: overall %.1f (%s, judge %s)",
            event.session_id,
            "written" if outcome.written else "already stored, announced again",
            report.overall_score,
            report.recommendation,
            report.judge.kind,
        )

    return router

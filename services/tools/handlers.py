"""The tools service's NATS handlers: request/reply in a queue group, so any replica serves any call."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faststream.nats import NatsMessage, NatsRouter
from pydantic import BaseModel, ValidationError

from services.tools.code_service import CodeRequestError, CodeService
from services.tools.cv import CvError
from services.tools.cv_service import CvService
from services.tools.problems import get_problem, list_problems, public_view
from shared import subjects
from shared.events import ToolError, ToolReply
from shared.sessions import SessionNotFound
from shared.tools_api import CvAnalyzeRequest, ExecuteCodeRequest, ProblemRef, ProblemsQuery

log = logging.getLogger(__name__)


async def guarded(work: Callable[[], Awaitable[dict[str, Any]]]) -> ToolReply:
    """Every failure becomes a clear error reply; nothing escapes to kill the worker."""
    try:
        return ToolReply(ok=True, result=await work())
    except ValidationError as err:
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        error = ToolError(code="invalid_request", message=message, status=422)
    except SessionNotFound as err:
        error = ToolError(
            code="session_not_found", message=f"No interview session with id {err.session_id!r}.", status=404
        )
    except (CodeRequestError, CvError) as err:
        error = ToolError(code=err.code, message=err.message, status=err.status)
    except Exception:
        log.exception("tool call failed")
        error = ToolError(
            code="internal_error", message="The tools service failed on this request.", status=500
        )
    return ToolReply(ok=False, error=error)


def _parse(model: type[BaseModel], msg: NatsMessage) -> Any:
    return model.model_validate_json(msg.body)


def build_router(code: CodeService, cv: CvService, *, concurrency: int) -> NatsRouter:
    router = NatsRouter()

    @router.subscriber(subjects.TOOLS_CODE_EXECUTE, queue=subjects.TOOLS_QUEUE, max_workers=concurrency)
    async def execute_code(msg: NatsMessage) -> ToolReply:
        return await guarded(lambda: code.execute(_parse(ExecuteCodeRequest, msg)))

    @router.subscriber(subjects.TOOLS_CV_ANALYZE, queue=subjects.TOOLS_QUEUE, max_workers=concurrency)
    async def analyze_cv(msg: NatsMessage) -> ToolReply:
        return await guarded(lambda: cv.analyze(_parse(CvAnalyzeRequest, msg)))

    @router.subscriber(subjects.TOOLS_PROBLEMS_LIST, queue=subjects.TOOLS_QUEUE)
    async def problems(msg: NatsMessage) -> ToolReply:
        async def work() -> dict[str, Any]:
            query: ProblemsQuery = _parse(ProblemsQuery, msg)
            return {"problems": list_problems(query.tag, query.difficulty)}

        return await guarded(work)

    @router.subscriber(subjects.TOOLS_PROBLEMS_GET, queue=subjects.TOOLS_QUEUE)
    async def problem(msg: NatsMessage) -> ToolReply:
        async def work() -> dict[str, Any]:
            ref: ProblemRef = _parse(ProblemRef, msg)
            found = get_problem(ref.problem_id)
            if found is None:
                raise CodeRequestError("problem_not_found", f"No problem with id {ref.problem_id!r}.", 404)
            return {"problem": public_view(found)}

        return await guarded(work)

    return router

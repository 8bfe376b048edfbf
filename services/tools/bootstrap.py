"""Wires the tools service: settings -> storage, runner, problem bank, CV parser -> services -> app.

The only module of the service that reads `Settings` (and `RunnerConfig`, the runner's own
`PREPAI_RUNNER_*` settings). Tests build the same application with fakes through `create_app`'s
keyword arguments.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from faststream import FastStream

from services.agent.llm import BedrockOptions, OpenAIOptions, create_llm  # light: providers load on demand
from services.tools.code_service import CodeService, Runner
from services.tools.cv import IsolatedCvParser
from services.tools.cv_service import CvParser, CvService
from services.tools.evaluator import Lexicon
from services.tools.evaluator.pdf import render_report_pdf
from services.tools.evaluator_adapters import NatsReportPublisher, StoredReports, StoredSubmissions
from services.tools.evaluator_service import AnswerJudge, Catalogues, EvaluatorService
from services.tools.handlers import build_evaluator_router, build_router, errors_middleware
from services.tools.llm_judge import LlmAnswerJudge
from services.tools.problems import ProblemBank, ProblemNotFound, check_question_problems
from services.tools.runner import CodeRunner, RunnerConfig
from shared.config import Settings
from shared.logs import setup_logging
from shared.messaging import ensure_streams, make_broker
from shared.question_bank import all_question_banks, load_question_bank
from shared.sessions import SessionRepository
from shared.storage import ObjectStore, create_store

log = logging.getLogger("tools")


def create_app(
    settings: Settings,
    *,
    store: ObjectStore | None = None,
    runner: Runner | None = None,
    cv_parser: CvParser | None = None,
    bank: ProblemBank | None = None,
    judge: AnswerJudge | None = None,
) -> FastStream:
    store = store or create_store(settings)
    sessions = SessionRepository(store)
    bank = bank or ProblemBank.load()  # validated at start-up, not on the first request
    # The interviewer hands out these problems: a question naming a problem that is not here stops the start.
    check_question_problems((q for qs in all_question_banks().values() for q in qs), bank)
    parser = cv_parser or IsolatedCvParser(textract=settings.cv_textract)
    code = CodeService(runner or CodeRunner(RunnerConfig()), bank, store, sessions)
    cv = CvService(parser, store, sessions)

    broker = make_broker(settings, "tools", middlewares=[errors_middleware()])
    broker.include_router(build_router(concurrency=settings.tools_concurrency))
    evaluator_router = build_evaluator_router()
    publisher = NatsReportPublisher.declare(evaluator_router)
    broker.include_router(evaluator_router)
    judge = judge or llm_judge(settings)

    async def start_evaluator() -> None:
        # The streams first (the evaluator's consumer reads LIFECYCLE and publishes to REPORTS), then the
        # word list (about 0.3 s), before the first session end is pulled.
        await broker.connect()
        await ensure_streams(broker.connection.jetstream(), settings)
        lexicon = await asyncio.to_thread(Lexicon.load)
        evaluator = EvaluatorService(
            sessions=sessions,
            submissions=StoredSubmissions(store),
            reports=StoredReports(store),
            publisher=publisher,
            render_pdf=render_report_pdf,
            catalogues=Catalogues(questions=load_question_bank, target_complexity=target_complexity(bank)),
            lexicon=lexicon,
            judge=judge,
        )
        app.context.set_global("evaluator", evaluator)

    def ready() -> None:
        log.info(
            "tools ready: %d problems, concurrency %d, report judge %s",
            len(bank),
            settings.tools_concurrency,
            f"llm+rubric ({judge.model})" if judge else "rubric",
        )

    # The CV parser's forkserver starts before the first request, so the first upload pays no start-up.
    starting = [parser.start] if isinstance(parser, IsolatedCvParser) else []

    async def close_judge() -> None:
        if isinstance(judge, LlmAnswerJudge):
            await judge.aclose()

    app = FastStream(
        broker,
        logger=log,
        on_startup=[*starting, start_evaluator],
        after_startup=[ready],
        after_shutdown=[close_judge],
    )
    app.context.set_global("code_service", code)
    app.context.set_global("cv_service", cv)
    app.context.set_global("problem_bank", bank)
    return app


def target_complexity(bank: ProblemBank) -> Callable[[str], str | None]:
    def lookup(problem_id: str) -> str | None:
        try:
            return bank.get(problem_id).complexity.time
        except ProblemNotFound:
            return None

    return lookup


def llm_judge(settings: Settings) -> AnswerJudge | None:
    """The agent's remote model as the report's judge, when there is one and it is allowed; never the
    embedded model (too small to grade) nor the scripted responder."""
    if not settings.evaluator_llm_judge or settings.llm_provider not in ("openai", "bedrock"):
        return None
    if settings.llm_provider == "openai":
        options: OpenAIOptions | BedrockOptions = OpenAIOptions(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            timeout_s=settings.llm_timeout_s,
        )
        return LlmAnswerJudge(create_llm(options), settings.openai_model)
    options = BedrockOptions(
        model_id=settings.bedrock_model_id, region=settings.bedrock_region, timeout_s=settings.llm_timeout_s
    )
    return LlmAnswerJudge(create_llm(options), settings.bedrock_model_id)


def run() -> None:
    """The process: settings from the environment, logging, the app until SIGINT/SIGTERM."""
    settings = Settings()
    setup_logging("tools", settings.log_level)
    asyncio.run(create_app(settings).run())

"""Agent service entry point: `python -m services.agent` (run as many replicas as you like)."""

from __future__ import annotations

import asyncio

from services.agent.bootstrap import attach, create_interviewer, create_processor
from shared.config import get_settings
from shared.logs import setup_logging
from shared.messaging import connect, ensure_streams, make_broker
from shared.service import run_service


async def main(stop: asyncio.Event) -> None:
    settings = get_settings()
    log = setup_logging("agent", settings.log_level)
    interviewer = create_interviewer(settings)
    log.info("loading the %s interviewer (warm-up)", settings.llm_provider)
    await interviewer.warm_up()
    nc = await connect(settings, "agent-ports")
    await ensure_streams(nc.jetstream(), settings)
    processor = await create_processor(settings, nc, interviewer)
    broker = make_broker(settings, "agent")
    # A local model answers one turn at a time; more workers only help remote or scripted responders.
    concurrency = settings.agent_concurrency or (1 if settings.llm_provider == "llamacpp" else 16)
    attach(broker, processor, settings, concurrency)
    await broker.start()
    log.info("agent ready (responder=%s, concurrency=%d)", interviewer.responder.name, concurrency)
    try:
        await stop.wait()
    finally:
        await broker.stop()
        await nc.drain()
        await interviewer.responder.aclose()


if __name__ == "__main__":
    run_service(main)

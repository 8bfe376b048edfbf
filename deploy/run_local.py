"""`make run`: NATS and every service on this machine, serving http://localhost:8000.

A process that dies is restarted (see deploy/local_platform.py); Ctrl-C stops all.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
from pathlib import Path

from deploy.local_platform import LocalPlatform, default_services
from shared.config import Settings


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agent-replicas", type=int, default=1)
    parser.add_argument("--tools-replicas", type=int, default=1)
    parser.add_argument("--stt-replicas", type=int, default=1)
    parser.add_argument("--tts-replicas", type=int, default=1)
    parser.add_argument("--analytics-replicas", type=int, default=1)
    return parser.parse_args()


async def main() -> None:
    args = parse_args()
    settings = Settings()
    # PREPAI_NATS_URL set: use that server and start none.
    external_nats = settings.nats_url if "PREPAI_NATS_URL" in os.environ else None
    nats_port = int(settings.nats_url.rsplit(":", 1)[-1]) if external_nats is None else 4222
    platform = LocalPlatform(
        data_dir=Path(settings.data_dir),
        http_port=settings.port,
        nats_url=external_nats,
        nats_port=nats_port,
        services=default_services(
            args.agent_replicas,
            args.tools_replicas,
            args.stt_replicas,
            args.tts_replicas,
            args.analytics_replicas,
        ),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(
        f"Starting PrepAI (data in {settings.data_dir}, LLM provider {settings.llm_provider}) ...", flush=True
    )
    try:
        starting = asyncio.create_task(platform.start())
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting in done:
            try:
                starting.result()
            except (RuntimeError, TimeoutError) as err:
                print(f"\nPrepAI could not start: {err}", flush=True)
                raise SystemExit(1) from None
            print(
                f"\nPrepAI is ready: {platform.base_url}  (API docs: {platform.base_url}/docs)\n", flush=True
            )
            await stop.wait()
        else:
            starting.cancel()  # start() stops what it started before it gives up
            with contextlib.suppress(asyncio.CancelledError):
                await starting
    finally:
        print("Stopping PrepAI ...", flush=True)
        await platform.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    asyncio.run(main())

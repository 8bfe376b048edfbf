"""Gateway entry point: `python -m services.gateway` (several replicas may share a port via a load balancer)."""

from __future__ import annotations

import uvicorn

from services.gateway.app import create_app
from shared.config import get_settings
from shared.logs import setup_logging


def main() -> None:
    settings = get_settings()
    setup_logging("gateway", settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        ws_max_size=1 << 20,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()

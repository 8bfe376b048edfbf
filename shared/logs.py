"""One log format for every service: `make run` prefixes lines with the service name."""

from __future__ import annotations

import logging
import sys


def setup_logging(service: str, level: str = "INFO") -> logging.Logger:
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format=f"%(asctime)s %(levelname)-5s [{service}] %(name)s: %(message)s",
        force=True,
    )
    # Chatty libraries stay at WARNING unless asked otherwise.
    for noisy in ("botocore", "urllib3", "asyncio", "nats"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return logging.getLogger(service)

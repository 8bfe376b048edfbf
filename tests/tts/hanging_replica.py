"""A TTS replica whose engine hangs on every sentence: `python -m tests.tts.hanging_replica`.

The integration test starts it, lets it take a sentence, and kills it with SIGKILL mid-sentence. Settings
come from the usual PREPAI_* variables; TTS_TEST_MARKER names a file written when it holds a sentence.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from services.tts.bootstrap import Engines, create_app
from shared.config import Settings
from shared.logs import setup_logging
from tests.tts.fakes import BlockingEngine


def main() -> None:
    settings = Settings()
    setup_logging("tts-hanging", settings.log_level)
    engine = BlockingEngine(Path(os.environ["TTS_TEST_MARKER"]))
    asyncio.run(create_app(settings, engines=Engines(engine)).run())


if __name__ == "__main__":
    main()

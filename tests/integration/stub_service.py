"""A stand-in service for the supervisor's own tests (`python -m tests.integration.stub_service`).

It answers any HTTP request on `PREPAI_PORT` with 200 (so `LocalPlatform.wait_ready` passes without the
real gateway), and exits at once with code 3 while the file `$PREPAI_DATA_DIR/crash` exists.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()


async def main() -> None:
    if (Path(os.environ["PREPAI_DATA_DIR"]) / "crash").exists():
        print("stub: the crash file is there; exiting", flush=True)
        sys.exit(3)
    server = await asyncio.start_server(answer, "127.0.0.1", int(os.environ["PREPAI_PORT"]), reuse_port=True)
    print(f"stub: ready (pid {os.getpid()})", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

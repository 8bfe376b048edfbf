"""A WebSocket client that follows the public contract: used by the integration tests and `bench/`."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets


@dataclass
class Reply:
    turn_id: str
    text: str
    chunks: list[str]
    first_chunk_at: float | None
    complete_at: float


@dataclass
class InterviewClient:
    ws: Any
    events: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, Reply] = field(default_factory=dict)
    _chunks: dict[str, list[str]] = field(default_factory=dict)
    _first_chunk: dict[str, float] = field(default_factory=dict)

    @classmethod
    async def connect(cls, base_ws_url: str, session_id: str, query: str = "?tts=0") -> InterviewClient:
        ws = await websockets.connect(f"{base_ws_url}/ws/interview/{session_id}{query}", max_size=2**22)
        return cls(ws)

    async def close(self) -> None:
        await self.ws.close()

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def say(self, text: str) -> str:
        """Send a typed answer; return its turn id (from the echoed transcript)."""
        await self.send({"type": "text", "text": text})
        event = await self.next_event(lambda e: e["type"] in {"transcript", "error"})
        if event["type"] == "error":
            raise AssertionError(f"turn refused: {event}")
        return str(event["turn_id"])

    async def next_event(self, predicate: Any, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching event in {timeout} s; got {self.events[-5:]}")
            raw = await asyncio.wait_for(self.ws.recv(), remaining)
            event: dict[str, Any] = json.loads(raw)
            self._record(event)
            if predicate(event):
                return event

    def _record(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        now = time.perf_counter()
        if event["type"] == "llm_chunk":
            self._chunks.setdefault(event["turn_id"], []).append(event["text"])
            self._first_chunk.setdefault(event["turn_id"], now)
        elif event["type"] == "assistant_complete":
            tid = event["turn_id"]
            self.replies[tid] = Reply(
                tid, event["text"], self._chunks.get(tid, []), self._first_chunk.get(tid), now
            )

    async def reply(self, turn_id: str | None = None, timeout: float = 30.0) -> Reply:
        """The next complete reply (to `turn_id`, if given)."""
        if turn_id is not None and turn_id in self.replies:
            return self.replies[turn_id]
        event = await self.next_event(
            lambda e: e["type"] == "assistant_complete" and (turn_id is None or e["turn_id"] == turn_id),
            timeout,
        )
        return self.replies[event["turn_id"]]

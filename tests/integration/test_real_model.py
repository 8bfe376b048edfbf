"""The default local model end to end: real nats-server, agent (llama.cpp) and gateway as processes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import httpx
import pytest

from deploy.local_platform import LocalPlatform, default_services, free_port
from shared.question_bank import load_question_bank
from tests.interview_client import InterviewClient

pytestmark = [pytest.mark.integration, pytest.mark.model]


async def test_greeting_and_one_turn_with_the_default_local_model() -> None:
    lines: list[str] = []
    platform = LocalPlatform(
        data_dir=Path(tempfile.mkdtemp(prefix="prepai-model-")),
        http_port=free_port(),
        nats_port=free_port(),
        # The model words the reaction (the default with the 0.5B model is the planner: this covers the model).
        env={"PREPAI_LLM_PROVIDER": "llamacpp", "PREPAI_LLM_REACTIONS": "model"},
        services=default_services(),
        log=lines.append,
        ready_timeout_s=300,
    )
    await platform.start()
    try:
        async with httpx.AsyncClient(base_url=platform.base_url, timeout=30) as http:
            created = await http.post(
                "/api/sessions", json={"interview_type": "Amazon SDE", "candidate_name": "Grace"}
            )
            sid = created.json()["session_id"]
            client = await InterviewClient.connect(f"ws://127.0.0.1:{platform.http_port}", sid)
            greeting = await client.reply(timeout=180)
            turn = await client.say(
                "I'm a backend engineer with four years of experience. I built an order service in Java "
                "and moved it to Kubernetes, which cut our deploy time from hours to minutes."
            )
            reply = await client.reply(turn, timeout=180)
            await client.close()
            transcript = (await http.get(f"/api/interviews/{sid}/transcript")).json()["transcript"]
    finally:
        await platform.stop()
    assert "Grace" in greeting.text and "?" in greeting.text
    # The model's reaction (held back until it is checked), then the planned line.
    assert len(reply.chunks) >= 2, "the reply should stream in pieces"
    bank = load_question_bank("amazon_sde")
    assert any(q.text in reply.text for q in bank), "the interviewer moves on to a question of its plan"
    assert re.search(r"[a-zA-Z]{3,}", reply.text)
    assert not reply.text.lower().startswith(("candidate:", "as the candidate"))
    assert [e["role"] for e in transcript] == ["assistant", "user", "assistant"]

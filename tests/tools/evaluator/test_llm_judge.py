"""The model judge's adapter over the agent's real OpenAI-compatible provider, with the HTTP server faked
(httpx MockTransport speaking the chat-completions event stream): a JSON grade is parsed and validated, a
chatty or invalid reply gives no grade, an outage gives no grade. Which providers may judge at all.
No real model was run."""

from __future__ import annotations

import json

import httpx
import pytest

from services.agent.llm import OpenAIOptions
from services.agent.llm.openai_compat import OpenAICompatProvider
from services.tools.bootstrap import llm_judge
from services.tools.llm_judge import LlmAnswerJudge
from shared.config import Settings


def _server(reply: str, status: int = 200) -> tuple[httpx.AsyncClient, list[dict[str, object]]]:
    requests: list[dict[str, object]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(json.loads(request.content))
        pieces = [reply[i : i + 7] for i in range(0, len(reply), 7)]
        events = [{"choices": [{"delta": {"content": p}, "finish_reason": None}]} for p in pieces]
        events.append({"choices": [{"delta": {}, "finish_reason": "stop"}]})
        body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
        return httpx.Response(status, text=body, headers={"content-type": "text/event-stream"})

    return httpx.AsyncClient(transport=httpx.MockTransport(handle)), requests


def _judge(reply: str, status: int = 200) -> tuple[LlmAnswerJudge, list[dict[str, object]]]:
    client, requests = _server(reply, status)
    provider = OpenAICompatProvider(OpenAIOptions(base_url="http://judge.test/v1", model="m"), client=client)
    return LlmAnswerJudge(provider, "m"), requests


async def test_a_json_grade_is_parsed_from_the_stream() -> None:
    judge, requests = _judge(
        '{"score": 7.5, "covered_key_points": [1, 3], "correct": true, "feedback": "Good."}'
    )
    grade = await judge.grade("grade this")
    assert grade is not None and grade.score == 7.5 and grade.covered_key_points == [1, 3]
    sent = requests[0]
    assert sent["temperature"] == 0.0 and sent["messages"][-1] == {"role": "user", "content": "grade this"}  # type: ignore[index]


@pytest.mark.parametrize(
    "reply",
    ["I think it deserves an 8.", '{"score": 11, "correct": true, "feedback": "x"}', '{"score": 5}'],
)
async def test_an_unusable_reply_gives_no_grade(reply: str) -> None:
    judge, _ = _judge(reply)
    assert await judge.grade("grade this") is None


async def test_a_server_error_gives_no_grade() -> None:
    judge, _ = _judge("overloaded", status=503)
    assert await judge.grade("grade this") is None


@pytest.mark.parametrize(
    ("provider", "judges"), [("llamacpp", False), ("scripted", False), ("openai", True), ("bedrock", True)]
)
def test_only_remote_models_judge(provider: str, judges: bool) -> None:
    judge = llm_judge(Settings(llm_provider=provider))  # type: ignore[arg-type]
    assert (judge is not None) == judges
    assert llm_judge(Settings(llm_provider=provider, evaluator_llm_judge=False)) is None  # type: ignore[arg-type]

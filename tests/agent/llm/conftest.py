"""The fake HTTP backends, one server each per test session (tests reset them: see backends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.agent.llm.asgi_server import serve
from tests.agent.llm.backends import (
    BedrockBackend,
    FakeBedrock,
    FakeChatServer,
    LlamaCppBackend,
    OpenAIBackend,
)


@pytest.fixture(scope="session")
def chat_server() -> Iterator[tuple[FakeChatServer, str]]:
    fake = FakeChatServer()
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="session")
def bedrock_server() -> Iterator[tuple[FakeBedrock, str]]:
    fake = FakeBedrock()
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture
async def llamacpp_backend() -> AsyncIterator[LlamaCppBackend]:
    backend = LlamaCppBackend()
    yield backend
    await backend.finish()


@pytest.fixture
async def openai_backend(chat_server: tuple[FakeChatServer, str]) -> AsyncIterator[OpenAIBackend]:
    backend = OpenAIBackend(*chat_server)
    yield backend
    await backend.finish()


@pytest.fixture
async def bedrock_backend(bedrock_server: tuple[FakeBedrock, str]) -> AsyncIterator[BedrockBackend]:
    backend = BedrockBackend(*bedrock_server)
    yield backend
    await backend.finish()

"""create_llm picks the provider PREPAI_LLM_PROVIDER names."""

from __future__ import annotations

import pytest

from services.agent.llm import LLMError, create_llm
from services.agent.llm.bedrock import BedrockProvider
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.openai_compat import OpenAICompatProvider
from shared.config import Settings


@pytest.mark.parametrize(
    ("provider", "expected"),
    [("llamacpp", LlamaCppProvider), ("openai", OpenAICompatProvider), ("bedrock", BedrockProvider)],
)
async def test_builds_the_named_provider_without_loading_anything(provider: str, expected: type):
    llm = create_llm(Settings(llm_provider=provider))  # type: ignore[arg-type]
    try:
        assert isinstance(llm, expected)
        assert llm.name == provider
    finally:
        await llm.aclose()


def test_scripted_is_not_a_model_provider():
    with pytest.raises(LLMError, match="scripted"):
        create_llm(Settings(llm_provider="scripted"))

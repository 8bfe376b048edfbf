"""LLM providers for the interviewer agent: embedded llama.cpp, OpenAI-compatible HTTP, AWS Bedrock.

`create_llm(settings)` builds the one `PREPAI_LLM_PROVIDER` names. Provider
modules are imported only when chosen, so a deployment that talks to a remote
model does not need llama.cpp's native library, and the embedded one does not
need AWS credentials.
"""

from __future__ import annotations

from services.agent.llm.base import ChatMessage, LLMError, LLMProvider
from shared.config import Settings

__all__ = ["ChatMessage", "LLMError", "LLMProvider", "create_llm"]


def create_llm(settings: Settings) -> LLMProvider:
    """The provider for `settings.llm_provider` ("scripted" is not a model and is handled by the agent)."""
    if settings.llm_provider == "llamacpp":
        from services.agent.llm.llamacpp import LlamaCppProvider

        return LlamaCppProvider(settings)
    if settings.llm_provider == "openai":
        from services.agent.llm.openai_compat import OpenAICompatProvider

        return OpenAICompatProvider(settings)
    if settings.llm_provider == "bedrock":
        from services.agent.llm.bedrock import BedrockProvider

        return BedrockProvider(settings)
    raise LLMError(f"no LLM provider is called {settings.llm_provider!r} (llamacpp, openai, bedrock)")

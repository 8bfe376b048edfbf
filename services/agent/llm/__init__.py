"""LLM providers for the interviewer agent: embedded llama.cpp, OpenAI-compatible HTTP, AWS Bedrock.

`create_llm(options)` builds the provider its options object is for (see
`options.py`; `services.agent.bootstrap.llm_options` maps `Settings` to one).
Provider modules are imported only when chosen, so a deployment that talks to
a remote model does not need llama.cpp's native library, and the embedded one
does not need AWS credentials.
"""

from __future__ import annotations

from services.agent.llm.base import LLMError, LLMProvider
from services.agent.llm.options import BedrockOptions, LlamaCppOptions, LLMOptions, OpenAIOptions

__all__ = [
    "BedrockOptions",
    "LLMError",
    "LLMOptions",
    "LLMProvider",
    "LlamaCppOptions",
    "OpenAIOptions",
    "create_llm",
]


def create_llm(options: LLMOptions) -> LLMProvider:
    """The provider these options configure."""
    if isinstance(options, LlamaCppOptions):
        from services.agent.llm.llamacpp import LlamaCppProvider

        return LlamaCppProvider(options)
    if isinstance(options, OpenAIOptions):
        from services.agent.llm.openai_compat import OpenAICompatProvider

        return OpenAICompatProvider(options)
    if isinstance(options, BedrockOptions):
        from services.agent.llm.bedrock import BedrockProvider

        return BedrockProvider(options)
    raise TypeError(
        f"create_llm takes LlamaCppOptions, OpenAIOptions or BedrockOptions, not {type(options).__name__}"
    )

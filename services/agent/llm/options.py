"""What each LLM provider is configured with: one frozen, validated options object per provider.

The providers read nothing else: the mapping from the platform's `Settings`
(the `PREPAI_*` variables) to these objects is `services.agent.bootstrap.llm_options`,
and every default here equals the matching `Settings` default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

# The packaged GGUF models (services/agent/llm/model_files.py PACKAGED_MODELS has one entry per key).
PackagedModelKey = Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]

DEFAULT_SESSION_CACHE_BYTES = 1 << 30
# Settings.model_cache_dir with the default data_dir: data/models at the repository root.
_DEFAULT_MODEL_CACHE_DIR = Path(__file__).resolve().parents[3] / "data" / "models"


class _Options(BaseModel):
    # frozen: a provider's configuration cannot change under it; forbid: a misspelt option is an error.
    # protected_namespaces=(): fields such as `model_path` are ours, not pydantic's `model_*` API.
    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=())


class LlamaCppOptions(_Options):
    """The embedded model, run in-process by llama.cpp."""

    model: PackagedModelKey = Field(
        default="qwen2.5-coder-0.5b",
        description="The packaged GGUF model to load when `model_path` is unset.",
    )
    model_path: Path | None = Field(
        default=None,
        description="A GGUF file to load instead of the packaged model (None: the packaged model).",
    )
    model_cache_dir: Path = Field(
        default=_DEFAULT_MODEL_CACHE_DIR,
        description="The folder the packaged model's chunks are joined into, once.",
    )
    threads: int = Field(
        default=2, gt=0, description="CPU threads for prompt evaluation and generation (a count)."
    )
    context_tokens: int = Field(
        default=4096, gt=0, description="The context window: prompt plus reply, in tokens."
    )
    timeout_s: float = Field(
        default=90.0,
        gt=0,
        description="Seconds a reply may go without a new token (including the model load of a "
        "first call) before it fails with a retryable LLMError.",
    )
    session_cache_bytes: int = Field(
        default=DEFAULT_SESSION_CACHE_BYTES,
        ge=0,
        description="RAM budget, in bytes, of the KV states kept per conversation so interleaved "
        "sessions do not re-read their history (0: no session cache).",
    )


class OpenAIOptions(_Options):
    """Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server, Ollama)."""

    base_url: str = Field(
        default="http://127.0.0.1:11434/v1",
        min_length=1,
        description="The API root; requests go to {base_url}/chat/completions.",
    )
    api_key: SecretStr = Field(
        default=SecretStr("not-needed"),
        description="Sent as `Authorization: Bearer <api_key>` (local servers ignore it).",
    )
    model: str = Field(
        default="qwen2.5:1.5b-instruct", min_length=1, description="The model name the server knows."
    )
    timeout_s: float = Field(
        default=90.0,
        gt=0,
        description="Seconds to wait for each piece of the reply (and at most 10 s to connect) before "
        "it fails with a retryable LLMError; not a bound on the whole reply.",
    )


class BedrockOptions(_Options):
    """AWS Bedrock through the Converse API (credentials: the usual AWS chain)."""

    model_id: str = Field(
        default="anthropic.claude-3-5-haiku-20241022-v1:0",
        min_length=1,
        description="The Bedrock model or inference-profile id.",
    )
    region: str = Field(default="us-east-1", min_length=1, description="The AWS region of bedrock-runtime.")
    timeout_s: float = Field(
        default=90.0,
        gt=0,
        description="Seconds to wait for each piece of the reply (and at most 10 s to connect) before "
        "it fails with a retryable LLMError; not a bound on the whole reply.",
    )


LLMOptions = LlamaCppOptions | OpenAIOptions | BedrockOptions

"""Settings for every service, read from `PREPAI_*` environment variables.

One `Settings` object describes the whole platform so that `make run`, the
tests and a Kubernetes deployment configure services the same way.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREPAI_", env_file=None, extra="ignore")

    # Messaging
    nats_url: str = "nats://127.0.0.1:4222"

    # Gateway
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    max_text_turn_chars: int = 4000

    # Storage: the local folder is the embedded default; S3 when a bucket is named.
    data_dir: Path = REPO_ROOT / "data"
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_prefix: str = ""

    # Agent / LLM
    llm_provider: Literal["llamacpp", "openai", "bedrock", "scripted"] = "llamacpp"
    llm_model_path: Path | None = None  # a GGUF file; default: the packaged Qwen2.5 model, joined once
    # The packaged GGUF used when llm_model_path is unset (see services/agent/llm/model_files.py).
    llm_model: Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"] = "qwen2.5-coder-0.5b"
    llm_threads: int = 2
    llm_context_tokens: int = 4096
    llm_max_reply_tokens: int = 160
    llm_temperature: float = 0.6
    llm_timeout_s: float = 90.0
    openai_base_url: str = "http://127.0.0.1:11434/v1"
    openai_api_key: str = "not-needed"
    openai_model: str = "qwen2.5:1.5b-instruct"
    bedrock_model_id: str = "anthropic.claude-3-5-haiku-20241022-v1:0"
    bedrock_region: str = "us-east-1"
    # The scripted responder's pause between words (0: instant). Tests use it to kill a worker mid-reply.
    scripted_word_delay_s: float = Field(default=0.0, ge=0.0, le=5.0)

    # Turn processing. agent_concurrency 0 = automatic: 1 for a local model, 16 otherwise.
    agent_concurrency: int = 0
    turn_ack_wait_s: float = 10.0  # also the failover time when a replica dies mid-turn
    turn_max_deliver: int = 200
    turn_lease_s: float = 30.0
    turn_stuck_after_s: float = 180.0

    # Tools service: concurrent code runs / CV parses per replica; AWS Textract for scanned CVs.
    tools_concurrency: int = 2
    cv_textract: bool = False

    # Logging
    log_level: str = "INFO"

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"


@lru_cache
def get_settings() -> Settings:
    return Settings()

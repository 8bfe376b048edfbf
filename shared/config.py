"""Settings for every service, read from `PREPAI_*` environment variables.

One `Settings` object describes the whole platform so that `make run`, the
tests and a Kubernetes deployment configure services the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREPAI_", env_file=None, extra="ignore")

    # Messaging
    nats_url: str = "nats://127.0.0.1:4222"

    # Gateway
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    max_text_turn_chars: int = Field(default=4000, gt=0)

    # Storage: the local folder is the embedded default; S3 when a bucket is named.
    data_dir: Path = REPO_ROOT / "data"
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_prefix: str = ""

    # Analytics database: empty = an embedded SQLite file under the data folder (no set-up);
    # a SQLAlchemy URL for anything else, e.g. postgresql://user:pass@host/prepai (driver psycopg).
    database_url: str = ""

    # Agent / LLM
    llm_provider: Literal["llamacpp", "openai", "bedrock", "scripted"] = "llamacpp"
    llm_model_path: Path | None = None  # a GGUF file; default: the packaged Qwen2.5 model, joined once
    # The packaged GGUF used when llm_model_path is unset (see services/agent/llm/model_files.py).
    llm_model: Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"] = "qwen2.5-coder-0.5b"
    llm_threads: int = Field(default=2, gt=0)
    llm_context_tokens: int = Field(default=4096, ge=512)
    llm_max_reply_tokens: int = Field(default=160, gt=0)
    llm_temperature: float = Field(default=0.6, ge=0.0, le=2.0)
    llm_timeout_s: float = Field(default=90.0, gt=0)
    # The agent process runs at this lower CPU priority (nice): on shared cores the speech services' short
    # bursts (the last decode of a turn, the first sentence's synthesis) then pre-empt the model's long run.
    llm_nice: int = Field(default=5, ge=0, le=19)
    # Who words the reaction to a real answer: the model (checked before it is said, the planner's words when
    # it fails), or always the planner. `auto`: the planner with the packaged 0.5B model (measured: 2 of its
    # 26 reactions passed the check, and each held the voice back by about 2 s), else the model.
    llm_reactions: Literal["auto", "model", "planner"] = "auto"
    openai_base_url: str = "http://127.0.0.1:11434/v1"
    openai_api_key: SecretStr = SecretStr("not-needed")
    openai_model: str = "qwen2.5:1.5b-instruct"
    bedrock_model_id: str = "anthropic.claude-3-5-haiku-20241022-v1:0"
    bedrock_region: str = "us-east-1"
    # The scripted responder's pause between words (0: instant). Tests use it to kill a worker mid-reply.
    scripted_word_delay_s: float = Field(default=0.0, ge=0.0, le=5.0)

    # Turn processing. agent_concurrency 0 = automatic: 1 for a local model, 16 otherwise.
    agent_concurrency: int = Field(default=0, ge=0)
    turn_ack_wait_s: float = Field(default=10.0, gt=0)  # also the failover time when a replica dies mid-turn
    turn_max_deliver: int = Field(default=200, ge=2)
    # A crashed replica's lease blocks its session this long: a few heartbeats (ack_wait / 3), no more.
    turn_lease_s: float = Field(default=10.0, gt=0)
    turn_stuck_after_s: float = Field(default=180.0, gt=0)

    # Voice. Claims (one socket's audio) and sentences are redelivered this long after a replica died.
    voice_ack_wait_s: float = Field(default=10.0, gt=0)
    # STT: the packaged Whisper model (or any faster-whisper model folder), its threads, sockets per replica.
    stt_model: Literal["whisper-base"] = "whisper-base"
    stt_model_path: Path | None = None
    stt_threads: int = Field(default=2, gt=0)
    stt_beam_size: int = Field(default=2, ge=1, le=10)  # bench/stt_decode.py: 1 -> 2 cut WER 10.7 -> 8.4 %
    stt_max_sockets: int = Field(default=8, ge=1)
    # Turn-taking: the silence that ends a turn; longer after a filler or an unfinished clause ("so...",
    # "because"), and longer again in the coding phase (the candidate thinks while typing).
    endpoint_silence_ms: int = Field(default=600, ge=100, le=10_000)
    endpoint_unfinished_silence_ms: int = Field(default=1600, ge=100, le=20_000)
    endpoint_coding_factor: float = Field(default=2.0, ge=1.0, le=10.0)
    endpoint_max_turn_s: float = Field(default=300.0, gt=0)  # a monologue is cut into turns this long
    # Barge-in: speech over the interviewer counts after this much of it (noise and coughs do not).
    bargein_min_speech_ms: int = Field(default=400, ge=100, le=5_000)
    # TTS: the engine and its voice (a Piper .onnx path, or a Coqui model name); default: the packaged voice.
    tts_engine: Literal["piper", "espeak", "coqui"] = "piper"
    tts_voice: str | None = None
    tts_threads: int = Field(default=1, gt=0)
    tts_concurrency: int = Field(default=2, ge=1)

    # Tools service: concurrent code runs / CV parses per replica; AWS Textract for scanned CVs.
    tools_concurrency: int = Field(default=2, ge=1)
    cv_textract: bool = False
    # The evaluator asks the LLM provider to judge answers (checked by the rubric) when the provider is a
    # remote one (openai, bedrock); the embedded model is too small to judge, so it never does.
    evaluator_llm_judge: bool = True

    # Logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "debug", "info", "warning", "error"] = "INFO"

    @model_validator(mode="after")
    def _lease_outlives_heartbeats(self) -> Settings:
        # The lease is renewed every ack_wait / 3 seconds; a lease shorter than two renewals would lapse
        # under a busy event loop and let a second replica answer the same session.
        if self.turn_lease_s < 2 * self.turn_ack_wait_s / 3:
            raise ValueError(
                "PREPAI_TURN_LEASE_S must be at least two heartbeats (2/3 of PREPAI_TURN_ACK_WAIT_S)"
            )
        return self

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> Settings:
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise ValueError("PREPAI_STORAGE_BACKEND=s3 needs PREPAI_S3_BUCKET (the bucket to use)")
        return self

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def analytics_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'analytics' / 'analytics.db'}"

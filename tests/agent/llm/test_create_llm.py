"""From settings to a provider: `llm_options` maps `Settings` to a provider's options (bootstrap.py),
`create_llm` builds the provider those options are for; the options themselves are validated."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from pydantic import SecretStr, ValidationError

from services.agent.bootstrap import create_responder, llm_options
from services.agent.llm import create_llm
from services.agent.llm.bedrock import BedrockProvider
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.model_files import PACKAGED_MODELS
from services.agent.llm.openai_compat import OpenAICompatProvider
from services.agent.llm.options import (
    BedrockOptions,
    LlamaCppOptions,
    LLMOptions,
    OpenAIOptions,
    PackagedModelKey,
)
from services.agent.responders import ScriptedResponder
from shared.config import Settings


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (LlamaCppOptions(), LlamaCppProvider),
        (OpenAIOptions(), OpenAICompatProvider),
        (BedrockOptions(), BedrockProvider),
    ],
    ids=["llamacpp", "openai", "bedrock"],
)
async def test_builds_the_provider_the_options_are_for_without_loading_anything(
    options: LLMOptions, expected: type
):
    llm = create_llm(options)
    try:
        assert type(llm) is expected
    finally:
        await llm.aclose()


def test_anything_but_provider_options_is_refused():
    with pytest.raises(TypeError, match="not Settings"):
        create_llm(Settings())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            Settings(
                llm_provider="llamacpp",
                llm_model="qwen2.5-coder-1.5b",
                llm_model_path=Path("/models/mine.gguf"),
                data_dir=Path("/var/prepai"),
                llm_threads=8,
                llm_context_tokens=2048,
                llm_timeout_s=12.5,
            ),
            LlamaCppOptions(
                model="qwen2.5-coder-1.5b",
                model_path=Path("/models/mine.gguf"),
                model_cache_dir=Path("/var/prepai/models"),
                threads=8,
                context_tokens=2048,
                timeout_s=12.5,
            ),
        ),
        (
            Settings(
                llm_provider="openai",
                openai_base_url="https://api.example.com/v1",
                openai_api_key="sk-secret",
                openai_model="gpt-x",
                llm_timeout_s=12.5,
            ),
            OpenAIOptions(
                base_url="https://api.example.com/v1",
                api_key=SecretStr("sk-secret"),
                model="gpt-x",
                timeout_s=12.5,
            ),
        ),
        (
            Settings(
                llm_provider="bedrock",
                bedrock_model_id="amazon.nova-lite-v1:0",
                bedrock_region="eu-west-1",
                llm_timeout_s=12.5,
            ),
            BedrockOptions(model_id="amazon.nova-lite-v1:0", region="eu-west-1", timeout_s=12.5),
        ),
    ],
    ids=["llamacpp", "openai", "bedrock"],
)
def test_llm_options_carries_every_setting_of_the_named_provider(settings: Settings, expected: LLMOptions):
    assert llm_options(settings) == expected


@pytest.mark.parametrize(
    ("provider", "options_type"),
    [("llamacpp", LlamaCppOptions), ("openai", OpenAIOptions), ("bedrock", BedrockOptions)],
)
def test_the_options_defaults_are_the_settings_defaults(provider: str, options_type: type[LLMOptions]):
    defaults = Settings.model_construct(llm_provider=provider)  # the declared defaults, no environment
    assert llm_options(defaults) == options_type()


def test_the_packaged_model_keys_agree_everywhere():
    assert set(get_args(PackagedModelKey)) == set(PACKAGED_MODELS)
    assert get_args(Settings.model_fields["llm_model"].annotation) == get_args(PackagedModelKey)


def test_scripted_has_no_llm_options_but_a_responder():
    with pytest.raises(ValueError, match="scripted"):
        llm_options(Settings(llm_provider="scripted"))
    assert isinstance(create_responder(Settings(llm_provider="scripted")), ScriptedResponder)


def test_settings_a_provider_cannot_run_with_are_refused_at_startup():
    with pytest.raises(ValidationError, match="threads"):
        llm_options(Settings(llm_provider="llamacpp", llm_threads=0))
    with pytest.raises(ValidationError, match="timeout_s"):
        llm_options(Settings(llm_provider="openai", llm_timeout_s=0))


def test_options_are_frozen_and_refuse_unknown_fields():
    options = OpenAIOptions()
    with pytest.raises(ValidationError):
        options.model = "other"
    with pytest.raises(ValidationError, match="timeout"):
        BedrockOptions(timeout=5)  # type: ignore[call-arg]


def test_the_api_key_stays_out_of_reprs_and_logs():
    assert "sk-secret" not in repr(OpenAIOptions(api_key=SecretStr("sk-secret")))

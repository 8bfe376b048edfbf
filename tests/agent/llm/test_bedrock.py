"""What only the Bedrock provider does: the Converse request (system apart, alternating turns, at
most four stop sequences), SigV4 signing, and the mapping of Bedrock's error codes. Streaming,
cancellation, timeouts and the common failures run over real HTTP in test_provider_contract.py.

botocore's Stubber checks what involves no stream (it cannot stub `converse_stream`'s event
stream, see tests/agent/llm/backends.py): the exact request parameters, validated against the
service model, and error responses.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import NoCredentialsError
from botocore.stub import Stubber

from services.agent.domain.messages import ChatMessage
from services.agent.llm.base import LLMError
from services.agent.llm.bedrock import OPENING_USER_CUE, BedrockProvider, _as_llm_error, converse_request
from services.agent.llm.options import BedrockOptions
from tests.agent.llm.backends import BEDROCK_MODEL_ID, BedrockBackend, collect

CONVERSATION = [
    ChatMessage("system", "You are Alex, an interviewer."),
    ChatMessage("assistant", "Hi, I'm Alex. Tell me about yourself?"),
    ChatMessage("user", "I'm Sam."),
    ChatMessage("user", "[Interviewer notes: ask about Python]"),
]


def test_request_keeps_system_apart_and_alternates_turns_starting_with_the_user():
    request = converse_request(BEDROCK_MODEL_ID, CONVERSATION, 64, 0.3, ("Candidate:", "<|im_end|>"))
    assert request == {
        "modelId": BEDROCK_MODEL_ID,
        "system": [{"text": "You are Alex, an interviewer."}],
        "messages": [
            {"role": "user", "content": [{"text": OPENING_USER_CUE}]},
            {"role": "assistant", "content": [{"text": "Hi, I'm Alex. Tell me about yourself?"}]},
            {
                "role": "user",
                "content": [{"text": "I'm Sam."}, {"text": "[Interviewer notes: ask about Python]"}],
            },
        ],
        "inferenceConfig": {
            "maxTokens": 64,
            "temperature": 0.3,
            "stopSequences": ["Candidate:", "<|im_end|>"],
        },
    }


def test_request_without_any_turn_still_opens_with_a_user_message():
    request = converse_request(BEDROCK_MODEL_ID, [ChatMessage("system", "Greet the candidate.")], 32, 0.0, ())
    assert request["messages"] == [{"role": "user", "content": [{"text": OPENING_USER_CUE}]}]
    assert "stopSequences" not in request["inferenceConfig"]


def test_at_most_four_non_blank_stop_sequences_are_sent():
    request = converse_request(BEDROCK_MODEL_ID, CONVERSATION, 64, 0.3, ("a", " ", "b", "c", "\n", "d", "e"))
    assert request["inferenceConfig"]["stopSequences"] == ["a", "b", "c", "d"]


async def test_the_request_is_signed_with_sigv4_and_sent_to_the_model(bedrock_backend: BedrockBackend):
    await collect(bedrock_backend.provider(), CONVERSATION, max_tokens=64, temperature=0.3)
    sent = bedrock_backend.server.requests[-1]
    assert sent["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
    assert sent["model_id"] == BEDROCK_MODEL_ID
    expected = converse_request(BEDROCK_MODEL_ID, CONVERSATION, 64, 0.3, ())
    assert sent["body"]["system"] == expected["system"]
    assert sent["body"]["messages"] == expected["messages"]


def stubbed_client() -> Any:
    return boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )


# ThrottlingException, ValidationException and modelStreamErrorException: the contract test.
@pytest.mark.parametrize(
    ("code", "retryable"),
    [
        ("ServiceUnavailableException", True),
        ("InternalServerException", True),
        ("ModelNotReadyException", True),
        ("ModelTimeoutException", True),
        ("AccessDeniedException", False),
        ("ResourceNotFoundException", False),
    ],
)
async def test_a_bedrock_error_code_is_an_llm_error_retryable_for_transient_codes(code: str, retryable: bool):
    client = stubbed_client()
    provider = BedrockProvider(BedrockOptions(model_id=BEDROCK_MODEL_ID), client=client)
    # expected_params: the provider sends exactly converse_request's arguments, and Stubber
    # validates them against the bedrock-runtime service model.
    expected = converse_request(BEDROCK_MODEL_ID, CONVERSATION, 64, 0.3, ("Candidate:",))
    try:
        with Stubber(client) as stubber:
            stubber.add_client_error("converse_stream", code, "it went wrong", 400, expected_params=expected)
            with pytest.raises(LLMError) as caught:
                await collect(provider, CONVERSATION, max_tokens=64, temperature=0.3, stop=("Candidate:",))
            stubber.assert_no_pending_responses()
    finally:
        await provider.aclose()
    assert caught.value.retryable is retryable
    assert f"{code}: it went wrong" in str(caught.value)


def test_missing_credentials_are_a_clear_error_that_a_retry_cannot_fix():
    error = _as_llm_error(NoCredentialsError(), BEDROCK_MODEL_ID)
    assert "no AWS credentials found" in str(error)
    assert not error.retryable

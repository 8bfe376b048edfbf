"""What the words say: unfinished clauses, echo of the interviewer, cleaned transcripts, prompt biasing."""

from __future__ import annotations

import pytest

from services.stt.domain.language import (
    clean_transcript,
    echo_share,
    ends_unfinished,
    who_spoke,
    words_of,
)
from services.stt.domain.prompting import MAX_PROMPT_WORDS, TurnContext, hotwords, segment_prompt
from shared.interview_types import find_interview_type


@pytest.mark.parametrize(
    ("text", "unfinished"),
    [
        ("I would use a hash map.", False),
        ("So the first thing I'd do is", True),
        ("because", True),
        ("Um.", True),
        ("uh", True),
        ("I mean", True),
        ("and you know", True),
        ("It scales with the number of", True),
        ("We store it in a", True),
        ("Then I would...", True),
        ("First, the API gateway,", True),
        ("It went well.", False),
        ("Yes.", False),
        ("", False),
    ],
)
def test_unfinished_clauses(text: str, unfinished: bool):
    assert ends_unfinished(text) is unfinished


def test_echo_is_the_interviewers_words_coming_back():
    playing = "Tell me about a time you disagreed with your manager. How did you resolve it?"
    assert who_spoke("a time you disagreed with your manager", playing) == "echo"
    assert who_spoke("How did you resolve it", playing) == "echo"
    assert who_spoke("Tell me him.", playing) == "echo"  # misheard echo (a CI run took it for a barge-in)
    assert who_spoke("Wait, hold on, the manager was me", playing) != "echo"
    assert who_spoke("Sorry, could you repeat the question?", playing) != "echo"
    assert (
        who_spoke("Did you reply?", playing) != "echo"
    )  # "could you repeat" misheard: "did" says nothing of who
    assert who_spoke("How did you?", playing) == "echo"  # only common words: all of them count
    assert who_spoke("I think I would start with the data model", playing) != "echo"
    assert who_spoke("", playing) != "echo"  # nothing decoded: not the interviewer (nor a barge-in)
    assert echo_share("manager manager", playing) == 1.0


def test_who_spoke_is_unclear_when_the_words_cannot_tell():
    playing = "Tell me about a time you disagreed with your manager. How did you resolve it?"
    assert who_spoke("Could you repeat the question?", playing) == "candidate"
    assert who_spoke("a time you disagreed", playing) == "echo"
    assert who_spoke("How did you?", playing) == "echo"  # only common words, every one the interviewer's
    assert who_spoke("could you.", playing) == "unclear"  # "could" is not, "you" is: more speech will tell
    assert who_spoke("Yes.", playing) == "unclear"  # (the transcriber takes it as the answer after the reply)
    assert who_spoke("", playing) == "unclear"


def test_clean_transcript_drops_notes_for_sounds():
    assert clean_transcript(" [coughs] I would (laughs) use  a queue ♪ ") == "I would use a queue"
    assert words_of("Don't use CloudFront!") == ["don't", "use", "cloudfront"]


def test_hotwords_are_the_cv_skills_and_the_questions_terms():
    context = TurnContext(
        question="How would you serve static assets with CloudFront and S3, and keep sessions in DynamoDB?",
        skills=("Kubernetes", "PostgreSQL", "kubernetes"),
    )
    words = (hotwords(context) or "").split()
    assert words[:2] == ["Kubernetes", "PostgreSQL"]  # skills first, once each
    assert {"CloudFront", "S3", "DynamoDB"} <= set(words)
    assert "would" not in words and "How" not in words
    assert hotwords(TurnContext()) is None


def test_the_interview_types_vocabulary_fills_the_rest_of_the_budget():
    aws = find_interview_type("aws_sa")
    assert aws is not None
    context = TurnContext(
        question="Tell me about caching.", skills=("Python",), vocabulary=tuple(aws.vocabulary)
    )
    words = (hotwords(context) or "").split()
    assert words[0] == "Python" and {"CloudFront", "DynamoDB", "S3"} <= set(words)
    assert len(words) <= 24 + 10  # multi-word terms ("API Gateway") count once in the budget


def test_hotwords_stay_within_their_budget():
    context = TurnContext(skills=tuple(f"Skill{i}" for i in range(100)))
    assert len((hotwords(context) or "").split()) <= 24


def test_the_prompt_is_the_end_of_what_was_said():
    said = " ".join(f"w{i}" for i in range(200))
    prompt = segment_prompt(said) or ""
    assert prompt.split()[-1] == "w199"
    assert len(prompt.split()) == MAX_PROMPT_WORDS
    assert segment_prompt("") is None


def test_the_coding_phase_comes_from_the_agent_state():
    assert TurnContext(phase="coding").coding
    assert not TurnContext(phase="behavioral").coding

"""The word error rate used by the voice bench and tests (bench/wer.py)."""

from __future__ import annotations

import pytest

from bench.wer import WordErrors, align, normalize, total, wer, word_errors


def test_normalisation_makes_spelling_differences_equal() -> None:
    assert normalize("I'm using DynamoDB's read-your-writes!") == [
        "im",
        "using",
        "dynamodbs",
        "read",
        "your",
        "writes",
    ]
    assert normalize("Five nodes, 20 pods and TWELVE regions.") == [
        "5",
        "nodes",
        "20",
        "pods",
        "and",
        "12",
        "regions",
    ]
    assert normalize("The hit rate reached 90%") == normalize("the hit rate reached ninety percent")
    assert normalize("99.9% uptime, 10,000 requests") == ["99.9", "percent", "uptime", "10000", "requests"]
    assert normalize("Hello... world. Dot.") == ["hello", "world", "dot"]
    assert normalize("on-call — with a one–week rota") == ["on", "call", "with", "a", "1", "week", "rota"]


def test_fillers_are_ignored_unless_kept() -> None:
    assert normalize("Um, so... I think, uh, yes") == ["so", "i", "think", "yes"]
    assert normalize("Um, so", keep_fillers=True) == ["um", "so"]
    assert wer("um the answer is uh five", "the answer is 5") == 0.0


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("the cat sat on the mat", "the cat sat on the mat", WordErrors(0, 0, 0, 6)),
        ("the cat sat on the mat", "the cat sat on mat", WordErrors(0, 1, 0, 6)),
        ("the cat sat", "the big cat sat down", WordErrors(0, 0, 2, 3)),
        ("the cat sat", "a cat sad", WordErrors(2, 0, 0, 3)),
        ("CloudFront in front", "cloud front in front", WordErrors(1, 0, 1, 3)),
        ("", "", WordErrors(0, 0, 0, 0)),
        ("", "noise", WordErrors(0, 0, 1, 0)),
        ("all of it lost", "", WordErrors(0, 4, 0, 4)),
    ],
)
def test_errors_are_counted_by_kind(reference: str, hypothesis: str, expected: WordErrors) -> None:
    assert word_errors(reference, hypothesis) == expected


def test_rates() -> None:
    assert wer("a b c d", "a x c d") == 0.25
    assert wer("a b", "x y z w") == 2.0  # more errors than reference words
    assert wer("", "") == 0.0 and wer("", "extra") == 1.0
    assert wer("We use Kafka, keyed by customer ID.", "we use kafka keyed by customer id") == 0.0


def test_the_alignment_is_minimal() -> None:
    # Edit distance of these sequences is 3 (kitten -> sitting, over letters as words).
    assert align(list("kitten"), list("sitting")).errors == 3
    assert align(list("abc"), list("cab")).errors == 2


def test_pooled_over_utterances() -> None:
    pooled = total([word_errors("a b c d", "a b c d"), word_errors("a b", "a")])
    assert pooled == WordErrors(0, 1, 0, 6)
    assert pooled.rate == pytest.approx(1 / 6)
    assert total([]).rate == 0.0

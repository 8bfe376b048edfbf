"""Reply text made speakable: markdown and code out, interview notation said in words."""

from __future__ import annotations

import pytest

from services.tts.domain import speech_text


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("**Great** answer, _really_.", "Great answer, really."),
        ("- Use a *hash map* here.", "Use a hash map here."),
        ("## Next question", "Next question"),
        ("1. First, sort the input.", "First, sort the input."),
        ("> Quote me on that.", "Quote me on that."),
        ("See [the docs](https://example.com/x).", "See the docs."),
        ("Check https://example.com/a?b=1.", "Check the link."),
        ("Look at this:\n```python\nprint(1)\n```\nWhat does it print?", "Look at this: What does it print?"),
        ("Call `heapq.heappush` first.", "Call heapq.heappush first."),
        ("That runs in O(n log n) time.", "That runs in O of n log n time."),
        ("O(n^2) is too slow; aim for O(1).", "O of n squared is too slow; aim for O of 1."),
        ("BFS is O(V + E).", "BFS is O of V plus E."),
        (
            "n² pairs, 10^9 operations, 2^n subsets.",
            "n squared pairs, 10 to the power of 9 operations, 2 to the power of n subsets.",
        ),
        ("`a == b` -> true", "a equals b to true"),
        ("while i <= n and j != 0", "while i less than or equal to n and j is not equal to 0"),
        ("x = 5, then a + b * c", "x equals 5, then a plus b times c"),
        ("a % b", "a mod b"),
        ("About 95% of requests.", "About 95 percent of requests."),
        ("It costs $5 and takes ~100 ms.", "It costs 5 dollars and takes about 100 ms."),
        ("Take 5-10 minutes; n - 1 items remain.", "Take 5 to 10 minutes; n minus 1 items remain."),
        ("C++, C# and .NET", "C plus plus, C sharp and dot net"),
        ("e.g. a heap, i.e. a tree, etc.", "for example a heap, that is a tree, et cetera"),
        ("snake_case_name and state-of-the-art", "snake case name and state-of-the-art"),
        ("Nice work! 🎉", "Nice work!"),
        ("Let's go.", "Let's go."),
    ],
)
def test_speech_text(written: str, spoken: str) -> None:
    assert speech_text(written) == spoken


@pytest.mark.parametrize(
    "unspeakable", ["", "   ", "...", "---", "```\ncode()\n```", "🙂🎉", "| --- | --- |"]
)
def test_nothing_to_say(unspeakable: str) -> None:
    assert speech_text(unspeakable) == ""

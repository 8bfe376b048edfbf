"""A reply's voice: sentences cut from the stream, the fixed line requested at once, order kept."""

from __future__ import annotations

import pytest

from services.agent.domain.sentences import SentenceSplitter, sentences
from services.agent.speech import REACTION_SLOTS, ReplyVoice


def test_sentences_are_cut_at_their_ends_not_at_abbreviations_or_numbers() -> None:
    splitter = SentenceSplitter(first_clause=False)
    pieces: list[str] = []
    for text in ["Use a cache, e.g. Redis. It ", "cuts p99 to 3.5 ms! Does ", "that fit?", " Fine"]:
        pieces += splitter.feed(text)
    assert pieces == ["Use a cache, e.g. Redis.", "It cuts p99 to 3.5 ms!", "Does that fit?"]
    assert splitter.flush() == "Fine"
    assert sentences("One. Two? Three") == ["One.", "Two?", "Three"]


def test_the_first_piece_may_be_a_clause_so_the_voice_starts_sooner() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("Right, ") == []  # too short to say on its own
    assert splitter.feed("that is a fair trade-off, and ") == ["Right, that is a fair trade-off,"]
    assert splitter.feed("the rest, follows. ") == ["and the rest, follows."]  # only the first piece


class Recorder:
    def __init__(self) -> None:
        self.said: list[tuple[int, str, bool]] = []

    async def __call__(self, index: int, text: str, final: bool) -> None:
        self.said.append((index, text, final))


async def test_the_fixed_line_starts_first_and_the_rest_follows_the_reaction() -> None:
    say = Recorder()
    voice = ReplyVoice(say, "Next question. How would you shard it?")
    await voice.start()
    assert say.said == [(REACTION_SLOTS, "Next question.", False)]  # synthesised while the model writes
    await voice.feed("Good, you covered the main ")
    await voice.feed("risk, and the cost. Also ")
    await voice.finish()
    assert say.said[1:] == [
        (0, "Good, you covered the main risk,", False),
        (1, "and the cost. Also", False),
        (REACTION_SLOTS + 1, "How would you shard it?", True),
    ]
    assert voice.first_piece_at is not None


@pytest.mark.parametrize("reaction", ["", "Thanks."])
async def test_unused_reaction_slots_go_out_empty_to_keep_the_order(reaction: str) -> None:
    say = Recorder()
    voice = ReplyVoice(say, "What next?")
    await voice.start()
    await voice.feed(reaction)
    await voice.finish()
    slots = sorted(said for said in say.said if said[0] < REACTION_SLOTS)
    assert [index for index, _, _ in slots] == list(range(REACTION_SLOTS))
    assert " ".join(text for _, text, _ in slots).strip() == reaction
    assert [final for *_, final in say.said].count(True) == 1


async def test_a_free_reply_is_said_in_order_and_ends_with_a_final_piece() -> None:
    say = Recorder()
    voice = ReplyVoice(say, None)
    await voice.start()
    await voice.feed("The loop is on site, four rounds in a day. Lunch ")
    await voice.feed("is with the team.")
    await voice.finish()
    assert say.said == [
        (0, "The loop is on site,", False),
        (1, "four rounds in a day.", False),
        (2, "Lunch is with the team.", True),
    ]


def test_a_long_first_sentence_may_be_cut_before_a_conjunction() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("We store the sessions in DynamoDB and serve ") == [
        "We store the sessions in DynamoDB"
    ]
    assert splitter.feed("the assets from CloudFront. Fine. ") == [
        "and serve the assets from CloudFront.",
        "Fine.",
    ]
    short = SentenceSplitter()
    assert short.feed("Yes and no. ") == ["Yes and no."]  # too short to cut

from __future__ import annotations

from services.agent.domain.reply_guard import ReplyGuard


def stream(pieces: list[str]) -> tuple[str, str]:
    guard = ReplyGuard()
    published = "".join(guard.feed(p) for p in pieces) + guard.finish()
    return published, guard.text


def test_plain_reply_passes_through_unchanged() -> None:
    text = "Thanks, that makes sense. How would you scale it to ten million users?"
    published, stored = stream([text[i : i + 3] for i in range(0, len(text), 3)])
    assert published == stored == text


def test_leading_speaker_label_is_removed() -> None:
    published, _ = stream(["Interviewer", ": ", "Great answer. ", "Next question?"])
    assert published == "Great answer. Next question?"


def test_stops_where_the_model_starts_writing_the_candidate() -> None:
    published, stored = stream(["Good. What is a heap?", "\nCandidate: A heap is", " a tree."])
    assert published == stored == "Good. What is a heap?"


def test_never_leaks_the_private_notes() -> None:
    published, _ = stream(["Nice work. ", "[Interviewer notes: ask about ", "caching]"])
    assert "notes" not in published.lower()
    assert published == "Nice work."


def test_an_echoed_instruction_is_removed() -> None:
    published, _ = stream(["React to the candidate's last answer:", " Great work on that", " migration. "])
    assert published == "Great work on that migration."


def test_a_reaction_is_cut_after_its_first_sentence() -> None:
    guard = ReplyGuard(max_sentences=1)
    text = (
        "".join(guard.feed(p) for p in ["Nice, ", "that is clear. ", "Now tell me", " about heaps."])
        + guard.finish()
    )
    assert text == "Nice, that is clear."


def test_text_is_released_as_soon_as_it_cannot_be_a_label_or_a_stop_marker() -> None:
    """Holding text back delays the voice: only what could still become a label or a marker waits."""
    guard = ReplyGuard()
    assert guard.feed("Good, that ") == "Good, that"  # its first word is no label; the space may precede one
    assert guard.feed("works.\nCandi") == " works."  # "\nCandi" could be "\nCandidate:"
    assert guard.feed("date: I would") == ""  # it was: the stream stops there
    assert guard.stopped and guard.text == "Good, that works."
    labelled = ReplyGuard()
    assert labelled.feed("Interv") == ""  # may still become "Interviewer:"
    assert labelled.feed("iewer: Sure, ") == "Sure,"


def test_the_sentence_limit_holds_when_the_full_stop_comes_alone() -> None:
    """A model's tokens: "!" then " Greetings": the limit must not wait for a space after the "!"."""
    guard = ReplyGuard(max_sentences=1)
    out = ""
    for piece in ["Hello", " Sam", "!", " Greetings", ",", " Alex", ".", " I", " am", " a", " dev", "."]:
        out += guard.feed(piece)
        if guard.stopped:
            break
    out += guard.finish()
    assert out == "Hello Sam!"

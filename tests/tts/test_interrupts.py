"""The interrupted-turn memory: per turn, per session (no turn id), bounded, expiring."""

from __future__ import annotations

import pytest

from services.tts.domain import InterruptedTurns


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_turn_interrupt_covers_that_turn_only() -> None:
    turns = InterruptedTurns()
    assert turns.add("s1", "t1", interrupted_at=100.0)
    assert not turns.add("s1", "t1", interrupted_at=101.0)  # already known
    assert turns.covers("s1", "t1", requested_at=200.0)  # even a sentence requested later: same turn
    assert not turns.covers("s1", "t2", requested_at=50.0)
    assert not turns.covers("s2", "t1", requested_at=50.0)


def test_an_interrupt_without_a_turn_stops_what_the_session_asked_for_before_it() -> None:
    turns = InterruptedTurns()
    assert turns.add("s1", None, interrupted_at=100.0)
    assert turns.covers("s1", "t1", requested_at=99.5)
    assert turns.covers("s1", "t1", requested_at=100.0)
    assert not turns.covers("s1", "t2", requested_at=100.5)  # the next reply speaks
    assert not turns.covers("s2", "t1", requested_at=99.0)
    assert turns.add("s1", None, interrupted_at=110.0)
    assert not turns.add("s1", None, interrupted_at=105.0)  # older news: the later interrupt stands
    assert turns.covers("s1", "t2", requested_at=109.0)


def test_memory_is_bounded_oldest_first() -> None:
    turns = InterruptedTurns(capacity=3)
    for i in range(5):
        turns.add("s", f"t{i}", 0.0)
    assert len(turns) == 3
    assert [turns.covers("s", f"t{i}", 0.0) for i in range(5)] == [False, False, True, True, True]
    turns.add("s", "t2", 0.0)  # re-added: now the newest
    turns.add("s", "t5", 0.0)
    assert turns.covers("s", "t2", 0.0) and not turns.covers("s", "t3", 0.0)


def test_entries_expire() -> None:
    clock = Clock()
    turns = InterruptedTurns(ttl_s=60.0, clock=clock)
    turns.add("s", "t1", 0.0)
    turns.add("s", None, 10.0)
    clock.now = 30.0
    turns.add("s", "t2", 0.0)
    clock.now = 61.0
    assert not turns.covers("s", "t1", 0.0) and not turns.covers("s", "t9", 5.0)
    assert turns.covers("s", "t2", 0.0)
    assert len(turns) == 1


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        InterruptedTurns(capacity=0)

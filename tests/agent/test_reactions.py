"""The interviewer's reactions follow what the answer was: whole scripted interviews (nonsense, evasive, weak,
strong and help-seeking candidates) through the real turn path, counted; then the pieces one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.agent.bootstrap import model_reactions
from services.agent.domain.candidate_questions import answer_about_the_job
from services.agent.domain.reactions import REACTIONS, pick_reaction, rejection, speaks_as_candidate
from services.agent.domain.signals import read_answer, topic_roots
from services.agent.llm.llamacpp import LlamaCppProvider
from services.agent.llm.options import LlamaCppOptions
from services.agent.responders import LLMResponder, ScriptedResponder
from shared.config import Settings
from shared.interview_types import INTERVIEW_TYPES, find_interview_type
from shared.question_bank import load_question_bank
from tests.agent.fakes import FakeLLM
from tests.agent.scripted_interviews import (
    CANDIDATES,
    EVASIVE,
    HELP,
    NONSENSE,
    PRAISE,
    WEAK,
    Counts,
    first_sentence,
    run_interview,
    strong_answer,
)
from tests.agent.test_turns import ANSWER, Rig, text

# --- whole interviews, scripted responder (no model) -------------------------------------------------------


@pytest.mark.parametrize("itype", [t.id for t in INTERVIEW_TYPES])
@pytest.mark.parametrize("kind", list(CANDIDATES))
async def test_scripted_interviews_never_praise_nonsense_or_leave_the_role(
    kind: str, itype: str, tmp_path: Path
) -> None:
    greeting, exchanges = await run_interview(
        ScriptedResponder(), kind, interview_type=itype, session_id=f"{kind}-{itype}", storage=tmp_path
    )
    counts = Counts(kind)
    counts.add(exchanges, greeting)
    assert exchanges and exchanges[-1].reply.endswith("feedback report."), "the interview reaches its close"
    assert counts.praised_nonsense == 0, counts.examples
    assert counts.unearned_praise == 0, counts.examples
    assert counts.nonsense_not_flagged == 0, counts.examples
    assert counts.out_of_role == 0, counts.examples
    assert counts.repeated_reactions == 0, counts.examples
    assert counts.requests_unmet == 0, counts.examples
    assert counts.empty_replies == 0


async def test_strong_answers_earn_praise_and_weak_ones_do_not(tmp_path: Path) -> None:
    """Praise is not simply gone: the answers that covered the key points get it."""
    _, strong = await run_interview(ScriptedResponder(), "strong", storage=tmp_path / "s")
    _, weak = await run_interview(ScriptedResponder(), "weak", storage=tmp_path / "w")
    praised = [ex for ex in strong if ex.question is not None and PRAISE.search(first_sentence(ex.reply))]
    assert len(praised) >= len([ex for ex in strong if ex.question is not None]) - 1
    assert not any(PRAISE.search(first_sentence(ex.reply)) for ex in weak)


async def test_a_nonsense_answer_is_asked_again_once_then_the_interview_moves_on(tmp_path: Path) -> None:
    _, exchanges = await run_interview(ScriptedResponder(), "nonsense", storage=tmp_path)
    at = next(n for n, ex in enumerate(exchanges) if ex.question is not None)
    first, second = exchanges[at], exchanges[at + 1]  # the first two answers to the first bank question
    assert first.question is not None and "Let me ask again: " + first.question.text in first.reply
    assert second.question == first.question and first.question.text not in second.reply
    others = [q for q in load_question_bank("google_sde") if q.id != first.question.id]
    assert any(q.text in second.reply for q in others), "moved on to another question"


# --- the real local model (slow: -m model) -----------------------------------------------------------------


@pytest.mark.model
@pytest.mark.timeout(1800)
async def test_with_the_local_model_nonsense_is_never_praised_and_replies_stay_in_role(
    tmp_path: Path,
) -> None:
    """The agent's defaults (temperature 0.6); 12 answers per interview keep it to minutes on 2 cores."""
    responder = LLMResponder(LlamaCppProvider(LlamaCppOptions()), max_tokens=160, temperature=0.6)
    rows: list[Counts] = []
    try:
        for kind in ("nonsense", "evasive", "strong", "weak", "help"):
            greeting, exchanges = await run_interview(
                responder, kind, session_id=f"model-{kind}", storage=tmp_path / kind, max_answers=12
            )
            counts = Counts(kind)
            counts.add(exchanges, greeting)
            rows.append(counts)
            print(counts.row(), counts.examples)  # the figures, with -s
    finally:
        await responder.aclose()
    for counts in rows:
        assert counts.praised_nonsense == 0, counts.examples
        assert counts.unearned_praise == 0, counts.examples
        assert counts.out_of_role == 0, counts.examples
        assert counts.repeated_reactions == 0, counts.examples
        assert counts.nonsense_not_flagged == 0, counts.examples
        assert counts.requests_unmet == 0, counts.examples


# --- the model's reaction is checked before it is said -----------------------------------------------------


@pytest.mark.parametrize(
    "model_says",
    [
        "Great answer! That's exactly right.",  # praise for an answer that covered no key point
        "Hello Alex, I'm a Google SDE candidate with a strong background in Python.",  # the candidate's voice
        "Oh, I'm sorry, I'm not sure how to help.",
        "Interesting, what made you pick Python?",  # a question of its own
        "Sure, I'd be happy to help you with that.",  # a chat assistant, not an interviewer
        "You're welcome!",  # to something the candidate never said
    ],
)
async def test_a_model_reaction_that_fails_the_check_is_replaced_by_the_planners(
    tmp_path: Path, model_says: str
) -> None:
    rig = Rig(tmp_path, FakeLLM(reply=model_says))
    sid = await rig.session()
    await rig.deliver(text(sid, ANSWER, "u1"))
    assert len(rig.llm.calls) == 1
    reply = (await rig.repo.get(sid)).transcript[-1].text
    assert first_sentence(model_says) not in reply.lower()
    assert first_sentence(reply) in {line.lower() for line in REACTIONS["answered"]}


async def test_a_model_reaction_that_passes_is_said_and_not_repeated(tmp_path: Path) -> None:
    rig = Rig(tmp_path, FakeLLM(reply="Okay, so the services run on Kubernetes. More text."))
    sid = await rig.session()
    await rig.deliver(text(sid, ANSWER, "u1"))
    await rig.deliver(text(sid, ANSWER + " We also run the ledger there.", "u2"))
    first, second = [e.text for e in (await rig.repo.get(sid)).transcript if e.role == "assistant"]
    assert first.startswith("Okay, so the services run on Kubernetes. ")
    assert "More text" not in first  # one sentence, then the planned line
    assert not second.startswith("Okay, so the services run on Kubernetes.")  # heard already: replaced


async def test_nonsense_never_reaches_the_model(tmp_path: Path) -> None:
    """The planner's words are said at once: no model call, so no praise to filter, and no wait."""
    rig = Rig(tmp_path, FakeLLM(reply="Good idea!"))
    sid = await rig.session()
    for n, answer in enumerate([NONSENSE[0], EVASIVE[0], "", HELP[0], HELP[2]]):
        await rig.deliver(text(sid, answer, f"u{n}"))
    assert rig.llm.calls == []
    replies = [e.text for e in (await rig.repo.get(sid)).transcript if e.role == "assistant"]
    assert replies and not any("Good idea" in r for r in replies)


async def test_with_planner_reactions_the_model_is_never_asked_nor_pre_read(tmp_path: Path) -> None:
    """`PREPAI_LLM_REACTIONS=planner` (the default with the packaged 0.5B model): the planner's words at once."""
    rig = Rig(tmp_path, FakeLLM(reply="Okay, so the services run on Kubernetes."), model_reactions=False)
    sid = await rig.session()
    await rig.deliver(text(sid, ANSWER, "u1"))
    await rig.processor.interviewer.prefill(await rig.repo.get(sid), "I would use a")
    assert rig.llm.calls == [] and rig.llm.prefilled == []
    reply = (await rig.repo.get(sid)).transcript[-1].text
    assert first_sentence(reply) in {line.lower() for line in REACTIONS["answered"]}


@pytest.mark.parametrize(
    ("settings", "model_words_them"),
    [
        ({}, False),  # the packaged 0.5B model
        ({"llm_model": "qwen2.5-coder-1.5b"}, True),
        ({"llm_provider": "openai"}, True),
        ({"llm_reactions": "model"}, True),
        ({"llm_provider": "openai", "llm_reactions": "planner"}, False),
    ],
)
def test_who_words_the_reactions_by_default(settings: dict[str, str], model_words_them: bool) -> None:
    assert model_reactions(Settings(**settings)) is model_words_them


# --- the pieces ------------------------------------------------------------------------------------------


def test_answer_kinds() -> None:
    google = find_interview_type("google_sde")
    assert google is not None
    topic = topic_roots(google.vocabulary, google.focus)
    for answer in NONSENSE:
        assert read_answer(answer, (), topic).kind in ("unclear", "empty"), answer
    for answer in EVASIVE:
        assert read_answer(answer, (), topic).kind == "evasive", answer
    for answer in WEAK:
        assert read_answer(answer, (), topic).kind == "answered", answer
    assert [read_answer(a).kind for a in HELP] == [
        "hint_request",
        "repeat_request",
        "role_question",
        "role_question",
        "role_question",
    ]
    assert read_answer("I don't know").kind == "stuck"
    assert read_answer("data data data data data").kind == "unclear"
    assert read_answer("Can I assume the array is sorted?").kind == "answered"  # about the question itself
    # Questions about the interview question that only sound like questions about the job:
    for about_the_question in (
        "Should we pay for reserved capacity up front?",
        "What are the benefits of a write-through cache here?",
        "Should I use the team's existing database?",
        "How many stages does the pipeline have?",
        "Should the report include the totals?",
    ):
        assert read_answer(about_the_question).kind != "role_question", about_the_question
    story = (
        "My grandmother was very ill in my final year, and I had to look after her while I was also "
        "finishing my thesis on my own."
    )
    assert read_answer(story).kind == "answered"  # a real story in plain sentences, not nonsense


@pytest.mark.parametrize("itype", [t.id for t in INTERVIEW_TYPES])
def test_a_real_answer_to_any_bank_question_is_never_taken_for_nonsense(itype: str) -> None:
    """The other side of "I didn't follow": an answer in the question's own terms is understood."""
    interview_type = find_interview_type(itype)
    assert interview_type is not None
    for question in load_question_bank(itype):
        topic = topic_roots(question.text, question.hints, question.follow_ups, interview_type.vocabulary)
        assert read_answer(strong_answer(question), question.key_points, topic).kind == "strong"
        for hint in question.hints:  # a partial answer that takes up a hint's idea
            assert read_answer(f"I think {hint}", question.key_points, topic).kind != "unclear", hint


def test_reaction_lines_are_unique_and_picked_without_repeats() -> None:
    lines = [line.lower() for pool in REACTIONS.values() for line in pool]
    assert len(lines) == len(set(lines)), "a line in two pools is heard twice"
    for kind, pool in REACTIONS.items():
        if kind != "strong":
            assert not any(PRAISE.search(line) for line in pool), kind
        used: list[str] = []
        for n in range(len(pool)):
            used.append(pick_reaction(kind, used, f"seed:{n}"))
        assert sorted(used) == sorted(pool)
        assert pick_reaction(kind, used, "x") == used[0]  # all said: the one said longest ago


def test_the_reaction_check() -> None:
    assert rejection("Great, that covers it.", praise_earned=True, used=[]) is None
    assert rejection("Great, that covers it.", praise_earned=False, used=[]) == "unearned praise"
    assert rejection("Okay, so you would cache it.", praise_earned=False, used=[]) is None
    assert (
        rejection(
            "Okay, so you would cache the results.",
            praise_earned=False,
            used=["Okay, so you would cache it."],
        )
        == "said before"
    )
    assert rejection("Why did you choose that?", praise_earned=True, used=[]) == "a question"
    answer = "I would use a database for it and cache the hot rows."
    assert rejection(
        "Okay, use a database for it and cache them.", praise_earned=False, used=[], answer=answer
    )
    assert (
        rejection("Okay, a database with a cache in front.", praise_earned=False, used=[], answer=answer)
        is None
    )
    assert speaks_as_candidate("Hello Alex, I'm a Google SDE candidate with a strong background.")
    assert speaks_as_candidate("I have five years of experience in backend systems.")
    assert not speaks_as_candidate("Okay, you have five services to deploy there.")


@pytest.mark.parametrize("itype", INTERVIEW_TYPES, ids=lambda t: t.id)
def test_questions_about_the_job_are_answered_from_the_fact_sheet(itype) -> None:  # type: ignore[no-untyped-def]
    for topic in ("team", "salary", "practice", None):
        assert "practice" in answer_about_the_job(itype, topic)
    loop = answer_about_the_job(itype, "loop")
    assert "interview" in loop and "round" in loop
    assert str(itype.duration_minutes) in answer_about_the_job(itype, "format")
    assert answer_about_the_job(itype, "role")


async def test_a_question_about_the_team_mid_interview_is_answered_then_the_question_is_asked_again(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    sid = await rig.session()
    await rig.deliver(text(sid, ANSWER, "u1"))
    asked = (await rig.repo.get(sid)).transcript[-1]
    await rig.deliver(text(sid, "What does the team I'd join work on?", "u2"))
    reply = (await rig.repo.get(sid)).transcript[-1]
    bank = {q.id: q for q in load_question_bank("google_sde")}
    assert "practice interview" in reply.text and "won't make one up" in reply.text
    assert reply.text.endswith(bank[asked.question_id or ""].text)
    assert reply.question_id == asked.question_id

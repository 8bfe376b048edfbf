from __future__ import annotations

import pytest

from services.agent.domain.planner import (
    PHASE_QUESTIONS,
    CandidateContext,
    InterviewState,
    ReplyPlan,
    cite_cv,
    mentions_cv,
    plan_turn,
)
from services.agent.domain.signals import read_answer
from shared.interview_types import INTERVIEW_TYPES, find_interview_type
from shared.question_bank import load_question_bank

ADA = CandidateContext("Ada")
GOOD_ANSWER = (
    "I would use a hash map from value to index, scanning once: for each element I check whether the complement "
    "is already in the map, which gives linear time and linear extra space, and I would test duplicates and "
    "negative numbers as edge cases before discussing trade-offs."
)


def run(
    type_id: str, answers: list[str], candidate: CandidateContext = ADA
) -> list[tuple[ReplyPlan, InterviewState]]:
    itype = find_interview_type(type_id)
    assert itype is not None
    bank = load_question_bank(itype.id)
    state = InterviewState()
    plans = []
    for text in [None, *answers]:
        plan, state = plan_turn(state, itype, bank, text, candidate, seed="session-1")
        plans.append((plan, state))
    return plans


def test_greeting_names_candidate_and_asks_intro() -> None:
    plan, state = run("google_sde", [])[0]
    assert plan.action == "greet"
    assert "Ada" in plan.line and plan.line.endswith("?")
    assert state.phase == "introduction"


@pytest.mark.parametrize("itype", INTERVIEW_TYPES, ids=lambda t: t.id)
def test_every_type_walks_all_phases_to_wrap_up(itype) -> None:  # type: ignore[no-untyped-def]
    plans = run(itype.id, [GOOD_ANSWER] * 30)
    phases_seen = [p.phase for p, _ in plans]
    core = [p for p in itype.phases if p in PHASE_QUESTIONS]
    for phase in core:
        assert phase in phases_seen, f"{itype.id} never reached {phase}"
    assert "candidate_questions" in phases_seen and "wrap_up" in phases_seen
    # phases come in the plan's order
    order = [p for i, p in enumerate(phases_seen) if i == 0 or phases_seen[i - 1] != p]
    assert order == ["introduction", *core, "candidate_questions", "wrap_up", "closed"]
    asked = plans[-1][1].asked_question_ids
    assert len(asked) == len(set(asked)), "a question was asked twice"


def test_struggling_candidate_gets_graded_hints_then_moves_on() -> None:
    plans = run("google_sde", [GOOD_ANSWER, GOOD_ANSWER] + ["I don't know"] * 5)
    stuck_on = plans[2][1].current_question_id
    question = {q.id: q for q in load_question_bank("google_sde")}[stuck_on or ""]
    actions = [p.action for p, _ in plans[3:]]
    hints = len(question.hints)
    assert actions[:hints] == ["hint"] * hints
    assert [p.line for p, _ in plans[3 : 3 + hints]] == [
        f"Here's a hint: {h} Give it another try." for h in question.hints
    ]
    assert actions[hints] == "move_on"
    moved = plans[3 + hints][1]
    assert moved.current_question_id != stuck_on
    assert moved.difficulty == 1  # adapted down


def test_strong_answers_raise_difficulty() -> None:
    itype = find_interview_type("coding")
    assert itype is not None
    bank = {q.id: q for q in load_question_bank(itype.id)}
    state = InterviewState()
    _, state = plan_turn(state, itype, list(bank.values()), None, ADA, seed="s")
    _, state = plan_turn(state, itype, list(bank.values()), GOOD_ANSWER, ADA, seed="s")
    asked = bank[state.current_question_id or ""]
    before = state.difficulty
    strong = (
        "Let me walk through it carefully. " + ". ".join(asked.key_points) + ". That covers the main points."
    )
    plan, state = plan_turn(state, itype, list(bank.values()), strong, ADA, seed="s")
    assert state.strong_answers == 1
    assert state.difficulty == min(3, before + 1)
    assert plan.action == "ask"  # a strong answer needs no follow-up: next question


def test_clarification_restates_current_question() -> None:
    plans = run("behavioral", [GOOD_ANSWER, "Sorry, can you repeat the question?"])
    plan, state = plans[-1]
    assert plan.action == "clarify"
    assert state.current_question_id == plans[-2][1].current_question_id


def test_cv_skills_steer_question_choice() -> None:
    bank = load_question_bank("google_sde")
    tagged = [q for q in bank if q.cv_skills]
    assert tagged, "the bank needs CV-tagged questions"
    skill = tagged[0].cv_skills[0]
    with_cv = run("google_sde", [GOOD_ANSWER] * 8, CandidateContext("Ada", cv_skills=[skill]))
    asked = with_cv[-1][1].asked_question_ids
    assert any(skill in q.cv_skills for q in bank if q.id in asked)


def test_a_question_about_the_cv_quotes_where_the_cv_uses_the_skill() -> None:
    bank = load_question_bank("google_sde")
    skills = sorted({s for q in bank if mentions_cv(q) for s in q.cv_skills})
    quotes = {s.lower(): [f"Ran {s} in production", "Built everything with everything"] for s in skills}
    candidate = CandidateContext("Ada", cv_skills=skills, cv_quotes=quotes)
    plans = run("google_sde", [GOOD_ANSWER] * 12, candidate)
    asked = [(plan, plan.question) for plan, _ in plans if plan.action == "ask" and plan.question]
    about_cv = [(plan, q) for plan, q in asked if mentions_cv(q)]
    assert len(about_cv) >= 2, "a CV like this one gets questions about it"
    cited = []
    for plan, question in about_cv:
        quote = next(q for s in question.cv_skills for q in quotes[s.lower()] if f"“{q}”" in plan.line)
        citation = f", where you wrote “{quote}”"
        assert citation in plan.line, plan.line
        assert plan.line.replace(citation, "").endswith(question.text)  # nothing else changed
        cited.append(quote)
    assert len(cited) == len(set(cited)), "a CV line is quoted once"
    assert plans[-1][1].cv_quoted == cited
    assert all("where you wrote" not in plan.line for plan, q in asked if not mentions_cv(q))


def test_the_cv_quote_goes_after_the_clause_that_names_the_cv() -> None:
    quote = "Wrote the ingestion service in Go"
    assert (
        cite_cv("Since Go is on your CV: how does a slice relate to its array?", quote)
        == "Since Go is on your CV, where you wrote “Wrote the ingestion service in Go”: how does a slice relate "
        "to its array?"
    )
    assert (
        cite_cv("Your CV mentions .NET or Azure. Walk me through a service.", quote)
        == "Your CV mentions .NET or Azure, where you wrote “Wrote the ingestion service in Go”. Walk me through "
        "a service."
    )
    unchanged = "Tell me about a project. Which part of your CV are you proudest of?"
    assert cite_cv(unchanged, quote) == unchanged  # the first clause does not name the CV


def test_questions_about_the_cv_need_a_cv() -> None:
    plans = run("google_sde", [GOOD_ANSWER] * 12)
    bank = {q.id: q for q in load_question_bank("google_sde")}
    for qid in plans[-1][1].asked_question_ids:
        assert "your cv" not in bank[qid].text.lower()


def test_different_sessions_get_different_interviews() -> None:
    itype = find_interview_type("amazon_sde")
    assert itype is not None
    bank = load_question_bank(itype.id)
    firsts = set()
    for seed in ("a", "b", "c", "d", "e", "f"):
        state = InterviewState()
        for text in (None, GOOD_ANSWER, GOOD_ANSWER):
            _, state = plan_turn(state, itype, bank, text, ADA, seed=seed)
        firsts.add(tuple(state.asked_question_ids))
    assert len(firsts) > 1


def test_answer_signals() -> None:
    assert read_answer("I don't know").struggling
    assert read_answer("Could I get a hint?").asks_hint
    assert read_answer("What do you mean by that?").asks_clarification
    signals = read_answer("We used a hash map for constant time lookup", ["hash map lookup", "sorting first"])
    assert signals.covered_points == ("hash map lookup",)
    assert signals.key_point_coverage == 0.5


def test_the_model_words_a_reaction_only_to_a_real_answer_and_praise_only_when_earned() -> None:
    plans = run("google_sde", [GOOD_ANSWER, "banana banana purple monkey dishwasher", "I'd rather not say."])
    intro, nonsense, evasive = (p for p, _ in plans[1:])
    assert intro.model_reacts and not intro.praise_earned  # an introduction has no key points to cover
    assert not nonsense.model_reacts and nonsense.action == "clarify"
    assert nonsense.line.startswith("Let me ask again: ")
    assert not evasive.model_reacts and evasive.action == "move_on"
    question = {q.id: q for q in load_question_bank("google_sde")}[plans[1][1].current_question_id or ""]
    strong = (
        "Let me walk through it carefully. " + ". ".join(question.key_points) + ". That covers it, I think."
    )
    plan, _ = run("google_sde", [GOOD_ANSWER, strong])[-1]
    assert plan.model_reacts and plan.praise_earned


def test_a_hint_request_gets_the_hint_plainly_and_a_repeat_request_the_question() -> None:
    plans = run("google_sde", [GOOD_ANSWER, "Can you give me a hint?", "Could you repeat the question?"])
    asked = {q.id: q for q in load_question_bank("google_sde")}[plans[1][1].current_question_id or ""]
    hint, repeat = plans[2][0], plans[3][0]
    assert hint.action == "hint" and hint.line == f"Here's a hint: {asked.hints[0]} Give it another try."
    assert "sorry" not in hint.text.lower() and not hint.model_reacts
    assert repeat.action == "clarify" and repeat.line == asked.text and not repeat.model_reacts


def test_after_a_follow_up_a_repeat_request_or_an_unclear_answer_gets_the_follow_up() -> None:
    partial = "I would keep it simple and make sure it works."  # answered, key points missing: a follow-up
    plans = run("google_sde", [GOOD_ANSWER, partial, "Could you repeat that?"])
    follow_up, repeat = plans[2][0], plans[3][0]
    assert follow_up.action == "follow_up"
    assert repeat.action == "clarify" and repeat.line == follow_up.line
    plans = run("google_sde", [GOOD_ANSWER, partial, "Sure, happy to go deeper."])
    follow_up, reask = plans[2][0], plans[3][0]
    assert reask.line == f"Let me ask again: {follow_up.line}"
    # A new question forgets the follow-up.
    asked = run("google_sde", [GOOD_ANSWER, partial, GOOD_ANSWER, GOOD_ANSWER])
    assert all(state.follow_up is None for plan, state in asked if plan.action == "ask")

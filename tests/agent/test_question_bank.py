"""The starter question banks load, match the interview-type catalogue, and bad files are rejected clearly."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.agent.domain.signals import content_words
from shared.interview_types import INTERVIEW_TYPES, InterviewType
from shared.question_bank import (
    DEFAULT_BANK_FOLDER,
    FACTS_FILE,
    PHASES_WITHOUT_BANK,
    Question,
    QuestionBankError,
    all_question_banks,
    load_question_bank,
)

TYPE_IDS = [interview_type.id for interview_type in INTERVIEW_TYPES]
CORE_PHASES = ("coding", "scenario")


def _type(type_id: str) -> InterviewType:
    return next(t for t in INTERVIEW_TYPES if t.id == type_id)


# --- the shipped banks ---


def test_there_is_one_bank_file_per_type_and_nothing_else() -> None:
    banks = [path.stem for path in DEFAULT_BANK_FOLDER.glob("*.yaml") if path.name != FACTS_FILE]
    assert sorted(banks) == sorted(TYPE_IDS)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_every_type_loads_at_least_fourteen_questions(type_id: str) -> None:
    questions = load_question_bank(type_id)
    assert len(questions) >= 14
    assert all(isinstance(question, Question) for question in questions)


def test_ids_are_unique_across_all_banks() -> None:
    ids = [question.id for questions in all_question_banks().values() for question in questions]
    duplicates = [question_id for question_id, count in Counter(ids).items() if count > 1]
    assert duplicates == []


def test_question_texts_are_not_repeated() -> None:
    texts = [q.text.lower() for questions in all_question_banks().values() for q in questions]
    assert [text for text, count in Counter(texts).items() if count > 1] == []


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_phases_and_competencies_belong_to_the_type(type_id: str) -> None:
    interview_type = _type(type_id)
    bank_phases = set(interview_type.phases) - PHASES_WITHOUT_BANK
    for question in load_question_bank(type_id):
        assert question.phase in bank_phases, question.id
        assert set(question.competencies) <= set(interview_type.competencies), question.id


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_difficulty_is_spread_with_mostly_medium(type_id: str) -> None:
    counts = Counter(question.difficulty for question in load_question_bank(type_id))
    assert counts[1] >= 1
    assert counts[3] >= 1
    assert counts[2] >= max(counts[1], counts[3])


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_phase_coverage(type_id: str) -> None:
    interview_type = _type(type_id)
    per_phase = Counter(question.phase for question in load_question_bank(type_id))
    if "background" in interview_type.phases:
        assert per_phase["background"] >= 3
    assert per_phase["technical"] >= 5
    for core_phase in CORE_PHASES:
        if core_phase in interview_type.phases:
            assert per_phase[core_phase] >= 4, core_phase


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_every_phase_of_the_type_that_needs_questions_has_some(type_id: str) -> None:
    interview_type = _type(type_id)
    phases_with_questions = {question.phase for question in load_question_bank(type_id)}
    assert phases_with_questions == set(interview_type.phases) - PHASES_WITHOUT_BANK


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_several_questions_can_be_tailored_to_a_cv(type_id: str) -> None:
    tailored = [question for question in load_question_bank(type_id) if question.cv_skills]
    assert len(tailored) >= 2


def test_questions_phrased_around_the_cv_name_the_skills_they_need() -> None:
    # The planner asks a question that mentions the CV only when the candidate's CV lists one of its
    # cv_skills; without cv_skills it would never be asked.
    for questions in all_question_banks().values():
        for question in questions:
            if re.search(r"\b(cv|resume)\b", question.text, re.IGNORECASE):
                assert question.cv_skills, question.id


def test_cv_skills_are_canonical_names_of_the_cv_analyzer_taxonomy() -> None:
    # The planner matches cv_skills against the CV analysis' canonical skill names exactly (ignoring
    # case), so an alias here ("Kafka" for "Apache Kafka") would silently never match. The taxonomy is
    # read as data: the agent service must not import the tools service.
    data_dir = Path(__file__).resolve().parents[2] / "services" / "tools" / "cv" / "skills_data"
    canonical = {
        skill["name"].lower()
        for path in data_dir.glob("*.yaml")
        for skill in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("skills", [])
    }
    assert len(canonical) > 1000, "the CV skill taxonomy is not where this test reads it"
    unknown = sorted(
        {
            (question.id, skill)
            for questions in all_question_banks().values()
            for question in questions
            for skill in question.cv_skills
            if skill.lower() not in canonical
        }
    )
    assert unknown == []


def test_coding_questions_state_the_expected_complexity() -> None:
    for questions in all_question_banks().values():
        for question in questions:
            if question.phase == "coding":
                assert any("O(" in point for point in question.key_points), question.id


def test_behavioral_competency_questions_are_star_stories_tagged_with_a_competency() -> None:
    for question in load_question_bank("behavioral"):
        if question.phase == "technical":
            assert "star" in question.tags, question.id
            assert len(question.tags) >= 2, question.id


def test_amazon_background_is_tied_to_the_leadership_principles() -> None:
    background = [q for q in load_question_bank("amazon_sde") if q.phase == "background"]
    assert sum("leadership-principles" in q.tags for q in background) >= 3


def test_every_key_point_has_words_the_answer_matcher_can_find() -> None:
    # signals.read_answer scores coverage by content-word overlap; a key point without
    # content words could never be credited.
    for questions in all_question_banks().values():
        for question in questions:
            for point in question.key_points:
                assert content_words(point), (question.id, point)


# --- loader behaviour ---


def test_lookup_accepts_display_names_and_aliases() -> None:
    assert load_question_bank("Google SDE") == load_question_bank("google_sde")
    assert load_question_bank("AWS SA") == load_question_bank("aws_sa")


def test_unknown_type_raises_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_type"):
        load_question_bank("no_such_type")


def test_returned_list_is_a_copy_of_the_cached_bank() -> None:
    first = load_question_bank("coding")
    first.clear()
    assert len(load_question_bank("coding")) >= 14


def test_questions_are_frozen() -> None:
    question = load_question_bank("coding")[0]
    with pytest.raises(ValueError):
        question.difficulty = 3


# --- malformed banks, written to tmp_path ---


def _valid_entry(question_id: str = "coding-tmp-01") -> dict[str, Any]:
    return {
        "id": question_id,
        "phase": "coding",
        "text": "Reverse a linked list in place.",
        "competencies": ["problem_solving"],
        "difficulty": 1,
        "key_points": ["three pointers", "O(n) time", "O(1) space"],
        "hints": ["Walk the list once.", "Keep track of the previous node."],
        "follow_ups": ["Can you do it recursively?"],
        "problem_id": "merge-two-sorted-lists",
    }


def _write_bank(folder: Path, entries: list[dict[str, Any]], type_id: str = "coding") -> Path:
    path = folder / f"{type_id}.yaml"
    path.write_text(yaml.safe_dump({"interview_type": type_id, "questions": entries}), encoding="utf-8")
    return folder


def test_a_valid_bank_in_another_folder_loads_with_defaults(tmp_path: Path) -> None:
    folder = _write_bank(tmp_path, [_valid_entry()])
    [question] = load_question_bank("coding", folder=folder)
    assert question.id == "coding-tmp-01"
    assert question.tags == []
    assert question.cv_skills == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("difficulty", 5, "difficulty"),
        ("difficulty", 0, "difficulty"),
        ("key_points", ["only one", "and two"], "key_points"),
        ("key_points", ["a", "b", "c", "d", "e", "f", "g"], "key_points"),
        ("hints", ["just one"], "hints"),
        ("hints", ["a", "b", "c", "d"], "hints"),
        ("follow_ups", [], "follow_ups"),
        ("text", "   ", "text"),
        ("competencies", [], "competencies"),
        ("phase", "wrap_up", "phase"),
        ("phase", "scenario", "phase"),
        ("competencies", ["culture_fit"], "culture_fit"),
        ("surprise_field", "x", "surprise_field"),
    ],
)
def test_a_malformed_entry_is_rejected_naming_the_question(
    tmp_path: Path, field: str, value: Any, message: str
) -> None:
    broken = {**_valid_entry("coding-broken-07"), field: value}
    folder = _write_bank(tmp_path, [_valid_entry(), broken])
    with pytest.raises(QuestionBankError) as raised:
        load_question_bank("coding", folder=folder)
    assert "coding-broken-07" in str(raised.value)
    assert message in str(raised.value)


def test_a_missing_required_field_is_rejected_naming_the_question(tmp_path: Path) -> None:
    broken = _valid_entry("coding-broken-08")
    del broken["hints"]
    folder = _write_bank(tmp_path, [broken])
    with pytest.raises(QuestionBankError, match=r"coding-broken-08.*hints"):
        load_question_bank("coding", folder=folder)


def test_an_entry_without_id_is_named_by_position(tmp_path: Path) -> None:
    broken = _valid_entry()
    del broken["id"]
    folder = _write_bank(tmp_path, [_valid_entry(), broken])
    with pytest.raises(QuestionBankError, match=r"question #2"):
        load_question_bank("coding", folder=folder)


def test_duplicate_and_foreign_ids_are_rejected(tmp_path: Path) -> None:
    folder = _write_bank(tmp_path, [_valid_entry("coding-x-01"), _valid_entry("coding-x-01")])
    with pytest.raises(QuestionBankError, match=r"coding-x-01.*duplicate"):
        load_question_bank("coding", folder=folder)
    other = tmp_path / "other"
    other.mkdir()
    _write_bank(other, [_valid_entry("google_sde-x-01")])
    with pytest.raises(QuestionBankError, match=r"google_sde-x-01.*must start with 'coding-'"):
        load_question_bank("coding", folder=other)


def test_a_file_for_the_wrong_type_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "coding.yaml").write_text(
        yaml.safe_dump({"interview_type": "behavioral", "questions": [_valid_entry()]}), encoding="utf-8"
    )
    with pytest.raises(QuestionBankError, match="interview_type"):
        load_question_bank("coding", folder=tmp_path)


def test_invalid_yaml_and_empty_banks_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "coding.yaml").write_text("interview_type: coding\nquestions: [unclosed\n", encoding="utf-8")
    with pytest.raises(QuestionBankError, match="not valid YAML"):
        load_question_bank("coding", folder=tmp_path)
    _write_bank(tmp_path, [])
    with pytest.raises(QuestionBankError, match="non-empty list"):
        load_question_bank("coding", folder=tmp_path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="coding"):
        load_question_bank("coding", folder=tmp_path)


def test_a_coding_question_without_its_problem_is_rejected(tmp_path: Path) -> None:
    broken = {key: value for key, value in _valid_entry().items() if key != "problem_id"}
    folder = _write_bank(tmp_path, [broken])
    with pytest.raises(QuestionBankError, match=r"coding-tmp-01.*problem_id"):
        load_question_bank("coding", folder)

"""The interviewer's question bank: one YAML file per interview type, validated on load.

Each file lives in this package as `shared/question_bank/{type_id}.yaml`: the agent asks the questions,
the evaluator (tools service) grades answers against their key points. A question's
shape is checked by the `Question` model; whether its phase and competencies belong to the interview
type is checked against `shared.interview_types`, so a bank cannot drift from the catalogue silently.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from shared.interview_types import INTERVIEW_TYPES, InterviewType, find_interview_type

DEFAULT_BANK_FOLDER = Path(__file__).resolve().parent

# The interviewer runs these phases from the type's description and the CV, not from the bank.
PHASES_WITHOUT_BANK = frozenset({"introduction", "candidate_questions", "wrap_up"})


class QuestionBankError(ValueError):
    """A bank file that cannot be used; the message names the file and, where known, the question id."""


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    phase: str
    text: str
    competencies: list[str]
    difficulty: int
    key_points: list[str]
    hints: list[str]
    follow_ups: list[str]
    tags: list[str] = []
    cv_skills: list[str] = []
    # A coding-phase question is handed out as this problem of the tools' problem bank (its tests judge
    # the candidate's runs); the tools service checks at start-up that every id names a problem.
    problem_id: str | None = None

    @field_validator("id", "text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("difficulty")
    @classmethod
    def _difficulty_in_range(cls, value: int) -> int:
        if not 1 <= value <= 3:
            raise ValueError(f"must be 1 (easy), 2 (medium) or 3 (hard), got {value}")
        return value

    @field_validator("key_points")
    @classmethod
    def _three_to_six_key_points(cls, value: list[str]) -> list[str]:
        return _checked_phrases(value, minimum=3, maximum=6)

    @field_validator("hints")
    @classmethod
    def _two_or_three_hints(cls, value: list[str]) -> list[str]:
        return _checked_phrases(value, minimum=2, maximum=3)

    @field_validator("follow_ups")
    @classmethod
    def _one_to_three_follow_ups(cls, value: list[str]) -> list[str]:
        return _checked_phrases(value, minimum=1, maximum=3)

    @field_validator("competencies")
    @classmethod
    def _some_competency(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one competency")
        return value


def _checked_phrases(phrases: list[str], *, minimum: int, maximum: int) -> list[str]:
    if not minimum <= len(phrases) <= maximum:
        raise ValueError(f"needs {minimum} to {maximum} entries, got {len(phrases)}")
    if any(not phrase.strip() for phrase in phrases):
        raise ValueError("entries must not be empty")
    return [phrase.strip() for phrase in phrases]


def load_question_bank(interview_type_id: str, folder: Path | str | None = None) -> list[Question]:
    """The validated questions of one interview type, in file order.

    Accepts the type id or anything `find_interview_type` resolves (display name, alias).
    Raises KeyError for an unknown type and QuestionBankError for an invalid file.
    `folder` overrides where the `{type_id}.yaml` files are read from (tests use it). Results are
    cached per (type, folder) for the life of the process, so edits to a file need a restart.
    """
    interview_type = find_interview_type(interview_type_id)
    if interview_type is None:
        raise KeyError(f"unknown interview type: {interview_type_id!r}")
    bank_folder = Path(folder).resolve() if folder is not None else DEFAULT_BANK_FOLDER
    # A copy, so a caller shuffling or trimming its list cannot change the cached bank.
    return list(_load_cached(interview_type.id, bank_folder))


def all_question_banks() -> dict[str, list[Question]]:
    """Every type's bank, keyed by type id; also checks that question ids are unique across banks."""
    banks = {interview_type.id: load_question_bank(interview_type.id) for interview_type in INTERVIEW_TYPES}
    owner_of: dict[str, str] = {}
    for type_id, questions in banks.items():
        for question in questions:
            if question.id in owner_of:
                raise QuestionBankError(
                    f"question id {question.id!r} is used in both {owner_of[question.id]} and {type_id}"
                )
            owner_of[question.id] = type_id
    return banks


@lru_cache(maxsize=64)
def _load_cached(type_id: str, folder: Path) -> tuple[Question, ...]:
    interview_type = find_interview_type(type_id)
    if interview_type is None:  # callers resolve the id first; kept for a precise error if not
        raise KeyError(f"unknown interview type: {type_id!r}")
    path = folder / f"{type_id}.yaml"
    raw_entries = _read_entries(path, type_id)
    questions = tuple(_parse_question(entry, index, path) for index, entry in enumerate(raw_entries))
    _check_against_type(questions, interview_type, path)
    return questions


def _read_entries(path: Path, type_id: str) -> list[Any]:
    if not path.is_file():
        raise FileNotFoundError(f"no question bank for {type_id!r}: {path} does not exist")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QuestionBankError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise QuestionBankError(f"{path.name}: expected a mapping with 'interview_type' and 'questions'")
    if document.get("interview_type") != type_id:
        raise QuestionBankError(
            f"{path.name}: interview_type is {document.get('interview_type')!r}, expected {type_id!r}"
        )
    entries = document.get("questions")
    if not isinstance(entries, list) or not entries:
        raise QuestionBankError(f"{path.name}: 'questions' must be a non-empty list")
    return entries


def _parse_question(entry: Any, index: int, path: Path) -> Question:
    label = _label(entry, index)
    if not isinstance(entry, dict):
        raise QuestionBankError(f"{path.name}: {label}: expected a mapping, got {type(entry).__name__}")
    try:
        return Question.model_validate(entry)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in detail['loc']) or 'entry'}: {detail['msg']}"
            for detail in error.errors()
        )
        raise QuestionBankError(f"{path.name}: {label}: {problems}") from error


def _label(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
        return f"question {entry['id'].strip()!r}"
    return f"question #{index + 1} (no id)"


def _check_against_type(questions: tuple[Question, ...], interview_type: InterviewType, path: Path) -> None:
    allowed_phases = [phase for phase in interview_type.phases if phase not in PHASES_WITHOUT_BANK]
    allowed_competencies = set(interview_type.competencies)
    seen_ids: set[str] = set()
    for question in questions:
        label = f"{path.name}: question {question.id!r}"
        # The type prefix keeps ids unique across banks without a global registry.
        if not question.id.startswith(f"{interview_type.id}-"):
            raise QuestionBankError(f"{label}: id must start with '{interview_type.id}-'")
        if question.id in seen_ids:
            raise QuestionBankError(f"{label}: duplicate id")
        seen_ids.add(question.id)
        if question.phase not in allowed_phases:
            raise QuestionBankError(
                f"{label}: phase {question.phase!r} is not one of {allowed_phases} for {interview_type.id}"
            )
        unknown = [name for name in question.competencies if name not in allowed_competencies]
        if unknown:
            raise QuestionBankError(
                f"{label}: competencies {unknown} are not among {interview_type.id}'s "
                f"{sorted(allowed_competencies)}"
            )
        if (question.phase == "coding") != (question.problem_id is not None):
            raise QuestionBankError(f"{label}: a coding question, and only one, names its problem_id")


# --- fact sheets: what the interviewer may say about the job ------------------------------------------------

FACTS_FILE = "facts.yaml"


class FactSheet(BaseModel):
    """One interview type's facts (the real loop, the role, what is known of the team) and the lines every
    type shares (this is practice; pay and internals are not ours to tell; a question we cannot answer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    loop: str
    role: str
    team: str
    practice: str
    salary: str
    team_disclaimer: str
    other: str


def load_fact_sheet(interview_type_id: str, folder: Path | str | None = None) -> FactSheet:
    """The fact sheet of one interview type (id, name or alias). Raises KeyError for an unknown type and
    QuestionBankError for a file that is missing a type or a field."""
    interview_type = find_interview_type(interview_type_id)
    if interview_type is None:
        raise KeyError(f"unknown interview type: {interview_type_id!r}")
    bank_folder = Path(folder).resolve() if folder is not None else DEFAULT_BANK_FOLDER
    return _fact_sheets(bank_folder)[interview_type.id]


@lru_cache(maxsize=8)
def _fact_sheets(folder: Path) -> dict[str, FactSheet]:
    path = folder / FACTS_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        common, types = document["common"], document["types"]
        sheets = {
            type_id: FactSheet(
                **facts,
                practice=common["practice"],
                salary=common["salary"],
                team_disclaimer=common["team"],
                other=common["other"],
            )
            for type_id, facts in types.items()
        }
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValidationError) as error:
        raise QuestionBankError(f"{path.name}: {error}") from error
    missing = [t.id for t in INTERVIEW_TYPES if t.id not in sheets]
    if missing:
        raise QuestionBankError(f"{path.name}: no fact sheet for {missing}")
    return sheets

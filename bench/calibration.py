"""How well the evaluator's overall score orders answers of known quality.

    .venv/bin/python -m bench.calibration

Reads the hand-graded answers in tests/tools/evaluator/calibration/answers.yaml (per interview type, per
bank question: a strong, an adequate, a weak and a nonsense answer), builds session records from them
(the interviewer's turn holds the bank question id, the candidate's turn the answer) and runs the
deterministic evaluator. Per type it prints Spearman's rank correlation between the level (strong 3,
adequate 2, weak 1, nonsense 0) and the overall score, over every transcript of that type: one per
question and level, and one whole interview per level (all the type's questions answered at that level).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import yaml

from services.tools.evaluator import Lexicon, evaluate
from shared.interview_types import find_interview_type
from shared.question_bank import load_question_bank
from shared.sessions import SessionRecord, TranscriptEntry

CALIBRATION = Path(__file__).resolve().parents[1] / "tests" / "tools" / "evaluator" / "calibration"
ANSWERS = CALIBRATION / "answers.yaml"
HOLDOUT = CALIBRATION / "holdout.yaml"  # other questions, written after the thresholds were set
LEVELS = {"strong": 3, "adequate": 2, "weak": 1, "nonsense": 0}


@dataclass(frozen=True)
class Case:
    interview_type: str
    level: str
    question_ids: tuple[str, ...]
    record: SessionRecord


@dataclass(frozen=True)
class TypeResult:
    interview_type: str
    spearman: float
    cases: int
    nonsense_max: float
    mean_by_level: dict[str, float]
    whole_by_level: dict[str, float]


def load_answers(path: Path = ANSWERS) -> dict[str, dict[str, dict[str, str]]]:
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def session_record(type_id: str, name: str, answers: list[tuple[str, str]]) -> SessionRecord:
    """A finished interview: each (question id, answer) as an interviewer turn and the candidate's turn."""
    interview_type = find_interview_type(type_id)
    assert interview_type is not None, type_id
    bank = {q.id: q for q in load_question_bank(type_id)}
    transcript: list[TranscriptEntry] = []
    for index, (question_id, answer) in enumerate(answers):
        question = bank[question_id]
        transcript.append(
            TranscriptEntry(
                role="assistant",
                text=question.text,
                turn_id=f"t{index}",
                question_id=question_id,
                phase=question.phase,
            )
        )
        transcript.append(
            TranscriptEntry(role="user", text=answer, turn_id=f"t{index}-a", phase=question.phase)
        )
    return SessionRecord(
        session_id=f"cal-{type_id}-{name}",
        interview_type=type_id,
        interview_type_name=interview_type.name,
        candidate_name="Calibration",
        status="ended",
        transcript=transcript,
    )


def cases(answers: dict[str, dict[str, dict[str, str]]]) -> list[Case]:
    found: list[Case] = []
    for type_id, questions in answers.items():
        for level in LEVELS:
            for question_id, by_level in questions.items():
                record = session_record(type_id, f"{question_id}-{level}", [(question_id, by_level[level])])
                found.append(Case(type_id, level, (question_id,), record))
            if len(questions) > 1:  # one whole interview per level, all the type's questions at that level
                whole = [(question_id, by_level[level]) for question_id, by_level in questions.items()]
                record = session_record(type_id, f"whole-{level}", whole)
                found.append(Case(type_id, level, tuple(questions), record))
    return found


def _ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    covariance = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    spread = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return covariance / spread if spread else 0.0


def score_cases(lexicon: Lexicon, path: Path = ANSWERS) -> list[tuple[Case, float]]:
    """Every case of the file with its overall score (the deterministic rubric)."""
    scored: list[tuple[Case, float]] = []
    for case in cases(load_answers(path)):
        bank = load_question_bank(case.interview_type)
        report = evaluate(case.record, bank, lexicon, generated_at="calibration")
        scored.append((case, report.overall_score))
    return scored


def run(lexicon: Lexicon | None = None, path: Path = ANSWERS) -> list[TypeResult]:
    by_type: dict[str, list[tuple[Case, float]]] = {}
    for case, score in score_cases(lexicon or Lexicon.load(), path):
        by_type.setdefault(case.interview_type, []).append((case, score))
    return [_summarise(type_id, results) for type_id, results in by_type.items()]


def pooled_spearman(scored: list[tuple[Case, float]]) -> float:
    """Spearman over every case of every type together."""
    return round(spearman([float(LEVELS[c.level]) for c, _ in scored], [score for _, score in scored]), 3)


def _summarise(type_id: str, results: list[tuple[Case, float]]) -> TypeResult:
    levels = [float(LEVELS[case.level]) for case, _ in results]
    overall = [score for _, score in results]
    by_level: dict[str, list[float]] = {}
    whole: dict[str, float] = {}
    for case, score in results:
        by_level.setdefault(case.level, []).append(score)
        if len(case.question_ids) > 1:
            whole[case.level] = score
    return TypeResult(
        interview_type=type_id,
        spearman=round(spearman(levels, overall), 3),
        cases=len(results),
        nonsense_max=max(by_level["nonsense"]),
        mean_by_level={level: round(sum(v) / len(v), 2) for level, v in by_level.items()},
        whole_by_level=whole,
    )


def table(results: list[TypeResult]) -> str:
    head = f"{'type':<14} {'n':>3} {'spearman':>8} {'nonsense max':>12}   mean overall by level (strong/adequate/weak/nonsense)   whole interview"
    lines = [head, "-" * len(head)]
    for r in results:
        means = " / ".join(f"{r.mean_by_level[level]:.2f}" for level in LEVELS)
        wholes = " / ".join(f"{r.whole_by_level[level]:.1f}" for level in LEVELS if level in r.whole_by_level)
        lines.append(
            f"{r.interview_type:<14} {r.cases:>3} {r.spearman:>8.3f} {r.nonsense_max:>12.1f}   {means:<52}   {wholes}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="How the overall score orders graded answers.")
    parser.add_argument("--holdout", action="store_true", help="the held-out answers instead")
    args = parser.parse_args()
    path = HOLDOUT if args.holdout else ANSWERS
    lexicon = Lexicon.load()
    scored = score_cases(lexicon, path)
    print(f"{path.name}: {len(scored)} transcripts")
    print(table(run(lexicon, path)))
    nonsense = max(score for case, score in scored if case.level == "nonsense")
    print(f"all types pooled: spearman {pooled_spearman(scored):.3f}, nonsense max {nonsense:.1f}")


if __name__ == "__main__":
    main()

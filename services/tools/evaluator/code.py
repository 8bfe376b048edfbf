"""Code quality from the session's code submissions: tests passed, speed against the problem's target
complexity (the bank's large tests run under time limits sized for it), and static quality metrics."""

from __future__ import annotations

from dataclasses import dataclass

from shared.tools_api import CodeSubmission

# Cyclomatic complexity past this per function reads as tangled logic.
MAX_CLEAN_COMPLEXITY = 10


@dataclass(frozen=True)
class CodeAssessment:
    score: float  # 0-10
    reason: str
    tests_passed: int
    tests_total: int
    met_target: bool | None  # None: no target (inline tests) or the code never ran to completion
    target: str | None
    quality_score: float
    max_complexity: int


def _final_submissions(submissions: list[CodeSubmission]) -> list[CodeSubmission]:
    """The last run per problem (or per function for inline tests): what the candidate ended with."""
    latest: dict[str, CodeSubmission] = {}
    for submission in sorted(submissions, key=lambda s: s.submitted_at):
        latest[submission.problem_id or f"inline:{submission.function_name}"] = submission
    return list(latest.values())


def _assess_one(submission: CodeSubmission, target: str | None) -> CodeAssessment:
    passed_share = submission.passed_count / submission.total if submission.total else 0.0
    too_slow = submission.verdict == "time_limit_exceeded" or any(
        t.verdict == "time_limit_exceeded" for t in submission.test_results
    )
    met_target = None if target is None else (not too_slow and submission.all_tests_passed)
    quality = submission.quality_metrics
    tangled = max(0, quality.max_complexity - MAX_CLEAN_COMPLEXITY)
    speed = 1.0 if met_target or (target is None and not too_slow) else 0.4 if not too_slow else 0.0
    score = 10 * (0.55 * passed_share + 0.15 * speed + 0.3 * quality.quality_score / 10) - 0.3 * tangled
    return CodeAssessment(
        score=round(max(0.0, min(10.0, score)), 2),
        reason="",
        tests_passed=submission.passed_count,
        tests_total=submission.total,
        met_target=met_target,
        target=target,
        quality_score=quality.quality_score,
        max_complexity=quality.max_complexity,
    )


def assess_code(submissions: list[CodeSubmission], targets: dict[str, str]) -> CodeAssessment | None:
    """The mean over the final submission of each problem; None when no code was run.
    `targets`: problem id -> its target time complexity (from the problem bank)."""
    finals = _final_submissions(submissions)
    if not finals:
        return None
    parts = [_assess_one(s, targets.get(s.problem_id) if s.problem_id else None) for s in finals]
    passed = sum(p.tests_passed for p in parts)
    total = sum(p.tests_total for p in parts)
    targets_met = [p.met_target for p in parts if p.met_target is not None]
    speed = (
        f"; {sum(targets_met)}/{len(targets_met)} within the target complexity ({', '.join(sorted({p.target for p in parts if p.target}))})"
        if targets_met
        else ""
    )
    quality = sum(p.quality_score for p in parts) / len(parts)
    return CodeAssessment(
        score=round(sum(p.score for p in parts) / len(parts), 2),
        reason=f"{len(finals)} final submission(s): {passed}/{total} tests passed{speed}; "
        f"static quality {quality:.1f}/10, worst function complexity {max(p.max_complexity for p in parts)}",
        tests_passed=passed,
        tests_total=total,
        met_target=all(targets_met) if targets_met else None,
        target=None,
        quality_score=round(quality, 2),
        max_complexity=max(p.max_complexity for p in parts),
    )

"""Skills found anywhere in a CV, by canonical name, from the taxonomy in taxonomy.yaml.

Every form (name or alias) is matched at token boundaries that understand "C++", "C#", ".NET", "Node.js"
and "CI/CD". Overlapping hits keep the longest ("Spring Boot" over "Spring", "T-SQL" over "SQL").
Forms that are also ordinary words ("Go", "C", "R", "Swift", "Rust", marked `ambiguous`) count only with
their exact case and in a technical context: a skills section or a "Languages:" label, right next to
another skill ("Python/Go", "Kafka and Go"), before a technical noun ("Rust developer", "Go services"),
or after "written in", "built ... in" and the like. "we had to go", "C-level", "R&D", "Swift delivery"
and "rust belt" therefore never count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from services.tools.cv.sections import Line, split_lines

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")
_SHORT_FORM = 3  # forms this short are always matched with their exact case

# Boundaries: a form may not continue a word, a dotted name ("node.js" holds "js") or an e-mail/handle.
_LEFT = r"(?<![A-Za-z0-9_#+@$])(?<![A-Za-z0-9]\.)(?<![A-Za-z0-9]-)"
_RIGHT = r"(?![A-Za-z0-9_#+])(?!\.[A-Za-z0-9])"
# Ambiguous forms are also refused before "-word" (C-level, Go-live), "&" (R&D) and "'s"/"." initials.
_AMBIGUOUS_RIGHT = r"(?!-[A-Za-z])(?!\s?&)(?!['’][A-Za-z]{2})(?!\.\s?[A-Z]\.)"
_AMBIGUOUS_LEFT = r"(?<!&)"

_SKILL_LABEL_RE = re.compile(
    r"^\s*(?:•\s*)?(?:(?:technical|core|key|programming|other)\s+)?"
    r"(?:skills?|languages?|technologies|tech(?:nology)?\s*stack|stack|tools?|frameworks?|libraries|"
    r"platforms?|databases?|cloud|devops|environment|tech|proficient\s+in|familiar\s+with|"
    r"expertise|competencies|infrastructure|testing|mobile|frontend|backend|data)\s*(?:&\s*\w+\s*)?[:|]",
    re.IGNORECASE,
)
# What may sit between two skills of one list or phrase: "Python/Go", "Kafka and Go", "SQL on Snowflake".
_LIST_GAP_RE = re.compile(
    r"^[\s,/|&+()\[\]•·-]*(?:\b(?:and|or|as well as|plus|on|with|in|over|via|using|to)\b)?[\s,/|&+()\[\]•·-]*$"
)
_NEXT_WORD_RE = re.compile(r"^\s*([A-Za-z][\w.+#-]*)")
_ITEM_SEPARATORS = ",;|/•·()[]"
_VERSION_RE = re.compile(r"^\s*v?\d+(?:\.\d+)*\+?\s*$")
_CUE_AFTER = {
    "developer", "developers", "engineer", "engineers", "programmer", "programmers", "programming", "code",
    "codebase", "codebases", "service", "services", "microservice", "microservices", "backend", "back-end",
    "library", "libraries", "module", "modules", "sdk", "sdks", "app", "apps", "application", "applications",
    "language", "script", "scripts", "toolchain", "compiler", "crate", "crates", "goroutines", "project",
    "projects", "stack", "server", "servers", "api", "apis", "cli", "binaries", "runtime", "ecosystem",
    "framework", "frameworks", "development", "tooling", "packages", "package", "workers", "daemon",
}  # fmt: skip
_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:written|implemented|developed|built|build|building|coded|coding|programming|programmed|"
    r"rewritten|rewrote|ported|migrated|wrote|writing|proficient|fluent|experienced|experience|expertise|"
    r"skilled|knowledge|familiar|familiarity)\b[^.;:!?\n]{0,40}?\b(?:in|with|of|to|into|using)\s+)$",
    re.IGNORECASE,
)
_CONTEXT_SECTIONS = {"skills"}
_MASK_RE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?:https?://|www\.)\S+"  # URLs
    r"|\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|medium\.com|stackoverflow\.com)/\S*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class _Form:
    text: str
    skill: Skill
    case_sensitive: bool
    ambiguous: bool


@dataclass(frozen=True)
class SkillMention:
    skill: Skill
    start: int
    end: int
    ambiguous: bool


@dataclass(frozen=True)
class SkillReport:
    skills: list[str]  # most mentioned first
    by_category: dict[str, list[str]]
    mentions: dict[str, int]
    catalogue: dict[str, Skill]


class Taxonomy:
    """The compiled taxonomy: a handful of large regexes and a lookup from matched text to skill."""

    def __init__(self, raw: dict[str, Any]) -> None:
        category_fields: dict[str, list[str]] = raw["categories"]
        self.skills: dict[str, Skill] = {}
        forms: list[_Form] = []
        for entry in raw["skills"]:
            skill = Skill(
                name=str(entry["name"]),
                category=str(entry["category"]),
                fields=tuple(entry.get("fields", category_fields[entry["category"]])),
            )
            self.skills[skill.name] = skill
            forms.extend(_forms_of(entry, skill))
        self._insensitive = {_key(f.text, False): f for f in forms if not f.case_sensitive}
        self._sensitive = {_key(f.text, True): f for f in forms if f.case_sensitive}
        self._patterns = [
            _compile([f for f in forms if not f.case_sensitive], re.IGNORECASE, ambiguous=False),
            _compile([f for f in forms if f.case_sensitive and not f.ambiguous], 0, ambiguous=False),
            _compile([f for f in forms if f.ambiguous], 0, ambiguous=True),
        ]

    def mentions(self, text: str) -> list[SkillMention]:
        """All non-overlapping hits, before the context check of ambiguous forms."""
        masked = _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)
        candidates: list[SkillMention] = []
        for pattern in self._patterns:
            if pattern is None:
                continue
            for match in pattern.finditer(masked):
                form = self._form_of(match.group(0))
                if form is not None:
                    candidates.append(SkillMention(form.skill, match.start(), match.end(), form.ambiguous))
        return _longest_non_overlapping(candidates)

    def _form_of(self, matched: str) -> _Form | None:
        return self._sensitive.get(_key(matched, True)) or self._insensitive.get(_key(matched, False))


def _forms_of(entry: dict[str, Any], skill: Skill) -> list[_Form]:
    name_flag = "?" if entry.get("ambiguous") else ("=" if entry.get("case_sensitive") else "")
    forms: list[_Form] = []
    for raw_form in [name_flag + skill.name, *entry.get("aliases", [])]:
        text = str(raw_form)
        marker = text[0] if text[:1] in ("=", "?") else ""
        text = text[len(marker) :]
        short = len(text) <= _SHORT_FORM
        forms.append(_Form(text, skill, case_sensitive=bool(marker) or short, ambiguous=marker == "?"))
    return forms


def _key(text: str, case_sensitive: bool) -> str:
    """Spaces and hyphens are interchangeable inside a form; case too unless the form says otherwise."""
    collapsed = re.sub(r"[\s-]+", " ", text.strip())
    return collapsed if case_sensitive else collapsed.lower()


def _compile(forms: list[_Form], flags: int, *, ambiguous: bool) -> re.Pattern[str] | None:
    if not forms:
        return None
    # Longest first, so the alternation prefers "Spring Boot" to "Spring" at the same position.
    bodies = sorted({_form_regex(f.text) for f in forms}, key=len, reverse=True)
    left = _LEFT + (_AMBIGUOUS_LEFT if ambiguous else "")
    right = _RIGHT + (_AMBIGUOUS_RIGHT if ambiguous else "")
    return re.compile(f"{left}(?:{'|'.join(bodies)}){right}", flags)


def _form_regex(text: str) -> str:
    parts = re.split(r"[\s-]+", text.strip())
    return r"[\s-]+".join(re.escape(part) for part in parts)


def _longest_non_overlapping(candidates: list[SkillMention]) -> list[SkillMention]:
    chosen: list[SkillMention] = []
    taken: list[tuple[int, int]] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if any(mention.start < end and start < mention.end for start, end in taken):
            continue
        chosen.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(chosen, key=lambda m: m.start)


@lru_cache(maxsize=1)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    # libyaml's loader reads the taxonomy in 0.05 s, the pure-Python one in 0.4 s.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return Taxonomy(yaml.load(handle, Loader=loader))  # a safe loader either way


# --- context of ambiguous forms ---------------------------------------------------------------------


def find_skills(
    text: str, taxonomy: Taxonomy | None = None, *, ignore_spans: Sequence[tuple[int, int]] = ()
) -> SkillReport:
    """Skills of a text. Mentions inside `ignore_spans` (company names: "Shopify", "Stripe") don't count."""
    taxonomy = taxonomy or load_taxonomy()
    lines = split_lines(text)
    mentions = [
        mention
        for mention in taxonomy.mentions(text)
        if not any(start <= mention.start and mention.end <= end for start, end in ignore_spans)
    ]
    accepted = _accepted_mentions(text, lines, mentions)
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for mention in accepted:
        counts[mention.skill.name] += 1
        first_seen.setdefault(mention.skill.name, mention.start)
    ordered = sorted(counts, key=lambda name: (-counts[name], first_seen[name]))
    by_category: dict[str, list[str]] = {}
    for name in ordered:
        by_category.setdefault(taxonomy.skills[name].category, []).append(name)
    return SkillReport(ordered, by_category, dict(counts), taxonomy.skills)


def _accepted_mentions(text: str, lines: list[Line], mentions: list[SkillMention]) -> list[SkillMention]:
    accepted = [m for m in mentions if not m.ambiguous]
    pending = [m for m in mentions if m.ambiguous]
    # Two rounds: an ambiguous skill accepted in round one can vouch for its neighbour ("Go, Rust").
    for _ in range(2):
        still_pending = []
        for mention in pending:
            if _has_technical_context(text, lines, mention, accepted):
                accepted.append(mention)
            else:
                still_pending.append(mention)
        pending = still_pending
    return sorted(accepted, key=lambda m: m.start)


def _line_of(lines: list[Line], offset: int) -> Line:
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle].start <= offset:
            low = middle
        else:
            high = middle - 1
    return lines[low]


def _has_technical_context(
    text: str, lines: list[Line], mention: SkillMention, accepted: list[SkillMention]
) -> bool:
    line = _line_of(lines, mention.start)
    start, end = mention.start - line.start, mention.end - line.start
    in_skill_list = line.section in _CONTEXT_SECTIONS or _SKILL_LABEL_RE.match(line.text) is not None
    if in_skill_list and _is_list_item(line.text, start, end):
        return True
    if _next_to_accepted(text, mention, accepted):
        return True
    following = line.text[end:].split()
    if following and following[0].strip(",.;:()").lower() in _CUE_AFTER:
        return True
    return _CUE_BEFORE_RE.search(line.text[:start]) is not None


def _is_list_item(line: str, start: int, end: int) -> bool:
    """True when the form is an item of a list by itself (optionally with a version): "Go 1.22,"."""
    left = start
    while left > 0 and line[left - 1] not in _ITEM_SEPARATORS and line[left - 1] != ":":
        left -= 1
    right = end
    while right < len(line) and line[right] not in _ITEM_SEPARATORS:
        right += 1
    before = line[left:start].strip()
    after = line[end:right]
    conjunction = before.lower() in ("", "and", "or", "&")
    return conjunction and (not after.strip() or _VERSION_RE.match(after) is not None or after.strip() == ".")


def _next_to_accepted(text: str, mention: SkillMention, accepted: list[SkillMention]) -> bool:
    """True for "Python/Go", "Kafka and Go", "(Go, Rust)", but not "Celery; Swift delivery"."""
    if not _stands_alone(text, mention, accepted):
        return False
    for other in accepted:
        if other is mention:
            continue
        if other.end <= mention.start:
            gap = text[other.end : mention.start]
        elif other.start >= mention.end:
            gap = text[mention.end : other.start]
        else:
            continue
        if len(gap) <= 20 and "\n" not in gap and _LIST_GAP_RE.match(gap):
            return True
    return False


def _stands_alone(text: str, mention: SkillMention, accepted: list[SkillMention]) -> bool:
    """The word after an ambiguous form must not continue a phrase ("Swift delivery", "Rust belt")."""
    following = _NEXT_WORD_RE.match(text[mention.end : mention.end + 40])
    if following is None:
        return True  # punctuation or the end of the line follows
    word = following.group(1).lower()
    if word in ("and", "or", "plus") or word in _CUE_AFTER:
        return True
    next_start = mention.end + following.start(1)
    return any(other.start == next_start for other in accepted)


def is_skill_phrase(text: str) -> bool:
    """True when any skill form occurs in the text ("Apache Spark" is not a person's name)."""
    return bool(load_taxonomy().mentions(text))

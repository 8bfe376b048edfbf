"""The skill taxonomy as data: the YAML files in skills_data/, read and validated into SkillEntry records.

Files:
- `categories.yaml`: `categories: {name: [primary fields it points to]}`.
- every other `*.yaml`: `skills:` (a list of entries) and optionally `aliases:` (`{canonical name: [forms]}`,
  more forms for a skill another file defines), plus a `source:` line saying where the entries come from.

An entry: `name` (the canonical name returned), `category`, `aliases`, and optionally `fields` (the primary
fields it points to, default: its category's), `ambiguous: true` (the name is also an ordinary word: it is
matched with its exact case and only in a technical context), `case_sensitive: true` (matched with its exact
case). Alias markers: `=X` exact case, `?X` ambiguous; forms of up to three characters are always exact case.

The loader refuses, naming the file and the entry: unknown keys, categories or fields, empty or multi-line
forms, forms longer than MAX_FORM_TOKENS tokens, a skill defined twice, a form that belongs to two skills
(ambiguous `?` forms may: the context picks one), and extra aliases of a skill nobody defines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from shared.cv import PrimaryField

DATA_DIR = Path(__file__).with_name("skills_data")
CATEGORIES_FILE = "categories.yaml"
MAX_FORM_TOKENS = 6
_MAX_FORM_CHARS = 60
_SHORT_FORM = 3  # forms this short are always matched with their exact case
# A token: a word that may hold "+", "#" and inner dots or apostrophes ("C++", "C#", ".NET", "Node.js").
TOKEN_RE = re.compile(r"\.?[^\W_](?:[\w+#]|[.'’](?=[^\W_]))*")
_GAP_SPACES_RE = re.compile(r"\s+")


# Titles: generic words before a role noun. "Altium Designer" and "AWS Secrets Manager" are products.
_TITLE_WORDS = (
    r"senior|junior|lead|principal|staff|chief|head|data|ml|ai|machine|learning|bi|ux|ui|ui/ux|product|project|"
    r"program|programme|technical|tech|engineering|team|squad|delivery|business|enterprise|analytics|quality|"
    r"performance|prompt|database|web|game|interaction|visual|graphic|motion|content|information|instructional|"
    r"community|penetration|design|verification|release|train|software|solutions?|cloud|security|devops|site|"
    r"reliability|qa|test|frontend|backend|full[- ]?stack|mobile|ios|android|systems?|network|user|interface|"
    r"research|applied|analytics|platform|infrastructure|support|it|operations|marketing|sales|account|"
    r"customer|success|scrum"
)
_JOB_TITLE_RE = re.compile(
    rf"^(?:(?:{_TITLE_WORDS})[\s-]+)+(?:engineers?|developers?|managers?|scientists?|leads?|owners?|"
    r"architects?|analysts?|administrators?|admins?|designers?|testers?|directors?|officers?|consultants?|"
    r"specialists?|masters?|programmers?)$",
    re.IGNORECASE,
)
_PROSE_RE = re.compile(
    r"^(?:led|lead|leading|managed|managing|manage|ran|running|built|building|owned|owning|coached|coaching|"
    r"mentored|mentoring|hired|hiring)\s+(?:a|the|an|my|our|several|multiple|\d+)?\s*(?:teams?|people|engineers|"
    r"squads?|groups?|staff|reports)$",
    re.IGNORECASE,
)


class TaxonomyError(ValueError):
    """The taxonomy data is invalid; the message lists every problem with its file and entry."""


class SkillEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    fields: tuple[PrimaryField, ...] | None = None
    ambiguous: bool = False
    case_sensitive: bool = False

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if value != value.strip() or not value or value[0] in "=?":
            raise ValueError("a name is non-empty, has no surrounding spaces and no =/? marker")
        return value


class _SkillsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str | None = None
    skills: list[SkillEntry] = []
    aliases: dict[str, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Form:
    """One way a skill is written, ready to match."""

    text: str
    key: str  # form_key(text, case_sensitive)
    skill_name: str
    case_sensitive: bool
    ambiguous: bool
    is_alias: bool


@dataclass(frozen=True)
class TaxonomyData:
    categories: dict[str, tuple[PrimaryField, ...]]
    entries: dict[str, SkillEntry]  # by canonical name
    forms: tuple[Form, ...]
    sources: dict[str, str]  # file name -> provenance line


def form_key(text: str, case_sensitive: bool) -> str:
    """What a form and a stretch of text share when they match: tokens joined by their normalised gaps.

    Spaces and hyphens between tokens are one space ("scikit learn" = "scikit-learn"), other punctuation is
    kept without its spaces ("CI / CD" = "CI/CD"); case is folded unless the form is case-sensitive.
    """
    tokens = list(TOKEN_RE.finditer(text))
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if index:
            gap = _GAP_SPACES_RE.sub("", text[tokens[index - 1].end() : token.start()])
            parts.append(" " if gap in ("", "-") else gap)
        parts.append(token.group(0))
    key = "".join(parts)
    return key if case_sensitive else key.lower()


def token_count(text: str) -> int:
    return len(TOKEN_RE.findall(text))


def load_taxonomy_data(folder: Path = DATA_DIR) -> TaxonomyData:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: several times faster, safe either way
    problems: list[str] = []
    categories = _read_categories(folder / CATEGORIES_FILE, loader, problems)
    files: dict[str, _SkillsFile] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == CATEGORIES_FILE:
            continue
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
            files[path.name] = _SkillsFile.model_validate(raw)
        except (yaml.YAMLError, ValidationError) as error:
            problems.append(f"{path.name}: {error}")
    entries = _collect_entries(files, categories, problems)
    forms = _collect_forms(files, entries, problems)
    if problems:
        raise TaxonomyError(f"{len(problems)} problem(s) in {folder}:\n" + "\n".join(problems))
    sources = {name: data.source or "" for name, data in files.items()}
    return TaxonomyData(categories, entries, tuple(forms), sources)


def _read_categories(path: Path, loader: Any, problems: list[str]) -> dict[str, tuple[PrimaryField, ...]]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    valid_fields = set(get_args(PrimaryField))
    categories: dict[str, tuple[PrimaryField, ...]] = {}
    for name, fields in (raw or {}).get("categories", {}).items():
        unknown = [field for field in fields if field not in valid_fields]
        if unknown:
            problems.append(f"{path.name}: category {name} points to unknown fields {unknown}")
        categories[str(name)] = tuple(field for field in fields if field in valid_fields)
    if not categories:
        problems.append(f"{path.name}: no categories")
    return categories


def _collect_entries(
    files: dict[str, _SkillsFile], categories: dict[str, tuple[PrimaryField, ...]], problems: list[str]
) -> dict[str, SkillEntry]:
    entries: dict[str, SkillEntry] = {}
    defined_in: dict[str, str] = {}
    for file_name, data in files.items():
        for entry in data.skills:
            where = f"{file_name}: {entry.name}"
            if entry.category not in categories:
                problems.append(f"{where}: unknown category {entry.category!r}")
            folded = entry.name.lower()
            if folded in defined_in:
                problems.append(f"{where}: already defined in {defined_in[folded]}")
                continue
            defined_in[folded] = file_name
            entries[entry.name] = entry
    return entries


def _collect_forms(
    files: dict[str, _SkillsFile], entries: dict[str, SkillEntry], problems: list[str]
) -> list[Form]:
    forms: list[Form] = []
    for file_name, data in files.items():
        for entry in data.skills:
            if entries.get(entry.name) is entry:
                forms.extend(_forms_of(entry, entry.aliases, file_name, problems))
        for name, aliases in data.aliases.items():
            if name not in entries:
                problems.append(f"{file_name}: aliases for {name!r}, which no file defines")
                continue
            forms.extend(_forms_of(entries[name], aliases, file_name, problems, name_included=False))
    owners: dict[str, Form] = {}
    unique: list[Form] = []
    for form in forms:
        # A case-sensitive form still collides with an insensitive one that folds to the same text.
        folded = form.key.lower()
        owner = owners.get(folded)
        if owner is None:
            owners[folded] = form
            unique.append(form)
        elif owner.skill_name == form.skill_name:
            unique.append(form)  # one skill in two cases ("=Pandas" and "pandas"): both kept
        elif owner.ambiguous and form.ambiguous:
            unique.append(form)  # shared ambiguous form ("?TF"): the context chooses the skill
        elif owner.key != form.key or owner.case_sensitive == form.case_sensitive:
            problems.append(f"{form.text!r} belongs to both {owner.skill_name!r} and {form.skill_name!r}")
        else:
            unique.append(form)  # "=Spark" and "spark"-insensitive of another skill: exact case decides
    return unique


def _forms_of(
    entry: SkillEntry,
    aliases: tuple[str, ...],
    file_name: str,
    problems: list[str],
    *,
    name_included: bool = True,
) -> list[Form]:
    name_marker = "?" if entry.ambiguous else ("=" if entry.case_sensitive else "")
    raw_forms = ([name_marker + entry.name] if name_included else []) + list(aliases)
    forms: list[Form] = []
    for index, raw in enumerate(raw_forms):
        marker = raw[:1] if raw[:1] in ("=", "?") else ""
        text = raw[len(marker) :]
        problem = _form_problem(text)
        if problem:
            problems.append(f"{file_name}: {entry.name}: form {raw!r} {problem}")
            continue
        case_sensitive = bool(marker) or len(text) <= _SHORT_FORM
        forms.append(
            Form(
                text=text,
                key=form_key(text, case_sensitive),
                skill_name=entry.name,
                case_sensitive=case_sensitive,
                ambiguous=marker == "?",
                is_alias=not (name_included and index == 0),
            )
        )
    return forms


def _form_problem(text: str) -> str | None:
    if not text.strip() or text != text.strip():
        return "is empty or has surrounding spaces"
    if _JOB_TITLE_RE.match(text):
        return "is a job title (a title names a role, not a skill: 'Data Engineer' is not Data Engineering)"
    if _PROSE_RE.match(text):
        return "is a phrase of prose ('led a team'), not the name of a skill"
    if "\n" in text or len(text) > _MAX_FORM_CHARS:
        return f"is multi-line or longer than {_MAX_FORM_CHARS} characters"
    count = token_count(text)
    if count == 0:
        return "has no word in it"
    if count > MAX_FORM_TOKENS:
        return f"has more than {MAX_FORM_TOKENS} words"
    return None

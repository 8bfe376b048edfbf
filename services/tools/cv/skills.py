"""Skills found anywhere in a CV: taxonomy forms in the text, plus the items of skill lists it does not know.

Matching (Taxonomy.mentions): the text is cut into tokens that understand "C++", "C#", ".NET" and "Node.js";
every run of up to MAX_FORM_TOKENS tokens is looked up by its form key (taxonomy.form_key), longest first,
and overlapping hits keep the longest ("Spring Boot" over "Spring", "T-SQL" over "SQL"). A token with a
version or a possessive glued on ("Python3.11", "Vue3", "Docker's") is also tried without it.

Forms that are also ordinary words ("Go", "C", "R", "Swift", "Helm", marked ambiguous) count only with their
exact case and in a technical context: an item of a skill list, right next to another skill ("Python/Go",
"Kafka and Go"), before a technical noun ("Rust developer", "Helm charts"), after a technical verb ("wrote
the team's first Helm charts", "configured Vault") or "written in", "experience with". "we had to go",
"C-level", "R&D", "Swift delivery" and "rust belt" never count. A language a sentence gives only as what
someone else's code was written in ("joined a team whose services were written in Scala") is not the
candidate's skill.

List items the taxonomy does not know come from skill_lists.py; skill_similarity.py merges them with a
taxonomy skill of the same meaning. Every skill keeps its evidence: the section and line of each mention,
and whether it came from the taxonomy's name, an alias, a similar skill or a list item.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from services.tools.cv.sections import BULLET_START_RE, Line, split_lines
from services.tools.cv.taxonomy import (
    DATA_DIR,
    MAX_FORM_TOKENS,
    TOKEN_RE,
    Form,
    TaxonomyData,
    form_key,
    load_taxonomy_data,
)
from shared.cv import SkillEvidence, SkillSource

if TYPE_CHECKING:
    from services.tools.cv.skill_similarity import SimilarSkills

OTHER_CATEGORY = "other"  # list items whose category nothing suggests
# Between two tokens of one form: " ", " / ", " - ", and the doubled spaces of justified PDF text.
_MAX_GAP_CHARS = 6
_MAX_GAP_MARKS = 2
_WRAPPED_LINE_CHARS = 40
_GLUED_VERSION_RE = re.compile(r"^(.*[A-Za-z+#])v?\d+(?:\.\d+)*[a-z]?$")
_POSSESSIVE_RE = re.compile(r"^(.+)['’]s$")
_SHARED_HEAD_RE = re.compile(
    r"\b([A-Za-z][\w-]{2,})\s*(?:,|\band\b|\bor\b|&|/)\s*(?:[A-Za-z][\w-]*\s+){1,2}?"
    r"(testing|tests|test|development|engineering|design|management|programming|analysis|modelling|modeling|"
    r"learning|architecture|security)\b",
    re.IGNORECASE,
)
_VERSION_PLUS_RE = re.compile(r"^(.*\d)\+$")  # "ES6+", "Java8+"; never "C++"
_MIN_STEM = 3
# Ambiguous forms are refused before "-word" (C-level, Go-live), "&" (R&D), and "." initials (R. J. Smith).
_AMBIGUOUS_REFUSED_AFTER_RE = re.compile(r"^(?:-[A-Za-z]|\s?&|\.\s?[A-Z]\.)")
_MASK_RE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?:https?://|www\.)\S+"  # URLs
    r"|\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|medium\.com|stackoverflow\.com)/\S*",
    re.IGNORECASE,
)

_SKILL_LABEL_RE = re.compile(
    r"^\s*(?:[•\-*·]\s*)?(?:(?:technical|core|key|programming|other|main|additional)\s+)?"
    r"(?:skills?|languages?|technologies|tech(?:nology)?\s*stack|stack|tools?(?:\s+used)?|frameworks?|libraries|"
    r"platforms?|databases?|cloud|devops|environment|tech|proficient\s+in|familiar\s+with|"
    r"expertise|competencies|infrastructure|testing|mobile|frontend|backend|data|ml|ai|observability|"
    r"monitoring|security|methods|methodologies|domains?|software|systems|hardware|ci\s*/\s*cd|iac|"
    r"technologies\s+used|analytics|bi|design|management|other)\s*(?:(?:&|and)\s*\w+\s*)?[:|]",
    re.IGNORECASE,
)
# What may sit between two skills of one list or phrase: "Python/Go", "Kafka and Go", "SQL on Snowflake".
_LIST_GAP_RE = re.compile(
    r"^[\s,/|&+()\[\]•·-]*(?:\b(?:and|or|as well as|plus|on|with|in|over|via|using|to)\b)?[\s,/|&+()\[\]•·-]*$"
)
_NEXT_WORD_RE = re.compile(r"^\s*([A-Za-z][\w.+#-]*)")
_ITEM_SEPARATORS = ",;|/•·()[]"
_VERSION_RE = re.compile(r"^\s*v?\d+(?:\.\d+)*(?:\+|\.x)?\s*$")
_CUE_AFTER = {
    "developer", "developers", "engineer", "engineers", "programmer", "programmers", "programming", "code",
    "codebase", "codebases", "service", "services", "microservice", "microservices", "backend", "back-end",
    "library", "libraries", "module", "modules", "sdk", "sdks", "app", "apps", "application", "applications",
    "language", "script", "scripts", "toolchain", "compiler", "crate", "crates", "goroutines", "project",
    "projects", "stack", "server", "servers", "api", "apis", "cli", "binaries", "runtime", "ecosystem",
    "framework", "frameworks", "development", "tooling", "packages", "package", "workers", "daemon",
    "manifests", "manifest", "chart", "charts", "cluster", "clusters", "pipeline", "pipelines", "playbook",
    "playbooks", "recipes", "cookbooks", "dashboards", "dashboard", "queries", "jobs", "tests", "test", "suite",
    "suites", "templates", "configs", "configuration", "deployments", "deployment", "instances", "instance",
    "workflows", "workflow", "plugins", "plugin", "components", "bindings", "integration", "integrations",
    "queues", "topics", "models", "notebooks", "operator", "operators", "policies", "secrets", "alerts",
    "alerting", "provider", "providers", "resources", "stacks", "agents", "agent", "tasks", "dags", "shaders",
    "scenes", "specs", "reports", "migrations", "schemas", "endpoints", "runners", "images", "containers",
}  # fmt: skip
_PLAIN_WORDS = {
    "of",
    "and",
    "or",
    "the",
    "a",
    "an",
    "to",
    "for",
    "in",
    "on",
    "with",
    "by",
    "from",
    "at",
    "as",
}
_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:written|implemented|developed|built|build|building|coded|coding|programming|programmed|"
    r"rewritten|rewrote|ported|migrated|moved|wrote|writing|proficient|fluent|experienced|experience|expertise|"
    r"skilled|knowledge|familiar|familiarity|managed|automated|deployed|configured|provisioned|orchestrated|"
    r"monitored|tested|instrumented|scheduled|tracked|packaged|shipped|served|hosted|containeri[sz]ed)\b"
    r"[^.;:!?\n]{0,40}?\b(?:in|with|of|to|into|using|on|through|via)\s+$)"
    r"|(?:\b(?:wrote|write|writing|deployed|deploying|configured|configuring|maintained|maintaining|automated|"
    r"introduced|adopted|administered|operated|operating|provisioned|instrumented|containeri[sz]ed|"
    r"orchestrated|upgraded|tuned|scaled|ran|running|using|used|via|set\s+up|rolled\s+out|migrated\s+to|"
    r"moved\s+to|switched\s+to)\s+(?:(?:the|a|an|our|my|its|their|new|first|existing|several|multiple|all|"
    r"custom|internal|[A-Za-z]+['’]s)\s+){0,3}$)",
    re.IGNORECASE,
)
# Someone else's code: "a team whose services were written in Scala", "their backend is built in Go".
_FOREIGN_CODE_RE = re.compile(
    r"\b(?:whose|their|his|her|other\s+teams?['’]?s?|(?:team|teams|company|client|vendor|partner)['’]s?)\b"
    r"[^.;:!?\n]{0,60}\b(?:written|built|implemented|coded|running|ran|developed)\s+(?:in|on|with)\s+"
    r"(?:[\w.+#/-]+(?:\s*,\s*|\s+(?:and|or)\s+))*$"  # and the rest of the list: "in Caffe and Lua"
    r"|\b(?!(?:my|our|the|a|this|same)\b)[\w-]+\s+"  # a named team: "the perception team's PyTorch"
    r"teams?['’]s?\s+(?:[\w.+#/-]+(?:\s*,\s*|\s+(?:and|or)\s+|\s+)){0,3}$",
    re.IGNORECASE,
)
# The candidate disowns what a clause names: "run by another department", "I never coded on it".
_DISOWNED_RE = re.compile(
    r"(?:\b(?:never|not)|n['’]t)\s+(?:\w+\s+){0,2}?(?:coded|code|written|wrote|write|used|use|worked|touched|"
    r"programmed|developed|maintain|maintained|administer|administered|own|owned|touch)\b"
    r"|\b(?:written|owned|run|maintained|built|developed|operated)\s+by\s+(?:the|a|an|their)\s+(?:[\w-]+\s+){0,2}"
    r"(?:team|chapter|squad|department|vendor|group|guild|contractors?)\b"
    r"|\bare\s+theirs\b"
    r"|\boutside\s+(?:of\s+)?(?:our|my|the)\s+(?:team['’]s\s+)?scope\b"
    r"|\b(?:run|owned|maintained|managed|operated|built|developed|written)\s+by\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:separate|another|other|different|external|third[- ]party|vendor|client['’]s|partner)\b"
    r"|\b(?:another|a\s+separate|a\s+different)\s+(?:department|team|vendor|group|company)\b"
    r"|\bwe\s+only\s+(?:ever\s+)?(?:received|tested|consumed|called|read|used)\b"
    r"|\bworked\s+beside\b|\bbeside\s+the\s+team\b",
    re.IGNORECASE,
)
_BACK_REFERENCE_RE = re.compile(r"\b(?:it|its|either|them|those|these|neither|that\s+one)\b", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n|\n\s*[•\-*·–]\s")
# "paired with the Android developers", "the iOS team ships it": people named by their skill are others.
_OTHERS_BEFORE_RE = re.compile(r"\b(?:the|another|their|other|a\s+separate)\s+$", re.IGNORECASE)
_OTHERS_AFTER_RE = re.compile(
    r"^\s+(?:developers|engineers|team|teams|folks|people|devs|chapter|squad|guild|department)\b",
    re.IGNORECASE,
)
# Header lines with a link or a contact label ("GitHub: github.com/x") and degree subjects are not skills.
_CONTACT_LINE_RE = re.compile(
    r"https?://|www\.|@|\b(?:github|gitlab|linkedin|e-?mail|phone|tel)\s*:", re.IGNORECASE
)
_NOT_SKILL_SECTIONS = {"education"}
_LISTED_ONLY = {"domains"}
_SHORT_IN_HEADER = 3
_HEADLINE_RE = re.compile(
    r"\b(?:engineer|developer|analyst|architect|scientist|manager|consultant|designer|lead|director|"
    r"administrator|specialist|programmer)\b",
    re.IGNORECASE,
)
_CONTEXT_SECTIONS = {"skills"}
_SOURCE_RANK: dict[SkillSource, int] = {"taxonomy": 0, "alias": 1, "similar": 2, "list_item": 3}
_MAX_EVIDENCE = 5
_EVIDENCE_CHARS = 160
_MAX_WRAPS = 2  # lines a quoted sentence may run onto, each way
_SPACES_RE = re.compile(r"\s+")
_SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")  # "...error budgets. Before that I was..."
# Words a sentence cannot end on: a line ending in one wraps even into a capital ("...Streaming on\nDatabricks.").
_WRAP_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "on", "in", "to", "for", "with", "from", "at", "by", "over",
    "into", "onto", "across", "via", "using", "than", "as",
})  # fmt: skip


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    fields: tuple[str, ...]
    known: bool = True  # False: a list item the taxonomy does not know, kept as written


@dataclass(frozen=True)
class SkillMention:
    skill: Skill
    start: int
    end: int
    ambiguous: bool
    source: SkillSource = "taxonomy"
    alternatives: tuple[Skill, ...] = ()  # other skills a shared ambiguous form may mean ("TF")


@dataclass(frozen=True)
class SkillReport:
    skills: list[str]  # most mentioned first
    by_category: dict[str, list[str]]
    mentions: dict[str, int]
    catalogue: dict[str, Skill]
    evidence: dict[str, list[SkillEvidence]] = field(default_factory=dict)
    sources: dict[str, SkillSource] = field(default_factory=dict)  # the strongest source of each skill


class Taxonomy:
    """The compiled taxonomy: dictionaries from form keys to skills, and the token scanner over a text."""

    def __init__(self, data: TaxonomyData) -> None:
        self.data = data
        self.skills: dict[str, Skill] = {
            name: Skill(name, entry.category, tuple(entry.fields or data.categories[entry.category]))
            for name, entry in data.entries.items()
        }
        self._sensitive: dict[str, list[Form]] = {}
        self._insensitive: dict[str, list[Form]] = {}
        for form in data.forms:
            table = self._sensitive if form.case_sensitive else self._insensitive
            table.setdefault(form.key, []).append(form)

    def lookup(self, text: str) -> list[Form]:
        """The forms a stretch of text is (exact case first), [] when none."""
        return self._forms_of_key(form_key(text, True))

    def _forms_of_key(self, key: str) -> list[Form]:
        return self._sensitive.get(key) or self._insensitive.get(key.lower()) or []

    def mentions(self, text: str) -> list[SkillMention]:
        """All non-overlapping hits, before the context check of ambiguous forms."""
        masked = _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)
        tokens = list(TOKEN_RE.finditer(masked))
        candidates: list[SkillMention] = []
        for index, token in enumerate(tokens):
            if _continues_a_word(masked, token.start()):
                continue
            hit = self._longest_form_at(masked, tokens, index)
            if hit is not None:
                candidates.append(hit)
        candidates += self._shared_head_mentions(masked)
        return _longest_non_overlapping(candidates)

    def _shared_head_mentions(self, text: str) -> list[SkillMention]:
        """ "Exploratory and regression testing", "unit and UI tests": the first word shares the last one."""
        found = []
        for match in _SHARED_HEAD_RE.finditer(text):
            forms = [
                form
                for form in self._forms_of_key(f"{match.group(1)} {match.group(2)}")
                if not form.ambiguous
            ]
            if forms:
                found.append(self._mention(forms, match.start(1), match.end(1)))
        return found

    def _longest_form_at(self, text: str, tokens: list[re.Match[str]], index: int) -> SkillMention | None:
        best: tuple[list[Form], int] | None = None
        key = tokens[index].group(0)
        for last in range(index, min(index + MAX_FORM_TOKENS, len(tokens))):
            if last > index:
                gap = text[tokens[last - 1].end() : tokens[last].start()]
                squeezed = "".join(gap.split())
                if (
                    len(gap) > _MAX_GAP_CHARS
                    or len(squeezed) > _MAX_GAP_MARKS
                    or not _joins(text, gap, tokens[last])
                ):
                    break
                key += (" " if squeezed in ("", "-") else squeezed) + tokens[last].group(0)
            forms = self._forms_of_key(key)
            if forms:
                best = (forms, last)
        if best is None:
            return self._glued_form(tokens[index])
        forms, last = best
        return self._mention(forms, tokens[index].start(), tokens[last].end())

    def _glued_form(self, token: re.Match[str]) -> SkillMention | None:
        """ "Python3.11", "Vue3", "Docker's": the token without its version or possessive."""
        for pattern in (_VERSION_PLUS_RE, _GLUED_VERSION_RE, _POSSESSIVE_RE):
            stem = pattern.match(token.group(0))
            if stem and len(stem.group(1)) >= _MIN_STEM:
                forms = [form for form in self._forms_of_key(stem.group(1)) if not form.ambiguous]
                if forms:
                    return self._mention(forms, token.start(), token.end())
        return None

    def _mention(self, forms: list[Form], start: int, end: int) -> SkillMention:
        skills = tuple(self.skills[form.skill_name] for form in forms)
        return SkillMention(
            skill=skills[0],
            start=start,
            end=end,
            ambiguous=forms[0].ambiguous,
            source="alias" if forms[0].is_alias else "taxonomy",
            alternatives=skills[1:],
        )


def _joins(text: str, gap: str, next_token: re.Match[str]) -> bool:
    """A form may run over a line break only where prose wrapped ("models running on NVIDIA\nJetson")."""
    if "\n" not in gap:
        return True
    if gap.count("\n") > 1:
        return False
    line_start = text.rfind("\n", 0, next_token.start() - len(gap)) + 1
    previous = text[line_start : next_token.start() - len(gap)].rstrip()
    return len(previous) >= _WRAPPED_LINE_CHARS and previous[-1:] not in ".,;:|•·"


def _continues_a_word(text: str, start: int) -> bool:
    """A form may not start inside a handle ("@react", "$R") or a hyphenated word ("non-Java")."""
    before = text[start - 1] if start else ""
    if before in ("@", "$", "&"):
        return True
    return before == "-" and start >= 2 and text[start - 2].isalnum()


def _longest_non_overlapping(candidates: list[SkillMention]) -> list[SkillMention]:
    chosen: list[SkillMention] = []
    taken: list[tuple[int, int]] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if any(mention.start < end and start < mention.end for start, end in taken):
            continue
        chosen.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(chosen, key=lambda m: m.start)


@lru_cache(maxsize=4)
def load_taxonomy(folder: Path = DATA_DIR) -> Taxonomy:
    return Taxonomy(load_taxonomy_data(folder))


# --- finding skills -----------------------------------------------------------------------------------


def find_skills(
    text: str,
    taxonomy: Taxonomy | None = None,
    *,
    ignore_spans: Sequence[tuple[int, int]] = (),
    similar: SimilarSkills | None = None,
) -> SkillReport:
    """Skills of a text. Mentions inside `ignore_spans` (company names: "Shopify", "Stripe") don't count.

    `similar` maps unknown list items to known skills (default: the packaged embedding model).
    """
    from services.tools.cv.skill_lists import list_item_mentions  # here: skill_lists imports this module

    taxonomy = taxonomy or load_taxonomy()
    lines = split_lines(text)
    # Company names ("Shopify") and the labels of skill lists ("ML: TF, Keras") are not the candidate's skills.
    ignored = [*ignore_spans, *_label_spans(lines)]
    mentions = [
        mention
        for mention in taxonomy.mentions(text)
        if not any(start <= mention.start and mention.end <= end for start, end in ignored)
    ]
    accepted = _accepted_mentions(text, lines, mentions)
    accepted += list_item_mentions(text, lines, accepted, taxonomy, ignore_spans, similar)
    return _report(text, lines, _claimed(sorted(accepted, key=lambda m: m.start), lines), taxonomy)


def _claimed(accepted: list[SkillMention], lines: list[Line]) -> list[SkillMention]:
    """Domains and practices named only in passing ("pipelines for e-commerce", "the outbox pattern") are the
    setting of a sentence, not a claim: they count when some list of the CV names them."""
    listed = {
        m.skill.name for m in accepted if m.source == "list_item" or is_list_line(line_of(lines, m.start))
    }
    return [m for m in accepted if m.skill.category not in _LISTED_ONLY or m.skill.name in listed]


def _label_spans(lines: list[Line]) -> list[tuple[int, int]]:
    return [(line.start, line.start + end) for line in lines if (end := skill_label_end(line.text))]


def _report(text: str, lines: list[Line], accepted: list[SkillMention], taxonomy: Taxonomy) -> SkillReport:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    catalogue = dict(taxonomy.skills)
    evidence: dict[str, list[SkillEvidence]] = {}
    sources: dict[str, SkillSource] = {}
    for mention in accepted:
        name = mention.skill.name
        counts[name] += 1
        first_seen.setdefault(name, mention.start)
        catalogue.setdefault(name, mention.skill)
        if name not in sources or _SOURCE_RANK[mention.source] < _SOURCE_RANK[sources[name]]:
            sources[name] = mention.source
        found = evidence.setdefault(name, [])
        if len(found) < _MAX_EVIDENCE:
            found.append(_evidence(text, lines, mention))
    ordered = sorted(counts, key=lambda name: (-counts[name], first_seen[name]))
    by_category: dict[str, list[str]] = {}
    for name in ordered:
        by_category.setdefault(catalogue[name].category, []).append(name)
    return SkillReport(ordered, by_category, dict(counts), catalogue, evidence, sources)


def _evidence(text: str, lines: list[Line], mention: SkillMention) -> SkillEvidence:
    line = line_of(lines, mention.start)
    first, _ = _wrapped_sentence(lines, line.number)
    _, last = _wrapped_sentence(lines, line_of(lines, mention.end - 1).number)  # a name may wrap, too
    start, end = lines[first].start, lines[last].start + len(lines[last].text)
    return SkillEvidence(
        section=line.section,
        line=line.number + 1,
        text=_quote_around(text[start:end], mention.start - start, mention.end - start),
        written=" ".join(text[mention.start : mention.end].split()),
        source=mention.source,
    )


def _wrapped_sentence(lines: list[Line], index: int) -> tuple[int, int]:
    """The lines a soft wrap split the line's sentence across (PDF text keeps the wraps): "...helping banks
    move regulated" goes on with "workloads to the cloud." on the next line."""
    first = last = index
    while first > 0 and index - first < _MAX_WRAPS and _wraps_into(lines[first - 1], lines[first]):
        first -= 1
    while last + 1 < len(lines) and last - index < _MAX_WRAPS and _wraps_into(lines[last], lines[last + 1]):
        last += 1
    return first, last


def _wraps_into(line: Line, following: Line) -> bool:
    """A long line that stops mid-sentence, and a next line of the same section that starts no new item and
    goes on in lower case, or after a word no sentence ends on. Not in a skills section: its lines are rows
    ("GCP ...... GKE, Cloud SQL" then "k8s ...... Helm")."""
    words, after = line.text.split(), following.text.strip()
    if line.section != following.section or line.section in ("heading", "skills") or not words or not after:
        return False
    if (
        len(" ".join(words)) < _WRAPPED_LINE_CHARS
        or words[-1][-1] in ".!?:;|"
        or BULLET_START_RE.match(after)
    ):
        return False
    return after[0].islower() or words[-1].lower() in _WRAP_WORDS


def _quote_around(passage: str, start: int, end: int) -> str:
    """The sentence of the passage that holds the mention (at `start:end`), whitespace collapsed, at most
    `_EVIDENCE_CHARS` long: if longer, whole words around the mention, with "…" where it was cut."""
    head = _SPACES_RE.sub(" ", passage[:start]).lstrip()
    mention = _SPACES_RE.sub(" ", passage[start:end])
    quote = head + mention + _SPACES_RE.sub(" ", passage[end:]).rstrip()
    at, until = len(head), len(head) + len(mention)
    breaks = list(_SENTENCE_BREAK_RE.finditer(quote))
    first = max((b.end() for b in breaks if b.end() <= at), default=0)
    last = min((b.start() for b in breaks if b.start() >= until), default=len(quote))
    quote, at, until = quote[first:last], at - first, until - first
    if len(quote) <= _EVIDENCE_CHARS:
        return quote
    room = max(0, _EVIDENCE_CHARS - 2 - len(mention))
    left = max(0, min(at - room // 2, len(quote) - (_EVIDENCE_CHARS - 2)))
    right = min(len(quote), left + len(mention) + room)
    if left:  # from the first whole word
        left = quote.find(" ", left, at) + 1 or at
    if right < len(quote):  # to the last whole word
        right = max(quote.rfind(" ", until, right), until)
    return f"{'…' if left else ''}{quote[left:right]}{'…' if right < len(quote) else ''}"


# --- context of ambiguous forms ---------------------------------------------------------------------


def _accepted_mentions(text: str, lines: list[Line], mentions: list[SkillMention]) -> list[SkillMention]:
    has_header = any(line.section == "heading" for line in lines)  # else "header" is the whole text
    mentions = [m for m in mentions if _is_the_candidates(text, lines, m, has_header=has_header)]
    accepted = [m for m in mentions if not m.ambiguous]
    pending = [m for m in mentions if m.ambiguous]
    # Two rounds: an ambiguous skill accepted in round one can vouch for its neighbour ("Go, Rust").
    for _ in range(2):
        still_pending = []
        for mention in pending:
            if _has_technical_context(text, lines, mention, accepted):
                accepted.append(_resolved(mention, text, accepted))
            else:
                still_pending.append(mention)
        pending = still_pending
    return sorted(accepted, key=lambda m: m.start)


def _is_the_candidates(text: str, lines: list[Line], mention: SkillMention, *, has_header: bool) -> bool:
    """False for a mention in a degree, a contact line, someone else's code or a clause the candidate disowns."""
    line = line_of(lines, mention.start)
    if line.section in _NOT_SKILL_SECTIONS and not is_list_line(line):
        return False
    # The header holds a name, a title, a place and links: "GitHub: ...", "Montréal, QC" are not skills.
    in_header = has_header and line.section == "header" and not is_list_line(line)
    if in_header and (_CONTACT_LINE_RE.search(line.text) or mention.end - mention.start <= _SHORT_IN_HEADER):
        return False
    if in_header and _HEADLINE_RE.search(line.text):
        return False  # "Cybersecurity Analyst — SOC / SIEM": the title they hold, not a skill they claim
    written = text[mention.start : mention.end]
    if line.section == "other" and not is_list_line(line) and written.islower():
        return False  # hobbies: "trimming the spinnaker" is sailing
    before = line.text[: mention.start - line.start]
    if _FOREIGN_CODE_RE.search(before):
        return False
    if _OTHERS_BEFORE_RE.search(before) and _OTHERS_AFTER_RE.match(text[mention.end : mention.end + 20]):
        return False
    return not _disowned(text, mention)


def _disowned(text: str, mention: SkillMention) -> bool:
    """The clause of the mention disowns it, or the next clause does by pointing back ("...; I never used it")."""
    start, end = _sentence_bounds(text, mention.start)
    clauses: list[tuple[int, int]] = []
    position = start
    for semicolon in [*re.finditer(";", text[start:end]), None]:
        stop = start + semicolon.start() if semicolon else end
        clauses.append((position, stop))
        position = stop + 1
    for index, (low, high) in enumerate(clauses):
        if not low <= mention.start < high + 1:
            continue
        if _DISOWNED_RE.search(text, low, high):
            return True
        if index + 1 < len(clauses):
            return _points_back_to_disown(text[clauses[index + 1][0] : clauses[index + 1][1]], mention, text)
    # "... is written in Elixir. My teams maintain it; I have never written Elixir myself."
    next_start, next_end = _sentence_bounds(text, end + 1) if end < len(text) else (end, end)
    return _points_back_to_disown(text[next_start:next_end], mention, text)


def _points_back_to_disown(following: str, mention: SkillMention, text: str) -> bool:
    named = text[mention.start : mention.end]
    refers = _BACK_REFERENCE_RE.search(following) is not None or named in following
    return refers and _DISOWNED_RE.search(following) is not None


def _sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    window_start = max(0, offset - 400)
    start = window_start
    for match in _SENTENCE_END_RE.finditer(text, window_start, offset):
        start = match.end()
    following = _SENTENCE_END_RE.search(text, offset, offset + 400)
    return start, following.start() if following else min(len(text), offset + 400)


def _resolved(mention: SkillMention, text: str, accepted: list[SkillMention]) -> SkillMention:
    """A shared ambiguous form ("TF") means the skill whose fields its neighbours share most."""
    if not mention.alternatives:
        return mention
    nearby = [m.skill for m in accepted if abs(m.start - mention.start) < 200] or [m.skill for m in accepted]

    def affinity(skill: Skill) -> int:
        return sum(
            len(set(skill.fields) & set(other.fields)) + (skill.category == other.category)
            for other in nearby
        )

    options = (mention.skill, *mention.alternatives)
    best = max(options, key=affinity)  # ties keep the first-listed skill
    return SkillMention(best, mention.start, mention.end, True, mention.source)


def line_of(lines: list[Line], offset: int) -> Line:
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle].start <= offset:
            low = middle
        else:
            high = middle - 1
    return lines[low]


def is_list_line(line: Line) -> bool:
    """A line of a skills section, or one that starts with a skill label ("Tools: ...", "Stack |")."""
    return (line.section in _CONTEXT_SECTIONS and line.section != "heading") or (
        _SKILL_LABEL_RE.match(line.text) is not None
    )


def skill_label_end(line: str) -> int:
    """Where the items of a labelled line start ("Testing: " -> after the colon), 0 without a label."""
    match = _SKILL_LABEL_RE.match(line)
    return match.end() if match else 0


def _has_technical_context(
    text: str, lines: list[Line], mention: SkillMention, accepted: list[SkillMention]
) -> bool:
    after = text[mention.end : mention.end + 6]
    if _AMBIGUOUS_REFUSED_AFTER_RE.match(after):
        return False
    line = line_of(lines, mention.start)
    start, end = mention.start - line.start, mention.end - line.start
    if is_list_line(line) and _is_list_item(line.text, start, end):
        return True
    if _next_to_accepted(text, mention, accepted):
        return True
    if _technical_noun_follows(line.text[end:]):
        return True
    return _CUE_BEFORE_RE.search(line.text[:start]) is not None


def _technical_noun_follows(after: str) -> bool:
    """ "Rust developer", "Helm charts", and one modifier away: "Espresso UI tests", "Chef cookbook files"."""
    words = [word.strip(",.;:()").lower() for word in after.split()[:2]]
    if words and words[0] in _CUE_AFTER:
        return True
    return len(words) == 2 and words[0].isalnum() and words[0] not in _PLAIN_WORDS and words[1] in _CUE_AFTER


def _is_list_item(line: str, start: int, end: int) -> bool:
    """True when the form is an item of a list by itself (optionally with a version): "Go 1.22,"."""
    left = start
    while left > 0 and line[left - 1] not in _ITEM_SEPARATORS and line[left - 1] != ":":
        left -= 1
    right = end
    while right < len(line) and line[right] not in _ITEM_SEPARATORS:
        right += 1
    before = line[left:start].strip().lstrip("-*•· ")
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
    """True when an unambiguous skill form occurs in the text ("Apache Spark" is not a person's name, but
    "Ruby Chen" and "JANE DOE" may be: "Ruby" and "DOE" also name skills, ambiguously)."""
    return any(not mention.ambiguous for mention in load_taxonomy().mentions(text))

"""Items of skill lists that the taxonomy does not know: "Testing: pytest, Pact, k6" yields Pact and k6.

Where lists are:
- every line of a skills section, and any line that starts with a skill label ("Tools:", "Stack |");
- any other line that is a list of short items ("Grafana · Loki · Tempo · OpenTelemetry") holding a known
  skill;
- inside a sentence, a run of at least three comma/and-separated short names with known skills among them
  ("built it with Airflow, dbt, Great Expectations and Snowflake").

An item is cut at `, ; | • · ( ) [ ]`, " and ", " & " and a sub-label ("Cloud: AWS"). The known skills in it
were found already; what is left, split at "/" and "+", is an unknown item when it reads as a name: versions,
proficiency words ("advanced", "3 years"), spoken languages and category words are removed; a word left
next to a known skill by a space ("AWS Lambda functions") belongs to that skill. Sentences in a skills
section are not lists. An unknown item is merged with the known skill it names when there is one
(skill_similarity.py: "Coroutines" is Kotlin Coroutines), else kept as written, with the category its line's
label gives ("Testing:") or "other".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from english_words import get_english_words_set

from services.tools.cv.sections import Line
from services.tools.cv.skill_similarity import SimilarSkills, default_similar_skills
from services.tools.cv.skills import (
    OTHER_CATEGORY,
    Skill,
    SkillMention,
    Taxonomy,
    is_list_line,
    skill_label_end,
)
from services.tools.cv.taxonomy import form_key

_ITEM_CUT_RE = re.compile(r"(?<!\d),|,(?!\d{3})|[;|•·()\[\]]|\s+(?:and|or|&)\s+|\s[-–—]\s|\t|\s{3,}")
_BARE_LIST_CUT_RE = re.compile(r"[,;|•·]|\t|\s{3,}")
_BRACKETED_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PIECE_CUT_RE = re.compile(r"\s*[/+]\s*")
_VERSION_WORD_RE = re.compile(r"^v?\d+(?:\.\d+)*(?:\+|\.x|x)?$", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"[a-z][.!?]\s+[A-Z]|\b(?:I|we|my|our)\b")
_NO_LOOSE_LISTS = {"header", "contact", "education", "certifications", "languages", "other", "heading"}
_DATED_RE = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:present|current)\b", re.IGNORECASE)
_ROW_LABEL_RE = re.compile(r"^[\s|•*·-]*([A-Za-z][\w &/-]{0,30}?)\s*[:|]\s*(.+)$")
_MAX_ITEM_WORDS = 4
_MAX_ITEM_CHARS = 40
_MIN_LIST_ITEMS = 3
_FUNCTION_WORDS = {
    "of", "for", "the", "with", "in", "on", "at", "by", "from", "to", "a", "an", "into", "over", "via", "using",
    "including", "incl", "e.g", "eg", "etc", "such", "as", "also", "plus", "and", "or", "is", "are", "was",
    "were", "be", "been", "have", "has", "had", "that", "this", "these", "those", "it", "its", "i", "we",
    "my", "our", "you", "your", "their", "who", "which", "where", "when", "while", "than", "then", "not",
}  # fmt: skip
_QUALIFIERS = {
    "advanced", "basic", "basics", "intermediate", "expert", "expertise", "strong", "good", "solid", "deep",
    "working", "hands-on", "excellent", "proficient", "proficiency", "familiar", "familiarity", "knowledge",
    "experience", "experienced", "exposure", "understanding", "beginner", "fluent", "native", "professional",
    "years", "year", "yrs", "yr", "months", "level", "skills", "skill", "some", "various", "several", "other",
    "others", "etc", "more", "modern", "proven", "extensive", "practical", "certified", "certification",
    "certifications", "certificate", "fundamentals", "concepts", "principles", "mother", "tongue", "limited",
    "elementary", "conversational", "bilingual", "daily", "heavy", "light", "primary", "secondary",
    "only", "poc", "legacy", "learning", "currently", "hobby", "personal", "prior", "previously", "former",
    "novice", "academic", "rusty", "dabbling", "occasionally",
}  # fmt: skip
_CATEGORY_WORDS = {
    "languages", "language", "programming", "frameworks", "framework", "libraries", "library", "tools", "tool",
    "tooling", "technologies", "technology", "tech", "stack", "platforms", "platform", "databases", "database",
    "cloud", "devops", "testing", "test", "qa", "frontend", "backend", "mobile", "data", "ml", "ai", "methods",
    "methodologies", "practices", "domains", "domain", "infrastructure", "observability", "monitoring",
    "security", "soft", "software", "systems", "hardware", "environment", "environments", "other", "misc",
    "miscellaneous", "core", "technical", "competencies", "areas", "interests", "spoken", "human", "natural",
    "analytics", "bi", "design", "management", "web", "apis", "api", "services", "ci/cd", "iac", "os", "general",
    "modelling", "modeling", "statistics", "engineering", "leadership", "processes", "process", "product",
    "area", "category", "categories", "skillset", "toolset", "toolbox", "expertise", "proficiency",
}  # fmt: skip
_SPOKEN_LANGUAGES = {
    "english", "spanish", "french", "german", "italian", "portuguese", "dutch", "polish", "russian",
    "ukrainian", "mandarin", "chinese", "cantonese", "japanese", "korean", "hindi", "urdu", "bengali",
    "arabic", "hebrew", "turkish", "greek", "swedish", "norwegian", "danish", "finnish", "czech", "slovak",
    "hungarian", "romanian", "bulgarian", "serbian", "croatian", "vietnamese", "thai", "indonesian", "malay",
    "tagalog", "filipino", "persian", "farsi", "swahili", "tamil", "telugu", "marathi", "punjabi", "gujarati",
    "catalan", "basque", "irish", "welsh", "afrikaans", "yoruba", "igbo", "hausa", "amharic", "estonian",
    "latvian", "lithuanian", "slovenian", "icelandic",
}  # fmt: skip
_CEFR_RE = re.compile(r"^(?:[ABC][12]|[ABC][12]\+?)$")
# The line's label says what its items are ("Testing: k6, Pact" -> testing).
_LABEL_CATEGORIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), category)
    for pattern, category in (
        (r"test|qa|quality", "testing"),
        (r"cloud", "cloud"),
        (r"devops|infra|ci\s*/?\s*cd|iac|observab|monitor|container", "devops"),
        (r"data(?:base|\s*stores?)|storage|\bdb", "databases"),
        (r"\bml\b|\bai\b|machine|deep|model|nlp|vision", "ml"),
        (r"data|analytic|\bbi\b|etl|warehouse", "data"),
        (r"front|ui\b|web", "frontend"),
        (r"mobile|ios|android", "mobile"),
        (r"back|server|api", "backend"),
        (r"secur|cyber", "security"),
        (r"language", "languages"),
        (r"manage|leader|soft|people", "management"),
        (r"design|ux", "design"),
        (r"domain|industr|business|finance|payment", "domains"),
        (r"method|practice|process|agile", "practices"),
        (r"embedded|firmware|hardware|system", "systems"),
    )
)


@dataclass(frozen=True)
class _Item:
    start: int  # offsets in the whole text
    end: int
    strict: bool  # found in prose: must read as a product name, not an ordinary phrase


def preload(taxonomy: Taxonomy) -> None:
    """Load the word list and the similarity model now (the forkserver does, so children start warm)."""
    _english_words()
    default_similar_skills(taxonomy)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


def list_item_mentions(
    text: str,
    lines: list[Line],
    accepted: list[SkillMention],
    taxonomy: Taxonomy,
    ignore_spans: Sequence[tuple[int, int]] = (),
    similar: SimilarSkills | None = None,
) -> list[SkillMention]:
    """Mentions of list items the taxonomy did not match (known by meaning, or kept as written)."""
    found: list[SkillMention] = []
    unknown: dict[str, Skill] = {}  # one Skill per spelling, so repeated items count as one skill
    pieces: list[_Piece] = []
    for line in lines:
        if line.section == "heading" or not line.text.strip():
            continue
        label = _label_of(line.text)
        for item in _items_of(line, accepted):
            for name, start, end in _unknown_pieces(text, item, accepted):
                if any(low <= start and end <= high for low, high in ignore_spans):
                    continue
                vendor = _vendor_form(taxonomy, label, name)  # "AWS: Organizations" is AWS Organizations
                if vendor is not None:
                    found.append(SkillMention(vendor, start, end, False, "alias"))
                    continue
                pieces.append(
                    _Piece(
                        name,
                        start,
                        end,
                        _label_category(line.text),
                        _nearby_categories(line, lines, accepted),
                    )
                )
    if not pieces:
        return found
    similar = similar or default_similar_skills(taxonomy)
    matches = similar.nearest([piece.name for piece in pieces])
    for piece, match in zip(pieces, matches, strict=True):
        # A merge must fit its line: "Coroutines + Flow" under Android is not Salesforce Flow.
        if match.merged is not None and match.merged.category in piece.context | {piece.label_category}:
            found.append(SkillMention(match.merged, piece.start, piece.end, False, "similar"))
            continue
        key = form_key(piece.name, False)
        skill = unknown.get(key)
        if skill is None:
            category = piece.label_category or OTHER_CATEGORY
            fields = taxonomy.data.categories.get(category, ())
            skill = unknown[key] = Skill(piece.name, category, tuple(fields), known=False)
        found.append(SkillMention(skill, piece.start, piece.end, False, "list_item"))
    return found


@dataclass(frozen=True)
class _Piece:
    name: str
    start: int
    end: int
    label_category: str | None
    context: frozenset[str]  # categories of the known skills on its line and the lines around it


def _nearby_categories(line: Line, lines: list[Line], accepted: list[SkillMention]) -> frozenset[str]:
    low = lines[max(0, line.number - 1)].start
    high = lines[min(len(lines) - 1, line.number + 1)]
    return frozenset(m.skill.category for m in accepted if low <= m.start < high.start + len(high.text))


def _label_of(line: str) -> str:
    end = skill_label_end(line) or _row_label_end(line)
    return line[:end].strip(" \t|•*·-:") if end else ""


def _vendor_form(taxonomy: Taxonomy, label: str, name: str) -> Skill | None:
    if not label or len(label.split()) > 2:
        return None
    forms = [form for form in taxonomy.lookup(f"{label} {name}") if not form.ambiguous]
    # The label names the vendor of the skill ("AWS Organizations"), not a theme ("Leadership coaching").
    vendors = {label.lower()} | {form.skill_name.lower() for form in taxonomy.lookup(label)}
    for form in forms:
        if any(form.skill_name.lower().startswith(vendor) for vendor in vendors):
            return taxonomy.skills[form.skill_name]
    return None


def _items_of(line: Line, accepted: list[SkillMention]) -> list[_Item]:
    in_line = [m for m in accepted if line.start <= m.start < line.start + len(line.text)]
    if is_list_line(line):
        body = skill_label_end(line.text) or _row_label_end(line.text)
        if _SENTENCE_RE.search(line.text[body:]) or len(line.text[body:].split()) > 40:
            return []
        return [_Item(s, e, strict=False) for s, e in _cut(line, body, in_line)]
    if line.section in _NO_LOOSE_LISTS or _DATED_RE.search(line.text):
        return []  # contact lines, job and school headers, certificates: places and dates, not skills
    spans = _cut(line, 0, in_line)
    if _is_bare_list(line.text) and _known_share(spans, in_line) >= 0.5:
        return [_Item(s, e, strict=True) for s, e in spans]  # "Grafana · Loki · Tempo"
    return _prose_run(line, spans, in_line)


def _known_share(spans: list[tuple[int, int]], in_line: list[SkillMention]) -> float:
    known = sum(any(start <= m.start < end for m in in_line) for start, end in spans)
    return known / len(spans) if spans else 0.0


def _is_bare_list(text: str) -> bool:
    """A line that is only short names between list punctuation, not a sentence."""
    parts = [part.strip(" -*•·") for part in _BARE_LIST_CUT_RE.split(text)]
    parts = [part for part in parts if part]
    return (
        len(parts) >= _MIN_LIST_ITEMS
        and not text.rstrip().endswith(".")
        and all(
            len(part.split()) <= 3 and not any(word.lower() in _FUNCTION_WORDS for word in part.split())
            for part in parts
        )
    )


def _row_label_end(line: str) -> int:
    """A skills-table row "Modelling | Regression, gradient boosting": the head names the row, not a skill.

    "Python: advanced" is the other way round: what follows only qualifies the head, which is the item.
    """
    match = _ROW_LABEL_RE.match(line)
    if match is None or _only_qualifies(match.group(2)):
        return 0
    return match.end(1) + 1


def _only_qualifies(text: str) -> bool:
    words = [_bare(word) for word in _BRACKETED_RE.sub(" ", text).split()] or [""]
    return all(not word or word in _QUALIFIERS or word.isdigit() or _is_version(word) for word in words)


def _bare(word: str) -> str:
    return word.strip("()[]{}.,;:!?'\"`*").lower()


def _cut(line: Line, body: int, known: list[SkillMention]) -> list[tuple[int, int]]:
    """The line's items from `body` on, never cut inside a known skill ("Weights & Biases", "C/C++")."""
    inside_known = [(m.start - line.start, m.end - line.start) for m in known]
    separators = [
        match
        for match in _ITEM_CUT_RE.finditer(line.text, body)
        if not any(start < match.start() < end for start, end in inside_known)
    ]
    spans: list[tuple[int, int]] = []
    position = body
    for separator in [*separators, None]:
        end = separator.start() if separator else len(line.text)
        if line.text[position:end].strip():
            spans.append((line.start + position, line.start + end))
        position = separator.end() if separator else end
    return spans


def _is_short(line: Line, start: int, end: int) -> bool:
    words = line.text[start - line.start : end - line.start].split()
    return 0 < len(words) <= _MAX_ITEM_WORDS


def _prose_run(line: Line, spans: list[tuple[int, int]], in_line: list[SkillMention]) -> list[_Item]:
    """ "... with Airflow, dbt, Great Expectations and Snowflake.": the short names of a run with known ones."""
    if len(spans) < _MIN_LIST_ITEMS or not in_line:
        return []
    items: list[_Item] = []
    run: list[tuple[int, int]] = []
    for start, end in [*spans, (-1, -1)]:
        if start >= 0 and (_is_short(line, start, end) or not run):
            run.append((start, end))
            continue
        if len(run) >= _MIN_LIST_ITEMS and _known_share(run, in_line) >= 0.5:
            # The run's first part leads the sentence in ("Churn and ...", "Built it with Airflow"): its
            # capital is the sentence's, so only the parts after it may name unknown tools.
            items += [_Item(s, e, strict=True) for s, e in run[1:]]
        run = [(start, end)] if start >= 0 else []
    return items


def _unknown_pieces(text: str, item: _Item, accepted: list[SkillMention]) -> list[tuple[str, int, int]]:
    """What of an item no known skill covers, cut at "/" and "+", cleaned; [] when nothing reads as a name."""
    inside = sorted(
        (m for m in accepted if item.start <= m.start and m.end <= item.end), key=lambda m: m.start
    )
    pieces: list[tuple[str, int, int]] = []
    position = item.start
    for mention in [*inside, None]:
        end = mention.start if mention else item.end
        for start, stop in _pieces_between(text, position, end):
            touches_known = any(
                (m.end <= start and not text[m.end : start].strip())
                or (stop <= m.start and not text[stop : m.start].strip())
                for m in inside
            )
            if touches_known:
                continue  # "AWS Lambda functions": the word belongs to the known skill
            name = clean_item(text[start:stop], strict=item.strict)
            if name:
                at = text.find(name, start, stop)  # the name's own place, for the evidence
                pieces.append((name, at, at + len(name)) if at >= 0 else (name, start, stop))
        position = mention.end if mention else end
    return pieces


def _pieces_between(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for separator in [*_PIECE_CUT_RE.finditer(text, start, end), None]:
        stop = separator.start() if separator else end
        if text[position:stop].strip():
            spans.append((position, stop))
        position = separator.end() if separator else stop
    return spans


def clean_item(raw: str, *, strict: bool = False) -> str | None:
    """The name an item gives, tidied ("Angular 15" -> "Angular"), or None when it is not a name."""
    if ":" in raw:
        raw = raw.rsplit(":", 1)[1]  # "Cloud: AWS" inside an item: the sub-label goes
    raw = _BRACKETED_RE.sub(" ", raw)  # "(5 years)", "[basic]"
    if re.search(r"[a-z]\.\s", raw):
        return None  # a sentence ends inside: OCR dust or prose, not a name
    words = raw.strip(" \t-–—*.,;:'\"`").split()
    if strict and words and words[0][:1].isdigit():
        return None  # "120 TB", "40,000 products": a quantity and its unit
    while words and (_bare(words[0]) in _FUNCTION_WORDS | _QUALIFIERS or _is_version(words[0])):
        words.pop(0)
    while words and (_bare(words[-1]) in _FUNCTION_WORDS | _QUALIFIERS or _is_version(words[-1])):
        words.pop()
    if not words or len(words) > _MAX_ITEM_WORDS:
        return None
    if len(words) == 1 and words[0].islower() and words[0].endswith("ly"):
        return None  # "LangChain (reluctantly)": an adverb about the item, not an item
    name = " ".join(words).strip(" -–—*.,;:'\"`")
    folded = [_bare(word) for word in words]
    if len(name) < 2 or len(name) > _MAX_ITEM_CHARS or not re.search(r"[A-Za-z]", name):
        return None
    if any(word in _FUNCTION_WORDS for word in folded) and not _is_title_case(words):
        return None  # a phrase of a sentence, not a name
    if all(word in _CATEGORY_WORDS | _QUALIFIERS for word in folded):
        return None
    if folded[0] in _SPOKEN_LANGUAGES or any(_CEFR_RE.match(word) for word in words):
        return None
    if strict and not _reads_as_product_name(words):
        return None
    return name


def _is_version(word: str) -> bool:
    return _VERSION_WORD_RE.match(word.strip("()")) is not None


def _is_title_case(words: list[str]) -> bool:
    return all(word[:1].isupper() or word.lower() in _FUNCTION_WORDS for word in words)


def _reads_as_product_name(words: list[str]) -> bool:
    """In prose, a name is capitalised or not an English word ("Great Expectations", "pytest", not "data")."""
    english = _english_words()
    return all(
        word[:1].isupper() or not _bare(word).isalpha() or not _is_english(_bare(word), english)
        for word in words
    )


def _is_english(word: str, english: frozenset[str]) -> bool:
    """The word list has no inflections: "products" is "product", "deployed" is "deploy"."""
    stems = {word}
    for suffix, replacement in (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix):
            stems.add(word[: -len(suffix)] + replacement)
    return any(stem in english for stem in stems)


def _label_category(line: str) -> str | None:
    label = line[: skill_label_end(line)]
    if not label:
        return None
    for pattern, category in _LABEL_CATEGORIES:
        if pattern.search(label):
            return category
    return None

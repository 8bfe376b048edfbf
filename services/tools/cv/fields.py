"""Contact details, experience and education out of resume text (rules, no model).

The text arrives as lines (see sections.py). Experience entries are anchored on date ranges inside the
experience section; title and company come from the rest of that line and from the short "header" lines
just above or below it, which is how one-column, two-column and table layouts all end up once flattened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.tools.cv.dates import DateRange, find_date_ranges, lone_years
from shared.cv import EducationEntry, ExperienceEntry
from services.tools.cv.sections import Line, heading_name
from services.tools.cv.skills import is_skill_phrase

# --- contact ---------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_WRAPPED_EMAIL_RE = re.compile(r"(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.)\n([A-Za-z]{2,})\b")
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d ().\-/]{6,22}\d(?![\w])")
_PHONE_LABEL_RE = re.compile(r"\b(?:phone|tel|telephone|mobile|cell|mob)\b|[☎📞]", re.IGNORECASE)
_KNOWN_SITES = (
    r"linkedin\.com|github\.com|gitlab\.com|bitbucket\.org|stackoverflow\.com|medium\.com|twitter\.com"
    r"|x\.com|kaggle\.com|behance\.net|dribbble\.com|scholar\.google\.com|huggingface\.co|dev\.to"
)
_URL_RE = re.compile(
    rf"(?:https?://|www\.)[^\s,;|<>()\"']+|(?<![\w@./])(?:{_KNOWN_SITES})/[^\s,;|<>()\"']+",
    re.IGNORECASE,
)
_BARE_DOMAIN_RE = re.compile(
    r"(?<![\w@./-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:dev|io|me|com|net|org|app|tech|ai|co|page|site)"
    r"(?:/[^\s,;|<>()\"']*)?(?![\w@])"
)
_LINK_LABEL_RE = re.compile(r"\b(?:website|portfolio|blog|homepage|web|site|links?)\b", re.IGNORECASE)
_NAME_LABEL_RE = re.compile(r"^\s*(?:full\s+)?name\s*[:|]\s*(.+)$", re.IGNORECASE)
_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "al", "el"}
_NOT_NAME_WORDS = {
    "resume", "résumé", "curriculum", "vitae", "cv", "profile", "summary", "contact", "email", "phone",
    "engineer", "developer", "manager", "architect", "senior", "junior", "lead", "software", "data",
    "scientist", "analyst", "consultant", "designer", "director", "intern", "head", "full", "stack",
    "backend", "frontend", "mobile", "cloud", "devops", "principal", "staff", "remote", "street", "road",
    "avenue", "university", "college", "inc", "llc", "ltd", "gmbh", "experience", "education", "skills",
    "page", "the", "and", "of", "for", "objective", "personal", "details", "information", "address",
}  # fmt: skip
_HONORIFIC_RE = re.compile(r"^(?:dr|prof|mr|mrs|ms|mx|miss|sir|dame)\.?\s+", re.IGNORECASE)
_POSTNOMINAL_RE = re.compile(
    r",?\s+(?:ph\.?\s?d|md|mba|msc|m\.sc|cpa|pmp|pe|jr|sr|iii|ii)\.?$", re.IGNORECASE
)
# Sections whose short capitalised lines are companies, schools or titles, never the candidate.
_NAMELESS_SECTIONS = ("experience", "education", "projects", "certifications", "other")
_SPLIT_HEADER_RE = re.compile(r"\s*(?:\||•|·|\t|\s{2,}|\s[-–—]\s|,\s)\s*")


@dataclass(frozen=True)
class Contact:
    name: str | None
    email: str | None
    phone: str | None
    links: list[str]


def extract_contact(lines: list[Line], today: date) -> Contact:
    text = "\n".join(line.text for line in lines)
    # A narrow column can wrap an address after its last dot: "jane@example.\norg".
    text = _WRAPPED_EMAIL_RE.sub(r"\1\2", text)
    email_match = _EMAIL_RE.search(text)
    return Contact(
        name=_find_name(lines),
        email=email_match.group(0) if email_match else None,
        phone=_find_phone(lines, today),
        links=_find_links(lines),
    )


def _find_name(lines: list[Line]) -> str | None:
    for line in lines[:40]:
        labelled = _NAME_LABEL_RE.match(line.text)
        if labelled and _looks_like_name(labelled.group(1).strip()):
            return _tidy_name(labelled.group(1).strip())
    candidates = [line for line in lines if line.section in ("header", "contact") and line.text.strip()]
    for line in candidates[:12]:
        for part in _SPLIT_HEADER_RE.split(_strip_noise(line.text))[:2]:
            if _looks_like_name(part) and not is_skill_phrase(part):
                return _tidy_name(part)
    # Two-column layouts often put a sidebar (contact, skills) before the name: accept a whole line
    # that reads as a name anywhere near the top, unless it is a place ("Chicago, IL") or a skill
    # ("Apache Spark", "Power BI").
    for line in lines[:80]:
        text = _strip_noise(line.text)
        if line.section in _NAMELESS_SECTIONS or "," in text or _is_location(text):
            continue
        if _looks_like_name(text) and not is_skill_phrase(text):
            return _tidy_name(text)
    return None


def _strip_noise(text: str) -> str:
    """Scanner dust, decoration and honorifics around a name: "_ EMILY CHEN .", "Dr. Amara Nwosu, PhD"."""
    text = text.strip(" \t_-.,:;'\"`~|*•#")
    text = _HONORIFIC_RE.sub("", text)
    return _POSTNOMINAL_RE.sub("", text).strip(" \t_-.,:;'\"`~|*•#")


def _looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 4 or any(char.isdigit() for char in text) or "@" in text:
        return False
    if heading_name(text) is not None:
        return False
    capitalised = 0
    for token in tokens:
        bare = token.strip(",")
        if bare.lower() in _NAME_PARTICLES:
            continue
        if bare.lower().strip(".") in _NOT_NAME_WORDS or not _is_name_token(bare):
            return False
        capitalised += 1
    return capitalised >= 2


def _is_name_token(token: str) -> bool:
    """ "Jane", "O'Neil", "Jean-Luc", "JOSÉ", "J." (an initial); any alphabet, capitalised."""
    if re.fullmatch(r"[^\W\d_]\.", token):
        return token[0].isupper()
    pieces = re.split(r"[-'’]", token)
    return all(piece.isalpha() for piece in pieces) and token[0].isupper()


def _tidy_name(text: str) -> str:
    tokens = text.replace(",", " ").split()
    if all(token.isupper() or token.lower() in _NAME_PARTICLES for token in tokens):
        tokens = [_title_token(token) for token in tokens]
    return " ".join(tokens)


def _title_token(token: str) -> str:
    if token.lower() in _NAME_PARTICLES:
        return token.lower()
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in token.split("-"))


def _find_phone(lines: list[Line], today: date) -> str | None:
    best: tuple[int, str] | None = None
    for line in lines:
        for match in _PHONE_RE.finditer(line.text):
            raw = match.group(0)
            if not _plausible_phone(raw, today):
                continue
            labelled = _PHONE_LABEL_RE.search(line.text) is not None
            rank = (0 if labelled else 1) * 10_000 + line.number
            if best is None or rank < best[0]:
                best = (rank, raw)
    if best is None:
        return None
    raw = best[1]
    digits = re.sub(r"\D", "", raw)
    return ("+" if raw.lstrip("(").startswith("+") else "") + digits


def _plausible_phone(raw: str, today: date) -> bool:
    digits = re.sub(r"\D", "", raw)
    minimum = 9 if raw.startswith("+") else 10
    if not minimum <= len(digits) <= 15:
        return False
    # "2019 - 2021" and "03/2018 - 12/2019" are date ranges, not phone numbers
    return not find_date_ranges(raw, today)


def _find_links(lines: list[Line]) -> list[str]:
    links: list[str] = []
    seen: set[str] = set()
    for line in lines:
        text = _EMAIL_RE.sub(" ", line.text)
        found = [m.group(0) for m in _URL_RE.finditer(text)]
        if line.section in ("header", "contact") or _LINK_LABEL_RE.search(text):
            remaining = _URL_RE.sub(" ", text)
            found += [m.group(0) for m in _BARE_DOMAIN_RE.finditer(remaining)]
        for raw in found:
            link = _normalise_link(raw)
            if link and link.lower() not in seen:
                seen.add(link.lower())
                links.append(link)
    return links


def _normalise_link(raw: str) -> str | None:
    link = raw.rstrip(".,;:)]}>'\"")
    if "." not in link:
        return None
    if not link.lower().startswith(("http://", "https://")):
        link = "https://" + link
    return link


# --- experience -------------------------------------------------------------------------------------

_TITLE_WORDS = {
    "engineer", "engineering", "developer", "programmer", "architect", "manager", "lead", "head", "director",
    "vp", "cto", "ceo", "cio", "cpo", "chief", "founder", "co-founder", "cofounder", "intern", "internship",
    "analyst", "scientist", "consultant", "designer", "administrator", "admin", "specialist", "officer",
    "sre", "devops", "researcher", "tester", "qa", "owner", "coordinator", "principal", "staff", "senior",
    "sr", "sr.", "junior", "jr", "jr.", "associate", "assistant", "technician", "contractor", "freelancer",
    "freelance", "instructor", "teacher", "lecturer", "professor", "fellow", "trainee", "apprentice",
    "president", "advisor", "strategist", "evangelist", "advocate", "member", "supervisor", "executive",
}  # fmt: skip
_COMPANY_SUFFIXES = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "corp", "corp.", "corporation", "co", "co.",
    "company", "plc", "s.a.", "sa", "bv", "b.v.", "oy", "ab", "srl", "pty", "technologies", "technology",
    "labs", "lab", "systems", "solutions", "software", "group", "holdings", "partners", "consulting",
    "studio", "studios", "bank", "agency", "ventures", "networks", "digital", "media", "health", "capital",
    "games", "analytics", "interactive", "logistics", "industries", "foundation", "se", "kg",
}  # fmt: skip
_LOCATIONS = {
    "remote", "hybrid", "on-site", "onsite", "usa", "us", "uk", "united states", "united kingdom", "germany",
    "france", "spain", "italy", "netherlands", "canada", "india", "poland", "ireland", "sweden", "norway",
    "denmark", "finland", "switzerland", "austria", "portugal", "belgium", "australia", "singapore",
    "japan", "brazil", "mexico", "israel", "romania", "ukraine", "czech republic", "estonia", "new york",
    "new york city", "nyc", "san francisco", "seattle", "austin", "boston", "chicago", "los angeles",
    "denver", "atlanta", "london", "berlin", "munich", "hamburg", "paris", "amsterdam", "dublin", "madrid",
    "barcelona", "lisbon", "stockholm", "zurich", "zürich", "vienna", "warsaw", "toronto", "vancouver",
    "bangalore", "bengaluru", "sydney", "melbourne", "tel aviv", "prague", "copenhagen", "oslo", "helsinki",
    "frankfurt", "cologne", "manchester", "edinburgh", "montreal", "portland", "san jose", "palo alto",
    "mountain view", "redmond", "cambridge", "oxford", "bay area", "pune", "hyderabad", "tallinn",
}  # fmt: skip
_US_STATE_RE = re.compile(r"^[A-Z]{2}$")
_BULLET_START_RE = re.compile(r"^\s*(?:•|[-*–▪◦]\s|\d+[.)]\s)")
_PART_SPLIT_RE = re.compile(r"\s*(?:\||•|·|\t|\s{2,}|\s[-–—]\s|,\s|\s@\s)\s*")
_AT_RE = re.compile(r"^(?P<title>.+?)\s+(?:at|@)\s+(?P<company>.+)$")
_PARENTHESES_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_DURATION_RE = re.compile(
    r"\(?\s*\d+\+?\s*(?:yrs?|years?|mos?|months?)(?:\s*,?\s*\d+\s*(?:mos?|months?))?\s*\)?", re.IGNORECASE
)
_SUFFIXES_NO_DOT = {suffix.rstrip(".") for suffix in _COMPANY_SUFFIXES}
_SCOPE_SECTIONS = ("experience",)
_MAX_HEADER_WORDS = 12


@dataclass
class _Anchor:
    line: Line
    date_range: DateRange


@dataclass(frozen=True)
class _Part:
    text: str
    line: Line
    after_at: bool = False  # the company of "Title at Company"


@dataclass
class ExperienceResult:
    entries: list[ExperienceEntry]
    ranges: list[DateRange]
    company_spans: list[tuple[int, int]]  # where company names sit in the text (not skill mentions)


def extract_experience(lines: list[Line], today: date) -> ExperienceResult:
    scope = _experience_scope(lines)
    anchors = [_Anchor(line, ranges[0]) for line in scope if (ranges := find_date_ranges(line.text, today))]
    result = ExperienceResult([], [], [])
    for index, anchor in enumerate(anchors):
        previous_anchor = anchors[index - 1].line.number if index else -1
        next_anchor = anchors[index + 1].line.number if index + 1 < len(anchors) else len(lines)
        title, company = _title_and_company(lines, anchor, previous_anchor, next_anchor)
        result.entries.append(
            ExperienceEntry(
                title=_clean(title.text if title else None),
                company=_clean(company.text if company else None),
                start=str(anchor.date_range.start),
                end=anchor.date_range.end_text(),
            )
        )
        result.ranges.append(anchor.date_range)
        if company is not None and (found := company.line.text.find(company.text)) >= 0:
            offset = company.line.start + found
            result.company_spans.append((offset, offset + len(company.text)))
    return result


def _experience_scope(lines: list[Line]) -> list[Line]:
    in_section = [line for line in lines if line.section in _SCOPE_SECTIONS]
    if in_section:
        return in_section
    # No experience heading: every line outside the education-like sections may hold a job.
    return [line for line in lines if line.section in ("header", "summary", "other")]


def _title_and_company(
    lines: list[Line], anchor: _Anchor, previous_anchor: int, next_anchor: int
) -> tuple[_Part | None, _Part | None]:
    start, end = anchor.date_range.span
    blanked = anchor.line.text[:start] + " " * (end - start) + anchor.line.text[end:]
    parts = _header_parts(blanked, anchor.line)
    if not _complete(parts):
        parts += _neighbour_parts(lines, anchor.line.number, previous_anchor, step=-1)
    if not _complete(parts):
        parts += _neighbour_parts(lines, anchor.line.number, next_anchor, step=1)
    return _assign(parts)


def _header_parts(text: str, line: Line) -> list[_Part]:
    text = _DURATION_RE.sub(" ", text)
    text = _PARENTHESES_RE.sub("  ", text)  # "(part-time)", "(Remote)", "(acquired by X)": qualifiers
    text = text.strip(" \t|,•·-–—:")
    if not text:
        return []
    parts: list[_Part] = []
    for piece in _PART_SPLIT_RE.split(text):
        piece = piece.strip(" \t|,•·-–—:")
        if not piece:
            continue
        if parts and piece.lower().rstrip(".") in _SUFFIXES_NO_DOT:
            parts[-1] = _Part(f"{parts[-1].text}, {piece}", line, parts[-1].after_at)  # "Acme, Inc."
            continue
        at = _AT_RE.match(piece)
        if at and _title_score(at.group("title")) > 0:
            parts += [_Part(at.group("title"), line), _Part(at.group("company"), line, after_at=True)]
            continue
        parts.append(_Part(piece, line))
    return [part for part in parts if not _is_location(part.text)]


def _neighbour_parts(lines: list[Line], number: int, limit: int, *, step: int) -> list[_Part]:
    parts: list[_Part] = []
    taken = 0
    cursor = number + step
    while 0 <= cursor < len(lines) and cursor != limit and taken < 2:
        line = lines[cursor]
        if not _is_header_like(line):
            break
        parts += _header_parts(line.text, line)
        taken += 1
        cursor += step
    return parts


def _is_header_like(line: Line) -> bool:
    text = line.text.strip()
    if not text or line.section == "heading" or _BULLET_START_RE.match(text):
        return False
    words = text.split()
    if len(words) > _MAX_HEADER_WORDS or text.endswith(";"):
        return False
    # A full stop ends a sentence (a bullet's last line), except after "Inc." or "S.A.".
    return not text.endswith(".") or words[-1].lower() in _COMPANY_SUFFIXES


def _complete(parts: list[_Part]) -> bool:
    has_title = any(_title_score(part.text) > 0 for part in parts)
    return has_title and len(parts) >= 2


def _assign(parts: list[_Part]) -> tuple[_Part | None, _Part | None]:
    """Title: the part with the most title words. Company: "at X", else a suffixed name, else the first."""
    if not parts:
        return None, None
    scored = [(_title_score(part.text), index) for index, part in enumerate(parts) if not part.after_at]
    best_score, best_index = max(scored, default=(0, -1), key=lambda item: (item[0], -item[1]))
    title = parts[best_index] if best_score > 0 else None
    others = [part for index, part in enumerate(parts) if title is None or index != best_index]
    marked = [part for part in others if part.after_at]
    suffixed = [part for part in others if _has_company_suffix(part.text)]
    plain = [part for part in others if _title_score(part.text) == 0]
    company = next(iter(marked or suffixed or plain), None)
    if title is None and len(plain) > 1:
        title = next(part for part in plain if part is not company)
    return title, company


def _title_score(part: str) -> int:
    words = re.findall(r"[a-z][a-z.-]*", part.lower())
    return sum(1 for word in words if word in _TITLE_WORDS)


def _has_company_suffix(part: str) -> bool:
    words = part.lower().replace(",", " ").split()
    return bool(words) and words[-1] in _COMPANY_SUFFIXES


def _is_location(part: str) -> bool:
    lowered = part.lower().strip(" .")
    if lowered in _LOCATIONS or _US_STATE_RE.match(part.strip()):
        return True
    pieces = [piece.strip() for piece in lowered.split(",")]
    return len(pieces) == 2 and (pieces[0] in _LOCATIONS or pieces[1] in _LOCATIONS)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip(" \t|,•·-–—:")
    return text or None


# --- education --------------------------------------------------------------------------------------

_DEGREE_RE = re.compile(
    r"(?<![A-Za-z])(?:Ph\.?\s?D\.?|D\.?Phil|Doctor(?:ate)?\b(?:\s+of\s+[A-Z]\w+)?|MPhil|M\.\s?Sc\.?|MSc|M\.S\.|"
    r"MS(?=[\s,])|M\.A\.|MA(?=[\s,])|MBA|M\.\s?Eng\.?|MEng|M\.?\s?Tech|Master(?:['’]s|s)?\b|"
    r"B\.\s?Sc\.?|BSc|B\.S\.|BS(?=[\s,])|B\.A\.|BA(?=[\s,])|BBA|B\.\s?Eng\.?|BEng|B\.?\s?Tech|"
    r"Bachelor(?:['’]s|s)?\b|Associate(?:['’]s)?\s+(?:of|in|degree)|A\.A\.S\.|Diploma\b|HND\b|LL\.?[BM]\b|"
    r"BCA|MCA|Abitur|High\s+School\s+Diploma|GCSEs?|A-Levels?|Licenciatura|Licenciado|Licence|Laurea|"
    r"Diplom(?:-Ingenieur)?|Dipl\.-Ing\.?|Magister|Mestrado|Maestr[ií]a|Ingeniero|Engenheiro)"
)
_INSTITUTION_RE = re.compile(
    r"\b(?:University|College|Institute|School|Academy|Polytechnic|Universit[äa]t|Universit[ée]|"
    r"Hochschule|Politecnico|Conservatory|ETH|EPFL|MIT|UCL|Caltech|Technion|KTH|TU\s+\w+|Universidad|"
    r"Universidade|Università|Universiteit|Uniwersytet|Université|Escola|Ecole|École)\b"
)
_EDUCATION_SECTIONS = ("education",)


def extract_education(lines: list[Line], today: date) -> list[EducationEntry]:
    scope = [line for line in lines if line.section in _EDUCATION_SECTIONS]
    if not scope:
        scope = [line for line in lines if line.section not in ("experience", "projects")]
    entries: list[EducationEntry] = []
    used_institution_lines: set[int] = set()
    degree_lines = [line for line in scope if _DEGREE_RE.search(line.text)]
    for line in degree_lines:
        entries.append(_education_entry(scope, line, today, used_institution_lines))
    # Institutions without a degree line nearby still count (a degree-less listing or an odd layout).
    for line in scope:
        if line.number in used_institution_lines or not _INSTITUTION_RE.search(line.text):
            continue
        if _DEGREE_RE.search(line.text):
            continue
        used_institution_lines.add(line.number)
        entries.append(
            EducationEntry(
                degree=None, institution=_institution_part(line.text), year=_year_near(scope, line, today)
            )
        )
    return entries


def _education_entry(scope: list[Line], line: Line, today: date, used: set[int]) -> EducationEntry:
    parts = _education_parts(line.text)
    degree = next((part for part in parts if _DEGREE_RE.search(part)), None)
    institution = next((part for part in parts if _INSTITUTION_RE.search(part) and part != degree), None)
    if institution is None:
        neighbour = _nearest(
            scope,
            line,
            lambda other: bool(_INSTITUTION_RE.search(other.text)) and not _DEGREE_RE.search(other.text),
        )
        if neighbour is not None and neighbour.number not in used:
            used.add(neighbour.number)
            institution = _institution_part(neighbour.text)
    elif degree is None:
        degree = line.text.strip()
    used.add(line.number)
    return EducationEntry(
        degree=_clean(degree), institution=_clean(institution), year=_year_near(scope, line, today)
    )


def _education_parts(text: str) -> list[str]:
    text = re.sub(r"\((?:[^()]*\d{4}[^()]*)\)", " ", text)  # "(2012 - 2016)" is a date, not a part
    parts = []
    for piece in _PART_SPLIT_RE.split(text):
        piece = _strip_dates(piece).strip(" \t|,•·-–—:()")
        if piece:
            parts.append(piece)
    return parts


def _strip_dates(text: str) -> str:
    text = re.sub(r"\b(?:expected|graduated|graduation|class of)\b:?", " ", text, flags=re.IGNORECASE)
    text = re.sub(
        r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d"
        r"(?:\s*[-–—]\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
        r"(?:(?:19|20)\d\d|present))?",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    return re.sub(r"\s+", " ", text)


def _institution_part(text: str) -> str | None:
    parts = _education_parts(text)
    for part in parts:
        if _INSTITUTION_RE.search(part):
            return part
    return parts[0] if parts else None


def _nearest(scope: list[Line], line: Line, predicate: Callable[[Line], bool]) -> Line | None:
    by_number = {other.number: other for other in scope}
    for distance in (1, -1, 2, -2):
        other = by_number.get(line.number + distance)
        if other is not None and other.section != "heading" and predicate(other):
            return other
    return None


def _year_near(scope: list[Line], line: Line, today: date) -> int | None:
    by_number = {other.number: other for other in scope}
    for distance in (0, 1, -1, 2):
        other = by_number.get(line.number + distance)
        if other is None or (distance and _DEGREE_RE.search(other.text)):
            continue
        years = _years_in(other.text, today)
        if years:
            return max(years)
    return None


def _years_in(text: str, today: date) -> list[int]:
    years = [year for year in lone_years(text) if 1950 <= year <= today.year + 8]
    for date_range in find_date_ranges(text, today):
        if date_range.end != "present" and not isinstance(date_range.end, str):
            years.append(date_range.end.year)
    return years

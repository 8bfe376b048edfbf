"""Contact details out of resume lines: the candidate's name, email, phone and links (rules, no model)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.tools.cv.dates import find_date_ranges
from services.tools.cv.parts import is_location
from services.tools.cv.sections import Line, heading_name
from services.tools.cv.skills import is_skill_phrase

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
        if line.section in _NAMELESS_SECTIONS or "," in text or is_location(text):
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

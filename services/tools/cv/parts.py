"""What the contact, experience and education extractors share: splitting a header line into parts,
tidying a part, and telling a place ("London", "Austin, TX", "Remote") from a name or a company."""

from __future__ import annotations

import re

LOCATIONS = {
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
US_STATE_RE = re.compile(r"^[A-Z]{2}$")
# Where a header line splits into parts: "|", "•", "·", tabs, wide gaps, dashes, ", ", " @ ".
PART_SPLIT_RE = re.compile(r"\s*(?:\||•|·|\t|\s{2,}|\s[-–—]\s|,\s|\s@\s)\s*")


def is_location(part: str) -> bool:
    lowered = part.lower().strip(" .")
    if lowered in LOCATIONS or US_STATE_RE.match(part.strip()):
        return True
    pieces = [piece.strip() for piece in lowered.split(",")]
    return len(pieces) == 2 and (pieces[0] in LOCATIONS or pieces[1] in LOCATIONS)


def clean_part(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip(" \t|,•·-–—:")
    return text or None

"""One answer against its question: which key points it covers (with the candidate's words as evidence),
how deep and specific it is, its STAR structure, and whether it is an answer at all (empty, gibberish,
off topic, a parrot of the question, a repeat of an earlier answer).

Deterministic on purpose: the same transcript always gets the same grade, and every number can be
traced back to words the candidate said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.tools.evaluator.text import (
    KEY_POINT_GLUE,
    STOPWORDS,
    Lexicon,
    content_tokens,
    filler_count,
    sentences,
    tokens,
)
from shared.report import Quote

MAX_QUOTE_CHARS = 220

_NUMBER_RE = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|percent|ms|s\b|x\b|k\b)?")
_REASONING_RE = re.compile(
    r"\b(because|since|so that|which means|therefore|trade-?offs?|instead|otherwise|the reason|in order to|"
    r"that way|downside|on the other hand|it depends|depends on|rather than|the risk|at the cost)\b"
)
_ORDER_RE = re.compile(
    r"\b(first|firstly|second|secondly|then|next|after that|finally|lastly|overall|in short|to summari[sz]e)\b"
)
# Hedges: the candidate signals they are unsure of what they state (a correctness signal the words carry).
_HEDGE_RE = re.compile(
    r"\b(i think|i guess|i believe|maybe|probably|not sure|i'?m not certain|kind of|sort of|or something)\b"
)
_DONT_KNOW_RE = re.compile(
    r"\b(i don'?t know|no idea|not sure|i'?m not familiar|can'?t remember|don'?t remember|never (heard|used)|"
    r"no clue|skip( this)?|pass)\b"
)
_STAR_RE = {
    "situation": re.compile(
        r"\b(when i was|at my (previous|last|current|first|old)|last (year|quarter|month|spring|summer|autumn|winter)|"
        r"(a few|two|three|\d+) (years|months|weeks) ago|in my (previous|last|current|first) (role|job|team|company)|"
        r"we (had|were)|our team|the situation|back in|at the time|there was|i was working|i worked (at|on))\b"
    ),
    "task": re.compile(
        r"\b(my (job|task|role|goal|responsibility|aim) was|i was (asked|responsible|tasked|supposed|the one)|"
        r"i needed to|i had to|we needed to|we had to|the goal was|the task was|i wanted to|it was my job|"
        r"i owned|i volunteered)\b"
    ),
    "action": re.compile(
        r"\bi (?:then |also |first |quickly |personally |immediately |eventually )?"
        r"(\w+ed|built|wrote|spoke|set|ran|took|led|made|met|brought|sat|went|dug|began|did|found|got|told|"
        r"put|kept|gave|chose|drew|paired|rewrote|split|sent)\b"
    ),
    "result": re.compile(
        r"\b(as a result|in the end|the result|the outcome|ended up|eventually|afterwards|since then|"
        r"we (shipped|launched|delivered|hit|met|cut|reduced|saved)|"
        r"(reduced|cut|improved|increased|dropped|saved|grew|halved|doubled)\b|\d+ ?(%|percent)|learned|learnt)"
    ),
}
# Key points that name a kind of evidence rather than a topic: a cue in the answer counts as a hit.
_KEY_POINT_CUES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\b(result|outcome|impact|measurable|metric)"), _STAR_RE["result"]),
    (
        re.compile(r"\b(action|steps|personally|contribution|own actions|they took|they did)"),
        _STAR_RE["action"],
    ),
    (
        re.compile(r"\btrade-?off"),
        re.compile(r"\b(trade-?offs?|downside|at the cost|instead of|versus|vs\.?|cheaper|costlier|but)\b"),
    ),
    (
        re.compile(r"\bcomplexity|big-?o"),
        re.compile(r"\bo\s?\(|\b(linear|logarithmic|quadratic|constant time|log n|n log n)\b"),
    ),
    (
        re.compile(r"\b(learn|lesson|differently)"),
        re.compile(r"\b(learned|learnt|lesson|next time|now i|since then|differently|taught me)\b"),
    ),
    (
        re.compile(r"\bexample|situation"),
        re.compile(r"\b(for example|for instance|at my|in my (last|previous|current)|when i|once)\b"),
    ),
)
# Gates: an answer that is not an answer keeps this share of its score at most.
GATES = {
    "empty": 0.0,
    "gibberish": 0.05,
    "repetitive": 0.1,
    "off_topic": 0.12,
    "echo": 0.1,
    "repeated": 0.2,
    "keyword_list": 0.35,  # the right terms, no explanation: some knowledge, no answer
    "dont_know": 0.4,
}


@dataclass(frozen=True)
class AskedQuestion:
    """A question the interviewer asked: a bank question (key points) or its own words (none)."""

    text: str
    turn_id: str | None
    question_id: str | None = None
    key_points: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    context: str = ""  # hints and follow-ups: more words that are on topic
    star: bool = False  # a story is expected (situation, task, action, result)


@dataclass(frozen=True)
class Answer:
    turn_id: str
    text: str


@dataclass(frozen=True)
class Domain:
    """What counts as on topic for the interview type: its bank's and vocabulary's words."""

    tokens: frozenset[str]
    concepts: frozenset[str]


@dataclass(frozen=True)
class AnalysisInputs:
    """What every answer of an interview is read with."""

    lexicon: Lexicon
    domain: Domain


@dataclass
class KeyPointMatch:
    point: str
    strength: float  # 1 covered, 0.5 touched, 0 missed
    quote: Quote | None = None


@dataclass
class AnswerAnalysis:
    question: AskedQuestion
    answers: list[Answer]
    flags: list[str] = field(default_factory=list)
    key_points: list[KeyPointMatch] = field(default_factory=list)
    coverage: float = 0.0
    depth: float = 0.0
    specificity: float = 0.0
    reasoning: float = 0.0
    structure: float = 0.0
    clarity: float = 0.0
    star: dict[str, bool] | None = None
    real_word_ratio: float = 0.0
    content_words: int = 0
    hedges: list[str] = field(default_factory=list)
    score: float = 0.0  # 0-10
    best_quote: Quote | None = None

    @property
    def text(self) -> str:
        return " ".join(a.text.strip() for a in self.answers).strip()

    @property
    def gate(self) -> float:
        return min((GATES.get(f, 1.0) for f in self.flags), default=1.0)


def _quote(text: str, turn_id: str) -> Quote:
    text = " ".join(text.split())
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return Quote(turn_id=turn_id, quote=text)


def _sentences_with_turns(answers: list[Answer]) -> list[tuple[str, str]]:
    return [(s, a.turn_id) for a in answers for s in sentences(a.text)]


def _key_point_concepts(point: str, lexicon: Lexicon) -> set[str]:
    return {lexicon.concept(t) for t in content_tokens(point) if t not in KEY_POINT_GLUE}


def match_key_point(point: str, answers: list[Answer], lexicon: Lexicon) -> KeyPointMatch:
    """Covered when the answer names enough of the point's concepts (synonyms folded) or gives the kind
    of evidence the point asks for (a number for "measurable result"); quoted from its best sentence."""
    wanted = _key_point_concepts(point, lexicon)
    cues = [cue for trigger, cue in _KEY_POINT_CUES if trigger.search(point.lower())]
    best: tuple[float, str, str] | None = None
    total_hits: set[str] = set()
    cue_seen = False
    for sentence, turn_id in _sentences_with_turns(answers):
        hits = wanted & lexicon.concepts(sentence)
        cue_hit = any(cue.search(sentence.lower()) for cue in cues)
        total_hits |= hits
        cue_seen = cue_seen or cue_hit
        weight = len(hits) + (1.0 if cue_hit else 0.0)
        if weight and (best is None or weight > best[0]):
            best = (weight, sentence, turn_id)
    hits_count = len(total_hits) + (1 if cue_seen else 0)
    need = 1 if len(wanted) <= 2 else 2
    strength = 1.0 if hits_count >= need else 0.5 if hits_count >= 1 else 0.0
    quote = _quote(best[1], best[2]) if best and strength else None
    return KeyPointMatch(point=point, strength=strength, quote=quote)


def star_parts(text: str) -> dict[str, bool]:
    lowered = text.lower()
    parts = {part: bool(pattern.search(lowered)) for part, pattern in _STAR_RE.items()}
    # One "I did X" is a mention; a story of actions names at least two.
    parts["action"] = len(_STAR_RE["action"].findall(lowered)) >= 2
    return parts


def _flags(
    analysis: AnswerAnalysis, words: list[str], lexicon: Lexicon, domain: Domain, earlier: list[set[str]]
) -> list[str]:
    text = analysis.text
    content = content_tokens(text)
    if not content:  # only function words: "I don't know" or nothing at all
        return ["dont_know"] if _DONT_KNOW_RE.search(text.lower()) else ["empty"]
    alpha = [w for w in words if w.isalpha()]
    real = sum(1 for w in alpha if lexicon.is_word(w, domain.tokens))
    analysis.real_word_ratio = real / len(alpha) if alpha else 0.0
    flags: list[str] = []
    if analysis.real_word_ratio < 0.75:
        flags.append("gibberish")
    if len(content) >= 8 and len(set(content)) / len(content) < 0.3:
        flags.append("repetitive")
    # English sentences are about 40% function words; a bare list of terms has almost none.
    if len(words) >= 8 and sum(1 for w in words if w in STOPWORDS) / len(words) < 0.15:
        flags.append("keyword_list")
    concepts = lexicon.concepts(text)
    question = analysis.question
    asked = lexicon.concepts(" ".join((question.text, *question.key_points, question.context)))
    on_topic = len(concepts & asked)
    known = asked | domain.concepts
    domain_share = sum(1 for t in content if lexicon.concept(t) in known) / len(content)
    if on_topic < 2 and domain_share < 0.5:
        flags.append("off_topic")
    asked_only = lexicon.concepts(question.text)
    echoed = sum(1 for t in content if lexicon.concept(t) in asked_only) / len(content)
    if echoed >= 0.6 and len(concepts - asked_only) < 3:
        flags.append("echo")
    if len(concepts) >= 5 and any(len(concepts & e) / len(concepts | e) >= 0.6 for e in earlier if e):
        flags.append("repeated")
    if _DONT_KNOW_RE.search(text.lower()) and len(content) < 25:
        flags.append("dont_know")
    return flags


def _sentence_length_fit(text: str) -> float:
    """1 for sentences of 8-30 words on average; less for fragments or run-ons."""
    parts = sentences(text)
    if not parts:
        return 0.0
    average = sum(len(tokens(s)) for s in parts) / len(parts)
    if 8 <= average <= 30:
        return 1.0
    return max(0.0, average / 8) if average < 8 else max(0.0, 1 - (average - 30) / 40)


def analyze_answer(
    question: AskedQuestion, answers: list[Answer], inputs: AnalysisInputs, earlier: list[set[str]]
) -> AnswerAnalysis:
    """Grade the candidate's answer(s) to one question; `earlier`: concept sets of earlier answers."""
    lexicon, domain = inputs.lexicon, inputs.domain
    analysis = AnswerAnalysis(question=question, answers=answers)
    text = analysis.text
    words = tokens(text)
    analysis.flags = _flags(analysis, words, lexicon, domain, earlier)
    if "empty" in analysis.flags:
        analysis.key_points = [KeyPointMatch(point=p, strength=0.0) for p in question.key_points]
        return analysis
    content = content_tokens(text)
    analysis.content_words = len(content)
    analysis.key_points = [match_key_point(p, answers, lexicon) for p in question.key_points]
    analysis.coverage = (
        sum(k.strength for k in analysis.key_points) / len(analysis.key_points)
        if analysis.key_points
        else 0.0
    )
    distinct_terms = {t for t in content if t in domain.tokens}
    analysis.depth = min(1.0, len(content) / 60)
    analysis.specificity = min(1.0, (len(distinct_terms) + len(_NUMBER_RE.findall(text))) / 8)
    analysis.reasoning = min(1.0, len(_REASONING_RE.findall(text.lower())) / 3)
    analysis.hedges = [m.group(0) for m in _HEDGE_RE.finditer(text.lower())]
    organised = min(1.0, len(_ORDER_RE.findall(text.lower())) / 2)
    if question.star:
        analysis.star = star_parts(text)
        analysis.structure = sum(analysis.star.values()) / 4
    else:
        analysis.structure = 0.5 * organised + 0.5 * min(1.0, len(sentences(text)) / 4)
    fillers = sum(filler_count(words).values()) / max(1, len(words))
    analysis.clarity = (
        0.3 * analysis.structure
        + 0.25 * _sentence_length_fit(text)
        + 0.2 * max(0.0, 1 - fillers * 10)
        + 0.25 * analysis.depth
    )
    analysis.score = round(10 * _quality(analysis) * _length_factor(len(content)) * analysis.gate, 2)
    analysis.best_quote = _best_quote(analysis)
    return analysis


def _quality(analysis: AnswerAnalysis) -> float:
    # Hedging often marks a guess: one per 40 words costs up to 0.1 of the grade.
    unsure = min(0.1, 0.1 * len(analysis.hedges) * 40 / max(40, len(tokens(analysis.text))))
    if analysis.question.key_points:
        return max(
            0.0,
            0.45 * analysis.coverage
            + 0.2 * analysis.depth
            + 0.15 * analysis.specificity
            + 0.1 * analysis.reasoning
            + 0.1 * analysis.structure
            - unsure,
        )
    # The interviewer's own question (introduction, wrap-up): no key points to check against.
    return (
        0.4 * analysis.depth
        + 0.2 * analysis.specificity
        + 0.2 * analysis.reasoning
        + 0.2 * analysis.structure
    )


def _length_factor(content_words: int) -> float:
    """A one-liner cannot carry an answer, however well chosen its words."""
    return min(1.0, content_words / 12)


def _best_quote(analysis: AnswerAnalysis) -> Quote | None:
    quotes = [k.quote for k in analysis.key_points if k.quote and k.strength >= 1]
    if quotes:
        return max(quotes, key=lambda q: len(q.quote))
    if analysis.answers:
        first = analysis.answers[0]
        return _quote(sentences(first.text)[0] if sentences(first.text) else first.text, first.turn_id)
    return None

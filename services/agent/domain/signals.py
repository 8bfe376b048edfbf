"""What the interviewer reads from a candidate's answer, without a model:
is the candidate stuck, asking for a hint, a repeat or a clarification, asking about the job, declining
to answer, saying something that is no answer at all (empty, gibberish, off-topic), or covering the key
points?

Cheap and deterministic on purpose: the planner runs on every turn, and a 0.5B
model is not a reliable judge of its own questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

_WORD_RE = re.compile(r"[a-z0-9+#]+")

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "else",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "my",
        "our",
        "your",
        "their",
        "them",
        "us",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "yes",
        "so",
        "very",
        "just",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "than",
        "too",
        "also",
        "into",
        "about",
        "over",
        "under",
        "use",
        "using",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "each",
        "some",
        "such",
        "more",
        "most",
        "other",
        "only",
        "own",
        "same",
        "both",
        "few",
    ]
)

_STUCK_PATTERNS = [
    r"\bi (really )?(don'?t|do not) know\b",
    r"\bno idea\b",
    r"\bnot sure\b",
    r"\bi'?m stuck\b",
    r"\bi (can'?t|cannot) (remember|recall|think)\b",
    r"\bi have no (clue|experience)\b",
    r"\bpass\b$",
    r"^\s*(um+|uh+|hmm+)[.\s]*$",
]
_HINT_PATTERNS = [
    r"\bhint\b",
    r"\bhelp me\b",
    r"\bnudge\b",
    r"\bpoint me\b",
    r"\bwhere (should|do) i start\b",
]
_REPEAT_PATTERNS = [
    r"\b(can|could|would) you (please )?(repeat|say that again|say it again)\b",
    r"\brepeat (the|that|your) question\b",
    r"\b(say|ask) (that|it) again\b",
    r"\bdidn'?t (catch|hear) (that|the question|it)\b",
    r"^\s*(sorry|pardon|come again)\s*\??\s*$",
    r"\bwhat was the question\b",
]
_CLARIFY_PATTERNS = [
    r"\bwhat do you mean\b",
    r"\b(can|could) you (rephrase|clarify|explain the question)\b",
    r"\brephrase the question\b",
    r"\bdidn'?t understand (that|the question)\b",
]
# Declining to answer: the interviewer moves on without comment, and never praises it.
_EVASIVE_PATTERNS = [
    r"\b(i'?d|i would) (rather|prefer) not\b",
    r"\bprefer not to\b",
    r"\b(don'?t|do not) want to (answer|talk|say|get into|discuss|go into)\b",
    r"\b(can|could) we (skip|move on|go to the next)\b",
    r"\b(skip|next question)\b",
    r"\bno comment\b",
    r"\bconfidential\b",
    r"\bnone of your business\b",
    r"\bwhatever\b",
    r"\b(doesn'?t|does not) (really )?matter\b",
    r"\b(can'?t|cannot|won'?t) (talk|say|tell|share|discuss|answer)\b",
    r"^\s*(i'?ll )?pass\W*$",
    r"\blet'?s move on\b",
]
# A candidate's question about the job rather than about the interview question, by topic: answered from
# the interview type's fact sheet. Checked in this order (a question about "the team's salary" is salary).
ROLE_TOPICS: dict[str, list[str]] = {
    # Narrow on purpose: "Should we pay for reserved capacity?" or "What are the benefits of a cache?" is
    # about the interview question, not the job.
    "practice": [
        r"\b(is|was) (this|it) (a )?real (interview|job|position)?\b",
        r"\bare you (a )?(real|human|person|bot|an? ai)\b",
    ],
    "salary": [
        r"\b(salary|salaries|compensation|equity|bonus|perks)\b",
        r"\b(pay|salary) (range|band|scale)\b",
        r"\bhow much (does|would|will) (it|this|the role|the job|this role|this job) pay\b",
        r"\bbenefits (package|does|do you)\b",
    ],
    "loop": [
        r"\binterview loop\b|\bloop look\b",
        r"\binterview rounds?\b|\brounds? of interviews?\b|\bhow many rounds\b",
        r"\b(onsite|on-site|next steps?|hiring process|interview process|hiring committee)\b",
        r"\bhow many interviews\b",
        r"\bhear back\b",
    ],
    "team": [
        r"\b(which|what) team\b",
        r"\bteam (i'?d|i would|i will|i'?ll|i'?m|i am) (join|be|work)",
        r"\b(the|your|my) team (work|works|do|does|like|size|structure|culture)\b",
        r"\babout the team\b",
        r"\bwho (would|will) (i|be) (work|be working|my manager)\b|\bwho would my manager be\b",
    ],
    "role": [
        r"\b(day[- ]to[- ]day|responsibilit\w*|typical day)\b",
        r"\bwhat (would|will) i (be )?(do|doing|work on|working on)\b",
        r"\b(the|this) (role|position|job) (involve|like|about|entail)",
        r"\babout the (role|position|job)\b",
    ],
    "format": [
        r"\bhow long (is|will|does) (this|the interview|it)\b",
        r"\bhow (will|am|are) (i|you) (be )?(scor|grad|evaluat|assess|judg)\w*",
        r"\b(feedback report|my score|get feedback)\b",
    ],
}
_QUESTION_START = re.compile(r"^\s*(what|how|why|when|where|who|which|is|are|do|does|can|could|will|would)\b")
# Everyday words of work and engineering. An answer sharing none of them, nor any word of the question (its
# text, key points, hints and follow-ups) or of the interview type, is not about the question.
GENERAL_TOPIC_WORDS = (
    "work job role team project product feature customer user client stakeholder manager lead leader "
    "engineer engineering developer software hardware code coding program programming design architecture "
    "system service api backend frontend database data query sql index cache memory storage disk file "
    "network server cloud deploy release production bug issue incident outage fix debug test "
    "unit integration performance latency throughput scale load traffic request response "
    "queue stream event message batch pipeline build infrastructure kubernetes docker container "
    "security auth access permission encryption cost budget time deadline schedule estimate plan "
    "priority requirement spec problem solution approach tradeoff option decision reason because "
    "result impact metric measure improve learn mistake failure success goal "
    "experience year company startup university degree study intern career "
    "algorithm complexity array list string tree graph hash map set heap stack sort search binary recursion "
    "iterate dynamic pointer node edge linked matrix grid interval window "
    "python java javascript typescript golang rust sql linux aws azure gcp google amazon microsoft "
    "conflict feedback disagree agree communicate meeting mentor help collaborate ownership "
    "deliver ship launch migrate refactor maintain monitor alert "
    "availability reliability consistency replication shard partition region failover backup recovery "
    "situation task action example"
)
# Everyday words that questions and chatter share alike ("What would you change today?", "I had soup
# today"): they do not make an answer on topic.
_COMMON = frozenset(
    [
        "today",
        "yesterday",
        "tomorrow",
        "cannot",
        "made",
        "make",
        "like",
        "know",
        "think",
        "thing",
        "want",
        "need",
        "said",
        "say",
        "well",
        "much",
        "many",
        "really",
        "lot",
        "way",
        "day",
        "new",
        "one",
        "two",
        "three",
        "first",
        "last",
        "next",
        "then",
        "get",
        "got",
        "put",
        "take",
        "took",
        "give",
        "gave",
        "see",
        "saw",
        "good",
        "bad",
        "big",
        "small",
        "little",
        "went",
        "come",
        "came",
        "tell",
        "told",
    ]
)
AnswerKind = Literal[
    "empty",  # nothing said
    "hint_request",
    "repeat_request",
    "clarify_request",
    "role_question",  # a question about the job, the team, the loop, the pay
    "evasive",  # declines to answer
    "stuck",  # "I don't know", or too short to be an answer
    "unclear",  # gibberish or off-topic: nothing in it relates to the question
    "strong",  # covers most key points at some length
    "answered",  # on topic, but not (yet) a strong answer
]
# Answers that are not answers: never praised, never sent to the model for a reaction of its own.
NOT_AN_ANSWER: frozenset[AnswerKind] = frozenset({"empty", "evasive", "unclear"})


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in _STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    # Prefix stemming: "scaling"/"scalable"/"scale" meet at "scal"; good enough for overlap.
    return word[:5]


_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "able",
    "ible",
    "ness",
    "ers",
    "er",
    "ed",
    "es",
)


def root(word: str) -> str:
    """A coarser stem for topic overlap: "caching" and "cache", "tested" and "tests" meet."""
    for suffix in (*_SUFFIXES, "ly", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def topic_roots(*texts: str | Iterable[str]) -> frozenset[str]:
    """The roots of the content words of some texts (strings or lists of strings)."""
    roots: set[str] = set()
    for text in texts:
        for part in [text] if isinstance(text, str) else text:
            roots.update(
                root(w) for w in words(part) if w not in _STOPWORDS and w not in _COMMON and len(w) > 1
            )
    return frozenset(roots)


GENERAL_TOPIC = topic_roots(GENERAL_TOPIC_WORDS)


def _matches(patterns: list[str], text: str) -> bool:
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in patterns)


def role_topic(text: str) -> str | None:
    """What a candidate's question about the job is about (a key of ROLE_TOPICS), or None."""
    return next((topic for topic, patterns in ROLE_TOPICS.items() if _matches(patterns, text)), None)


# A longer answer in plain sentences is taken as an answer even when it shares no word with the question:
# a personal story ("my grandmother was ill while I wrote my thesis") must not be told it made no sense.
MAX_UNRELATED_WORDS = 15


def _unrelated(tokens: list[str], topic: frozenset[str]) -> bool:
    """Nothing in the answer relates to the question or to work at all (gibberish, short off-topic chatter),
    or the same few words over and over ("data data data data")."""
    content = [t for t in tokens if t not in _STOPWORDS and t not in _COMMON and len(t) > 1]
    if not content:
        return False
    if len(tokens) >= 4 and len(set(tokens)) <= len(tokens) / 2:
        return True
    function_words = len(tokens) - len(content)
    prose = len(tokens) >= MAX_UNRELATED_WORDS and function_words >= len(tokens) / 3
    return not prose and not ({root(t) for t in content} & (topic | GENERAL_TOPIC))


@dataclass(frozen=True)
class AnswerSignals:
    word_count: int
    stuck: bool
    asks_hint: bool
    asks_clarification: bool
    asks_question: bool
    key_point_coverage: float  # 0..1, share of the question's key points the answer touches
    covered_points: tuple[str, ...]
    asks_repeat: bool = False
    evasive: bool = False
    unrelated: bool = False  # gibberish or off-topic
    topic: str | None = None  # a question about the job: its ROLE_TOPICS key

    @property
    def struggling(self) -> bool:
        return self.stuck or self.asks_hint or (self.word_count < 6 and not self.asks_question)

    @property
    def strong(self) -> bool:
        return self.key_point_coverage >= 0.5 and self.word_count >= 25

    @property
    def kind(self) -> AnswerKind:
        """The one reading the interviewer reacts to; requests come first, then non-answers, then quality."""
        if self.word_count == 0:
            return "empty"
        for kind, present in (
            ("hint_request", self.asks_hint),
            ("repeat_request", self.asks_repeat),
            ("clarify_request", self.asks_clarification),
            ("role_question", self.topic is not None and self.asks_question),
            ("evasive", self.evasive),
            ("stuck", self.stuck),
            ("unclear", self.unrelated and self.word_count >= 3),
            ("strong", self.strong),
            ("stuck", self.struggling),
        ):
            if present:
                return kind  # type: ignore[return-value]
        return "answered"


def key_point_covered(point: str, answer_words: set[str]) -> bool:
    point_words = content_words(point)
    if not point_words:
        return False
    return len(point_words & answer_words) / len(point_words) >= 0.5


def read_answer(
    text: str, key_points: list[str] | tuple[str, ...] = (), topic: frozenset[str] = frozenset()
) -> AnswerSignals:
    """`topic`: the roots of the question's own words (`topic_roots`), to tell an off-topic answer."""
    answer_words = content_words(text)
    covered = tuple(p for p in key_points if key_point_covered(p, answer_words))
    stripped = text.strip()
    tokens = words(text)
    asks_question = stripped.endswith("?") or bool(_QUESTION_START.match(stripped.lower()))
    return AnswerSignals(
        word_count=len(tokens),
        stuck=_matches(_STUCK_PATTERNS, text),
        asks_hint=_matches(_HINT_PATTERNS, text),
        asks_clarification=_matches(_CLARIFY_PATTERNS, text),
        asks_question=asks_question,
        key_point_coverage=len(covered) / len(key_points) if key_points else 0.0,
        covered_points=covered,
        asks_repeat=_matches(_REPEAT_PATTERNS, text),
        evasive=_matches(_EVASIVE_PATTERNS, text),
        unrelated=_unrelated(tokens, topic | topic_roots(key_points)),
        topic=role_topic(text) if asks_question else None,
    )

"""Words as the rubric sees them: tokens, Snowball stems folded through a small synonym table, and an
English lexicon (plus the interview vocabulary) to tell real words from keyboard mash.

Pure functions and one value object (`Lexicon`, built once by the caller and passed in), so the domain
stays free of I/O after loading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer
from english_words import get_english_words_set

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[+#]+|(?:['’][a-z]+))?")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")

# Function words and conversational glue: they say nothing about whether an answer is on topic.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "yeah",
        "yes",
        "ok",
        "okay",
        "well",
        "really",
        "actually",
        "basically",
        "like",
        "just",
        "kind",
        "sort",
        "thing",
        "things",
        "stuff",
        "lot",
        "lots",
        "get",
        "got",
        "go",
        "going",
        "gonna",
        "want",
        "wanna",
        "know",
        "think",
        "mean",
        "say",
        "said",
        "um",
        "uh",
        "erm",
        "er",
        "ah",
        "hmm",
        "mm",
        "uhm",
        "oh",
        "one",
        "two",
        "also",
        "would",
        "could",
        "might",
        "will",
        "shall",
        "may",
        "much",
        "many",
        "make",
        "made",
        "way",
        "ways",
        "something",
        "anything",
        "everything",
        "nothing",
        "every",
        "still",
        "even",
        "back",
        "now",
        "new",
        "good",
        "great",
    ]
)

# Words in key points that describe what to look for rather than the topic itself.
KEY_POINT_GLUE = frozenset(
    [
        "specific",
        "concrete",
        "clear",
        "their",
        "they",
        "such",
        "example",
        "examples",
        "e.g",
        "rather",
        "than",
        "reason",
        "mentions",
        "mention",
        "names",
        "name",
        "own",
        "actual",
        "actually",
        "real",
        "genuine",
        "short",
        "how",
        "what",
        "why",
        "which",
        "whether",
        "who",
        "describes",
        "explains",
        "considers",
        "considering",
        "including",
        "include",
        "includes",
        "like",
        "e",
        "g",
        "vs",
        "versus",
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "for",
        "with",
    ]
)

# Each group is one concept; every word in it maps to the first word's stem.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "cache",
        "caching",
        "cached",
        "memoize",
        "memoization",
        "redis",
        "memcached",
        "memorystore",
        "elasticache",
    ),
    ("scale", "scaling", "scalable", "scalability", "horizontal", "autoscaling", "autoscale", "elastic"),
    ("database", "db", "datastore", "rds", "aurora", "postgresql", "postgres", "mysql", "sql", "dynamodb"),
    ("failure", "fail", "failed", "outage", "incident", "downtime", "crash", "broke", "broken"),
    (
        "monitor",
        "monitoring",
        "metric",
        "metrics",
        "observability",
        "dashboard",
        "alarm",
        "alert",
        "cloudwatch",
    ),
    ("customer", "user", "users", "client", "clients", "stakeholder", "stakeholders"),
    ("result", "outcome", "impact", "improved", "reduced", "increased", "saved", "cut", "measurable"),
    ("conflict", "disagree", "disagreement", "disagreed", "argument", "tension", "pushback", "clash"),
    ("team", "colleague", "colleagues", "teammate", "teammates", "peer", "peers", "coworker"),
    ("learn", "learned", "learnt", "lesson", "lessons", "takeaway", "retrospective"),
    ("test", "tests", "testing", "unittest", "coverage", "pytest"),
    ("complexity", "big-o", "linear", "quadratic", "logarithmic"),
    ("security", "secure", "encrypt", "encryption", "encrypted", "iam", "permission", "permissions", "kms"),
    ("cost", "price", "pricing", "budget", "spend", "cheaper", "expensive", "billing", "savings"),
    ("replica", "replicate", "replication", "redundancy", "redundant", "failover", "multi-az", "standby"),
    ("queue", "queues", "sqs", "kafka", "pubsub", "pub/sub", "stream", "streaming", "kinesis", "broker"),
    ("latency", "slow", "slower", "fast", "faster", "performance", "throughput", "p99", "milliseconds"),
    ("tradeoff", "trade-off", "trade-offs", "tradeoffs", "compromise", "downside", "downsides"),
    ("hash", "hashmap", "hashtable", "dictionary", "dict", "map"),
    ("ownership", "own", "owned", "owner", "responsibility", "responsible", "accountable"),
    ("deadline", "timeline", "schedule", "deadlines", "milestone"),
    ("priority", "prioritise", "prioritize", "prioritised", "prioritized", "urgent", "urgency"),
    ("feedback", "review", "critique", "criticism", "reviewed"),
    ("mentor", "mentoring", "coach", "coaching", "teach", "taught", "onboard", "onboarding"),
    ("backup", "backups", "snapshot", "snapshots", "restore", "recovery", "rpo", "rto"),
    ("network", "networking", "vpc", "vnet", "subnet", "subnets", "peering", "cidr"),
    ("identity", "entra", "authentication", "auth", "sso", "oauth", "login"),
    ("container", "containers", "docker", "kubernetes", "k8s", "gke", "eks", "aks", "pod", "pods"),
    ("serverless", "lambda", "functions", "cloud run", "faas"),
    ("storage", "s3", "blob", "bucket", "buckets", "gcs"),
    ("deploy", "deployment", "rollout", "release", "ci/cd", "pipeline", "canary", "rollback"),
    ("manager", "lead", "boss", "director", "leadership"),
    ("communicate", "communication", "explain", "explained", "discussed", "talked", "presented", "told"),
    ("data", "logs", "log", "traces", "tracing", "telemetry"),
    ("requirement", "requirements", "constraint", "constraints", "needs", "sla", "slo"),
    ("recursion", "recursive", "recurse", "dfs", "backtracking"),
    ("sort", "sorted", "sorting", "order", "ordered"),
    ("edge", "corner", "empty", "boundary", "null", "overflow"),
)

# Single-word fillers, unambiguous in speech; "like" and two-word fillers are handled in `filler_count`.
FILLER_WORDS = frozenset({"um", "uh", "uhm", "umm", "er", "erm", "ah", "hmm", "mm", "basically", "literally"})
FILLER_PHRASES = ("you know", "i mean", "sort of", "kind of")
_LIKE_NOT_FILLER_BEFORE = frozenset(
    {"i'd", "would", "looks", "look", "feel", "feels", "seems", "something", "just"}
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; keeps C++/C#, contractions and digits."""
    return _TOKEN_RE.findall(text.lower().replace("’", "'"))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(text.strip()) if s.strip()]


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def filler_count(words: list[str]) -> dict[str, int]:
    """Fillers in a token list (speech or typing): um/uh..., "you know", and "like" used as a pause."""
    found: dict[str, int] = {}
    for i, word in enumerate(words):
        previous = words[i - 1] if i else ""
        if word in FILLER_WORDS or (word == "like" and previous not in _LIKE_NOT_FILLER_BEFORE and i > 0):
            found[word] = found.get(word, 0) + 1
        pair = f"{previous} {word}"
        if i and pair in FILLER_PHRASES:
            found[pair] = found.get(pair, 0) + 1
    return found


@dataclass
class Lexicon:
    """English words and a stemmer with synonym folding. Build once with `Lexicon.load()` (about 0.2 s)."""

    words: frozenset[str]
    _stemmer: snowballstemmer.stemmer = field(repr=False)
    _canonical: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> Lexicon:
        words = frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))
        lexicon = cls(words=words, _stemmer=snowballstemmer.stemmer("english"))
        for group in SYNONYM_GROUPS:
            head = lexicon.stem(group[0])
            for member in group:
                for token in tokens(member):
                    lexicon._canonical[lexicon.stem(token)] = head
        return lexicon

    def stem(self, token: str) -> str:
        cached = self._cache.get(token)
        if cached is None:
            cached = self._stemmer.stemWord(token)
            self._cache[token] = cached
        return cached

    def concept(self, token: str) -> str:
        """The token's stem, folded onto its synonym group's head ("memoization" -> "cach")."""
        stemmed = self.stem(token)
        return self._canonical.get(stemmed, stemmed)

    def concepts(self, text: str) -> set[str]:
        return {self.concept(t) for t in content_tokens(text)}

    def concept_list(self, text: str) -> list[str]:
        return [self.concept(t) for t in content_tokens(text)]

    def is_word(self, token: str, domain: Iterable[str] | frozenset[str] = frozenset()) -> bool:
        """A dictionary word (inflections included), a number, or a term of the interview's domain."""
        if token.isdigit() or token in self.words or token in STOPWORDS or token in domain:
            return True
        if "'" in token:
            return token.split("'")[0] in self.words or token.split("'")[0] in STOPWORDS
        for suffix, replacement in (
            ("ies", "y"),
            ("ied", "y"),
            ("ing", ""),
            ("ing", "e"),
            ("ed", ""),
            ("ed", "e"),
            ("es", ""),
            ("s", ""),
            ("ly", ""),
            ("er", ""),
            ("ers", ""),
        ):
            if token.endswith(suffix) and token[: -len(suffix)] + replacement in self.words:
                return True
        return self.stem(token) in self.words

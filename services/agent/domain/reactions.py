"""The interviewer's reaction to an answer: the planner's own words, and the check a model's words must pass.

A small model praises whatever it reads ("Good idea!" to "banana banana purple monkey dishwasher"),
apologises when asked for a hint, repeats one sentence to every answer and sometimes writes the candidate's
part. So the reaction follows what the answer was, read by `signals`: the planner picks a line for that
reading, varied so a session does not hear the same sentence twice, and praise only for an answer that
covered the key points. The model may phrase the reaction to a real answer in its own words, but only if
they pass `rejection` (no praise unless earned, no question, no apology, not repeated, not the candidate's
voice); otherwise the planner's line is said.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

# Reaction kinds: the answer kinds of `signals.AnswerKind`, and a few the planner adds (a second unclear
# answer, no hint left, no question at the end). Every line is unique across kinds: a repeated opening
# sentence is what a candidate notices first.
REACTIONS: dict[str, tuple[str, ...]] = {
    "strong": (
        "Great, that covers the key points.",
        "That's a thorough answer, thank you.",
        "Good, you hit the important parts there.",
        "Excellent, that's well reasoned.",
        "Nice, that's a complete answer.",
        "Very good, you covered that well.",
        "That's a strong answer, thanks.",
        "Good, that's clear and well structured.",
    ),
    "answered": (
        "Thanks, that gives me a picture.",
        "Okay, I follow.",
        "Alright, thank you.",
        "Understood, thanks.",
        "I see, thanks for walking me through that.",
        "Okay, noted.",
        "Thanks for explaining.",
        "Right, I see what you mean.",
        "Okay, thanks for that.",
        "Got it.",
        "Alright, I see.",
        "Thanks, that's useful context.",
        "Okay, thank you for that answer.",
        "I see.",
        "Alright, that's noted.",
        "Thanks, I have that down.",
        "Okay, understood.",
        "Mm-hm, thanks.",
        "Alright, thanks for explaining.",
        "Okay, that's clear enough.",
    ),
    "unclear": (
        "Sorry, I didn't follow that.",
        "I'm afraid I didn't follow how that relates to the question.",
        "Hmm, I couldn't make sense of that answer.",
        "I'm not sure I understood that.",
        "Sorry, I didn't catch how that answers the question.",
        "I didn't quite follow that, I'm afraid.",
        "I don't think I followed that.",
        "Sorry, I couldn't follow that one.",
    ),
    "unclear_again": (
        "I still didn't follow that, so let's move on.",
        "I'm still not sure I understood, so let's go to the next one.",
        "I couldn't make sense of that either, so let's move on.",
        "I didn't follow that one either, so let's try something else.",
        "That still didn't answer the question for me, so let's move on.",
        "Sorry, I still couldn't follow, so let's leave that one.",
        "I still don't understand the answer, so let's continue.",
        "I'm afraid I didn't follow that either; let's go on.",
    ),
    "empty": (
        "I didn't catch an answer there.",
        "Sorry, I didn't catch anything.",
        "I didn't get an answer there.",
        "Sorry, I didn't catch a reply.",
    ),
    "evasive": (
        "That's alright, we can leave that one.",
        "Fair enough, let's move on.",
        "Okay, we'll skip that one.",
        "No problem, let's go to the next one.",
        "That's fine, let's move on.",
        "Understood, we'll leave it there.",
        "Okay, we can set that one aside.",
        "Alright, let's move to something else.",
    ),
    "stuck": (
        "No problem, let me help.",
        "That's okay.",
        "That's alright, let me give you a pointer.",
        "No worries.",
        "Okay, let me help a little.",
        "That's fine, let me nudge you.",
    ),
    "hint_request": ("Sure.", "Of course.", "Sure thing.", "Okay.", "Happy to."),
    "no_hint_left": (
        "That's alright, this one is tricky. Let's move on.",
        "No problem, it's a hard one, so let's move on.",
        "That's okay, let's leave this one and move on.",
        "Alright, let's put that one aside and move on.",
        "That's fine, this one is tough. Let's continue.",
    ),
    "repeat_request": (
        "Of course, here it is again.",
        "Sure, I'll repeat it.",
        "No problem, here's the question again.",
        "Sure, once more.",
    ),
    "clarify_request": (
        "Sure, let me restate it.",
        "Of course, here's what I'm asking.",
        "Sure, here is the question once more.",
        "Okay, the question again, then.",
    ),
    "role_question": (
        "Let me tell you what I can.",
        "Happy to answer that.",
        "Fair question.",
        "Let me answer that.",
    ),
    "no_questions": ("Alright, thanks.", "Okay, no problem.", "That's fine.", "Understood."),
}
REASK = "Let me ask again: "

_SPACE = re.compile(r"\s+")


def normal(text: str) -> str:
    """The form reactions are compared in: case and spacing do not make a sentence new."""
    return _SPACE.sub(" ", text.strip().lower())


def pick_reaction(kind: str, used: Sequence[str], salt: str) -> str:
    """A line of `kind` not said yet this session (`used`: the reactions said, in order), in an order
    shuffled by `salt`; when all were said, the one said longest ago."""
    pool = REACTIONS[kind]
    said = {normal(u) for u in used}
    shuffled = sorted(pool, key=lambda line: hashlib.sha256(f"{salt}:{line}".encode()).hexdigest())
    fresh = [line for line in shuffled if normal(line) not in said]
    if fresh:
        return fresh[0]
    last_said = {normal(u): i for i, u in enumerate(used)}
    return min(shuffled, key=lambda line: last_said.get(normal(line), -1))


# --- the check on a model's reaction --------------------------------------------------------------------

PRAISE = re.compile(
    r"\b(great|excellent|perfect|awesome|fantastic|wonderful|brilliant|impressive|amazing|outstanding|"
    r"superb|nice|well done|good|exactly|spot on|right|correct|love|insightful|interesting)\b",
    re.IGNORECASE,
)
_CONFUSED = re.compile(
    r"\b(sorry|apologi[sz]e|not sure|don'?t know|can'?t help|unable|unfortunately|as an ai|language model|"
    r"hint|notes?)\b",
    re.IGNORECASE,
)
# A chat assistant's voice, not an interviewer's: "Sure, I'd be happy to help you with that."
_ASSISTANT_VOICE = re.compile(
    r"\b(happy|glad|here) to (help|assist)|\bhelp you\b|\bhow can i\b|\b(glad|happy) you'?re interested\b|"
    r"\blet me know\b|\bfeel free\b|"
    # ... or words that answer something the candidate never said (seen from the packaged 0.5B model)
    r"\byou'?re welcome\b|\b(your|the) (feedback|clarification)\b|\bi'?ll do my best\b|\bthanks for asking\b",
    re.IGNORECASE,
)
# The candidate's voice: a small model continuing the conversation as the other side.
_CANDIDATE_VOICE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*(candidate|user|me)\s*:",
        r"\b(i'?m|i am) (a|an|the) [\w\s-]{0,40}(candidate|applicant)\b",
        r"\bas (a|an|the) (candidate|applicant)\b",
        r"\bthank(s| you) for (having|inviting|interviewing|considering) me\b",
        r"\bmy (name is|background|resume|cv|experience|skills|strengths?|previous|current role)\b",
        r"\bi have (\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|a few|over|more than) "
        r"[\w\s]{0,12}(years?|months?)\b",
        r"\bin my (current|previous|last|past) (role|job|position|company|team)\b",
        r"\b(hello|hi|hey|thanks|thank you),? alex\b",
        r"\bi('?m| am) (excited|thrilled|happy|eager|glad) to (join|be part|interview|apply|work)\b",
        r"\b(my team|we) (and i )?(built|worked|used|implemented|developed|shipped)\b",
        r"\bi (worked|led|built|developed|implemented|designed|managed) (a|an|the|our|my|on)\b",
        r"\b(i would|i'?d|i will|i'?ll) (use|choose|start by|implement|design|approach|solve)\b",
    )
]
MAX_REACTION_WORDS = 30
_WORD = re.compile(r"[a-z']+")


def speaks_as_candidate(text: str) -> bool:
    return any(p.search(text) for p in _CANDIDATE_VOICE)


def praises(text: str) -> bool:
    return bool(PRAISE.search(text))


def _similar(a: str, b: str) -> bool:
    """The same sentence with a word or two changed counts as a repeat."""
    wa, wb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.6


ECHO_WORDS = 6


def echoes(text: str, answer: str) -> bool:
    """Says the candidate's own words back (six in a row): a small model continuing the answer."""
    said, heard = _WORD.findall(text.lower()), " ".join(_WORD.findall(answer.lower()))
    windows = (" ".join(said[i : i + ECHO_WORDS]) for i in range(len(said) - ECHO_WORDS + 1))
    return any(f" {w} " in f" {heard} " for w in windows)


def rejection(text: str, *, praise_earned: bool, used: Sequence[str], answer: str = "") -> str | None:
    """Why a model's reaction to `answer` cannot be said (None: it can)."""
    words = _WORD.findall(text.lower())
    if not words:
        return "empty"
    checks = (
        ("the candidate's voice", speaks_as_candidate(text) or echoes(text, answer)),
        ("a question", "?" in text),
        ("unearned praise", praises(text) and not praise_earned),
        ("confused or off-script", bool(_CONFUSED.search(text))),
        ("a chat assistant's voice", bool(_ASSISTANT_VOICE.search(text))),
        ("too long", len(words) > MAX_REACTION_WORDS),
        ("said before", any(_similar(text, u) for u in used)),
    )
    return next((reason for reason, failed in checks if failed), None)

"""Finds what a follow-up's "at the time" and "a different one" point back to in the earlier turns."""

from __future__ import annotations

import re
from typing import Sequence

from qa.roles import asks_role
from qa.text import CITATION_MARKERS, QUESTION_WORDS, STOPWORDS

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "the early 1990s", "February 1991", "October 16, 2000", "1995": a time an earlier turn fixed.
_TIME_PHRASE = re.compile(rf"\b(?:(?:early|mid|late)[\s-]+)?(?:(?:{_MONTHS})\s+(?:\d{{1,2}},?\s+)?)?"
                          r"(?:1[5-9]|20)\d\d(?:['’]?s)?\b")
# "at the time", "by then", "back then", "in those days", "that year": a time named earlier, not now; "at the time of
# the thefts" and "at the time when he left" name their own.
_THEN = re.compile(r"\b(?:at|by|until|till|since|before|after|around|from|during)\s+(?:that|the|this)\s+"
                   r"(?:time|point|moment|year|date|stage|period)\b(?!\s+(?:of|when|that|he|she|they|it|we|you|I)\b)|\b(?:by|until|till|since|back|even|only|right|"
                   r"just|before|from)\s+then\b|\bin\s+those\s+days\b|\bthat\s+year\b|\w\s+then\s*\??\s*$", re.I)
# "one" as a pronoun for a kind of thing: "a different one", "into one", "for one", "a new one".
_ONE = re.compile(r"\b(?:a|an|another|different|new|old|other|into|for|make|create|declare|need|"
                  r"write|get|pick|choose)\s+(?:(?:different|new|old|other|same|good|better|custom|second)\s+)?"
                  r"(ones?)\b(?!\s+(?:of|more|another|by|day|time|thing)\b)(?!-)", re.I)
_ARTICLE_PHRASE = re.compile(r"\b(?:a|an)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)
_ASKED_NOUN = re.compile(r"^\W*(?:what|which)\s+((?:[a-z][\w-]*\s+){0,1}[a-z][\w-]*)\s+"
                         r"(?:is|are|was|were|do|does|did|can|could|should|will|would|has|have)\b", re.I)
# A copula, then words before the article: the article opens what is said of them.
_PREDICATE = re.compile(r"\b(?:is|are|was|were|be|been|'s|’s)\s+(?!a\b|an\b)\S+(?:\s+\S+)*\s*$", re.I)
_NOT_NOUNS = frozenset("used called known made given based kind sort type lot way bit number few".split())


def refers_to_a_time(question: str) -> bool:
    """"Where was he working at the time?", "How long had he worked on it by then?"."""
    return bool(_THEN.search(question))


def latest_time(history: Sequence[dict[str, str]]) -> str | None:
    """The time phrase of the latest turn that names one ("the early 1990s" -> "early 1990s")."""
    for message in reversed(history):
        found = _TIME_PHRASE.search(CITATION_MARKERS.sub("", message.get("content", "")))
        if found:
            return found.group(0)
    return None


# "What happens to the April ones?" after "How long are the October releases supported?": the releases of April
_PARALLEL_ONES = re.compile(r"\bthe\s+(?!other\b|same\b|only\b|first\b|last\b|next\b)([A-Za-z][\w-]*)\s+(ones?)\b(?!-)")
_PARALLEL_KIND = re.compile(r"\bthe\s+[A-Za-z][\w-]*\s+([a-z][a-z-]+)\b")


def refers_to_a_kind(question: str) -> bool:
    """"How do I declare a different one?", "What about the April ones?": "one" stands for a kind of thing named
    earlier."""
    return bool(_ONE.search(question) or _PARALLEL_ONES.search(question))


def kind_named(question: str) -> str | None:
    """The kind of thing a question introduces: "a key function" in "What is a key function used for?",
    else the noun it asks about ("encoding" in "What encoding does Python assume?")."""
    for match in _ARTICLE_PHRASE.finditer(question):
        if _PREDICATE.search(question[:match.start()]):
            continue  # "Why is that name a good choice?": said of a thing, not a new thing
        words = []
        for word in match.group(1).split():
            if word.lower() in STOPWORDS or word.lower() in QUESTION_WORDS or word.lower() in _NOT_NOUNS:
                break
            words.append(word)
        if words:
            return " ".join(words)
    asked = _ASKED_NOUN.match(question)
    if asked and not any(w.lower() in STOPWORDS | _NOT_NOUNS for w in asked.group(1).split()):
        return asked.group(1)
    parallel = _PARALLEL_KIND.search(question)  # "the October releases"
    if parallel and parallel.group(1).lower() not in STOPWORDS | QUESTION_WORDS | _NOT_NOUNS:
        return parallel.group(1)
    return None


def replace_one(question: str, kind: str) -> str:
    """"How do I declare a different one?" -> "How do I declare a different encoding?"."""
    match = _ONE.search(question) or _PARALLEL_ONES.search(question)
    if not match:
        return question
    one = match.lastindex or 1  # the group holding "one"/"ones"
    plural = match.group(one).lower() == "ones"
    noun = kind + ("s" if plural and not kind.endswith("s") else "")
    start, end = match.span(one)
    return question[:start] + noun + question[end:]


def _years(phrase: str) -> tuple[int, int]:
    """The years a time phrase spans: "early 1990s" -> (1990, 1993), "February 1991" -> (1991, 1991)."""
    year = int(re.search(r"\d{4}", phrase).group(0))  # type: ignore[union-attr]
    if not re.search(r"\d{4}['’]?s\b", phrase):
        return year, year
    low = phrase.lower()
    if low.startswith("early"):
        return year, year + 3
    if low.startswith("mid"):
        return year + 3, year + 6
    if low.startswith("late"):
        return year + 6, year + 9
    return year, year + 9


def time_fit(text: str, anchor: str, previous: str = "") -> int:
    """How `text` sits with the time a follow-up points at: 1 names it, 0 names no time, -1 names another. A
    sentence that points back ("In October of the same year, ...") has the time of the sentence before it."""
    lo, hi = _years(anchor)
    spans = [_years(m.group(0)) for m in _TIME_PHRASE.finditer(text)]
    if not spans:
        return time_fit(previous, anchor) if previous and _SAME_TIME.search(text) else 0
    return 1 if any(a <= hi and b >= lo for a, b in spans) else -1


_SAME_TIME = re.compile(r"\b(?:the\s+same|that|this)\s+(?:year|month|time|day|decade|period)\b|"
                        r"\b(?:then|at\s+the\s+time|later\s+that\s+\w+)\b", re.I)


def anchored_time(question: str, history: Sequence[dict[str, str]]) -> str | None:
    """The time a follow-up's "at the time" / "by then" points at, if the conversation named one."""
    return latest_time(history) if history and refers_to_a_time(question) else None


# "now", "currently", "at the moment": the question asks how things stand after any change of plan.
_NOW = re.compile(r"\b(?:now|currently|at\s+(?:the\s+moment|present)|these\s+days|any\s?more|still)\b", re.I)
# "was originally scheduled for 11:30", "The release was planned for Monday 21 October": a plan since changed.
_SUPERSEDED = re.compile(r"\b(?:originally|initially|previously)\b|\b(?:was|were|had\s+been)\s+(?:first\s+)?"
                         r"(?:planned|scheduled|due|expected|set|meant)\s+(?:for|to|on)\b", re.I)
# What a sentence of the change itself says ("moved to 14:00", "now lands", "has been pushed back").
_CHANGED = re.compile(r"\b(?:now|moved|postponed|rescheduled|delayed|pushed|brought\s+forward|instead|new|"
                      r"revised|slipped)\b", re.I)


def asks_now(question: str) -> bool:
    return bool(_NOW.search(question))


def superseded(sentence: str) -> bool:
    """Whether a sentence says only what was planned before a change ("was originally scheduled for 11:30"),
    not what holds now."""
    return bool(_SUPERSEDED.search(sentence)) and not _CHANGED.search(sentence)


# "How many did they lend out last year?": what was done, not what is aimed at ("Aim to lend up to 7,000 tools").
_DONE = re.compile(r"\b(?:did|last\s+(?:year|month|week|season))\b", re.I)
_AIM = re.compile(r"^\W*(?:aim|aims|plan|plans|hope|hopes|intend|intends)\s+to\b|\b(?:we|they|it|he|she)\s+(?:aim|aims|plan|"
                  r"plans|hope|hopes|intend|intends)\s+to\b|\b(?:target|goal|ambition)\s+(?:is|of)\b", re.I)


# "What position will she take up?": not the job she had before ("worked ... as a mortgage adviser").
_FUTURE = re.compile(r"\b(?:will|going\s+to|(?:is|are)\s+to|set\s+to)\b", re.I)
_FORMER = re.compile(r"\b(?:former|formerly|previously|once|used\s+to|had\s+been|worked\s+(?:for|at|as)|before\s+"
                     r"(?:entering|joining|becoming|moving|going))\b", re.I)


def out_of_its_time(question: str, sentence: str) -> bool:
    """Whether a sentence speaks of another time than the question asks about: a plan since changed for "now", an
    aim or a target for what was done, a job once held for the one someone will take up."""
    return asks_now(question) and superseded(sentence) or bool(_DONE.search(question) and _AIM.search(sentence)) or \
        bool(asks_role(question) and _FUTURE.search(question) and _FORMER.search(sentence))

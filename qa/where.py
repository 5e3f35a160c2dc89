"""What a "where" question asks for: a named place, a position, an origin, a workplace, or where in something (and
which names no town is called)."""

from __future__ import annotations

import re

from qa.lexicon import COUNTRIES
from qa.text import QUESTION_START

WHERE_Q = re.compile(QUESTION_START + r"where\b", re.I)
_STANCE_Q = re.compile(QUESTION_START + r"where\s+(?:do|does|did|is|are|was|were)\b.*\b"
                       r"(?:stand|standing|stood|sit|sits|lean|leans|land|lands)\s+on\b", re.I)
# "Where does the name tqdm come from?" asks for an origin (a word, a story), not a place.
_ORIGIN_Q = re.compile(QUESTION_START + r"where\s+(?:do|does|did)\s+(?:the\s+|its\s+|their\s+)?"
                       r"(?:[\w-]+\s+){0,2}?(?:name|word|term|title|phrase|idea|nickname|expression|acronym|"
                       r"abbreviation)\b.*\bcome\s+from\b", re.I)
# "Where does the code show up?" may be answered by a part of a thing ("the display in the handle"), "Where can I get
# it?" by a repository ("from nodejs/release-keys"); born, based, living or from where asks for a named place.
_SOMEWHERE = re.compile(r"\b(?:in|on|at|inside|under|underneath|behind|beside|near|above|below|from|into|onto)\s+"
                        r"(?:(?:the|a|an|his|her|their|its|our|your|my|this|that)\s+[a-z][\w-]*|[\w.-]+/[\w./-]+)",
                        re.I)
_NAMED_PLACE_Q = re.compile(r"\b(?:born|based|located|headquartered|raised|buried|grew up|live|lives|lived|living|"
                            r"die|died|from)\b", re.I)


def asks_no_place(question: str) -> bool:
    """"Where does he stand on X?" asks for a position, "Where does the name come from?" for an origin."""
    return bool(_STANCE_Q.search(question) or _ORIGIN_Q.search(question))


def somewhere_in_something(question: str, text: str) -> bool:
    """Whether a bare "where" question (not one asking where someone was born, lives or is from) meets a text
    saying where in or on something ("the display in the handle shows a code")."""
    return bool(WHERE_Q.match(question) and not _NAMED_PLACE_Q.search(question) and _SOMEWHERE.search(text))


# "Where did she work before?" asks for an employer ("from the supermarket chain Fairway Foods"), or a place; the
# short answer is the name after "at" or "for", not the home address the sentence gives first.
_EMPLOYER_Q = re.compile(QUESTION_START + r"where\b.*\b(work|works|worked|working|employed|intern|interned)\b", re.I)


def asks_employer(question: str) -> bool:
    return bool(_EMPLOYER_Q.search(question))


def no_town(name: str) -> bool:
    """A name no "which city/town" question is answered by: a country ("Ukraine"), or the "US" of "US-supplied"."""
    return name.lower() in COUNTRIES or bool(re.search(r"-[a-z]+$", name))

"""What a question asks of a change a sentence reports: the amount it rose to, by how much, or the date a plan moved to."""

from __future__ import annotations

import re
from typing import Sequence

# "rose from £180 million to £290 million" is a change between two amounts, not a range.
CHANGE_FROM = re.compile(r"\b(?:rose|risen|rising|fell|fallen|falling|increased|decreased|grew|grown|dropped|climbed|"
                         r"jumped|cut|raised|reduced|went up|went down)\s+from\s+$", re.I)
_RISEN_TO_Q = re.compile(r"\b(?:rose|risen|rise|rises|fell|fallen|fall|falls|increased|increase|decreased|decrease|grew|"
                         r"grown|grow|dropped|drop|climbed|climb|jumped|jump|(?:go|gone|went)\s+(?:up|down))\s+to\b", re.I)
# "How much was that up?", "By how much did sales fall?": the change, not the level it reached
_BY_HOW_MUCH_Q = re.compile(r"\bby how much\b|\bhow much (?:is|was|are|were|has|had|have)\b(?:\s+\w+){0,4}\s+(?:up|down)\b",
                            re.I)
_CHANGE_BY = re.compile(r"\b(?:up|down|by|rose|fell|grew|dropped|increased|decreased|climbed|jumped)\s+(?:almost\s+|nearly\s+|"
                        r"about\s+|around\s+|roughly\s+|more than\s+)?([$£€]?\d(?:[\d,.]*\d)?(?:\s?(?:%|per ?cent\b|bn\b|m\b|"
                        r"k\b|p\b|million\b|billion\b))?)", re.I)
_TO = re.compile(r"\s+to\s+")
# "move the launch from October 2024 to February 2025": the date it moved to, unless the first one is asked for
_MOVED_FROM = re.compile(r"\b(?:move|moved|moving|push|pushed|postpone|postponed|delay|delayed|bring|brought|shift|shifted|"
                         r"reschedule|rescheduled|change|changed)\b[^.;]{0,60}\bfrom\s+$", re.I)
_FIRST_Q = re.compile(r"\b(?:originally|initially|first|before|previously|at first|supposed to|planned)\b", re.I)


def change_asked(text: str, phrase: str, question: str, patterns: Sequence[re.Pattern[str]]) -> str | None:
    """The amount of `text` that the question asks of a change: for "had risen to" the one after "to" of "rose from
    £180 million to £290 million"; for "How much was it up?" the one after "up" of "£18.6m, up 12%". None when the
    question asks neither or the sentence says no such change."""
    if _RISEN_TO_Q.search(question):
        at = text.find(phrase)
        if at >= 0 and CHANGE_FROM.search(text, 0, at) and (to := _TO.match(text, at + len(phrase))):
            return next((m.group().strip() for p in patterns if (m := p.match(text, to.end()))), None)
    elif _BY_HOW_MUCH_Q.search(question) and (change := _CHANGE_BY.search(text)):
        return change.group(1).strip()
    return None


def moved_to(text: str, phrase: str, question: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """For "When will it launch now?" the date a plan moved to ("February 2025" of "move the launch from October 2024
    to February 2025"); the date it moved from when the question asks what was first planned."""
    at = text.find(phrase)
    if at < 0 or not _MOVED_FROM.search(text, 0, at) or _FIRST_Q.search(question) or \
            not (to := _TO.match(text, at + len(phrase))):
        return phrase
    return next((m.group().strip() for p in patterns if (m := p.match(text, to.end()))), phrase)

"""The things a question names with "the" and common nouns ("the planning meeting", "the Millbrook school extension"):
what a following "it" may mean when no name fits better."""

from __future__ import annotations

import re
from typing import Sequence

from qa.lexicon import GROUP_NOUNS, PERSON_NOUNS, ROLE_NOUNS, UNITS
from qa.mention import WORD_TOKEN as _TOKEN, Mention
from qa.name_kinds import is_plural
from qa.text import QUESTION_WORDS, STOPWORDS

# The same words `qa.conversation.mentions` counts, so a phrase's position is comparable with a name's.
_PREPOSITIONS = frozenset("about against for with from into onto over under after before between during without within "
                          "across along around behind beyond near since through toward towards until upon via per "
                          "than as like at by in of on to off up down out".split())
_AUXILIARIES = frozenset("do does did will would can could should may might must don't doesn't didn't won't wouldn't "
                         "can't cannot couldn't shouldn't".split())
_VERBISH = frozenset("is are was were be been being has have had get got go going gone make made take took come "
                     "came happen happened mean means say said cost costs need needs want wants".split())
# Nouns of time and manner ("in the end", "the first time", "the other way") and of amounts and attributes ("the
# population of Kellbridge", "the cost"): no thing a later "it" means.
_NOT_THINGS = frozenset("end start beginning time times moment day week month year weekend morning evening night "
                        "way rest same other first last next past future meantime moment top bottom middle side "
                        "population capital cost price amount number total size age height length width area name "
                        "title date reason point case fact idea answer question kind sort type lot bit one ones"
                        .split()) | \
    frozenset("trust charity council committee society association foundation board".split())  # bodies act: "they"


_DETERMINERS = frozenset("the our my your".split())  # "our flight" is as definite as "the flight"
_ATTRIBUTES = frozenset("number name date time cost price address code".split())


def definite_things(question: str, turn: int) -> list[Mention]:
    """Singular things the question names after "the", with the position of their first word: "planning meeting"
    in "When's the planning meeting about the Millbrook expansion?"; a name followed by common nouns is taken
    whole ("Millbrook school extension"). Not a phrase before "of" (an attribute of what follows), before a name
    ("the film Nine Wells": the name says it), nor one naming people, groups, times or amounts."""
    found = list(_TOKEN.finditer(question))
    words = [m.group() for m in found]
    gaps = [""] + [question[a.end():b.start()].strip() for a, b in zip(found, found[1:])]
    out: list[Mention] = []
    for i, word in enumerate(words):
        if word.lower() not in _DETERMINERS or i + 1 >= len(words):
            continue
        run = _phrase(words, gaps, i + 1)
        if not run:
            continue
        end = i + 1 + len(run)
        nxt = words[end] if end < len(words) and not gaps[end] else ""
        lower = [w for w in run if w.islower()]
        subject = i > 0 and words[i - 1].lower().replace("’", "'") in _AUXILIARIES
        named, verb_next = run[0][:1].isupper(), nxt.lower() in _VERBISH  # "does the Year 4 trip cost": the verb
        owned = any(w.endswith(("'s", "’s")) for w in run)  # "does the DH-20's tank hold": the DH-20 is talked of
        if subject and named and (len(lower) < 2 and not verb_next or owned):
            continue  # "Why won't the Aerolo P3 join ...?": the name is the subject, its verb follows
        if len(lower) > 1 and subject and (_verb_follows(nxt) or named and not verb_next):
            if len(lower) > 2 and _participle(lower[-1]):
                run, lower = run[:-1], lower[:-1]  # "What does the page suggest doing?"
            run, lower = run[:-1], lower[:-1]  # "When did the meeting start?": its verb, not part of the thing
        if len(lower) > 1 and lower[-1].lower() in _ATTRIBUTES:
            run, lower = run[:-1], lower[:-1]  # "our flight number": the flight is what "it" may mean next
        head = lower[-1].lower() if lower else ""
        if not head or nxt.lower() == "of" or nxt[:1].isupper() or nxt.lower().endswith(("'s", "’s")) or is_plural(head) or head in _NOT_THINGS | UNITS | \
                PERSON_NOUNS | GROUP_NOUNS | ROLE_NOUNS:
            continue
        out.append(Mention(" ".join(run), "thing", turn, i + 1, definite=True, common=run[0].islower()))
    return out


def _phrase(words: Sequence[str], gaps: Sequence[str], i: int) -> list[str]:
    """The capitalised words, then the common nouns, from `i` up to a function word, a verb or punctuation."""
    run: list[str] = []
    j = i
    while j < len(words) and (j == i or not gaps[j]):
        word = words[j]
        low = word.lower()
        if word[:1].isupper() and all(w[:1].isupper() for w in run) and low not in STOPWORDS | QUESTION_WORDS:
            run.append(word)
        elif word.isdigit() and run and run[-1][:1].isupper() and all(w[:1].isupper() for w in run):
            run.append(word)  # "the Year 4 farm trip", "the Route 66 diner"
        elif word.isalpha() and word.islower() and low not in STOPWORDS | QUESTION_WORDS | _VERBISH | _PREPOSITIONS:
            run.append(word)
        else:
            break
        j += 1
    while run and run[-1].islower() and run[-1].endswith(("ed", "ly")):
        run.pop()  # "the plan approved", "the room usually": no noun ends so
    return run


def _verb_follows(word: str) -> bool:
    """Whether what follows a phrase after "did the ..." says its last word was the verb ("did the meeting start?")."""
    low = word.lower()
    if low in _VERBISH or low in ("do", "does", "did"):
        return False  # "What does the tarfile module do?": the phrase ended before its verb
    return not low or low in STOPWORDS | _PREPOSITIONS or _participle(low) or low.endswith("ed")


def _participle(word: str) -> bool:
    """"doing", "using"; not "bring", "thing" (no vowel before the ending)."""
    return word.endswith("ing") and re.search(r"[aeiouy]", word[:-3]) is not None


def with_definite_things(found: list[Mention], question: str, turn: int) -> list[Mention]:
    """A user turn's mentions and the things it names after "the"; a name those nouns follow is taken whole ("the
    Millbrook school extension": that extension, not Millbrook)."""
    taken = {m.position: m for m in found}
    things = [m for m in definite_things(question, turn) if m.position not in taken or (
        taken[m.position].kind in ("thing", "place") and len(m.text) > len(taken[m.position].text))]
    # The longer comes first at one position, so "it" means it; the name stays, for what the answer names anew
    return sorted(things + found, key=lambda m: m.position)

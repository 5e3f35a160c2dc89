"""Completes a question that leaves words out: "And the Himars?", "What about France?", "Why not?"."""

from __future__ import annotations

import re
from typing import Sequence

from qa.conversation import VERBISH, Mention, mentions
from qa.noun_phrases import definite_things
from qa.text import QUESTION_WORDS, STOPWORDS

_ELLIPSIS = re.compile(r"^\W*(?:and|but|so|also|then|ok|okay)?\W*(?:what|how)\s+about\s+(?P<a>.+?)\W*$|"
                       r"^\W*(?:and|what of|same for|also)\s+(?:for\s+|with\s+|in\s+|about\s+)?(?P<b>.+?)\W*$", re.I)


def ellipsis_subject(question: str) -> str | None:
    """"And the Himars?" -> "the Himars"; "What about France?" -> "France"; None for other questions."""
    match = _ELLIPSIS.match(question.strip())
    if not match:
        return None
    subject = (match.group("a") or match.group("b") or "").strip()
    words = subject.split()
    gerund = len(words) > 1 and words[0].lower() in ("when", "while") and words[1].lower().endswith("ing")
    first = re.sub(r"['’](?:s|re|ll|d|ve)$", "", words[0].lower()) if words else ""  # "And who's chairing it?"
    if not words or len(words) > 6 or (first in QUESTION_WORDS | VERBISH and not gerund) or verb_phrase(subject):
        return None  # but "And when deserializing?" swaps the previous question's "when serializing"
    return subject


# "swap it for a new one": a verb and its object, asked in the frame of the question before.
_VERB_PHRASE = re.compile(r"[a-z]+\s+(?:it|them|this|that|these|those|my|our|your|his|her|their)\b.*")
_FRAME = re.compile(r"^(?P<frame>.*?\b(?:to|should|must|can|could|do|does|did|will|would)\s+(?:(?:I|we|you|they)\s+)?)"
                    r"(?P<verb>[a-z]+)\b")


def verb_phrase(subject: str) -> bool:
    return bool(_VERB_PHRASE.fullmatch(subject)) and subject.split()[0] not in _CLAUSE_BREAK | QUESTION_WORDS


def verb_phrase_question(question: str, previous: str) -> str | None:
    """"And swap it for a new one?" after "How often am I supposed to wash the filter?": "How often am I supposed to
    swap it for a new one?" (its pronoun is resolved later, like any question's); None for other questions."""
    match = _ELLIPSIS.match(question.strip())
    subject = (match.group("b") or "").strip() if match else ""
    frame = _FRAME.match(previous) if subject and verb_phrase(subject) else None
    return f"{frame.group('frame')}{subject}?" if frame else None


def is_time_subject(subject: str) -> bool:
    """"before", "the year before", "in 2023": the subject of an ellipsis that asks the same again for a time."""
    return subject.lower() in _TIME_SIDES or _TIME.fullmatch(subject) is not None or _NOW.fullmatch(subject) is not None


def complete_ellipsis(subject: str, previous: str) -> str:
    """The previous question with its latest-named subject replaced by the new one."""
    if subject.lower() in _TIME_SIDES:  # "And before?" after "How many ... after that?": the other side of that time
        side = re.search(rf"\b(?:{'|'.join(_TIME_SIDES)})\b", previous, re.I)
        if side:
            return previous[:side.start()] + subject.lower() + previous[side.end():]
        return f"{previous.rstrip(' ?')} {subject.lower()}?"
    if _NOW.fullmatch(subject):  # "And today?" after "How many beds did it have when it first opened?": now, not then
        then = _THEN.search(previous)
        return previous[:then.start()] + subject + previous[then.end():] if then else f"{previous.rstrip(' ?')} {subject}?"
    if _TIME.fullmatch(subject):  # "And the year before?" after "How much profit did it make?": the same, then
        named, year = _TIME.search(previous), re.fullmatch(r"(?:19|20)\d\d\S*", subject)
        if named:  # "in 2024" -> "in 2023": the preposition stays
            kept = re.match(r"(?:in|for|during)\s+", named.group(), re.I)
            return previous[:named.start() + (kept.end() if kept else 0)] + subject + previous[named.end():]
        return f"{previous.rstrip(' ?')} {'in ' if year else ''}{subject}?"
    preposition = re.match(r"(from|by|at|on|to|of|under|after|before|since|when|while)\s+(?=\S)", subject, re.I)
    if preposition:  # "And from Datadog?" after "Who are the stewards from NodeSource?": what followed "from"
        named = re.search(rf"\b(?i:{preposition.group(1)})\s+((?:(?i:the)\s+)?(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*|\w+))",
                          previous)
        if named:
            return previous[:named.start(1)] + subject[preposition.end():] + previous[named.end(1):]
    same_noun = _same_head_noun(subject, previous)
    if same_noun:  # "And the home game after that?" after "What is his first game?": that phrase is swapped
        bare_phrase = not re.match(_POSSESSOR, same_noun.group())  # "how many home games" takes no article
        new = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.I) if bare_phrase else subject
        return previous[:same_noun.start()] + new + previous[same_noun.end():]
    common = _common_phrase(subject, previous)
    if common:  # "And the deposit?" after "How much is the monthly rent on the flat at 27 Alder Grove?": the rent
        return previous[:common.start()] + subject + previous[common.end():]
    new_kind = (mentions(subject) or [Mention(subject, "thing", 0, 0)])[0].kind
    old = mentions(previous)
    lowercase = _LOWERCASE_SUBJECT.search(previous)
    if not old and lowercase and lowercase.group(1) not in STOPWORDS | _QUANTIFIERS | _DETERMINERS:  # "How much overhead does tqdm add?"
        return previous[:lowercase.start(1)] + subject + previous[lowercase.end(1):]
    if not old:
        return f"{previous.rstrip(' ?')} {subject}?"
    same = [m for m in old if m.kind == new_kind] or [m for m in old if m.kind != "person" or new_kind == "person"] \
        or old
    target = same[0].text
    bare = re.sub(r"^(the|a|an)\s+", "", subject, flags=re.I)
    # Keep a trailing common noun of the old subject when the new one is a bare name ("ATACMS missiles" -> "Himars missiles").
    pattern = re.compile(rf"(?<!\w)(?:the\s+)?{re.escape(target)}(?!\w)", re.I)
    if not pattern.search(previous):
        return f"{previous.rstrip(' ?')} {subject}?"
    article = "the " if subject.lower().startswith("the ") else ""
    return pattern.sub(lambda m: article + bare, previous, count=1)


_TIME_SIDES = ("before", "after")
_NOW = re.compile(r"(?:today|now|nowadays|currently|these days|at present|at the moment)", re.I)
_THEN = re.compile(r"\b(?:when\s+(?:it|they|he|she|the\s+\w+|[A-Z]\w*)\s+(?:was\s+|were\s+)?(?:first\s+)?(?:opened|started|began|"
                   r"launched|founded|built|set up|joined|arrived)|at first|originally|initially|at the start|in the beginning|"
                   r"back then|in \d{4})\b", re.I)
_QUANTIFIERS = frozenset("each every any all some no one this that these those another either neither both".split())
# A lowercase name as the subject after its auxiliary ("does tqdm add", "is venv"), where no capital marks it
_LOWERCASE_SUBJECT = re.compile(r"\b(?:does|do|did|is|was|can|could|will|would)\s+([a-z][\w.+-]*[a-z0-9])(?=\s+[a-z]+\b)")
_PERIOD = r"(?:year|month|week|quarter|season|day|summer|winter|spring|autumn|decade)"
# "the year before", "last season", "in 2023", "the previous quarter": a time the question is asked again for.
_TIME = re.compile(rf"(?:(?:in|for|during)\s+)?(?:(?:the\s+)?{_PERIOD}\s+(?:before|after|earlier|later)(?:\s+that)?|"
                   rf"(?:this|last|next|that|the\s+(?:previous|following|next|last|same))\s+{_PERIOD}|"
                   r"(?:19|20)\d\d(?:[-/]\d\d)?)(?=\W*$|\s*\?|\s)", re.I)
_POSSESSOR = r"(?:(?:the\s+)?[a-z][\w-]*['’]s|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*['’]s|the|a|an|this|that|his|her|their|its|our|my|your)"


def _common_phrase(subject: str, previous: str) -> re.Match[str] | None:
    """For a new subject of common nouns after "the" ("the deposit"), the first thing the previous question names
    with "the" and common nouns ("the monthly rent"), which it asks about; None for a name or when it names none."""
    if not re.fullmatch(r"(?:the|my|our|your)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}", subject.strip()):
        return None
    things = [m for m in definite_things(previous, 0) if m.common]
    if not things or _SOMEONE.search(things[0].text):
        return None  # "for the landlord himself": a person, which "the deposit" does not stand in for
    return re.search(rf"\b(?:the|my|our|your)\s+{re.escape(things[0].text)}\b", previous)


_SOMEONE = re.compile(r"(?:er|or|ist|ian|lord|lady|man|woman|person|owner|agent|chair|head)\b|\b(?:him|her|them)sel(?:f|ves)\b")


def _same_head_noun(subject: str, previous: str) -> re.Match[str] | None:
    """The phrase of `previous` headed by the common noun that heads `subject` ("game" in "the home game after that")."""
    head = re.match(r"^(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]{2,})(?=\s+(?:after|before|of|in|on|for|at|from)\b|\s*$)",
                    subject)
    if not head or head.group(1) in STOPWORDS | VERBISH:
        return None
    noun = head.group(1)
    return re.search(rf"(?:\b{_POSSESSOR}\s+|(?<=\bmany )|(?<=\bmuch )|(?<=\b[Ww]hich )|(?<=\b[Ww]hat ))(?:[\w-]+\s+){{0,2}}?{re.escape(noun)}(?:s|es)?\b",
                     previous)


# "Why not?", "How come?", "When was that?": a question word and nothing to ask about.
_BARE = re.compile(r"^\W*(?:and|but|so|ok|okay)?\W*(?:(?P<pre>from|since|until|till)\s+)?(?P<wh>why|how come|when|where|how)(?P<neg>\s+not)?"
                   r"(?P<tail>\s+(?:earlier|sooner|later|before|now|yet|instead))?"
                   r"(?:\s+(?:so|is that|was that|did they|did he|did she|did it))?\W*$", re.I)
# "When will the work start?" "28 April" "Why not earlier?": the wh-word's question, asked of the same clause
_WH_AUX = re.compile(r"^\W*(?:when|where|how(?:\s+long)?)\s+(?=(?:did|does|do|is|are|was|were|has|have|had|will|would|can|"
                     r"could|should)\s)", re.I)
# "When was Edda Morvane born?" "Where?": the same question asked with the new wh-word ("Why?" asks why the answer is
# what it is, not why the event happened)
_WH_LEAD = re.compile(r"^\W*(?:when|where|why|how(?:\s+(?:long|much|many|often|far|old))?)\s+(?=(?:did|does|do|is|are|was|"
                      r"were|has|have|had|will|would|can|could|should)\s)", re.I)
_AUX_FIRST = re.compile(r"^\W*(?P<aux>did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\s+"
                        r"(?P<rest>[^?]+?)\W*$", re.I)
_SUBJECT_PRONOUNS = frozenset("he she it they we you i anyone anybody someone somebody everyone nobody".split())
_DETERMINERS = frozenset("the a an this that these those his her its their our my your some any".split())
_CLAUSE_BREAK = _DETERMINERS | frozenset("in on at to for from with by of into about after before over under him them "
                                         "me us it".split())
_AUX_VERBS = frozenset("have has had get got take took make made go went pay paid give gave".split())


def bare_question(question: str, previous: str, answer: str) -> str | None:
    """"Why not?" after "Did the company pay?" -> "Why did the company not pay?"; None unless both shapes fit.

    A bare "Why?" after a "No" answer asks why not, as people mean it.
    """
    bare = _BARE.match(question.strip())
    wh = " ".join(w for w in (bare.group("pre"), bare.group("wh")) if w).lower() if bare else ""
    if bare and not bare.group("tail") and not bare.group("neg") and (lead := _WH_LEAD.match(previous.strip())) and \
            bare.group("wh").lower() in ("where", "when") and bare.group("wh").lower() not in lead.group().lower():
        return f"{wh.capitalize()} {previous.strip()[lead.end():]}"
    wh_first = _WH_AUX.match(previous.strip()) if bare and bare.group("tail") else None
    asked = _AUX_FIRST.match(previous.strip()[wh_first.end():] if wh_first else previous.strip())
    if not bare or not asked:
        return None
    words = asked.group("rest").split()
    end = _subject_end(words)
    if end is None:
        return None
    wh = "why" if wh == "how come" else wh
    negative = bool(bare.group("neg")) or (wh == "why" and re.match(r"^\W*no\b", answer, re.I) is not None)
    already = any(w.lower() in {"not", "never"} or w.lower().endswith("n't") for w in words)
    middle = ["not"] if negative and not already else []
    tail = [bare.group("tail").strip().lower()] if bare.group("tail") else []
    return " ".join([wh.capitalize(), asked.group("aux").lower(), *words[:end], *middle, *words[end:], *tail]) + "?"


def _subject_end(words: Sequence[str]) -> int | None:
    """Where the subject of an auxiliary-first question ends: 'the company | pay', 'Graham Tulloch | resign'."""
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in _SUBJECT_PRONOUNS:
        return 1
    if words[0][:1].isupper():
        end = 1
        while end < len(words) and words[end][:1].isupper():
            end += 1
        return end if end < len(words) else None
    if first not in _DETERMINERS:
        return None
    for i in range(2, len(words)):  # the verb: a known verb, or the word before an object or a preposition
        if words[i].lower() in _AUX_VERBS or i + 1 == len(words) or words[i + 1].lower() in _CLAUSE_BREAK:
            return i
    return None


# "And the conference dinner, how much is that?": a topic set before the question, which points at it
_DISLOCATED = re.compile(r"^\W*(?:(?:and|so|now|also|then)\s+)?(?P<topic>(?:(?:the|my|our|your|his|her|their)\s+[\w'’-]+"
                         r"(?:\s+[\w'’-]+){0,3})|[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})\s*,\s*"
                         r"(?P<question>(?:how|what|when|where|who|why|which|is|are|was|were|does|do|did|can|could|will|"
                         r"would|should)\b[^?]*\?)\s*$", re.I)
_POINTER = re.compile(r"\b(?:it|that|this|they|them|he|she|him|her)\b", re.I)
_NOT_TOPICS = frozenset("yes no ok okay right well thanks thank great sure hmm fine and but so in on at for after before "
                        "since by from with during if when as then now also sorry please hi hello hey oh ah actually "
                        "anyway wait cool nice perfect brilliant lovely good excellent interesting really honestly "
                        "again finally lastly first next".split())


def dislocated(question: str) -> str | None:
    """The question with its pronoun replaced by the topic set before it ("How much is the conference dinner?"),
    or None when it sets none."""
    found = _DISLOCATED.match(question)
    if not found or found.group("topic").split()[0].lower() in _NOT_TOPICS:
        return None
    asked = found.group("question")
    pointer = _POINTER.search(asked)
    if not pointer:
        return None
    topic = found.group("topic")
    if topic.split()[0].lower() in _DETERMINERS:  # "The rent, is it paid monthly?": "Is the rent paid monthly?"
        topic = topic[0].lower() + topic[1:]
    asked = asked[:pointer.start()] + topic + asked[pointer.end():]
    return asked[0].upper() + asked[1:]

"""What a sentence states: whether it reports the asked person's words ("What did Macron say about it?" is answered
by Macron's words, never by a sentence that only names him), asserts rather than asks, and says yes or no."""

from __future__ import annotations

import re

from qa.text import content_stems, stem

# "What did Macron say about the decision?", "What has Zelensky said since?": the statement itself is asked for.
# "What did Sacks say Trump had won?" asks for a fact inside the statement, and is not matched.
_STATEMENT_Q = re.compile(
    r"^\W*(?:(?:and|so|but)\s+)?what\s+(?:did|does|do|has|have|had|will|would)\s+(?P<speaker>.+?)\s+"
    r"(?:say|said|tell|told|write|wrote|tweet|tweeted|post|posted|reply|replied|respond|responded|comment|commented)"
    r"(?:\s+(?:about|in|after|on|of|to|regarding|when|at|before|since|then|afterwards)\b.*|\s+(?:them|him|her|us|it))?"
    r"\s*\??\s*$", re.I)
_NAME_WORD = re.compile(r"\b[A-Z][\w'’-]+")
_SPEECH = (r"(?:said|says|told|tells|wrote|writes|tweeted|posted|added|stated|argued|claimed|replied|responded|"
           r"warned|insisted|explained|announced|commented|remarked|declared|noted|admitted|acknowledged|"
           r"described|criticised|criticized|welcomed|praised|condemned|dismissed|urged)")
_TITLE_WORDS = frozenset("mr mrs ms dr sir dame lord lady president prime minister chancellor secretary "
                         "spokesman spokeswoman spokesperson councillor senator general".split())


def asked_speaker(question: str) -> str | None:
    """The surname (last name word) of the person whose statement the question asks for, or None when the question
    asks for no statement or names its speaker by no name."""
    match = _STATEMENT_Q.match(question.split("?", 1)[0].strip() + "?")
    if not match:
        return None
    # An acronym is a document or a body ("What does the PEP say?"), whose text says rather than states.
    names = [w for w in _NAME_WORD.findall(match.group("speaker")) if w.lower() not in _TITLE_WORDS and not w.isupper()]
    return names[-1].removesuffix("'s").removesuffix("’s") if names else None


def states(sentence: str, speaker: str, lead: str = "") -> bool:
    """Whether `sentence` (read after `lead`, which names whom its "he" means) reports `speaker` saying something:
    "Cartlidge, the shadow defence secretary, told The Telegraph: ...", "..., said Peskov", "according to Peskov",
    '"...," he wrote' after a sentence naming him."""
    name = re.escape(speaker)
    patterns = (rf"\b{name}\b[^.;!?“\"]{{0,80}}?\b{_SPEECH}\b", rf"\b{_SPEECH}\s+(?:(?!that\b)\w+\s+)?{name}\b",
                rf"\baccording to\s+(?:[\w'’-]+\s+){{0,3}}?{name}\b", rf"\b{name}\b[^.;!?]{{0,80}}?:\s*[“\"]")
    if any(re.search(p, sentence) for p in patterns):
        return True
    return bool(lead) and re.search(rf"\b{name}\b", lead) is not None and \
        re.search(rf"\b(?:he|she|they)\s+{_SPEECH}\b", sentence, re.I) is not None


# A sentence that asks ("Is there a washing machine?") or reports a question ("Jo wants to know if there's a
# washing machine") says neither yes nor no.
_ASKING = re.compile(r"\?\s*[\"”’)]*\s*$|\b(?:know|ask(?:ed|s|ing)?|wonder(?:ed|s|ing)?|unsure|unclear|"
                     r"check(?:ed|s|ing)?|find out|enquir(?:e|ed|es|ing)|inquir(?:e|ed|es|ing))\s+(?:if|whether)\b",
                     re.I)


def asserts(sentence: str) -> bool:
    """Whether `sentence` states something rather than asking it, so that it can answer a yes/no question. A line of
    capitalised words only ("Calloway & Birch Insurance Ltd.") names; it states nothing ("WiFi: Included" does)."""
    named = ":" not in sentence and all(w[:1].isupper() or not w[:1].isalpha() for w in sentence.split())
    return not named and not _ASKING.search(sentence.strip())


_NEGATION = re.compile(r"\b(not|never|no|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b", re.I)


def yes_or_no(question: str, text: str) -> str | None:
    """"Yes" when the sentence asserts what the question asks, "No" when it negates it (negations compared); for
    "Is that more than ...?" the two values the sentence compares decide, and None when it does not give two."""
    if comparative := _MORE_OR_LESS.search(question):
        values = [float(v.replace(",", "")) for v in _VALUE.findall(text)]
        if len(values) != 2 or values[0] == values[1]:
            return None  # a comparison read off anything but two values would be a guess
        return "Yes" if (values[0] > values[1]) == (comparative.group(1).lower() in _MORE) else "No"
    if reply := _REPLY.match(text):  # "Bev: Yes, the council still gives a 50% discount": the reply says which
        return "No" if reply.group(1).lower() in ("no", "nope") else "Yes"
    asked = bool(_NEGATION.search(_NEGATED_CLAUSE.sub(" ", question)))  # "help for people who can't afford it?"
    predicate = asked_predicate(question)  # "Is the deposit refundable?" of "A non-refundable deposit of £50"
    said = bool(_NEGATION.search(text)) or bool(predicate and re.search(rf"\b(?:non-?|un){predicate}", text, re.I)) or _set_aside(question, text) or bool(excluded_by(question, text)) or \
        bool(_STILL.search(question) and _ENDED.search(text))
    return "No" if asked != said else "Yes"


def asked_predicate(question: str) -> str | None:
    """The quality a yes/no question asks of its subject, when it closes on it ("Is the deposit refundable?",
    "Are dogs allowed?"), lower-cased; None for any other question ("Is the pool open on Sundays?")."""
    found = _PREDICATE_LAST.match(question)
    return found.group(1).lower() if found else None


_PREDICATE_LAST = re.compile(r"^\W*(?:and\s+|so\s+)?(?:is|are|was|were|will|would)\b[^?]*?\s(?:be\s+)?(\w+(?:able|ible)|"
                             r"allowed|permitted|included|required|free|safe|mandatory|compulsory|optional|legal|valid)"
                             r"\s*\?*\s*$", re.I)
# A reply opening on its answer, after a timestamp or a speaker's name ("[16/04, 12:20] Bev Tanaka: Yes, ...")
_REPLY = re.compile(r"^(?:\[[^\]]*\]\s*)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}:\s*)?(yes|no|yep|nope|yeah)\b[,.!]",
                    re.I)
# A negation inside a relative clause is no negation of what is asked ("people who can't afford it")
_NEGATED_CLAUSE = re.compile(r"\b(?:who|that|which)\s+(?:can['’]t|cannot|don['’]t|doesn['’]t|won['’]t|aren['’]t|isn['’]t|"
                             r"haven['’]t|hasn['’]t|didn['’]t|do\s+not|does\s+not|can\s+not)\s+\w+", re.I)
# "Is it still under warranty?" of "The warranty expired in 2023": what has ended is no longer so.
_STILL = re.compile(r"\bstill\b", re.I)
_ENDED = re.compile(r"\b(?:expired|ended|ceased|lapsed|closed|shut|discontinued|abolished|demolished|dissolved|"
                    r"no longer|converted into|torn down|pulled down|went out of business)\b", re.I)


# Kinds that exclude each other: "an electric van" is no diesel, "a part-time post" no full-time one. Synonyms share
# a group ("mandatory" and "required"); a set holds the groups one thing has exactly one of.
_ALTERNATIVES = tuple(tuple(frozenset(group.split()) for group in groups.split("|")) for groups in (
    "diesel|petrol gasoline|electric battery-electric|hybrid|hydrogen",
    "male|female", "public|private", "full-time|part-time", "permanent|temporary fixed-term",
    "indoor indoors|outdoor outdoors", "online|in-person", "open-source|proprietary",
    "optional|mandatory required compulsory", "synchronous|asynchronous", "vegetarian vegan|meat",
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday", "morning|afternoon|evening",
    "spring|summer|autumn|winter",
))  # not "free|paid" ("paid for by the council" is free to you), nor "manual" (a handbook) or colours
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")


def excluded_by(question: str, text: str) -> set[str]:
    """The words of the question that `text` excludes by saying an alternative and never them ("diesel" in "Is it
    a diesel?" by "an electric van"); empty when it excludes none."""
    asked, written = set(_WORDS.findall(question.lower())), set(_WORDS.findall(text.lower()))
    out: set[str] = set()
    for groups in _ALTERNATIVES:
        named = [g for g in groups if g & asked]
        if len(named) == 1 and not named[0] & written and any(g & written for g in groups if g is not named[0]):
            out |= named[0] & asked  # not when it asks of two ("Is it diesel or electric?") or the text says it
    return out


# "Is that more than the month before?" asked of "27 crimes in February, compared with 34 in January": the first
# value is the one asked about, the second what it is compared with.
_MORE_OR_LESS = re.compile(r"\b(more|higher|bigger|greater|larger|longer|dearer|less|lower|smaller|fewer|shorter|"
                           r"cheaper)\s+(?:[\w-]+\s+){0,2}?than\b", re.I)
_MORE = frozenset("more higher bigger greater larger longer dearer".split())
_VALUE = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?![\d,]*\.?\d)")


_SET_ASIDE = re.compile(r"\b(?:rather than|instead of|other than|except(?: for)?)\s+(?:an?\s+|the\s+)?([\w-]+)", re.I)


def _set_aside(question: str, text: str) -> bool:
    """Whether the text sets aside what the question asks about ("only absolute rather than relative paths" to
    "Can it contain relative paths?"): a "no" said without a negation word."""
    asked = content_stems(question) - {stem(m.group(1)) for m in _SET_ASIDE.finditer(question)}
    return any(stem(m.group(1)) in asked for m in _SET_ASIDE.finditer(text))

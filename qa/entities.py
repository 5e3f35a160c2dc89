"""What a question asks about: the names it uses, those carried over from earlier turns, and whether passages mention them."""

from __future__ import annotations

import re
from typing import Sequence

from qa.answer_types import answer_type
from qa.ellipsis import dislocated
from qa.generate import GenerationRequest
from qa.models import Passage
from qa.rewrite import entity_terms
from qa.text import STOPWORDS, WORD, content_stems, stem, stems
from qa.versions import unwritten_versions


def question_entities(question: str) -> list[str]:
    """The question's names; "OF" of a carried heading in capitals ("CHANGE OF KEEPER") is none."""
    return [e for e in entity_terms(question) if len(e) > 1 and e.lower() not in STOPWORDS]


def owner_names(question: str) -> list[str]:
    """Lowercase words written as owners ("numpy's mean"): names a passage must mention to answer, though
    they are too uncertain to weigh as what the question is about."""
    return [m.group(1) for m in _OWNER.finditer(question) if m.group(1).lower() not in STOPWORDS]


def names_to_find(question: str) -> list[str]:
    """The names every answer's passages must mention: the question's own, and for a yes/no question its lowercase
    owners too, as "Yes" would otherwise be said of a thing ("numpy's mean") the documents never name."""
    owners = owner_names(question) if answer_type(question).kind == "yesno" else []
    return question_entities(_CLOCK_TIME.sub(" ", question)) + owners  # "if a pipe bursts at 2am": when, not what


_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)\b|\b\d{1,2}:\d\d\b", re.I)


_OWNER = re.compile(r"(?<![\w.])([a-z][\w-]{2,})['’]s\b")


def asked_entities(request: GenerationRequest) -> tuple[list[str], list[str]]:
    """Names in the question itself, and names carried into the standalone query from earlier turns."""
    own = question_entities(request.question)
    return own, [e for e in question_entities(request.query) if e not in own]


def mentions_asked(text: str, request: GenerationRequest) -> bool:
    """Whether `text` names what the question is about (its own names, else the carried ones; True if none)."""
    own, carried = asked_entities(request)
    asked = [stem(e) for e in (own or carried)]
    found = stems(text)
    return not asked or any(e in found for e in asked)


def unknown_asked(question: str, passages: Sequence[Passage]) -> list[str]:
    """The question's names and versions ("v1.1") that no passage mentions: the passages cannot be about them."""
    said = [" ".join(filter(None, (p.text, p.chunk.title, p.chunk.heading, p.chunk.metadata.get("release"))))
            for p in passages]
    return unknown_entities(names_to_find(question), passages) + unwritten_versions(question, said)


def unknown_entities(entities: Sequence[str], passages: Sequence[Passage]) -> list[str]:
    """Names of the question that no passage or its document's title mentions ("US-made" counts as mentioned when
    "US" and "made" are)."""
    text = " ".join(f"{p.text} {p.chunk.title or ''}" for p in passages)
    corpus, spelled = stems(text), initialisms(text)
    return [e for e in entities if not all(stem(w) in corpus or w in spelled for w in WORD.findall(e))]


_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the|&)\s+)?[A-Z][a-z]+)+")


def initialisms(text: str) -> set[str]:
    """What runs of capitalised words may be shortened to: "AGM" for "Annual General Meeting", "AGM" and "GM" alike
    (a question says "the garden AGM" of minutes headed "Minutes of the Annual General Meeting")."""
    found = set()
    for run in _CAPITALISED_RUN.finditer(text):
        initials = "".join(w[0] for w in run.group().split() if w[0].isupper())
        found.update(initials[i:j] for i in range(len(initials)) for j in range(i + 2, len(initials) + 1))
    return found


_POINTING = re.compile(r"\b(?:he|she|it|they|him|her|them|his|its|their|that|this|these|those)\b", re.I)
# Words that point back without a pronoun: "the later ones", "which of the two", "the other one", "the same".
_BACK_REFERENCE = re.compile(r"\b(?:the (?:two|three|both|other|others|same|former|latter|later|earlier|first|second|last)"
                             r"|both|either|neither|one|ones)\b", re.I)


# "Where is Joanna Reyes' company based?": a body named by whose it is.
_OWNED = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w-]+)(?:['’]s?)\s+(company|firm|employer|club|team|school|"
                    r"university|college|charity|business|start-?up|agency|organi[sz]ation|band|party|newspaper|paper)\b")


def owned_named(query: str, passages: Sequence[Passage]) -> str:
    """`query` with "X's company" named as the passages name it: the body in the words describing X where a passage
    names X ("Joanna Reyes, Chief Executive, Tessellate Labs"; "Graham Pell, the Northgate Albion manager"), which the
    sentences about the company name instead of X."""
    match = _OWNED.search(query)
    if not match:
        return query
    after_owner = re.compile(re.escape(match.group(1)) + _DESCRIBED_BODY)
    for passage in passages:
        if found := after_owner.search(passage.text):
            body = next(g for g in found.groups() if g).strip()
            return f"{query[:match.start()]}{body}{query[match.end():]}"
    return query


_BODY = r"((?:[A-Z][\w&’'-]*|of|and)(?:[ \t]+(?:[A-Z][\w&’'-]*|of|and)){0,3})"
# ", Chief Executive, Tessellate Labs", ", chief executive of Tessellate Labs", ", the Northgate Albion manager",
# ", HomeCraft's chief executive": where X works, said right after X's name.
_DESCRIBED_BODY = (rf",[ \t]+(?:(?:[A-Za-z-]+[ \t]+){{0,3}}(?:of|at|for)[ \t]+(?:the[ \t]+)?{_BODY}|"
                   rf"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){{0,2}},[ \t]+{_BODY}(?=[ \t]*(?:[-–—,.;(]|$))|"
                   rf"the[ \t]+{_BODY}[ \t]+[a-z]|{_BODY}['’]s[ \t]+[a-z])")


def cross_query(request: GenerationRequest) -> str:
    """What the cross-encoder reads as the question: the standalone question without the terms carried for
    retrieval when the question names its own subject and points at nothing before ("And what did Cartlidge say?"
    is not about the previous turn's "Sacks write"). A follow-up whose pronoun was resolved keeps them: dropping
    them too lost seven dev answers for three gained (eval/HISTORY.md)."""
    standalone, mark, carried = request.query.partition("?")
    # "And the conference dinner, how much is that?" points at the topic it sets itself, not at the turn before.
    question = dislocated(request.question) or request.question
    # "And when are the stitches due out?" says what it asks about in its own words; "the later names" does not.
    says_own_subject = len(content_stems(question)) >= 2 and not _POINTING.search(question) and \
        not _BACK_REFERENCE.search(question)
    if mark and carried.strip() and (question_entities(question) or says_own_subject) and \
            not _POINTING.search(standalone):
        return owned_named(standalone + mark, request.passages)
    return owned_named(request.query, request.passages)


def asked_sentence(query: str) -> str:
    """The question sentence of a standalone query without the sentences setting it up ("I want to drain it into the
    sink instead.") or the terms carried for retrieval; "" if none. (Carried terms alone do not make a cross-encoder
    misread a question: scoring without them too answered near misses on a fresh probe.)"""
    head, mark, _ = query.partition("?")
    return _SENTENCE_BREAK.split(head.strip())[-1] + mark if head.strip() else ""


_SENTENCE_BREAK = re.compile(r"(?<=[.!;:])\s+")

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
    return [e for e in entity_terms(question) if len(e) > 1]


def owner_names(question: str) -> list[str]:
    """Lowercase words written as owners ("numpy's mean"): names a passage must mention to answer, though
    they are too uncertain to weigh as what the question is about."""
    return [m.group(1) for m in _OWNER.finditer(question) if m.group(1).lower() not in STOPWORDS]


def names_to_find(question: str) -> list[str]:
    """The names every answer's passages must mention: the question's own, and for a yes/no question its lowercase
    owners too, as "Yes" would otherwise be said of a thing ("numpy's mean") the documents never name."""
    owners = owner_names(question) if answer_type(question).kind == "yesno" else []
    return question_entities(question) + owners


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
    """Names of the question that no passage mentions ("US-made" counts as mentioned when "US" and "made" are)."""
    corpus = stems(" ".join(p.text for p in passages))
    return [e for e in entities if not all(stem(w) in corpus for w in WORD.findall(e))]


_POINTING = re.compile(r"\b(?:he|she|it|they|him|her|them|his|its|their|that|this|these|those)\b", re.I)
# Words that point back without a pronoun: "the later ones", "which of the two", "the other one", "the same".
_BACK_REFERENCE = re.compile(r"\b(?:the (?:two|three|both|other|others|same|former|latter|later|earlier|first|second|last)"
                             r"|both|either|neither|one|ones)\b", re.I)


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
        return standalone + mark
    return request.query

"""How much each of the question's terms and names counts when a candidate sentence says it, and which lines say
nothing beyond them and the document's name."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from qa.generate import GenerationRequest
from qa.generators.spans import Span, document_stems
from qa.lexicon import TITLES
from qa.models import Passage
from qa.relation import said
from qa.tables import defines
from qa.text import WORD, concepts, content_stems, spelled_out, stem, stems, without_kin

# A term the sentence leaves to its document's title or its section heading ("Makes 12 pancakes" under "Lemon
# Ricotta Pancakes") counts, but less than one the sentence says: the title is about the whole document.
TOPIC_SHARE = 0.5


def term_weights(terms: dict[str, float], sentences: Sequence[str]) -> dict[str, float]:
    """Term weights scaled by inverse sentence frequency among the candidates: rare shared terms say more."""
    sentence_stems = [stems(s) for s in sentences]
    n = len(sentence_stems)
    out = {}
    for term, base in terms.items():
        df = sum(1 for s in sentence_stems if term in s)
        # Smoothed so that a term absent from every candidate counts, but cannot outweigh all the rest.
        out[term] = base * (math.log((n + 1) / (df + 1)) + 1.0)
    return out


def question_weights(request: GenerationRequest, spans: Sequence[Span]) -> dict[str, float]:
    """The question's content stems weighted by rarity among the candidate sentences; terms carried over from
    earlier turns count a little less."""
    # "Who's the CFO?" also matches "Chief Financial Officer" (initials the question uses, not those carried over)
    terms = {t: 1.0 for t in content_stems(spelled_out(request.question))}
    for t in content_stems(request.query):
        terms.setdefault(t, 0.6)
    return term_weights(terms, list(dict.fromkeys(s.sentence for s in spans)))


def entity_weights(request: GenerationRequest, own: Sequence[str], carried: Sequence[str]) -> dict[str, float]:
    """Each asked name's stem with its weight: a name the standalone question itself says (its own, or what its
    pronoun resolved to) counts twice as much as one only carried after it for retrieval."""
    said_in_question = stems(request.query.split("?", 1)[0]) | {stem(e) for e in own}
    return {stem(e): 1.0 if stem(e) in said_in_question else 0.5 for e in [*own, *carried]}


def topic_stems(passages: Sequence[Passage], span: Span) -> set[str]:
    """What a span's sentence is about without saying it: its section heading, the label its paragraph or list runs
    on from ("Mill Lane flood. On 12 November ..."), and its document's name; for a reply opening on "Yes" or "No",
    the question just before it that it answers ("Will there be any help for people who can't afford it?")."""
    replied = stems(span.previous) if span.previous.rstrip().endswith("?") and _REPLY.match(span.sentence) else set()
    return stems(span.heading) | stems(span.block) | document_stems(passages, span.passage) | replied


_REPLY = re.compile(r"^(?:\[[^\]]*\]\s*)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}:\s*)?(?:yes|no|yep|nope|yeah|sure)\b",
                    re.I)


# "What is the recipe called?", "What's the title of the guide?": the document's own name is the answer.
_ASKS_ITS_NAME = re.compile(r"\b(?:called|named|title[sd]?|name of|headings?)\b", re.I)
# A form's label and its value on one line: "Patient: Mr Colin Marsh", "Prepared by: Noor Haddad".
_LABEL_LINE = re.compile(r"^\s*[A-Z][\w ]{0,30}:\s+(\S.*)$", re.S)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def says_nothing_new(request: GenerationRequest, span: Span) -> bool:
    """Whether a span is a line saying nothing but what its document or section is called and what the chat
    already said ("Lemon Ricotta Pancakes" in "Nonna Rosa's Lemon Ricotta Pancakes", "- Gordon McMillan" after
    "Gordon McMillan wrote it"): a title or a repetition, which answers no wh-question but one about the name
    itself. Lines with a number ("What's New in Python 2.0") may say which release."""
    if is_pleasantry(span.sentence):
        return True
    said = stems(span.sentence)
    if label := _LABEL_LINE.match(span.sentence):  # "Patient: Mr Colin Marsh" says only its value
        said = stems(label.group(1)) - TITLES
    # A sentence ("The Conference pear ripens in October.") says something even when a one-line file's title is
    # that very sentence; only a line without a full stop is a name.
    if not said or _SENTENCE_END.search(span.sentence) or any(ch.isdigit() for ch in span.sentence) or \
            _ASKS_ITS_NAME.search(request.query):
        return False
    known = stems(" ".join([request.question, request.query, *(m.get("content", "") for m in request.history)]))
    return said <= known | topic_stems(request.passages, span)


# Greetings and thanks in mail and chat ("Brilliant, thank you Hannah!", "Hi both,", "Cheers, Marcus"): said to
# someone, about nothing.
_COURTESY = frozenset("hi hey dear thanks thank cheers brilliant regards".split())
_PLEASANTRY_WORDS = _COURTESY | frozenset("you all both everyone guys great lovely perfect ok okay so much very many "
                                          "best kind warm love and again x xx".split())


def is_pleasantry(sentence: str) -> bool:
    """A greeting or a thank-you with at most the names of whom it is said to: a line that answers nothing."""
    words = re.findall(r"[A-Za-z][\w'’]*", sentence)
    said = [w.lower() for w in words if not w[0].isupper() or w.lower() in _PLEASANTRY_WORDS]
    return 0 < len(words) <= 6 and bool(set(said) & _COURTESY) and all(w in _PLEASANTRY_WORDS for w in said)


def topical_overlap(weights: dict[str, float], said_in: Callable[[str], bool], topic: set[str]) -> float:
    """The weighted share of the question's terms a sentence says, counting those only its topic says at
    `TOPIC_SHARE`."""
    total = sum(weights.values()) or 1.0
    return sum(w * (1.0 if said_in(t) else TOPIC_SHARE if t in topic else 0.0) for t, w in weights.items()) / total


def pronoun_lead(span: Span) -> bool:
    """Whether the span's lead is the sentence its opening "she", "he", "it" or "they" points at."""
    return bool(span.lead) and span.lead == span.previous and _PERSONAL_OPENING.match(span.sentence) is not None


def lent_by_lead(span: Span) -> str:
    """What a span's lead lends it: all of it, but for a pronoun's lead not its asides. "Oriane Vastelle (born 14
    March 1968) is a director." tells who "She is known for ..." is about, not that this sentence says she was born."""
    lead = _ASIDE.sub(" ", span.lead) if pronoun_lead(span) else span.lead
    return f"{lead} {span.described}".strip()  # "The line was built for £318 million" names the Verlin Valley Line


_PERSONAL_OPENING = re.compile(r"^(?:he|his|she|her|it|its|they|their)\b", re.I)
_ASIDE = re.compile(r"\([^()]*\)")
_SUM = re.compile(r"[£$€¥]\s?\d")  # "was built for £318 million" says what it cost


def _held(sentence: str) -> set[str]:
    """What a "-ship" word says one has: "Our membership has reached 187" says how many members (not the other way
    round: "For other members, mail costs £10" says nothing of what a membership costs)."""
    return {stem(w[:-4]) for w in WORD.findall(sentence) if w.lower().endswith("ship") and len(w) > 8}


@dataclass(frozen=True)
class SentenceContext:
    """What a span's sentence says of the question beyond its names: the asked relation (a glossary line defining the
    asked term says it), and whether the asked name is only in the sentence before."""

    relation: set[str]
    named: list[set[str]]
    defined: str | None = None  # the term "What does E4 mean?" asks about: its glossary line says the relation

    def of(self, span: Span) -> dict[str, float | bool]:
        # "Hiroshi Yamauchi, a descendant of the founder, ...": the founder is someone else
        sentence = without_kin(span.sentence)
        here = stems(sentence) | stems(span.lead)
        lead = lent_by_lead(span)  # "She is known for ..." says nothing of her being born
        says = stems(sentence) | stems(lead) | _held(sentence)
        meant = concepts(sentence) | concepts(lead) | ({"~spend"} if _SUM.search(sentence) else set())
        if self.defined and defines(span.sentence, self.defined):
            covered = 1.0  # "- E4 — Temperature sensor fault." says what E4 means, in none of the question's words
        else:
            covered = sum(1 for t in self.relation if said(t, says, meant)) / len(self.relation) if self.relation else 1.0
        before = stems(span.previous)
        elsewhere = bool(self.named) and not any(n <= here for n in self.named) and any(n <= before for n in self.named)
        return {"relation": covered, "context": elsewhere}

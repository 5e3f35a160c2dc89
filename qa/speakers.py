"""Who said what the last answer quoted: "Who said that?" is answered by whom the passage attributes the quotation to."""

from __future__ import annotations

import re
from typing import Sequence

from qa.compose import Composed, Evidence
from qa.generate import GenerationRequest
from qa.lexicon import TITLES
from qa.models import Answer, Passage
from qa.text import CITATION_MARKERS, WORD, sentence_spans, stem
from qa.verify import VectorCache, verify

_WHO_SAID_IT = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)?who\s+(?:said|says|wrote|tweeted|posted|claimed|warned|"
                          r"added|told\s+(?:them|him|her|us|the\s+\w+))\s+(?:that|this|it|so)\s*\??\s*$", re.I)
_SPEECH = (r"(?:said|says|told|tells|wrote|writes|tweeted|posted|added|adds|stated|argued|claimed|warned|insisted|"
           r"explained|replied|admitted|confirmed)")
_NAME = r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+(?:van|von|de|da|le)?[ \t]*[A-Z][\w'’-]+){0,3})"
# '"...," Marsh said', '"...," said Julian Marsh', 'Julian Marsh, a former police officer, told the Sunday Chronicle'
_ATTRIBUTED = (re.compile(rf"[”\"]\s*(?:[,—–-]\s*)?{_NAME}\s+{_SPEECH}\b"),
               re.compile(rf"[,”\"]\s*{_SPEECH}\s+{_NAME}"),
               re.compile(rf"{_NAME}(?:,[^,.;“\"]{{0,90}},|,)?\s+{_SPEECH}\b"))
# A testimonial's signature line: above it, pointing down ("Daren Hasenkamp, Founder --"), or below it ("— Ada Lake,
# CTO"); one above the next testimonial is not this one's.
_SIGNED_ABOVE = re.compile(rf"^\s*{_NAME}(?:,[^\n.;“\"]{{0,60}})?\s+(?:--|—|–)\s*$")
_SIGNED_BELOW = re.compile(rf"^\s*(?:--|—|–)\s*{_NAME}(?:,[^\n.;“\"]{{0,60}})?\s*$")
_PRONOUN_SAID = re.compile(rf"[”\",]\s*(?:he|she|they)\s+{_SPEECH}\b", re.I)
_TITLES = TITLES | frozenset("det insp detective inspector sergeant sgt canon reverend father sister".split())
_OVERLAP = 0.7  # share of the claim's words a passage sentence must have to be the sentence quoted
_LOOK = 3  # sentences read before and after the claim for whom it is attributed to


def asks_who_said_it(question: str) -> bool:
    return bool(_WHO_SAID_IT.match(question.strip()))


def _words(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(text)]


def _claim(history: Sequence[dict[str, str]]) -> str:
    """The longest sentence of the last answer (the quotation it gave, not its short answer)."""
    answer = next((m.get("content", "") for m in reversed(history) if m.get("role") == "assistant"), "")
    parts = [p.strip() for p in re.split(r"(?<=[.!?\]])\s+", CITATION_MARKERS.sub("", answer)) if p.strip()]
    return max(parts, key=len, default="")


def _named(sentence: str, patterns: Sequence[re.Pattern[str]] = _ATTRIBUTED) -> str | None:
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            words = match.group("name").split()
            while words and words[0].lower().rstrip(".") in _TITLES:
                words = words[1:]
            if words and words[0] not in ("The", "A", "An", "He", "She", "They", "It", "This"):
                return " ".join(words)
    return None


def speaker_of(claim: str, passages: Sequence[Passage]) -> tuple[str, int, str, str] | None:
    """(speaker, passage index, sentence naming the speaker, sentence saying the claim) for the passage sentence
    that says `claim`: attributed in that sentence, at the end of its quotation ('..., he said' after the sentence
    naming him) or by the sentence introducing it ("Julian Marsh ... told the Sunday Chronicle that ...")."""
    wanted = set(_words(claim))
    if len(wanted) < 3:
        return None
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
        for at, sentence in enumerate(sentences):
            if len(wanted & set(_words(sentence))) < _OVERLAP * len(wanted):
                continue
            if name := _named(sentence):
                return name, index, sentence, sentence
            signed = sentences[at + 1] if at + 1 < len(sentences) else ""  # "— Ada Lake, CTO" right under it
            if name := _named(signed, (_SIGNED_BELOW,)):
                return name, index, signed, sentence
            after = next((s for s in sentences[at + 1:at + 1 + _LOOK] if _named(s) or _PRONOUN_SAID.search(s)), "")
            if after and (name := _named(after)):
                return name, index, after, sentence
            for before in reversed(sentences[max(at - _LOOK, 0):at]):  # '... he said' or the sentence opening it
                if name := _named(before, (*_ATTRIBUTED, _SIGNED_ABOVE)):
                    return name, index, before, sentence
    return None


def speaker_reply(request: GenerationRequest, vectors: VectorCache, generator: str) -> Answer | None:
    """The cited answer to "Who said that?" about the last answer's quotation, or None when no passage attributes it."""
    if not request.history or not asks_who_said_it(request.question):
        return None
    found = speaker_of(_claim(request.history), request.passages)
    if found is None:
        return None
    name, index, naming, said = found
    text = request.passages[index].chunk.text
    sentences = tuple(Evidence(index, text.find(s), text.find(s) + len(s), s) for s in dict.fromkeys((naming, said)))
    checked = verify(Composed(name, tuple(sorted(sentences, key=lambda e: e.start))).text(), request.passages, vectors)
    if not checked.supported or checked.unsupported_sentences:
        return None
    return Answer(question=request.question, answer=checked.text, abstained=False, citations=checked.citations,
                  passages=request.passages, query=request.query, generator=generator, confidence=1.0,
                  flags=checked.flags + ("speaker",), short_answer=name)

"""Answers shaped like answers: a short answer, then whole supporting sentences, joining two passages when one is not enough."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from qa.answer_types import _QUANTITY, _YEAR, _AGE, AnswerType, names_in, offers
from qa.short_answer import _runs, short_answer
from qa.text import WORD, concepts, content_stems, stem, stems

_COVERED_ENOUGH = 0.75  # a sentence sharing this much of the question's words needs no companion
_ANSWER_SIMILARITY = 0.30  # an answer sentence adding no question word must be at least this close in meaning
_SMALLER_WINS = re.compile(r"\b(older|oldest|earlier|earliest|first|sooner|smaller|shorter|lower|lighter|slower|"
                           r"fewer|less)\b", re.I)
_AGE_WORDS = re.compile(r"\b(older|oldest|younger|youngest)\b", re.I)
_OPTIONS = re.compile(r"(?:,|:|\bbetween)\s*(?P<a>[^,:?]+?)\s+(?:or|and)\s+(?P<b>[^,:?]+?)\s*\??\s*$", re.I)
_GENERIC = frozenset(stem(w) for w in "name named call called kind type thing one ones people person".split())


@dataclass(frozen=True)
class Evidence:
    """One supporting sentence: passage index (0-based), document offsets and text."""

    passage: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Composed:
    """A short answer (or None) and one or two supporting sentences, in reading order."""

    short: str | None
    sentences: tuple[Evidence, ...]

    def text(self) -> str:
        body = " ".join(_cited(e.text, e.passage + 1) for e in self.sentences)
        if not self.short:
            return body
        if self.short in ("Yes", "No"):
            return f"{self.short}. {body}"  # a judgement, not a quotation: nothing to cite on its own
        marker = self.sentences[-1 if self.answer_last else 0].passage + 1
        return f"{self.short} [{marker}]. {body}"

    @property
    def answer_last(self) -> bool:
        return False


def _cited(sentence: str, n: int) -> str:
    sentence = sentence.strip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]."


def _names(text: str) -> set[str]:
    return {stem(n) for n in names_in(text)}


def _full_names(text: str, known: set[str]) -> list[set[str]]:
    """Stems of each whole name in `text` (runs of capitalised words) that the question does not already use."""
    out = []
    for start, end in _runs(text):
        words = {stem(w) for w in re.findall(r"\w+", text[start:end]) if w[:1].isupper()} - known
        if words:
            out.append(words)
    return out


def _question_terms(question: str) -> set[str]:
    return {t for t in content_stems(question) if t not in _GENERIC}




_RELATION = re.compile(r"\bthe (?:\w+ ){0,2}(?:of|who|whom|whose|that|which|where)\b", re.I)


def is_bridge_question(question: str) -> bool:
    """"Which award did the author of X receive?", "the woman who played X": an entity named by its relation."""
    return bool(_RELATION.search(question))


def companion(question: str, own_entities: Sequence[str], wanted: AnswerType, best: Evidence,
              pool: Sequence[Evidence], similarity: Callable[[Sequence[str]], Sequence[float]] | None = None,
              openings: dict[int, str] | None = None, titles: dict[int, str] | None = None
              ) -> tuple[Evidence, Evidence] | None:
    """(bridge, answer) sentences that together cover more of the question than `best` alone.

    The bridge sentence's passage names what the question names; it introduces a name (not in the
    question) that the answer sentence, or its passage's topic line, is about: "The novel was written
    by Orla Finch. / Orla Finch received the Harrow Medal." Answer sentences are ranked by the question
    words they add, then by `similarity` to the question. `openings` holds the first line (title) of
    passages that start a document: what "the novel", "it" and "she" in later sentences are about.
    A pair whose answer passage is titled with the bridge name (the entry *about* the composer) beats one
    joined by a name both merely mention (a town where the work premiered and someone else was born).
    Only tried when `best` lacks a name the question uses, or the question names something by its
    relation ("the author of X") and `best` leaves much of it uncovered.
    """
    terms = _question_terms(question)
    best_stems = stems(best.text)
    entity_stems = {stem(w) for e in own_entities for w in WORD.findall(e)}
    covered = terms & best_stems
    if not terms or (entity_stems <= best_stems and (len(covered) >= _COVERED_ENOUGH * len(terms)
                                                     or not is_bridge_question(question))):
        return None
    # Relations count by meaning from here on: "educated at" answers "where did she study?".
    tagged = terms | concepts(question)
    covered = tagged & (best_stems | concepts(best.text))
    question_stems = stems(question)
    openings = openings or {}
    topics = {e.passage: stems(openings.get(e.passage, "")) for e in pool}
    topic_names = {p: _names(text) - question_stems for p, text in openings.items()}
    titled = {p: stems(title) for p, title in (titles or {}).items()}
    names = {id(e): _names(e.text) - question_stems for e in pool}
    full = {id(e): _full_names(e.text, question_stems) for e in pool}
    pairs = []
    for a in pool:
        context = stems(a.text) | topics[a.passage]
        if not names[id(a)] or not entity_stems <= context | best_stems:
            continue
        for b in pool:
            if b.passage == a.passage or not names[id(a)] & (names[id(b)] | topic_names.get(b.passage, set())):
                continue
            # The answer is about the very one the bridge names: "Ottilie Fenwright" is not "Ottilie Quistorp".
            if not any(run <= stems(b.text) | topics[b.passage] for run in full[id(a)]):
                continue
            if wanted.kind is not None and wanted.strict and not offers(b.text, wanted, question):
                continue
            if entity_stems <= context | stems(b.text) | topics[b.passage]:
                said = context | concepts(a.text)
                union = tagged & (said | stems(b.text) | concepts(b.text))
                about = any(run <= titled.get(b.passage, set()) for run in full[id(a)])
                pairs.append((a, b, len(union), len(union - said), about))
    if not pairs:
        return None
    answers = list(dict.fromkeys(p[1].text for p in pairs))
    sims = dict(zip(answers, similarity(answers) if similarity else [0.0] * len(answers)))
    a, b, union, added, _ = max(pairs, key=lambda p: (p[4], p[2], sims[p[1].text], int(best in (p[0], p[1]))))
    if union <= len(covered) or (added == 0 and sims[b.text] < _ANSWER_SIMILARITY):
        return None
    return a, b


def compose(question: str, wanted: AnswerType, best: Evidence, clause: str, pool: Sequence[Evidence],
            own_entities: Sequence[str], similarity: Callable[[Sequence[str]], Sequence[float]] | None = None,
            openings: dict[int, str] | None = None, known: str = "", titles: dict[int, str] | None = None
            ) -> Composed:
    """Short answer + the best sentence, with a companion sentence when the question bridges two facts.
    `known` (the standalone query) names what the conversation is about, which is never the short answer."""
    pair = companion(question, own_entities, wanted, best, pool, similarity, openings, titles)
    if pair is None:
        short = short_answer(question, wanted, clause, exclude=known) or \
            short_answer(question, wanted, best.text, exclude=known)
        return Composed(short, (best,))
    bridge, answer = pair
    short = short_answer(question, wanted, answer.text, exclude=f"{bridge.text} {known}")
    return _Ordered(short, (bridge, answer))


@dataclass(frozen=True)
class _Ordered(Composed):
    """A bridge answer: the short answer comes from the second sentence."""

    @property
    def answer_last(self) -> bool:
        return True


# Comparisons -----------------------------------------------------------------------------------------------

def options(question: str) -> tuple[str, str] | None:
    """The two things a comparison question weighs: "Who is older, Ann Lee or Bob Ray?" -> both names."""
    match = _OPTIONS.search(question)
    if not match:
        return None
    a, b = (re.sub(r"^(the|a|an)\s+", "", match.group(x).strip(), flags=re.I) for x in ("a", "b"))
    return (a, b) if a and b and a.lower() != b.lower() else None


def _value(text: str, ages: bool) -> float | None:
    if ages and (age := _AGE.search(text)):
        return float(re.search(r"\d+", age.group()).group())
    if year := _YEAR.search(text):
        return float(year.group())
    for match in _QUANTITY.finditer(text):
        digits = match.group().replace(",", "")
        try:
            return float(digits)
        except ValueError:
            continue
    return None


def compare(question: str, pool: Sequence[Evidence]) -> Composed | None:
    """Two sentences (one per option, each with a number or year) and the winner as the short answer."""
    pair = options(question)
    if not pair:
        return None
    terms = _question_terms(question)
    found: list[Evidence] = []
    for option in pair:
        words = [stem(w) for w in WORD.findall(option) if stem(w) in content_stems(option)] or \
            [stem(w) for w in WORD.findall(option)]
        about = [e for e in pool if all(w in stems(e.text) for w in words) and _value(e.text, False) is not None]
        if not about:
            return None
        found.append(max(about, key=lambda e: (len(terms & stems(e.text)), -len(e.text))))
    if found[0].text == found[1].text:
        return Composed(None, (found[0],))
    ages = bool(_AGE_WORDS.search(question)) and all(_AGE.search(e.text) for e in found)
    values = [_value(e.text, ages) for e in found]
    winner = None
    if None not in values and values[0] != values[1]:
        smaller_wins = bool(_SMALLER_WINS.search(question)) != ages  # an older person has the larger age
        pick = values.index(min(values) if smaller_wins else max(values))  # type: ignore[type-var]
        winner = pair[pick]
    return Composed(winner, tuple(found))

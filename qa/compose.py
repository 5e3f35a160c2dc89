"""Answers shaped like answers: a short answer, then whole supporting sentences, joining two or three passages when one is not enough."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from qa.answer_types import WH_PHRASE, AnswerType, names_in, offers, wh_nouns
from qa.blocks import LIST_ITEM
from qa.roles import ROLE_ASKING_WORDS
from qa.short_answer import _CALENDAR, _NOT_SURNAMES, _runs, short_answer
from qa.text import QUOTE_ATTRIBUTION, WORD, concepts, content_stems, stem, stems, without_kin

_COVERED_ENOUGH = 0.75  # a sentence sharing this much of the question's words needs no companion
_ANSWER_SIMILARITY = 0.30  # an answer sentence adding no question word must be at least this close in meaning
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
    answered_by: int = 0  # which sentence the short answer comes from, and so what its marker cites
    short_passage: int | None = None  # the passage the marker cites when not that sentence's (a whole name)

    def text(self) -> str:
        body = " ".join(_cited(e.text, e.passage + 1) for e in self.sentences)
        if not self.short:
            return body
        if self.short in ("Yes", "No"):
            return f"{self.short}. {body}"  # a judgement, not a quotation: nothing to cite on its own
        marker = (self.sentences[self.answered_by].passage if self.short_passage is None else self.short_passage) + 1
        return f"{self.short} [{marker}]. {body}"


def _cited(sentence: str, n: int) -> str:
    sentence = sentence.strip()
    if (marker := LIST_ITEM.match(sentence)) and sentence[marker.end():]:
        sentence = sentence[marker.end():]  # "- Added the --dry-run flag." is said without "- "
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]."


def _names(text: str) -> set[str]:
    return {stem(n) for n in names_in(text)}


def _title_names(title: str) -> set[str]:
    """The names a title line gives, its capitalised content words included: "Nintendo" alone opens the line, so
    it reads as no name in running text, yet it is what the article's "It was founded by ..." is about."""
    return _names(title) | ({stem(w) for w in WORD.findall(title) if w[:1].isupper()} & content_stems(title))


def _full_names(text: str, known: set[str]) -> list[set[str]]:
    """Stems of each whole name in `text` (runs of capitalised words) that the question does not already use."""
    out = []
    for start, end in _runs(text):
        words = {stem(w) for w in re.findall(r"\w+", text[start:end]) if w[:1].isupper()} - known
        if words:
            out.append(words)
    return out


_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of|the|and|&|de)?\s*[A-Z][\w'’.-]*)*")


def _related(question: str) -> set[str]:
    """Stems of the first name after each relation phrase: "Third Man" in "the director of The Third Man", which
    the bridge sentence must name; "Besides Tony Wilson, who ..." names someone only the answer sentence does."""
    out: set[str] = set()
    for match in _RELATION.finditer(question):
        if run := _NAME_RUN.search(question, match.end()):
            out |= {stem(w) for w in WORD.findall(run.group())} & content_stems(run.group())
    return out


def _narrowing(question: str) -> set[str]:
    """Stems of the names in a question's which-phrase: "London" in "born in which district of London?"."""
    return {stem(w) for m in WH_PHRASE.finditer(question) for w in WORD.findall(m.group(1)) if w[:1].isupper()}


def _read_pool(pool: Sequence[Evidence], openings: dict[int, str], titles: dict[int, str], known: set[str],
               relation: set[str], asked: set[str] = frozenset()) -> tuple[dict, dict, dict, dict, dict, dict, dict]:
    """What companion() reads of each passage (topic stems, topic names, title stems) and of each sentence (its
    new names, its whole new names, those in a phrase saying the asked relation), computed once; and the numbers
    among the `asked` names that any sentence of a passage says, which a bridge sentence there says too: "the 1975
    film One Flew Over the Cuckoo's Nest" is dated once in its entry, and "Jack Nicholson stars as Randle McMurphy"
    there speaks of that film."""
    numbers = {t for t in asked if t.isdigit()}
    said: dict[int, set[str]] = {e.passage: set() for e in pool}
    for e in pool:
        said[e.passage] |= numbers & set(WORD.findall(e.text))
    return ({e.passage: stems(openings.get(e.passage, "")) for e in pool}, said,
            {p: _title_names(text) - known for p, text in openings.items()},
            {p: stems(title) for p, title in titles.items()},
            {id(e): _names(e.text) - known for e in pool},
            {id(e): _full_names(e.text, known) for e in pool},
            {id(e): _described_names(e.text, known, relation) for e in pool})


def _described_names(text: str, known: set[str], relation: set[str]) -> list[set[str]]:
    """The whole names of `text` in a clause that says one of the question's relation words: in "directed by
    David Lean and based on the novel by Pierre Boulle", the novel's author is Boulle, not Lean."""
    parts = _PHRASE_BREAK.split(text)
    return [names for part in parts if relation & (stems(part) | concepts(part)) for names in _full_names(part, known)]


def _question_terms(question: str) -> set[str]:
    return {t for t in content_stems(question) if t not in _GENERIC}


_PHRASE_BREAK = re.compile(r",\s+|;\s+|\s+(?:and|but|while|whereas)\s+")
_RELATION = re.compile(r"\b(?:the|a|an) (?:\w+ ){0,2}(?:of|who|whom|whose|that|which|where)\b", re.I)


def is_bridge_question(question: str) -> bool:
    """"Which award did the author of X receive?", "the woman who played X": an entity named by its relation."""
    return bool(_RELATION.search(question))


def companion(question: str, own_entities: Sequence[str], wanted: AnswerType, best: Evidence,
              pool: Sequence[Evidence], similarity: Callable[[Sequence[str]], Sequence[float]] | None = None,
              openings: dict[int, str] | None = None, titles: dict[int, str] | None = None, lead_line: str = ""
              ) -> tuple[Evidence, Evidence] | None:
    """(bridge, answer) sentences that together cover more of the question than `best` alone (and, unless the question
    names something by its relation, all `best` covers: "Who is the guarantor on the Flat 3 tenancy?"). The bridge
    sentence's passage names what the question names; it introduces a name (not in the question) that the answer
    sentence, or its passage's topic line, is about: "The novel was written by Orla Finch. / Orla Finch received the
    Harrow Medal." Answer sentences are ranked by the question words they add, then by `similarity` to the question.
    `openings` holds the first line (title) of passages that start a document: what "the novel", "it" and "she" in
    later sentences are about. A pair whose answer passage is the entry titled with the bridge name beats one joined
    by a name both merely mention; then the name in the phrase saying the asked relation wins ("based on the novel by
    Pierre Boulle" for "a novel whose author"). Only tried when `best` lacks a name the question uses, or the question
    names something by its relation and `best` leaves much of it uncovered; `lead_line` (the sentence naming whom
    `best`'s pronoun or quotation means) covers the question with it."""
    terms = _question_terms(question)
    bridge = is_bridge_question(question)
    best_stems = stems(best.text) | stems(lead_line)
    entity_stems = {stem(w) for e in own_entities for w in WORD.findall(e)}
    # The bridge names what the relation is of (see _related), not a name narrowing the asked type (_narrowing).
    required = ((_related(question) & entity_stems) or entity_stems) - _narrowing(question) if bridge else entity_stems
    if not terms or _nothing_to_bridge(question, wanted, best, bridge, entity_stems) or (entity_stems <= best_stems and (len(terms & best_stems) >= _COVERED_ENOUGH * len(terms) or not bridge)
                     ) or (not bridge and entity_stems <= best_stems | stems((titles or {}).get(best.passage, ""))):
        return None  # "The band consists of ... Colin Greenwood (bass)" under "Radiohead": its title names the band
    tagged = terms | concepts(question)  # relations count by meaning: "educated at" answers "where did she study?"
    covered = tagged & (best_stems | concepts(f"{lead_line} {best.text}"))
    # What the answer sentence must add: not the noun the bridge's topic line repeats ("the company that made X").
    asked = tagged - {stem(w) for m in _RELATION.finditer(question) for w in m.group().split()[1:-1]}
    topics, dated, topic_names, titled, names, full, described = _read_pool(
        pool, openings or {}, titles or {}, stems(question), tagged - entity_stems, entity_stems if bridge else set())
    best_names = _names_and_numbers(best.text)
    pairs = []
    for a in pool:
        context, leaning = _context(a, best, topics[a.passage] | dated[a.passage], required, best_names if bridge else None)
        if not names[id(a)] or not required <= (context if bridge else context | best_stems):
            continue
        for b in pool:
            if b.passage == a.passage or not names[id(a)] & (names[id(b)] | topic_names.get(b.passage, set())) or \
                    leaning and required <= topics[b.passage] or bridge and _one_entry(titled, a.passage, b.passage):
                continue
            # About the very one the bridge names ("Ottilie Fenwright" is not "Ottilie Quistorp"), of the asked kind.
            if not any(run <= stems(b.text) | topics[b.passage] for run in full[id(a)]) or \
                    (wanted.kind is not None and wanted.strict and not offers(b.text, wanted, question)):
                continue
            if entity_stems <= context | stems(b.text) | topics[b.passage]:
                said = context | concepts(a.text)
                told = without_kin(b.text, wanted.family == "date")  # "(1895 – 1978)" tells no birthplace
                union = (tagged & said) | (asked & _told(told, wanted))
                about = _entry_about(titled.get(b.passage, set()), full[id(a)])
                near = any(run <= stems(b.text) | topics[b.passage] for run in described[id(a)])
                pairs.append((a, b, len(union), len(union - said), about, near, covered <= union, tagged <= said))
    pairs = _keeping_an_offered_answer(pairs, question, wanted, best, bridge)
    if not pairs:
        return None
    sims = _similarities([p[1].text for p in pairs], similarity)
    a, b, union, added, _, _, keeps, whole = max(pairs, key=lambda p: (p[4], p[2], p[5], sims[p[1].text], int(best in p[:2])))
    # "the drummer Dave Rowntree" under "Blur (band)": the best sentence and its topic say all, no entry is needed
    if union <= len(covered) or (added == 0 and sims[b.text] < _ANSWER_SIMILARITY) or not (bridge or keeps) or (whole and a is best):
        return None
    return a, b


_ROLE_ASKING = frozenset(stem(w) for w in ROLE_ASKING_WORDS.split())


def _told(text: str, wanted: AnswerType) -> set[str]:
    """What a sentence tells, by stem and by meaning; naming an office tells "held what position?" ("was elected Mayor
    of Dunmere"), as the answer kind already asked it to name one."""
    return stems(text) | concepts(text) | (_ROLE_ASKING if wanted.kind == "role" else frozenset())


def _keeping_an_offered_answer(pairs: list[tuple], question: str, wanted: AnswerType, best: Evidence, bridge: bool
                               ) -> list[tuple]:
    """The pairs that keep `best` when it already offers the asked kind and the question bridges nothing."""
    if bridge:
        return pairs
    if wanted.family in ("number", "date") and offers(best.text, wanted, question):
        return [p for p in pairs if best in p[:2]]  # "When did he call Putin?": the best already says when
    # "Which libraries ...?": "The libraries at Hollins Green and Fenby ..." names them; a sentence naming others
    # only leads to it
    if wanted.strict and wanted.kind in ("name", "place") and content_stems(" ".join(wh_nouns(question))) & \
            stems(best.text) and offers(best.text, wanted, question):
        return [p for p in pairs if p[1] is best]
    return pairs


def _similarities(texts: Sequence[str], similarity: Callable[[Sequence[str]], Sequence[float]] | None
                  ) -> dict[str, float]:
    answers = list(dict.fromkeys(texts))
    return dict(zip(answers, similarity(answers) if similarity else [0.0] * len(answers)))


def _names_and_numbers(text: str) -> set[str]:
    """Stems of a sentence's whole names and its numbers ("the 1982 FIFA World Cup"), what a neighbour sentence may
    lean on: "Kingsfold Viaduct", not the "bridge" it is."""
    return set().union(*_full_names(text, set())) | {w for w in WORD.findall(text) if w.isdigit()}


def _context(sentence: Evidence, best: Evidence, topic: set[str], required: set[str], best_names: set[str] | None
             ) -> tuple[set[str], bool]:
    """What a bridge sentence speaks of (its words, its passage's topic line), and whether it leans on `best`: a
    bridge sentence may lean on the best one of its own passage for the whole names that gives ("It was founded by
    James Dyson" after "Its first product was the DC01"), and its answer is then in an entry about someone other
    than what the question names. Only bridge questions lean (`best_names` None otherwise)."""
    context = stems(sentence.text) | topic
    leaning = best_names is not None and sentence.passage == best.passage and not required <= context
    return (context | best_names if leaning else context), leaning


def _one_entry(titled: dict[int, set[str]], first: int, second: int) -> bool:
    """Whether two passages are of one titled entry: a bridge's second hop goes to another entry (the founder's), not
    to a later passage of the bridge's own (the club's); passages without a title are of no known entry."""
    return bool(titled.get(first)) and titled.get(first) == titled.get(second)


def _entry_about(title: set[str], names: Sequence[set[str]]) -> bool:
    """Whether an entry titled `title` is about one of the whole `names`: "Rembrandt" is "Rembrandt van Rijn"."""
    return any(run <= title or (title and title <= run) for run in names)


def compose(question: str, wanted: AnswerType, best: Evidence, clause: str, pool: Sequence[Evidence],
            own_entities: Sequence[str], similarity: Callable[[Sequence[str]], Sequence[float]] | None = None,
            openings: dict[int, str] | None = None, known: str = "", titles: dict[int, str] | None = None,
            lead: Evidence | None = None, names: frozenset[str] = frozenset()) -> Composed:
    """Short answer + the best sentence, with a companion sentence when the question bridges two facts.
    `known` (the standalone query) names what the conversation is about, which is never the short answer.
    `lead` is the sentence naming whom the best one's pronoun means; when the best sentence closes a quotation
    ('..., he wrote on X.') it names the speaker, the short answer to "who ...?". `names` are the passages' names,
    which count even where they open a sentence ("Tobias confirmed ...")."""
    # The sentence before a quotation's closing '..., he wrote' says what the quotation is about.
    quoted = lead.text if lead is not None and QUOTE_ATTRIBUTION.search(best.text) else ""
    # The sentence naming whom the best one's "He" means covers the question with it ("He pleaded guilty to ..."),
    # unless the question bridges two facts, which that sentence may only half say.
    named = lead.text if lead is not None and not is_bridge_question(question) else ""
    topics = {**(openings or {}), **(titles or {})}
    chain = three_hops(question, wanted, pool, topics, {stem(w) for e in own_entities for w in WORD.findall(e)})
    if chain is not None:
        short = short_answer(question, wanted, chain[2].text, exclude=f"{chain[0].text} {chain[1].text} {known}",
                             known=names)
        return Composed(short, chain, answered_by=2)
    # A reason or a manner is said by one sentence and the one after it (see with_what_follows), not by a pair
    # joined through a name ("Cllr Gareth Pell" in the attendee list for "How come Pell didn't vote?").
    pair = companion(question, own_entities, wanted, best, pool, similarity, openings, titles, quoted or named) if \
        wanted.kind not in ("reason", "manner") or is_bridge_question(question) else None
    if pair is None:
        asked = known.split("?", 1)[0]  # the standalone question, without the terms carried for retrieval
        # '"... Massively escalate it," he wrote on X.': who "he" is, the sentence before says (not "X")
        speaker = quoted if wanted.kind == "person" else ""
        # "Marta: Cake – my friend Sofie does wedding cakes now": who makes the cake is said after who says so
        said = _SPEAKER_LABEL.sub("", clause, count=1) if wanted.kind in ("person", "name", "place") else clause
        short = (speaker and short_answer(question, wanted, speaker, exclude=known, standalone=asked, known=names)) or \
            (said != clause and short_answer(question, wanted, said, exclude=known, standalone=asked, known=names)) or \
            short_answer(question, wanted, clause, exclude=known, standalone=asked, known=names) or \
            short_answer(question, wanted, best.text, exclude=known, standalone=asked, known=names)
        return Composed(short, (best,))
    bridge, answer = pair
    short = short_answer(question, wanted, answer.text, exclude=f"{bridge.text} {known}", known=names)
    return Composed(short, (bridge, answer), answered_by=1)


# A chat line's speaker: "Marta: " in "Marta: Cake – my friend Sofie does wedding cakes now."
_SPEAKER_LABEL = re.compile(r"^[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}:[ \t]+(?=\S)")


def _nothing_to_bridge(question: str, wanted: AnswerType, best: Evidence, bridge: bool, entity_stems: set[str]) -> bool:
    """Whether a question shaped like a bridge ("How long does the audio tour of the keeper exhibit take?") names no
    one to bridge through, and `best` already gives the asked kind of answer ("Audio guide: 45 minutes")."""
    return bridge and not entity_stems and wanted.strict and offers(best.text, wanted, question)


def three_hops(question: str, wanted: AnswerType, pool: Sequence[Evidence], topics: dict[int, str],
               entity_stems: set[str]) -> tuple[Evidence, Evidence, Evidence] | None:
    """Three sentences of three entries for a question that names its subject through two relations ("the
    founder of the club whose home ground is Camp Nou"): one naming what the question names and a new name ("...
    the home ground of FC Barcelona"), one of the entry about that name giving another ("... founded by Joan
    Gamper"), and one of the entry about that, of the asked kind, saying what the other two leave unsaid ("He
    was born in Winterthur"). Each hop must land on the entry titled with the name, never on a passage that
    merely mentions it ("Amsterdam"), so documents without titles get no chain."""
    entity_stems = entity_stems - _narrowing(question)  # "Normandy" in "which Normandy village"
    if len(_RELATION.findall(question)) < 2 or not entity_stems:
        return None
    known = stems(question)
    asked = _question_terms(question) | concepts(question)
    entry = {e.passage: stems(topics.get(e.passage, "")) for e in pool}
    runs = {id(e): _full_names(e.text, known) for e in pool}
    found = []
    named = {id(e): set().union(*_full_names(e.text, set())) | entry[e.passage] for e in pool}
    for first in (e for e in pool if entity_stems <= named[id(e)] and runs[id(e)]):  # not "a bridge" for "X Bridge"
        for second in pool:
            if entry[second.passage] == entry[first.passage] or not _entry_about(entry[second.passage], runs[id(first)]):
                continue
            said = stems(first.text) | stems(second.text) | concepts(f"{first.text} {second.text}")
            # Names new to the chain: not the one the second entry is about ("Benchley" in Peter Benchley's).
            onward = [run for run in runs[id(second)] if not run <= named[id(first)] | entry[second.passage]]
            for third in pool:
                if entry[third.passage] in (entry[first.passage], entry[second.passage]) or \
                        not _entry_about(entry[third.passage], onward) or \
                        (wanted.kind is not None and wanted.strict and not offers(third.text, wanted, question)):
                    continue
                if gain := len(asked & (stems(third.text) | concepts(third.text)) - said):
                    found.append((gain, -first.passage, -second.passage, -third.passage, (first, second, third)))
    return max(found, key=lambda item: item[:4])[4] if found else None


def with_full_name(composed: Composed, passages: Sequence) -> Composed:
    """The short answer "Kemi" as the one whole name its document gives her, citing the passage that gives it."""
    source = passages[composed.sentences[composed.answered_by].passage].source
    own = [i for i, p in enumerate(passages) if p.source == source]
    found = full_name(composed.short, [passages[i].chunk.text for i in own])
    if found is None:
        return composed
    name, at = found
    return replace(composed, short=name, short_passage=own[at])


_GIVEN_NAME = re.compile(r"[A-Z][a-z][\w'’-]*")
_SURNAMES = r"(?:[ \t]+(?:(?:van|von|de|da|del|der|du|le|la|ter)[ \t]+)?[A-Z][a-z][\w'’-]*)+"


def full_name(short: str, texts: Sequence[str]) -> tuple[str, int] | None:
    """The one whole name that `short`, a bare given name ("Kemi"), stands for in `texts` ("Kemi Adeyinka (Support
    Lead)" in the attendee list), with the index of the first text that has it; None when it is no bare name or
    the texts name two people so ("Kemi Adeyinka", "Kemi Okoro")."""
    if not _GIVEN_NAME.fullmatch(short):
        return None
    whole: dict[str, int] = {}
    for index, text in enumerate(texts):
        for match in re.finditer(rf"\b{re.escape(short)}{_SURNAMES}", text):
            rest = match.group()[len(short):].split()
            if not any(_CALENDAR.fullmatch(w) or w.lower() in _NOT_SURNAMES for w in rest):
                whole.setdefault(" ".join(match.group().split()[:3]), index)
    return next(iter(whole.items())) if len(whole) == 1 else None

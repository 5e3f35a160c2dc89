"""Second-hop queries: names that the first round's best passages mention near the question's words, but the question does not."""

from __future__ import annotations

import re
from typing import Sequence, TypeVar

from qa.text import WORD, concept, stem, stems

# A name: capitalised words, optionally joined by a few lowercase particles ("Bank of England", "Leonardo da Vinci").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|the|de|da|von|van|del|la|le|&)[ \t]+)*(?:[A-Z]\.(?=[ \t]+[A-Z])|"
                   r"[A-Z][\w'’-]*))*")
# Phrases of a sentence: "directed by Carol Reed and written by Graham Greene" names two people for two relations.
_PHRASE = re.compile(r"[^,;]+?(?=,\s|;\s|\s(?:and|but|while|whereas)\s|$)")
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\b[A-Z])\.(?=[ \t]+[A-Z]))+[.!?]?")  # "Herman J. Mankiewicz" is one
# Capitalised only because they open a sentence or are function words; never a bridge on their own.
_NOT_NAMES = frozenset("""a an the this that these those it its he she his her they their we our you your i in on at
of for to from by with as and or but if when while after before since during also however there here is was were
are be been has have had do does did not no yes one two three many most some such other another each every all
both either neither what which who whom whose where why how then than so because although though later later
early today yesterday january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())

# "starred Anthony Hopkins as Stevens and Emma Thompson as Miss Kenton": the player of a role the question names is
# the bridge, whatever relation words the phrase shares.
_AS_ROLE = re.compile(r"\s+as\s+((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
_ROLE_BONUS = 10

T = TypeVar("T")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def bridge_entities(question: str, passages: Sequence[str], limit: int = 2) -> list[str]:
    """Names in `passages` (best first) the question does not already name, most promising first.

    Names come from the best passage first; within a passage a name scores by how many of the question's
    relation words (content words outside the names it mentions: "architect", "founded") its sentence
    shares, then multi-word names before single words, then by position. A passage's own title is skipped;
    a query with no relation words at all gets no names.
    """
    asked = _words(question)
    named = set().union(*(_words(m.group()) for m in _NAME.finditer(question))) if question else set()
    content = {w for w in asked - named if w not in _NOT_NAMES and len(w) > 2}
    if not content:  # a bare name or keyword ("ATACMS") asks for no relation a second hop could follow
        return []
    relation = _by_meaning({stem(w) for w in content})
    found: dict[str, tuple] = {}
    for p_index, passage in enumerate(passages):
        # A passage's own title names what it is about, not where to go next.
        head = passage.lstrip().split("\n", 1)[0]
        own = _words(head) if "\n" in passage.strip() and len(head.split()) <= 8 else set()
        for s_index, sentence in enumerate(_SENTENCE.finditer(passage)):
            sentence_overlap = len(relation & _by_meaning(stems(sentence.group())))
            for phrase in _PHRASE.finditer(sentence.group()):
                # The phrase saying the asked relation (by meaning too) names the bridge; else the sentence.
                overlap = sentence_overlap + 2 * len(relation & _by_meaning(stems(phrase.group())))
                for match in _NAME.finditer(phrase.group()):
                    name = _trim(match.group())
                    words = _words(name)
                    if not name or words <= asked or (own and words <= own) or all(w in _NOT_NAMES for w in words):
                        continue
                    key = name.lower()
                    role = _AS_ROLE.match(phrase.group(), match.end())
                    if role and _words(role.group(1)) <= named:  # "Emma Thompson as Miss Kenton": who played her
                        overlap += _ROLE_BONUS
                    rank = (p_index, -overlap, -min(len(words), 3), s_index, phrase.start() + match.start())
                    if key not in found or rank < found[key][0]:
                        found[key] = (rank, name)
    return [name for _, name in sorted(found.values())[:limit]]


def _by_meaning(stems_: set[str]) -> set[str]:
    """Stems with each relation word replaced by its relation: "director" and "directed" count once, as one."""
    return {concept(s) or s for s in stems_}


def _trim(name: str) -> str:
    """Drop leading words that are capitalised only because they open the sentence ("The", "In", "It")."""
    parts = name.split()
    while parts and parts[0].lower() in _NOT_NAMES:
        parts.pop(0)
    while parts and parts[-1].lower() in _NOT_NAMES:
        parts.pop()
    return " ".join(parts)


def fuse_rounds(rounds: Sequence[Sequence[T]], weights: Sequence[float], key, k: int) -> list[tuple[T, float]]:
    """Each item keeps its best weighted reciprocal rank over the rounds; earlier rounds win ties.

    Not RRF's sum: the rounds share the question's words, so generic passages (every biography matches
    "born") turn up in all of them and a sum would rank them above the one passage only the bridge name finds.
    """
    table: dict[str, list] = {}
    for order, (items, weight) in enumerate(zip(rounds, weights)):
        for rank, item in enumerate(items, 1):
            score = weight / (k + rank)
            entry = table.get(key(item))
            if entry is None or score > entry[1]:  # the round that ranks it best decides ties
                table[key(item)] = [item if entry is None else entry[0], score, order]
    ranked = sorted(table.values(), key=lambda e: (-e[1], e[2]))
    return [(item, score) for item, score, _ in ranked]


def second_hop_query(question: str, name: str) -> str:
    """The bridge name plus what the question asks about it: the names the question already has are left
    out, since they brought back round one's passages and would drown the new name."""
    rest = _NAME.sub(" ", question)
    return " ".join(f"{name} {rest}".split())

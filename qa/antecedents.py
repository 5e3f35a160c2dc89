"""Which earlier mention a pronoun or "the company" points at: the most recent of a compatible kind, one that can act,
or owns, or one with the described head word."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from qa.lexicon import AGENT_VERBS, ARTEFACT_NOUNS, GROUP_NOUNS, KIND_NOUNS, PERSON_NOUNS, PLACE_WORDS
from qa.mention import Mention
from qa.name_kinds import is_plural

_COMPATIBLE = {
    "person": ("person",),
    "plural": ("plural", "group"),
    "thing": ("thing", "group", "place"),  # "it" is never the missiles
    "place": ("place",),
    "group": ("group", "plural"),
}


def antecedent(pool: Sequence[Mention], wanted: str, exclude: Sequence[str] = (), gender: str = "") -> Mention | None:
    """The most recent type-compatible mention; within one turn one of the asked gender, then the first (the
    subject) wins. A person of the other gender is never the antecedent."""
    kinds = _COMPATIBLE[wanted]
    best: Mention | None = None
    for rank, kind in enumerate(kinds):
        found = [m for m in pool if m.kind == kind and m.text.lower() not in exclude
                 and not (gender and m.gender and m.gender != gender)]
        if not found:
            continue
        candidate = max(found, key=lambda m: (m.turn, bool(gender) and m.gender == gender, m.strong, -m.position))
        # A compatible kind listed later only wins when it is more recent than the preferred one.
        if best is None or candidate.turn > best.turn:
            best = candidate
        if rank == 0 and not best.common:  # "the command line" two turns back is not what "it" means after "PYTEST_TIMEOUT"
            break
    return best


def bare_name(pool: Sequence[Mention], exclude: Sequence[str]) -> Mention | None:
    """What "he" points at when no one was surely a person: the latest plain capitalised name ("What did Trump
    pledge?" names Trump by surname only, which reads as no more than a thing)."""
    found = [m for m in pool if m.kind == "thing" and not m.definite and not m.strong and m.text[:1].isupper() and not m.noun
             and not m.text.isupper() and len(m.text.split()) <= 3 and m.text.lower() not in exclude]
    # "Is Dev a vegetarian?" "... a vegetarian Wellington ..., so Dev is safe": the name both turns use
    again = {m.text for m in found if any(o.text == m.text and o.turn != m.turn for o in found)}
    return max(found, key=lambda m: (m.turn, m.text in again, -m.position)) if found else None


def organisation(pool: Sequence[Mention], exclude: Sequence[str]) -> Mention | None:
    """What "their spokesperson" points at: the latest group, or a name not surely a person ("Green Riverton");
    within a turn, a group the conversation said what it is ("Radiohead are an English rock band") first."""
    surely_people = {m.text for m in pool if m.kind == "person" and (m.strong or m.gender)}  # "Stefan Kowalczyk"
    found = [m for m in pool if (m.kind == "group" or (m.kind == "person" and m.text not in surely_people))
             and m.text.lower() not in exclude]
    return max(found, key=lambda m: (m.turn, bool(m.noun), -m.position)) if found else None


AGENT = re.compile(r"\s*(?:(?:can|could|will|would|should|must|might|may|do|does|did|have|has|had)\s+(?:not\s+)?)*"
                   rf"(?:{'|'.join(sorted(AGENT_VERBS))})\b", re.I)


def people(pool: Sequence[Mention], exclude: Sequence[str]) -> Mention | None:
    """The latest plural mention that can act: "the residents", "councillors" (people nouns, -ers, -ists)."""
    found = [m for m in pool if m.kind == "plural" and m.text.lower() not in exclude and
             (m.text.split()[-1].lower().rstrip("s") in PERSON_NOUNS or re.search(r"(?:er|or|ist|ian|ent|ant)s$", m.text))]
    return max(found, key=lambda m: (m.turn, -m.position)) if found else None


def latest(pool: Sequence[Mention], kinds: Sequence[str], exclude: Sequence[str]) -> Mention | None:
    found = [m for m in pool if m.kind in kinds and m.text.lower() not in exclude]
    return max(found, key=lambda m: (m.turn, m.strong, -m.position)) if found else None


# "there" after these, or before these, is existential ("is there a release?", "there are two"), not a place.
_EXISTENTIAL_BEFORE = frozenset("is are was were be been being 's isn't aren't wasn't weren't".split())
_EXISTENTIAL_AFTER = frozenset("is are was were be been will would could should has have had 's seem seems "
                               "exist exists remain remains".split())


def locative(tokens: Sequence[str], i: int) -> bool:
    before = next((t.lower() for t in reversed(tokens[:i]) if t.strip() and re.match(r"\w", t)), "")
    after = next((t.lower() for t in tokens[i + 1:] if t.strip() and re.match(r"\w", t)), "")
    return before not in _EXISTENTIAL_BEFORE and after not in _EXISTENTIAL_AFTER


def locative_preposition(ref: Mention) -> str:
    """"in Kursk", "in the Donetsk region", but "at Corran Polytechnic", "at the Python Software Foundation"."""
    words = ref.text.lower().split()
    return "in" if ref.kind == "place" and (len(words) == 1 or any(w in PLACE_WORDS for w in words)) else "at"


def described(noun: str, pool: Sequence[Mention], own: Sequence[str]) -> Mention | None:
    """What "the missiles", "the company", "the woman" points at: a mention with that head word, else
    for a category noun the latest mention of that type."""
    low = noun.lower()
    stem = low[:-1] if is_plural(low) else low
    headed = [m for m in pool if m.text.lower().split()[-1].rstrip("s") == stem.rstrip("s")
              and len(m.text.split()) > 1 and m.text.lower() not in own]
    headed = headed or [m for m in pool if m.noun == stem and m.text.lower() not in own]  # "Jaws is a ... film"
    if headed:
        return max(headed, key=lambda m: (m.turn, -m.position))
    if low in KIND_NOUNS:  # "that package" after "tzdata": the latest thing, kept with its kind noun
        ref = antecedent(pool, "thing", own)
        kept = ref.text if ref and ref.text.lower().endswith(low) else f"{ref.text} {low}" if ref else ""  # not "json.tool tool"
        return Mention(kept, "thing", ref.turn, ref.position, ref.strong, True) if ref else None
    if low in ARTEFACT_NOUNS:  # "the machine" after "the DH-20's tank": the product the conversation opened with,
        named = [m for m in pool if m.kind == "thing" and not m.common and m.text.lower() not in own  # not the
                 and any(c.isupper() or c.isdigit() for c in m.text[1:])]  # "E2" code or the "Defrost" mode said since
        return min(named, key=lambda m: (m.turn, m.position)) if named else None
    if low in PERSON_NOUNS:
        return antecedent(pool, "person", own)
    if low in GROUP_NOUNS:
        # "the company" is a named group, never "closures" or "Christmas"
        ref = antecedent([m for m in pool if m.noun in ("", stem) and m.kind == "group"], "group", own)
        # "the team" after "the QA lead": the QA team, not "the QA"
        return replace(ref, text=f"{ref.text} {low}", definite=True) if ref and ref.text.isupper() and len(ref.text) <= 5 else ref
    return None

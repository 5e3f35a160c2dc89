"""Where a name written in capitals starts and ends in a run of words: "Eric S. Raymond", "Sed & Awk", "Duke of
York", "the Glass and Fire exhibition", not "Maren Solvik's PhD thesis"."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Sequence

from qa.lexicon import ARTEFACT_NOUNS, NAMED_HEADS, NOT_NAMES, ORG_WORDS, PLACE_WORDS
from qa.mention import Mention
from qa.name_kinds import is_plural
from qa.text import QUESTION_WORDS, STOPWORDS
from qa.versions import VERSION


def capitalised(word: str) -> bool:
    """Whether a word may be part of a name: capitalised, and no stop word or question word ("What's")."""
    low = word.lower().removesuffix("'s").removesuffix("’s")  # "What's" opens a question
    return word[:1].isupper() and low not in STOPWORDS and low not in QUESTION_WORDS and low not in NOT_NAMES


def run_end(words: Sequence[str], gaps: Sequence[str], i: int) -> int:
    """The last word of the name starting at `i`: a name stops at punctuation ("Raymond's, ESR") and takes in
    initials ("Eric S. Raymond"), "&" ("Sed & Awk"), bracketed aliases and particles ("Duke of York")."""
    j = i
    while j + 1 < len(words):
        initial = len(words[j]) == 1 and words[j].isupper() and gaps[j + 1] == "."
        if gaps[j + 1].strip("()") not in ("", "&") and not initial:  # "INET (IPv4)": an alias in brackets
            break
        nxt = words[j + 1].rstrip(".")
        particle = (nxt.lower() in ("of", "de", "van", "von", "al", "bin") or nxt == "and" and _titled_pair(words, i, j)) \
            and j + 2 < len(words) and not gaps[j + 2] and capitalised(words[j + 2])
        # "Tallyo 3.0", "Python 3.11": the version is part of the name
        if not (capitalised(nxt) or (len(nxt) == 1 and nxt.isupper()) or particle or VERSION.fullmatch(nxt)):
            break
        if words[j].endswith(("'s", "’s")) and _modifier_after_possessive(words[j + 1:]):
            break  # "Maren Solvik's PhD thesis": her name ends at the possessive; not "Monty Python's Flying Circus"
        j += 1
    return j


def _titled_pair(words: Sequence[str], i: int, j: int) -> bool:
    """"the Glass and Fire exhibition": two capitalised words joined by "and" after "the" and before a noun are one
    title (not "the UK and France signed", nor "Ana and Jonah")."""
    after = words[j + 3] if j + 3 < len(words) else ""
    return i > 0 and words[i - 1].lower() == "the" and j == i and after[:1].islower() and \
        after.lower() not in STOPWORDS and not after.endswith("ed")


def _modifier_after_possessive(words: Sequence[str]) -> bool:
    """One capitalised word then a lowercase noun ("PhD thesis"), not a title or a body ("St Anne's Primary School")."""
    run = list(itertools.takewhile(lambda w: capitalised(w.rstrip(".")), words))
    return len(run) == 1 and not run[0].endswith(".") and len(words) > 1 and words[1][:1].islower() and \
        run[0].lower() not in ORG_WORDS | PLACE_WORDS


def joined_titles(found: list[Mention], titles: set[str]) -> list[Mention]:
    """`found` with "Glass" and "Fire" one mention again where the conversation has named "the Glass and Fire
    exhibition" ("Glass and Fire has been curated by ..." says it without "the")."""
    out: list[Mention] = []
    for mention in found:
        last = out[-1] if out else None
        title = f"{last.text} and {mention.text}" if last and last.turn == mention.turn else ""
        if title in titles:
            out[-1] = replace(last, text=title, kind="thing")
        else:
            out.append(mention)
    return out


def row_label(words: Sequence[str], gaps: Sequence[str], i: int, j: int) -> bool:
    """Whether words[i..j] is an infobox row's label ("| Location | Wexcombe Road |"), no name; a data row's first
    cell ("| Kerry | 12 |") is one."""
    return i == j and words[i].lower() in _INFOBOX_LABELS and j + 1 < len(gaps) and gaps[j + 1].startswith("|") and \
        "|" in gaps[i]


_INFOBOX_LABELS = frozenset("location address founded founder established opened built closed type status website phone "
                            "email owner capacity area population genre country region director height headquarters "
                            "industry revenue employees staff services funding affiliation patron architect style cost "
                            "venue price duration beds chair chairman president born died nationality occupation".split())


def with_head(name: str, run: Sequence[str], words: Sequence[str], gaps: Sequence[str], j: int) -> tuple[str, str] | None:
    """A name and the common noun after it that it is the modifier of, and the kind of that: "ATACMS missiles"
    (plural), "the Fennick Lane footbridge" (a thing); None when the next word is no such noun."""
    after = words[j + 1] if j + 1 < len(words) else ""
    after2 = words[j + 2].lower() if j + 2 < len(words) else ""
    if not after.islower() or gaps[j + 1]:
        return None
    if not (is_plural(run[-1]) and not run[-1].isupper()) and is_plural(after) \
            and after2 not in ("the", "a", "an", "its", "their", "his", "her", "to", "that"):
        return f"{name} {after}", "plural"
    if after in NAMED_HEADS | ARTEFACT_NOUNS | (PLACE_WORDS - {"state"}) and after2 not in NAMED_HEADS | PLACE_WORDS:
        return f"{name} {after}", "place" if after in PLACE_WORDS else "thing"
    return None

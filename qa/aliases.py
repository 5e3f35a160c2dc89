"""Other names a text gives someone ("Margaret Ashdown, known to everyone as Peggy"), so that a sentence naming the
asked one by another name offers no new person."""

from __future__ import annotations

import re
from typing import Iterable

_NAME = r"[A-Z](?:\.|[\w'’-]*)"  # "J." is an initial; "January." ends a sentence
_RUN = rf"{_NAME}(?:\s+{_NAME}){{0,3}}"
# "Margaret Ashdown, known to everyone as Peggy", "William Gates, better known as Bill", "Jo Lind (known as 'JJ')"
_KNOWN_AS = re.compile(rf"({_RUN}),?\s+\(?(?:(?:better|widely|commonly|affectionately|universally|also)\s+)?"
                       rf"(?:known|called|nicknamed)\s+(?:(?:to|by)\s+(?:\w+\s+){{0,2}}?)?as\s+[\"“'‘]?({_RUN})")
# 'Margaret "Peggy" Ashdown': the nickname between the given name and the surname
_QUOTED = re.compile(rf"({_NAME})\s+[\"“‘']({_NAME})[\"”’']\s+({_NAME})")
# "Peggy was born Margaret Ellen Pryce", "Jane Doe (née Smith)"
_BORN = re.compile(rf"({_RUN}),?\s+\(?(?:was\s+born|née|nee)\s+({_RUN})")


def alias_pairs(text: str) -> list[tuple[str, str]]:
    """Pairs of names the text says are one person, each a run of capitalised words."""
    pairs = [(m.group(1), m.group(2)) for pattern in (_KNOWN_AS, _BORN) for m in pattern.finditer(text)]
    for m in _QUOTED.finditer(text):
        given, nickname, surname = m.groups()
        pairs += [(f"{given} {surname}", nickname), (f"{given} {surname}", f"{nickname} {surname}")]
    return pairs


def aliases_of(names: Iterable[str], texts: Iterable[str]) -> dict[str, str]:
    """The other names the texts give anyone among `names` (words of the question, case-insensitive), each with
    the name it stands for."""
    asked = {n.lower() for n in names}
    found: dict[str, str] = {}
    for text in texts:
        for one, other in alias_pairs(text):
            for name, alias in ((one, other), (other, one)):
                if {w.lower() for w in name.split()} & asked and not {w.lower() for w in alias.split()} <= asked:
                    found.setdefault(alias, name)
    return found


def unaliased(text: str, aliases: dict[str, str]) -> str:
    """The text with each alias written as the name it stands for, longest alias first."""
    for alias in sorted(aliases, key=len, reverse=True):
        text = re.sub(rf"(?<![\w'’-]){re.escape(alias)}(?![\w'’-])", aliases[alias], text)
    return text

"""The clause a cue opens ("because …", "by …"): a short answer to "why" or "how"."""

from __future__ import annotations

import re

MANNER = re.compile(r"\b(by|using|through|via|with the help of)\s+", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?]\s|[.!?]$|\s[—–]\s")


def clause_from(text: str, cue: re.Pattern[str]) -> str | None:
    """The clause of `text` that `cue` opens ("because of missing postcodes"), or None when it is one word."""
    match = cue.search(text)
    if not match:
        return None
    rest, start = text[match.start():], 0
    end = _CLAUSE_END.search(rest)
    # "because our payment provider, Paybridge, gave us ...", "because Flats 1, 2 and 3 share ...": a comma
    # before the verb of "because" is inside the clause, not its end
    while end and rest[end.start()] == "," and _verbless_because(rest[: end.start()]):
        start = end.end()
        end = _CLAUSE_END.search(rest, start)
    phrase = rest[: end.start() + (1 if end and rest[end.start()] in ".!?" else 0)] if end else rest
    phrase = phrase.strip().rstrip(".,;:")
    return phrase if len(phrase.split()) >= 2 else None


_FINITE = frozenset("is are was were has have had do does did can could will would should may might must "
                    "isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't can't couldn't won't".split())


def _verbless_because(piece: str) -> bool:
    words = piece.split()
    if not words or words[0].lower() != "because" or (len(words) > 1 and words[1].lower() == "of"):
        return False
    return not any(w.lower() in _FINITE or w.lower().endswith("ed") or
                   (w.endswith("s") and i > 1 and words[i - 1][:1].islower()) for i, w in enumerate(words[1:], 1))

"""Finds which of the things listed just before a follow-up's "the first one" or "the latter" picks."""

from __future__ import annotations

import re
from typing import Sequence

from qa.text import CITATION_MARKERS

# "the first one", "the second of them", "the latter", "the former?": a pick from a list said just before. "The
# first version" or "the former president" is an ordinary description, so a bare "former"/"latter" only counts
# before a verb or the question's end.
_PICK = re.compile(r"\bthe\s+(?:(?P<nth>first|second|third|last)\s+(?:one\b|of\s+(?:them|those|these|the\s+\w+)\b)|"
                   r"(?P<side>former|latter)(?:\s+one\b|(?=\s*[?.,!]|\s*$|\s+(?:is|was|are|were|has|had|have|did|does|"
                   r"do|can|could|will|would|should|come|came|get|got)\b)))", re.I)
_INDEX = {"first": 0, "former": 0, "second": 1, "third": 2, "last": -1, "latter": -1}
_MAX_ITEM_WORDS = 6  # a longer item is a clause, not a thing one can point at as "the first one"
_LIST_SPLIT = re.compile(r"\s*(?:,\s+(?:and|or)\s+|,\s+|;\s*|\s+and\s+|\s+or\s+)\s*")
_DAY_COMMA_YEAR = re.compile(r"(\d{1,2}),\s+(\d{4})\b")  # "October 16, 2000" is one date
_CLAUSE_WORD = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|did|does|do|will|would|can|could)\b|"
                          r"^(?:which|who|whose|that|where|when|later|then|but|so|though|although|while)\b", re.I)
# "Which came out first, 1.6final or 2.0beta1?", "… between X and Y?": the two things compared
_CHOICE = re.compile(r",\s*([^,?]+?)\s+or\s+([^,?]+?)\s*\?|\bbetween\s+(.+?)\s+and\s+(.+?)\s*\?", re.I)


def listed_items(answer: str) -> list[str]:
    """The things a short answer lists ("RFC 7159 and ECMA-404." -> RFC 7159, ECMA-404); [] for no list."""
    text = CITATION_MARKERS.sub("", answer).strip()
    text = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(" .!")
    text = _DAY_COMMA_YEAR.sub(r"\1 \2", re.sub(r"^(?:yes|no|both|neither)\b[\s:,;—–-]*", "", text, flags=re.I))
    items = [i.strip(" \"'“”") for i in _LIST_SPLIT.split(text) if i.strip(" \"'“”")]
    if len(items) < 2 or any(len(i.split()) > _MAX_ITEM_WORDS or _CLAUSE_WORD.search(i) for i in items):
        return []
    return items


def compared_items(question: str) -> list[str]:
    """The two things a question chooses between ("Which is older, X or Y?" -> X, Y); [] when it names none."""
    found = _CHOICE.search(question)
    if not found:
        return []
    return [g.strip() for g in found.groups() if g]


def resolve_ordinal(question: str, history: Sequence[dict[str, str]]) -> str | None:
    """The question with "the first one" / "the latter" replaced by the item it picks from the last answer's list,
    or else from the things the last question compared; None when it picks nothing or there is no list."""
    found = _PICK.search(question)
    if not found:
        return None
    answer = next((m.get("content", "") for m in reversed(history) if m.get("role") == "assistant"), "")
    asked = next((m.get("content", "") for m in reversed(history) if m.get("role") == "user"), "")
    items = listed_items(answer) or compared_items(asked)
    index = _INDEX[(found.group("nth") or found.group("side")).lower()]
    if len(items) < 2 or index >= len(items):
        return None
    return f"{question[:found.start()]}{items[index]}{question[found.end():]}"

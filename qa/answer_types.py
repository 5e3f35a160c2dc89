"""What kind of answer a question wants (number, person, date, place) and whether a text offers one."""

from __future__ import annotations

import re

_NUMBER_Q = re.compile(
    r"\b(how (many|much|far|long|old|big|large|high|fast|often)|what (is|was|are) (the|its|their|his|her) (range|"
    r"distance|number|size|cost|price|amount|percentage|share|total)|what range|range of|range (do|does|did)|(its|their) range|what percentage|number of|"
    r"how many)\b", re.I)
_DATE_Q = re.compile(r"\b(when|what (year|month|day|date)|which (year|month|day)|since when)\b", re.I)
_PERSON_Q = re.compile(r"\b(who|whom|whose|which (person|official|leader|president|minister|secretary))\b", re.I)
_PLACE_Q = re.compile(r"\b(where|which (country|region|city|place|area))\b", re.I)

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                     r"hundred|thousand|million|billion|dozen|several)\b", re.I)
_MONTHS = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(rf"\b{_MONTHS}\b|\b(1[89]|20)\d\d\b|\b(yesterday|today|last (night|week|month|year)|"
                   r"(this|next|last) (week|month|year)|weeks? (before|after|ago)|months? (before|after|ago)|"
                   r"earlier this \w+)\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:Mr|Mrs|Ms|Dr|Sir|President|Prime Minister)?\s?[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")


def expected_type(question: str) -> str | None:
    """number, date, person, place or None (open question)."""
    if _DATE_Q.search(question):
        return "date"
    if _NUMBER_Q.search(question):
        return "number"
    if _PERSON_Q.search(question):
        return "person"
    if _PLACE_Q.search(question):
        return "place"
    return None


def offers_type(text: str, kind: str | None) -> bool:
    """Whether `text` contains something of the wanted kind (True for open questions)."""
    match kind:
        case None:
            return True
        case "number":
            return bool(_NUMBER.search(text))
        case "date":
            return bool(_DATE.search(text))
        case "person" | "place":
            return bool(_NAME.search(text)) or sum(1 for w in text.split()[1:] if w[:1].isupper()) >= 1
        case _:
            return True

"""What says an age: one person's ("Graham Pell, 55,", "at the age of 53") or, for several people, a range; and
the date of a birth or death asked."""

from __future__ import annotations

import re

from qa.text import LIFESPAN, concepts

AGE = re.compile(r"\b\d{1,3}[\s-]years?[\s-]old\b|\baged?\s+\d{1,3}\b|"
                 r"\bage\s+of\s+\d{1,3}\b|\b\d{1,3}-year-old\b|"
                 r"(?-i:(?<=[a-z\x00]{2}, )\d{1,2}(?=,\s+(?:said|says|told|who|is|was|has|had|[a-z]+ed)\b))|"
                 r"(?-i:(?<=[A-Z]{2}, )\d{1,2}(?=, (?:[A-Z]{2,}S|[A-Z]{2,}ED|IS|WAS|HAS|WINS|WON)\b))",
                 re.I)  # and "Graham Pell, 55, admitted", and a headline's "ROURKE, 17, ENDS 19-YEAR WAIT"

# "people aged between 40 and 75" are the ages of many: they answer "How old were they?", never "How old is she?"
AGE_RANGE = re.compile(r"\baged\s+(?:between\s+\d{1,3}\s+and|from\s+\d{1,3}\s+to|over|under)\s+\d{1,3}\b", re.I)
AGES = re.compile(f"{AGE_RANGE.pattern}|{AGE.pattern}", re.I)
_PLURAL_Q = re.compile(r"\b(?:are|were)\b", re.I)


def age_pattern(question: str) -> re.Pattern[str]:
    """What says the asked age: one person's, or for a question about several ("How old were they?") a range too."""
    return AGES if _PLURAL_Q.search(question) else AGE


def life_date(question: str, text: str) -> str | None:
    """The birth or death date `question` asks for, from a lifespan in `text` ("(1935 – 2001)"), or None."""
    life, asked = LIFESPAN.search(text), concepts(question)
    if life is None or ("~birth" in asked) == ("~death" in asked):
        return None
    return life.group(1 if "~birth" in asked else 2).strip()

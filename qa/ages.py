"""What says an age: one person's ("Graham Pell, 55,", "at the age of 53") or, for several people, a range."""

from __future__ import annotations

import re

AGE = re.compile(r"\b\d{1,3}[\s-]years?[\s-]old\b|\baged?\s+\d{1,3}\b|"
                 r"\bage\s+of\s+\d{1,3}\b|\b\d{1,3}-year-old\b|"
                 r"(?-i:(?<=[a-z\x00]{2}, )\d{1,2}(?=,\s+(?:said|says|told|who|is|was|has|had|[a-z]+ed)\b))",
                 re.I)  # and "Graham Pell, 55, admitted"

# "people aged between 40 and 75" are the ages of many: they answer "How old were they?", never "How old is she?"
AGE_RANGE = re.compile(r"\baged\s+(?:between\s+\d{1,3}\s+and|from\s+\d{1,3}\s+to|over|under)\s+\d{1,3}\b", re.I)
AGES = re.compile(f"{AGE_RANGE.pattern}|{AGE.pattern}", re.I)
_PLURAL_Q = re.compile(r"\b(?:are|were)\b", re.I)


def age_pattern(question: str) -> re.Pattern[str]:
    """What says the asked age: one person's, or for a question about several ("How old were they?") a range too."""
    return AGES if _PLURAL_Q.search(question) else AGE

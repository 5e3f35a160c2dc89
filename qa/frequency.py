"""How often something happens, as a text writes it ("once an hour", "two mornings a week", "every Tuesday")."""

from __future__ import annotations

import re

_TIMES = r"(?:once|twice|thrice|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+times)"
_UNIT = r"(?:second|minute|hour|day|night|morning|afternoon|evening|week|weekend|fortnight|month|quarter|term|season|year)"
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weeknight)"
_COUNTED = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+" + _UNIT + r"s"
FREQUENCY = re.compile(
    rf"\b(?:{_TIMES}|{_COUNTED})\s+(?:a|an|per|each|every)\s+(?:\w+\s+)?{_UNIT}\b|"  # "once an hour", "two mornings a week"
    rf"\b(?:every|each)\s+(?:(?:\d+|other|few|two|three|four|five|six|ten|single)[\s-]+)?(?:{_UNIT}|{_DAYS})s?\b|"
    rf"\b(?:on\s+)?{_DAYS}s\b|"  # "on Tuesdays"
    r"\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually|biannually|twice-(?:weekly|"
    r"daily|monthly|yearly))\b", re.I)
FREQUENCY_Q = re.compile(r"\bhow\s+(?:often|frequently|regularly)\b|\bhow many times\s+(?:a|an|per|each|every)\b|"
                         r"\bwhat\s+(?:is|was|'s)\s+the\s+(?:frequency|schedule)\b|\bat what intervals?\b", re.I)

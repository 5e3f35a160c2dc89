"""A typed mention of a conversation turn: what "he", "it", "they" and "the company" may point at."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word of a turn: names keep inner dots, hyphens and apostrophes ("U.S.", "O'Neill"), calls keep "()".
WORD_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.-]*[\w](?:\(\))?|[A-Za-z0-9](?:\(\))?")


@dataclass(frozen=True)
class Mention:
    """Something a turn names: a name, a plural thing ("ATACMS missiles") or a thing; `turn` grows with recency."""

    text: str
    kind: str  # person | group | place | plural | thing
    turn: int
    position: int
    strong: bool = False  # typed by a title, a speech verb, "by X" or as the answer to a "who" question
    definite: bool = False  # written "the Harbour Choir"
    gender: str = ""  # "m" or "f" when a title, a noun or a first name says so ("Ms Markovic", "her grandfather")
    noun: str = ""  # what the question it answers called it ("Which group claimed it?": group, so not "the company")
    actor: bool = False  # an organisation answering "who" ("Who paid?" "The Halden Foundation."): "they", not "it"
    common: bool = False  # named by common nouns after "the" ("the planning meeting"), not by a name

    @property
    def spoken(self) -> str:
        return f"the {self.text}" if self.definite else self.text

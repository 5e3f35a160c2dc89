"""The noun phrases a question names with "the" ("the rent", "the new hub"), which "it" may point at next."""

from __future__ import annotations

import re
from typing import Sequence

from qa.lexicon import AGENT_VERBS, PERSON_NOUNS
from qa.name_kinds import is_plural
from qa.text import QUESTION_WORDS, STOPWORDS

# Verbs a question goes on with after its noun phrase ("When does the tenancy start?", "Did the council buy it?").
_QUESTION_VERBS = AGENT_VERBS | frozenset(
    "due open close start end cost run come go begin take need paid made built sold opened closed started ended lead "
    "launch arrive leave change move finish work play join win lose grow fall rise stand include mean happen happens "
    "get got make say tell".split())
_ADJECTIVE = re.compile(r"(?:ful|ous|ive|able|ible|al|ic|ar|less|ent|ant|ed)$")  # "Was the decision popular?"


def asked_thing(words: Sequence[str], gaps: Sequence[str], i: int) -> tuple[str, int] | None:
    """The singular noun phrase a question names after "the" at words[i - 1] ("the rent", "the new hub", "the
    status report"), and the index of its last word; not a person ("the landlord"), nor part of an of-phrase."""
    if i == 0 or words[i - 1].lower() != "the" or gaps[i]:
        return None
    end = i
    if i + 1 < len(words) and not gaps[i + 1] and _thing_word(words[i]) and _thing_word(words[i + 1]) and not (
            i + 2 == len(words) and _ADJECTIVE.search(words[i + 1])):
        end = i + 1
    after = words[end + 1].lower() if end + 1 < len(words) else ""
    head = words[end]
    if not _thing_word(head) or is_plural(head) or head in PERSON_NOUNS or after == "of":
        return None
    return " ".join(words[i:end + 1]), end


def _thing_word(word: str) -> bool:
    return word.isalpha() and word.islower() and word not in STOPWORDS | QUESTION_WORDS | _QUESTION_VERBS

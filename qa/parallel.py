"""A follow-up that repeats the last question's verb about "they" or "it" ("Why won't the club's Sunday rides stop at
the tearooms?" -> "Where will they stop instead?"): the pronoun is that verb's subject there."""

from __future__ import annotations

import re

from qa.name_kinds import is_plural

_AUX = (r"(?:will|would|won['’]t|wouldn['’]t|did|didn['’]t|does|doesn['’]t|do|don['’]t|can|can['’]t|cannot|could|"
        r"couldn['’]t|should|shall|is|isn['’]t|are|aren['’]t|was|wasn['’]t|were|weren['’]t|has|hasn['’]t|have|"
        r"haven['’]t|had|hadn['’]t|must|may|might)")
_PRONOUN_SUBJECT = re.compile(rf"^\W*(?:and\s+|so\s+)?(?:why|when|where|how|what|who|which)(?:\s+\w+)?\s+{_AUX}\s+"
                              r"(they|it)\s+([a-z]+)\b", re.I)
_DETERMINERS = r"(?:the|our|their|its|this|that|these|those|your|my)"
_MAX_SUBJECT_WORDS = 6


def same_verb_subject(question: str, previous: str) -> str | None:
    """The question with its subject pronoun replaced by what the previous question said did the same verb, or
    None when the previous question has no such subject: a noun phrase right between an auxiliary and the verb."""
    asked = _PRONOUN_SUBJECT.match(question)
    if not asked:
        return None
    pronoun, verb = asked.group(1), asked.group(2)
    found = re.search(rf"\b{_AUX}(?:\s+not)?\s+({_DETERMINERS}\s+[^?,;]+?)\s+{re.escape(verb)}\b", previous, re.I)
    if not found or len(found.group(1).split()) > _MAX_SUBJECT_WORDS:
        return None
    subject = found.group(1)
    if is_plural(subject.split()[-1].lower()) != (pronoun.lower() == "they"):
        return None  # "they" is no "the bridge"; "it" is no "the rides"
    return f"{question[:asked.start(1)]}{subject[0].lower()}{subject[1:]}{question[asked.end(1):]}"

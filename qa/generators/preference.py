"""Which of the extractive answerer's best few choices goes first (the chain of reorderings), and the namings the
cross-encoder misses inside a long line ("as the ferry, the MV Saint Odhran, carries", "Bernard Okonjo (Chair)")."""

from __future__ import annotations

import re
from typing import TypeVar

from qa.generate import GenerationRequest, wanted_answer
from qa.generators.typed import (by_the_agent_first, by_the_stated_cause_first, naming_the_asked_token_first,
                                 the_asked_end_of_the_leg_first, the_row_saying_the_asked_relation_first)
from qa.name_kinds import labels_as

_Choice = TypeVar("_Choice", bound=tuple)  # (span, evidence, score)
_RUNNERS_UP = 3  # how far down the choices a runner-up saying what the first does not is looked for


def preferred_order(request: GenerationRequest, choices: list[_Choice], threshold: float) -> list[_Choice]:
    """The choices reordered by what a close runner-up says and the first does not: the asked token, the agent ("was
    led by Dr Priya Raman"), the stated cause ("because ..."), the asked end of a leg, the row saying the relation, and
    no condition the question does not set ("If you register it, the warranty is extended to 3 years")."""
    return news_first(request, saying_instead_first(request, the_row_saying_the_asked_relation_first(
        the_asked_end_of_the_leg_first(request, by_the_stated_cause_first(request, by_the_agent_first(
            request, unconditional_first(request, naming_the_asked_token_first(request, choices, threshold),
                                         threshold)))))))


def news_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """For a follow-up, a runner-up saying the asked relation ("Varenkova linked this to rising sea temperatures" for
    "What did she blame for that?") before a first choice that is the sentence the last answer gave and says none of
    it ("By 2010, kelp cover had fallen by 60%"): said once, it answered the question before."""
    last = next((m.get("content", "") for m in reversed(request.history) if m.get("role") == "assistant"), "")
    if not choices or not last or choices[0][1].relation or choices[0][0].sentence.rstrip(".!? ") not in last:
        return choices
    for i, choice in enumerate(choices[1:1 + _RUNNERS_UP], start=1):
        if choice[1].relation >= 0.5 and choice[0].sentence.rstrip(".!? ") not in last:
            return [choice, *choices[:i], *choices[i + 1:]]
    return choices


def saying_instead_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """For "Where will they stop instead?", the first of the best few choices saying what replaces what ("We will
    instead use Bramble Barn Café"), when the first choice says no such thing: it tells what is no longer done."""
    if not choices or not _INSTEAD.search(request.question) or _INSTEAD_SAID.search(choices[0][0].sentence):
        return choices
    for i, choice in enumerate(choices[1:1 + _RUNNERS_UP], start=1):
        if _INSTEAD_SAID.search(choice[0].sentence) and choice[1].type_ok:
            return [choice, *choices[:i], *choices[i + 1:]]
    return choices


# "Can I swap the quark for something else?" (not "does $DOMAIN get substituted?", which asks what a tool does)
_INSTEAD = re.compile(r"\b(?:instead|in\s+its\s+place|in\s+their\s+place|replac\w*|swap|substitute|alternatives?)\b", re.I)
_INSTEAD_SAID = re.compile(r"\b(?:instead|in\s+(?:its|their)\s+place|in\s+place\s+of|replac\w*|rather\s+than|"
                           r"switch\w*\s+to|moved?\s+to|will\s+now|substitut\w*|swap\w*)\b|\(or\s", re.I)


def unconditional_first(request: GenerationRequest, choices: list[_Choice], threshold: float) -> list[_Choice]:
    """For a question setting no condition ("How long is the warranty?"), a close runner-up stating the plain case
    ("comes with a 2-year warranty") before a first choice that opens on a condition ("If you register your kettle
    within 30 days, the warranty is extended to 3 years"): the condition's case is not the one asked about."""
    wanted = wanted_answer(request)  # a yes/no or an open question may be answered by the condition's own clause
    if not choices or not wanted.strict or wanted.kind == "yesno" or _CONDITION.search(request.question) or \
            not _CONDITIONAL.match(choices[0][0].sentence):
        return choices
    first = choices[0]
    for i, choice in enumerate(choices[1:1 + _RUNNERS_UP], start=1):
        if not _CONDITIONAL.match(choice[0].sentence) and choice[1].type_ok and choice[2] >= max(
                threshold, first[2] - CONDITION_MARGIN) and (choice[1].cross or 0.0) >= (first[1].cross or 0.0) - 0.05:
            return [choice, *choices[:i], *choices[i + 1:]]
    return choices


CONDITION_MARGIN = 0.15
_CONDITION = re.compile(r"\b(?:if|unless|when|whether|provided|otherwise)\b", re.I)
_CONDITIONAL = re.compile(r"\W*(?:if|unless|provided|as long as|only if)\b", re.I)


def names_what_is_asked(question: str, text: str) -> bool:
    """Whether the text names what the question asks in a way the cross-encoder misses inside a long line: the thing
    "What's the ferry called?" asks beside its noun, or the one "Who chaired the meeting?" asks by the role after
    their name ("Present: Cllr Bernard Okonjo (Chair), Cllr Lisa Prowse, ...")."""
    return names_the_asked_noun(question, text) or names_the_asked_role(question, text)


def names_the_asked_role(question: str, text: str) -> bool:
    """Whether, for "Who chaired/edited/coached ...?", the text gives a name with that role in brackets after it or
    as its label ("Bernard Okonjo (Chair)", "Editor: Jo Lind")."""
    who = _WHO_DID_VERB.match(question)
    if not who:
        return False
    return any(labels_as(m.group(1), who.group(1)) for m in _ROLE_IN_BRACKETS.finditer(text)) or \
        any(labels_as(m.group(1), who.group(1)) for m in _ROLE_LABEL.finditer(text))


_WHO_DID_VERB = re.compile(r"^\W*(?:and\s+)?who\s+(?:has\s+|had\s+|will\s+)?([a-z]{3,}ed|led|ran)\b", re.I)
_ROLE_IN_BRACKETS = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)*[ \t]*\(([A-Za-z][\w -]{0,30})\)")
_ROLE_LABEL = re.compile(r"(?:^|\n|[,;][ \t]*)([A-Z][A-Za-z -]{0,25}):[ \t]*(?:(?:Cllr|Dr|Mr|Mrs|Ms|Prof)\.?[ \t]+)?[A-Z][a-z]")


def names_the_asked_noun(question: str, text: str) -> bool:
    """Whether, for "What's the ferry called?" or "What is the name of the ferry?", the text names the ferry right
    after the noun ("the ferry, the MV Saint Odhran, carries 24 vehicles", "a ferry called the Saint Odhran")."""
    asked = _NAME_ASKED.match(question)
    if not asked:
        return False
    noun = re.escape((asked.group(1) or asked.group(2) or asked.group(3)).split()[-1])
    return re.search(rf"\b{noun}s?(?:\s*(?:,|—|–|\(|:)\s*|\s+(?:is\s+|was\s+)?(?:called|named|known\s+as)\s+)"
                     rf"[\"“]?(?:the\s+|a\s+)?[A-Z]", text, re.I) is not None and not re.search(
        rf"\b{noun}s?\s*(?:,|—|–|\(|:)\s*(?:the\s+|a\s+)?(?:[A-Z][a-z]*day|January|February|March|April|May|June|July|"
        r"August|September|October|November|December)\b", text)


_NAME_ASKED = re.compile(r"^\W*(?:and\s+|so\s+)?what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|its\s+|their\s+)?(?:"
                         r"([\w -]+?)\s+(?:called|named)|name\s+of\s+(?:the\s+|its\s+|their\s+)?([\w -]+?)|([\w -]+?)['’]s\s+name)"
                         r"\W*$", re.I)

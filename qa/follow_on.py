"""The sentence after a chosen one that says what it only leads up to: the cause after "We have moved the launch",
the instruction after "The E3 code means ...", the explanation after a reported "asked why"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from qa.answer_types import AnswerType, offers
from qa.compose import Composed, Evidence
from qa.lexicon import IMPERATIVES
from qa.tables import FIX_ASKED
from qa.text import WORD


def with_what_answers(composed: Composed, sentence: Evidence, pool: Sequence[Evidence], passages: Sequence,
                      wanted: AnswerType, question: str) -> Composed:
    """One sentence with the one after it that answers what it only leads up to: a cause for "why", an instruction
    for "What should I do about E3?" after what E3 means."""
    if wanted.kind == "reason":
        return with_the_cause(composed, sentence, pool, passages, wanted)
    return with_the_remedy(composed, sentence, pool, passages) if FIX_ASKED.search(question) else composed


def with_the_remedy(composed: Composed, sentence: Evidence, pool: Sequence[Evidence], passages: Sequence) -> Composed:
    """"What should I do about E3?" answered by "The E3 code means the kettle has no water in it.": with the first
    instruction after it in its paragraph ("Let it cool for 10 minutes, fill it ... and try again.")."""
    if composed.sentences != (sentence,) or opens_imperative(sentence.text):
        return composed
    chunk = passages[sentence.passage].chunk
    after = sorted((e for e in pool if e.passage == sentence.passage and e.start >= sentence.end), key=lambda e: e.start)
    for following in after[:_REMEDY_REACH]:
        if "\n" in chunk.text[sentence.end - chunk.start:following.start - chunk.start]:
            break  # another paragraph is about something else
        if opens_imperative(following.text):
            return replace(composed, sentences=(sentence, following))
    return composed


_REMEDY_REACH = 2  # "The kettle will switch itself off to protect the element." may stand between


def opens_imperative(text: str) -> bool:
    """Whether a sentence opens with a verb telling the reader what to do ("Let it cool", "Unplug the kettle")."""
    first = (WORD.findall(text) or [""])[0]
    return first[:1].isupper() and first.lower() in IMPERATIVES | _MORE_IMPERATIVES


_MORE_IMPERATIVES = frozenset("let fill unplug plug switch turn empty rinse clean descale replace reset hold allow make "
                              "take ask email ring phone tell book bring go place pour boil mix stir drain dry wipe "
                              "refill top register apply report".split())


def with_the_cause(composed: Composed, sentence: Evidence, pool: Sequence[Evidence], passages: Sequence,
                   wanted: AnswerType) -> Composed:
    """A "why" answered by one sentence that states no cause, or only reports the question ("Mr Hatherley asked why
    the shelter had not been repaired after the storm"): with the sentence after it, which usually gives the cause
    ("The Clerk explained that the council had been waiting for the insurer ..."); a reported question's "after the
    storm" is no short answer."""
    if composed.sentences != (sentence,):
        return composed
    if _ASKED_WHY.search(sentence.text):
        followed = with_what_follows(replace(composed, short=None), sentence, pool, passages)
        return followed if followed.sentences != (sentence,) else composed
    return composed if offers(sentence.text, wanted) else with_what_follows(composed, sentence, pool, passages)


_ASKED_WHY = re.compile(r"\b(?:asked|asking|wondered|queried|questioned|wanted\s+to\s+know|demanded\s+to\s+know)\s+why\b",
                        re.I)


def with_what_follows(composed: Composed, sentence: Evidence, pool: Sequence[Evidence], passages: Sequence) -> Composed:
    """"Why the delay?" answered by "We have moved the launch to February." with no cause in it: the cause is
    usually the next sentence of the paragraph ("The new battery cell did not pass safety certification.")."""
    chunk = passages[sentence.passage].chunk
    after = [e for e in pool if e.passage == sentence.passage and e.start >= sentence.end]
    following = min(after, key=lambda e: e.start, default=None)
    if following is None or "\n" in chunk.text[sentence.end - chunk.start:following.start - chunk.start] or \
            len(following.text.split()) < 4:
        return composed
    return replace(composed, sentences=(sentence, following))

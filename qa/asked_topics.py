"""What a question asks about when its answer is something else: the thing a following "it" still means."""

from __future__ import annotations

import re

from qa.genders import common_first_name
from qa.lexicon import GROUP_NOUNS, PERSON_NOUNS
from qa.mention import Mention
from qa.name_kinds import is_plural
from qa.text import STOPWORDS

_VERBISH = frozenset("is are was were be been being do does did has have had".split())
_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.-]*[\w]|[A-Za-z0-9]")

# "Who built the radar?": the thing a "who" question ends on is what a following "it" means (its answer is a person)
_OBJECT_OF_WHO = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:who)\b[^?]*?\s(?i:the|this|that)\s+([a-z]{3,})"
                            r"(?:\s+(?:on|in|at|near|of)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?\s*\?\s*$")  # "... on Wexcombe Road?"
# "How much is the rent?", "When does the tenancy start?": an amount or a date answers, so "it" stays the rent
_VALUE_OF = re.compile(r"^\W*(?:and\s+|so\s+)?(?:how\s+(?:much|many|long|old|big|far|fast|often)|when|what\s+time)\s+"
                       r"(is|was|are|were|will|would|does|did|do|has|had)\s+(?:the\s+|this\s+|that\s+|its\s+)?"
                       r"([a-z][a-z-]{2,}(?:\s+[a-z][a-z-]{1,}){0,2})\s*\?\s*$", re.I)
# "How do I do a factory reset?": what "it" means next is the reset
_DONE_HOW = re.compile(r"^\W*(?:and\s+|so\s+)?how\s+(?:do|can|should|would|could)\s+(?:i|you|we|one)\s+"
                       r"(?:do|perform|run|carry out|start|trigger|make|book|arrange|request|order|cancel)\s+(?:a|an|the)\s+"
                       r"([a-z][a-z-]{2,}(?:\s+[a-z][a-z-]{2,})?)\s*\?\s*$", re.I)
_AFTERWORDS = frozenset("now today then currently usually normally again".split())
_OBJECT_PRONOUNS = frozenset("me you him her it us them".split())
_QUANTIFIERS = frozenset("each every a an any some my your our his her their no all both either neither".split())
_COPULAS = frozenset("is was are were".split())


# "How many free places are there?": what "them" means next is the places (not "Students" in the answer)
_COUNT_OF = re.compile(r"^\W*(?:and\s+|so\s+)?how\s+many\s+([a-z][a-z-]+(?:\s+[a-z][a-z-]+)?)\s+"
                       r"(?:are|were|is|was|do|did|does|will|have|has|had|can|could)\b", re.I)
# "Why did Rhys Ellery's talk move?", "Why was the match cancelled?": a reason answers; "it" is the talk, the match
_WHY_OF = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:why|how come)\s+(?i:did|does|do|is|was|has|had|will|would)\s+"
                     r"(the\s+[a-z][a-z-]+|(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*['’]s\s+[a-z][a-z-]+)\s+[a-z]+\s*\?\s*$")


# "What is tqdm?": a definition answers ("tqdm derives from the Arabic word ..."); "it" is still tqdm
_WHAT_IS = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:what)\s+(?i:is|are|was|were)\s+([A-Za-z][\w.+-]*(?:\s+[A-Z][\w.+-]*){0,2})"
                      r"\s*\?\s*$")
# "What's the adm group for?", "Where does the name tqdm come from?": the answer is a use or an origin; "it" is
# still the group, the name
_USED_FOR = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:what)(?:['’]s|\s+(?i:is|are))\s+(?:(?i:the|an?)\s+)?"
                       r"([\w.+-]+(?:\s+(?!used\b|meant\b|good\b)[a-z][\w-]*)?)\s+(?:(?i:used|meant|good)\s+)?(?i:for)(?=\s*\?|\s+(?:on|in|at|when|with|under|exactly|again|then|now|nowadays)\b)")
_COMES_FROM = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:where)\s+(?i:does|did|do)\s+(?:(?i:the)\s+)?"
                         r"(?:(?i:name|word|term)\s+)?([\w.+-]+(?:\s+[A-Z][\w.+-]*)?)\s+(?i:come|comes)\s+(?i:from)\b")
# "What's the new go-live date for Project Lantern?", "What was Northgate's total income in 2022-23?": a value
# answers; "What was it originally?", "Why did it slip?", "Where did most of it come from?" go on about that value
_VALUE_NOUNS = ("date|deadline|cost|price|budget|fee|rent|figure|total|amount|rate|target|limit|salary|income|revenue|"
                "turnover|profit|deficit|surplus|spending|balance|deposit|charge")
_OWNER = r"[A-Z][\w&.-]*(?:\s+(?:&\s+)?[A-Z][\w&.-]*){0,3}"
_ATTRIBUTE_OF = re.compile(
    r"^\W*(?i:and\s+|so\s+)?(?i:what)(?:['’]s|\s+(?i:is|was|will\s+be))\s+"
    rf"(?:(?i:the)\s+(?P<np>(?:[a-z][\w-]*\s+){{0,2}}(?:{_VALUE_NOUNS}))\s+(?P<prep>for|of)\s+(?P<owner>(?:the\s+)?{_OWNER})"
    rf"|(?P<owner2>{_OWNER})['’]s\s+(?P<np2>(?:[a-z][\w-]*\s+){{0,2}}(?:{_VALUE_NOUNS})))"
    r"(?:\s+(?:in|for|on|at|by|this|last|next)\b[^?]*)?\s*\?\s*$")
# "Where does the River Oske rise?", "When did the Cattle Bridge in Pellworth reopen?": a place or a date answers,
# and "it" goes on meaning the thing the question named
_NAMED_SUBJECT = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:where|when|why|how\s+\w+|what\s+year)\s+"
                            r"(?i:does|did|do|is|was|were|will|has|had)\s+(the\s+)?((?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*)"
                            r"\s+(?:in\s+[A-Z][\w'’-]*\s+)?[a-z][\w'’-]*(?:\s*\?|\s+(?:[A-Z]|(?:the|an?|its|his|her|their|"
                            r"in|on|at|after|before|during|for|from|to|with|by|up|out|down|off|over|first|last)\b))")
# (the verb comes right after the name: not "How much will the Rowley Park pavilion cost?")
_WHEN_WORDS = frozenset("new current latest original old revised final planned expected agreed".split())
_NOT_TOPICS = frozenset("it that this he she they there them what which who the".split())


def asked_object(question: str, turn: int) -> list[Mention]:
    """The thing a question asks a person or a value of, as a mention of its turn ([] when there is none)."""
    position = len(_TOKEN.findall(question))
    if (counted := _COUNT_OF.match(question)) and is_plural(counted.group(1).split()[-1].lower()):
        return [Mention(counted.group(1).lower(), "plural", turn, position, definite=True)]
    if why := _WHY_OF.match(question):
        thing = why.group(1)
        if thing.startswith("the ") and thing.split()[-1] not in PERSON_NOUNS | GROUP_NOUNS and not is_plural(thing.split()[-1]):
            return [Mention(thing[4:], "thing", turn, position, definite=True)]
        return [] if thing.startswith("the ") else [Mention(thing, "thing", turn, position)]
    if (defined := _WHAT_IS.match(question)) and defined.group(1).split()[0].lower() not in _NOT_TOPICS | _QUANTIFIERS:
        name = defined.group(1)
        plural = name.islower() and is_plural(name)
        if not common_first_name(name.split()[0]) and name.lower() not in STOPWORDS:
            return [Mention(name, "plural" if plural else "thing", turn, position)]
    if (used := _USED_FOR.match(question) or _COMES_FROM.match(question)) and \
            used.group(1).split()[0].lower() not in _NOT_TOPICS | _QUANTIFIERS | STOPWORDS:
        name = used.group(1)
        return [Mention(name, "plural" if name.islower() and is_plural(name.split()[-1]) else "thing", turn, position,
                        definite=name.islower() and " " in name)]
    if attribute := _attribute_of(question, turn, position):
        return [attribute]
    if (named := _NAMED_SUBJECT.match(question)) and (named.group(1) or " " in named.group(2) and
                                                      not common_first_name(named.group(2).split()[0])):
        return [Mention(f"{named.group(1) or ''}{named.group(2)}", "thing", turn, position)]  # "Where does the River Oske rise?" "how long is it?"
    done = _DONE_HOW.match(question)
    noun = _object_of_who(question) or _value_of(question) or (done.group(1) if done else "")
    last = noun.split()[-1].lower() if noun else ""
    if not noun or is_plural(last) or last in STOPWORDS | _VERBISH | PERSON_NOUNS | GROUP_NOUNS or \
            common_first_name(noun.split()[0]):
        return []
    return [Mention(noun, "thing", turn, position, definite=noun.islower())]


def _attribute_of(question: str, turn: int, position: int) -> Mention | None:
    """"the go-live date for Project Lantern" of "What's the new go-live date for Project Lantern?" (its "new"
    dropped: the follow-up may ask what it was before), "Northgate's total income" of "What was Northgate's ..."."""
    found = _ATTRIBUTE_OF.match(question)
    if not found:
        return None
    words = (found.group("np") or found.group("np2")).split()
    while len(words) > 1 and words[0].lower() in _WHEN_WORDS:
        words.pop(0)
    noun = " ".join(words)
    if found.group("owner2"):
        return Mention(f"{found.group('owner2')}'s {noun}", "thing", turn, position)
    owner = found.group("owner")
    return Mention(f"{noun} {found.group('prep')} {owner}", "thing", turn, position, definite=True)


def _object_of_who(question: str) -> str:
    found = _OBJECT_OF_WHO.match(question)
    return found.group(1) if found else ""


def _value_of(question: str) -> str:
    """"rent" of "How much is the rent?", "tenancy" of "When does the tenancy start?", "go-live" of "When is
    go-live now?", "Keep Warm" of "How long does Keep Warm last?"."""
    found = _VALUE_OF.match(question)
    aux, words = (found.group(1).lower(), found.group(2).split()) if found else ("", [])
    if not words or not (found.group(2).islower() or all(w[:1].isupper() for w in words[:-1])):
        return ""  # "the rent", "Keep Warm" (a name, its verb after it); not "Paris last"
    if words[0].lower() in _QUANTIFIERS | _NOT_TOPICS:
        return ""  # "How much does each household pay?", "How much did they put in?": no one thing
    while len(words) > 1 and words[-1].lower() in _AFTERWORDS | _OBJECT_PRONOUNS:
        words.pop()  # "How much did the lighthouse cost them?": the verb's object, then the verb
    if len(words) > 1 and (aux not in _COPULAS or words[-1].endswith("ed")):  # "the tenancy start", "it protected"
        words.pop()
    elif aux not in _COPULAS:
        return ""  # "When did that happen?": the one word after "did" is its verb, no thing
    return " ".join(words) if len(words) <= 2 else ""

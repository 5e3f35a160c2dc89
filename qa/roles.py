"""Questions asking for a job, office or position ("held what position?"), and the role phrase a sentence gives."""

from __future__ import annotations

import re

from qa.lexicon import JOB_HEADS, JOB_WORDS

# Offices, jobs and positions a sentence may give for "What position will Trump take up?", besides JOB_HEADS.
ROLE_HEADS = JOB_HEADS | frozenset(
    "minister premier chancellor governor mayor senator congressman congresswoman ambassador envoy czar tsar commissioner "
    "judge justice professor lecturer spokesman spokeswoman spokesperson leader king queen monarch emperor pope bishop "
    "archbishop councillor clerk sheriff general admiral colonel commander marshal surgeon doctor physician nurse "
    "teacher lawyer barrister solicitor architect scientist economist governor-general president-elect vice-president "
    "speaker dean provost rector chairperson trustee patron ceo striker goalkeeper defender midfielder winger forward "
    "full-back centre-back quarterback pitcher catcher owner mp deputy headteacher headmaster headmistress "
    # trades and professions a life story gives ("married Frederick Ashdown, a surveyor")
    "surveyor accountant carpenter joiner electrician plumber builder bricklayer plasterer welder mechanic technician "
    "farmer fisherman shepherd gardener miner labourer baker butcher grocer shopkeeper publican innkeeper chef cook "
    "waiter waitress pilot driver sailor soldier policeman policewoman constable sergeant detective firefighter "
    "paramedic midwife pharmacist dentist vet veterinarian optician physiotherapist therapist psychologist "
    "psychiatrist librarian curator archivist historian journalist writer author novelist poet playwright translator "
    "photographer artist painter sculptor potter musician composer organist pianist cellist violinist singer dancer "
    "actor actress vicar priest rabbi imam chaplain banker broker programmer researcher chemist physicist biologist "
    "geologist astronomer mathematician archaeologist tailor jeweller printer receptionist cleaner nanny carer".split())
# What a role question says besides the role it wants ("held what position?"): a sentence naming an office says it.
ROLE_ASKING_WORDS = ("job jobs role roles position positions post office occupation profession hold held holds serve "
                     "served serves appointed up have has had get gets got take takes took")
# Words a role phrase is built of before its head ("the incoming president", "Foreign Secretary").
_MODIFIERS = JOB_WORDS | frozenset(
    "incoming outgoing former new interim acting first prime foreign home defence defense finance health education "
    "attorney state shadow caretaker permanent honorary founding lead head principal club team national".split())
# trades named by their suffix: "boatbuilder", "watchmaker", "blacksmith", "playwright", "fishmonger", "shopkeeper"
_TRADE = r"[a-z]+(?:builder|maker|smith|wright|monger|keeper|grapher)|[a-z]{3,}(?:ologist|ician)"
_HEAD = "|".join([*sorted((re.escape(w) for w in ROLE_HEADS), key=len, reverse=True), _TRADE])
ROLE_WORD = re.compile(rf"\b(?:{_HEAD})s?\b", re.I)
# "What position will Trump take up?", "held what position?", "What is her job?" -- not "What role did the UN
# play in the talks?" (a part played) nor "What position does the party take on tax?" (a stance).
ROLE_Q = re.compile(r"(?:\b(?:what|which)\s+(?:(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|should)\b)[\w'’-]+\s+)"
                    r"{0,3}?(?:job|role|position|post|office|occupation|profession)s?|"
                    r"\bwhat(?:['’]s|\s+(?:is|was|are|were))\b[^?]*\b(?:job|role|position|occupation|profession)s?)\b"
                    r"(?![^?]*\b(?:on|about|over|towards?)\s+\w+[^?]*\??\s*$)"
                    r"|\bwhat\s+(?:does|did|do)\s+[^?]*\bdo\s+for\s+a\s+living\b", re.I)
_NOT_ROLE_Q = re.compile(r"\b(?:role|part)s?\b[^?]*\bplay(?:s|ed|ing)?\b|\bwhat\s+(?:\w+\s+)?post\s+(?:did|does|do|has|had|was|is)\s+[^?]*\b(?:write|wrote|written|"
                         r"publish|published|share|shared|put)\b|\bwhich\s+post\s+office\b|\bwhat\s+(?:office|post)\s+"
                         r"(?:is|was|are|were)\s+(?:in|at|on|near)\b|\bwhich\s+office\s+(?:is|was)\b|\bposition\b[^?]*\b(?:finish|finished|"
                         r"come|came|end|ended)\b", re.I)


# One pattern, as answer_types tries its question patterns: a role asked for, and none of the look-alikes.
ROLE_QUESTION = re.compile(rf"^(?!.*?(?:{_NOT_ROLE_Q.pattern})).*?(?:{ROLE_Q.pattern})", re.I | re.S)


def asks_role(question: str) -> bool:
    """Whether the question asks what job, office or position someone has or held."""
    return bool(ROLE_QUESTION.search(question))


def offers_role(text: str, question: str = "") -> bool:
    """Whether the text names a job, office or position; one said of whom the question names, where the text names
    them ("Anand will take office when the current leader steps down" gives Anand no office)."""
    heads = _new_heads(text, question)
    if not heads:
        return False
    named = _named(question, text)
    return not named or bool(_attached_heads(text, named) & heads)


def _new_heads(text: str, question: str) -> set[int]:
    """Where the text's role words start, but for those the question itself uses ("the lead role", "the director")."""
    asked = {w.lower() for w in re.findall(r"[\w-]+", question)}
    return {m.start() for m in ROLE_WORD.finditer(text) if m.group().lower() not in asked and
            m.group().lower().removesuffix("s") not in asked}


def _named(question: str, text: str) -> list[str]:
    """The question's names (not its opening word) that the text writes too."""
    words = [re.sub(r"['’]s?$", "", w) for w in re.findall(r"(?<=\s)[A-Z][\w'’-]+", question)]
    return [w for w in dict.fromkeys(words) if len(w) > 1 and re.search(rf"\b{re.escape(w)}\b", text)]


_ROLE = rf"((?i:{_HEAD})s?)\b"
_DETERMINER = r"(?:(?:the|a|an|its|our|their|his|her|new)\s+)?"


def _attached_heads(text: str, named: list[str]) -> set[int]:
    """Where the role words said of a named one start: "Priya Anand, the incoming council leader", "President Trump",
    "Anand worked ... as a mortgage adviser", "Aisha Rahman — Project Manager"."""
    heads: set[int] = set()
    for name in named:
        n = re.escape(name)
        for pattern in (rf"\b{n}\s*(?:,|—|–|-|:|\()\s*{_DETERMINER}(?:[\w'’-]+\s+){{0,4}}?{_ROLE}",
                        rf"{_ROLE}\s*,?\s+(?:[A-Z][\w'’.-]*\s+){{0,3}}{n}\b",
                        rf"\b{n}\b[^.;!?]{{0,80}}?\b(?:as|is|was|are|were|became|becomes|become|named|appointed|elected|"
                        rf"made|serves|served|remains)\s+{_DETERMINER}(?:[\w'’-]+\s+){{0,4}}?{_ROLE}"):
            heads |= {m.start(1) for m in re.finditer(pattern, text)}
    return heads


_PHRASE = re.compile(rf"\b((?:(?:[A-Z][\w'’-]*|[a-z][\w-]*)\s+){{0,3}}?)((?i:{_HEAD}))s?\b"
                     r"((?:\s+of\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)?)")
_FUNCTION = frozenset("as a an the its our their his her of for to by with at in on is was be been".split())


def role_phrase(text: str, question: str = "") -> str | None:
    """The role the text gives ("incoming president", "Secretary of State", "mortgage adviser"): the words after the
    last article or preposition before its head, else those roles are made of; one said of whom the question names
    first, else the one nearest their name."""
    named = _named(question, text)
    attached = _attached_heads(text, named)
    asked = {w.lower() for w in named}
    found: list[tuple[bool, int, int, str]] = []
    heads = _new_heads(text, question)
    for match in _PHRASE.finditer(text):
        if match.start(2) not in heads:
            continue
        words = match.group(1).split()
        cut = max((i + 1 for i, w in enumerate(words) if w.lower() in _FUNCTION), default=0)
        words = words[cut:]  # "as a mortgage adviser": "mortgage adviser"
        while words and re.fullmatch(r"[a-z]+(?:ed|ing)", words[0]) and words[0] not in _MODIFIERS:
            words = words[1:]  # "was elected Mayor of Dunmere": "Mayor of Dunmere"
        while not cut and words and words[0].lower() not in _MODIFIERS and not (words[0][0].isupper() and
                                                                                words[0].lower() not in asked):
            words = words[1:]  # "has vowed incoming president": "incoming president"
        while words and words[0][0].isupper() and words[0].lower() in asked:
            words = words[1:]  # "President Trump" for Trump: the office, not his name
        phrase = " ".join([*words, match.group(2).strip()]) + match.group(3)
        near = min((abs(m.start() - match.start()) for w in asked
                    for m in re.finditer(rf"\b{re.escape(w)}\b", text, re.I)), default=0)
        found.append((match.start(2) not in attached, near, match.start(), phrase.strip().rstrip(".,;:")))
    return min(found)[3] if found else None

"""What a run of capitalised words names (a person, a group, a place or a thing), read from its words and neighbours."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Sequence, TypeVar

from qa.genders import common_first_name
from qa.lexicon import (DEMONYMS, GROUP_NOUNS, JOB_HEADS, JOB_WORDS, ORG_WORDS, PERSON_NOUNS, PLACE_WORDS, ROLE_WORDS,
                        SPEECH, TITLES)
from qa.text import JOB_AFTER_NAME, QUESTION_WORDS, STOPWORDS, WORD, concept, stem

PLACE_PREPOSITIONS = frozenset("in at from within near into across inside outside around to towards".split())
_ACTION_SUFFIX = re.compile(r"^[a-z]+(ed|s)$")


def is_plural(word: str) -> bool:
    """Whether a word reads as a plural ("missiles", "Traders"; not "class", "status", "physics")."""
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous", "ics", "'s", "’s")) and w not in _SINGULAR_S


# Singular nouns ending in "s": "the Gull Point lens" is what "it" means, not "they"
_SINGULAR_S = frozenset("lens series species news canvas atlas bias gas chaos corps means thermos summons".split())


# A class or exception name: capitals inside a word after an acronym or before "Error" ("JSONDecodeError",
# "ValueError"); "McDonald" and "DeSantis" are people's names.
_CODE_NAME = re.compile(r"[a-z][A-Z]")
_CODE_SHAPE = re.compile(r"[A-Z]{2,}[a-z]|(?:Error|Exception|Warning)$")
_NUMBER, _UNIT = re.compile(r"\d[\d.,]*"), re.compile(r"[kKMGTµm]?(?:Hz|B|W|Wh|V|Ah|bps|iB)|mAh|dB")


_UNDERTAKINGS = frozenset("project operation programme program mission campaign initiative plan scheme phase sprint".split())


def name_kind(run: list[str], before: str, after: str) -> tuple[str, bool]:
    """(kind, strong) of a run of capitalised words from its words and neighbours."""
    lowered = [w.lower() for w in run]
    if all(w in TITLES for w in lowered) or (len(run) == 1 and _NUMBER.fullmatch(before) and _UNIT.fullmatch(run[0])):
        return "title-only", False  # "Dr" alone, or the unit of "5 GHz": no one to point at
    if set(lowered) & JOB_HEADS and all(w in JOB_WORDS for w in lowered):
        return "title-only", False  # "Chief Executive", an answer to "What is her job?", is not her
    if len(run) == 1 and _CODE_NAME.search(run[0]) and _CODE_SHAPE.search(run[0]):
        return "thing", False  # "JSONDecodeError added" is no one acting
    if "&" in run:
        return "group", False  # "Halloran & Daughters", "Sed & Awk"
    if len(run) > 1 and lowered[0] in _UNDERTAKINGS:
        return "thing", False  # "Project Lantern", "Operation Yellowhammer": what "it" means, not a person
    if lowered[0] in TITLES or before in TITLES or after_title(run) and not set(after_title(run)) & _ORG_OR_PLACE:
        return "person", True  # "French President Emmanuel Macron"
    if after == "born" and not set(lowered) & _ORG_OR_PLACE:
        return "person", True  # "Jonathan Richard Guy Greenwood (born 5 November 1971) is ..."
    if len(run) == 1 and run[0].isupper() and any(ch.isdigit() for ch in run[0]):
        return "thing", False  # "UTF-8", "E4", "MP3": a code, not an organisation's initials
    if any(w in ORG_WORDS for w in lowered) or (len(run) == 1 and run[0].isupper() and len(run[0]) > 1):
        return "group", False
    if any(w in PLACE_WORDS for w in lowered) or after in PLACE_WORDS or before in PLACE_PREPOSITIONS:
        return "place", False
    if len(run) in (2, 3, 4) and all(w[:1].isupper() for w in run) and common_first_name(run[0]):
        return "person", False  # "David Sacks": a first name, though the surname reads as a plural
    if len(run) == 1 and (common_first_name(run[0]) or lowered[0] in _KIN) and before not in ("the", "a", "an"):
        return "person", False  # "Hannah", "Marcus": "it" is never them
    if is_plural(run[-1]):
        return "group", False  # "Democrats", "Northwind Traders"
    if len(run) == 1 and before in ("the", "a", "an") and lowered[0] in PERSON_NOUNS | JOB_HEADS | ROLE_WORDS:
        return "person", False  # "The Clerk explained": an office holder
    if before in ("the", "a", "an"):
        return "thing", False  # people are not "the Harbour Choir"
    if after in SPEECH or before == "by":
        return "person", True
    if after and _ACTION_SUFFIX.match(after) and after.endswith("ed"):  # "Python moved" is no surer a person
        return "person", len(run) > 1
    core = [w for w in run if w.lower() not in ("van", "von", "de", "der", "da", "al", "bin", "ibn", "le", "la")]
    if len(core) in (2, 3) and all(p[:1].isupper() and (p[1:].islower() or len(p) == 1) for w in core for p in w.split("-")):
        return "person", False  # "Jane Doe": two or three plain capitalised words with no organisation word
    return "thing", False


def surely_a_person(run: list[str], before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether a run of capitalised words (with the word before and after it, if any) is surely a person's name: a
    title or a speech verb says so, or a first name stands before a surname ("Joe Biden", "Mayor Tobias Vance"; a lone
    "Georgia" may be a country), and no word names an organisation or a place ("Saint Aubyn's College")."""
    kind, strong = name_kind(run, (before or [""])[-1].lower(), (after or [""])[0].lower())
    words = {w.lower().rstrip(".,;:").removesuffix("'s").removesuffix("’s") for w in run}
    return kind == "person" and not words & _ORG_OR_PLACE and (strong or any(common_first_name(w) for w in run[:-1]))


_PLACE_ONLY = frozenset("in at near into within inside".split())  # prepositions no person follows


_VENUES = PLACE_WORDS | frozenset("pier hall room studio stadium building centre center hotel theatre church "
                                  "hospital ward gallery arena pavilion suite".split())


# Nouns a product or platform name qualifies ("Windows systems", "Android users").
_KINDS_OF_THING = frozenset("system systems user users device devices machine machines platform platforms server servers "
                            "computer computers build builds installation installations distribution distributions "
                            "package packages".split())


_AT_PLACE = re.compile(r"\b(?:in|at|near|into|outside|across|throughout|around|(?:city|town|village|county|port|"
                       r"island|isle|borough|parish|district|province|region)\s+of)\s+(?:the\s+)?$", re.I)
_KIND_NEXT = re.compile(rf"[ \t\n]+(?:{'|'.join(sorted(_KINDS_OF_THING))})\b")  # compiled once, not per name
# A label in capitals written right before a number names a numbering scheme or a thing's number, not anyone: "ISBN
# 3-8273-2094-1", "PEP 263", "RFC 8259" (a name before a number may be a player's: "Pearce 90+3").
_NUMBER_NEXT = re.compile(r"[ \t]+#?\d[\d.-]*\b")
_IN_ADDRESS = re.compile(r"://|www\.|[?&=]")  # a word of a web address ("...&ProductID=37214")


def _token_at(text: str, start: int, end: int) -> str:
    """The whitespace-free run of `text` holding text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in " \t\n")
    rights = [i for i in (text.find(c, end) for c in " \t\n") if i >= 0]
    return text[left + 1:min(rights, default=len(text))]


def no_person_at(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is surely no person: after "in"/"at" ("founded in Reading"), inside an
    identifier ("America/New_York"), qualifying a kind of thing named next ("notably Windows systems"), or labelling
    a number ("ISBN 3-8273-2094-1", though "Sent off: Pearce 90+3" names a player) or inside a web address; a street
    ("Pelham Road") or a firm named by surnames ("Brennick & Loy") is no one either."""
    return bool(_AT_PLACE.search(text, max(0, start - 12), start)) or "/" in (text[start - 1:start], text[end:end + 1]) or \
        "_" in text[start:end] or bool(_KIND_NEXT.match(text, end)) or \
        bool(_IN_ADDRESS.search(_token_at(text, start, end))) or \
        text[start:end].isupper() and bool(_NUMBER_NEXT.match(text, end)) or \
        text[start:end].split()[-1].lower() in _NO_SURNAME or bool(_STREET_NEXT.match(text, end)) or \
        "&" in (text[end:end + 2].strip(), text[start - 2:start].strip()) or \
        text[start:end].isupper() and start < 40 and bool(_DATELINE.match(text))  # "CASTLEFORD BAY - Kelp forests ..."


_DATELINE = re.compile(r"\W*[A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+)*,?(?:[ \t]+[A-Z][a-z]+\.?)?(?:[ \t]*\([^)]*\))?[ \t]+[-—–]")


def no_one(phrase: str, before: Sequence[str], after: Sequence[str], question: str) -> bool:
    """Whether a name cannot answer a "who" question: a place after "in" ("born in Oxford", though "a letter from
    Anna Holt" names someone), or an organisation or place when a person is asked for ("Who is his brother?": not
    "Abingdon School")."""
    run = phrase.split()
    if not run or surely_a_person(run, before, after):
        return False
    if after and after[0].rstrip(".,;:") in _KINDS_OF_THING:
        return True  # "notably Windows systems", "for Linux users": the name says which kind, it is no one
    if after[:1] == ["&"] or before[-1:] == ["&"]:
        return True  # "Brennick & Loy, the engineering firm": a firm's name, though it is made of surnames
    if len(run) == 1 and run[0].isupper() and after and _NUMBER_NEXT.match(f" {after[0]}"):
        return True  # "ISBN 3-8273-2094-1", "PEP 263": a label of a number
    if after and after[0].islower() and after[0].rstrip(".,;:") in _VENUES or \
            len(run) == 2 and run[0].lower() in _VENUES and len(run[1]) <= 2:
        return True  # "on Whitby pier", "| Hall A |": a place with its name
    asks_person = bool({w.lower() for w in WORD.findall(question)} & PERSON_NOUNS)
    return bool(before) and before[-1].lower() in _PLACE_ONLY or (asks_person and run[-1].lower() in _ORG_OR_PLACE) or \
        run[-1].lower() in _NO_SURNAME  # "Who's leading the residents?": not "Pelham Road"


_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’&-]*(?:[ \t]+[A-Z][\w'’&-]*)*")


def person_words(text: str) -> set[str]:
    """The words of the names in `text` that surely name people."""
    people: set[str] = set()
    for match in _CAPITALISED_RUN.finditer(text):
        before = _LAST_WORD.search(text, max(0, match.start() - 40), match.start())
        after = WORD.search(text, match.end())
        if surely_a_person(match.group().split(), before.groups() if before else (), [after.group()] if after else ()):
            people.update(match.group().split())
    return people


_LAST_WORD = re.compile(r"(\w+)\W*$")


def after_title(run: Sequence[str]) -> list[str]:
    """The words after the last title inside a name ("Keir Starmer" of "British Prime Minister Sir Keir Starmer")."""
    inner = [k for k, w in enumerate(run[:-1]) if k and w.lower() in TITLES]
    return [w.lower() for w in run[inner[-1] + 1:]] if inner else []


_ORG_OR_PLACE = ORG_WORDS | PLACE_WORDS
_NO_SURNAME = frozenset("road street lane avenue square terrace crescent station airport harbour valley district region "
                        "county province oblast".split())  # place words no one is called by, unlike "Lake" or "Park"
_STREET_NEXT = re.compile(rf"[ \t]+(?:{'|'.join(w.title() for w in sorted(_NO_SURNAME))})\b")
_KIN = frozenset("mum mom mam mother dad father nan nana gran granny grandma grandad grandpa grandmother "
                 "grandfather".split())  # "Mum's 70th", "the photo of Mum and Dad": people called by kin
M = TypeVar("M", bound=Any)


# "Blur are an English rock band formed in London", "Jaws became the highest-grossing film of its time": what a
# name is, said by the noun that ends the description (before the participle, preposition or clause that follows).
_DEFINITION = re.compile(
    r"\b([A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z0-9][\w'’-]*)*)(?:\s*\([^()]{0,60}\))?\s+(?:is|are|was|were|became|becomes)\s+"
    r"(?:a|an|the)\s+((?:[\w-]+\s+){0,5}?)([a-z]+)"
    r"(?=\s*[,.;:]|\s+(?:of|in|from|by|with|for|on|at|and|or|who|that|which|whose|where|[a-z]+ed)\b)")


def defined_nouns(text: str) -> dict[str, str]:
    """The names a text defines, each with the noun that says what it is ({"Blur": "band", "Jaws": "film"})."""
    return {m.group(1): m.group(3) for m in _DEFINITION.finditer(text) if m.group(3) not in ("one", "first", "last")}


def with_defined_nouns(found: list[M], texts: Sequence[str]) -> list[M]:
    """Mentions (anything with `text` and `noun`) given the noun the texts define them by, where none says one yet."""
    defined: dict[str, str] = {}
    for text in texts:
        defined.update(defined_nouns(text))
    # "Radiohead are an English rock band": a group, that "they" can mean
    return [replace(m, noun=defined[m.text], kind="group" if defined[m.text] in GROUP_NOUNS else m.kind, strong=m.strong
                    and defined[m.text] not in GROUP_NOUNS) if not m.noun and m.text in defined else m for m in found]


_IRREGULAR_PARTICIPLES = frozenset("born built made led held known shown grown taught written taken given chosen "
                                   "seen driven sold bought brought kept left cast set found begun drawn thrown worn struck hung laid "
                                   "paid won".split())
_AFTER_PARTICIPLE = frozenset("in by on at from with as for to into under after before near during between".split())


def participle_opener(words: Sequence[str], gaps: Sequence[str], i: int) -> bool:
    """Whether the one capitalised word at `i` opens its sentence as a participle ("Released in ...", "Born to ...")
    or as a label ("Present: ...")."""
    word, after = words[i].lower(), (words[i + 1].lower() if i + 1 < len(words) else "")
    opens = i == 0 or gaps[i][-1:] in (".", ";", "!", "?", ":")
    if opens and i + 1 < len(words) and gaps[i + 1].startswith(":") and not common_first_name(words[i]):
        return True  # a label opening a line ("Cake: I've ordered ..."), though "Caroline: Hey!" names a speaker
    participle = (word.endswith(("ed", "ing")) and len(word) > 5 and not common_first_name(words[i])) \
        or word in _IRREGULAR_PARTICIPLES  # "Speaking on BBC Radio ...", "Released in June 1975, ..."
    return opens and participle and after in _AFTER_PARTICIPLE


# "the drummer Dave Rowntree": the whole role asked, so "French President Emmanuel Macron" is titled by it
_WHO_IS_THE = re.compile(r"^\W*(?:and\s+)?who\s+(?:is|was|are|were)\s+the\s+(\w+(?:\s+(?!(?:of|at|in|for|on|to|who|that|"
                         r"whom)\b)\w+){0,3})", re.I)
_SOURCE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.I)
_REPORTED_Q = re.compile(r"\b(?:report|reported|reports|say|says|said|tell|told|according|source|sources|claim|claimed|"
                         r"write|wrote|written|reveal|revealed|quote|quoted)\b", re.I)


# "Who is Britain's prime minister?", "Who is the president of France?": the country is part of the title
_WHO_IS_WHOSE = re.compile(r"^\W*(?:[Aa]nd\s+)?[Ww]ho(?:'s|’s|\s+is|\s+was)\s+(?:the\s+)?([A-Z][\w.]*)(?:'s|’s)\s+(\w+(?:\s+\w+)?)\W*$")
_OF_COUNTRY = re.compile(r"^\W*(?:[Aa]nd\s+)?[Ww]ho\s+(?:is|was)\s+the\s+(\w+(?:\s+\w+)?)\s+of\s+(?:the\s+)?([A-Z][\w.]*)\W*$")
_COUNTRY_PEOPLE = {country: people for people, country in DEMONYMS.items()}


def asked_role(question: str) -> tuple[str, ...]:
    """The words of the role a "Who is the ...?" question asks for ("french", "president"), lower-cased; a
    country it names is said as its people's title ("British Prime Minister Keir Starmer")."""
    whose = _WHO_IS_WHOSE.match(question) or _OF_COUNTRY.match(question)
    if whose:
        role, country = (whose.group(2), whose.group(1)) if whose.re is _WHO_IS_WHOSE else whose.groups()
        words = role.lower().split()
        if people := _COUNTRY_PEOPLE.get(country.lower()):
            return (people, country.lower(), *words)
        if country.isupper() and len(country) <= 3:  # "US President Joe Biden", "UK Prime Minister ..."
            return (country.lower(), *words)
    return tuple(w.lower() for r in _WHO_IS_THE.findall(question) for w in r.split())


def untitled(phrase: str, role: Sequence[str]) -> str:
    """`phrase` without the asked role written as its title ("Emmanuel Macron" of "French President Emmanuel
    Macron" for "Who is the French president?"), so the name after the title is what answers."""
    words = phrase.split()
    n = 0
    while n < len(words) - 1 and words[n].lower() in role:
        n += 1
    if not n:
        return phrase
    # "German Chancellor Anton Weiss and Spanish Foreign Minister Rosa Ibarra": the title names one holder
    return re.split(r"\s+and\s+", phrase[re.match(rf"(?:\S+\s+){{{n}}}", phrase).end():], maxsplit=1)[0]


def reported_source(before: str, question: str) -> bool:
    """Whether a name written right after `before` is who reported something ("..., according to the Washington
    Post"), which answers a "who" question only when it asks who said or reported it."""
    return bool(_SOURCE.search(before)) and not _REPORTED_Q.search(question)


def reported_names(text: str) -> set[str]:
    """The names `text` gives as who reported it ("..., according to the Washington Post"): sources, not answers."""
    return {m.group(1).rstrip(".") for m in re.finditer(r"\baccording\s+to\s+(?:the\s+)?([A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*)",
                                            text)}


def without_titles(run: Sequence[str]) -> list[str]:
    """A person's name words without titles; a title word after a first name is a surname ("William King")."""
    return [w for k, w in enumerate(run) if w.lower() not in TITLES or k and common_first_name(run[k - 1])]


def other_person(phrase: str, known: str) -> bool:
    """Whether `phrase` names someone else than the names `known` gives, though it shares their surname ("Leon
    Brandt" when the question asks about Brigitte Brandt): `known` gives the surname another first name."""
    words = phrase.split()
    if len(words) < 2 or not common_first_name(words[0]):
        return False  # "Ferrándiz" alone in the question may well be "Mateo Ferrándiz"
    given = re.findall(rf"\b([A-Z][\w'’-]*)\s+{re.escape(words[-1])}\b", known)
    return any(g != words[0] and common_first_name(g) for g in given)


# "Who directed The Power of the Dog?", "Who is the author of Norwegian Wood?": a question for whoever made a work
_MAKER_Q = re.compile(r"\bwho\s+(?:first\s+)?(?:directed|wrote|composed|painted|produced|created|designed|authored|"
                      r"invented|founded|sculpted|illustrated|co-wrote|penned)\b|\bwho\s+(?:is|was)\s+the\s+(?:director|"
                      r"author|writer|composer|painter|creator|designer|architect|founder|inventor|producer)\s+of\b", re.I)
_POSSESSOR = re.compile(r"\b([A-Z][\w.-]*(?:[ \t]+(?:van|von|de|del|da|le)?[ \t]*[A-Z][\w.-]*){0,3})['’]s[ \t]+"
                        r"(?:(?:[a-z-]+|\d{4})[ \t]+){0,2}([A-Z0-9][\w'’.-]*(?:[ \t]+[\w'’.-]+)?)")


def maker_of(question: str, text: str) -> str | None:
    """Whoever `text` writes as the owner of the work the question asks the maker of ("Jane Campion" of "Jane
    Campion's The Power of the Dog" for "Who directed The Power of the Dog?"); a possessive says who made a film or
    a novel as plainly as "directed by" does, though not who starred in it."""
    if not _MAKER_Q.search(question):
        return None
    for match in _POSSESSOR.finditer(text):
        work = match.group(2).rstrip(".’'")
        if len(work) > 3 and re.search(rf"(?<![\w'’]){re.escape(work)}(?![\w'’])", question) and \
                match.group(1) not in question:
            return match.group(1)
    return None


_ROLE_IN_PARENTHESES = re.compile(r"\b([A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3})[ \t]*\((?!born\b|née\b|aged\b|b\.|d\.)"
                                  r"([^()\d]{1,60})\)")


def role_in_parentheses(question: str, text: str) -> str | None:
    """The name whose parenthesis says the asked role ("Colin Greenwood (bass)" for "Who plays bass in Radiohead?",
    "Mira Shah (chair)" for "Who was the chair?"): a line-up or an attendee list says who does what so."""
    asked = {stem(w) for w in WORD.findall(question) if w.islower() and w not in STOPWORDS and w not in QUESTION_WORDS}
    for match in _ROLE_IN_PARENTHESES.finditer(text):
        if asked & {stem(w) for w in WORD.findall(match.group(2))} and match.group(1) not in question:
            return match.group(1)
    return None


# "Construction is due to begin ...": a lone word opening a sentence with a common noun's ending is no name
_NOUN_ENDING = re.compile(r"[A-Z][a-z]{3,}(?:tion|sion|ment|ity|ism|ship)|[A-Z][a-z]{3,}(?:ately|ally|ively|ingly)")  # "Separately,"; not "-ness" (Inverness)


def common_opener(run: Sequence[str], strong: bool, opens_sentence: bool) -> bool:
    return opens_sentence and len(run) == 1 and not strong and bool(_NOUN_ENDING.fullmatch(run[0])) \
        and not common_first_name(run[0])  # "Trinity said ..."


def labels_as(label: str, verb: str) -> bool:
    """Whether a label's words ("Chair", "Lead author") say what a question's verb asks ("chaired", "led"): the same
    stem, or the same relation."""
    wanted = {stem(verb)} | ({concept(stem(verb))} - {None})
    return any(stem(w) in wanted or concept(stem(w)) in wanted or w.lower().endswith(("or", "er")) and stem(w[:-2]) in wanted
               for w in re.findall(r"[A-Za-z]+", label))  # "Editor" for "edited", "Organiser" for "organised"


_APPOSITION_END = re.compile(r",|;|\n|\s[-–—]\s|\.(?:\s|$)|\s(?:who|which|said|says)\b")


def job_after_name(text: str, question: str) -> str | None:
    """The job in commas after the asked name ("Joanna Reyes, Chief Executive, Tessellate Labs")."""
    for match in JOB_AFTER_NAME.finditer(text):
        if match.group(1) in question:
            job = _APPOSITION_END.split(text[match.end():], maxsplit=1)[0].strip()
            return job[:1].upper() + job[1:] if job else None  # "A retail analyst at ...", shown first
    return None

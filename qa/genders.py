"""Which gender a mention has: what a title, a noun or a first name says, and the pronoun a user turn used for it."""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.lexicon import FEMALE, MALE

if TYPE_CHECKING:
    from qa.mention import Mention

PRONOUN_GENDER = dict.fromkeys("he him his himself".split(), "m") | dict.fromkeys("she her hers herself".split(), "f")


def title_gender(word: str) -> str:
    return "m" if word in MALE else "f" if word in FEMALE else ""


def named_gender(name: str) -> str:
    """The gender a full name's first name says ("Hannah Clegg", "Canon Philip Oduya" after a title that says
    none); a lone surname says none."""
    words = name.split()
    while len(words) > 2 and words[0].lower().rstrip(".") in _GENDERLESS_TITLES:
        words = words[1:]
    return first_name_gender(words[0]) if len(words) > 1 else ""


_GENDERLESS_TITLES = frozenset("dr prof professor canon revd rev reverend cllr councillor judge justice".split())


def gendered_by_pronoun(asked: str, resolved: str, found: list[Mention]) -> list[Mention]:
    """The person a user's "she"/"he" was resolved to ("Is she still there?" -> "Is Rhona Keddie ...") has that
    gender: the names the standalone form adds to what the user wrote."""
    said = {PRONOUN_GENDER[w] for w in re.findall(r"[a-z]+", asked.lower()) if w in PRONOUN_GENDER}
    if len(said) > 1:  # "Did she give him credit?" -> "Did Eleanor Whitcombe give Gareth Pryce credit?"
        return _gendered_one_by_one(asked, resolved, found)
    if not said:
        return found
    gender = said.pop()
    return [replace(m, gender=gender) if m.kind == "person" and not m.gender and m.text not in asked else m
            for m in found]


def gendered_by_later_pronoun(found: list[Mention], words: list[str], gaps: list[str]) -> list[Mention]:
    """A person of no known gender has the gender of a "his"/"she" later in the same sentence before anyone else
    is named ("Penhallow ... handing the practice to his chief assistant, Walter Gedge"): `words` are the text's
    tokens, `gaps` what stands before each."""
    starts = sorted(m.position for m in found if m.kind == "person")
    out = []
    for m in found:
        gender = ""
        if m.kind == "person" and not m.gender and m.position >= 0:
            until = min([p for p in starts if p > m.position] + [len(words)])
            for k in range(m.position + 1, until):
                if gaps[k][-1:] in (".", "!", "?"):
                    break
                if gender := PRONOUN_GENDER.get(words[k].lower(), ""):
                    break
        out.append(replace(m, gender=gender) if gender else m)
    return out


def _gendered_one_by_one(asked: str, resolved: str, found: list[Mention]) -> list[Mention]:
    """Each name the standalone form put in place of a gendered pronoun takes that pronoun's gender."""
    raw, standalone = re.findall(r"[\w'’-]+", asked), re.findall(r"[\w'’-]+", resolved)
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in raw], b=[w.lower() for w in standalone], autojunk=False)
    genders: dict[str, str] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == 1 and raw[i1].lower() in PRONOUN_GENDER:
            genders[" ".join(standalone[j1:j2])] = PRONOUN_GENDER[raw[i1].lower()]
    return [replace(m, gender=next((g for said, g in genders.items() if m.text in said), ""))
            if m.kind == "person" and not m.gender else m for m in found]


def first_name_gender(name: str) -> str:
    """"m" or "f" when the locales listing the name as a first name mostly list it for that gender ("Alex": 24
    male, 5 female); else "" ("Kim", "Joan" and names Faker does not know say nothing)."""
    male, female = _first_names()
    male_, female_ = male.get(name, 0), female.get(name, 0)
    return "m" if male_ > 2 * female_ else "f" if female_ > 2 * male_ else ""


def common_first_name(word: str) -> bool:
    """Whether several locales list `word` as a first name ("David", "Elon"; not "Canal" or "Storm", one each)."""
    male, female = _first_names()
    return male.get(word, 0) + female.get(word, 0) >= 2


@functools.lru_cache(maxsize=1)
def _first_names() -> tuple[Counter[str], Counter[str]]:
    """How many locales list each first name as male, and as female."""
    # Only the name tuples are read: docqa never generates fake data. Faker is a core dependency; should it be
    # missing, names simply say no gender (titles and nouns still do).
    try:
        import faker.providers.person as person
    except ImportError:
        return Counter(), Counter()
    male: Counter[str] = Counter()
    female: Counter[str] = Counter()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        except ImportError:
            continue
        male.update({n for n in getattr(provider, "first_names_male", ()) if isinstance(n, str)})
        female.update({n for n in getattr(provider, "first_names_female", ()) if isinstance(n, str)})
    return male, female

"""Questions that weigh two named things: which is older, larger or first, and yes/no questions asking whether
both share a value ("from the same country?", "both released in 1949?"), answered from one sentence per thing."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from qa.ages import AGE
from qa.answer_types import _YEAR
from qa.compose import Composed, Evidence
from qa.text import WORD, concepts, content_stems, stem, stems

_SMALLER_WINS = re.compile(r"\b(older|oldest|earlier|earliest|first|sooner|smaller|shorter|lower|lighter|slower|"
                           r"fewer|less|before)\b", re.I)
_AGE_WORDS = re.compile(r"\b(older|oldest|younger|youngest)\b", re.I)
_OPTIONS = re.compile(r"(?:,|:|\bbetween)\s*(?P<a>[^,:?]+?)\s+(?:or|and)\s+(?P<b>[^,:?]+?)\s*\??\s*$", re.I)
_MONTH_NAMES = ("january february march april may june july august september october november december").split()
_MONTH = "|".join(m.capitalize() for m in _MONTH_NAMES)
_FULL_DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})|(?P<m2>{_MONTH})\s+"
                        rf"(?:(?P<d2>\d{{1,2}}),?\s+)?(?P<y2>\d{{4}}))\b")
# "(30 December 1906 – 25 April 1976)", "(born 8 November 1954)": a life in brackets after a name.
_LIFE = re.compile(r"\((?:[^()]*?;\s*)?(?:born\s+)?(?P<born>[^()–—-]*?\d{4})\s*(?:[–—-]\s*(?P<died>[^()]*?\d{4}))?\s*\)")
_BIRTH_Q = re.compile(r"\b(born|older|oldest|younger|youngest|birth)\b", re.I)
_DEATH_Q = re.compile(r"\b(died|die|death)\b", re.I)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?\b", re.I)
_COMPARATIVES = frozenset(stem(w) for w in (
    "older oldest younger youngest earlier earliest first later latest sooner larger largest bigger biggest longer "
    "longest shorter smaller higher lower more less fewer greater which who what both same").split())
# A yes/no question about two things: "Were A and B both ...?", "Are A and B from the same country?",
# "Was A knighted in the same year as B?".
SAME_NOUN = re.compile(r"\bthe same (?P<noun>\w+)\b", re.I)
_BOTH = re.compile(r"\bboth\b(?P<rest>[^?]*)", re.I)
_NATIONALITY = re.compile(r"\b(?:is|was|are|were)\s+(?:an?|the)\s+(?:former\s+|retired\s+|\d{4}\s+)?"
                          r"(?P<adj>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ish|ese|ic|i|ch|ss|ek)$")
_BRITISH = frozenset("english scottish welsh british".split())


def options(question: str) -> tuple[str, str] | None:
    """The two things a comparison question weighs: "Who is older, Ann Lee or Bob Ray?" -> both names."""
    match = _OPTIONS.search(question)
    if not match:
        return None
    a, b = (re.sub(r"^(the|a|an)\s+", "", match.group(x).strip(), flags=re.I) for x in ("a", "b"))
    return (a, b) if a and b and a.lower() != b.lower() else None


def _date(text: str) -> tuple[int, int, int] | None:
    """The first date in `text` as (year, month, day), zeros where it does not say."""
    full = _FULL_DATE.search(text)
    year = _YEAR.search(text)
    if full and (not year or full.start() <= year.start() or year.group() in full.group()):
        month = _MONTH_NAMES.index((full.group("m1") or full.group("m2")).lower()) + 1
        return int(full.group("y1") or full.group("y2")), month, int(full.group("d1") or full.group("d2") or 0)
    return (int(year.group()), 0, 0) if year else None


def _quantity(text: str) -> float | None:
    for match in _NUMBER.finditer(text):
        digits = match.group(1).replace(",", "")
        if _YEAR.fullmatch(digits) and not match.group(2):
            continue  # a year is no quantity of the thing compared
        try:
            return float(digits) * _SCALE.get((match.group(2) or "").lower(), 1.0)
        except ValueError:
            continue
    return None


def _value(text: str, question: str) -> tuple | float | None:
    """What `text` says of the compared quantity: a birth or death date for people, a date for "first",
    an age for "older" when ages are given, else a number."""
    life = _LIFE.search(text)
    if _AGE_WORDS.search(question):  # an age, a birth or a founding date; "40 public computers" is no age
        if age := AGE.search(text):
            return -float(re.search(r"\d+", age.group()).group())  # the larger age is the earlier birth
        return _date(life.group("born")) if life else _date(text)
    if _BIRTH_Q.search(question) and life:
        return _date(life.group("born"))
    if _DEATH_Q.search(question) and life and life.group("died"):
        return _date(life.group("died"))
    if _BIRTH_Q.search(question) or _DEATH_Q.search(question) or _SMALLER_WINS.search(question):
        return _date(text) or _quantity(text)
    return _quantity(text) or _date(text)


def _relation(question: str, names: Sequence[str]) -> set[str]:
    named = {stem(w) for n in names for w in WORD.findall(n)}
    terms = content_stems(question) - named - _COMPARATIVES
    return terms | (concepts(question) - named)


def _about(pool: Sequence[Evidence], name: str, other: str, titles: Mapping[int, str]) -> list[Evidence]:
    """Sentences about `name`: naming it, or in a passage titled with it, and not naming `other`."""
    words = _name_stems(name)
    others = _name_stems(other)
    out = []
    for e in pool:
        said = stems(e.text)
        titled = words <= stems(titles.get(e.passage, ""))
        if (words <= said or titled) and not (others and others <= said and not titled):
            out.append(e)
    return out


def _name_stems(name: str) -> set[str]:
    return {stem(w) for w in WORD.findall(name)} & content_stems(name) or {stem(w) for w in WORD.findall(name)}


def _best(sentences: Sequence[Evidence], relation: set[str], name: str, titles: Mapping[int, str]) -> Evidence:
    """The sentence saying most of the asked relation; one from the thing's own article beats one that only
    names it ("creating The Sopranos for HBO" in its creator's biography)."""
    words = _name_stems(name)

    def score(e: Evidence) -> tuple:
        said = len(relation & (stems(e.text) | concepts(e.text)))
        return said + (words <= stems(titles.get(e.passage, ""))) + 0.5 * (words <= stems(e.text)), -e.passage, -e.start

    return max(sentences, key=score)


def compare(question: str, pool: Sequence[Evidence], titles: Mapping[int, str] | None = None) -> Composed | None:
    """Two sentences (one per option, each with a date or number) and the winner as the short answer."""
    pair = options(question)
    if not pair:
        return None
    titles = titles or {}
    relation = _relation(question, pair)
    found: list[Evidence] = []
    for option, other in (pair, pair[::-1]):
        about = [e for e in _about(pool, option, other, titles) if _value(e.text, question) is not None]
        if not about:
            return None
        found.append(_best(about, relation, option, titles))
    if found[0].text == found[1].text:
        return Composed(None, (found[0],))
    values = [_value(e.text, question) for e in found]
    winner = None
    if type(values[0]) is type(values[1]) and values[0] != values[1]:
        smaller_wins = bool(_SMALLER_WINS.search(question))
        pick = values.index(min(values) if smaller_wins else max(values))  # type: ignore[type-var]
        winner = pair[pick]
    return Composed(winner, tuple(found), answered_by=pair.index(winner) if winner else 0)


# Yes/no over two things --------------------------------------------------------------------------------------

def two_things(question: str, titles: Mapping[int, str]) -> tuple[str, str] | None:
    """The two things a yes/no question joins, as titled passages name them, else as "A and B" says them."""
    low = question.lower()
    seen: list[tuple[int, str]] = []
    for title in dict.fromkeys(t.strip() for t in titles.values() if t.strip()):
        bare = re.sub(r"^(the|a|an)\s+", "", title, flags=re.I).lower()
        at = low.find(bare)
        if bare and at >= 0 and not any(bare in t.lower() or t.lower() in bare for _, t in seen):
            seen.append((at, title))
    if len(seen) >= 2:
        (_, a), (_, b) = sorted(seen)[:2]
        return a, b
    match = re.match(r"^\W*(?i:is|are|was|were|did|do|does|has|have|had)\s+(?P<a>.+?)\s+(?:and|as)\s+"
                     r"(?P<b>[A-Z][^?]*?)(?:\s+(?:both|from|of|in|the same|born|released|directed|\w+ed)\b|\?|$)",
                     question)
    return (match.group("a"), match.group("b")) if match else None


def _nationality(sentences: Sequence[Evidence]) -> str | None:
    for e in sorted(sentences, key=lambda e: (e.passage, e.start)):
        if m := _NATIONALITY.search(e.text):
            adj = m.group("adj").lower()
            return "british" if adj in _BRITISH else adj
    return None


def _name_after(text: str, noun: str, own: set[str]) -> str | None:
    """The first name at or after `noun` in `text` that is not the thing itself ("the label Factory Records")."""
    at = max(text.lower().find(noun.lower()), 0)
    for match in re.finditer(r"[A-Z][\w'’.&-]*(?:\s+(?:of|the|and|&)?\s*[A-Z][\w'’.&-]*)*", text[at:]):
        words = {stem(w) for w in WORD.findall(match.group())}
        if not words <= own and match.start() + at > 0:
            return match.group().lower()
    return None


def about_two_things(question: str) -> bool:
    """Whether a question asks "both ..." or "the same ..." of two things, so its answer is judged per side."""
    return bool(re.search(r"\b(?:both|the same)\b", question, re.I))


def judge_pair(question: str, pool: Sequence[Evidence], titles: Mapping[int, str] | None = None) -> Composed | None:
    """"Yes"/"No" for "Are A and B from the same country?", "Were A and B both released in 1949?", with one
    sentence for each; None when the question is not of that shape or a sentence is missing."""
    same, both = SAME_NOUN.search(question), _BOTH.search(question)
    if not same and not both:
        return None
    titles = titles or {}
    things = two_things(question, titles)
    if not things:
        return None
    relation = _relation(question, things) - {stem(same.group("noun"))} if same else _relation(question, things)
    groups = [_about(pool, a, b, titles) for a, b in (things, things[::-1])]
    if not all(groups):
        return None
    if same and same.group("noun").lower() in ("country", "nationality"):
        values = [_nationality(g) for g in groups]
        chosen = [min(g, key=lambda e: (e.passage, e.start)) for g in groups]
    elif same:
        noun = same.group("noun")
        chosen = [_best(g, relation | {stem(noun)}, t, titles) for g, t in zip(groups, things)]
        if stem(noun) in ("year", "decad"):
            values = [(_date(e.text) or (None,))[0] for e in chosen]
        else:
            values = [_name_after(e.text, noun, {stem(w) for w in WORD.findall(t)}) for e, t in zip(chosen, things)]
    else:
        wanted = [w for w in WORD.findall(both.group("rest")) if w[:1].isupper() or w.isdigit()]
        if not wanted:
            return None
        key = {stem(w) for w in wanted}
        # "Canadian" is a nationality; "Japan" in "both born in Japan" is a place (Kazuo Ishiguro is British)
        nationality = [w.lower() for w in wanted if _DEMONYM.search(w) and
                       not re.search(rf"\b(?:in|from|at|to|near)\s+{re.escape(w)}\b", both.group("rest"))]
        chosen = [max(g, key=lambda e: (len(key & stems(e.text)), len(relation & stems(e.text)))) for g in groups]
        if len(nationality) == len(wanted) == 1:
            adj = "british" if nationality[0] in _BRITISH else nationality[0]
            values = [v == adj if (v := _nationality(g)) else None for g in groups]
        else:
            values = [key <= stems(e.text) for e in chosen]
        if None in values:
            return None
        return Composed("Yes" if all(values) else "No", tuple(chosen))
    if None in values:
        return None
    return Composed("Yes" if values[0] == values[1] else "No", tuple(chosen))

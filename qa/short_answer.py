"""The short answer inside a supporting sentence: the number, date, name, venue, reason clause or yes/no it gives."""

from __future__ import annotations

import re
from bisect import bisect
from typing import Sequence

from qa.answer_types import (_AGE, _CLOCK, _DATE, _DEGREE, _DISTANCE, _DURATION, _EXACT_DATE, _LENGTH, _MONEY, _MONTHS,
                             _NUMBER_WORDS, _PERCENT, _QUANTITY, _REASON, _SPEED, _TEMPERATURE, _VENUE, _VOLUME, _WEEKDAYS, _WEIGHT, _YEAR,
                             AnswerType, _singular, age_pattern, day_of_date, names_in, wh_nouns)
from qa.ages import life_date
from qa.changes import CHANGE_FROM, change_asked, moved_to
from qa.clauses import MANNER as _MANNER, clause_from as _clause_from
from qa.frequency import FREQUENCY
from qa.measures import PHONE, WITHIN_OF
from qa.genders import common_first_name
from qa.lexicon import DEMONYMS, ORG_WORDS, OUTLETS, PLACE_WORDS, SETTLEMENTS
from qa.name_kinds import asked_role, job_after_name, labels_as, maker_of, no_one, other_person, reported_source, role_in_parentheses, surely_a_person, untitled, without_titles
from qa.roles import role_phrase
from qa.statements import yes_or_no
from qa.text import MEASURED_FROM, WORD, concept, content_stems, stem
from qa.versions import EXCEPTION, version_in
from qa.where import asks_employer, no_town

_PATTERNS = {"distance": _DISTANCE, "money": _MONEY, "percent": _PERCENT, "age": _AGE, "speed": _SPEED, "weight": _WEIGHT, "volume": _VOLUME,
             "duration": _DURATION, "length": _LENGTH, "number": _QUANTITY, "degree": _DEGREE, "clock": _CLOCK,
             "frequency": FREQUENCY, "temperature": _TEMPERATURE, "phone": PHONE, "exception": EXCEPTION}
_FULL_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTHS[1:-1]})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?\b|"
    r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.I)
_MAX_WORDS = 14  # a short answer longer than this is no shorter than the sentence

# Capitalised words that follow a given name without being a surname: "Kemi Said", "Owen On Monday".
_NOT_SURNAMES = frozenset("and or but the said says asked told on in at for from with to".split())
_THESE = frozenset("these them those which whom".split())  # "52 of these": of what was just counted
_LOCATIVES = ("in", "at", "from", "near", "to", "into", "within", "inside")
_WORKPLACE = ("at", "for", "with")  # "residents at Larchfield House", "worked for Ofcom" (not "by": a person's cue)
_PLACE_ONLY = tuple(w for w in _LOCATIVES if w != "to")  # prepositions no person follows
# "Who did he meet?" asks for an object, found beside the verb; "Who criticised it?" for the subject, found first.
_AUXILIARY = re.compile(r"\b(?:did|does|do|will|would|can|could|has|have|had|should|may|might)\b", re.I)


def short_answer(question: str, wanted: AnswerType, text: str, exclude: str = "", standalone: str = "",
                 known: frozenset[str] = frozenset()) -> str | None:
    """The phrase of `text` that answers `question` as `wanted` asks, or None when there is none to show. `exclude`
    holds words already known (the question, a bridge entity) that are not an answer; `standalone` is the question
    with its references resolved ("How far can ATACMS rockets fly?"), whose words say which of two amounts is meant;
    `known` holds names the passages write, which count even where they open a sentence."""
    kind = wanted.kind
    phrase: str | None = None
    if kind == "count" or kind in _PATTERNS:  # "And before?" after "27.": not 27 again
        text = unsaid(text, exclude, names=False)
    if kind == "count":
        phrase = _count(text, wanted.noun, question)
    elif kind in _PATTERNS:
        phrase = _amount(text, kind, question, standalone)
    elif kind in ("date", "year", "exact-date") and (life := life_date(f"{question} {standalone}", text)):
        # "When did he die?": the second date of "(September 17, 1935 – November 10, 2001)"
        phrase = _YEAR.search(life).group() if kind == "year" and _YEAR.search(life) else life
    elif kind in ("date", "year", "exact-date"):
        # The date in the clause saying most of the question ("begin in spring 2025, and the first trams … in 2029":
        # "When will the first trams run?" is 2029), the most exact there ("Friday 7 March 2025": not "Friday").
        dates = (_FULL_DATE, _EXACT_DATE, _DATE, _YEAR)
        phrase = _nearest(text, dates, f"{question} {standalone}", year=kind == "year")  # "two years earlier, in 1841"
        if phrase and exclude and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", exclude):
            # "And recycling?" after "Tuesday" from "Bins go on Tuesday, and recycling every other Thursday": Thursday
            other = _nearest(text.replace(phrase, "\x00" * len(phrase)), dates, f"{question} {standalone}", year=kind == "year")
            phrase = other if other and "\x00" not in other else phrase
        phrase = phrase and moved_to(text, phrase, question, dates) or \
            (kind == "date" and (_nearest(text, _CLOCK, f"{question} {standalone}") or _nearest(text, WITHIN_OF, f"{question} {standalone}"))) or None  # "moved to 14:00"
    elif kind == "name" and wh_nouns(question) & OUTLETS:
        phrase = _venue(text, f"{question} {exclude}")  # "Which newspaper reported it?": the outlet named
    elif kind == "person" and (owner := maker_of(question, text) or role_in_parentheses(question, text)):
        phrase = owner  # "Jane Campion's The Power of the Dog", "Colin Greenwood (bass)"
    elif kind in ("person", "name", "place"):
        phrase = _name(text, f"{question} {exclude}",
                       prefer_after=_LOCATIVES if kind == "place" else ("by",) if kind == "person" else _asked_preposition(question),
                       typed=wh_nouns(question), place=kind == "place", names=known, role=asked_role(question),
                       question=f"{question} {standalone}", anywhere=kind == "place" or bool(_AUXILIARY.search(question)))
        if phrase and any(w.endswith("s") and not w.endswith("ss") and w not in _NOT_PLURALS for w in wh_nouns(question)):
            phrase = _with_list(text, phrase)  # "Which libraries ...?": "Hollins Green, Marlow Street and Fenby"
    elif kind == "venue":
        # Not the words carried after the standalone question: "posted on X" in the last answer is where she said it
        phrase = _venue(text, f"{question} {exclude.partition('?')[0]}")
    elif kind == "version":
        phrase = version_in(text, f"{question} {exclude}")
    elif kind == "reason":
        phrase = _clause_from(text, _REASON)
    elif kind == "manner":
        phrase = _clause_from(text, _MANNER)
    elif kind == "yesno":
        phrase = yes_or_no(question, text)
    elif kind == "role":  # "What is her job?": "Chief Executive"; "What position will Trump take up?": "incoming president"
        phrase = job_after_name(text, f"{question} {standalone}") or role_phrase(text, f"{question} {standalone}")
    elif kind is None and re.match(r"^\W*(?:and\s+)?(which|what)\s+(?!is\b|are\b|was\b|were\b|did\b|does\b|do\b)\w+", question, re.I):
        phrase = _named_noun(text, question, exclude)  # "Which missiles did he approve?" -> "ATACMS"
    if not phrase or "\x00" in phrase or len(phrase.split()) > _MAX_WORDS or len(phrase) >= 0.8 * len(text):
        return None
    return phrase[0].upper() + phrase[1:] if phrase[0].islower() and kind in ("reason", "manner", "frequency") else phrase


_PREPOSITION_ASKED = re.compile(r"\b(against|for|from|with|to|by)\s+(?:which|what)\b|\b(?:which|what)\b.*\b(against|for|from|"
                                r"with|to|by)\s*\?*\s*$", re.I)


def _asked_preposition(question: str) -> tuple[str, ...]:
    """The preposition the which-phrase stands after ("Against which team?", "Which club did he come from?"), or those
    naming a workplace ("Where was he working?": "at Larchfield House")."""
    match = _PREPOSITION_ASKED.search(question)
    return (next(g for g in match.groups() if g).lower(),) if match else (_WORKPLACE if asks_employer(question) else ())


_NOT_PLURALS = frozenset("is was has does this its thus us".split())  # a which-phrase's verb: "Which library is ...?"
_NAMED = r"[A-Z][\w'’&.-]*(?:[ \t]+[A-Z][\w'’&.-]*)*"
_LIST_REST = re.compile(rf"(?:,[ \t]+{_NAMED})*,?[ \t]+and[ \t]+{_NAMED}")


def _with_list(text: str, phrase: str) -> str:
    """The phrase with the names listed after it ("Hollins Green" -> "Hollins Green, Marlow Street and Fenby")."""
    at = text.find(phrase)
    rest = _LIST_REST.match(text, at + len(phrase)) if at >= 0 else None
    return text[at:rest.end()] if rest else phrase


def unsaid(text: str, said: str, names: bool = True) -> str:
    """`text` with the numbers (and names) `said` already gives blanked out, offsets kept: what else it offers."""
    # A month or a weekday said before stays: "11 November" is new after "4 November".
    values = set(re.findall(r"\d[\d,.]*\d|\d", said)) | (
        {n for n in names_in(said) if len(n) > 1 and not _CALENDAR.fullmatch(n)} if names else set())
    if not values:
        return text
    # "£97m" said before is "£97m" ("m", "bn", "k", "p": its scale); not "970", "97th" or the "000" of "£120,000"
    pattern = re.compile(r"(?<![\w.])(?<!\d,)(?:" + "|".join(map(re.escape, sorted(values, key=len, reverse=True))) +
                         r")(?!(?!(?:m|bn|k|p)\b)\w|[.,]\d)")
    return pattern.sub(lambda m: "\x00" * len(m.group()), text)


def _nearest(text: str, patterns: re.Pattern[str] | Sequence[re.Pattern[str]], question: str, countable: bool = False,
             year: bool = False) -> str | None:
    """The match in the clause saying most of the question, then with most of the question's words around it ("its
    beam reaches 22 nautical miles" for "how far does the beam reach?", not the "38 metres" earlier in the
    sentence), those in its own clause counting double. Several patterns are dates, most exact first, never read as
    ranges: after the clause, the most exact wins, then the nearest. A bare scale word ("million") is no amount, and with
    `year` a match must hold a year."""
    several = not isinstance(patterns, re.Pattern)
    asked = content_stems(question)
    said = {w.lower() for w in WORD.findall(question)}
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    words = _spans(text)
    best, best_key = None, None
    for rank, pattern in enumerate(patterns if several else [patterns]):
        for match in pattern.finditer(text):
            if match.group().strip().lower() in said or _SCALE.fullmatch(match.group().strip()) or \
                    (year and not _YEAR.search(match.group())):
                continue  # "one in Portuguese" does not answer "And the Portuguese one?"
            if countable and (_YEAR.fullmatch(match.group().strip()) or day_of_date(text, match) or
                              text[match.end():match.end() + 1] == "-"):  # "a three-year agreement"
                continue  # "In 1892 the club moved" gives no capacity
            # Question words close to the match count most; those in its own clause double ("…, and the first
            # trams … in 2029").
            clause = bisect(breaks, match.start())
            near = _closeness(words, asked, match.start(), match.end(), loose=False)
            # Dates: the clause saying most of the question, then the most exact date there ("Friday 7 March 2025").
            here = len({w for _, w, c in words if c == clause and w in asked})
            # Amounts too: "An adult swim will cost £6.50, ..., and a child swim £3" -> "£6.50" for an adult swim
            key = (here, -rank, near, -match.start()) if several else (here, near, -rank, -match.start())
            if best_key is None or key > best_key:
                best, best_key = match.group().strip() if several else _with_range(text, match, pattern), key
    return best


_CLAUSE_BREAK = re.compile(r"[;,]\s+|\s+(?:and|but|while|whereas)\s+")
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
_DEAL_SIZE = re.compile(r"\bhow (?:big|large)\b.*\b(?:contract|deal|order|agreement|grant|loan|fine|budget|investment|"
                        r"donation|bid|offer|settlement|package|award)s?\b", re.I)  # "£3.9m", not "three" of "three-year"
_SCALE = re.compile(r"(?:hundred|thousand|million|billion|trillion|dozen)s?", re.I)


_RANGE_JOIN = re.compile(r"\s*(?:to|–|—|-)\s*")
_RANGE_START = re.compile(rf"(?<![\w.:])(\d{{1,2}}:\d\d|\d[\d,.]*|{_NUMBER_WORDS})\s*(?:to|–|—|-)\s*$", re.I)  # "19:30–23:00"


def _amount(text: str, kind: str, question: str, standalone: str) -> str | None:
    # "How much comes from borrowing?": "£110 million", not the bare "110" (or "million") of that amount
    money_first = kind == "number" and _HOW_MUCH.search(f"{question} {standalone}") or _DEAL_SIZE.search(question)
    phrase = (money_first and _nearest(text, _MONEY, f"{question} {standalone}")) or \
        _nearest(text, age_pattern(question) if kind == "age" else _PATTERNS[kind], f"{question} {standalone}",
                 countable=kind == "number")
    if kind == "number" and not phrase:  # "How much profit did it make?": "£97m"
        phrase = _nearest(text, _MONEY, f"{question} {standalone}") or _nearest(text, _PERCENT, question)
    if phrase and (changed := change_asked(text, phrase, f"{question} {standalone}", (_MONEY, _PERCENT, _PATTERNS[kind]))):
        phrase = changed  # "How much had it risen to?", "How much was it up?"
    if kind == "number" and phrase and (unit := re.search(rf"(?<![\w.]){re.escape(phrase)}{_MEASURE_UNIT}", text)):
        phrase = unit.group()  # "How much ricotta do I need?": "250 g", not "250"
    return phrase or None


_MEASURE_UNIT = r"\s?(?:g|kg|mg|ml|cl|l|litres?|liters?|tsp|tbsp|teaspoons?|tablespoons?|cups?|oz|lbs?|grams?|pints?|GB|MB|TB|kWh)\b"


def _with_range(text: str, match: re.Match[str], pattern: re.Pattern[str]) -> str:
    """The match, or the range it belongs to: "8 to 35 times", "25–30 megs"."""
    start, end = match.start(), match.end()
    opening = _RANGE_START.search(text, 0, start)
    if opening:
        start = opening.start()
    else:
        join = _RANGE_JOIN.match(text, end)
        upper = pattern.match(text, join.end()) if join else None
        end = upper.end() if upper else end
    if (start, end) != (match.start(), match.end()) and CHANGE_FROM.search(text, 0, start):
        return match.group().strip()
    return text[start:end].strip()


def _count(text: str, noun: str | None, question: str = "") -> str | None:
    """The count of `noun`; of two ("moved 184,300 customer records; 212 records failed validation"), the one
    whose next words say what the question does ("How many records failed validation?": 212)."""
    best, counted = None, []
    asked = content_stems(question) - ({stem(noun)} if noun else set())
    for match in _QUANTITY.finditer(text):
        if _YEAR.fullmatch(match.group()) or text[match.end(): match.end() + 1] == "-" or day_of_date(text, match):
            continue
        following = text[match.end():].split()[:3]
        phrase = match.group()
        if noun:
            for i, word in enumerate(following):  # "52 of these supported": the households counted before
                if _singular(word.strip(",.;:")) == _singular(noun) or (i, following[0]) == (1, "of") and word in _THESE:
                    after = " ".join(text[match.end():].split()[i:i + 5])  # from the noun: "records; 212 ..." ends there
                    said = content_stems(" ".join(re.split(r"[;.:]", after, maxsplit=1)[0].split()[1:]))
                    counted.append((len(said & asked), phrase if word in _THESE else " ".join([phrase, *following[: i + 1]]).rstrip(",.;:")))
                    break
        best = best or phrase
    return max(counted, key=lambda c: c[0])[1] if counted else best


def _runs(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Runs of adjacent name words as (start, end) offsets ("Tomas Brenner", "Brennan Cup")."""
    names = set(names_in(text, known))
    runs: list[tuple[int, int]] = []
    for match in re.finditer(r"[A-Z][\w'’.&-]*(?:\s+(?:of|de|van|von|the|for|and|&)?\s*[A-Z][\w'’.&-]*)*", text):
        words = [w for w in re.findall(r"[A-Z][\w'’.&-]*", match.group())]
        if any(w.rstrip(".’'") in names for w in words):
            runs.append((match.start(), match.end()))
    return runs


def _known(phrase: str, known: str, places: bool = False) -> bool:
    known_words = {w.lower() for w in WORD.findall(known)}
    words = WORD.findall(phrase)
    if len(words) > 1 and words[-1].lower() in _LEGAL_SUFFIXES:  # "Kingsmere FC" is the "Kingsmere" asked about
        core = " ".join(words[:-1])  # ... under its club name; "Orme Ltd" is not the "Nadia Orme" who founded it
        return any(re.sub(r"['’]s$", "", run) == core for run in re.findall(_NAMED, known))
    # A place is what "Which Russian city?" already says ("Russia"), as is "Ukraine" in "the Ukrainian army"; a
    # person is not ("Schwartz" in "the Schwartzian transform" is the answer).
    return all(w.lower() in known_words or (places and (f"{w.lower()}n" in known_words or
                                                        f"{w.lower().rstrip('e')}ian" in known_words))
               for w in words)


_LEGAL_SUFFIXES = frozenset("fc afc cf sc ltd plc inc llc llp gmbh corp co".split())


_CALENDAR = re.compile(rf"(?:{_MONTHS[1:-1]}|{_WEEKDAYS[1:-1]})(?:\s+\d{{1,2}})?", re.I)


_COMPOUND_ADJECTIVE = re.compile(r"-[a-z]+$")
_DEMONYM = re.compile(r"(?:(?<=\ba )|(?<=\ban )|(?<=\bthe ))[A-Z][a-z]+(?:ian|ean|ese|ish)(?= [a-z])")
_OPENERS = re.compile(r"^(?:(?:The|A|An|This|That|These|Those|In|On|At|By|From|After|Before|During|Since|Until|For|"
                      r"With|But|And|Or|So|Yet)\s+)+")


_WHO_VERB = re.compile(r"^\W*(?:and\s+)?who\s+(?:has\s+|had\s+|will\s+)?([a-z]{3,})\b", re.I)


def _name(text: str, known: str, prefer_after: tuple[str, ...] = (), typed: set[str] = frozenset(),
          place: bool = False, names: frozenset[str] = frozenset(), question: str = "", role: Sequence[str] = (),
          anywhere: bool = False) -> str | None:
    candidates, roles = [], set()
    # The relation asked counts, not the names the question gives: those stand on the other side of it.
    asked, spans = content_stems(question), _spans(text)
    asked = asked - content_stems(" ".join(names_in(question))) or asked
    verb = who.group(1) if (who := _WHO_VERB.match(question)) else ""
    for start, end in _runs(text, names):
        phrase = text[start:end].strip().rstrip(".’'").removesuffix("'s").removesuffix("’s")
        start += len(phrase) - len(phrase := _OPENERS.sub("", phrase))  # "In January", "The Guardian"
        start, phrase = start + phrase.find(bare := untitled(phrase, role)), bare  # "French President Emmanuel Macron"
        if not phrase or _known(" ".join(without_titles(phrase.split())) or phrase, known, place) or \
                _CALENDAR.fullmatch(phrase) or phrase.lower() in DEMONYMS or _COMPOUND_ADJECTIVE.search(phrase) or \
                _DEMONYM.match(text, start):  # "a Kessarian civil engineer": a country's adjective the lexicon lacks
            continue  # "an English singer", "US-supplied rockets" name no one
        words = text[:start].split()[-2:]
        if "by" in prefer_after and reported_source(text[:start], question):
            continue  # "called the Russian leader, according to the Washington Post"
        if place and (surely_a_person(phrase.split(), words[-1:], after := text[start + len(phrase):].split()[:1]) or
                      "&" in after + words[-1:]):  # "the ironworks firm Brennick & Loy" is no place either
            continue  # "Joe Biden has given approval for strikes within Russia" names no city
        if place and typed & SETTLEMENTS and no_town(phrase):
            continue  # "Which Russian city was hit?" is not answered by "Ukraine"
        if place and MEASURED_FROM.search(text, 0, start):
            continue  # "The new office is 1.2 miles from Ancoats": where it is measured from, not where it is
        if "by" in prefer_after and no_one(phrase, words[-1:], text[start + len(phrase):].split()[:1], question):
            continue  # "born in Oxford", "attended Abingdon School" answer no "Who is his brother?"
        # "within the Kursk region" is a place's preposition; "a move by the US" names no author
        before = ([w for w in words if w.lower() not in ("the", "a", "an")] if place else words)[-1:] or [""]
        # A run sharing words with the question is what it asks about ("the Orchard Bridge"), not the answer.
        touches = any(_known(w, known, place) for w in phrase.split() if WORD.search(w)) and not other_person(phrase, known)
        # "Balliol College" answers "which college"; a name of the asked kind beats a nearer one.
        # So is the name right after the role asked for ("Who is the drummer?": "the drummer Dave Rowntree").
        # A name right after the asked noun is one of that kind too ("in the band The Smile").
        noun = next((w.lower().rstrip(":") for w in reversed(words) if w.lower() not in ("the", "a", "an")), "")
        of_kind = bool(typed & {w.lower() for w in WORD.findall(phrase)}) or noun in role or noun in typed or \
            bool(verb and words and words[-1].endswith(":") and labels_as(" ".join(words), verb))  # "Chair:" for "chaired"
        # A person is not the name after "in"/"at" ("founded in Reading"), though one after "to" may be ("showed
        # the photograph to James Watson").
        personal = "by" in prefer_after and before[0].lower() not in _PLACE_ONLY
        # ...nor a name saying it is an institution ("the Haldane Institute" beside "Professor Lucien Aubert")
        institution = "by" in prefer_after and bool({w.lower() for w in phrase.split()} & (ORG_WORDS | PLACE_WORDS))
        if "by" in prefer_after and len(phrase.split()) == 1 and words and words[-1] in ("the", "The") and \
                re.search(r"(?:er|or|ee|ant|ent|lord)$", phrase):  # not "the Trump campaign"
            roles.add(phrase)  # "The Agent's property manager ... is Chloe Ashdown": a defined role, not who
        # Of equal names, the one nearest the question's words ("studied creative writing at Stanford University");
        # when a subject is asked for, only agents ("produced by Richard D. Zanuck") are told apart so: else the first
        near = _closeness(spans, asked, start, end) if anywhere or before[0].lower() == "by" else 0.0
        candidates.append((personal, not institution, of_kind, before[0].lower() in prefer_after, not touches, near, -start,
                           phrase))
    if not candidates:
        return None
    if any(common_first_name(c[-1].split()[0]) for c in candidates):  # a person named beside it goes first
        candidates = [(c[0], c[1] and c[-1] not in roles, *c[2:]) for c in candidates]
    return max(candidates)[-1]


def _spans(text: str) -> list[tuple[int, str, int]]:
    """(offset, stem, clause number) of each word of `text`."""
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    return [(m.start(), stem(m.group()), bisect(breaks, m.start())) for m in WORD.finditer(text)]


# Past forms whose stem is not their verb's ("where he met the actor Owen Wilson" for "Who did he meet?"). They only
# say which name of a chosen sentence answers; sentence choice and abstention keep exact stems.
_PAST_FORMS = {"met": "meet", "won": "win", "wrote": "write", "written": "write", "sold": "sell", "bought": "buy",
         "led": "lead", "held": "hold", "gave": "give", "given": "give", "took": "take", "taken": "take",
         "made": "make", "sent": "send", "told": "tell", "taught": "teach", "brought": "bring", "chose": "choose",
         "chosen": "choose", "began": "begin", "begun": "begin", "left": "leave", "paid": "pay", "built": "build"}
_PAST = {stem(past): stem(verb) for past, verb in _PAST_FORMS.items()}


def _alike(word: str, asked: str) -> bool:
    """The same stem, the same relation ("born", "birth"), the same verb ("met", "meet") or a shared six-letter
    start ("supervised", "supervision")."""
    word, asked = _PAST.get(word, word), _PAST.get(asked, asked)
    return word == asked or (len(word) >= 6 and len(asked) >= 6 and word[:6] == asked[:6]) or \
        (concept(word) is not None and concept(word) == concept(asked))


def _closeness(spans: Sequence[tuple[int, str, int]], asked: set[str], start: int, end: int, loose: bool = True
               ) -> float:
    """How close the question's words stand to text[start:end], by word distance; its own clause counts double.
    `loose` also counts words alike ("supervision" for "supervised")."""
    at = sum(1 for offset, _, _ in spans if offset < start)
    clause = next((c for offset, _, c in spans if offset >= start), -1)
    closeness: dict[str, float] = {}
    for i, (offset, w, c) in enumerate(spans):
        hit = w if w in asked else next((a for a in asked if _alike(w, a)), None) if loose else None
        hit = None if start <= offset < end else hit
        if hit:
            closeness[hit] = max(closeness.get(hit, 0.0), (1.0 if c == clause else 0.5) / (1 + abs(i - at)))
    return round(sum(closeness.values()), 6)


def _named_noun(text: str, question: str, exclude: str) -> str | None:
    """For "which/what NOUN ...": a name written right next to that noun ("the ATACMS missiles")."""
    asked = re.match(r"^\W*(?:and\s+)?(?:which|what)\s+(\w+)", question, re.I)
    if not asked:
        return None
    noun = stem(asked.group(1))
    known = f"{question} {exclude}"
    for start, end in _runs(text):
        phrase = re.sub(r"^(The|A|An)\s+", "", text[start:end].strip()).rstrip(".’'")
        around = text[max(0, start - 30):start].split()[-2:] + text[end:end + 30].split()[:2]
        if not _known(phrase, known) and any(stem(w.strip(",.;:")) == noun for w in around + phrase.split()[-1:]):
            return phrase
    return None


def _venue(text: str, known: str) -> str | None:
    for match in _VENUE.finditer(text):
        phrase = match.group().strip()
        head = re.sub(r"^(on|in|at|via|through|to|from)\s+(the\s+|his\s+|her\s+|their\s+|its\s+|a\s+)?", "", phrase,
                      flags=re.I)
        named = match.start(3) if match.group(3) else match.start(6) if match.group(6) else -1
        if named >= 0:  # extend "on Truth" to the whole name "Truth Social"
            head = next((text[named:e] for s, e in _runs(text) if s <= named < e), head)
        else:  # "on the front page of the Coastal Gazette": the name that follows
            near = [text[s:e] for s, e in _runs(text) if match.end() <= s <= match.end() + 20]
            head = re.sub(r"^(The|A|An)\s+", "", near[0]) if near else head
        if head and not _known(head, known):
            return head.rstrip(".,;:")
    return None

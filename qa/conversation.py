"""Conversation state without an LLM: typed mentions of earlier turns, and follow-ups rewritten to stand alone."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from qa.lexicon import (COUNTED_WORDS, DEMONYMS, GROUP_NOUNS, IMPERATIVES, KIND_NOUNS, NOT_KINDS,
                        NOT_NAMES, ORG_WORDS, PERSON_NOUNS, PLACE_WORDS, ROLE_NOUNS, ROLE_WORDS, TITLES, UNITS)
from qa.answer_types import WHO_IS_NAMED
from qa.genders import PRONOUN_GENDER, common_first_name, gendered_by_later_pronoun, gendered_by_pronoun, named_gender, title_gender
from qa.name_kinds import (PLACE_PREPOSITIONS, after_title, common_opener, is_plural, name_kind, participle_opener,
                           reported_names, with_defined_nouns, without_titles)
from qa.antecedents import (AGENT, antecedent, bare_name, described, latest, locative, locative_preposition, organisation,
                            people)
from qa.text import CITATION_MARKERS, QUESTION_WORDS, STOPWORDS
from qa.mail import CHAT_STAMP
from qa.measures import NUMBER_NAME
from qa.mention import WORD_TOKEN as _TOKEN, Mention
from qa.asked_topics import asked_object
from qa.noun_phrases import with_definite_things
from qa.name_runs import capitalised as _capitalised, joined_titles, row_label, run_end as _run_end, with_head

# Code-like names in technical text: dotted (list.sort, comp.lang.python), snake_case or called (sorted()).
_IDENTIFIER = re.compile(r"^(?=.*(?:_|[a-z]\.[a-z]|\(\)$))[A-Za-z_][\w.]*(?:\(\))?$")
_IS = ("is", "was", "has", "does")  # "Athens is ...": a singular name, though it ends in "s"
# An answer saying the documents hold nothing names nothing (ours, and the usual ways people write it).
NOTHING_FOUND = re.compile(r"^\W*(?:i (?:could not|couldn't|can't|cannot) find\b|(?:the )?(?:documents?|article|page|"
                           r"text|sources?) (?:do(?:es)?n['’]t|do(?:es)? not) (?:say|mention|tell)\b)", re.I)
_PERSON_PRONOUNS = {"he": "he", "him": "him", "his": "his", "himself": "him", "she": "she", "her": "her", "hers": "her", "herself": "her"}
_PLURAL_PRONOUNS = frozenset("they them their theirs themselves".split())
_THING_PRONOUNS, _DEMONSTRATIVES = frozenset("it its itself".split()), frozenset("that this".split())
VERBISH = frozenset("is are was were do does did has have had can could will would should may might must be been being go "
                    "went say said make made get got take took come came happen happened mean means".split())


def _clean(text: str) -> str:
    """The text without citation markers; one ends a name ("X [1]. David Sacks": "X." is no initial)."""
    return " ".join(re.sub(CHAT_STAMP, " ; ", CITATION_MARKERS.sub(" ;", text), flags=re.I).split())  # "[Mon 17 Mar, 20:10]" names no cake


def mentions(text: str, turn: int = 0, asked: bool = False) -> list[Mention]:
    """Typed mentions of `text` in order: runs of capitalised words (typed by title, neighbours and
    head word) and plural noun phrases ("the missiles", "ATACMS rockets"; in a question, "do sockets")."""
    out: list[Mention] = []
    clean = _clean(text)
    found = list(_TOKEN.finditer(clean))
    words = [m.group() for m in found]
    gaps = [""] + [clean[a.end():b.start()].strip() for a, b in zip(found, found[1:])]  # what stands between words
    i = 0
    while i < len(words):
        word = words[i].rstrip(".")
        opening_verb = _opening_verb(word, words, gaps, i)
        unit = len(word) == 1 and clean[found[i].start() - 1:found[i].start()] in ("°", "º") or NUMBER_NAME.fullmatch(word) is not None  # the C of "6°C"; "Four." names nothing
        if _capitalised(word) and word.lower() not in PLACE_PREPOSITIONS and not opening_verb and not unit:
            j = _run_end(words, gaps, i)
            run = [w for k in range(i, j + 1) for w in (["&"] if k > i and gaps[k] == "&" else []) + [
                words[k].rstrip(".").removesuffix("'s").removesuffix("’s")]]
            before = words[i - 1].lower() if i > 0 else ""
            after = words[j + 1].lower() if j + 1 < len(words) else ""
            kind, strong = name_kind(run, before, after)
            opens = i == 0 or gaps[i][-1:] in (".", "!", "?")
            if kind == "group" and not strong and len(run) == 1 and opens and after not in _IS:
                # "Shoppers cut back ...": a plural opening a sentence is what "they" means, not "it" ("Serves 4": a verb)
                kind = "title-only" if after[:1].isdigit() else "plural"
            if kind == "title-only" or common_opener(run, strong, opens) or row_label(words, gaps, i, j) or (
                    len(run) == 1 and word.lower() in DEMONYMS and _noun_like(after) and after.islower()
                    and after not in ("one", "ones")):  # "Russian leader", not "the English one"
                i = j + 1
                continue
            names = without_titles(run) if kind == "person" else run
            names = run[len(run) - len(after_title(run)):] if kind == "person" and after_title(run) else names
            text_ = " ".join(names)
            if kind != "person" and (headed := with_head(text_, run, words, gaps, j)):
                (text_, kind), j = headed, j + 1
            title = run[0].lower() if run[0].lower() in TITLES else before
            gender = (title_gender(title) or named_gender(text_)) if kind == "person" else ""
            out.append(Mention(text_, kind, turn, i, strong, before == "the" and kind != "person", gender))
            if words[j].endswith(("'s", "’s")) and title_gender(after):  # "Tess Halloran's grandfather"
                out.append(Mention(f"{text_}'s {after}", "person", turn, j + 1, True, False, title_gender(after)))
                j += 1
            i = j + 1
            continue
        if _IDENTIFIER.match(words[i]):  # "comp.lang.python", "token_hex", "sorted()"
            # "strong": a code name is surely a name; a lone capitalised first word ("Use ...") may not be.
            out.append(Mention(words[i].rstrip("."), "thing", turn, i, strong=True))
            i += 1
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if word.islower() and nxt in KIND_NOUNS and i > 0 and words[i - 1].lower() == "the" \
                and word not in STOPWORDS and word not in VERBISH:  # "the zoneinfo module"
            out.append(Mention(f"{word} {nxt}", "thing", turn, i, definite=True))
            i += 2
            continue
        if is_plural(word) and word.islower() and not word[0].isdigit() and word not in STOPWORDS | VERBISH | NOT_NAMES | _NOT_THINGS:
            out.extend(_plural(words, i, turn, asked, gaps[i - 1]))
        i += 1
    return gendered_by_later_pronoun(out, words, gaps)


def _opening_verb(word: str, words: Sequence[str], gaps: Sequence[str], i: int) -> bool:
    """"Run pytest ...", "No. Note that ...", "Released in June 1975, Jaws became ...": a verb, no name."""
    opens = i == 0 or gaps[i][-1:] in (".", "!", "?")
    return opens and (word.lower() in VERBISH | IMPERATIVES or i + 1 < len(words) and not gaps[i + 1] and words[i + 1] in (
        "the", "your", "a", "an", "it", "them", "any", "all")) or participle_opener(words, gaps, i)  # "Clean the filter"


def _plural(words: Sequence[str], i: int, turn: int, asked: bool, gap_before: str = "") -> list[Mention]:
    """The plural thing words[i] names after a determiner ("the missiles"; in a question "do sockets"), if any;
    `gap_before`: what stands between the word before and the one before that."""
    word, nxt = words[i], words[i + 1].lower() if i + 1 < len(words) else ""
    if word.lower() in _PARTITIVES:
        return []  # "the sets of keys", "four sets": what "them" means is the keys
    if i > 1 and words[i - 1].lower() in ("which", "who", "that") and gap_before == ",":
        return []  # "the Penhallow Foundation, which pays for ...": a verb
    allowed = _PLURAL_BEFORE if asked else _DETERMINERS
    before, earlier = (w.lower() for w in (words[i - 1] if i > 0 else "", words[i - 2] if i > 1 else ""))
    last = asked and i == len(words) - 1 and before.endswith(("ing", "ed")) and before not in STOPWORDS  # "... offering shops?"
    if last or before in allowed and not (i == 1 and before in ("what", "which") and _is_object(nxt)):
        return [Mention(word, "plural", turn, i)]  # but "What installs packages?" asks who does it
    if earlier in allowed and _modifier(words[i - 1]):  # "the sodium batteries", "do heat pumps"
        return [Mention(f"{words[i - 1]} {word}", "plural", turn, i - 1)]
    return []


_PARTITIVES = frozenset("sets pairs lots kinds types sorts numbers bags boxes packs pieces bits rows groups".split())
_DETERMINERS = frozenset("the these those its their his her our which what many some all both two three".split())
# A question's bare plural after an auxiliary or a preposition is its topic ("Where do sockets come from?"); an
# answer's bare plurals are too many to be what "they" points at.
_PLURAL_BEFORE = _DETERMINERS | frozenset("do did are were have had can could will would should of about for with on "
                                          "from between among against".split())
# Plural-looking words that are no things "they" points at: adverbs, and units ("about three metres").
_NOT_THINGS = frozenset("perhaps nowadays afterwards besides unless whereas across thus plus yes always sometimes "
                        "consists includes contains comprises remains becomes".split()) | UNITS  # "The band consists of"


# "before they are added", "once they have been approved": a clause about what its sentence named before.
_PASSIVE_CLAUSE = re.compile(r"(?:before|after|once|when|until|unless|if|while)\s+they\s+(?:are|were|get|got|have\s+been|had\s+been|will\s+be|can\s+be)\s+(?:\w+ed|\w+en|made|sent|built|paid|sold|kept)\b", re.I)


def _plural_thing_in(tokens: Sequence[str]) -> bool:
    return any(t.islower() and t.isalpha() and is_plural(t) and t not in STOPWORDS | VERBISH | _NOT_THINGS for t in tokens)


def _is_object(word: str) -> bool:
    return word in ("the", "a", "an", "its", "their", "his", "her", "this", "these") or is_plural(word) and word not in STOPWORDS | VERBISH


def _modifier(word: str) -> bool:
    return word.islower() and word.isalpha() and word not in STOPWORDS | VERBISH and not is_plural(word)


def code_names(text: str) -> list[str]:
    """The code names a text uses ("token_urlsafe", "statistics.fmean", "sorted()"), in order."""
    return [w.rstrip(".") for w in _TOKEN.findall(_clean(text)) if _IDENTIFIER.match(w)]


def conversation_mentions(history: Sequence[dict[str, str]], resolved_users: Sequence[str] = ()) -> list[Mention]:
    """Mentions of every turn, oldest first; user turns are read in their resolved (standalone) form."""
    out: list[Mention] = []
    users = iter(resolved_users)
    asked: tuple[str, set[str], str] | None = None  # (the kind the last user turn asked for, its names, its noun)
    topic: list[Mention] = []
    for turn, message in enumerate(history):
        text = message.get("content", "")
        if message.get("role") != "user" and NOTHING_FOUND.match(text):
            continue  # "I could not find this in the documents.": no "documents" for "they" to mean
        resolved = next(users, text) if message.get("role") == "user" else text
        found = with_definite_things(mentions(resolved, turn, True), resolved, turn) if message.get("role") == "user" else mentions(text, turn)
        if message.get("role") == "user":
            # "When is go-live now?" "6 October" "What was it before?": "it" goes on meaning go-live
            topic = asked_object(text, turn) or [replace(m, turn=turn) for m in topic
                                                 if _IT.search(text) and m.text.lower() in resolved.lower()]
            found = gendered_by_pronoun(text, resolved, found) + topic
            kind, noun = _answer_kind(text)
            asked = (kind, {m.text for m in found}, noun) if kind else None
        else:
            first = len(_TOKEN.findall(_clean(_FIRST_SENTENCE.match(text).group())))
            if asked is not None:  # the answer to "who ...?" is a person, to "where ...?" a place: its first sentence
                kind, names, noun = asked  # who reported the answer ("according to the Post") is not what it names
                found = _typed_answer([m for m in found if m.position < first], kind, names | reported_names(text), noun) + \
                    [m for m in found if m.position >= first]
            # "14 nautical miles [1]. Made in France in 1867, it ...": a place in a supporting sentence is background,
            # no more recent than the question whose thing "it" goes on meaning
            found = [replace(m, turn=turn - 1) if m.kind == "place" and m.position >= first and not m.strong else m for m in found]
            # "How much is the rent?" "£1,150 ... to the Agent's account": the rent is still what "it" means
            again = [replace(m, turn=turn, position=-1, strong=True) for m in topic]
            found = again + _subject_pronoun(text, out, turn) + (found or _bare_answer(text, turn))
        out.extend(joined_titles(found, {m.text for m in out if " and " in m.text}))
    # Whom "she" was taken to mean is a woman in every turn that names her ("he" is then someone else); an
    # organisation that answered "who" is what "they" means in every turn, never "it".
    actors = {m.text for m in out if m.actor}
    out = [replace(m, actor=True) if m.text in actors and m.kind == "group" else m for m in out]
    genders = {m.text: m.gender for m in out if m.gender}
    out = [replace(m, gender=genders[m.text]) if not m.gender and m.text in genders else m for m in out]
    # A surname seen alone after the full name is the same person ("Jane Doe ... Doe said").
    people = {m.text.split()[-1]: m for m in sorted(out, key=lambda m: len(m.text.split()) > 1) if m.kind == "person"}
    out = [Mention(m.text, "person", m.turn, m.position, True, False, m.gender or people[m.text].gender)
           if m.kind in ("thing", "group") and m.text in people else
           replace(m, gender=people[m.text].gender)  # "What does Feltham want?" after "Dr Owen Feltham": he
           if m.kind == "person" and not m.gender and m.text in people and people[m.text].text != m.text else m
           for m in out]
    return with_defined_nouns(out, [message.get("content", "") for message in history])  # "the film": Jaws


_IT = re.compile(r"\b(?:it|they|them)\b", re.I)
_REFLEXIVES = frozenset("themselves itself himself herself".split())
_OWN_THING_THEN_IT = re.compile(r"\b(?:the|my|your|our|a|an)\s+[a-z][\w-]*\b.*\b(?:if|when|unless|once|whenever|in case)\b[^,]*$", re.I)
_FIRST_SENTENCE = re.compile(r".*?(?:[.!?](?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])?(?=\s|$)|$)", re.S)


def _bare_answer(answer: str, turn: int) -> list[Mention]:
    """A one-word lowercase answer ("tzdata.") names the thing asked for, though no capital marks it."""
    words = _TOKEN.findall(_clean(answer))
    if len(words) != 1 or not words[0].isalpha() or words[0].lower() in STOPWORDS | NOT_NAMES | VERBISH or NUMBER_NAME.fullmatch(words[0]):
        return []
    return [Mention(words[0].rstrip("."), "thing", turn, 0)]


_WHERE = re.compile(r"^\W*(?:and\s+|so\s+)?where\b", re.I)
# "Where did he post it?" asks for a newsgroup or a site, not a place.
_VENUE_VERB = re.compile(r"\b(post|posted|publish|published|announce|announced|upload|uploaded|write|wrote|"
                         r"written|print|printed|share|shared)\b", re.I)
_SUBJECT_PRONOUN = re.compile(r"^\W*(it|he|she|they)\b", re.I)


def _subject_pronoun(answer: str, pool: Sequence[Mention], turn: int) -> list[Mention]:
    """An answer opening with "It ..."/"He ..." talks about what the conversation was about: that
    referent is mentioned again, as the answer's subject (so it stays the most recent of its kind)."""
    match = _SUBJECT_PRONOUN.match(_clean(answer))
    if not match:
        return []
    word = match.group(1).lower()
    wanted = "person" if word in ("he", "she") else "plural" if word == "they" else "thing"
    ref = antecedent(pool, wanted)
    return [Mention(ref.text, ref.kind, turn, -1, ref.strong, ref.definite, ref.gender)] if ref else []


_WHO = re.compile(r"^\W*(?:and\s+|so\s+)?(who|whom|whose)\b|\b(which|what) (person|man|woman|author|writer)\b", re.I)
_WHICH_NOUN = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:which|what)\s+(\w+)(?:\s+(\w+))?")


def asked_kind(question: str) -> str | None:
    """What the answer to `question` names that the question does not: "person" for "Who did he call?" (not for
    "Who is Ada?"), "place" for "where", the kind of "which clubs"; None for other questions."""
    return _answer_kind(question)[0]


def _answer_kind(question: str) -> tuple[str | None, str]:
    """(kind, noun) of what the answer to a user turn names: a person for "who", a place for "where", clubs
    (not the people their capitalised words would read as) for "Which clubs did he play for?"; (None, "") else."""
    if _WHO.match(question) and not WHO_IS_NAMED.match(question):
        return "person", ""
    if _WHERE.match(question) and not _VENUE_VERB.search(question):
        return "place", ""
    match = _WHICH_NOUN.match(question)
    if not match:
        return None, ""
    first, second = match.groups()
    modified = second and (first[:1].isupper() or first.isdigit() or first.lower() in COUNTED_WORDS or second.lower() in _SORTS)  # "which two clubs", "what squash variety"
    noun = (second if modified else first).lower()
    if not _noun_like(noun) or noun in NOT_KINDS or re.search(rf"\b{noun}\s+of\b", question, re.I):
        return None, ""
    if any(_personal(w.lower()) for w in (first, second or "") if w):
        return None, ""  # "Which judge", "which union official": people our person nouns do not list
    noun = noun[:-1] if is_plural(noun) else noun
    return ("group" if noun in GROUP_NOUNS else "place" if noun in PLACE_WORDS else "thing"), noun


# What a question asks the name of when it asks for a sort of thing: never a person, whatever its first word
_SORTS = frozenset("variety varieties breed breeds cultivar species strain brand model flavour flavor dish recipe".split())


def _typed_answer(found: list[Mention], kind: str, names: set[str], noun: str) -> list[Mention]:
    """The answer's new names typed as what was asked for. After "who"/"where" every name is; after "which
    clubs" only names not surely people, and a name whose first name says a gender stays a person."""
    def retyped(m: Mention) -> bool:
        # "Pleasant Hill" answering "where" is a place, though one locale lists "Pleasant" as a first name
        if m.text in names or (kind != "person" and m.kind == "person" and common_first_name(m.text.split()[0])
                               and named_gender(m.text) and noun not in _SORTS):  # "Honey Boat", a squash variety, is no she
            return False
        if kind in ("person", "place"):
            return m.kind in ("person", "thing", "group", "place")
        return m.kind == "thing" or (m.kind == "person" and not m.strong)
    def answering_body(m: Mention) -> bool:  # "Who paid?" "The Halden Family Foundation.": "they" paid, not "he"
        return kind == "person" and m.kind == "group" and m.text not in names and \
            bool(set(m.text.lower().split()) & ORG_WORDS)
    return [replace(m, actor=True) if answering_body(m) else
            Mention(m.text, kind, m.turn, m.position, kind == "person" or (m.strong and kind != "place"),
                    m.definite and kind != "person",
                    m.gender or (named_gender(m.text) if kind == "person" else ""), noun) if retyped(m) else m
            for m in found]


def _personal(noun: str) -> bool:
    noun = noun[:-1] if is_plural(noun) else noun
    return noun in PERSON_NOUNS or noun in ROLE_WORDS or noun in ROLE_NOUNS or \
        bool(re.search(r"(?:er|or|ist|yst|ian|ial|ant|ent|ee)$", noun))


def _possessive(text: str) -> str:
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def describes_earlier(question: str, pool: Sequence[Mention], defined: bool = False) -> bool:
    """Whether the question says "the company", "the missiles" for something an earlier turn named; with
    `defined`, only for something a turn defined by that noun ("Jaws is a 1975 American thriller film")."""
    words = re.findall(r"\w+", question)
    return any(w.lower() in ("the", "that", "these", "those") and _noun_like(n) and (
        any(m.noun == n.lower() for m in pool) if defined else described(n, pool, ())) for w, n in zip(words, words[1:]))


_SAID_IT = re.compile(r"\b(?:say|said|says|tell|told|write|wrote|post|posted|tweet|tweeted|mention|mentioned|claim|claimed)\s*$", re.I)


def resolve_references(question: str, pool: Sequence[Mention], last_claim: str = "", new_thing: bool = False, introduced: bool = False) -> tuple[str, list[str]]:
    """The question with pronouns and definite descriptions replaced by what they point at, and the referents used:
    "that"/"this" alone, and "it" with no thing to name after a claim bringing in a `new_thing` (or only a thing named with "the" after an answer that `introduced` one with "a"), mean the claim."""
    own = {m.text.lower() for m in mentions(question)}
    used: list[str] = []
    tokens = re.split(r"(\W+)", question)
    for i, token in enumerate(tokens):
        low = token.lower()
        nxt = next((t for t in tokens[i + 1:] if t.strip() and re.match(r"\w", t)), "")
        replacement = None
        if nxt.lower() == "own" and re.search(r"\b(?:on|of)\s*$", "".join(tokens[:i]), re.I) or low in _REFLEXIVES:
            continue  # "whisked on their own", "a mind of its own": an idiom; "buy food themselves": the subject
        if low in _PERSON_PRONOUNS:
            ref = antecedent(pool, "person", tuple(own), PRONOUN_GENDER.get(low, "")) or bare_name(pool, tuple(own))
            if ref:
                replacement = _possessive(ref.spoken) if low in ("his", "hers") or (low == "her" and _noun_like(nxt)) \
                    else ref.spoken
        elif low in _PLURAL_PRONOUNS:
            agent = low == "they" and AGENT.match("".join(tokens[i + 1:]))  # "they spend": people, not tickets
            if _PASSIVE_CLAUSE.match("".join(tokens[max(i - 2, 0):])) and _plural_thing_in(tokens[:i]):
                continue  # "new questions ... before they are added": the question's own plural
            owner = low in ("their", "theirs") and nxt.lower() in ROLE_NOUNS  # "their members": a body's, not the days'
            ref = (organisation(pool, tuple(own)) if agent or owner else None) or (latest([m for m in pool if m.text[:1].isupper()], ("place", "thing"), tuple(own)) if owner else None) \
                or (people(pool, tuple(own)) if agent else antecedent(pool, "plural", tuple(own)))
            if ref:
                replacement = _possessive(ref.spoken) if low in ("their", "theirs") else ref.spoken
        elif low == "it" and last_claim and _SAID_IT.search("".join(tokens[:i])):
            used.append(last_claim)  # "Where did she say it?": what was just said, not a thing named
        elif low in _THING_PRONOUNS and not (low == "it" and _OWN_THING_THEN_IT.search("".join(tokens[:i]))):  # "... if I need it"
            # "How many people does it employ?": what acts is the company, not the town it was founded in
            acting = low == "it" and AGENT.match("".join(tokens[i + 1:])) and latest(pool, ("group",), tuple(own))
            ref = acting or antecedent([m for m in pool if not m.actor], "thing", tuple(own))
            if ref and ref.common and new_thing and introduced:
                ref = None  # "Why did the water bill go up?" "Because of a leak ...": "it" is the leak just said
            if ref:
                replacement = _possessive(ref.spoken) if low == "its" else ref.spoken
            elif low == "it" and new_thing and last_claim and last_claim not in used:
                used.append(last_claim)  # "Who fixed it?": the leak just said
        elif low in ("the", "that", "this", "these", "those") and nxt and _noun_like(nxt):
            ref = described(nxt, pool, tuple(own))
            if ref and ref.text not in used:  # "When did he phone the minister?": not "he" a second time
                j = tokens.index(nxt, i + 1)
                tokens[i + 1:j + 1] = [""] * (j - i)
                replacement = ref.spoken
            elif low in _DEMONSTRATIVES and last_claim and last_claim not in used:
                used.append(last_claim)  # "that schedule" names nothing earlier: it is what was just said
        elif low in ("those", "these") and not _noun_like(nxt) and re.search(r"\bof\s*$", "".join(tokens[:i]), re.I):
            ref = antecedent(pool, "plural", tuple(own))  # "How many of those will be affordable?": of the homes
            replacement = (ref.spoken if ref.spoken.lower().startswith("the ") else f"the {ref.spoken}") if ref else None
        elif low == "there" and locative(tokens, i):  # "How many people work there?"
            ref = latest(pool, ("place", "group"), tuple(own))
            if ref:
                replacement = f"{locative_preposition(ref)} {ref.spoken}"
        elif low in _DEMONSTRATIVES and last_claim and not (nxt and _noun_like(nxt)):
            used.append(last_claim)
            continue
        if replacement and ref.text not in used:  # type: ignore[union-attr]
            tokens[i] = replacement
            used.append(ref.text)  # type: ignore[union-attr]
    return "".join(tokens), used


def _noun_like(word: str) -> bool:
    w = word.lower()
    return bool(w) and w not in STOPWORDS and w not in VERBISH and w not in QUESTION_WORDS and w.isalpha()

"""Turns a follow-up question into a standalone retrieval query: heuristically, or with a chat model."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Sequence

from qa.anaphora import anchored_time, kind_named, refers_to_a_kind, replace_one
from qa.conversation import (NOTHING_FOUND, VERBISH, Mention, asked_kind, code_names, conversation_mentions, describes_earlier,
                             mentions, resolve_references)
from qa.ellipsis import bare_question, complete_ellipsis, dislocated, ellipsis_subject, verb_phrase_question
from qa.parallel import same_verb_subject
from qa.genders import PRONOUN_GENDER
from qa.lexicon import IMPERATIVES
from qa.ordinals import resolve_ordinal
from qa.text import QUESTION_OPENERS as _QUESTION_WORDS
from qa.text import CITATION_MARKER, STOPWORDS, TERM

log = logging.getLogger(__name__)

_WORD = TERM
_REFERRING = frozenset(
    "it its they their them theirs this that these those he him his she her hers there such the same one ones "
    "former latter".split()
)
_PRONOUNS = _REFERRING - {"the", "one", "ones", "same"}
_ELLIPSIS_OPENERS = ("and ", "what about", "how about", "and what", "what of", "same for", "also ", "then ")
_GENERIC = frozenset(
    "range name names number many much long far date year time people person thing things say said tell "
    "happen happened mean means kind type until till since".split()
)
_MAX_TURN_CHARS = 400  # of each earlier turn shown to a chat model
_MAX_QUERY_CHARS = 400


def content_terms(text: str) -> list[str]:
    """Words that carry meaning (no stopwords, question words or pronouns), in order, without duplicates."""
    out: dict[str, None] = {}
    for word in _WORD.findall(text):
        lowered = word.lower().strip("'’-")
        if lowered and lowered not in STOPWORDS and lowered not in _QUESTION_WORDS and lowered not in _REFERRING:
            out.setdefault(word.strip("'’-"), None)
    return list(out)


def entity_terms(text: str) -> list[str]:
    """Capitalised words not at a sentence start, acronyms and numbers: the terms a follow-up refers back to."""
    found: dict[str, None] = {}
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            bare = word.strip("'’-")
            if bare.endswith(("'s", "’s")):
                bare = bare[:-2]
            if not bare:
                continue
            if any(ch.isdigit() for ch in bare) or (bare.isupper() and len(bare) > 1):
                found.setdefault(bare, None)
            elif bare[:1].isupper() and (i > 0 or bare.lower() not in STOPWORDS | _QUESTION_WORDS | _OPENERS) \
                    and bare.lower() not in STOPWORDS and not _FIRST_PERSON.match(bare):
                found.setdefault(bare, None)
    return list(found)


# Words that open a question or a clause without naming anything ("Since when ...?", "Tell me ...").
_OPENERS = frozenset("since if after before while because although though unless until once now then so also still besides "
                     "apart except excluding including unlike aside "
                     "yet please tell explain describe list give show compare should shall may might must "
                     # "According to the report, ...", "Roughly how much ...", "Okay, and who ...?"
                     "according regarding concerning considering given assuming supposing judging based roughly "
                     "approximately exactly overall generally just only even actually really ok okay well right "
                     "sorry hi hello hey thanks "
                     # "Against which team?", "Within how many days?": a preposition opening a fragment
                     "against during within without among across through towards toward beyond despite via per "
                     "versus".split())
_FIRST_PERSON = re.compile(r"^I(?:['’](?:m|ve|d|ll))?$")


def _own_entities(question: str) -> list[str]:
    return [e for e in entity_terms(question) if e.lower() not in _QUESTION_WORDS | STOPWORDS]


def is_ellipsis(question: str) -> bool:
    """"And the Himars?", "What about Kyiv?": the question borrows its predicate from the previous one."""
    lowered = question.lower().strip()
    return any(lowered.startswith(o) for o in _ELLIPSIS_OPENERS)


# "Which of the two fell further?": a choice among things named earlier.
_PICKS_FROM_BEFORE = re.compile(r"\b(?:the two|both of them|either of them|neither of them|which of them|the former|"
                                r"the latter|the other one)\b", re.I)


# A pronoun as the subject right after the question's auxiliary ("Can it store ...", "Why did they ..."); not the
# "it" of "Is it true that ...", "Is it possible to ...", which stands for what follows
_SUBJECT_PRONOUN = re.compile(r"^\W*(?:(?:and|so|but)\s+)?(?:(?:what|when|where|why|how|who|which)(?:\s+\w+){0,2}\s+)?"
                              r"(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have|had)\s+"
                              r"(?:it|they|he|she)\b", re.I)
_EXPLETIVE_IT = re.compile(r"^\W*(?:\w+\s+){0,2}(?:is|was|would|will)\s+it\s+(?:\w+\s+)?(?:true|possible|worth|necessary|safe|"
                           r"ok|okay|better|best|easy|easier|hard|harder|wise|likely|normal|common|important|allowed|"
                           r"legal|recommended|a good idea)\b", re.I)
# "Since which Python version does the function support it?": a pronoun ending a one-clause question is the object of
# its verb, so it cannot be that clause's subject and points back to the conversation, however much else is named
_OBJECT_PRONOUN_LAST = re.compile(r"^[^,;]*\b[a-z]+\s+(?:it|them)\W*\?\s*$", re.I)
# "Which PEP has the details?": the details of what was just talked about, whatever else the question names
_DETAILS_OF_IT = re.compile(r"\bthe\s+(?:full\s+)?(?:details|specifics|rationale|reasoning|motivation|background|fine print)"
                            r"\b(?!\s+(?:of|on|about|for|behind|to)\b)", re.I)


def is_follow_up(question: str) -> bool:
    """A question that points back (pronouns, ellipsis) or is too bare to retrieve on its own."""
    if is_ellipsis(question) or refers_to_a_kind(question) or _PICKS_FROM_BEFORE.search(question):
        return True
    words = [w.lower() for w in _WORD.findall(question)]
    if _SUBJECT_PRONOUN.match(question) and not _EXPLETIVE_IT.match(question):
        return True  # "Does it support Python 3 and PyPy?": its subject is whatever was talked about
    if _OBJECT_PRONOUN_LAST.match(question) or _DETAILS_OF_IT.search(question):
        return True
    if any(w in _PRONOUNS for w in words):
        return not _own_entities(question) or len(content_terms(question)) <= 3
    meaningful = [t for t in content_terms(question) if t.lower() not in _GENERIC]
    return len(meaningful) == 0


def might_refer_back(question: str) -> bool:
    """Cheap pre-check before paying for a chat model: follow-ups, any pronoun, or a very short question."""
    words = [w.lower() for w in _WORD.findall(question)]
    return is_follow_up(question) or any(w in _PRONOUNS for w in words) or len(words) <= 4


def rewrite_query(question: str, history: Sequence[dict[str, str]] | None, max_turns: int = 2) -> str:
    """The question itself if it stands alone; otherwise a standalone version of it.

    Earlier user turns are resolved first, in order, so the conversation state is the chain of
    standalone questions plus the assistant's answers. Pronouns and definite descriptions are
    replaced by the most recent type-compatible mention (he/she: people; they/their: plural things
    or groups; it: things; "the missiles": a mention headed by "missiles"), "that"/"this" alone
    carries the last answer's words, and an ellipsis ("And the Himars?", "What about France?") is
    the previous question with its subject swapped (the new subject is repeated so that it
    outweighs what is carried). A follow-up also carries the content words of the previous question.
    """
    if not history:
        return question
    resolved: list[str] = []
    for i, message in enumerate(history):
        if message.get("role") == "user":
            resolved.append(_rewrite_one(message.get("content", ""), history[:i], resolved, max_turns)[0])
    standalone, extra = _rewrite_one(question, history, resolved, max_turns)
    time = anchored_time(question, history)
    if time and time.lower() not in f"{standalone} {' '.join(extra)}".lower():
        extra.append(time)  # "Where was he working at the time?" is about the time named earlier
    return f"{standalone} {' '.join(extra)}".strip() if extra else standalone


def _rewrite_one(question: str, history: Sequence[dict[str, str]], resolved: Sequence[str],
                 max_turns: int) -> tuple[str, list[str]]:
    """(standalone question, terms carried for retrieval) for one turn, given the resolved earlier turns."""
    if not history:
        return question, []
    question = dislocated(question) or question  # "And the conference dinner, how much is that?"
    question = resolve_ordinal(question, history) or question  # "the first one" after "RFC 7159 and ECMA-404."
    users = list(resolved)[: sum(1 for m in history if m.get("role") == "user")]
    follow_up = is_follow_up(question)
    bare = bare_question(question, users[-1], _last_answer(history)) if users else None
    if bare:  # "Why not?" is about the previous question and the claim that answered it
        return bare, _answer_terms(history, bare)
    if users and (parallel := same_verb_subject(question, users[-1])):
        return parallel, []  # "Where will they stop instead?" after "Why won't the club's rides stop at the tearooms?"
    question = (verb_phrase_question(question, users[-1]) if users else None) or question  # "And swap it for a new one?"
    subject = ellipsis_subject(question) if follow_up else None
    if subject and users:
        standalone = complete_ellipsis(subject, users[-1])
        extra = _own_entities(question)
        if re.search(r"\b(?:that|this|then|it)\b", subject, re.I):  # "And the home game after that?": the last answer
            extra += _answer_terms(history, f"{standalone} {' '.join(extra)}")
        return standalone, extra
    words = {w.lower() for w in _WORD.findall(question)}
    pool = conversation_mentions(history, users)
    if not follow_up and (not _own_entities(question) and describes_earlier(question, pool)
                          or describes_earlier(question, pool, defined=True)):
        follow_up = True  # "When did the company go bankrupt?" after a turn naming the company
    if not follow_up and not words & _PERSON_PRONOUN_WORDS:
        return question, _carried_topic(question, words, history, users)
    if not follow_up:  # a self-contained question may still say "he": only people are resolved then
        pool = [m for m in pool if m.kind == "person"]
    pool = _continued_referent(question, history, pool)
    claim = " ".join(content_terms(_strip_markers(_last_answer(history)))[:8]) if follow_up else ""
    last = _last_answer(history)
    standalone, used = resolve_references(question, pool, claim, _brings_in_a_thing(last, claim), _INTRODUCES.search(last) is not None)
    if refers_to_a_kind(standalone):  # "How do I declare a different one?" after "What encoding ...?"
        kind = kind_named(users[-1]) if users else None
        if kind and kind.lower() not in standalone.lower():
            standalone = replace_one(standalone, kind)
    if not follow_up:
        return standalone, []
    present = {w.lower().strip("'’-") for w in _WORD.findall(standalone)}
    extra: list[str] = []
    # "How long is the Verlin Valley Line?" carries the line to "What did it cost?", not "long"
    asked = [t for t in content_terms(users[-1]) if not (t.lower() in _MEASURES and re.search(
        rf"\bhow {re.escape(t)}\b", users[-1], re.I))] if users else []
    carried = (content_terms(claim) if claim and claim in used else []) + asked
    for text in users[-max_turns:-1]:
        carried += entity_terms(text)
    for term in carried:
        if term.lower().strip("'’-") not in present:
            extra.append(term)
            present.add(term.lower().strip("'’-"))
    return standalone, extra


# "In March 1887." brings in no thing "it" may mean next; "Because of a leak near plot 41." and "Greaves & Daughter." do
_NOT_A_TIME = re.compile(r"\b(?:\d[\d,.:]*\w*|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|"
                         r"april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|"
                         r"friday|saturday|sunday|years?|months?|weeks?|days?|hours?|minutes?|today|yesterday|tomorrow|"
                         r"morning|afternoon|evening|night|ago|since|until|before|after|am|pm)\b", re.I)


def _brings_in_a_thing(answer: str, claim: str) -> bool:
    """Whether the last answer brought in a thing the next "it" may mean ("Because of a leak near plot 41.",
    "Greaves & Daughter."): not a time or a value ("In March 1887.", "3,412 adults"), not an instruction ("Run
    pytest --timeout=300."), nor an answer still saying "it" itself ("Yes, Cllr Whitlow voted against it.")."""
    first = answer.split()[0].lower() if answer.split() else ""
    return not _VALUE_FIRST.match(answer) and first not in IMPERATIVES and not re.search(r"\bits?\b", answer, re.I) \
        and bool(_NOT_A_TIME.sub("", claim).strip())


# "Because of a leak near plot 41.": a thing the answer brings in with "a", that "it" means next
_INTRODUCES = re.compile(r"\b(?:a|an)\s+(?!few\b|lot\b|little\b|bit\b)[a-z]", re.I)
_VALUE_FIRST = re.compile(r"^\W*(?:about|around|roughly|some|over|under|nearly|almost|just)?\s*[£$€]?\d", re.I)


def _carried_topic(question: str, words: set[str], history: Sequence[dict[str, str]], users: Sequence[str]) -> list[str]:
    """The terms a whole question naming nothing carries from the last turns (none when it names something)."""
    said = [m.get("content", "") for m in history if m.get("role") == "user"]
    if not said or _own_entities(question) or code_names(question):
        return []
    # "How are the later names chosen?" names nothing: the topic the user last named carries on (as the user wrote
    # it: a pronoun resolved by guesswork is not carried further). A fragment ("In how many countries?") carries it
    # from a turn or two back, where a whole question may have moved on.
    back = said[-_TOPIC_TURNS:] if _fragment(question, words) else said[-1:]
    named = next((terms for terms in map(entity_terms, reversed(back)) if terms), [])
    # "What was the score?" after "Who won the women's county cup final?": a definite description names what the
    # last question (itself naming nothing, and pointing at nothing) was about.
    if not named and users and " the " in f" {question.lower()}" and \
            not {w.lower() for w in _WORD.findall(said[-1])} & _PRONOUNS:
        named = content_terms(users[-1])
    if _fragment(question, words) and _PREPOSITION_FIRST.match(question) and users and \
            all(_PREPOSITION_FIRST.match(f"{t} ") for t in content_terms(question)):
        named = content_terms(users[-1]) + named  # "Against whom?" (not "Against which team?") asks the last
    elif _INSTEAD.search(question) and users:
        named = content_terms(users[-1]) + named  # "What should I use instead?": instead of what was just asked
    return list(dict.fromkeys(t for t in named if t.lower() not in words))


_MEASURES = frozenset("long far tall high deep wide old big large much many".split())  # "how long": no topic
_INSTEAD = re.compile(r"\b(?:instead|rather|an alternative|else)\b", re.I)
_PERSON_PRONOUN_WORDS = frozenset("he him his she her hers".split())
_PLURAL_WORDS = frozenset("they them their theirs".split())


def _pronoun_classes(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(text)}
    return {PRONOUN_GENDER[w] for w in words & _PERSON_PRONOUN_WORDS} | ({"plural"} if words & _PLURAL_WORDS else set())


def _continued_referent(question: str, history: Sequence[dict[str, str]], pool: list[Mention]) -> list[Mention]:
    """`pool` with what the last user turn was about made the latest again when this turn goes on about it: the
    person it asked about when this turn says "he" or "she" for that gender ("Who is David Sacks?" "A close ally
    of Elon Musk." "What did he write?" is about Sacks), what its "they" meant when this turn says "they" again
    ("When did they sign?" "... The members met ..." "What was their debut single?" is still the band's). After
    "Who did Ada marry?" the answer is the new person, and the pool stays as it is."""
    classes = _pronoun_classes(question)
    last = max((i for i, m in enumerate(history) if m.get("role") == "user"), default=None)
    if len(classes) != 1 or last is None:
        return pool
    raw = history[last].get("content", "")
    said, (wanted,) = _pronoun_classes(raw), classes
    if wanted == "plural":
        if "plural" not in said:
            return pool
        named = {m.text for m in mentions(raw)}  # what "they" was resolved to, not what the turn named itself
        about = {m.text: m for m in pool if m.turn == last and m.kind in ("plural", "group") and m.text not in named}
    else:
        if asked_kind(raw) == "person" and said != classes:  # "Who is he an ally of?": still about "he"
            return pool
        about = {m.text: m for m in pool if m.turn == last and m.kind == "person" and m.gender in (wanted, "")}
    kind = "person" if wanted in ("m", "f") else wanted  # a band "they" meant is read as a plural again
    return pool + [replace(m, turn=len(history), kind=kind) for m in about.values()] if len(about) == 1 else pool


_PREPOSITION_FIRST = re.compile(r"^\W*(?:and\s+)?(?:against|with|by|for|from|to|at|in|on|about|after|before|since|until|"
                                r"during|without|between|under|over)\s", re.I)
_TOPIC_TURNS = 3  # how far back a question naming nothing looks for the topic the user last named
_IS_CONTRACTED = re.compile(r"\b(?:what|who|where|when|how|which|that|it|there|here)['’]s\b", re.I)


def _fragment(question: str, words: set[str]) -> bool:
    """"In how many countries?", "Against which team?": no verb ("What's each share?" has one)."""
    return not words & VERBISH and not _IS_CONTRACTED.search(question)


def _strip_markers(text: str) -> str:
    return CITATION_MARKER.sub("", text)


# With a chat model ---------------------------------------------------------------------------
REWRITE_SYSTEM_PROMPT = (
    "You rewrite the last question of a conversation so that it can be understood without the conversation. "
    "Replace pronouns and references (it, they, that, the same) by what they refer to, and complete short "
    "questions such as 'And the other one?' with what they leave out. Keep every name and number the question "
    "uses. If the question already stands on its own, repeat it unchanged. Do not answer it. "
    "Reply with the rewritten question only, on one line.\n\n"
    "Example:\nConversation:\nUser: Who founded Acme Corp?\nAssistant: Jane Doe founded Acme Corp in 1990.\n\n"
    "Last question: When did she leave?\n\nStandalone question: When did Jane Doe leave Acme Corp?"
)


def _last_answer(history: Sequence[dict[str, str]]) -> str:
    """The last assistant turn; "" when it said the documents hold nothing (its words are no topic to carry)."""
    said = next((m.get("content", "") for m in reversed(history) if m.get("role") == "assistant"), "")
    return "" if NOTHING_FOUND.match(said) else said


def _answer_terms(history: Sequence[dict[str, str]], said: str) -> list[str]:
    """The last answer's first content words that `said` does not already use."""
    present = {w.lower() for w in _WORD.findall(said)}
    return [t for t in content_terms(_strip_markers(_last_answer(history)))[:8] if t.lower() not in present]


def rewrite_prompt(question: str, history: Sequence[dict[str, str]], max_turns: int = 3) -> list[tuple[str, str]]:
    """Chat messages (role, content) asking for a standalone version of `question`."""
    turns = [m for m in history if m.get("role") in ("user", "assistant")][-2 * max_turns :]
    lines = []
    for m in turns:
        text = _strip_markers(" ".join(m.get("content", "").split()))
        if len(text) > _MAX_TURN_CHARS:
            text = text[:_MAX_TURN_CHARS].rsplit(" ", 1)[0] + " ..."
        lines.append(f"{'User' if m['role'] == 'user' else 'Assistant'}: {text}")
    conversation = "\n".join(lines)
    return [
        ("system", REWRITE_SYSTEM_PROMPT),
        ("human", f"Conversation:\n{conversation}\n\nLast question: {question}\n\nStandalone question:"),
    ]


def rewrite_with_llm(chat_model: Any, question: str, history: Sequence[dict[str, str]]) -> str:
    """A standalone question written by a langchain chat model (anything with `.invoke(messages)`).

    Raises ValueError when the reply is not a usable question, so callers can fall back to the heuristic.
    Words of the question that the model dropped (names, numbers, "range") are appended, so the
    question's own focus is never lost.
    """
    reply = chat_model.invoke(rewrite_prompt(question, history))
    text = getattr(reply, "content", reply)
    if isinstance(text, list):  # content blocks
        text = " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in text)
    rewritten = _clean_reply(str(text))
    if not rewritten:
        raise ValueError(f"the chat model gave no usable rewrite: {str(text)[:200]!r}")
    present = {w.lower().strip("'’-") for w in _WORD.findall(rewritten)}
    dropped = [t for t in content_terms(question) if t.lower() not in present]
    return f"{rewritten} {' '.join(dropped)}".strip()


def _clean_reply(text: str) -> str:
    text = re.sub(r"<think>.*?</think>", " ", text, flags=re.DOTALL)
    for line in text.splitlines():
        line = line.strip()
        line = re.sub(r"^(standalone|rewritten)?\s*question\s*:\s*", "", line, flags=re.IGNORECASE)
        line = line.strip().strip("\"'“”‘’`").strip()
        if line:
            return line if len(line) <= _MAX_QUERY_CHARS and _WORD.search(line) else ""
    return ""


def standalone_query(question: str, history: Sequence[dict[str, str]] | None, mode: str = "auto",
                     chat_model: Any | None = None) -> str:
    """The retrieval query for `question` in a conversation, by `settings.rewrite` mode. off: the question as is. heuristic: `rewrite_query`. llm / auto with a chat model: `rewrite_with_llm`
    (auto only when the question might refer back, to spare the model call), falling back to the
    heuristic when the model fails, gives nothing usable, or echoes a question that still refers back
    (what the packaged 0.5B model does). llm / auto without a chat model: heuristic.
    """
    if mode == "off" or not history:
        return question
    if chat_model is not None and mode in ("llm", "auto"):
        if mode == "auto" and not might_refer_back(question):
            return question
        try:
            rewritten = rewrite_with_llm(chat_model, question, history)
        except Exception as exc:  # a model or server failure must not break answering
            log.warning("LLM rewrite failed (%s); using the heuristic rewrite", exc)
        else:
            if not is_follow_up(rewritten):
                return rewritten
            # Small local models often echo the question: a rewrite that still points back is no rewrite.
            log.info("LLM rewrite %r still refers back; using the heuristic rewrite", rewritten)
    return rewrite_query(question, history)

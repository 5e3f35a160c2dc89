"""Which candidate spans offer an answer of the asked type, and the names the retrieved passages write."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import TypeVar

from qa.aliases import aliases_of, unaliased
from qa.anaphora import anchored_time, out_of_its_time, time_fit
from qa.answer_types import AnswerType, count_matches, offers, passage_names
from qa.compose import is_bridge_question
from qa.entities import question_entities
from qa.generate import GenerationRequest, wanted_answer
from qa.genders import PRONOUN_GENDER, first_name_gender
from qa.generators.spans import Span, is_field_label, previous_answer
from qa.mail import first_person, header_answers
from qa.models import Passage
from qa.name_kinds import labels_as
from qa.relation import pronoun_referent
from qa.short_answer import unsaid
from qa.statements import asked_speaker, states
from qa.tables import asked_cell, cells, labels
from qa.text import LIFESPAN, concepts, stem, stems
from qa.versions import CODE_LABEL, of_another_code, of_another_version, version_in


def of_the_asked_type(request: GenerationRequest, wanted: AnswerType, spans: list[Span]) -> list[Span]:
    """The spans offering an answer of the asked type that the last answer did not give."""
    # "What was his name?" resolved to "What was Tess Halloran's name?": her name is no answer to it
    asked = f"{request.question} {asked_in_query(request)}" if wanted.family == "person" else request.question
    given = previous_answer(request.history)
    located = not is_bridge_question(request.question)  # a bridge's first hop names the person, not the place
    known = known_names(request)
    aliases = aliases_of([w for e in question_entities(request.question) for w in e.split()],
                         (p.chunk.text for p in request.passages)) if wanted.kind in ("person", "name") else {}
    typed = [s for s in spans if offers(unaliased(unsaid(typed_text(s, wanted, request.question), given), aliases),
                                        wanted, asked, located=located, known=known)]
    if wanted.kind == "count" and wanted.noun:  # "How many pancakes?": "Makes 12 pancakes", not "two streets away"
        typed = [s for s in typed if count_matches(unsaid(s.text, given), wanted.noun)[1] or
                 _row_counts(s.text, wanted.noun)] or typed
    if named := _NAME_OF.search(request.question):  # "What was his name?" is no woman's name
        gender = PRONOUN_GENDER[(named.group(1) or named.group(2)).lower()]
        typed = [s for s in typed if _may_be_named_for(unsaid(s.text, given), gender)]
    return typed


def said_before(request: GenerationRequest) -> str:
    """What the conversation has said that no short answer repeats: the query and every answer's value."""
    history = request.history
    values = [previous_answer(history[:i + 1]) for i, m in enumerate(history) if m.get("role") == "assistant"]
    return " ".join([asked_in_query(request), *values])


def asked_in_query(request: GenerationRequest) -> str:
    """The standalone query without the words it carries only from the last answer's sentence, which may name the
    next answer ("£3.2 million" said by "Managing director Colin Ashworth estimated ...": "Who gave that estimate?");
    the words the user's questions said stay (who runs the firm asked about is no answer to where he was before)."""
    standalone, _, carried = request.query.partition("?")
    users = " ".join(m.get("content", "") for m in request.history if m.get("role") == "user")
    asked = {w.lower() for w in re.findall(r"[\w'’-]+", f"{standalone} {users}")}
    last = next((m.get("content", "") for m in reversed(request.history) if m.get("role") == "assistant"), "")
    answered = {w.lower() for w in re.findall(r"[\w'’-]+", last)} - asked
    kept = " ".join(w for w in carried.split() if w.lower() not in answered)
    return f"{standalone}?{' ' + kept if kept else ''}"


def _row_counts(text: str, noun: str) -> bool:
    """Whether a table row counts `noun` in its first cell: "| Food parcels distributed | 18,240 | 24,915 |" gives
    the number of parcels, though no number is followed by the word."""
    return labels(text, noun) and any(count_matches(cell, None)[0] for cell in cells(text)[1:])


_NAME_OF = re.compile(r"\bwhat(?:\s+(?:is|was)|['’]s)\s+(his|her)\s+(?:full\s+|first\s+)?name\b|"
                      r"\bwhat\s+(?:is|was)\s+(he|she)\s+called\b", re.I)


def _may_be_named_for(text: str, gender: str) -> bool:
    """Whether a text names someone who may be of `gender`: no first name it writes says only the other one."""
    said = [g for w in re.findall(r"\b[A-Z][a-z]+\b", text) if (g := first_name_gender(w))]
    return not said or gender in said


def about_the_referent(request: GenerationRequest, spans: list[Span]) -> list[Span]:
    """For "How much did he cost?" after "Danny Ogunleye": the spans naming him outside a quotation, or the question's
    own names, or referring back with a pronoun after no one else, when any does. The club's other signing's fee says
    nothing of him, nor does '"Mateo is quick," the 48-year-old said' give Mateo's age."""
    referents = {stem(e) for e in pronoun_referent(request.question, request.query)}
    if not referents:
        return spans
    own = {stem(e) for e in question_entities(request.question)}
    others = {stem(e) for e in question_entities(request.query.partition("?")[2])} - referents - own

    def about(span: Span) -> bool:
        unquoted = _QUOTED.sub(" ", span.sentence)
        if (referents | own) & (stems(unquoted) | stems(span.lead)) or _AGE_EPITHET.match(span.sentence):
            return True  # "The 26-year-old has agreed a five-year contract"
        return bool(_REFERS_BACK.search(unquoted)) and not others & stems(span.lead)

    return [s for s in spans if about(s)] or spans


_Choice = TypeVar("_Choice", bound=tuple)  # (span, evidence, score)


def about_the_referent_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """The scored choices about a follow-up pronoun's referent first. A preference, not a filter before scoring:
    dropping the spans about no one would lift the confidence of the rest ("Date of birth:" no longer outscoring).
    A span put first for naming the referent must then say all that was asked, as a runner-up must."""
    about = {id(span) for span in about_the_referent(request, [choice[0] for choice in choices])}
    return [c for c in choices if id(c[0]) in about] + [c for c in choices if id(c[0]) not in about]


# Tokens a technical question names that prose never uses by chance: "$DOMAIN", "--timeout", "SIGALRM", "load_dotenv".
_TECHNICAL = re.compile(r"\$\{?[A-Za-z_]\w*\}?|(?<![\w-])--?[a-z][\w-]*(?:=\w+)?|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|"
                        r"\b[A-Z]{6,}[0-9]*\b|\b[a-z]\w*_\w+(?:\(\))?")
TOKEN_RUNNERS_UP = 4  # choices after the first, in the selector's order, that may name the asked token


def naming_the_asked_token_first(request: GenerationRequest, choices: list[_Choice], threshold: float) -> list[_Choice]:
    """For a question naming a technical token ("on platforms that support SIGALRM?", "does $DOMAIN get
    substituted?"), the first of the best few choices that names it, when the first choice does not and it clears the
    threshold itself: a sentence about the tool in general reads as close to the cross-encoder as the one that
    answers for the case named."""
    tokens = {t.strip("{}$()").lower() for t in _TECHNICAL.findall(request.question)} - {""}
    if not tokens or not choices:
        return choices

    def names_all(choice: _Choice) -> bool:
        span = choice[0]  # the sentence before counts: "... use AF_INET sockets, bind the" / "“server” socket to"
        said = {t.strip("{}$`*()").lower() for t in _TECHNICAL.findall(f"{span.previous} {span.lead} {span.sentence}")}
        return tokens <= said

    if names_all(choices[0]):
        return choices
    for i, choice in enumerate(choices[1:1 + TOKEN_RUNNERS_UP], start=1):
        if names_all(choice) and choice[2] >= threshold:
            return [choice, *choices[:i], *choices[i + 1:]]
    return choices


# "Who led the research?": "The study was led by Dr Priya Raman" says it however little else of the question it repeats
_WHO_DID = re.compile(r"^\W*(?:and\s+)?who\s+(?!(?:is|was|are|were|did|does|do|has|had|have|will|would|can|could)\b)"
                      r"([a-z]+ed|wrote|drew|sang|took|gave|chose|broke|stole|built|made|led|won|began|ran)\b", re.I)
_PARTICIPLES = {"wrote": "written", "drew": "drawn", "sang": "sung", "took": "taken", "gave": "given", "chose": "chosen",
                "broke": "broken", "stole": "stolen", "began": "begun", "ran": "run"}


_DONE = r"(?:performed|carried out|done|conducted|undertaken|made|given)"


def by_the_agent_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """For "Who <did> ...?" the choices saying "<done> by <Name>" first, unless the first choice says the verb itself:
    the cross-encoder likes a sentence about the question's topic more than one saying who did the asked thing."""
    asked = _WHO_DID.search(request.question)
    if not asked or not choices:
        return choices
    done = f"(?:{asked.group(1).lower()}|{_PARTICIPLES.get(asked.group(1).lower(), asked.group(1).lower())})"
    if re.search(rf"\b{done}\b", choices[0][0].sentence, re.I) or _labelled_as(_as_labelled(choices[0][0]), asked.group(1)):
        return choices  # "Jukka Korpela has written an introductory guide", "Lead author: Dr Amara Quist" say who did it
    # ... or "The operation was performed by Ms Venkataraman" for "Who operated on him?"
    act = stem(asked.group(1).lower())
    did = rf"|\b{re.escape(act)}\w*\b[^.;]{{0,40}}?\b(?:was|were|is|are|will be)\s+{_DONE}\s+by\s+" if len(act) > 3 else ""
    agent = re.compile(rf"(?:\b{done}\s+by\s+{did})(?:the\s+)?[A-Z]")
    # "Who directed The Power of the Dog?": not the sentence saying who directed another film
    named = [{stem(w) for w in re.findall(r"\w+", e)} for e in question_entities(request.question)]
    moved = [c for c in choices if (agent.search(c[0].sentence) or _labelled_as(_as_labelled(c[0]), asked.group(1))) and
             (not named or any(e <= stems(f"{c[0].lead} {c[0].sentence}") for e in named))]
    return moved + [c for c in choices if all(c is not m for m in moved)]


# "because our payment provider gave us access five weeks late" states a cause; "after the year-end freeze" may be a time
_STATED_CAUSE = re.compile(r"\b(?:because|due to|owing to|as a result of|caused by|the reason)\b", re.I)
_CAUSE_RUNNERS_UP = 3


def by_the_stated_cause_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """For a "why" question, a close runner-up stating its cause ("because ...") before a first choice that states
    none, when the cross-encoder also prefers it: shared words ("slips") put a conditional about the asked thing
    first ("if the date slips ..., go-live would be after the year-end freeze")."""
    if not choices or wanted_answer(request).kind != "reason" or _STATED_CAUSE.search(choices[0][0].sentence):
        return choices
    first_cross = choices[0][1].cross or 0.0
    for choice in choices[1:1 + _CAUSE_RUNNERS_UP]:
        if _STATED_CAUSE.search(choice[0].sentence) and (choice[1].cross or 0.0) > first_cross:
            return [choice] + [c for c in choices if c is not choice]
    return choices


_DEPART_LINE = re.compile(r"^\W*(?:depart|departs|departure|dep)\b", re.I)
_ARRIVE_LINE = re.compile(r"^\W*(?:arrive|arrives|arrival|arr)\b", re.I)


def the_asked_end_of_the_leg_first(request: GenerationRequest, choices: list[_Choice]) -> list[_Choice]:
    """An itinerary leg is two lines, "Depart London Gatwick 07:35" over "Arrive Lisbon 10:20". "What time does our
    flight to Lisbon leave?" finds the line naming Lisbon, but its answer is the departure line above it; "When do we
    land, coming back from Porto?" finds "Depart Porto 18:50", and its answer is the arrival line below it."""
    if not choices:
        return choices
    first, asked = choices[0][0], concepts(request.question)
    if "~depart" in asked and "~arrive" not in asked and _ARRIVE_LINE.match(first.sentence) and \
            _DEPART_LINE.match(first.previous):
        partner = next((c for c in choices if c[0].sentence == first.previous), None)
    elif "~arrive" in asked and "~depart" not in asked and _DEPART_LINE.match(first.sentence):
        partner = next((c for c in choices if c[0].previous == first.sentence and _ARRIVE_LINE.match(c[0].sentence)),
                       None)
    else:
        return choices
    return [partner] + [c for c in choices if c is not partner] if partner else choices


_ROW_RUNNERS_UP = 8


def the_row_saying_the_asked_relation_first(choices: list[_Choice]) -> list[_Choice]:
    """The rows of a programme or a schedule differ by what each is: for "Who gives the first keynote?" the row saying
    "Keynote" answers, not the opening-remarks row the cross-encoder prefers for the names it shares with the question.
    So when the first choice is a table row saying none of the asked relation, a row of the same table saying it goes
    first."""
    if not choices or choices[0][1] is None or choices[0][1].relation > 0 or not cells(choices[0][0].sentence):
        return choices
    first = choices[0][0]
    for choice in choices[1:1 + _ROW_RUNNERS_UP]:
        if choice[0].passage == first.passage and cells(choice[0].sentence) and choice[1].relation > 0:
            return [choice] + [c for c in choices if c is not choice]
    return choices


def _as_labelled(span: Span) -> str:
    """The span's sentence after the field label above it, if any ("- Author:" over "- A.M. Kuchling")."""
    return f"{span.lead} {span.sentence}" if is_field_label(span.lead) else span.sentence


def _labelled_as(sentence: str, verb: str) -> bool:
    """Whether the sentence opens with a label saying the verb ("Lead author: Dr Amara Quist" for "led")."""
    label = re.match(r"[\W_]*((?:[A-Za-z]+\s+){0,2}[A-Za-z]+)[*_]*:", sentence)
    return bool(label) and labels_as(label.group(1), verb)


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_REFERS_BACK = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|I|[Mm]y)\b")  # "But he also called", "I decided"
_AGE_EPITHET = re.compile(r"(?:The|This)\s+\d+-year-old\b")  # "The 26-year-old has agreed a five-year contract"


def of_the_asked_version(question: str, spans: list[Span], query: str = "") -> list[Span]:
    """The spans not about another release than the one the question names ("sed v1.3" for "v1.1"), nor about
    another code than the one the standalone query names ("E2" for "E4", "Q2" for "Q3")."""
    return [s for s in spans if not of_another_version((s.sentence, s.lead, s.heading, s.release), question) and
            not of_another_code((s.sentence, s.lead, s.heading, s.previous if CODE_LABEL.match(s.previous) else ""),
                                query or question)]


def typed_text(span: Span, wanted: AnswerType, question: str = "") -> str:
    """What must offer the asked answer: the span, and for a version also what dates it (the release heading a
    changelog line is under, the sentence its pronoun points back to); for a person, who "I" is in an e-mail. The
    dates of a life ("Julian Castell (5 May 1925 – 21 August 1999) was ...") say when no one built anything."""
    if wanted.family == "date" and question and not _LIFE_ASKED.search(question):
        text = span.text
        for lifespan in LIFESPAN.finditer(span.sentence):
            for date in lifespan.groups():
                text = text.replace(date.strip(), " ")
        return text
    if wanted.kind == "version":
        return " ".join(t for t in (span.release, span.lead, span.text) if t)
    if wanted.kind == "person" and span.sender and first_person(span.text):
        return f"{span.sender}: {span.text}"
    return span.text


_LIFE_ASKED = re.compile(r"\b(?:born|birth|birthday|die|died|death|dead|lived?|life|old|age|aged)\b", re.I)


def carried_answer(request: GenerationRequest, span: Span, wanted: AnswerType) -> tuple[str, int] | None:
    """(answer, passage writing it) that a span's carried context gives: the release heading of a changelog line
    for a version, the sender of a first-person e-mail line for a person, the cell under the asked column of a table
    row. None when no retrieved passage writes it, as the citation could not be checked (ingest may carry a heading
    from a chunk that was not retrieved)."""
    if wanted.kind == "version":
        written, answer = span.release, version_in(span.release, request.question)
    elif wanted.kind == "person" and span.sender and first_person(span.text):
        written, answer = span.sender, span.sender
    elif wanted.family == "number" and cells(span.sentence):  # "last year" is the latest period's column
        written = span.sentence
        answer = asked_cell(f"{request.question} {request.query.partition('?')[0]}", span.sentence, span.block)
    else:
        return None
    order = [span.passage, *(i for i in range(len(request.passages)) if i != span.passage)]
    holder = next((i for i in order if written in request.passages[i].chunk.text), None) if answer else None
    return (answer, holder) if holder is not None else None


def with_release_heading(request: GenerationRequest, span: Span) -> GenerationRequest:
    """The request with the release heading a changelog line is under as one more passage, when ingest carried it
    from a chunk that was not retrieved: the short answer "1.2.2" then cites the heading itself."""
    chunk = request.passages[span.passage].chunk
    start = chunk.metadata.get("release_start")
    if not span.release or span.release != chunk.metadata.get("release") or not isinstance(start, int) or any(
            span.release in p.chunk.text for p in request.passages):
        return request
    heading = replace(chunk, id=f"{chunk.id}:release", start=start, end=start + len(span.release), text=span.release,
                      heading=span.release, page=chunk.metadata.get("release_page", chunk.page), metadata={})
    return replace(request, passages=(*request.passages, Passage(chunk=heading, score=0.0)))


def without_mail_headers(request: GenerationRequest, spans: list[Span]) -> list[Span]:
    """The spans that are not e-mail header lines, unless the question asks about the mail or (for "From:" and
    "To:") asks who: "Subject: Re: Mum's 70th - cottage BOOKED" names no cottage."""
    person = wanted_answer(request).kind == "person"
    return [s for s in spans if header_answers(s.sentence, request.query, person)]


def known_names(request: GenerationRequest) -> frozenset[str]:
    """The names the request's passages write where they cannot be a sentence's capitalised first word."""
    return _names_of(tuple(p.chunk.text for p in request.passages))


@functools.lru_cache(maxsize=64)
def _names_of(texts: tuple[str, ...]) -> frozenset[str]:
    return passage_names(texts)


def statements_if_asked(request: GenerationRequest, spans: list[Span]) -> list[Span]:
    """For "What did Macron say about it?" only the spans reporting his words; else all of them."""
    speaker = asked_speaker(request.query) or asked_speaker(request.question)
    return [s for s in spans if states(s.sentence, speaker, s.lead)] if speaker else spans


def at_the_time(request: GenerationRequest, spans: list[Span]) -> list[Span]:
    """For "Where was he working at the time?": the sentences naming the time the conversation fixed, else
    those naming no other time; all of them when none fits. Not a superseded plan for "now", nor an aim for "did"."""
    # "What time is he on now?": not what was planned before the change; "What did it do?": not what it aims to do
    spans = [s for s in spans if not out_of_its_time(request.question, s.sentence)] or spans
    anchor = anchored_time(request.question, request.history)
    if not anchor:
        return spans
    fits = [time_fit(s.sentence, anchor, s.previous) for s in spans]
    return [s for s, f in zip(spans, fits) if f == 1] or [s for s, f in zip(spans, fits) if f == 0] or spans

"""Candidate answer spans of retrieved passages: each sentence once, its clauses, and the sentence that names
what its pronoun points at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from qa.blocks import block_heading, field_value, labelled_line, numbered_over_prose, title_shaped
from qa.conversation import mentions
from qa.mention import Mention
from qa.genders import PRONOUN_GENDER
from qa.mail import CHAT_STAMP, sender_at
from qa.models import ABSTAIN_TEXT, Chunk, Passage
from qa.tables import cells, header_above, row_reading
from qa.text import CITATION_MARKERS, QUOTE_ATTRIBUTION, STOPWORDS, clauses, instruction_like, sentence_spans, stems
from qa.versions import CHANGE_KIND_LINE, ENTRY_LINE, RELEASE_LINE, dated_release, entry_of, release_heading


@dataclass(frozen=True)
class Span:
    """A candidate answer: a sentence or one of its clauses; offsets are document offsets."""

    passage: int  # index into the request's passages
    start: int
    end: int
    text: str
    sentence: str  # the whole sentence the span belongs to
    lead: str = ""  # the previous sentence, when this one opens with a pronoun ("It stands 38 metres tall."), or
    # the API entry a version note belongs to
    previous: str = ""  # the previous sentence of the passage, whatever this one opens with
    heading: str = ""  # the section heading above it ("1. Tallyo 3.0 release"), when not the document's title
    release: str = ""  # the release heading a changelog line is under ("[1.2.2] - 2026-03-01")
    sender: str = ""  # who wrote it, in an e-mail ("From: Marcus Lindqvist" above "I paid the deposit")
    referent: str = ""  # the person an inner "he"/"she"/"his" points at ("On 4 March he underwent ..."), named earlier
    block: str = ""  # the line opening the record or list it sits in ("14-16 SEPTEMBER 2024 - PORTO, 2 NIGHTS")
    described: str = ""  # the name its "the line" stands for ("Verlin Valley Line"), named above it


def _quote_open(sentence: str, was_open: bool) -> bool:
    """Whether a quotation is still open after `sentence` (curly marks counted, straight ones paired)."""
    curly = sentence.count("“") - sentence.count("”")
    if curly:
        return curly > 0
    return was_open != (sentence.count('"') % 2 == 1)


_PRONOUN_OPENING = re.compile(r"^[(\[]?(it|its|they|their|he|his|she|her|this|these|the latter|the former)\b", re.I)
_THIRD_PERSON_OPENING = re.compile(r"^(?:it|its|they|their)\b", re.I)
# The writer's own doing names no third party; a quotation ('"We believe ...," Chaudhry said') names its speaker.
_FIRST_PERSON_OPENING = re.compile(r"^(?:I|[Ww]e|[Mm]y|[Oo]ur)\b(?![^\"“”]*[\"“”])")
# "Tobias confirmed the budget can stretch to £1,800 a month for this.": what "this" is, the sentence before says
_DEMONSTRATIVE_CLOSING = re.compile(r"\b(?:for|of|about|with|on|to|against|from|by|after|before|over)\s+(?:this|that)"
                                    r"\W*$", re.I)
# "#define CHUNK 16384", "const RETRIES = 3;": a code line setting a name to a value
_DEFINITION_LINE = re.compile(r"(?:#define\s+|(?:const|let|var|final)\s+)?([A-Za-z_]\w*)\s*(?:=\s*|\s)\s*[-+]?\d[\w.]*;?")
_EXPLAINED_WITHIN = 4  # sentences back: the prose above a code line may explain its name before saying more


def explained_value(sentence: str, before: Sequence[str]) -> str:
    """The sentence explaining the name a code line sets ("CHUNK is simply the buffer size ..." for "#define CHUNK
    16384", a few sentences further on), which says what the bare value is; else ""."""
    defined = _DEFINITION_LINE.fullmatch(sentence.strip())
    if not defined:
        return ""
    name = re.compile(rf"\b{re.escape(defined.group(1))}\b")
    return next((s for s in reversed(before[-_EXPLAINED_WITHIN:]) if name.search(s) and not
                 _DEFINITION_LINE.fullmatch(s.strip())), "")


# "- Author:" above "- A.M. Kuchling and Moshe Zadka" (a field list): the label says what the value is
_FIELD_LABEL = re.compile(r"[-*•]?[ \t]*([A-Z][\w'’]*(?:[ \t]+[\w'’]+)?)[ \t]*:[ \t]*")
_DEMONSTRATIVE_NOUN = re.compile(r"^(?:[\w'’-]+\s+){1,3}(?:this|these)\s+([a-z][\w-]*)", re.I)


def is_field_label(line: str) -> bool:
    """Whether `line` labels the value on the next line of a field list ("- Author:", "Release:")."""
    label = _FIELD_LABEL.fullmatch(line) if line else None  # not "The settings are:", which opens a list it says
    return bool(label) and not any(w.lower() in STOPWORDS for w in label.group(1).split())


def _points_back(sentence: str, previous: str) -> bool:
    """Whether `sentence` is about what the sentence before it says: it opens with a pronoun, closes on "for this",
    is the value under a field label ("- Author:"), or opens on "Members of this group" after a sentence naming the
    group (not "Another name for this idiom" after one that never names it: the idiom was told further back)."""
    if _PRONOUN_OPENING.match(sentence) or _DEMONSTRATIVE_CLOSING.search(sentence) or is_field_label(previous):
        return True
    noun = _DEMONSTRATIVE_NOUN.match(sentence)
    return bool(noun) and bool(stems(noun.group(1)) & stems(previous))


def _pointed_at(sentence: str, previous: str, before: str) -> str:
    """The sentence a sentence pointing back is about: the one before it, or the one before that when "it" or "they"
    follows the writer's own doing ("Hare and Lantern confirmed. I paid the deposit. They have a vegetarian
    Wellington.")."""
    return before if before and _THIRD_PERSON_OPENING.match(sentence) and _FIRST_PERSON_OPENING.match(previous) \
        else previous


# "secrets.randbelow(n)¶", "class secrets.SystemRandom¶": an API entry, which its description line is about
_API_NAME = re.compile(r"\w[.(]\w|\(\)|(?:^|[\s,])--?[A-Za-z]")  # "secrets.choice()", "--json-lines"
# '"People who eat late may differ ...," Lindqvist said.': who speaks in the quoted sentences that follow
_NAMED_ATTRIBUTION = re.compile(r"[”\"]\s*(?:[,—–-]\s*)?(?:[A-Z][\w'’-]+\s+){1,3}(?:said|says|added|adds|told|tells|"
                                r"wrote|writes|explained|warned|argued)\b")


def _indent_at(text: str, offset: int) -> int:
    """How far the line holding `offset` is indented (a nested list item's "  - msg¶" is at 2)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", start)
    line = text[start:end if end >= 0 else len(text)]  # this line only, not the rest of the chunk
    return len(line) - len(line.lstrip(" \t"))


def is_question(sentence: str) -> bool:
    """A question the text asks ("So what does Biden do in his final two months?") answers nothing itself."""
    return sentence.rstrip(" \t\n”’\"')").endswith("?")


def asked_before(span: Span) -> str:
    """The question the text asked just before this sentence, which the sentence answers; else ""."""
    return span.previous if is_question(span.previous) else ""


_ANSWER_WORDS = 12  # a longer first sentence is an explanation, not a value the user was given


def previous_answer(history: Sequence[dict[str, str]]) -> str:
    """The value the assistant gave last ("27 people" of "27 people [1]. By moving ..."; "" after an abstention
    or a long explanation): a follow-up asks for something else."""
    answer = next((m.get("content", "") for m in reversed(history) if m.get("role") == "assistant"), "")
    if not answer or answer.startswith(ABSTAIN_TEXT):
        return ""
    first = re.split(r"(?<=[.!?])\s|\s*\[\d", CITATION_MARKERS.sub(" [0]", answer.strip()), maxsplit=1)[0]
    first = re.sub(r"^(?:yes|no)\b\W*", "", first.strip(), flags=re.I).rstrip(" .!?")
    return first if len(first.split()) <= _ANSWER_WORDS else ""


def candidate_spans(passages: Sequence[Passage]) -> list[Span]:
    """Sentences of the passages (each once) and their clauses; text addressed to a model, and questions, are never
    candidates."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Span] = []
    for i, passage in enumerate(passages):
        chunk = passage.chunk
        previous = before = ""
        heading = chunk.heading if chunk.heading and chunk.heading != chunk.title else ""
        quoting: str | None = None  # inside a quotation of several sentences: the sentence before it opened
        speaker = ""  # the sentence attributing the quotation being read to a named speaker
        entry, release = str(chunk.metadata.get("entry", "")), str(chunk.metadata.get("release", ""))  # from ingest
        entries = [(0, entry)] if entry else []  # (indent, line) of the entries open here, outermost first
        people: list[tuple[str, str]] = []  # (name, gender) of the people the passage has named so far
        groups: list[str] = [m.text for m in mentions(chunk.title or "") if m.kind == "group"]  # and organisations
        names = _long_names(mentions(chunk.title or ""))  # and every name of several words
        said: list[str] = []  # the passage's sentences so far (explained_value reads the last few)
        for s, e in _unstamped(chunk.text, sentence_spans(chunk.text, 0, len(chunk.text))):
            key = (chunk.doc_id, chunk.start + s, chunk.start + e)
            sentence = chunk.text[s:e]
            referent, described = _referent(sentence, people, groups, names), _described(sentence, names)
            indent = _indent_at(chunk.text, s)
            if ENTRY_LINE.match(sentence):
                entries = [(i, line) for i, line in entries if i < indent] + [(indent, sentence)]
                entry = sentence
            release = sentence if RELEASE_LINE.match(sentence) else release
            # "New in version 3.5." after an entry's attribute list ("  - colno¶") dates the entry at its own indent
            dated = next((line for i, line in reversed(entries) if i <= indent), entry)
            pointed = _pointed_at(sentence, previous, before) if _points_back(sentence, previous) else ""
            lead = pointed or entry_of(sentence, dated) or \
                explained_value(sentence, said) or (
                entry if previous == entry and _API_NAME.search(entry) else "")  # "- Return a random int ..."
            if lead and lead is previous and speaker and previous.rstrip().endswith(('"', "”")):
                lead = speaker  # 'She added that ...' after a quotation: she is who it was attributed to
            speaker = sentence if _NAMED_ATTRIBUTION.search(sentence) else speaker if sentence[:1] in '"“' or quoting is not None else ""
            still_open = _quote_open(sentence, quoting is not None)
            if quoting is not None and not still_open and QUOTE_ATTRIBUTION.search(sentence):
                lead = quoting  # '... Massively escalate it," he wrote on X.': "he" is named before the quote
            quoting = (quoting if quoting is not None else previous) if still_open else None
            before, previous = previous, sentence
            said.append(sentence)
            if line := _heading_at(chunk.text, s, e):
                heading = line if line != chunk.title else ""
                release = line if release_heading(line) else release
                # "1. Tallyo 3.0 release" names, it answers nothing; "[2.0.0] - 2025-10-26" says when 2.0.0 came out
                if heading and len(line.split()) <= _LABEL_WORDS and not dated_release(line):
                    continue
            if key in seen or len(sentence.split()) < 3 and not field_value(sentence) or instruction_like(sentence) or is_question(sentence):
                continue
            seen.add(key)
            sender = sender_at(chunk.text, s) or str(chunk.metadata.get("sender", ""))
            block = _block_of(chunk, s, sentence)
            lead = block if cells(block) and block in chunk.text else lead  # shown above the row it titles
            # "- Author:" / "- A.M. Kuchling": a field's value is about the section or document it heads
            under = (heading or chunk.title or "") if is_field_label(lead) else heading
            out.append(Span(i, chunk.start + s, chunk.start + e, sentence, sentence, lead, before, under, release,
                            sender, referent, block, described))
            out.extend(Span(i, chunk.start + s + a, chunk.start + s + b, sentence[a:b], sentence, lead, before, under,
                            release, sender, referent, block, described) for a, b in clauses(sentence))
    return out


def _unstamped(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The sentence spans without a chat line's time stamp: "[Sat 3 May, 17:58]" is when the message was sent, no date
    it gives ("When is the wedding?" is not answered "3 May" by "[Sat 3 May, 17:58] Ana created group ...")."""
    for s, e in spans:
        stamp = _STAMP.match(text, s)
        yield (stamp.end() if stamp and stamp.end() < e else s), e


# and a news page's "Update, 16/11/2023 09:12:" before what changed
_STAMP = re.compile(rf"[ \t]*(?:{CHAT_STAMP}|(?:update|updated|correction|edit|edited)\b[^:\n]{{0,30}}\d:\d\d:)[ \t]*", re.I)
_INNER_PRONOUN = re.compile(r"\b(he|his|him|she|its)\b", re.I)
# "The kettle shows its code": a singular noun before "its" is what it points at; "The results ... its rival" is not
_OWN_SUBJECT = re.compile(r"\b(?:the|a|an|this|that|each|every)\s+[a-z]+(?<!s)\b", re.I)


def _inner_pronoun(sentence: str) -> re.Match[str] | None:
    """The first person pronoun (or "its") after the sentence's opening word; an opening one makes the sentence
    before its lead."""
    return _INNER_PRONOUN.search(sentence, len(sentence) - len(sentence.lstrip()) + 1)


def _referent(sentence: str, people: list[tuple[str, str]], groups: list[str], names: list[str]) -> str:
    """Whom the first inner pronoun of `sentence` points at, named before it: for "he"/"his"/"him"/"she" the most
    recent person of that gender (or of none known), for "its" the organisation the passage names most (the
    company a business story is about), unless the sentence names its own before the pronoun. Records the people,
    organisations and names of several words `sentence` gives."""
    found = mentions(sentence)
    named = [(m.text, m.gender, sentence.find(m.text)) for m in found if m.kind == "person"]
    pronoun = _inner_pronoun(sentence)
    referent = ""
    if pronoun and pronoun.group(1).lower() == "its":
        if groups and not _OWN_SUBJECT.search(sentence[:pronoun.start()]) and \
                not any(0 <= sentence.find(m.text) < pronoun.start() for m in found if m.kind != "plural"):
            referent = max(reversed(groups), key=groups.count)
    elif pronoun and not any(0 <= at < pronoun.start() for _, _, at in named):
        gender = PRONOUN_GENDER[pronoun.group(1).lower()]
        referent = next((name for name, g in reversed(people) if g in (gender, "")), "")
    people.extend((name, g) for name, g, _ in named)
    groups.extend(m.text for m in found if m.kind == "group")
    names.extend(_long_names(found))
    return referent


def resolved(span: Span) -> str:
    """The span's sentence with its first inner pronoun replaced by whom it points at (what a reader of the whole
    passage knows: "On 4 March 2025 Marsh underwent ...", "those of Tarrant & Lowe's main rival"), and "the line"
    by the name it stands for ("The Verlin Valley Line was built for £318 million"); the sentence itself when
    neither is known."""
    sentence = span.sentence
    if span.described:
        sentence = _description(span.described).sub(rf"\1he {span.described}", sentence, count=1)
    pronoun = _inner_pronoun(sentence) if span.referent else None
    if pronoun is None:
        return sentence
    name = f"{span.referent}'s" if pronoun.group(1).lower() in ("his", "its") else span.referent
    return f"{sentence[:pronoun.start()]}{name}{sentence[pronoun.end():]}"


def _long_names(found: Sequence[Mention]) -> list[str]:
    """The names of several words among a text's mentions ("Verlin Valley Line", "Carrick Ness Lighthouse")."""
    return [m.text for m in found if m.kind != "plural" and len(m.text.split()) >= 2]


def _description(name: str) -> re.Pattern[str]:
    """"the line" for "Verlin Valley Line": the name's last word as a common noun, not opening a name of its own."""
    return re.compile(rf"\b([Tt])he {re.escape(name.split()[-1].lower())}\b(?!\s+(?:of\b|[A-Z]))")


def _described(sentence: str, names: list[str]) -> str:
    """The name the sentence's "the line" stands for: the latest one named above it ending in "Line" (a story calls
    the Verlin Valley Line "the line" once it has named it); a name the sentence gives itself is not one."""
    return next((n for n in reversed(names) if n not in sentence and _description(n).search(sentence)), "")


def _block_of(chunk: Chunk, start: int, sentence: str) -> str:
    """The line opening the record or list the sentence at `start` sits in, or a table row's header row."""
    return block_heading(chunk.text, start, str(chunk.metadata.get("block", "")),
                         int(chunk.metadata.get("block_indent", 0))) or \
        (header_above(chunk.text, start) if cells(sentence) else "")


def cross_reading(span: Span) -> str:
    """What the cross-encoder reads for a span: its whole sentence, after the one its pronoun refers to, or
    after the heading above it when it is too short to say what it is about ("New in version 3.9."), or with its
    inner "he" or "she" named; after the line opening the record or list it sits in."""
    if cells(span.sentence) and cells(span.block):  # "| Food parcels distributed | 18,240 | 24,915 |" under its header
        return row_reading(span.sentence, span.block, span.heading)
    if span.lead or asked_before(span):
        text = " ".join(dict.fromkeys(t for t in (span.lead, asked_before(span), span.sentence) if t))
    else:
        under_heading = span.previous and (span.previous.endswith("¶") or span.previous[-1:].isalnum()) and not labelled_line(span.previous)
        short = len(span.sentence.split()) <= SHORT_SENTENCE_WORDS and under_heading
        text = f"{span.previous} {span.sentence}" if short else resolved(span)
    if is_field_label(span.lead) and span.heading:
        text = f"{text} {span.heading}"  # "Author: A.M. Kuchling" says little until read with what it is the author of
    if RELEASE_LINE.match(span.release) and span.release not in text:  # "- Writes a checksum file." under "3.2.0"
        under = f" {span.heading}" if span.heading and span.heading != span.release else ""
        text = f"{span.release}{under} {text}"
    # "Depart London Gatwick 07:35" is the outbound flight's time only under "OUTBOUND FLIGHT"
    return f"{span.block} {text}" if span.block and span.block not in text else text


def headed_reading(span: Span, title: str | None = None) -> str:
    """A short line's reading after the heading of its section, which may say what the line is about ("YOUR
    APPOINTMENT AT THE EYE CLINIC" over "Date: Wednesday 22 May 2024"); a labelled line with no heading above it
    ("- Venue: Copperworks Hall, Tanner Street, booked from 5pm") after its document's `title` ("Lumen Mini launch -
    date change and venue"); "" when there is none to add. A sentence ("The meeting closed at 9.05pm.") says what it
    is about itself, whatever heading it sits under."""
    reading = cross_reading(span)
    unfinished = span.sentence.rstrip()[-1:] not in ".!?"
    short = len(span.sentence.split()) <= HEADED_WORDS and unfinished
    labelled = unfinished and not span.heading and len(span.sentence.split()) <= _LABELLED_WORDS and \
        _LABELLED_LINE.match(span.sentence)
    heading = span.heading if short else (title or "").removeprefix("Subject:").strip() if labelled else ""
    return f"{heading} {reading}" if heading and heading not in reading else ""


_LABELLED_LINE = re.compile(r"[ \t]*(?:[-*•][ \t]+)?[A-Z][\w'’]*(?:[ \t][\w'’]+){0,2}:[ \t]+\S")
_LABELLED_WORDS = 20


SHORT_SENTENCE_WORDS = 5  # a sentence this short under a heading is read with it
HEADED_WORDS = 8  # a line this short is also read under its section's heading (the better of the two readings counts)
_LABEL_WORDS = 6  # a longer heading may be a headline that says something ("Council votes to close the baths")


def _heading_at(text: str, start: int, end: int) -> str:
    """The line ending at `end` when it is a heading: short, unpunctuated, on its own (after a section number the
    sentence splitter cut off: "1." + "Tallyo 3.0 release") and before a blank line or the chunk's end; else ""."""
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:end].strip()
    after = text[end:].lstrip(" \t")
    # a changelog from a web page puts "4.1.0 — 27 November 2023" on a line of its own, no blank after; a letter's "YOUR
    # APPOINTMENT" (or one over a rule line) and the minutes' "6. Mill Lane traffic calming" head what follows them too
    own_line = _SECTION_NUMBER.fullmatch(text[line_start:start]) and (
        not after or after.startswith("\n\n") or RELEASE_LINE.match(line) or CHANGE_KIND_LINE.match(line) or
        after.startswith("\n") and (line.isupper() or _RULE_LINE.match(after, 1) or numbered_over_prose(text[line_start:start], line, after)))
    return line if own_line and title_shaped(line) else ""


_RULE_LINE = re.compile(r"[ \t]*[-=_~*]{3,}[ \t]*(?:\n|$)")
_SECTION_NUMBER = re.compile(r"[ \t]*(?:(?:\d+|[A-Z]|[IVX]+)(?:\.\d+)*\.?[ \t]+)?")


def openings(passages: Sequence[Passage]) -> dict[int, str]:
    """The first line (title or topic sentence) of each passage that starts its document."""
    out = {}
    for i, passage in enumerate(passages):
        spans = sentence_spans(passage.text, 0, len(passage.text)) if passage.chunk.index == 0 else []
        if spans:
            out[i] = passage.text[spans[0][0]:spans[0][1]]
    return out


def document_stems(passages: Sequence[Passage], index: int, opening: bool = False) -> set[str]:
    """Stems of what a passage's document is called: its file name and a short title ("tenancy_agreement_alder_court.txt"
    is about Alder Court though its rent clause never says so). Its other passages, and a headline running on into a
    summary of everything the article mentions, may name other things. With `opening`, also the short line under the
    title where a retrieved passage holds it ("Serving north Leeds since 2011": the Leeds food network's report)."""
    chunk = passages[index].chunk
    name = re.sub(r"[\W_]+", " ", chunk.source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    title = chunk.title or ""
    subtitle = next((_subtitle(p.chunk.text) for p in passages if opening and p.chunk.doc_id == chunk.doc_id and
                     p.chunk.start == 0), "")
    return stems(f"{title if len(title.split()) <= _NAMING_TITLE_WORDS else ''} {name} {subtitle}")


def _subtitle(text: str) -> str:
    """The line right under a document's first line when it is short and no heading (a standfirst or a strapline),
    and the short lines standing alone near the top, as a letter's subject line does under its letterhead
    ("Year 4 Trip to the Wychwood Living History Farm" under "Millbrook Primary School")."""
    lines = [line for line in text.splitlines() if line.strip()]
    under = lines[1].strip(" *_>") if len(lines) >= 2 and not lines[1].lstrip().startswith("#") else ""
    under = under if len(under.split()) <= 2 * _NAMING_TITLE_WORDS else ""
    return " ".join([under, *_standalone_lines(text)])


def _standalone_lines(text: str) -> list[str]:
    """Short unpunctuated lines among the first few lines of a document: a subject line under a letterhead, whom a
    letter is addressed to ("Mr Leonard Quaile"), whose policy a schedule is ("Policyholder(s): Mr Desmond Okafor-Lyle")."""
    rows = text.splitlines()[:_TOP_LINES]
    return [row.strip() for row in rows[1:-1]
            if row.strip() and len(row.split()) <= _NAMING_TITLE_WORDS and not row.rstrip().endswith((".", ",", ";", ":", "!", "?"))]


_TOP_LINES = 15


_NAMING_TITLE_WORDS = 10


# What a story calls the organisation it is about, after naming it once ("The company reported ...").
_STANDS_FOR_DOCUMENT = re.compile(r"\b[Tt]he (?:company|firm|club|council|retailer|business|chain|bank|charity|agency|"
                                  r"trust)\b")  # not "the group": in a manual, a Unix group; in a story, often another


def stands_for_document(sentence: str) -> bool:
    """Whether a sentence calls something "the company", which in a story is the company its document is about."""
    return bool(_STANDS_FOR_DOCUMENT.search(sentence))

"""Who wrote a document and when it came out, read off the byline and dateline under its headline."""

from __future__ import annotations

import re
from typing import Sequence

from qa.generate import GenerationRequest
from qa.models import Answer, Passage
from qa.text import STOPWORDS, stem, stems
from qa.verify import VectorCache, verify

# "9 April 2025" on a line of its own under a headline, or in the byline: when the text was published.
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_FULL_DATE = re.compile(rf"(?:\w+day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|"
                       rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})")
_DATELINE = re.compile(rf"[ \t*_]*{_FULL_DATE.pattern}[ \t*_]*")

# "Who wrote the article?", "Who posted the Quillpad 3 launch post?", "Who prepared the status report?"
_AUTHOR_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:wrote|writes|authored|penned|posted|prepared|compiled|"
                       r"(?:is|was)\s+the\s+(?:author|writer)\s+of)\b", re.I)
_WHEN_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:when|(?:on\s+)?what\s+date)\s+(?:was|is|were|did)\b", re.I)
_PUBLISHED = re.compile(r"\b(?:published|posted|written|dated|issued|come out|came out|put out)\b", re.I)
# What people call the text itself: asked about these, the question is about the document, not what it reports.
_DOCUMENT = re.compile(r"\b(?:it|this|article|post|blog|story|piece|report|letter|e-?mail|message|memo|note|notes|page|"
                       r"document|column|review|announcement|press release|newsletter|update|write-?up|guide|overview|"
                       r"howto|how-to|tutorial|manual|handbook|paper|readme|faq|essay|chapter)\b", re.I)
_BYLINE = re.compile(r"^[ \t*_]*(?i:by|(?:written|prepared|posted|reported|compiled) by|author|from(?=[ \t]*:))[ \t*_:]*"
                     r"(?P<name>[A-Z][\w'’.-]*(?:[ \t]+(?:de |van |von )?[A-Z][\w'’.-]*){0,3})", re.M)
_LINE_OPENS = re.compile(r"(?:^|\n)[ \t*_>•-]*$")
_HEAD_LINES = 12  # a byline or dateline sits within the first lines of a document (blank ones counted)
_DATELINED = re.compile(r"^[A-Z][A-Z .'-]{2,},\s")  # "LONDON, 26 March 2025 - ..."


def asks_author(question: str) -> bool:
    return bool(_AUTHOR_Q.match(question)) and bool(_DOCUMENT.search(question))


def is_byline(sentence: str, before: str = "") -> bool:
    """"By Owen Pritchard, Sports Reporter": who wrote the text, never who did what it reports. A byline opens its
    line: after `before` (the text preceding the sentence), "... pass --follow-external-links. Reported by Marta
    Ilves." says who reported a bug."""
    return bool(_BYLINE.match(sentence)) and bool(_LINE_OPENS.search(before))


def asks_publication_date(question: str) -> bool:
    return bool(_WHEN_Q.match(question) and _PUBLISHED.search(question) and _DOCUMENT.search(question))


def byline_answer(question: str, passages: Sequence[Passage]) -> tuple[str, int, str] | None:
    """(short answer, passage index, the line saying it) when the (standalone) question asks who wrote the document
    the best passage comes from, or when it was published, and the document's opening lines say; else None."""
    author = asks_author(question)
    date = not author and asks_publication_date(question)
    if not (author or date) or not passages:
        return None
    wanted = passages[0].chunk.doc_id
    for i, passage in enumerate(passages):
        if passage.chunk.doc_id != wanted or passage.chunk.index != 0:
            continue
        head = passage.text.splitlines()[:_HEAD_LINES]
        if another_text(question, _title(head)):
            return None
        for line in head:
            found = _found_in(line, author)
            if found:
                return found, i, line.strip(" \t*_")
    return None


# "the structural report", "Anouk's report": a text named by words of its own
_NAMED_TEXT = re.compile(r"\b(?:the|this|that|a|an|her|his|their|its)\s+(?P<words>(?:[\w'’-]+\s+){1,3}?)(?:article|post|blog|"
                         r"story|piece|report|letter|e-?mail|message|memo|note|notes|page|document|column|review|"
                         r"announcement|newsletter|update)\b", re.I)


def another_text(question: str, head: str) -> bool:
    """Whether the question names a text by words the document's opening lines do not use ("Who wrote the structural
    report?" of an email quoting a revised quote): a text the document speaks of, not the document itself."""
    named = _NAMED_TEXT.search(question.split("?", 1)[0])
    words = [w for w in re.findall(r"[\w'’-]+", named.group("words")) if w.lower() not in STOPWORDS] if named else []
    written = stems(head)
    return bool(words) and not any(stem(w) in written for w in words)


_SUBJECT = re.compile(r"^[ \t*_#]*(?:subject|title|re)\s*:", re.I)


def _title(head: Sequence[str]) -> str:
    """What a document calls itself: its first lines (a site's name, a headline, a byline) and any subject line."""
    lines = [line for line in head if line.strip()]
    return "\n".join(lines[:3] + [line for line in lines if _SUBJECT.match(line)])


def _found_in(line: str, author: bool) -> str | None:
    if author:
        match = _BYLINE.match(line)
        return match.group("name").rstrip(".,") if match else None
    date = _FULL_DATE.search(line)
    if date and (_DATELINE.fullmatch(line) or _BYLINE.match(line) or _DATELINED.match(line)):
        return date.group().strip(" ,")
    return None


def byline_reply(request: GenerationRequest, vectors: VectorCache, generator: str) -> Answer | None:
    """The cited answer to "Who wrote the article?" or "When was it published?" (the standalone question in a
    conversation: "it" may be the study, not the article) from the best passage's byline or dateline; else None."""
    found = byline_answer(request.query if request.history else request.question, request.passages)
    if found is None:
        return None
    short, index, line = found
    text = f"{line} [{index + 1}]." if line == short else f"{short} [{index + 1}]. {line} [{index + 1}]."
    checked = verify(text, request.passages, vectors)
    if not checked.supported or checked.unsupported_sentences:
        return None
    return Answer(question=request.question, answer=checked.text, abstained=False, citations=checked.citations,
                  passages=request.passages, query=request.query, generator=generator, confidence=1.0,
                  flags=checked.flags + ("byline",), short_answer=short)


def text_before(text: str, sentence: str) -> str:
    """The text before the sentence; none when the sentence is not found verbatim, so that it reads as opening a
    line, as every sentence did before bylines were told by their line."""
    at = text.find(sentence)
    return text[:at] if at >= 0 else ""

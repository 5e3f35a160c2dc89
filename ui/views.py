"""Pure HTML for the web chat: answers with citation links, the citation panel and tables, all text escaped."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath
from typing import Iterable, Sequence

from qa.models import Answer, Citation, FileOutcome, Passage, SourceInfo
from qa.text import CITATION_MARKER

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
RELATED_LIMIT = 3
PENDING_TEXT = "Searching the documents…"


def literal(text: str) -> str:
    """Text that every renderer on the page shows verbatim.

    Every ASCII punctuation character becomes a numeric entity: that stops HTML tags and attributes, and also
    Markdown (links, image beacons, emphasis), template syntax (`${...}`, `{{...}}`) and LaTeX delimiters,
    which plain HTML escaping would leave active in the Chatbot's Markdown renderer.
    """
    text = _CONTROL.sub("\ufffd", text)
    return "".join(f"&#{ord(ch)};" if ch.isascii() and not (ch.isalnum() or ch.isspace()) else ch for ch in text)


def question_html(question: str) -> str:
    return f"<span class='docqa-question'>{literal(question)}</span>"


def pending_html(text: str = "") -> str:
    """An assistant bubble while the answer is on its way: the text so far, or a busy note."""
    if not text.strip():
        return f"<span class='docqa-pending'>{literal(PENDING_TEXT)}</span>"
    return f"<span class='docqa-streaming'>{literal(text)}</span>"


def error_html(reason: str) -> str:
    return f"<span class='docqa-error'>{literal('Error: ' + reason)}</span>"


def cite_id(turn: int, n: int) -> str:
    return f"docqa-t{turn}-c{n}"


def answer_html(answer: Answer, turn: int) -> str:
    """The answer bubble: escaped text whose [n] markers link to citation n of this turn in the side panel."""
    notice = f"<div class='docqa-notice'>{literal(answer.notice)}</div>" if answer.notice else ""
    return notice + _answer_body_html(answer, turn)


def _answer_body_html(answer: Answer, turn: int) -> str:
    if answer.abstained:
        related = f" <span class='docqa-related-hint'>{literal('(see related passages)')}</span>" if answer.passages else ""
        return f"<span class='docqa-abstained'>{literal(answer.answer)}</span>{related}"
    cited = {c.n for c in answer.citations}
    parts: list[str] = []
    last = 0
    for match in CITATION_MARKER.finditer(answer.answer):
        n = int(match.group(1))
        if n not in cited:
            continue
        parts.append(literal(answer.answer[last:match.start()]))
        parts.append(
            f"<a class='docqa-cite-link' href='#{cite_id(turn, n)}' data-turn='{turn}' data-cite='{n}'"
            f" title='Show passage {n}'>&#91;{n}&#93;</a>"
        )
        last = match.end()
    parts.append(literal(answer.answer[last:]))
    return f"<span class='docqa-answer'>{''.join(parts)}</span>"


def span_in_passage(citation: Citation, passage: Passage) -> tuple[int, int] | None:
    """The cited span as offsets into the passage text, or None when the citation lies outside the passage."""
    start, end = citation.start - passage.start, citation.end - passage.start
    if citation.source != passage.source or start < 0 or end > len(passage.text) or start >= end:
        return None
    return start, end


def marked_passage(passage: Passage, span: tuple[int, int] | None) -> str:
    text = passage.text
    if span is None:
        return literal(text)
    start, end = span
    return f"{literal(text[:start])}<mark>{literal(text[start:end])}</mark>{literal(text[end:])}"


def _location(source: str, page: int | None, start: int, end: int) -> str:
    where = f" · page {page}" if page is not None else ""
    return (f"<span class='docqa-source'>{literal(source)}</span>"
            f"<span class='docqa-where'>{literal(f'{where} · characters {start}–{end}')}</span>")


def citation_html(answer: Answer, citation: Citation, turn: int, open_: bool = False) -> str:
    passage = answer.passages[citation.passage] if 0 <= citation.passage < len(answer.passages) else None
    span = span_in_passage(citation, passage) if passage is not None else None
    if passage is not None and span is not None:
        body = marked_passage(passage, span)
    else:  # the citation is still exact: show the cited span on its own
        body = f"<mark>{literal(citation.text)}</mark>"
    page = citation.page if citation.page is not None else (passage.chunk.page if passage else None)
    return (
        f"<details class='docqa-citation' id='{cite_id(turn, citation.n)}'{' open' if open_ else ''}>"
        f"<summary><span class='docqa-n'>&#91;{citation.n}&#93;</span> "
        f"{_location(citation.source, page, citation.start, citation.end)}</summary>"
        f"<div class='docqa-passage'>{body}</div></details>"
    )


def related_html(answer: Answer, turn: int, limit: int = RELATED_LIMIT) -> str:
    if not answer.passages:
        return f"<p class='docqa-note'>{literal('No passage came close.')}</p>"
    items = "".join(
        f"<details class='docqa-related' id='docqa-t{turn}-r{i + 1}'><summary>"
        f"{_location(p.source, p.chunk.page, p.start, p.end)}</summary>"
        f"<div class='docqa-passage'>{literal(p.text)}</div></details>"
        for i, p in enumerate(answer.passages[:limit])
    )
    return f"<p class='docqa-note'>{literal('Not answered from the documents. Related passages:')}</p>{items}"


def turn_html(answer: Answer, turn: int) -> str:
    heading = f"<p class='docqa-turn-question'>{literal(answer.question)}</p>"
    if answer.query and answer.query != answer.question:  # a follow-up: show what it was resolved to
        heading += f"<p class='docqa-query'>{literal('Searched for: ' + answer.query)}</p>"
    if answer.abstained:
        return heading + related_html(answer, turn)
    if not answer.citations:
        return heading + f"<p class='docqa-note'>{literal('This answer has no citations.')}</p>"
    return heading + "".join(citation_html(answer, c, turn) for c in answer.citations)


Turn = tuple[str, "Answer | str"]  # a question and its answer, or the reason it failed


def citation_panel_html(turns: Sequence[Turn]) -> str:
    """Citations of every answered turn: the latest shown, earlier ones folded away; ids match the answer links."""
    answered = [(t, a) for t, (_, a) in enumerate(turns, 1) if isinstance(a, Answer)]
    if not answered:
        return f"<div class='docqa-panel'><p class='docqa-note'>{literal('Citations of the answer appear here.')}</p></div>"
    latest_turn, latest = answered[-1]
    earlier = "".join(
        f"<div class='docqa-turn' data-turn='{t}'>{turn_html(a, t)}</div>" for t, a in answered[:-1]
    )
    folded = (f"<details class='docqa-earlier'><summary>{literal('Earlier answers')}</summary>{earlier}</details>"
              if earlier else "")
    return (f"<div class='docqa-panel'><div class='docqa-turn docqa-latest' data-turn='{latest_turn}'>"
            f"{turn_html(latest, latest_turn)}</div>{folded}</div>")


def chat_messages(turns: Sequence[Turn], asking: str | None = None, partial: str = "") -> list[dict[str, str]]:
    """Chatbot messages (HTML content) for finished or failed turns, plus the question being answered, if any."""
    messages: list[dict[str, str]] = []
    for turn, (question, outcome) in enumerate(turns, 1):
        messages.append({"role": "user", "content": question_html(question)})
        reply = answer_html(outcome, turn) if isinstance(outcome, Answer) else error_html(outcome)
        messages.append({"role": "assistant", "content": reply})
    if asking is not None:
        messages.append({"role": "user", "content": question_html(asking)})
        messages.append({"role": "assistant", "content": pending_html(partial)})
    return messages


def sources_rows(sources: Iterable[SourceInfo]) -> list[list[object]]:
    """Rows for the sources table: name, type, chunks, added (local date and time)."""
    return [[s.source, s.kind, s.chunks, _when(s.added)] for s in sources]


def _when(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


_STATUS_ORDER = ("added", "updated", "unchanged", "removed", "skipped", "failed")


def outcomes_html(outcomes: Sequence[FileOutcome], title: str = "Upload") -> str:
    """The per-file summary of an upload or removal, failures with their reason."""
    if not outcomes:
        return f"<p class='docqa-note'>{literal('No files.')}</p>"
    counts = [f"{sum(o.status == s for o in outcomes)} {s}" for s in _STATUS_ORDER if any(o.status == s for o in outcomes)]
    rows = "".join(
        f"<tr class='docqa-{o.status}'><td>{literal(o.status)}</td><td>{literal(o.source)}</td>"
        f"<td>{o.chunks}</td><td>{literal(o.reason or '')}</td></tr>"
        for o in outcomes
    )
    return (f"<div class='docqa-report'><p><strong>{literal(title)}:</strong> {literal(', '.join(counts))}</p>"
            f"<table><thead><tr><th>status</th><th>file</th><th>chunks</th><th>reason</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


_TITLE_CUT = re.compile(r"\s+[-–|—]\s+|[.:;!?](\s|$)")


def example_questions(sources: Iterable[SourceInfo], limit: int = 3) -> list[str]:
    """One question per document (its title, or else its file name), for the example buttons."""
    questions: list[str] = []
    for source in sources:
        topic = _TITLE_CUT.split(source.title or "", maxsplit=1)[0].strip() if source.title else ""
        if not topic:
            topic = PurePath(source.source).stem.replace("_", " ").replace("-", " ").strip()
        if len(topic) > 90:
            topic = topic[:90].rsplit(" ", 1)[0]
        question = f"What is “{topic}” about?"
        if topic and question not in questions:
            questions.append(question)
        if len(questions) >= limit:
            break
    return questions


def where_lines(text: str | None) -> list[str]:
    """`key=value` metadata filters, one a line or separated by commas."""
    return [part.strip() for line in (text or "").splitlines() for part in line.split(",") if part.strip()]

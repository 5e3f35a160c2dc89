"""HTML through trafilatura: the main content as text, with its title and headings; epub chapters and e-mail parts reuse it."""

from __future__ import annotations

import bisect
import re

from ingest.formats.common import LoadedText, first_kept_line, lines_with_offsets, quiet
from ingest.formats.text import decode_text
from ingest.limits import Budget, LoadError
from qa.models import Heading


def load_html(data: bytes, budget: Budget) -> LoadedText:
    markup, encoding = decode_text(data)
    text, title, headings = html_to_text(markup)
    if not text.strip():
        raise LoadError("no text in HTML")
    title = title or (headings[0].text if headings else None) or first_kept_line(text, "html")
    return LoadedText(text=text, kind="html", title=title, headings=headings, encoding=encoding)


def html_to_text(markup: str) -> tuple[str, str | None, tuple[Heading, ...]]:
    """(main text, title, headings located in the text) of an HTML page; all its text when the page is too small
    for trafilatura to tell content from chrome."""
    import trafilatura

    with quiet("trafilatura", "htmldate", "courlan"):
        document = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_formatting=False)
        text = (document.text or "") if document is not None else ""
        if not text.strip():
            # Tiny pages (a fragment, a one-paragraph note) give trafilatura too little to score; take all their text.
            whole_page = markup if re.search(r"<body[\s>]", markup, re.IGNORECASE) else f"<html><body>{markup}</body></html>"
            text = trafilatura.html2txt(whole_page) or ""
    headings = _locate_headings(text, _trafilatura_headings(document))
    title = " ".join(((document.title if document is not None else None) or "").split())
    return text, title or None, headings


def _trafilatura_headings(document: object) -> list[tuple[int, str]]:
    body = getattr(document, "body", None)
    if body is None:
        return []
    found = []
    for element in body.iter("head"):
        level = re.fullmatch(r"h([1-6])", element.get("rend") or "")
        found.append((int(level.group(1)) if level else 1, " ".join("".join(element.itertext()).split())))
    return [(level, text) for level, text in found if text]


def _locate_headings(text: str, headings: list[tuple[int, str]]) -> tuple[Heading, ...]:
    """Offsets of headings found as whole lines of `text`, matched in document order."""
    where: dict[str, list[int]] = {}
    for offset, line in lines_with_offsets(text):
        if line.strip():
            where.setdefault(" ".join(line.split()), []).append(offset + len(line) - len(line.lstrip()))
    located: list[Heading] = []
    cursor = 0
    for level, heading in headings:
        offsets = where.get(heading, [])
        index = bisect.bisect_left(offsets, cursor)
        if index < len(offsets):
            located.append(Heading(start=offsets[index], level=level, text=heading))
            cursor = offsets[index] + 1
    return tuple(located)

"""HTML through trafilatura: the main content as text, with its title and headings; epub chapters and e-mail parts reuse it."""

from __future__ import annotations

import bisect
import re

from ingest.formats.common import MAX_TITLE_CHARS, LoadedText, first_kept_line, lines_with_offsets, quiet
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

    root = _parse(markup)  # parsed once: wrapping bare text, finding lost terms and re-laying them share the tree
    markup = _paragraphs_for_bare_text(markup, root)
    with quiet("trafilatura", "htmldate", "courlan"):
        document = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_formatting=False)
        text = (document.text or "") if document is not None else ""
        if document is not None and root is not None and _lost_terms(root, text):
            # A glossary's terms ("<dt>root</dt><dd>Root is the superuser.</dd>") are what its entries are about.
            document = trafilatura.bare_extraction(_terms_as_paragraphs(root), with_metadata=True,
                                                   include_comments=False, include_formatting=False)
            text = (document.text or "") if document is not None else ""
        if not text.strip():
            # Tiny pages (a fragment, a one-paragraph note) give trafilatura too little to score; take all their text.
            whole_page = markup if re.search(r"<body[\s>]", markup, re.IGNORECASE) else f"<html><body>{markup}</body></html>"
            text = trafilatura.html2txt(whole_page) or ""
    headings = _locate_headings(text, _trafilatura_headings(document))
    title = " ".join(((document.title if document is not None else None) or "").split())
    whole = " ".join((root.findtext(".//title") or "").split()) if root is not None else ""
    # trafilatura cuts "The Lantern – Spring 2024 | St Odran's Church, Kellsmoor" to "The Lantern": whose newsletter,
    # site or paper the page is, which a question may name, goes with it
    title = whole if title and title in whole and len(whole) <= MAX_TITLE_CHARS else title
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


# Blocks that end a run of bare text: an old page writes its prose straight into <body> between them.
_BLOCKS = frozenset("p div pre h1 h2 h3 h4 h5 h6 ul ol dl dt dd li table blockquote hr form section article header "
                    "footer nav main aside figure address center".split())


def _parse(markup: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(markup)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None


def _serialise(root) -> str:
    import lxml.html

    return lxml.html.tostring(root, encoding="unicode")


def _paragraphs_for_bare_text(markup: str, root) -> str:
    """The page with text written straight into <body> or a <div> beside blocks wrapped in paragraphs, which
    trafilatura would otherwise drop ("We often get questions …" before the first <p> of the zlib example).
    The wrapping is done in `root`, the parsed `markup`, in place."""
    if root is None:
        return markup
    changed = [_wrap_bare_text(container) for container in list(root.iter("body", "div"))]
    return _serialise(root) if any(changed) else markup


def _is_block(node) -> bool:
    return isinstance(node.tag, str) and node.tag in _BLOCKS


def _wrap_bare_text(container) -> bool:
    from lxml import etree

    nodes = list(container)
    bare = (container.text or "").strip() or any((n.tail or "").strip() for n in nodes if _is_block(n))
    if not bare or not any(_is_block(n) for n in nodes):
        return False
    lead, container.text = container.text, None
    for node in nodes:
        container.remove(node)
    paragraph = None
    if lead and lead.strip():
        paragraph = etree.SubElement(container, "p")
        paragraph.text = lead
    for node in nodes:
        if _is_block(node):
            tail, node.tail = node.tail, None
            container.append(node)
            paragraph = None
            if tail and tail.strip():
                paragraph = etree.SubElement(container, "p")
                paragraph.text = tail
        else:  # inline markup and its tail stay in the running paragraph
            if paragraph is None:
                paragraph = etree.SubElement(container, "p")
            paragraph.append(node)
    return True


def _lost_terms(root, text: str) -> bool:
    """Whether trafilatura dropped most terms of the page's definition lists."""
    terms = [" ".join(dt.text_content().split()) for dt in root.iter("dt")]
    if not terms:
        return False
    lines = [" ".join(line.split()).lstrip("-• ") for line in text.splitlines()]
    lost = [term for term in terms if term and not any(line.startswith(term) for line in lines)]
    return len(lost) * 2 > len(terms)  # most of them: a stray one lost is no reason to lay the page out again


def _terms_as_paragraphs(root) -> str:
    """The page with each definition-list term a paragraph of its own, which trafilatura keeps (`root` is changed)."""
    for term in list(root.iter("dt")):
        term.tag = "p"
    return _serialise(root)


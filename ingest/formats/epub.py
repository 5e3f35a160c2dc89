"""EPUB e-books: the chapters the OPF spine lists, in reading order, each through the HTML cleaner with its number as the page."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urldefrag

from ingest.archive import checked_zip
from ingest.formats.common import LoadedText, Section, assemble, first_kept_line, parse_xml, short_title
from ingest.formats.html import html_to_text
from ingest.formats.text import decode_text
from ingest.limits import Budget, LoadError

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


def load_epub(data: bytes, budget: Budget) -> LoadedText:
    if not data.startswith(b"PK"):
        raise LoadError("not a valid EPUB (not a zip package)")
    archive = checked_zip(data, budget, what="EPUB")
    opf_path = _opf_path(archive)
    opf = parse_xml(_read(archive, opf_path), "EPUB", opf_path)
    sections = []
    for number, member in enumerate(_spine(opf, opf_path), start=1):
        budget.check()
        markup, _ = decode_text(_read(archive, member))
        text, title, headings = html_to_text(markup)
        chapter = (headings[0].text if headings else None) or title or f"Chapter {number}"
        sections.append(Section(text, heading=chapter, page=number))
    text, pages, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    if not text:
        raise LoadError("no text in EPUB")
    found = opf.find(f".//{_DC}title")  # type: ignore[attr-defined]
    title = short_title(found.text if found is not None else None) or first_kept_line(text, "epub")
    return LoadedText(text=text, kind="epub", title=title, pages=pages, headings=headings)


def _opf_path(archive: object) -> str:
    """Where META-INF/container.xml says the package document (the OPF) is."""
    container = parse_xml(_read(archive, "META-INF/container.xml"), "EPUB", "META-INF/container.xml")
    rootfile = container.find(f".//{_CONTAINER}rootfile")  # type: ignore[attr-defined]
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise LoadError("not a valid EPUB (container.xml names no package document)")
    return path


def _spine(opf: object, opf_path: str) -> list[str]:
    """Archive paths of the spine's chapters in reading order (hrefs are relative to the OPF, URL-encoded)."""
    base = posixpath.dirname(opf_path)
    manifest = {}
    for item in opf.iter(f"{_OPF}item"):  # type: ignore[attr-defined]
        href = unquote(urldefrag(item.get("href") or "")[0])
        if href and (item.get("media-type") or "") in _CHAPTER_TYPES:
            manifest[item.get("id")] = posixpath.normpath(posixpath.join(base, href))
    chapters = [manifest[ref.get("idref")] for ref in opf.iter(f"{_OPF}itemref")  # type: ignore[attr-defined]
                if ref.get("idref") in manifest]
    if not chapters:
        raise LoadError("not a valid EPUB (the spine lists no chapters)")
    return list(dict.fromkeys(chapters))  # a chapter listed twice is read once


def _read(archive: object, member: str) -> bytes:
    try:
        return archive.read(member)  # type: ignore[attr-defined]
    except KeyError as err:
        raise LoadError(f"not a valid EPUB (missing {member})") from err

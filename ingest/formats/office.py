"""Word-processor documents: docx through python-docx, odt from its content.xml; paragraphs, headings and table rows in order."""

from __future__ import annotations

import io
import re
from typing import Iterator

from ingest.archive import checked_zip
from ingest.formats.common import BLOCK_SEPARATOR, LoadedText, Section, assemble, first_kept_line, parse_xml, scrub, short_title
from ingest.limits import Budget, LoadError
from qa.models import Heading


def load_docx(data: bytes, budget: Budget) -> LoadedText:
    import docx

    if not data.startswith(b"PK"):
        raise LoadError("not a valid DOCX (not a zip package; an old .doc or another format?)")
    checked_zip(data, budget, what="DOCX")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # zip, package and XML errors all mean the same thing to the user
        raise LoadError("not a valid DOCX (corrupt or not a Word document)") from err
    blocks: list[str] = []
    headings: list[Heading] = []
    cursor = 0
    for block, level in _docx_blocks(document):
        budget.text(cursor)
        block = scrub(block).strip()
        if not block:
            continue
        if blocks:
            cursor += len(BLOCK_SEPARATOR)
        if level is not None:
            headings.append(Heading(start=cursor, level=level, text=" ".join(block.split())))
        blocks.append(block)
        cursor += len(block)
    text = BLOCK_SEPARATOR.join(blocks)
    if not text:
        raise LoadError("no text in DOCX")
    core_title = " ".join((document.core_properties.title or "").split())
    title = core_title or (headings[0].text if headings else None) or first_kept_line(text, "docx")
    return LoadedText(text=text, kind="docx", title=title, headings=tuple(headings))


def _docx_blocks(document: object) -> Iterator[tuple[str, int | None]]:
    """Paragraphs (with heading level when styled as one) and table rows, in body order."""
    from docx.table import Table

    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            for row in item.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats across the columns it spans
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                yield " | ".join(cell for cell in cells if cell), None
        else:
            yield item.text, _docx_heading_level(item)


def _docx_heading_level(paragraph: object) -> int | None:
    style = getattr(paragraph, "style", None)
    name = (getattr(style, "name", "") or "").strip()
    if name == "Title":
        return 0
    match = re.fullmatch(r"Heading ([1-9])", name)
    return int(match.group(1)) if match else None


# ---------------------------------------------------------------- odt

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ODF_SKIPPED = {f"{_TEXT}tracked-changes", f"{_OFFICE}annotation", f"{_TEXT}sequence-decls"}


def load_odt(data: bytes, budget: Budget) -> LoadedText:
    if not data.startswith(b"PK"):
        raise LoadError("not a valid ODT (not a zip package)")
    archive = checked_zip(data, budget, what="ODT")
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise LoadError("not a valid ODT (no content.xml)")
    root = parse_xml(archive.read("content.xml"), "ODT", "content.xml")
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")  # type: ignore[attr-defined]
    if body is None:
        raise LoadError("not a valid ODT (no text body: a spreadsheet or presentation?)")
    sections = []
    for text, level in _odf_blocks(body):
        budget.check()
        sections.append(Section(text, heading=text if level is not None else None, level=level or 1))
    text, _, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    if not text:
        raise LoadError("no text in ODT")
    meta_title = _odt_meta_title(archive) if "meta.xml" in names else None
    title = meta_title or (headings[0].text if headings else None) or first_kept_line(text, "odt")
    return LoadedText(text=text, kind="odt", title=title, headings=headings)


def _odf_blocks(body: object) -> Iterator[tuple[str, int | None]]:
    """Headings (with their outline level), paragraphs and table rows in document order; walked with a stack,
    so deep nesting costs memory, not recursion."""
    stack = [iter(body)]  # type: ignore[call-overload]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag == f"{_TEXT}h":
            yield _odf_text(element), int(element.get(f"{_TEXT}outline-level") or 1)
        elif tag == f"{_TEXT}p":
            yield _odf_text(element), None
        elif tag == f"{_TABLE}table-row":
            cells = [" ".join(_odf_text(p) for p in cell.iter(f"{_TEXT}p")) for cell in element]
            yield " | ".join(" ".join(c.split()) for c in cells if c.strip()), None
        elif tag not in _ODF_SKIPPED:
            stack.append(iter(element))


def _odf_text(element: object) -> str:
    """A paragraph's text: text:s stands for spaces, text:tab and text:line-break for themselves; notes and
    annotations inside it are left out (they would break the sentence they sit in)."""
    parts: list[str] = []
    pending = [(element, False)]
    while pending:
        node, tail_only = pending.pop()
        if tail_only:
            parts.append(node.tail or "")  # type: ignore[attr-defined]
            continue
        tag = node.tag  # type: ignore[attr-defined]
        if tag == f"{_TEXT}s":
            parts.append(" " * int(node.get(f"{_TEXT}c") or 1))  # type: ignore[attr-defined]
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in (f"{_TEXT}note", f"{_OFFICE}annotation"):
            parts.append(node.text or "")  # type: ignore[attr-defined]
            for child in reversed(list(node)):  # type: ignore[call-overload]
                pending.extend(((child, True), (child, False)))
    return "".join(parts)


def _odt_meta_title(archive: object) -> str | None:
    try:
        meta = parse_xml(archive.read("meta.xml"), "ODT", "meta.xml")  # type: ignore[attr-defined]
    except LoadError:
        return None  # a broken meta.xml costs the title, not the document
    found = meta.find(f".//{_DC}title")  # type: ignore[attr-defined]
    return short_title(found.text if found is not None else None)

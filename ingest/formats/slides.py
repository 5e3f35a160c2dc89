"""PowerPoint decks through python-pptx: each slide's text, tables and speaker notes, the slide number as its page."""

from __future__ import annotations

import io
from typing import Iterator

from ingest.archive import checked_zip
from ingest.formats.common import LoadedText, Section, assemble, first_kept_line, short_title
from ingest.limits import Budget, LoadError

NOTES_LABEL = "Notes:"


def load_pptx(data: bytes, budget: Budget) -> LoadedText:
    from pptx import Presentation

    if not data.startswith(b"PK"):
        raise LoadError("not a valid PPTX (not a zip package; an old .ppt or another format?)")
    checked_zip(data, budget, what="PPTX")
    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as err:  # zip, package and XML errors all mean the same thing to the user
        raise LoadError("not a valid PPTX (corrupt or not a PowerPoint deck)") from err
    sections = []
    for number, slide in enumerate(deck.slides, start=1):
        budget.check()
        title, body = _slide_text(slide)
        sections.append(Section(body, heading=title or f"Slide {number}", page=number))
    text, pages, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    if not text:
        raise LoadError("no text in PPTX")
    core_title = short_title(deck.core_properties.title)
    first_title = next((s.heading for s in sections if s.text.strip() and not s.heading.startswith("Slide ")), None)
    title = core_title or short_title(first_title) or first_kept_line(text, "pptx")
    return LoadedText(text=text, kind="pptx", title=title, pages=pages, headings=headings)


def _slide_text(slide: object) -> tuple[str | None, str]:
    """(title, text) of one slide: its title first, then every other shape's text in reading order, then notes."""
    title_shape = slide.shapes.title  # type: ignore[attr-defined]
    title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None and title_shape.has_text_frame else None
    blocks = [title] if title else []
    for shape in _reading_order(slide.shapes):  # type: ignore[attr-defined]
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        blocks.extend(_shape_blocks(shape))
    notes = _notes(slide)
    if notes:
        blocks.append(f"{NOTES_LABEL} {notes}")
    return title, "\n".join(b for b in blocks if b.strip())


def _reading_order(shapes: object) -> Iterator[object]:
    """Shapes top to bottom, then left to right; a group's members in place of the group."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    def position(shape: object) -> tuple[int, int]:
        return (getattr(shape, "top", None) or 0, getattr(shape, "left", None) or 0)

    for shape in sorted(shapes, key=position):  # type: ignore[call-overload]
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _reading_order(shape.shapes)
        else:
            yield shape


def _shape_blocks(shape: object) -> list[str]:
    if getattr(shape, "has_table", False) and shape.has_table:  # type: ignore[attr-defined]
        return [" | ".join(" ".join(cell.text.split()) for cell in row.cells) for row in shape.table.rows]  # type: ignore[attr-defined]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:  # type: ignore[attr-defined]
        return [p for p in (" ".join(par.text.split()) for par in shape.text_frame.paragraphs) if p]  # type: ignore[attr-defined]
    return []


def _notes(slide: object) -> str:
    if not slide.has_notes_slide:  # type: ignore[attr-defined]
        return ""
    frame = slide.notes_slide.notes_text_frame  # type: ignore[attr-defined]
    return " ".join(frame.text.split()) if frame is not None else ""

"""PDF text page by page (pages without a text layer through OCR), outline headings and title; image files through OCR."""

from __future__ import annotations

import io
import re

from ingest.formats.common import LoadedText, first_kept_line, join_pages, quiet, scrub, short_title
from ingest.limits import Budget, LoadError
from qa.models import Heading, PageSpan

MIN_PAGE_CHARS = 16  # a page with less text than this (none, or a stray scanner stamp) is OCR'd
_COLUMN_GAP = re.compile(r"\S(?: {3,})(?=\S)")  # layout mode pads the space between two table cells
_TABLE_ROWS = 2  # lines with three or more cells each that make a page a table page


def load_pdf(data: bytes, budget: Budget) -> LoadedText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise LoadError("not a valid PDF (no %PDF header)")
    with quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _opens_without_password(reader):
                raise LoadError("encrypted PDF")
            page_texts = _pdf_page_texts(reader, budget)
        except DependencyError as err:
            raise LoadError("encrypted PDF (AES; the 'cryptography' package is needed to open it)") from err
        except PyPdfError as err:
            raise LoadError("not a valid PDF (truncated or corrupt)") from err
        page_texts = _ocr_blank_pages(data, page_texts)
        if not page_texts or not any(page_texts):
            raise LoadError("no extractable text (scanned PDF?)")
        text, pages = join_pages(page_texts)
        headings = _pdf_outline_headings(reader, page_texts, pages)
        title = _pdf_metadata_title(reader) or (headings[0].text if headings else None) or first_kept_line(text, "pdf")
    return LoadedText(text=text, kind="pdf", title=title, pages=pages, headings=headings)


def _pdf_page_texts(reader: object, budget: Budget) -> list[str]:
    """Each page's text, within the page-count, text-size and time limits (checked page by page)."""
    count = len(reader.pages)  # type: ignore[attr-defined]
    if count > budget.limits.max_pdf_pages:
        raise LoadError(f"PDF has {count:,} pages (limit {budget.limits.max_pdf_pages:,}; raise DOCQA_MAX_PDF_PAGES)")
    texts: list[str] = []
    total = 0
    for page in reader.pages:  # type: ignore[attr-defined]
        budget.check()
        texts.append(scrub(_page_text(page)).strip())
        total += len(texts[-1])
        budget.text(total)
    return texts


def _page_text(page: object) -> str:
    """The page's text; a page holding a table is read in pypdf's layout mode, with its cells joined by " | ",
    because the plain mode puts every cell on a line of its own and a row's values no longer meet."""
    plain = page.extract_text() or ""  # type: ignore[attr-defined]
    try:
        layout = page.extract_text(extraction_mode="layout") or ""  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - layout mode is a nicety: any trouble in it keeps the plain text
        return plain
    rows = [line for line in layout.splitlines() if len(_COLUMN_GAP.findall(line.strip())) >= 2]
    if len(rows) < _TABLE_ROWS:
        return plain
    lines = [re.sub(r" {3,}", " | ", line.strip()) for line in layout.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ocr_blank_pages(data: bytes, page_texts: list[str]) -> list[str]:
    """Pages without a text layer are OCR'd, the others kept as extracted. With no OCR engine, a PDF that has
    some text keeps it; one with none at all is refused with the install hint."""
    from ingest import ocr

    blank = [i for i, text in enumerate(page_texts) if len("".join(text.split())) < MIN_PAGE_CHARS]
    if not blank:
        return page_texts
    if ocr.engine_ready() is not None and len(blank) < len(page_texts):
        return page_texts
    found = ocr.ocr_pdf_pages(data, blank)
    return [scrub(found[i]) if i in found and len(found[i]) > len(text) else text for i, text in enumerate(page_texts)]


def load_image(data: bytes, budget: Budget) -> LoadedText:
    from ingest import ocr

    frames = [scrub(text) for text in ocr.ocr_image_bytes(data)]
    budget.check()
    if not any(frames):
        raise LoadError("no text found by OCR in the image")
    text, pages = join_pages(frames)
    return LoadedText(text=text, kind="image", title=first_kept_line(text, "txt"),
                      pages=pages)


def _opens_without_password(reader: object) -> bool:
    from pypdf import PasswordType

    return reader.decrypt("") != PasswordType.NOT_DECRYPTED  # type: ignore[attr-defined]




def _pdf_outline_headings(reader: object, page_texts: list[str], pages: tuple[PageSpan, ...]) -> tuple[Heading, ...]:
    """Bookmarks as headings, placed where their title appears on their page (else at the page start)."""
    found: list[Heading] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            index = reader.get_destination_page_number(item)  # type: ignore[attr-defined]
            if title and index is not None and 0 <= index < len(pages):
                position = page_texts[index].find(title)
                found.append(Heading(start=pages[index].start + max(position, 0), level=level, text=title))

    try:
        walk(reader.outline, 1)  # type: ignore[attr-defined]
    except Exception:  # a broken outline costs the headings, not the document
        return ()
    return tuple(sorted(found, key=lambda heading: heading.start))


def _pdf_metadata_title(reader: object) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None  # type: ignore[attr-defined]
    except Exception:  # malformed info dictionaries are common and harmless
        return None
    return short_title(title)

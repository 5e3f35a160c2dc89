"""What every format loader shares: the LoadedText it returns and the helpers that build its text, pages and headings."""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from dataclasses import dataclass
from typing import Iterable, Iterator

from ingest.clean import kept_ranges
from ingest.limits import LoadError
from qa.models import Heading, PageSpan

PAGE_SEPARATOR = "\n\n"
BLOCK_SEPARATOR = "\n\n"
MAX_TITLE_CHARS = 250  # scraped headlines with their standfirst run long
_UNSAFE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class LoadedText:
    """A file's text as docqa indexes it; every offset in `pages` and `headings` points into `text`."""

    text: str
    kind: str  # a kind of qa.registry.FILE_TYPES: "txt", "pdf", "pptx", "csv", ...
    title: str | None = None
    pages: tuple[PageSpan, ...] = ()
    headings: tuple[Heading, ...] = ()
    encoding: str | None = None


@dataclass(frozen=True)
class Section:
    """One unit of a document being assembled: its text, an optional heading over it, and its page number."""

    text: str
    heading: str | None = None
    level: int = 1
    page: int | None = None


def assemble(sections: Iterable[Section], *, separator: str = BLOCK_SEPARATOR,
             max_chars: int | None = None) -> tuple[str, tuple[PageSpan, ...], tuple[Heading, ...]]:
    """Join sections into one text; a heading is placed at its section's start, and a section with a page number
    gets a PageSpan running to the next one's start, so spans tile the text and a chunk never crosses two pages."""
    parts: list[str] = []
    heads: list[Heading] = []
    starts: list[tuple[int, int]] = []
    cursor = 0
    for section in sections:
        body = scrub(section.text).strip()
        if not body:
            continue
        if parts:
            cursor += len(separator)
        if section.heading:
            heads.append(Heading(start=cursor, level=section.level, text=" ".join(section.heading.split())))
        if section.page is not None:
            starts.append((section.page, cursor))
        parts.append(body)
        cursor += len(body)
        if max_chars is not None and cursor > max_chars:
            break
    text = separator.join(parts)
    ends = [start for _, start in starts[1:]] + [len(text)]
    pages = tuple(PageSpan(page=page, start=start, end=end) for (page, start), end in zip(starts, ends))
    return text, pages, tuple(heads)


def join_pages(page_texts: list[str]) -> tuple[str, tuple[PageSpan, ...]]:
    """Pages joined by a blank line; each page's span runs to the next page's start, so spans tile the text."""
    starts, cursor = [], 0
    for index, page_text in enumerate(page_texts):
        starts.append(cursor)
        cursor += len(page_text) + (len(PAGE_SEPARATOR) if index < len(page_texts) - 1 else 0)
    text = PAGE_SEPARATOR.join(page_texts)
    ends = starts[1:] + [len(text)]
    return text, tuple(PageSpan(page=i + 1, start=s, end=e) for i, (s, e) in enumerate(zip(starts, ends)))


def first_kept_line(text: str, kind: str) -> str | None:
    """The first line worth indexing, as a title, if it is short enough to be one."""
    for start, end in kept_ranges(text, kind):
        line = text[start:end].splitlines()[0].strip().lstrip("#").strip()
        return line if 0 < len(line) <= MAX_TITLE_CHARS else None
    return None


def short_title(value: object) -> str | None:
    """`value` as a one-line title, or None when it is empty or too long to be one."""
    title = " ".join(str(value or "").split())
    return title if 0 < len(title) <= MAX_TITLE_CHARS else None


def scrub(text: str) -> str:
    """Drop NULs and lone surrogates that extractors sometimes emit; they break storage and UTF-8 encoding."""
    return _UNSAFE_CHARS.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def lines_with_offsets(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line without its line break) for each line of `text`."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and match.group() == "":
            break
        yield match.start(), match.group().rstrip("\r\n")


@contextlib.contextmanager
def quiet(*loggers: str) -> Iterator[None]:
    """Silence a library's warnings while it parses: damaged input is reported once, as our LoadError."""
    for name in loggers:
        # Raised for good rather than restored afterwards: a save-and-restore races when files load on threads.
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def parse_xml(data: bytes, what: str, part: str) -> object:
    """An ElementTree root of one XML part of a package; a part declaring entities is refused (expansion bombs
    hide there, and office formats never need them), and bad XML is a LoadError naming the part."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in data[:65536]:
        raise LoadError(f"{what} part {part!r} declares XML entities (refused: a possible entity-expansion bomb)")
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise LoadError(f"not a valid {what} ({part} is not well-formed XML: {err})") from err

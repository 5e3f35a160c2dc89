"""Turns a file (txt, md, html, pdf, docx; images and scanned pages through OCR) into one text with page and heading offsets, or a one-line LoadError."""

from __future__ import annotations

import bisect
import codecs
import contextlib
import errno
import io
import logging
import os
import re
import stat
import unicodedata
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from ingest.archive import checked_zip
from ingest.clean import kept_ranges
from ingest.limits import MIB, Budget, Limits, LoadError, UnsupportedFormat
from qa.models import Heading, PageSpan
from qa.registry import FILE_TYPES

SUPPORTED_EXTENSIONS: frozenset[str] = FILE_TYPES.extensions()
_KIND_OF_EXTENSION = FILE_TYPES.kind_of_extension()
_KIND_ALIASES = FILE_TYPES.aliases()
DEFAULT_MAX_BYTES = Limits().max_bytes
MIN_PAGE_CHARS = 16  # a page with less text than this (none, or a stray scanner stamp) is OCR'd
PAGE_SEPARATOR = "\n\n"
BLOCK_SEPARATOR = "\n\n"
MAX_TITLE_CHARS = 250  # scraped headlines with their standfirst run long
UNDECODABLE = "undecodable bytes (not UTF-8/UTF-16/cp1252)"


@dataclass(frozen=True)
class LoadedText:
    """A file's text as docqa indexes it; every offset in `pages` and `headings` points into `text`."""

    text: str
    kind: str  # "txt" | "md" | "html" | "pdf" | "docx"
    title: str | None = None
    pages: tuple[PageSpan, ...] = ()
    headings: tuple[Heading, ...] = ()
    encoding: str | None = None


def kind_for(path: Path) -> str:
    """The loader kind for a path's extension; UnsupportedFormat when there is none."""
    suffix = path.suffix.lower()
    if suffix not in _KIND_OF_EXTENSION:
        raise UnsupportedFormat(f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)", source=str(path))
    return _KIND_OF_EXTENSION[suffix]


def load_file(path: Path, *, max_bytes: int | None = None, limits: Limits | None = None) -> LoadedText:
    """Load one file; raises LoadError (and nothing else) with the reason it cannot be indexed.

    Only a regular file is read: it is opened without blocking and checked on the open handle, so a FIFO or a
    device swapped in after discovery is refused instead of hanging the run.
    """
    path = Path(path)
    source = str(path)
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    data = read_regular_file(path, limits.max_bytes)
    return load_bytes(data, kind_for(path), name=source, budget=limits.budget())


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; LoadError for anything else (directory, FIFO, device,
    socket, too large, unreadable)."""
    source = str(path)
    try:
        info = os.stat(path)
    except OSError as err:
        raise LoadError(_stat_failure(path, err), source=source) from err
    except ValueError as err:  # e.g. an embedded NUL in the name
        raise LoadError(f"invalid path: {err}", source=source) from err
    _refuse_special(path, info.st_mode)  # devices are never even opened: opening one can act on the device
    kind_for(path)
    # Refuse by size before reading, so a huge file never reaches memory.
    if info.st_size > max_bytes:
        raise LoadError(_too_large(info.st_size, max_bytes), source=source)
    try:
        with open(path, "rb", opener=_open_nonblocking) as handle:
            _refuse_special(path, os.fstat(handle.fileno()).st_mode)  # the path may have been swapped since stat
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except PermissionError as err:
        raise LoadError("permission denied", source=source) from err
    except OSError as err:
        raise LoadError(f"read error: {err.strerror or err}", source=source) from err
    if len(data) > max_bytes:
        raise LoadError(_too_large(len(data), max_bytes), source=source)
    return data


def _open_nonblocking(path: str, flags: int) -> int:
    """os.open with O_NONBLOCK: opening a FIFO that replaced a file returns at once instead of waiting for a writer."""
    return os.open(path, flags | os.O_NONBLOCK)


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise LoadError("is a directory, not a file", source=str(path))
    if not stat.S_ISREG(mode):
        raise LoadError(f"not a regular file ({special_file_kind(mode)})", source=str(path))


def special_file_kind(mode: int) -> str:
    """What a non-regular file is, for the one-line reason."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def load_bytes(data: bytes, kind: str, *, name: str = "", budget: Budget | None = None) -> LoadedText:
    """Load a document held in memory; `name` only labels the error. Raises LoadError and nothing else."""
    normalized = kind.lower().lstrip(".")
    normalized = _KIND_ALIASES.get(normalized, normalized)
    loader = _LOADERS.get(normalized)
    if loader is None:
        raise UnsupportedFormat(f"unsupported file type .{normalized}", source=name)
    if not data:
        raise LoadError("empty file", source=name)
    budget = budget or Limits().budget()
    try:
        loaded = loader(data, budget)
        budget.text(len(loaded.text))
    except LoadError as err:
        err.source = err.source or name
        raise
    except MemoryError as err:
        raise LoadError(f"out of memory while parsing {normalized}", source=name) from err
    except RecursionError as err:  # deeply nested markup or PDF objects
        raise LoadError(f"could not parse {normalized}: structure nested too deeply", source=name) from err
    except Exception as err:  # any library failure on bad input becomes a reason, never a crash
        raise LoadError(f"could not parse {normalized}: {type(err).__name__}: {err}", source=name) from err
    if not loaded.text.strip():
        raise LoadError("no text (only whitespace)", source=name)
    return loaded


# ---------------------------------------------------------------- plain text and markdown

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc less tab, newlines, form feed
_MAX_CONTROL_SHARE = 0.05
_GUESS_SAMPLE_BYTES = 1 << 20


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as text (BOM, then strict UTF-8, then a legacy encoding only when its text reads as text)
    -> (text, encoding). Anything else is a LoadError naming the encoding tried: never silent mojibake."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as err:
                raise LoadError(f"undecodable bytes (invalid {encoding} after its byte-order mark)") from err
            return _refuse_binary(text), encoding
    try:
        return _refuse_binary(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(data)
    if encoding is None:
        raise LoadError(UNDECODABLE)
    text = data.decode(encoding)
    if _looks_binary(text):
        raise LoadError(UNDECODABLE)
    odd, total = _misplaced(text[:_GUESS_SAMPLE_BYTES])
    if odd > _MAX_MISPLACED_SHARE * total:
        raise LoadError(f"undecodable bytes: not UTF-8, and as {encoding} {odd} of {total} non-ASCII characters "
                        "would be out of place (not confidently that encoding); convert the file to UTF-8")
    return text, encoding


# Non-ASCII characters legacy text is made of besides letters: typographic punctuation, currency, units.
_TEXT_SYMBOLS = frozenset("–—‘’‚“”„…•€£¥¢°§©®™±×÷«»¶·¿¡‹›†‡‰\u00a0")
_WORD_EDGE = frozenset(" \t\r\n'\"([{-/,.;:!?)]}")
_MAX_MISPLACED_SHARE = 0.1


def _misplaced(text: str) -> tuple[int, int]:
    """(characters out of place, non-ASCII characters): a letter belongs inside a word or alone between spaces
    and punctuation ("à la"); anything else non-ASCII must be common typography. Wrongly decoded bytes scatter
    symbols and stray letters; a right decoding leaves almost none."""
    odd = total = 0
    for match in _NON_ASCII.finditer(text):
        total += 1
        ch, i = match.group(), match.start()
        if ch in _TEXT_SYMBOLS:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch.isalpha() and (before.isalpha() or after.isalpha() or (before in _WORD_EDGE and after in _WORD_EDGE)) \
                and _same_script(ch, before) and _same_script(ch, after):
            continue
        odd += 1
    return odd, total


def _same_script(ch: str, neighbour: str) -> bool:
    """False for a letter beside a letter of another script ("aб"): words are written in one script."""
    if not neighbour.isalpha():
        return True
    return unicodedata.name(ch, "?").split()[0] == unicodedata.name(neighbour, "?").split()[0]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _refuse_binary(text: str) -> str:
    if _looks_binary(text):
        raise LoadError("binary data, not text (NUL or control bytes)")
    return text


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    return len(_CONTROL_CHARS.findall(text)) > _MAX_CONTROL_SHARE * len(text)


def _guess_legacy_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess when it finds a non-Latin script; otherwise cp1252, the usual Western legacy.

    charset-normalizer alone misreads short Western text (cp1252 "café" comes back as UTF-16 or cp775),
    while cp1252 alone turns Cyrillic or Greek into mojibake without failing; each covers the other's blind spot.
    """
    guess = _charset_guess(data)
    if guess is not None and _mostly_non_latin(data, guess):
        return guess
    for candidate in ("cp1252", guess):
        if candidate is None:
            continue
        try:
            data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        return candidate
    return None


def _charset_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_GUESS_SAMPLE_BYTES]).best()
    # Without a byte-order mark a UTF-16/32 guess is almost always a misreading of a short 8-bit text.
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return best.encoding


def _mostly_non_latin(data: bytes, encoding: str) -> bool:
    sample = data[:_GUESS_SAMPLE_BYTES].decode(encoding, errors="ignore")
    letters = [ch for ch in sample if ord(ch) > 127 and ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return len(letters) >= 3 and latin < len(letters) / 2


def _load_txt(data: bytes, budget: Budget) -> LoadedText:
    text, encoding = decode_text(data)
    return LoadedText(text=text, kind="txt", title=_first_kept_line(text, "txt"), encoding=encoding)


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FRONT_MATTER_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_FRONT_MATTER_SCAN_CHARS = 4096


def _load_md(data: bytes, budget: Budget) -> LoadedText:
    text, encoding = decode_text(data)
    headings = markdown_headings(text)
    title = _front_matter_title(text) or (headings[0].text if headings else None) or _first_kept_line(text, "md")
    return LoadedText(text=text, kind="md", title=title or None, headings=headings, encoding=encoding)


def _front_matter_end(text: str) -> int:
    """Offset just past a YAML front-matter block (`---` ... `---`) opening a markdown file; 0 when there is none."""
    if not text.startswith("---"):
        return 0
    closing = re.search(r"\n---[ \t]*(?:\r?\n|$)", text[:_FRONT_MATTER_SCAN_CHARS])
    return closing.end() if closing else 0


def _front_matter_title(text: str) -> str | None:
    end = _front_matter_end(text)
    found = _FRONT_MATTER_TITLE.search(text, 0, end) if end else None
    title = found.group(1).strip("\"' \r") if found else ""
    return title or None


def markdown_headings(text: str) -> tuple[Heading, ...]:
    """ATX (`# Title`) and setext (`Title` over `===`) headings outside fenced code, at their line's offset."""
    headings: list[Heading] = []
    in_fence = False
    previous: tuple[int, str] | None = None  # (offset, line) of the paragraph line a setext underline would promote
    body_start = _front_matter_end(text)
    for offset, line in _lines_with_offsets(text):
        if offset < body_start:
            continue
        if _FENCE.match(line):
            in_fence, previous = not in_fence, None
            continue
        if in_fence:
            continue
        atx = _ATX_HEADING.match(line)
        underline = _SETEXT_UNDERLINE.match(line)
        if atx and atx.group(2):
            headings.append(Heading(start=offset, level=len(atx.group(1)), text=atx.group(2).strip()))
            previous = None
        elif underline and previous is not None:
            headings.append(Heading(start=previous[0], level=1 if underline.group(1)[0] == "=" else 2, text=previous[1].strip()))
            previous = None
        else:
            previous = (offset, line) if line.strip() and not line.lstrip().startswith(("-", "*", "+", ">", "|")) else None
    return tuple(headings)


def _lines_with_offsets(text: str) -> Iterator[tuple[int, str]]:
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and match.group() == "":
            break
        yield match.start(), match.group().rstrip("\r\n")


def _first_kept_line(text: str, kind: str) -> str | None:
    """The first line worth indexing, as a title, if it is short enough to be one."""
    for start, end in kept_ranges(text, kind):
        line = text[start:end].splitlines()[0].strip().lstrip("#").strip()
        return line if 0 < len(line) <= MAX_TITLE_CHARS else None
    return None


# ---------------------------------------------------------------- html


def _load_html(data: bytes, budget: Budget) -> LoadedText:
    import trafilatura

    markup, encoding = decode_text(data)
    with _quiet("trafilatura", "htmldate", "courlan"):
        document = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_formatting=False)
        text = (document.text or "") if document is not None else ""
        if not text.strip():
            # Tiny pages (a fragment, a one-paragraph note) give trafilatura too little to score; take all their text.
            whole_page = markup if re.search(r"<body[\s>]", markup, re.IGNORECASE) else f"<html><body>{markup}</body></html>"
            text = trafilatura.html2txt(whole_page) or ""
    if not text.strip():
        raise LoadError("no text in HTML")
    headings = _locate_headings(text, _trafilatura_headings(document))
    title = " ".join(((document.title if document is not None else None) or "").split())
    title = title or (headings[0].text if headings else None) or _first_kept_line(text, "html")
    return LoadedText(text=text, kind="html", title=title, headings=headings, encoding=encoding)


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
    for offset, line in _lines_with_offsets(text):
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


# ---------------------------------------------------------------- pdf


def _load_pdf(data: bytes, budget: Budget) -> LoadedText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise LoadError("not a valid PDF (no %PDF header)")
    with _quiet("pypdf"):
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
        text, pages = _join_pages(page_texts)
        headings = _pdf_outline_headings(reader, page_texts, pages)
        title = _pdf_metadata_title(reader) or (headings[0].text if headings else None) or _first_kept_line(text, "pdf")
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
        texts.append(_scrub(page.extract_text() or "").strip())
        total += len(texts[-1])
        budget.text(total)
    return texts


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
    return [_scrub(found[i]) if i in found and len(found[i]) > len(text) else text for i, text in enumerate(page_texts)]


def _load_image(data: bytes, budget: Budget) -> LoadedText:
    from ingest import ocr

    frames = [_scrub(text) for text in ocr.ocr_image_bytes(data)]
    budget.check()
    if not any(frames):
        raise LoadError("no text found by OCR in the image")
    text, pages = _join_pages(frames)
    return LoadedText(text=text, kind="image", title=_first_kept_line(text, "txt"),
                      pages=pages)


def _opens_without_password(reader: object) -> bool:
    from pypdf import PasswordType

    return reader.decrypt("") != PasswordType.NOT_DECRYPTED  # type: ignore[attr-defined]


def _join_pages(page_texts: list[str]) -> tuple[str, tuple[PageSpan, ...]]:
    """Pages joined by a blank line; each page's span runs to the next page's start, so spans tile the text."""
    starts, cursor = [], 0
    for index, page_text in enumerate(page_texts):
        starts.append(cursor)
        cursor += len(page_text) + (len(PAGE_SEPARATOR) if index < len(page_texts) - 1 else 0)
    text = PAGE_SEPARATOR.join(page_texts)
    ends = starts[1:] + [len(text)]
    return text, tuple(PageSpan(page=i + 1, start=s, end=e) for i, (s, e) in enumerate(zip(starts, ends)))


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
    title = " ".join(str(title or "").split())
    return title if 0 < len(title) <= MAX_TITLE_CHARS else None


# ---------------------------------------------------------------- docx


def _load_docx(data: bytes, budget: Budget) -> LoadedText:
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
        block = _scrub(block).strip()
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
    title = core_title or (headings[0].text if headings else None) or _first_kept_line(text, "docx")
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


# ---------------------------------------------------------------- shared helpers

_LOADERS = {"txt": _load_txt, "md": _load_md, "html": _load_html, "pdf": _load_pdf, "docx": _load_docx,
            "image": _load_image}
_UNSAFE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


def _scrub(text: str) -> str:
    """Drop NULs and lone surrogates that extractors sometimes emit; they break storage and UTF-8 encoding."""
    return _UNSAFE_CHARS.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Silence a library's warnings while it parses: damaged input is reported once, as our LoadError."""
    for name in loggers:
        # Raised for good rather than restored afterwards: a save-and-restore races when files load on threads.
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _stat_failure(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):
        return "broken symlink" if os.path.islink(path) else "no such file"
    return f"cannot access file: {err.strerror or err}"


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:g} MB limit; raise DOCQA_MAX_FILE_MB)"




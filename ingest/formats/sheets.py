"""Tables (csv, tsv, xlsx) as groups of rows, each group one page headed by the column header, so a cell's answer cites its row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterable, Iterator

from ingest.archive import checked_zip
from ingest.formats.common import LoadedText, Section, assemble, short_title
from ingest.formats.text import decode_text
from ingest.limits import Budget, LoadError

# A group stays well inside one chunk (160 model tokens by default; digits and separators cost about a token
# per 3 characters), so the chunker never cuts a group and every chunk carries the header.
GROUP_MAX_CHARS = 420
GROUP_MAX_ROWS = 25
CELL_SEPARATOR = " | "
# A row reads "Row 17: Town = Quillby; Population = 37216": a cited line names its row and its columns, so it is
# understood alone, and it outscores the bare header line for a question naming both a column and a value.
PAIR_SEPARATOR = "; "
_SNIFF_BYTES = 64 * 1024


def load_csv(data: bytes, budget: Budget) -> LoadedText:
    text, encoding = decode_text(data)
    dialect = _sniff(text[:_SNIFF_BYTES])
    csv.field_size_limit(max(budget.limits.max_text_chars, 1 << 20))
    try:
        rows = list(_numbered(csv.reader(io.StringIO(text, newline=""), dialect), budget))
    except csv.Error as err:
        raise LoadError(f"not a valid CSV ({err})") from err
    sections = list(row_groups(rows, sheet=None))
    if not sections:
        raise LoadError("no rows in CSV")
    joined, pages, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    return LoadedText(text=joined, kind="csv", title=None, pages=pages, headings=headings, encoding=encoding)


def _sniff(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The sample's delimiter and quoting; the plain comma dialect when the sniffer cannot tell (one column)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _numbered(rows: Iterable[list], budget: Budget) -> Iterator[tuple[int, list[str]]]:
    """(1-based row number, cell texts) of each non-empty row, within the time and text budgets."""
    chars = 0
    for number, row in enumerate(rows, start=1):
        cells = [_cell(value) for value in row]
        if not any(cells):
            continue
        chars += sum(len(c) for c in cells)
        if number % 256 == 0:
            budget.text(chars)
        yield number, cells


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    text = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
    return " ".join(text.split())  # a multi-line cell stays on its row's line


def row_groups(rows: list[tuple[int, list[str]]], *, sheet: str | None) -> Iterator[Section]:
    """The first row is the header; the others are packed into groups of whole rows, each group a Section whose
    page is its first row number and whose text starts with the header again."""
    if not rows:
        return
    (_, header), body = rows[0], rows[1:]
    header_line = CELL_SEPARATOR.join(name or _column_letter(i) for i, name in enumerate(header))
    if not body:  # a one-row table is all header: still worth finding
        yield Section(header_line, heading=_group_heading(sheet, rows[0][0], rows[0][0]), page=rows[0][0])
        return
    group: list[tuple[int, str]] = []
    size = len(header_line)
    for number, cells in body:
        line = _line(number, header, cells)
        if group and (size + len(line) > GROUP_MAX_CHARS or len(group) >= GROUP_MAX_ROWS):
            yield _group(header_line, group, sheet)
            group, size = [], len(header_line)
        group.append((number, line))
        size += len(line) + 1
    yield _group(header_line, group, sheet)


def _line(number: int, header: list[str], cells: list[str]) -> str:
    """One row as "Row N: column = value; ...", empty cells left out; a column without a name is called by its
    letter, as a spreadsheet shows it."""
    pairs = [f"{(header[i] if i < len(header) else '') or _column_letter(i)} = {cell}" for i, cell in enumerate(cells) if cell]
    return f"Row {number}: " + PAIR_SEPARATOR.join(pairs)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _group(header_line: str, group: list[tuple[int, str]], sheet: str | None) -> Section:
    first, last = group[0][0], group[-1][0]
    text = "\n".join([header_line, *(line for _, line in group)])
    return Section(text, heading=_group_heading(sheet, first, last), page=first)


def _group_heading(sheet: str | None, first: int, last: int) -> str:
    rows = f"row {first}" if first == last else f"rows {first}-{last}"
    return f"{sheet}, {rows}" if sheet else rows


def load_xlsx(data: bytes, budget: Budget) -> LoadedText:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise LoadError("not a valid XLSX (not a zip package; an old .xls or another format?)")
    checked_zip(data, budget, what="XLSX")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # zip, package and XML errors all mean the same thing to the user
        raise LoadError("not a valid XLSX (corrupt or not an Excel workbook)") from err
    try:
        sections = []
        for sheet in book.worksheets:
            rows = list(_numbered(sheet.iter_rows(values_only=True), budget))
            sections.extend(row_groups(rows, sheet=sheet.title if len(book.worksheets) > 1 else None))
        title = short_title(book.properties.title) if book.properties else None
    finally:
        book.close()  # read-only workbooks keep the archive open until closed
    if not sections:
        raise LoadError("no rows in XLSX")
    text, pages, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    return LoadedText(text=text, kind="xlsx", title=title, pages=pages, headings=headings)

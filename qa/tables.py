"""What a table row answers: the cell under the column a question asks about, read with the header row above it."""

from __future__ import annotations

import re

from qa.text import STOPWORDS, stems

# A column for a period: "2022–23", "2023", "FY2024", "Q3 2024", with its unit.
_PERIOD = re.compile(r"^(?:FY\s?|Q[1-4]\s+)?(?:19|20)\d{2}(?:\s*[–/-]\s*\d{2,4})?(?:\s*\([^)]*\))?$", re.I)  # "2022–23 (£)"
_CHANGE_COLUMN = re.compile(r"^(?:change|difference|diff|growth|%|% change|change %|variance|y/y|yoy)$", re.I)
_CHANGE_ASKED = re.compile(r"\b(?:change|changed|increase|increased|rise|rose|grow|grew|growth|fall|fell|drop|"
                           r"dropped|difference|by how much|per ?cent|percentage)\b", re.I)
_EARLIER_ASKED = re.compile(r"\b(?:before|previous|prior|earlier|preceding)\b", re.I)


def cells(row: str) -> list[str]:
    """The cells of a Markdown table row ("| a | b |" -> ["a", "b"]); none for a line that is no row."""
    line = row.strip()
    if not (line.startswith("|") and line.endswith("|") and line.count("|") >= 3):
        return []
    return [cell.strip() for cell in line[1:-1].split("|")]


def asked_cell(question: str, row: str, header: str) -> str | None:
    """The value of `row` under the column `question` asks for: one the question names ("in 2021–22"), the change
    column for a change, else the latest period ("last year") or the one before it ("And the year before?"); the
    value of a two-column row. None when the row has no header of as many cells or no column is asked for."""
    values, titles = cells(row), cells(header)
    if len(values) != len(titles) or len(values) < 2 or not values[0]:
        return None
    if len(values) == 2:  # "| Total income | 800,220 |": a list of items and their one value
        return values[1] or None
    spoken = question.replace("–", "-").lower()
    named = [i for i, title in enumerate(titles) if i and title and title.replace("–", "-").lower() in spoken]
    if len(named) == 1:
        return values[named[0]] or None
    change = [i for i, title in enumerate(titles) if i and _CHANGE_COLUMN.match(title)]
    if change and _CHANGE_ASKED.search(question):
        return values[change[0]] or None
    periods = [i for i, title in enumerate(titles) if i and _PERIOD.match(title)]
    if not periods:
        return None
    earlier = _EARLIER_ASKED.search(question) and len(periods) > 1
    return values[periods[-2] if earlier else periods[-1]] or None


_SEPARATOR = re.compile(r"^\|[\s:|-]+\|$")


def header_above(text: str, at: int) -> str:
    """The header row of the table whose row starts at offset `at` of `text`: the row above its "|---|" line, or the
    table's first row where cleaning dropped that line; empty when the table's top is not in `text`."""
    rows: list[str] = []
    ruled = False
    for line in reversed(text[:at].rstrip("\n").splitlines()):
        if _SEPARATOR.match(line.strip()):
            rows, ruled = [], True  # the row above it is the header
        elif cells(line):
            rows.append(line.strip())
        else:
            return rows[-1] if rows else ""
    return rows[-1] if ruled and rows else ""  # else the table runs on from an earlier chunk


def row_reading(row: str, header: str, heading: str = "") -> str:
    """A table row as a sentence the cross-encoder can read, each value after its column's title ("Our year in
    numbers: Food parcels distributed: 2021–22: 18,240, 2022–23: 24,915"); the row itself without a header to match."""
    values, titles = cells(row), cells(header)
    if len(values) != len(titles) or len(values) < 2:
        return row
    pairs = ", ".join(f"{title}: {value}" if title else value for title, value in zip(titles[1:], values[1:]))
    heading = heading.lstrip("# ")  # Markdown read raw
    return f"{heading}: {values[0]}: {pairs}" if heading else f"{values[0]}: {pairs}"


def labels(row: str, words: str) -> bool:
    """Whether the first cell of a table row names one of `words` ("Food parcels distributed" for "parcels")."""
    first = cells(row)[:1]
    return bool(first) and bool(stems(first[0]) & stems(words))


# "What does error E4 mean?", "What does LFU stand for?": the term asked to be defined is the word before the verb.
_DEFINITION_ASKED = re.compile(r"^\W*(?:and\s+|so\s+)?what\s+(?:does|do|did)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
                               r"(?P<term>[\w$-]*\w)\s+(?:mean|stand\s+for|indicate|signify)\b", re.I)


# "It keeps beeping and showing E7, what does that mean?": a code named first, its meaning asked after it
_CODE_THEN_MEANING = re.compile(r"\b(?P<term>[A-Z]{1,4}-?\d{1,4})\b[^?]*?\bwhat\s+(?:does|do)\s+(?:that|this|it)\s+"
                                r"(?:code\s+|error\s+)?(?:mean|stand\s+for|indicate|signify)\b", re.I)


def defined_term(question: str) -> str | None:
    """The term a question asks the meaning of ("E4" in "What does error E4 mean on the kettle?", "... showing E7,
    what does that mean?"); None for "it"."""
    asked = _DEFINITION_ASKED.match(question) or _CODE_THEN_MEANING.search(question)
    return asked.group("term") if asked and asked.group("term").lower() not in STOPWORDS else None


# "How do I sort it out?" after "E7, what does that mean?": the code's row in the table says what to do too
FIX_ASKED = re.compile(r"\bhow\s+(?:do|can|should|would)\s+(?:i|we|you)\b|\bwhat\s+(?:should|do|can)\s+(?:i|we)\s+do\b",
                        re.I)
_CODE = re.compile(r"\b[A-Z]{1,4}-?\d{1,4}\b")


def code_to_fix(question: str, standalone: str) -> str | None:
    """The code ("E7") a question asking what to do about it names, in its own words or as resolved."""
    found = _CODE.search(standalone.split("?")[0]) if FIX_ASKED.search(question) else None
    return found.group() if found else None


def defines(line: str, term: str) -> bool:
    """Whether a line is the entry defining `term` in a list of codes or a glossary: the term first, then a dash, a
    colon or a cell ("- E4 — Temperature sensor fault.", "| E4 | Sensor fault |", "Error E4: sensor fault")."""
    return re.match(rf"^[\s>*•·|-]*(?:\w+\s+)?{re.escape(term)}\)?\s*(?:[—–:=|]|\s-\s)\s*\w", line, re.I) is not None

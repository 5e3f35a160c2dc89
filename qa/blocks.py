"""The line opening the record or list a line of plain text sits in: a row alone never says whose it is."""

from __future__ import annotations

import re


def block_heading(text: str, start: int, carried: str = "", first_indent: int = 0) -> str:
    """The line opening the record or list that the line at `start` sits in: the nearest line above it, in the same
    run of lines, indented less ("14-16 SEPTEMBER 2024 - PORTO, 2 NIGHTS" over "  Check-in from 14:00", "* NodeSource"
    over its members), or the line ending in a colon that introduces its list, a blank line above at most ("Details
    for your records:" over "- I paid the £300 deposit"); "" outside a block. `carried`: the heading of the first
    line of `text` in the whole document, for a chunk that starts inside a record, its first line without the
    `first_indent` blanks that nest it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]

    def indent_of(at: int, line: str) -> int:  # the first line of a carried chunk lost its nesting blanks
        return _indent(line) + (first_indent if at == 0 else 0)

    indent = indent_of(line_start, line)
    item = bool(LIST_ITEM.match(line.lstrip(" \t")))
    if not indent and not item or _CODE_LINE.search(line):
        return ""
    blank_crossed = False
    end = line_start - 1
    for _ in range(_MOST_ROWS):
        if end < 0:
            break
        above_start = text.rfind("\n", 0, end) + 1
        above = text[above_start:end]
        end = above_start - 1
        if not above.strip():
            if blank_crossed or not item:
                return ""
            blank_crossed = True  # "Details for your records:", a blank line, then the list
            continue
        above_indent = indent_of(above_start, above)
        if above_indent < indent:  # in a nested list, the lines it is nested under, outermost first
            outer = block_heading(text, above_start, carried, first_indent) if above_indent else ""
            return _as_heading(f"{outer} {_as_heading(above)}")
        same_kind = not item or LIST_ITEM.match(above.lstrip(" \t"))
        if above_indent > indent or not blank_crossed and same_kind:
            continue  # an earlier row of the same record, or an earlier item of the same list
        return _as_heading(above) if item and above.rstrip().endswith(":") else ""
    else:
        return ""  # no record runs this long: an indented text, which the walk must not read to its top
    first = text[:text.find("\n")] if "\n" in text else text
    # The walk reached the chunk's top inside the record: it began in an earlier chunk.
    return carried if not blank_crossed and indent_of(0, first) == indent else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _as_heading(line: str) -> str:
    line = LIST_ITEM.sub("", line.strip(), count=1) if LIST_ITEM.match(line.strip()) else line.strip()
    return line if len(line.split()) <= _HEADING_WORDS and not _CODE_LINE.search(line) else ""


# A list item's marker ("- ", "* ", "2. "): read past when a line heads a list, left out when an answer quotes the item.
LIST_ITEM = re.compile(r"(?:[-*•+]|\d{1,2}[.)])[ \t]+")
# Indented program text ("switch (ret) {" over "ret = Z_DATA_ERROR;") is nested by syntax, not by topic.
_CODE_LINE = re.compile(r"[{};]|\s=\s|\w\([^()]*\)\s*:?\s*$|"
                        r"^\s*(?:def|class|for|if|elif|else|while|with|try|return|case|switch)\b")
_HEADING_WORDS = 25
_MOST_ROWS = 40


def title_shaped(line: str) -> bool:
    """Whether a line is shaped like a section's title: a few words ending in a word or number, neither a list
    item ("- towels") nor code ("#define CHUNK 16384", "x = 3"); where it stands decides whether it heads anything."""
    return 0 < len(line.split()) <= TITLE_WORDS and line[-1].isalnum() and not _NOT_A_TITLE.search(line) and not field_value(line)


TITLE_WORDS = 10


def field_value(line: str) -> bool:
    """Whether a line is a label and its number ("Adult: £35", "Deposit: 20%"): short, yet it says something."""
    return _FIELD_VALUE.match(line) is not None


_FIELD_VALUE = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[\w'’-]+)?:[ \t]*[£$€]?\d[\d,.]*(?:[ \t]*%)?[ \t]*$")
_NOT_A_TITLE = re.compile(r"^[-*•]|#\w|[=;{}<>()]|\w\.\w+\(")


def numbered_over_prose(number: str, line: str, after: str) -> bool:
    """Whether a numbered line heads the paragraph under it ("6. Mill Lane traffic calming" over "The council
    considered ..."), as in minutes and reports: not a numbered list's item, whose next line is one too."""
    following = after.lstrip("\n").split("\n", 1)[0].strip()
    return bool(_ITEM_NUMBER.fullmatch(number.strip())) and not _ITEM_NUMBER_OPENS.match(following) and \
        not LIST_ITEM.match(following) and len(following.split()) > 2 * len(line.split()) and following[:1].isupper()


_ITEM_NUMBER = re.compile(r"(?:\d+|[A-Z]|[IVX]+)(?:\.\d+)*[.)]?")
_ITEM_NUMBER_OPENS = re.compile(r"(?:\d+|[A-Z]|[IVX]+)(?:\.\d+)*[.)]?\s")


def labelled_line(line: str) -> bool:
    """Whether a line is a label and its value ("Visitors in 2023: 18,400", "Original lens: fourth-order"): it says
    what it is about itself, and heads no line after it."""
    return _LABELLED.match(line) is not None


_LABELLED = re.compile(r"[A-Z][\w'’()/-]*(?:[ \t]+[\w'’()/-]+){0,4}:[ \t]+\S")

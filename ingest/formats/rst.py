"""reStructuredText made readable: section titles found by their underlines, adornment and directive lines dropped,
inline markup reduced to the words a reader sees."""

from __future__ import annotations

import re

from ingest.formats.markdown import emphasis_patterns
from qa.models import Heading

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
# A section adornment: one punctuation character repeated, at least three times ("=====", "-----", "~~~").
_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:._<>])\1{2,}[ \t]*$")
# ".. image:: x", ".. _target: url", ".. |badge| image::", ".. note", and an anonymous target ("__ https://...")
_DIRECTIVE = re.compile(r"^[ \t]*(?:\.\.(?:[ \t]|$)|__[ \t]+\S)")
_OPTION = re.compile(r"^[ \t]+:[\w-]+:(?:[ \t].*)?$")  # a directive's options (":target: https://...")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`<]+?)[ \t]*<[^`>]*>`__?")  # `text <https://...>`_
_REFERENCE = re.compile(r"`([^`]+?)`__?")  # `text`_
_ROLE = re.compile(r":[\w.+-]+:`(?:([^`<]+?)[ \t]*<[^`>]*>|([^`]+))`")  # :func:`name`, :doc:`Title <path>`
_SUBSTITUTION = re.compile(r"\|[\w .-]+\|_{0,2}")  # |badge| references: an image, no words
# tqdm_ (a reference to a link target); a dunder name ("__init__") is no reference
_NAMED = re.compile(r"(?<!\w)([A-Za-z0-9]|[A-Za-z0-9]\w*?[A-Za-z0-9])__?(?=[\s.,;:)!?]|$)")
_STRONG, _EMPHASIS = emphasis_patterns(r"\*\*", "*")
_INTERPRETED = re.compile(r"(?<![\w`])`([^`]+)`(?![\w`_])")


def clean_inline(line: str) -> str:
    """The words of one line without inline markup ("``--timeout``" → "--timeout", "`tqdm <url>`_" → "tqdm")."""
    literals: list[str] = []

    def keep(match: re.Match) -> str:  # literal text is never read as markup
        literals.append(match.group(1))
        return f"\ue000{len(literals) - 1}\ue001"

    line = _LITERAL.sub(keep, line)
    line = _ROLE.sub(lambda m: m.group(1) or m.group(2), line)
    line = _LINK.sub(r"\1", line)
    line = _REFERENCE.sub(r"\1", line)
    line = _INTERPRETED.sub(r"\1", line)
    line = _SUBSTITUTION.sub("", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _NAMED.sub(r"\1", line)
    if line.rstrip().endswith("::"):  # "Example::" introduces a literal block: the reader sees "Example:"
        line = line.rstrip()[:-1] if line.rstrip() != "::" else ""
    return re.sub("\ue000(\\d+)\ue001", lambda m: literals[int(m.group(1))], line)


def is_title(text: str, adornment: str) -> bool:
    """Whether `adornment` underlines `text` as a section title (as long as the title, or longer)."""
    title = text.strip()
    return bool(title) and not _ADORNMENT.match(title) and len(adornment.strip()) >= len(title) and \
        not _DIRECTIVE.match(text) and not text.startswith((" ", "\t"))


def rst_to_text(source: str) -> tuple[str, tuple[Heading, ...]]:
    """(readable text, section headings) of reStructuredText; each Heading.start is its title line's offset in
    the returned text. Levels follow the order in which adornment styles first appear, as in docutils."""
    lines = [(m.group(1), m.group(2)) for m in _LINE.finditer(source) if m.group(1) or m.group(2)]
    out: list[str] = []
    cursor = 0
    headings: list[Heading] = []
    styles: list[tuple[str, bool]] = []  # (adornment character, with an overline), in order of first use
    in_directive = False
    i = 0
    while i < len(lines):
        raw, end = lines[i]
        nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
        over = _ADORNMENT.match(raw)
        if over and i + 2 < len(lines) and is_title(nxt, raw) and lines[i + 2][0].strip() == raw.strip():
            raw, end, style, i = nxt.strip(), lines[i + 1][1], (raw.strip()[0], True), i + 2  # overline, title, underline
        elif (under := _ADORNMENT.match(nxt)) and is_title(raw, nxt):
            raw, end, style, i = raw.strip(), lines[i + 1][1], (under.group(1), False), i + 1
        else:
            style = None
        i += 1
        if style is not None:
            styles += [style] if style not in styles else []
            text = clean_inline(raw).strip()
            headings.append(Heading(start=cursor, level=styles.index(style) + 1, text=text))
            out.append(text + end)
            cursor += len(text) + len(end)
            in_directive = False
            continue
        if over or _DIRECTIVE.match(raw) or (in_directive and _OPTION.match(raw)):
            in_directive = bool(_DIRECTIVE.match(raw)) or (in_directive and bool(_OPTION.match(raw)))
            continue  # a transition line, a directive or comment, or one of its options
        in_directive = False
        text = clean_inline(raw)
        if not text.strip():  # a line of badges or markup only: one blank line, never a run of them
            if out and out[-1].strip(" \t") in ("\n", "\r\n", "\r"):
                continue
            text = ""
        out.append(text + end)
        cursor += len(text) + len(end)
    return "".join(out), tuple(headings)


def looks_like_rst(text: str) -> bool:
    """Whether a plain-text file is reStructuredText (a README.txt): two underlined titles and a directive or a
    ``literal``, which plain prose with an underlined heading or two does not have."""
    lines = text[:200_000].splitlines()
    titles = sum(1 for a, b in zip(lines, lines[1:]) if _ADORNMENT.match(b) and is_title(a, b))
    return titles >= 2 and (any(_DIRECTIVE.match(line) for line in lines) or "``" in text)

"""Markdown source to the readable text docqa indexes and shows (links, emphasis, code fences and tags unwrapped), with its headings located in that text."""

from __future__ import annotations

import html
import re

from ingest.formats.common import lines_with_offsets
from qa.models import Heading

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+.*$")
_FRONT_MATTER_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_FRONT_MATTER_SCAN_CHARS = 4096
_NOT_SETEXT_TEXT = ("-", "*", "+", ">", "|")  # list items, quotes and table rows are never promoted to headings

# Code spans and backslash escapes are literal text: set aside before the markup rules run, restored after.
_LITERAL = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)|\\([!-/:-@\[-`{-~])")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_URL = r"<?(?:[^()\s<>]|\([^()\s]*\))*>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?"
_IMAGE = re.compile(r"!\[([^\]]*)\](?:\(" + _URL + r"\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]+)\](?:\(" + _URL + r"\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_SCRIPT = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE)  # code, not text a reader sees
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


# Emphasis only where a delimiter opens after a non-word character and closes before one (CommonMark's rule for
# `_`, applied to `*` too): snake_case names, `2 * 3 * 4` and `a*b*c` keep their characters.
def emphasis_patterns(strong: str, emphasis: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Strong and emphasised text between the given delimiters (`strong` alternatives, `emphasis` characters), the
    words in group 2; reStructuredText takes only the asterisks (its "__" ends an anonymous link)."""
    return (re.compile(rf"(?<![\w*~])({strong})(?=\S)(.+?)(?<=\S)\1(?![\w*~])"),
            re.compile(rf"(?<![\w*])([{emphasis}])(?=[^\s{emphasis}])(.+?)(?<=[^\s{emphasis}])\1(?![\w*])"))


_STRONG, _EMPHASIS = emphasis_patterns(r"\*\*|__|~~", "*_")


def markdown_to_text(source: str, body_start: int = 0) -> tuple[str, tuple[Heading, ...]]:
    """(readable text, headings) of markdown: the text before `body_start` (front matter) is kept as it is; fences,
    reference definitions, table delimiter rows, thematic breaks and setext underlines are dropped as lines; heading
    markers go and every Heading.start is its line's offset in the returned text."""
    out: list[str] = [source[:body_start]]
    cursor = body_start
    headings: list[Heading] = []
    fence: str | None = None
    in_comment = False
    previous: tuple[int, str] | None = None  # (offset in the output, text) of a line a setext underline would promote
    for match in _LINE.finditer(source, body_start):
        raw, end = match.group(1), match.group(2)
        if not raw and not end:
            break
        if fence is not None or _FENCE.match(raw):
            after = _track_fence(raw, fence)
            if fence is not None and after is not None:  # inside the code, which keeps every character
                out.append(raw + end)
                cursor += len(raw) + len(end)
            fence, previous = after, None
            continue
        line, in_comment = _strip_comments(raw, in_comment)
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and previous is not None:
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append(Heading(start=previous[0], level=level, text=previous[1].strip()))
            previous = None
            continue
        if raw.strip() and not line.strip() or _drop_line(line):
            previous = None
            continue
        atx = _ATX_HEADING.match(line)
        text = clean_inline(atx.group(2) or "" if atx else line)
        if atx:
            if not text.strip():
                continue
            headings.append(Heading(start=cursor, level=len(atx.group(1)), text=text.strip()))
            text = text.strip()
        previous = (cursor, text) if not atx and text.strip() and not line.lstrip().startswith(_NOT_SETEXT_TEXT) else None
        out.append(text + end)
        cursor += len(text) + len(end)
    return "".join(out), tuple(headings)


def _track_fence(line: str, fence: str | None) -> str | None:
    """The open fence after `line`: a fence closes only on a line of at least as many of its own characters."""
    opened = _FENCE.match(line)
    if fence is None:
        return opened.group(1) if opened else None
    if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
            and not line.strip()[len(opened.group(1)):].strip():
        return None
    return fence


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """`line` without HTML comments, which may span lines; whether a comment is still open after it."""
    if in_comment:
        close = line.find("-->")
        if close < 0:
            return "", True
        line = line[close + 3 :]
    line = _HTML_COMMENT.sub("", line)
    opening = line.find("<!--")
    if opening >= 0:
        return line[:opening], True
    return line, False


def _drop_line(line: str) -> bool:
    return bool(_THEMATIC_BREAK.match(line) or _TABLE_DELIMITER.match(line) or _REFERENCE_DEFINITION.match(line))


def clean_inline(line: str) -> str:
    """One line of markdown as it reads: links and images as their text, autolinks as the address, code spans
    without backticks, emphasis markers and HTML tags gone (an <img> as its alt text), entities decoded."""
    literals: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        if match.group(3) is not None:
            literals.append(match.group(3))
        else:
            code = match.group(2)
            # CommonMark strips one space each side, which lets a span start or end with a backtick.
            literals.append(code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " else code)
        return f"\ue000{len(literals) - 1}\ue001"

    line = _LITERAL.sub(set_aside, line)
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _BREAK_TAG.sub(" ", line)
    line = _SCRIPT.sub("", line)
    line = _IMG_TAG.sub(_alt_text, line)
    for _ in range(4):  # removing a tag nested in another's attribute can complete the outer one: repeat
        line, count = _TAG.subn("", line)
        if not count:
            break
    line = _ENTITY.sub(lambda m: html.unescape(m.group()), line)
    for pattern in (_STRONG, _EMPHASIS):
        changed = True
        while changed:  # nested emphasis (`***both***`) unwraps one level per pass
            line, count = pattern.subn(r"\2", line)
            changed = count > 0
    restore = lambda m: literals[int(m.group(1))] if int(m.group(1)) < len(literals) else m.group()  # noqa: E731
    return _PLACEHOLDER.sub(restore, line)


def _alt_text(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group())
    return next((group for group in alt.groups() if group is not None), "") if alt else ""


def front_matter_end(text: str) -> int:
    """Offset just past a YAML front-matter block (`---` ... `---`) opening a markdown file; 0 when there is none."""
    if not text.startswith("---"):
        return 0
    closing = re.search(r"\n---[ \t]*(?:\r?\n|$)", text[:_FRONT_MATTER_SCAN_CHARS])
    return closing.end() if closing else 0


def front_matter_title(text: str) -> str | None:
    end = front_matter_end(text)
    found = _FRONT_MATTER_TITLE.search(text, 0, end) if end else None
    title = found.group(1).strip("\"' \r") if found else ""
    return title or None


def markdown_headings(text: str) -> tuple[Heading, ...]:
    """ATX (`# Title`) and setext (`Title` over `===`) headings of the markdown *source*, outside fenced code, at
    their line's offset there (loaded documents use markdown_to_text's headings, located in the readable text)."""
    headings: list[Heading] = []
    in_fence = False
    previous: tuple[int, str] | None = None  # (offset, line) of the paragraph line a setext underline would promote
    body_start = front_matter_end(text)
    for offset, line in lines_with_offsets(text):
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
            previous = (offset, line) if line.strip() and not line.lstrip().startswith(_NOT_SETEXT_TEXT) else None
    return tuple(headings)

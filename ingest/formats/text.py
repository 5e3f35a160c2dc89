"""Plain text, markdown and reStructuredText: decoding bytes honestly (BOM, UTF-8, a confidently detected legacy
encoding); markdown and reStructuredText are made readable by ingest.formats.markdown and ingest.formats.rst."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ingest.formats.common import LoadedText, first_kept_line, short_title
from ingest.formats.markdown import front_matter_end, front_matter_title, markdown_to_text
from ingest.formats.rst import looks_like_rst, rst_to_text
from ingest.limits import Budget, LoadError

UNDECODABLE = "undecodable bytes (not UTF-8/UTF-16/cp1252)"

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


def load_txt(data: bytes, budget: Budget) -> LoadedText:
    text, encoding = decode_text(data)
    if looks_like_rst(text):  # a README.txt written in reStructuredText: read as such, headings and all
        readable, headings = rst_to_text(text)
        title = headings[0].text if headings else first_kept_line(readable, "txt")
        return LoadedText(text=readable, kind="txt", title=title or None, headings=headings, encoding=encoding)
    return LoadedText(text=text, kind="txt", title=mail_subject(text) or first_kept_line(text, "txt"), encoding=encoding)


_HEADER_LINE = re.compile(r"([A-Za-z][\w-]*):[ \t]*(.*)")
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|sv)\s*:\s*)+", re.I)


def mail_subject(text: str) -> str | None:
    """The subject of a mail saved as plain text with its headers ("From: ..." to "Subject: ..." before the first
    blank line), without its "Re:" prefixes: it names the thread better than the sender's line does."""
    head = text.lstrip()[:4000].split("\n\n", 1)[0].splitlines()
    fields = {m.group(1).lower(): m.group(2) for line in head if (m := _HEADER_LINE.fullmatch(line.strip()))}
    if "from" not in fields or "subject" not in fields:
        return None
    return short_title(_REPLY_PREFIX.sub("", fields["subject"]))


def load_rst(data: bytes, budget: Budget) -> LoadedText:
    source, encoding = decode_text(data)
    text, headings = rst_to_text(source)
    title = headings[0].text if headings else first_kept_line(text, "txt")
    return LoadedText(text=text, kind="rst", title=title or None, headings=headings, encoding=encoding)


def load_md(data: bytes, budget: Budget) -> LoadedText:
    source, encoding = decode_text(data)
    # The readable text is what is chunked, searched, shown and cited; headings are located in it, not the source.
    text, headings = markdown_to_text(source, front_matter_end(source))
    title = front_matter_title(source) or (headings[0].text if headings else None) or first_kept_line(text, "md")
    return LoadedText(text=text, kind="md", title=title or None, headings=headings, encoding=encoding)

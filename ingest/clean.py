"""Chooses the character ranges of a document worth indexing, leaving out page chrome and boilerplate without editing the text."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

# Only scraped or hand-written text carries site chrome at its edges; PDF and DOCX edges are titles, authors, dates.
EDGE_TRIMMED_KINDS = frozenset({"txt", "md", "rst", "html"})
# Kinds whose list, heading and table lines are content by construction (markdown source, trafilatura's output).
STRUCTURED_KINDS = frozenset({"md", "rst", "html"})
# Tables repeat their header on every row group and rows that differ only in numbers share a line_key: in them a
# repeated line is content, never a running header.
TABULAR_KINDS = frozenset({"csv", "xlsx"})

PROSE_MIN_WORDS = 8  # a line with this many words, and no chrome vocabulary, is body text
CHROME_MAX_WORDS = 8  # longer lines are never treated as chrome
CHROME_MAX_OTHER_WORDS = 2  # content words a chrome line may carry beside its chrome vocabulary

# Vocabulary of site chrome: account, social, subscription, navigation and legal-footer words.
_CHROME_PHRASES = frozenset(
    {
        "follow", "following", "followers", "unfollow", "share", "shares", "tweet", "retweet", "repost",
        "reply", "replies", "comment", "comments", "subscribe", "subscribed", "unsubscribe", "subscription",
        "newsletter", "newsletters", "sign in", "sign up", "sign out", "signin", "signup", "log in", "log out",
        "login", "logout", "create account", "my account", "menu", "home", "homepage", "search", "skip to content",
        "skip to main content", "skip navigation", "navigation", "cookie", "cookies", "cookie settings",
        "privacy policy", "terms of use", "terms of service", "copyright", "all rights reserved", "advertisement",
        "sponsored", "read more", "continue reading", "back to top", "email", "facebook", "twitter", "linkedin",
        "whatsapp", "reddit", "mastodon", "instagram", "pinterest", "telegram", "youtube", "tiktok", "bluesky",
        "rss", "permalink", "download the app", "open in app", "get the app", "contact us", "about us",
        "manage preferences",
    }
)
_LEGAL_PHRASES = frozenset({"copyright", "all rights reserved"})  # footers that are chrome even as full sentences
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _CHROME_PHRASES)
# Words that neither make a line chrome nor make it content ("Share *this article*", "Follow *us on*").
_FILLER_WORDS = frozenset(
    "a an the to in on of for and or with by via at from up is are be it this that these here now "
    "me my us our we you your all more free today article articles story stories post posts page site link".split()
)
# A chat export's notices: "[Sat 3 May, 17:58] Ana created group "Wedding Crew"", "12/03/2025, 09:14 - Tom left",
# "Messages and calls are end-to-end encrypted. ...", "<Media omitted>" (a message's own "Tom: I added ..." is kept).
_CHAT_STAMP = r"(?:\[[^\]\n]{0,40}\d:\d\d[^\]\n]{0,12}\]|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d\d(?:\s*[ap]m)?\s*[-–])"
_CHAT_NOTICE = re.compile(
    rf"{_CHAT_STAMP}\s*(?:[^:\n]{{1,60}}?\s(?:created (?:the )?group|added|removed|left$|joined using|changed (?:the|this) "
    r"(?:group|subject))|(?:[^:\n]{1,60}:\s*)?(?:<Media omitted>|This message was deleted)$)"
    r"|(?:\S+\s*)?Messages and calls are end-to-end encrypted", re.I)
_MENU_SEPARATORS = re.compile(r"\s[|·•›»/]\s|\s*[|·•›»]\s*")
_MARKUP_LINE = re.compile(r"\s*(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|\||>)")  # used with .match(text, pos)
_LINE = re.compile(r"[^\r\n]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W_]+")

NONE, MIXED, PURE = 0, 1, 2  # how much of a line is chrome vocabulary


@dataclass(frozen=True)
class _Line:
    start: int  # whitespace-trimmed bounds in the document text
    end: int
    key: str
    chrome: int
    prose: bool
    markup: bool


def line_key(line: str) -> str:
    """A line reduced to its casefolded letters, so copies of the same chrome match across documents.

    Digits and punctuation are dropped because they are what varies between copies (years, counts, page numbers).
    """
    return " ".join(_LETTERS.findall(unicodedata.normalize("NFKC", line).casefold()))


def repeated_lines(documents: Iterable[str], *, min_docs: int = 3, min_share: float = 0.5) -> frozenset[str]:
    """line_keys that occur in at least min_docs documents and min_share of them: site chrome repeated across a collection."""
    seen_in: Counter[str] = Counter()
    total = 0
    for text in documents:
        total += 1
        seen_in.update({line_key(match.group()) for match in _LINE.finditer(text)} - {""})
    needed = max(min_docs, math.ceil(min_share * total))
    return frozenset(key for key, count in seen_in.items() if count >= needed)


def page_boilerplate(pages: Sequence[str]) -> frozenset[str]:
    """line_keys of a paginated document's running headers and footers: lines on at least 3 pages and half of them.

    A function of the document alone, so a file is cleaned the same whichever files it is ingested with, in
    whatever batch, before or after a crash.
    """
    return repeated_lines(pages) if len(pages) >= 3 else frozenset()


def kept_ranges(text: str, kind: str, *, boilerplate_lines: frozenset[str] = frozenset()) -> tuple[tuple[int, int], ...]:
    """Character ranges of `text` worth indexing, in order, non-overlapping; outside them is page chrome/boilerplate."""
    lines = _split_lines(text, kind)
    keep = [True] * len(lines)
    if kind not in TABULAR_KINDS:
        _drop_boilerplate(lines, keep, boilerplate_lines)
    if kind in EDGE_TRIMMED_KINDS:
        _drop_edge_chrome(lines, keep)
    for i, line in enumerate(lines):  # "[Sat 3 May, 17:58] Ana added Jonah, Marta": the chat app speaking, not a person
        keep[i] = keep[i] and not _CHAT_NOTICE.match(text, line.start, line.end)
    ranges: list[tuple[int, int]] = []
    previous_kept = False
    for line, kept in zip(lines, keep):
        if kept and previous_kept:
            ranges[-1] = (ranges[-1][0], line.end)
        elif kept:
            ranges.append((line.start, line.end))
        previous_kept = kept
    return tuple(ranges)


def chrome_level(line: str) -> int:
    """PURE when a short line is all chrome vocabulary ("Follow us", "Log in") or a menu row holding some
    ("Home | News | Sign in"), MIXED when it adds a couple of other words ("Sign in to participate in the
    conversation"), NONE otherwise."""
    words = line_key(line).split()
    if "©" in line:
        words.append("copyright")
    if not words or len(words) > CHROME_MAX_WORDS and not _is_menu(line):
        return NONE
    covered = _chrome_coverage(words)
    if not any(covered):
        return NONE
    others = [w for w, c in zip(words, covered) if not c and w not in _FILLER_WORDS]
    if not others or _is_menu(line):
        return PURE
    if len(others) > CHROME_MAX_OTHER_WORDS:
        return NONE
    # A punctuated sentence ("Share the cake with friends.") is content; button labels and prompts carry no full stop.
    is_sentence = line.rstrip().endswith((".", "!", "?")) and not _LEGAL_PHRASES & _phrases_in(words)
    return NONE if is_sentence else MIXED


def _phrases_in(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + size]) for size in range(1, _LONGEST_PHRASE + 1) for i in range(len(words) - size + 1)}


def _chrome_coverage(words: list[str]) -> list[bool]:
    covered = [False] * len(words)
    for i in range(len(words)):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            if " ".join(words[i : i + size]) in _CHROME_PHRASES:
                covered[i : i + size] = [True] * size
                break
    return covered


def _is_menu(line: str) -> bool:
    """A separator-delimited row of short items ("Home | News | Sport"), the shape of a navigation bar."""
    items = [item for item in _MENU_SEPARATORS.split(line) if item.strip()]
    return len(items) >= 2 and all(len(item.split()) <= 3 for item in items)


def _split_lines(text: str, kind: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        raw = text[start:end]
        chrome = chrome_level(raw)
        lines.append(
            _Line(
                start=start,
                end=end,
                key=line_key(raw),
                chrome=chrome,
                prose=chrome == NONE and len(_WORDS.findall(raw)) >= PROSE_MIN_WORDS,
                markup=kind in STRUCTURED_KINDS and bool(_MARKUP_LINE.match(text, match.start(), end)),
            )
        )
    return lines


def _drop_boilerplate(lines: list[_Line], keep: list[bool], boilerplate: frozenset[str]) -> None:
    """Drop lines repeated across the collection, unless they are most of this document (then it is a near-copy
    of its siblings, e.g. drafts of one report, and the shared lines are its content)."""
    if not boilerplate:
        return
    hits = [i for i, line in enumerate(lines) if line.key in boilerplate]
    if _chars(lines, hits) * 2 < _chars(lines, range(len(lines))):
        for i in hits:
            keep[i] = False


def _drop_edge_chrome(lines: list[_Line], keep: list[bool]) -> None:
    """Drop the chrome at the start and end of a text: before the first prose line, everything up to the last chrome
    line; after the last prose line, everything from the first chrome line. Only where prose outweighs what is
    dropped, so notes made of short lines, lists and titles stay whole."""
    alive = [i for i in range(len(lines)) if keep[i]]
    prose = [i for i in alive if lines[i].prose]
    if not prose:
        return
    # Markup lines (headings, list items, table rows) are content even when short: never chrome, never dropped.
    lead = [i for i in alive if i < prose[0] and not lines[i].markup]
    tail = [i for i in alive if i > prose[-1] and not lines[i].markup]
    drop: list[int] = []
    # The line right above the body is its title slot: "Follow the Money" there is a headline, "Follow" is not.
    lead_chrome = [i for i in lead if lines[i].chrome == PURE or (lines[i].chrome == MIXED and i != lead[-1])]
    if lead_chrome:
        drop += [i for i in lead if i <= lead_chrome[-1]]
    tail_chrome = [i for i in tail if lines[i].chrome != NONE]
    if tail_chrome:
        drop += [i for i in tail if i >= tail_chrome[0]]
    if drop and _chars(lines, drop) < _chars(lines, prose):
        for i in drop:
            keep[i] = False


def _chars(lines: list[_Line], indexes: Iterable[int]) -> int:
    return sum(lines[i].end - lines[i].start for i in indexes)

"""Questions asking for a version or release, and where documents say one: a version note under an API entry
("New in version 3.8." below "statistics.fmean(data, weights=None)¶") or a changelog's release heading."""

from __future__ import annotations

import re
from typing import Sequence

from qa.text import STOPWORDS

# "In which version was it added?", "Which release dropped Python 3.9?", "Since which Python version ...?"
# "Which major versions end up as LTS?" asks for a kind of version ("even-numbered"), not a number.
VERSION_Q = re.compile(r"\b(?:which|what)\s+(?:[\w.]+\s+)?(?:version|release)\b(?!\s+v?\d)"  # "What did release 3.2 add?"
                       r"(?!\s+of\s+(?:the\s+)?(?:document|faq|page|file|guide|manual|book)\b)", re.I)
# A version as documents write it: dotted numbers ("3.8", "1.2.0", "v2.1.3"), a numbered release ("version 015")
# or a product's major release ("Node.js 18").
VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+(?:[a-z]+\d*)?(?![\w.]*\d)|\b(?:version|release)\s+\d+(?![\d.])|"
                     r"\b[A-Z][\w.+-]*[a-z][\w.+-]*\s\d{1,3}(?![\d.,:%/])"
                     r"(?!\s*(?:%|per\s?cent|years?|months?|weeks?|days?)\b)")
# "What exception is raised for an invalid document?", "Which error does it raise?": a class named as code answers
EXCEPTION_Q = re.compile(r"\b(?:which|what)\s+(?:\w+\s+){0,2}exceptions?\b|\b(?:which|what)\s+(?:\w+\s+){0,2}(?:errors?|"
                         r"warnings?)\s+(?:[\w().]+\s+){0,3}(?:raised|raises?|thrown|throws?|issued|emitted)\b", re.I)
EXCEPTION = re.compile(r"\b(?:[a-z_][\w]*\.)*[A-Z][A-Za-z0-9]*(?:Error|Exception|Warning|Exit|Interrupt)\b|"
                       r"\bStop(?:Async)?Iteration\b")
# Sentences that date a change of the entry above them ("Changed in version 3.11: Added support for weights.").
VERSION_NOTE = re.compile(r"^\W*(?:new|changed|added|deprecated|removed)\s+(?:in|since)\s+version\b", re.I)
# A line naming an API entry in the Python docs' text (its definition-list term keeps the pilcrow).
ENTRY_LINE = re.compile(r"^[-*•]?\s*\S.*¶$")


def version_in(text: str, question: str = "") -> str | None:
    """The first version `text` writes that the question does not ("3.9" in "dropped Python 3.9?" is no answer)."""
    said = {m.group().lower() for m in VERSION.finditer(question)}
    return next((m.group() for m in VERSION.finditer(text) if m.group().lower() not in said), None)


# A changelog line that is only a release's name: "2.0.0" over its underline, "[1.2.2] - 2026-03-01", "v1.4 (beta)".
RELEASE_LINE = re.compile(r"^\s*\[?v?\d+(?:\.\d+)+[\w.-]*\]?(?:\s*[-–—(:]\s*[^.!?]{0,30})?\s*$", re.I)
# The kinds of change a changelog lists under each release ("Added", "Fixed", "Security"), each on its own line.
CHANGE_KIND_LINE = re.compile(r"^\s*(?:added|changed|deprecated|removed|fixed|security|new|new features|features|"
                              r"improvements|bug ?fixes|breaking changes|upgrade notes)\s*$", re.I)
_NAMED_VERSION = re.compile(r"\b([A-Za-z][\w.+-]*)\s+v?(\d+(?:\.\d+)+)\b")  # "Python 3.9", "pytest 5.0.0"


def release_heading(line: str) -> bool:
    """Whether a heading line names a release ("[1.2.2] - 2026-03-01", "Version 2.0", "v1.4.0 (beta)"), not a
    numbered section of a manual ("5.1 Error codes")."""
    return bool(VERSION.search(line)) and len(line.split()) <= 6 and not _SECTION_TITLE.match(line)


# A section number and a title in words: "5.1 Error codes", "12.2. Creating Virtual Environments¶".
_SECTION_TITLE = re.compile(r"\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+[A-Z][\w'’-]*(?:\s+[\w'’&-]+)*\s*¶?\s*$")


def dated_release(line: str) -> bool:
    """Whether a release heading also dates the release ("[2.0.0] - 2025-10-26"): it answers when that came out."""
    return release_heading(line) and bool(re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", line))


def release_at(headings: Sequence, offset: int):
    """The release heading (a `Heading`) whose section holds `offset` ("[1.2.2] - 2026-03-01" above "### Changed"),
    or None."""
    path: list = []
    for heading in headings:
        if heading.start > offset:
            break
        path = [h for h in path if h.level < heading.level] + [heading]
    return next((h for h in reversed(path) if release_heading(h.text)), None)


_ENTRY_REACH = 3000  # characters back to look for an API entry; its notes follow within a few paragraphs


def entry_at(text: str, offset: int) -> str:
    """The API entry line ("- statistics.fmean(data, weights=None)¶") last before `offset`, or ""."""
    end = text.rfind("¶", max(0, offset - _ENTRY_REACH), offset)
    line = text[text.rfind("\n", 0, end) + 1:end + 1].strip() if end >= 0 else ""
    return line if ENTRY_LINE.match(line) and len(line) <= _ENTRY_REACH // 10 else ""


def other_version(text: str, question: str) -> bool:
    """Whether `text` names another version of something the question names at one ("python 3.7" for a question
    about "Python 3.9"): a change to that other version, whatever release it came in."""
    asked = {name.lower(): number for name, number in _NAMED_VERSION.findall(question)}
    named = [(name.lower(), number) for name, number in _NAMED_VERSION.findall(text) if name.lower() in asked]
    return bool(named) and all(number != asked[name] for name, number in named)


_NOT_NAMES = STOPWORDS | {"since", "until"}  # "And 3.8?", "Since 3.8": no name before the number
# A version the question names as one: "v1.1", "version 2.3", "release 015", "Python 3.9" (a bare "3.8" may be a
# number of anything, so it is not asked as a version).
_ASKED_VERSION = re.compile(r"(?<![\w.])v\d+(?:\.\d+)+\b|\b(?:version|release)\s+(\d+(?:\.\d+)*)\b|"
                            r"\b[A-Z][\w+-]*\s+(\d+\.\d+(?:\.\d+)*)\b")


def asked_versions(question: str) -> list[str]:
    """The version numbers the question names, without a leading "v" ("1.1" for "When was v1.1 released?")."""
    return [next((g for g in m.groups() if g), m.group()).lstrip("v") for m in _ASKED_VERSION.finditer(question)
            if not (m.group(2) and m.group().split()[0].lower() in _NOT_NAMES)]  # "And 3.8?"


def unwritten_versions(question: str, texts: Sequence[str]) -> list[str]:
    """The versions the question names that none of `texts` writes ("3.9" is written by "3.9.0")."""
    written = set().union(*(written_versions(t) for t in texts)) if texts else set()
    return [v for v in asked_versions(question) if not any(w == v or w.startswith(f"{v}.") for w in written)]


def of_another_version(texts: Sequence[str], question: str) -> bool:
    """Whether `texts` write dotted versions but none the question names ("sed v1.3" for "When was v1.1
    released?"): they are about another release, however well they match otherwise."""
    asked = [v for v in asked_versions(question) if "." in v]
    written = {w for t in texts for w in written_versions(t) if "." in w}
    return bool(asked and written) and not any(w == v or w.startswith(f"{v}.") for w in written for v in asked)


# A code with a letter prefix: an error code ("E4"), a ticket ("LAN-412"), a risk ("R1"), a quarter ("Q3").
_CODE = re.compile(r"\b([A-Z]{1,5})-?(\d{1,5})\b(?![.,]\d)")
CODE_LABEL = re.compile(r"^\W*[A-Z]{1,5}-?\d{1,5}\b")  # "- E3 — Wi-Fi connection lost.": what the next lines are about


def of_another_code(texts: Sequence[str], question: str) -> bool:
    """Whether `texts` write a code of the kind the question names but not the one it names ("If E2 appears again"
    for "What does error E4 mean?"): they are about another error, ticket or quarter, however close otherwise."""
    asked = set(_CODE.findall(question))
    if not asked:
        return False
    written = {code for t in texts for code in _CODE.findall(t)}
    return not written & asked and any(prefix == asked_prefix for prefix, _ in written for asked_prefix, _ in asked)


def written_versions(text: str) -> set[str]:
    """Every dotted or numbered version `text` writes, without a leading "v"."""
    return {m.group().lstrip("v") for m in re.finditer(r"(?<![\w.])v?\d+(?:\.\d+)*(?![\w]*\.?\d)", text)}


def entry_of(sentence: str, entry: str) -> str:
    """The API entry a version note ("New in version 3.8.") dates, which says what it is about; else ""."""
    return entry if VERSION_NOTE.match(sentence) else ""


# "Which option treats every line as a separate object?", "What function returns a random URL-safe string?"
_ENTRY_ASKED = re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(?:option|flag|switch|function|method|class|parameter|argument|"
                          r"command|attribute|constant|exception)s?\b", re.I)


def entry_name(question: str, entry: str) -> str:
    """The name an API entry line gives ("--json-lines" of "- --json-lines¶") when the question asks for one; else ""."""
    if not _ENTRY_ASKED.search(question) or not ENTRY_LINE.match(entry):
        return ""
    name = re.sub(r"^[-*•]\s+", "", entry.strip()).rstrip("¶ ").strip()
    return name if 0 < len(name.split()) <= 4 else ""


# "What did the newest release add?", "in the latest Larchsync release": the release at the top of the changelog.
_LATEST_RELEASE_Q = re.compile(r"\b(?:latest|newest|most recent|current)\s+(?:[\w.-]+\s+)?(?:release|version)\b", re.I)


def of_the_latest_release(question: str, releases: Sequence[str]) -> list[bool]:
    """For each span's release heading (or ""), whether it may answer a question about the latest release: no
    heading of an older release than the newest one among them."""
    if not _LATEST_RELEASE_Q.search(question):
        return [True] * len(releases)
    numbers = [_version_key(version_in(r) or "") if r else None for r in releases]
    newest = max((n for n in numbers if n), default=None)
    return [n is None or not n or n == newest for n in numbers]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(d) for d in re.findall(r"\d+", version))

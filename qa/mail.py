"""Who wrote a line of an e-mail: the sender its "From:" header or its "On …, X wrote:" attribution names, which is
who "I" is in "I paid the £90 deposit"."""

from __future__ import annotations

import re

_SENDER = re.compile(r"^[> \t]*(?:From:[ \t]*(?P<sender>[^<\n@]+?)[ \t]*(?:<[^>\n]*>)?[ \t]*$|"
                     r"On\b[^\n]{0,80},[ \t]*(?P<writer>[^,\n@<]+?)[ \t]*(?:<[^>\n]*>)?[ \t]+wrote:[ \t]*$)", re.M)
_FIRST_PERSON = re.compile(r"(?<![\w'’])I(?:['’](?:ve|ll|d|m))?(?![\w'’])")  # "I paid", "I've booked"
SENDER_REACH = 4000  # characters back to look for the header of the message a line is in


# A chat export's line: "[Fri 14 Mar, 09:12] Tom: ...", "14/03/2025, 09:12 - Tom Reilly: ...".
CHAT_STAMP = r"(?:\[[^\]\n]{0,40}\b\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]m)?\]|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d\d(?:\s*[ap]m)?\s*[-–])"
_CHAT_LINE = re.compile(rf"[ \t]*{CHAT_STAMP}[ \t]*(?P<speaker>[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){{0,2}}):[ \t]", re.I)


def sender_at(text: str, offset: int) -> str:
    """The sender of the message `offset` is in: the speaker of the chat line it is on, else the name of the last
    "From:" or "… wrote:" line before it, or ""."""
    line = _CHAT_LINE.match(text, text.rfind("\n", 0, offset) + 1)
    if line:
        return line.group("speaker")
    last = list(_SENDER.finditer(text, max(0, offset - SENDER_REACH), offset))
    if not last:
        return ""
    name = (last[-1].group("sender") or last[-1].group("writer") or "").strip(" \"'")
    return name if 0 < len(name.split()) <= 4 and name[:1].isupper() else ""


def first_person(text: str) -> bool:
    """Whether the writer speaks of themselves ("I paid the deposit", "I've booked the barn")."""
    return bool(_FIRST_PERSON.search(text))


_HEADER = re.compile(r"^[> \t]*(?P<field>from|to|cc|bcc|reply-to|subject)[ \t]*:", re.I)
_ABOUT_MAIL = re.compile(r"\b(?:e-?mail\w*|mail(?:ed|s)?|messages?|sen[dt]|wr[io]te|written|cc'?d|cop(?:y|ied)|subject|"
                         r"repl(?:y|ied|ies)|receiv\w*|addressed|thread)\b", re.I)


def header_answers(sentence: str, question: str, person: bool) -> bool:
    """Whether a line may answer: a "Subject:" line only a question about the mail, a "From:"/"To:" line also one
    asking who ("Who is his GP?" - "To: Dr Samuel Ofori"); any other line always."""
    header = _HEADER.match(sentence)
    if header is None or _ABOUT_MAIL.search(question):
        return True
    return person and header.group("field").lower() != "subject"

"""E-mail messages (.eml): From/To/Subject/Date and the body, then each attachment read by its own format's loader."""

from __future__ import annotations

import contextvars
import email
import email.policy
from email.message import EmailMessage
from pathlib import PurePath

from ingest.formats.common import LoadedText, Section, assemble, short_title
from ingest.formats.dispatch import kind_for, load_bytes
from ingest.formats.html import html_to_text
from ingest.limits import Budget, LoadError

HEADERS = ("From", "To", "Cc", "Subject", "Date")
MAX_NESTING = 3  # a message attached to a message attached to ...: deeper ones are listed, not read
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("eml_depth", default=0)


def load_eml(data: bytes, budget: Budget) -> LoadedText:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not any(message.get(name) for name in ("From", "To", "Subject", "Date", "Message-ID")):
        raise LoadError("not a valid EML (no From, To, Subject, Date or Message-ID header)")
    sections = [Section(_headers(message) + "\n\n" + _body(message), heading=_subject(message))]
    token = _depth.set(_depth.get() + 1)
    try:
        for part in message.iter_attachments():
            budget.check()
            sections.append(_attachment(part, budget))
    finally:
        _depth.reset(token)
    text, _, headings = assemble(sections, max_chars=budget.limits.max_text_chars + 1)
    return LoadedText(text=text, kind="eml", title=short_title(message.get("Subject")), headings=headings)


def _subject(message: EmailMessage) -> str:
    return " ".join(str(message.get("Subject") or "(no subject)").split())


def _headers(message: EmailMessage) -> str:
    lines = []
    for name in HEADERS:
        value = message.get(name)
        if value:
            lines.append(f"{name}: {' '.join(str(value).split())}")
    return "\n".join(lines)


def _body(message: EmailMessage) -> str:
    """The plain-text body, else the HTML one through the HTML cleaner; empty when there is neither."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _content(part)
    if part.get_content_subtype() == "html":
        content = html_to_text(content)[0]
    return content.strip()


def _content(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except (LookupError, ValueError):  # an unknown or lying charset: keep what decodes
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _attachment(part: EmailMessage, budget: Budget) -> Section:
    """One attachment as a section under its name: its text through the loader of its type, or the one-line
    reason it is not read (the message is still indexed)."""
    name = part.get_filename() or ("message.eml" if part.get_content_type() == "message/rfc822" else "attachment")
    heading = f"Attachment: {name}"
    try:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            payload = (inner[0] if isinstance(inner, list) else inner).as_bytes()
            kind = "eml"
        else:
            payload = part.get_payload(decode=True) or b""
            kind = kind_for(PurePath(name))
        if kind == "eml" and _depth.get() >= MAX_NESTING:
            raise LoadError(f"messages nested deeper than {MAX_NESTING} are not read")
        loaded = load_bytes(payload, kind, name=name, budget=budget)
    except LoadError as err:
        return Section(f"{heading} (not read: {err})", heading=heading)
    return Section(f"{heading}\n{loaded.text}", heading=heading)

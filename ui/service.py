"""What the HTTP API does for a caller: the web chat's operations behind per-caller collection access."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

from qa.models import Answer, IngestReport, SourceInfo
from ui.access import AccessDenied, Caller, Gate
from ui.conversations import Conversation, ConversationNotFound, ConversationStore
from ui.webchat import AskOptions, UserError, WebChat

__all__ = ["AccessDenied", "ConversationNotFound", "Service", "UnknownCollection", "UserError", "Upload"]


class UnknownCollection(LookupError):
    """No such collection, or one the caller may not see (the two look alike on purpose)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"collection {name!r} does not exist")
        self.name = name


@dataclass(frozen=True)
class Upload:
    """One file of a multipart upload: its name as sent and an open stream of its bytes."""

    filename: str
    stream: IO[bytes]


class Service:
    """One per server; every method takes the authenticated caller first."""

    def __init__(self, chat: WebChat, gate: Gate, conversations: ConversationStore) -> None:
        self.chat = chat
        self.gate = gate
        self.conversations = conversations

    # Collections ---------------------------------------------------------------------------
    def existing(self) -> set[str]:
        collections = self.chat.collections
        return {collections.default_name, *collections.names(), *collections.default.collections()}

    def collections(self, caller: Caller) -> list[str]:
        return sorted(name for name in self.existing() if caller.may_use(name))

    def resolve(self, caller: Caller, name: str | None, *, create: bool = False) -> str:
        """The collection a request means (default: the served one, else the caller's first); checks access."""
        name = (name or "").strip()
        if not name:
            default = self.chat.collections.default_name
            visible = self.collections(caller)
            name = default if caller.may_use(default) or not visible else visible[0]
        if not caller.may_use(name):
            raise UnknownCollection(name)
        if name in self.existing():
            return name
        if not create:
            raise UnknownCollection(name)
        if not caller.admin:
            raise AccessDenied(f"only an admin may create collections; {name!r} does not exist")
        return name

    # Questions -----------------------------------------------------------------------------
    def stream(self, caller: Caller, question: str, history: Sequence[dict[str, str]] | None,
               options: AskOptions) -> Iterator[str | Answer]:
        """Checks access before the first event, so callers can still answer with an HTTP error status."""
        options = _with_collection(options, self.resolve(caller, options.collection))
        return self.chat.stream(question, history, options)

    def ask(self, caller: Caller, question: str, history: Sequence[dict[str, str]] | None,
            options: AskOptions) -> Answer:
        options = _with_collection(options, self.resolve(caller, options.collection))
        return self.chat.ask(question, history, options)

    # Documents -----------------------------------------------------------------------------
    def sources(self, caller: Caller, collection: str | None) -> list[SourceInfo]:
        return self.chat.sources(self.resolve(caller, collection))

    def ingest(self, caller: Caller, uploads: Sequence[Upload], collection: str | None) -> IngestReport:
        """Same limits, type checks and per-file report as the web upload; each file is copied under a bound."""
        name = self.resolve(caller, collection, create=True)
        with tempfile.TemporaryDirectory(prefix="docqa-upload-") as folder:
            named = []
            for i, upload in enumerate(uploads):
                path = Path(folder) / str(i) / "upload"
                path.parent.mkdir()
                with open(path, "wb") as out:
                    # One byte past the limit is enough for place_upload to refuse it as too large.
                    _copy_at_most(upload.stream, out, self.chat.max_upload_bytes + 1)
                named.append((str(path), upload.filename or "upload"))
            return self.chat.ingest_uploads(named, name)

    def remove(self, caller: Caller, sources: Sequence[str], collection: str | None) -> IngestReport:
        return self.chat.remove(sources, self.resolve(caller, collection))

    # Conversations -------------------------------------------------------------------------
    def start_conversation(self, caller: Caller, collection: str | None, title: str = "") -> Conversation:
        return self.conversations.create(caller.owner, self.resolve(caller, collection), title)

    def conversation(self, caller: Caller, conversation_id: str) -> Conversation:
        return self.conversations.get(caller.owner, conversation_id)

    def conversation_list(self, caller: Caller) -> list[Conversation]:
        return self.conversations.list(caller.owner)

    def rename_conversation(self, caller: Caller, conversation_id: str, title: str) -> Conversation:
        return self.conversations.rename(caller.owner, conversation_id, title)

    def delete_conversation(self, caller: Caller, conversation_id: str) -> None:
        self.conversations.delete(caller.owner, conversation_id)

    def record(self, caller: Caller, conversation_id: str, question: str, answer: Answer) -> None:
        self.conversations.append(caller.owner, conversation_id, question, answer)


def _with_collection(options: AskOptions, name: str) -> AskOptions:
    return AskOptions(name, options.k, options.sources, options.kinds, options.where, options.generator)


def _copy_at_most(source: IO[bytes], target: IO[bytes], limit: int) -> None:
    left = limit
    while left > 0:
        block = source.read(min(1 << 20, left))
        if not block:
            return
        target.write(block)
        left -= len(block)


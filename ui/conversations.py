"""Saved conversations in SQLite inside the index directory, one owner each, with Markdown and JSON export."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.models import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, collection TEXT NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (conversation, seq));
"""
TITLE_CHARS = 80


class ConversationNotFound(LookupError):
    """No conversation with this id belongs to the caller (another owner's looks the same: missing)."""


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    collection: str
    created: float
    updated: float
    turns: tuple[dict[str, Any], ...] = field(default=())  # {"question", "answer": the `ask --json` object, "created"}

    def history(self) -> list[dict[str, str]]:
        """The turns as chat messages, the shape DocQA.ask takes as history."""
        messages: list[dict[str, str]] = []
        for turn in self.turns:
            messages += [{"role": "user", "content": turn["question"]},
                         {"role": "assistant", "content": turn["answer"]["answer"]}]
        return messages

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "object": "conversation", "title": self.title, "collection": self.collection,
                "created": int(self.created), "updated": int(self.updated)}

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "turns": [dict(t) for t in self.turns]}


class ConversationStore:
    """Thread-safe: one connection guarded by a lock (SQLite serialises writers anyway)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    @classmethod
    def in_index(cls, index: Path) -> ConversationStore:
        return cls(Path(index) / "conversations.sqlite3")

    def create(self, owner: str, collection: str, title: str = "") -> Conversation:
        now = time.time()
        conv = Conversation(uuid.uuid4().hex, _title(title) or "New conversation", collection, now, now)
        with self._lock:
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                             (conv.id, owner, conv.title, collection, now, now))
        return conv

    def list(self, owner: str) -> list[Conversation]:
        with self._lock:
            rows = self._db.execute("SELECT id, title, collection, created, updated FROM conversations "
                                    "WHERE owner = ? ORDER BY updated DESC", (owner,)).fetchall()
        return [Conversation(*row) for row in rows]

    def get(self, owner: str, conversation_id: str) -> Conversation:
        with self._lock:
            row = self._db.execute("SELECT id, title, collection, created, updated FROM conversations "
                                   "WHERE id = ? AND owner = ?", (conversation_id, owner)).fetchone()
            if row is None:
                raise ConversationNotFound(f"no conversation {conversation_id!r}")
            turns = self._db.execute("SELECT question, answer, created FROM turns WHERE conversation = ? "
                                     "ORDER BY seq", (conversation_id,)).fetchall()
        return Conversation(*row, turns=tuple({"question": q, "answer": json.loads(a), "created": c}
                                              for q, a, c in turns))

    def append(self, owner: str, conversation_id: str, question: str, answer: Answer) -> None:
        now = time.time()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT title, (SELECT COUNT(*) FROM turns WHERE conversation = id) "
                                   "FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)).fetchone()
            if row is None:
                raise ConversationNotFound(f"no conversation {conversation_id!r}")
            title, seq = row
            self._db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                             (conversation_id, seq, question, json.dumps(answer.to_dict(), ensure_ascii=False), now))
            if seq == 0 and title == "New conversation":
                title = _title(question)  # a conversation is named by its first question until renamed
            self._db.execute("UPDATE conversations SET updated = ?, title = ? WHERE id = ?",
                             (now, title, conversation_id))

    def rename(self, owner: str, conversation_id: str, title: str) -> Conversation:
        title = _title(title)
        if not title:
            raise ValueError("title: must not be empty")
        with self._lock:
            changed = self._db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                                       (title, conversation_id, owner)).rowcount
        if not changed:
            raise ConversationNotFound(f"no conversation {conversation_id!r}")
        return self.get(owner, conversation_id)

    def delete(self, owner: str, conversation_id: str) -> None:
        with self._lock:
            deleted = self._db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                                       (conversation_id, owner)).rowcount
        if not deleted:
            raise ConversationNotFound(f"no conversation {conversation_id!r}")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _title(text: str) -> str:
    line = " ".join((text or "").split())
    return line[: TITLE_CHARS - 1] + "…" if len(line) > TITLE_CHARS else line


def export_json(conv: Conversation) -> dict[str, Any]:
    """The whole conversation: every answer in the `docqa ask --json` shape, citations with source and offsets."""
    return conv.to_dict()


def export_markdown(conv: Conversation) -> str:
    """A readable transcript; each citation names its source, character offsets and quotes its span."""
    lines = [f"# {_md_line(conv.title)}", "", f"Collection: `{conv.collection}` · {len(conv.turns)} question{'' if len(conv.turns) == 1 else 's'}", ""]
    for number, turn in enumerate(conv.turns, 1):
        answer = turn["answer"]
        lines += [f"## {number}. {_md_line(turn['question'])}", "", _md_line(answer["answer"]), ""]
        for citation in answer.get("citations", []):
            quote = " ".join(citation["text"].split())
            lines.append(f"- [{citation['n']}] `{citation['source']}` characters {citation['start']}–"
                         f"{citation['end']}: \"{quote}\"")
        if answer.get("citations"):
            lines.append("")
    return "\n".join(lines)


def _md_line(text: str) -> str:
    return " ".join(str(text).split())

"""BM25 over chunks with SQLite FTS5: a local cache of the Chroma collection, updated per changed document."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

from qa.filters import Filters
from qa.models import Chunk
from qa.settings import Settings
from qa.store import ChunkStore

_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it
    its me my no not of on or our she so than that the their them then there these they this those to was we were what
    when where which who whom why will with would you your about after before also any just more most other some such
    over under up out only own same very s t don should now""".split()
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs(doc_id TEXT PRIMARY KEY, commit_token TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks(
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, source TEXT NOT NULL,
    kind TEXT, idx INTEGER, start INTEGER, end INTEGER, page INTEGER, title TEXT, heading TEXT, sha256 TEXT,
    text TEXT NOT NULL, meta TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='chunks', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2');
"""


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def lexical_path(settings: Settings) -> Path:
    origin = settings.chroma_url or "local"
    tag = hashlib.sha256(f"{origin}|{settings.collection}".encode()).hexdigest()[:12]
    return settings.index / "lexical" / f"{settings.collection}-{tag}.sqlite3"


class LexicalIndex:
    """FTS5 index of chunk texts; Chroma stays the truth, this follows it by commit tokens."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Writing -------------------------------------------------------------------------------
    def replace_documents(self, docs: Iterable[tuple[str, str, str, Sequence[Chunk]]]) -> None:
        """Put (doc_id, commit, source, chunks) in place of whatever each document had."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for doc_id, commit, source, chunks in docs:
                    self._delete_doc(doc_id)
                    self._db.execute("INSERT INTO docs VALUES (?, ?, ?)", (doc_id, commit, source))
                    for c in chunks:
                        cur = self._db.execute(
                            "INSERT OR REPLACE INTO chunks(chunk_id, doc_id, source, kind, idx, start, end, page, title,"
                            " heading, sha256, text, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            (c.id, c.doc_id, c.source, c.kind, c.index, c.start, c.end, c.page, c.title, c.heading,
                             c.sha256, c.text, json.dumps(c.metadata, default=str)),
                        )
                        self._db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, c.text))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for doc_id in doc_ids:
                    self._delete_doc(doc_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _delete_doc(self, doc_id: str) -> None:
        rows = self._db.execute("SELECT rowid, text FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        for rowid, text in rows:
            self._db.execute("INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", (rowid, text))
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    # Following Chroma ----------------------------------------------------------------------
    def commits(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT doc_id, commit_token FROM docs").fetchall())

    def sync(self, store: ChunkStore, *, force: bool = False) -> int:
        """Bring the index in line with the store's committed documents; returns documents touched."""
        generation = store.generation()
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        if not force and row is not None and row[0] == generation:
            return 0
        wanted = {r.doc_id: r for r in store.doc_records().values() if r.status == "ok"}
        have = self.commits()
        stale = [d for d in have if d not in wanted]
        changed = [d for d, r in wanted.items() if have.get(d) != r.commit]
        if stale:
            self.remove_documents(stale)
        for i in range(0, len(changed), 200):
            batch = changed[i : i + 200]
            by_doc: dict[str, list[Chunk]] = {d: [] for d in batch}
            for chunk in store.get_chunks(doc_ids=batch):
                by_doc[chunk.doc_id].append(chunk)
            self.replace_documents((d, wanted[d].commit, wanted[d].source, by_doc[d]) for d in batch)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
        return len(stale) + len(changed)

    # Reading -------------------------------------------------------------------------------
    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        terms = query_terms(query)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        sql = (
            "SELECT c.chunk_id, c.doc_id, c.source, c.kind, c.idx, c.start, c.end, c.page, c.title, c.heading,"
            " c.sha256, c.text, c.meta, bm25(fts) AS rank FROM fts JOIN chunks c ON c.rowid = fts.rowid"
            " WHERE fts MATCH ?"
        )
        params: list[Any] = [match]
        if filters is not None:
            clause, extra = filters.to_sql("c")
            if clause:
                sql += f" AND {clause}"
                params.extend(extra)
        sql += " ORDER BY rank LIMIT ?"
        params.append(k)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [(_row_chunk(r), -float(r[13])) for r in rows]

    def sources(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT DISTINCT source FROM docs ORDER BY source")]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def document_frequency(self, terms: Sequence[str]) -> dict[str, int]:
        """How many chunks contain each term (stemmed the way the index stems), for IDF weights."""
        out: dict[str, int] = {}
        with self._lock:
            for term in terms:
                safe = term.replace('"', "")
                out[term] = int(self._db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (f'"{safe}"',)).fetchone()[0])
        return out


def _row_chunk(r: Sequence[Any]) -> Chunk:
    return Chunk(
        id=r[0], doc_id=r[1], source=r[2], kind=r[3] or "txt", index=int(r[4]), start=int(r[5]), end=int(r[6]),
        page=r[7], title=r[8], heading=r[9], sha256=r[10] or "", text=r[11], metadata=json.loads(r[12] or "{}"),
    )

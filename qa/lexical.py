"""BM25 over chunks with SQLite FTS5: a local cache of the Chroma collection, updated per changed document.

Chroma is the truth. Every document there has a commit record whose `commit` token changes on each
(re-)ingest, and the `-docs` collection holds a generation marker that writers bump after each change.
This index remembers the generation it last followed and the commit token of every document it holds,
so `sync` is one Chroma read when nothing changed and otherwise re-fetches only the documents whose
token differs (or drops those that are gone). That is what keeps BM25 correct when several processes
ingest into one Chroma server: each process's cache follows Chroma, never the other processes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from qa.filters import Filters
from qa.models import Chunk
from qa.settings import Settings
from qa.store import ChunkStore
from qa.text import query_terms

log = logging.getLogger(__name__)

_FETCH_BATCH = 200  # documents re-fetched from Chroma per request during sync
TOKENIZE = "porter unicode61 remove_diacritics 2"
# How many matching rows a BM25 query may make FTS5 score (see LexicalIndex._selective).
MATCH_BUDGET_SHARE = 0.1
MATCH_BUDGET_ROWS = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs(doc_id TEXT PRIMARY KEY, commit_token TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks(
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, source TEXT NOT NULL,
    kind TEXT, idx INTEGER, start INTEGER, end INTEGER, page INTEGER, title TEXT, heading TEXT, sha256 TEXT,
    text TEXT NOT NULL, meta TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='chunks', content_rowid='rowid',
    tokenize='%s');
""" % TOKENIZE
# Per connection: a scratch FTS5 table that stems query words exactly as the index does, and views
# of term statistics (document frequencies) without scanning anything.
_TEMP_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words USING fts5(text, tokenize='%s');
CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_stems USING fts5vocab(temp, query_words, instance);
CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_terms USING fts5vocab(main, fts, row);
""" % TOKENIZE
_COLUMNS = "c.chunk_id, c.doc_id, c.source, c.kind, c.idx, c.start, c.end, c.page, c.title, c.heading, c.sha256, c.text, c.meta"


_SQL_COLUMNS = {"source": "source", "kind": "kind", "page": "page", "title": "title", "heading": "heading",
                "doc_id": "doc_id"}


def sql_where(filters: Filters, alias: str) -> tuple[str, list[Any]]:
    """The filters as a WHERE clause over the chunks table (`alias`), with its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    if filters.sources:
        parts.append(f"{alias}.source IN ({','.join('?' * len(filters.sources))})")
        params.extend(filters.sources)
    if filters.kinds:
        parts.append(f"{alias}.kind IN ({','.join('?' * len(filters.kinds))})")
        params.extend(filters.kinds)
    for key, value in filters.where.items():
        values = value if isinstance(value, tuple) else (value,)
        column = _SQL_COLUMNS.get(key)
        target = f"{alias}.{column}" if column else f"json_extract({alias}.meta, ?)"
        if not column:
            params.append(f'$."{key}"')
        parts.append(f"{target} IN ({','.join('?' * len(values))})")
        params.extend(int(v) if isinstance(v, bool) else v for v in values)
    return " AND ".join(parts), params


def match_expression(terms: Sequence[str]) -> str:
    """An FTS5 OR query; each term is quoted, so no user text is read as FTS5 syntax."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def lexical_path(settings: Settings) -> Path:
    """Where this collection's cache lives: beside the embedded Chroma, one file per (server, collection)."""
    origin = settings.chroma_url or "local"
    tag = hashlib.sha256(f"{origin}|{settings.collection}".encode()).hexdigest()[:12]
    return settings.index / "lexical" / f"{settings.collection}-{tag}.sqlite3"


class LexicalIndex:
    """FTS5 index of chunk texts; Chroma stays the truth, this follows it by commit tokens."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._stats_version: int | None = None  # PRAGMA data_version the cached statistics belong to
        self._rows = 0
        self._document_frequency: dict[str, int] = {}
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError as exc:
            # It is only a cache: set a damaged file aside and let the next sync rebuild it from Chroma.
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            log.warning("lexical index %s is unreadable (%s); moved to %s and rebuilding", path, exc, aside)
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), timeout=60, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.executescript(_TEMP_SCHEMA)
            db.execute("SELECT COUNT(*) FROM meta").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Writing -------------------------------------------------------------------------------
    def replace_documents(self, docs: Iterable[tuple[str, str, str, Sequence[Chunk]]]) -> None:
        """Put (doc_id, commit, source, chunks) in place of whatever each document had, in one transaction."""
        with self._lock, self._transaction():
            for doc_id, commit, source, chunks in docs:
                self._delete_doc(doc_id)
                self._db.execute("INSERT INTO docs VALUES (?, ?, ?)", (doc_id, commit, source))
                for c in chunks:
                    # A chunk id is unique to its document, so after the delete above a clash can only come
                    # from another document claiming the same id; drop that row properly (FTS included).
                    self._delete_chunk_id(c.id)
                    cur = self._db.execute(
                        "INSERT INTO chunks(chunk_id, doc_id, source, kind, idx, start, end, page, title,"
                        " heading, sha256, text, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (c.id, c.doc_id, c.source, c.kind, c.index, c.start, c.end, c.page, c.title, c.heading,
                         c.sha256, c.text, json.dumps(c.metadata, default=str)),
                    )
                    self._db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, c.text))

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        with self._lock, self._transaction():
            for doc_id in doc_ids:
                self._delete_doc(doc_id)

    def _transaction(self):
        self._stats_version = None  # data_version only tracks other connections' writes
        return _Transaction(self._db)

    def _delete_doc(self, doc_id: str) -> None:
        rows = self._db.execute("SELECT rowid, text FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        self._db.executemany("INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", rows)
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def _delete_chunk_id(self, chunk_id: str) -> None:
        row = self._db.execute("SELECT rowid, text FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        if row is not None:
            self._db.execute("INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", row)
            self._db.execute("DELETE FROM chunks WHERE rowid = ?", (row[0],))

    # Following Chroma ----------------------------------------------------------------------
    def commits(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT doc_id, commit_token FROM docs").fetchall())

    def synced_generation(self) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return None if row is None else row[0]

    def sync(self, store: ChunkStore, *, force: bool = False) -> int:
        """Bring the index in line with the store's committed documents; returns documents touched.

        The generation is read before the records, so a change racing with this sync leaves a newer
        generation behind and the next call looks again. Documents another writer is re-ingesting
        right now (status "pending") keep their previous text until their new commit lands.
        """
        generation = store.generation()
        if not force and self.synced_generation() == generation:
            return 0
        records = store.doc_records()
        committed = {r.doc_id: r for r in records.values() if r.status == "ok"}
        in_flight = {r.doc_id for r in records.values() if r.status == "pending"}
        have = self.commits()
        stale = [d for d in have if d not in committed and d not in in_flight]
        changed = [d for d, r in committed.items() if have.get(d) != r.commit]
        if stale:
            self.remove_documents(stale)
        for i in range(0, len(changed), _FETCH_BATCH):
            batch = changed[i : i + _FETCH_BATCH]
            by_doc: dict[str, list[Chunk]] = {d: [] for d in batch}
            for chunk in store.get_chunks(doc_ids=batch):
                by_doc.setdefault(chunk.doc_id, []).append(chunk)
            self.replace_documents(
                (d, committed[d].commit, committed[d].source, sorted(by_doc[d], key=lambda c: c.index)) for d in batch
            )
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
        return len(stale) + len(changed)

    # Reading -------------------------------------------------------------------------------
    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        """Top-k chunks by BM25 (higher is better) for the content words of `query`, within `filters`."""
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        with self._lock:
            terms = self._selective(terms)
        if not terms:
            return []
        match = match_expression(terms)
        if filters is None or filters.empty:
            # Rank inside FTS5 first and join only the k winners: at 100k chunks the join would
            # otherwise be paid for every matching row.
            sql = (
                f"SELECT {_COLUMNS}, f.rank FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?) f"
                " JOIN chunks c ON c.rowid = f.rowid ORDER BY f.rank"
            )
            params: list[Any] = [match, k]
        else:
            clause, extra = sql_where(filters, "c")
            sql = (
                f"SELECT {_COLUMNS}, fts.rank FROM fts JOIN chunks c ON c.rowid = fts.rowid"
                f" WHERE fts MATCH ? AND {clause} ORDER BY fts.rank LIMIT ?"
            )
            params = [match, *extra, k]
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [(_row_chunk(r), -float(r[13])) for r in rows]

    def _selective(self, terms: list[str]) -> list[str]:
        """The query terms worth matching, rarest first, within a budget of matched rows.

        FTS5 scores every row that matches any term, so one very common word makes a query cost as
        much as the whole index (100+ ms at 100k chunks) while adding almost nothing to BM25 (its
        IDF is near zero). Terms are taken from the rarest up while their summed document frequency
        stays within MATCH_BUDGET_SHARE of the chunks (and at least MATCH_BUDGET_ROWS, so small
        indexes match every term); the rarest term that occurs is always kept. When even that one is
        in more than half of the chunks, FTS5's IDF for it is zero and BM25 cannot rank: no terms.
        """
        stems = self._stems(terms)
        rows, frequency = self._statistics(set(stems.values()))
        df = {t: frequency.get(stems.get(t, ""), 0) for t in terms}
        if rows >= MATCH_BUDGET_ROWS and all(df[t] > rows / 2 or df[t] == 0 for t in terms):
            return []
        budget = max(MATCH_BUDGET_SHARE * rows, MATCH_BUDGET_ROWS)
        keep: set[str] = set()
        spent = 0
        for term in sorted((t for t in terms if df[t] > 0), key=lambda t: df[t]):
            if keep and spent + df[term] > budget:
                break
            keep.add(term)
            spent += df[term]
        return [t for t in terms if t in keep] or terms

    def _stems(self, terms: list[str]) -> dict[str, str]:
        """Each term as the index's tokenizer stores it (porter stem, folded), by the tokenizer itself."""
        self._db.execute("DELETE FROM temp.query_words")
        self._db.executemany("INSERT INTO temp.query_words(rowid, text) VALUES (?, ?)", list(enumerate(terms)))
        stems: dict[str, str] = {}
        for stem, row in self._db.execute("SELECT term, doc FROM temp.query_stems"):
            stems.setdefault(terms[row], stem)
        return stems

    def _statistics(self, stems: set[str]) -> tuple[int, dict[str, int]]:
        """Chunk count and document frequencies, cached until any connection writes the file."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._stats_version:
            self._stats_version, self._document_frequency = version, {}
            self._rows = int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        for stem in stems - self._document_frequency.keys():
            row = self._db.execute("SELECT doc FROM temp.index_terms WHERE term = ?", (stem,)).fetchone()
            self._document_frequency[stem] = int(row[0]) if row else 0
        return self._rows, self._document_frequency

    def sources(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT DISTINCT source FROM docs ORDER BY source")]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error, so a reader never sees half a document."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _row_chunk(r: Sequence[Any]) -> Chunk:
    return Chunk(
        id=r[0], doc_id=r[1], source=r[2], kind=r[3] or "txt", index=int(r[4]), start=int(r[5]), end=int(r[6]),
        page=r[7], title=r[8], heading=r[9], sha256=r[10] or "", text=r[11], metadata=json.loads(r[12] or "{}"),
    )

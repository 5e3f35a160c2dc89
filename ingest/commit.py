"""The crash-safe write protocol of ingest: commit a chunked batch, remove documents, and catch up after a writer
that died, each step in an order that lets the next run redo or undo whatever a crash left half done."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

import numpy as np

from ingest.discover import Found
from ingest.progress import IngestProgress
from qa.lexical import LexicalIndex
from qa.models import Chunk, Document, FileOutcome
from qa.registry import FILE_TYPES
from qa.store import ChunkStore, DocRecord


@dataclass(frozen=True)
class Todo:
    """A file that needs (re)indexing: its hash differs from the record, or it has none."""

    found: Found
    doc_id: str
    sha256: str
    previous: DocRecord | None
    size: int = 0


@dataclass(frozen=True)
class Planned:
    """A loaded, cleaned and chunked file, ready to embed and commit."""

    todo: Todo
    document: Document
    chunks: list[Chunk]


@dataclass
class Run:
    """Outcomes of one ingest as they happen, forwarded to the progress bar and the caller."""

    bar: IngestProgress
    on_file: Callable[[FileOutcome], None] | None
    outcomes: list[FileOutcome] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0

    def emit(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        self.bar.advance_file(outcome)
        if self.on_file:
            self.on_file(outcome)


class Committer:
    """Writes to the store and the lexical index under the store's writer lock, in the protocol's order."""

    def __init__(self, store: ChunkStore, lexical: LexicalIndex, model_id: str, chunker_id: str) -> None:
        self.store = store
        self.lexical = lexical
        self.model_id = model_id
        self.chunker_id = chunker_id

    def commit(self, planned: list[Planned], all_chunks: list[Chunk], vectors: np.ndarray, run: Run) -> None:
        """Record pending -> write chunks -> drop stale chunks -> record ok -> bump generation -> lexical.

        A crash anywhere before "record ok" leaves a pending record that the next run redoes; chunk ids are
        derived from content, so redoing writes the same ids again instead of duplicates.
        """
        with _write_lock(self.store):
            self._write(planned, all_chunks, vectors, run)

    def remove(self, records: list[DocRecord], run: Run) -> dict[str, int]:
        """Record deleting -> delete chunks -> delete records -> bump generation -> lexical: an interrupted
        removal is finished by the next run. Returns the chunks removed per document id."""
        if not records:
            return {}
        with _write_lock(self.store):
            return self._delete(records, run)

    def finish(self, run: Run) -> None:
        """Bring this process's lexical cache in line with Chroma. Every commit and removal bumped the generation
        before touching the lexical index, so if this cache had fallen behind, a writer died between its Chroma
        writes and its bump: bump now so other processes' caches catch up too. Under the writer lock: the bump
        is a write like any other."""
        with _write_lock(self.store):
            if self.lexical.sync(self.store, force=True):
                self.store.bump_generation()

    def _write(self, planned: list[Planned], all_chunks: list[Chunk], vectors: np.ndarray, run: Run) -> None:
        now, commit = _now(), uuid.uuid4().hex
        pending = [
            DocRecord(
                doc_id=p.todo.doc_id, source=p.todo.found.source, path=p.document.path, sha256=p.todo.sha256,
                kind=p.document.kind, chunks=len(p.chunks), status="pending", model=self.model_id,
                chunker=document_chunker_id(self.chunker_id, p.document.kind),
                added=p.todo.previous.added if p.todo.previous else now, updated=now,
                title=p.document.title or "", commit=commit,
            )
            for p in planned
        ]
        self._put_records(pending)
        existing = self.store.chunk_ids_by_doc([p.todo.doc_id for p in planned])
        self.store.upsert_chunks(all_chunks, vectors)
        keep = {c.id for c in all_chunks}
        stale = [i for ids in existing.values() for i in ids if i not in keep]
        self.store.delete_chunks(stale)
        self._put_records([replace(r, status="ok") for r in pending])
        self.store.bump_generation()
        self.lexical.replace_documents((p.todo.doc_id, commit, p.todo.found.source, p.chunks) for p in planned)
        run.chunks_added += len(all_chunks)
        run.chunks_removed += len(stale)
        for p in planned:
            updated = p.todo.previous is not None and p.todo.previous.status == "ok"
            run.emit(FileOutcome(p.todo.found.source, "updated" if updated else "added", chunks=len(p.chunks)))

    def _delete(self, records: list[DocRecord], run: Run) -> dict[str, int]:
        self._put_records([replace(r, status="deleting") for r in records])
        ids = self.store.chunk_ids_by_doc([r.doc_id for r in records])
        self.store.delete_chunks([i for chunk_ids in ids.values() for i in chunk_ids])
        self.store.delete_doc_records([r.doc_id for r in records])
        self.store.bump_generation()
        self.lexical.remove_documents(r.doc_id for r in records)
        counts = {doc_id: len(chunk_ids) for doc_id, chunk_ids in ids.items()}
        run.chunks_removed += sum(counts.values())
        return counts

    def _put_records(self, records: list[DocRecord]) -> None:
        if records:
            self.store.put_doc_records(records)


def document_chunker_id(chunker_id: str, kind: str) -> str:
    """What a document of `kind` records as its chunker: the chunker's id, plus its loader's extraction version."""
    extraction = FILE_TYPES.extraction(kind)
    return f"{chunker_id}:{extraction}" if extraction else chunker_id


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write_lock(store: object):
    """The store's writer lock (embedded Chroma: one committing process at a time); none for other stores."""
    lock = getattr(store, "write_lock", None)
    return lock() if lock is not None else contextlib.nullcontext()

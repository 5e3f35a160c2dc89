"""Ingests files into the store: hash check, load, clean, chunk, embed, then commit per document."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ingest.chunker import Chunker
from ingest.clean import kept_ranges, line_key, repeated_lines
from ingest.discover import Found, discover
from ingest.loaders import LoadError, load_file
from ingest.progress import IngestProgress
from qa.embedding import Embedder
from qa.lexical import LexicalIndex
from qa.models import Chunk, Document, FileOutcome, IngestReport
from qa.settings import Settings
from qa.store import CHUNKER_VERSION, ChromaStore, DocRecord

BATCH_FILES = 64  # files loaded, chunked and embedded together: big enough to keep the model busy


def document_id(path: Path) -> str:
    return hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class _Pending:
    found: Found
    doc_id: str
    sha256: str
    previous: DocRecord | None


class Ingestor:
    """Keeps the store and the lexical index equal to the files on disk, one committed document at a time."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChromaStore, lexical: LexicalIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        size = min(settings.chunk_tokens, embedder.max_tokens)
        self.chunker = Chunker(embedder.token_offsets, size, min(settings.chunk_overlap_tokens, size // 2))
        self._boilerplate_file = settings.index / "boilerplate.json"

    # Public --------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], *, sync: bool = False, progress: bool = False,
               on_file: Callable[[FileOutcome], None] | None = None) -> IngestReport:
        started = time.perf_counter()
        records = self.store.doc_records()
        found = list(discover(paths))
        outcomes: list[FileOutcome] = []
        chunks_added = chunks_removed = 0
        todo: list[_Pending] = []
        seen_ids: set[str] = set()

        def emit(outcome: FileOutcome) -> None:
            outcomes.append(outcome)
            if on_file:
                on_file(outcome)

        with IngestProgress(len(found), enabled=progress) as bar:
            for item in found:
                if item.problem:
                    emit(FileOutcome(item.source, "skipped" if item.unsupported else "failed", reason=item.problem))
                    bar.advance_file(outcomes[-1])
                    continue
                doc_id = document_id(item.path)
                if doc_id in seen_ids:
                    bar.advance_file(None)
                    continue  # the same file reached twice (two paths, or a link)
                seen_ids.add(doc_id)
                try:
                    sha = file_sha256(item.path)
                except OSError as exc:
                    emit(FileOutcome(item.source, "failed", reason=_os_reason(exc)))
                    bar.advance_file(outcomes[-1])
                    continue
                previous = records.get(doc_id)
                if previous and previous.status == "ok" and previous.sha256 == sha and self._current(previous):
                    emit(FileOutcome(item.source, "unchanged", chunks=previous.chunks))
                    bar.advance_file(outcomes[-1])
                    continue
                todo.append(_Pending(item, doc_id, sha, previous))
                if len(todo) >= BATCH_FILES:
                    added, removed = self._process(todo, emit, bar)
                    chunks_added, chunks_removed, todo = chunks_added + added, chunks_removed + removed, []
            if todo:
                added, removed = self._process(todo, emit, bar)
                chunks_added, chunks_removed = chunks_added + added, chunks_removed + removed
            if sync:
                for outcome in self._sync_removed(paths, records, seen_ids):
                    chunks_removed += outcome.chunks
                    emit(outcome)
        if any(o.status in ("added", "updated", "removed") for o in outcomes):
            self.store.bump_generation()
        self.lexical.sync(self.store)
        return IngestReport(tuple(outcomes), chunks_added, chunks_removed, time.perf_counter() - started)

    def remove(self, doc_ids: Iterable[str]) -> IngestReport:
        started = time.perf_counter()
        records = self.store.doc_records()
        outcomes = []
        removed = 0
        for doc_id in doc_ids:
            record = records[doc_id]
            count = self._remove(record)
            removed += count
            outcomes.append(FileOutcome(record.source, "removed", chunks=count))
        if outcomes:
            self.store.bump_generation()
        self.lexical.sync(self.store)
        return IngestReport(tuple(outcomes), 0, removed, time.perf_counter() - started)

    # Internals -----------------------------------------------------------------------------
    def _current(self, record: DocRecord) -> bool:
        return record.model == self.embedder.model_id and record.chunker == CHUNKER_VERSION

    def _process(self, batch: list[_Pending], emit: Callable[[FileOutcome], None], bar: IngestProgress) -> tuple[int, int]:
        documents: list[tuple[_Pending, Document]] = []
        for pending in batch:
            try:
                loaded = load_file(pending.found.path, max_bytes=int(self.settings.max_file_mb * 2**20))
            except LoadError as exc:
                emit(FileOutcome(pending.found.source, "failed", reason=str(exc)))
                bar.advance_file(None)
                continue
            documents.append((pending, Document(
                id=pending.doc_id, source=pending.found.source, path=os.path.realpath(pending.found.path),
                sha256=pending.sha256, kind=loaded.kind, text=loaded.text, title=loaded.title,
                pages=loaded.pages, headings=loaded.headings,
            )))
        boilerplate = self._boilerplate([doc.text for _, doc in documents])
        planned: list[tuple[_Pending, Document, list[Chunk]]] = []
        for pending, doc in documents:
            ranges = kept_ranges(doc.text, doc.kind, boilerplate_lines=boilerplate)
            chunks = self.chunker.chunk(doc, ranges, metadata={"ext": Path(doc.source).suffix.lower().lstrip(".")})
            if not chunks:
                emit(FileOutcome(pending.found.source, "failed", reason="no indexable text after cleaning"))
                bar.advance_file(None)
                continue
            planned.append((pending, doc, chunks))
        if not planned:
            return 0, 0
        all_chunks = [c for _, _, chunks in planned for c in chunks]
        vectors = self.embedder.embed_documents([c.text for c in all_chunks])
        bar.add_chunks(len(all_chunks))
        now = _now()
        commit = uuid.uuid4().hex
        records = {
            p.doc_id: DocRecord(
                doc_id=p.doc_id, source=p.found.source, path=doc.path, sha256=p.sha256, kind=doc.kind,
                chunks=len(chunks), status="pending", model=self.embedder.model_id, chunker=CHUNKER_VERSION,
                added=p.previous.added if p.previous else now, updated=now, title=doc.title or "", commit=commit,
            )
            for p, doc, chunks in planned
        }
        # Commit protocol: mark pending, write chunks, drop stale chunks, then mark ok. A crash at any
        # step leaves a pending record, which the next run redoes; nothing half-written looks committed.
        for record in records.values():
            self.store.put_doc_record(record)
        self.store.upsert_chunks(all_chunks, vectors)
        removed = 0
        for pending, _, chunks in planned:
            keep = {c.id for c in chunks}
            stale = [i for i in self.store.chunk_ids_of(pending.doc_id) if i not in keep]
            self.store.delete_chunks(stale)
            removed += len(stale)
        for pending, doc, chunks in planned:
            self.store.put_doc_record(replace(records[pending.doc_id], status="ok"))
            status = "updated" if pending.previous else "added"
            emit(FileOutcome(pending.found.source, status, chunks=len(chunks)))
            bar.advance_file(None)
        self.lexical.replace_documents((p.doc_id, commit, p.found.source, chunks) for p, _, chunks in planned)
        return len(all_chunks), removed

    def _remove(self, record: DocRecord) -> int:
        self.store.put_doc_record(replace(record, status="deleting"))
        ids = self.store.chunk_ids_of(record.doc_id)
        self.store.delete_chunks(ids)
        self.store.delete_doc_record(record.doc_id)
        self.lexical.remove_documents([record.doc_id])
        return len(ids)

    def _sync_removed(self, paths: Sequence[str | os.PathLike[str]], records: dict[str, DocRecord],
                      seen: set[str]) -> list[FileOutcome]:
        roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
        files = {os.path.realpath(p) for p in paths if not os.path.isdir(p)}
        outcomes = []
        for record in records.values():
            if record.doc_id in seen:
                continue
            inside = record.path in files or any(record.path.startswith(root.rstrip("/") + "/") for root in roots)
            if inside and not os.path.exists(record.path):
                outcomes.append(FileOutcome(record.source, "removed", chunks=self._remove(record)))
        return outcomes

    def _boilerplate(self, texts: list[str]) -> frozenset[str]:
        """Lines repeated across this batch, plus those found repeated in earlier batches."""
        known: set[str] = set()
        if self._boilerplate_file.exists():
            try:
                known = set(json.loads(self._boilerplate_file.read_text("utf-8")))
            except (OSError, ValueError):
                known = set()
        found = repeated_lines(texts)
        if found - known:
            known |= found
            self._boilerplate_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._boilerplate_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(sorted(known)), "utf-8")
            os.replace(tmp, self._boilerplate_file)
        return frozenset(known)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read file: {exc.strerror or exc}"


__all__ = ["Ingestor", "document_id", "file_sha256", "line_key"]

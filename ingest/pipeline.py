"""Ingests files into the store: hash check, load, clean, chunk, embed, then a crash-safe commit per batch."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from ingest.chunker import Chunker
from ingest.clean import kept_ranges, page_boilerplate
from ingest.commit import Committer, Planned, Run, Todo, document_chunker_id
from ingest.discover import Found, discover
from ingest.limits import Limits
from ingest.loaders import LoadError, load_file, special_file_kind
from ingest.progress import IngestProgress
from ingest.web import WebOptions, fetch_pages, is_url
from qa.embedding import Embedder
from qa.lexical import LexicalIndex, lexical_path
from qa.models import Chunk, Document, FileOutcome, IngestReport
from qa.settings import Settings
from qa.store import CHUNKER_VERSION, ChunkStore, DocRecord, drop_collections

BATCH_FILES = 64  # files loaded and embedded together: enough chunks to keep the model busy
BATCH_CHUNKS = 2048  # ...or fewer files once they hold this many chunks, so memory stays flat
BATCH_BYTES = 64 * 2**20  # ...or fewer files once they weigh this much on disk: a batch is loaded whole


def document_id(path: Path) -> str:
    return hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def file_sha256(path: Path) -> str:
    """SHA-256 of a regular file's bytes. The file is opened without blocking and checked on its handle, so a
    FIFO or device never gets read (hashing /dev/zero would never end); those raise OSError naming what they are."""
    digest = hashlib.sha256()
    with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"not a regular file ({special_file_kind(mode)})")
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def boilerplate_path(settings: Settings) -> Path:
    """Where older versions kept the lines found repeated across a collection; removed by reset_index."""
    return lexical_path(settings).with_suffix(".boilerplate.json")


def reset_index(settings: Settings) -> None:
    """Drop the collections and side files, so the next ingest re-embeds everything with the current model."""
    drop_collections(settings)
    lexical = lexical_path(settings)
    for path in (lexical, Path(f"{lexical}-wal"), Path(f"{lexical}-shm"), boilerplate_path(settings)):
        path.unlink(missing_ok=True)


class Ingestor:
    """Keeps the store and the lexical index equal to the files on disk, one committed batch at a time."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChunkStore, lexical: LexicalIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        size = min(settings.chunk_tokens, embedder.max_tokens)
        self.chunker = Chunker(embedder.token_offsets, size, min(settings.chunk_overlap_tokens, size // 2))
        # Documents record the chunking parameters too, so changing them re-chunks instead of mixing styles.
        self.chunker_id = f"{CHUNKER_VERSION}:{self.chunker.max_tokens}:{self.chunker.overlap}"
        self.limits = Limits.from_settings(settings)
        self.max_bytes = self.limits.max_bytes
        self.committer = Committer(store, lexical, embedder.model_id, self.chunker_id)

    # Public --------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], *, sync: bool = False, progress: bool = False,
               on_file: Callable[[FileOutcome], None] | None = None, web: WebOptions | None = None) -> IngestReport:
        """Ingest files, folders and http(s) URLs; `web` sets crawl depth and fetch limits for the URLs."""
        started = time.perf_counter()
        records = self.store.doc_records()
        urls = [p for p in paths if is_url(p)]
        paths = [p for p in paths if not is_url(p)]
        found = list(discover(paths, follow_links=self.settings.follow_links))
        if urls:
            found += fetch_pages(urls, self.settings.index, web or self.web_options())
        with IngestProgress(len(found), enabled=progress) as bar:
            run = Run(bar, on_file)
            self._recover(records, paths, run)
            todo, seen = self._triage(found, records, run)
            moved = _moved(todo, records, seen)
            for planned in self._prepared(todo, run):
                self._commit(planned, run)
            self._forget_moved(moved, run)
            if sync:
                self._sync_removed(paths, records, seen, run)
        self.committer.finish(run)
        return IngestReport(tuple(run.outcomes), run.chunks_added, run.chunks_removed, time.perf_counter() - started)

    def web_options(self, **overrides) -> WebOptions:
        s = self.settings
        base = {"max_bytes": int(s.web_max_mb * 2**20), "timeout": s.web_timeout_s, "max_pages": s.web_max_pages,
                "allow_private": s.allow_private}
        return WebOptions(**{**base, **overrides})

    def remove(self, doc_ids: Iterable[str]) -> IngestReport:
        started = time.perf_counter()
        records = self.store.doc_records()
        with IngestProgress(0, enabled=False) as bar:
            run = Run(bar, None)
            self._remove([records[d] for d in dict.fromkeys(doc_ids)], run)
        self.committer.finish(run)
        return IngestReport(tuple(run.outcomes), 0, run.chunks_removed, time.perf_counter() - started)

    # Deciding what to do -------------------------------------------------------------------
    def _triage(self, found: list[Found], records: dict[str, DocRecord], run: Run) -> tuple[list[Todo], set[str]]:
        """Hash check first: unchanged files are settled here, without being loaded or embedded."""
        todo: list[Todo] = []
        seen: set[str] = set()
        for item in found:
            if item.problem:
                run.emit(FileOutcome(item.source, "skipped" if item.unsupported else "failed", reason=item.problem))
                continue
            doc_id = document_id(item.path)
            if doc_id in seen:
                run.bar.advance_file(None)
                continue  # the same file reached twice (two paths, or a link)
            seen.add(doc_id)
            try:
                info = os.stat(item.path)
                if not stat.S_ISREG(info.st_mode):  # replaced by a FIFO or device since discovery: never opened
                    raise LoadError(f"not a regular file ({special_file_kind(info.st_mode)})")
                size = info.st_size
                if size > self.max_bytes:  # refused before reading a byte of it
                    raise LoadError(f"file too large ({size / 2**20:.1f} MB > {self.max_bytes / 2**20:g} MB limit; "
                                    "raise DOCQA_MAX_FILE_MB)")
                sha = file_sha256(item.path)
            except (OSError, LoadError) as exc:
                self._fail(item, str(exc) if isinstance(exc, LoadError) else _os_reason(exc), records.get(doc_id), run)
                continue
            previous = records.get(doc_id)
            if previous and previous.status == "ok" and previous.sha256 == sha and self._current(previous):
                run.emit(FileOutcome(item.source, "unchanged", chunks=previous.chunks))
                continue
            todo.append(Todo(item, doc_id, sha, previous, size))
        return todo, seen

    def _current(self, record: DocRecord) -> bool:
        return record.model == self.embedder.model_id and record.chunker == document_chunker_id(self.chunker_id, record.kind)

    def _fail(self, item: Found, reason: str, previous: DocRecord | None, run: Run) -> None:
        if previous is not None and previous.status == "ok":
            reason += "; the version ingested earlier is kept"
        elif previous is not None:  # leftovers of an interrupted ingest of a file that now fails
            self.committer.remove([previous], run)
        run.emit(FileOutcome(item.source, "failed", reason=reason))

    # Loading, cleaning, chunking -----------------------------------------------------------
    def _batches(self, todo: list[Todo]) -> Iterator[list[Todo]]:
        """Batches of 4, 8, 16 ... up to BATCH_FILES files: the model starts on a small first batch instead of
        idling while a big one loads. A batch also stops at BATCH_BYTES of input, since it is held in memory
        whole (one file bigger than that is a batch alone)."""
        first, size = 0, min(4, BATCH_FILES)
        while first < len(todo):
            end, weight = first, 0
            while end < len(todo) and end - first < size and (end == first or weight + todo[end].size <= BATCH_BYTES):
                weight += todo[end].size
                end += 1
            yield todo[first:end]
            first, size = end, min(size * 2, BATCH_FILES)

    def _prepared(self, todo: list[Todo], run: Run) -> Iterator[list[Planned]]:
        """Batches loaded and cleaned one step ahead in a worker thread while this one embeds the last batch.

        Chunking stays on this thread: it uses the model's tokenizer, which must not run in two threads at once.
        """
        batches = self._batches(todo)
        # The model's forward pass releases the GIL inside each tensor op and needs it back between ops; at the
        # default 5 ms switch interval the parsing thread keeps it that long each time, starving the model
        # (measured: embedding 1.5x slower). A short interval hands it back at once.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(switch_interval, 0.0002))
        try:
            yield from self._pipelined(batches, run)
        finally:
            sys.setswitchinterval(switch_interval)

    def _pipelined(self, batches: Iterator[list[Todo]], run: Run) -> Iterator[list[Planned]]:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="docqa-load") as pool:
            first = next(batches, None)
            ahead: Future | None = pool.submit(self._load, first) if first is not None else None
            while ahead is not None:
                loaded, failures = ahead.result()
                following = next(batches, None)
                ahead = pool.submit(self._load, following) if following is not None else None
                planned = self._chunk(loaded, failures)
                for item, reason in failures:
                    self._fail(item.found, reason, item.previous, run)
                yield from _split_by_chunks(planned, BATCH_CHUNKS)

    def _load(self, batch: list[Todo]) -> tuple[list[tuple[Todo, Document, tuple]], list[tuple[Todo, str]]]:
        loaded: list[tuple[Todo, Document]] = []
        failures: list[tuple[Todo, str]] = []
        for item in batch:
            try:
                text = load_file(item.found.path, limits=self.limits)
            except LoadError as exc:
                failures.append((item, str(exc)))
                continue
            except Exception as exc:  # a loader bug must cost one file, not the run
                failures.append((item, f"could not load: {type(exc).__name__}: {exc}"))
                continue
            loaded.append((item, Document(
                id=item.doc_id, source=item.found.source, path=os.path.realpath(item.found.path),
                sha256=item.sha256, kind=text.kind, text=text.text, title=text.title,
                pages=text.pages, headings=text.headings,
            )))
        cleaned = []
        for item, doc in loaded:
            try:
                # Each document is cleaned on its own (running headers repeated across its pages included): the
                # same file gives the same chunks whatever it shares a batch with, and after a crash.
                boilerplate = page_boilerplate([doc.text[p.start : p.end] for p in doc.pages])
                cleaned.append((item, doc, kept_ranges(doc.text, doc.kind, boilerplate_lines=boilerplate)))
            except Exception as exc:  # same: one bad document, not a failed run
                failures.append((item, f"could not clean: {type(exc).__name__}: {exc}"))
        return cleaned, failures

    def _chunk(self, loaded: list[tuple[Todo, Document, tuple]], failures: list[tuple[Todo, str]]) -> list[Planned]:
        planned: list[Planned] = []
        for item, doc, ranges in loaded:
            try:
                chunks = self.chunker.chunk(doc, ranges, metadata={"ext": Path(doc.source).suffix.lower().lstrip(".")})
            except Exception as exc:
                failures.append((item, f"could not chunk: {type(exc).__name__}: {exc}"))
                continue
            if chunks:
                planned.append(Planned(item, doc, chunks))
            else:
                failures.append((item, "no indexable text after cleaning"))
        return planned

    # Committing (the protocol itself is ingest/commit.py) ----------------------------------
    def _commit(self, planned: list[Planned], run: Run) -> None:
        if not planned:
            return
        all_chunks = [c for p in planned for c in p.chunks]
        self.committer.commit(planned, all_chunks, self._embed(all_chunks, run), run)

    def _embed(self, chunks: list[Chunk], run: Run) -> np.ndarray:
        """Embed in model batches of chunks of similar token length: padding to the longest in a batch is then
        nearly free (the model sorts by characters, a poorer proxy for its cost)."""
        order = sorted(range(len(chunks)), key=lambda i: chunks[i].metadata.get("tokens", 0))
        size = max(1, int(getattr(self.embedder, "batch_size", 64)))
        vectors: np.ndarray | None = None
        for first in range(0, len(order), size):
            group = order[first : first + size]
            part = self.embedder.embed_documents([chunks[i].text for i in group])
            if vectors is None:
                vectors = np.empty((len(chunks), part.shape[1]), dtype=part.dtype)
            vectors[group] = part
            run.bar.add_chunks(len(group))
        return vectors if vectors is not None else np.zeros((0, self.embedder.dimension), dtype=np.float32)

    # Removing what is gone -----------------------------------------------------------------
    def _recover(self, records: dict[str, DocRecord], paths: Sequence[str | os.PathLike[str]], run: Run) -> None:
        """Finish removals a crash interrupted, and drop half-written documents whose files are gone."""
        doomed = [r for r in records.values() if r.status == "deleting"
                  or (r.status == "pending" and _inside(r.path, paths) and not os.path.exists(r.path))]
        for record in doomed:
            del records[record.doc_id]
        self._remove(doomed, run)

    def _sync_removed(self, paths: Sequence[str | os.PathLike[str]], records: dict[str, DocRecord], seen: set[str],
                      run: Run) -> None:
        gone = [r for r in records.values() if r.doc_id not in seen and _inside(r.path, paths) and not os.path.exists(r.path)]
        self._remove(gone, run)

    def _forget_moved(self, moved: dict[str, DocRecord], run: Run) -> None:
        """Drop the old copy of each moved file once its new path is stored: the old one was its only copy
        until then, so a file that fails at its new path keeps its old chunks."""
        stored = {o.source for o in run.outcomes if o.status == "added"}
        old = {source: record for source, record in moved.items() if source in stored}
        self._remove(list(old.values()), run, {r.doc_id: f"moved to {source}" for source, r in old.items()})

    def _remove(self, records: list[DocRecord], run: Run, reasons: dict[str, str] | None = None) -> None:
        """Remove the documents and report each as removed, with the number of chunks it had."""
        removed = self.committer.remove(records, run)
        for record in records:
            run.emit(FileOutcome(record.source, "removed", chunks=removed.get(record.doc_id, 0),
                                 reason=(reasons or {}).get(record.doc_id)))


def _moved(todo: list[Todo], records: dict[str, DocRecord], seen: set[str]) -> dict[str, DocRecord]:
    """New files whose exact content is stored under a path that no longer exists, by the new file's source:
    the file was moved or its folder renamed, and ingesting it again must not hold it twice."""
    fresh = [item for item in todo if item.previous is None]
    if not fresh:
        return {}
    gone: dict[str, DocRecord] = {}
    for record in records.values():
        if record.status == "ok" and record.doc_id not in seen and not os.path.exists(record.path):
            gone.setdefault(record.sha256, record)
    moved = {}
    for item in fresh:
        record = gone.pop(item.sha256, None)
        if record is not None:
            moved[item.found.source] = record
    return moved


def _split_by_chunks(planned: list[Planned], limit: int) -> Iterator[list[Planned]]:
    part: list[Planned] = []
    count = 0
    for item in planned:
        if part and count + len(item.chunks) > limit:
            yield part
            part, count = [], 0
        part.append(item)
        count += len(item.chunks)
    if part:
        yield part


def _inside(path: str, paths: Sequence[str | os.PathLike[str]]) -> bool:
    """Whether a stored document lies under one of the given paths; missing paths (a typo, an unmounted
    drive) never match, so a sync cannot empty the index by accident."""
    for given in paths:
        if not os.path.exists(given):
            continue
        root = os.path.realpath(given)
        if path == root or path.startswith(root.rstrip("/") + "/"):
            return True
    return False


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, FileNotFoundError):
        return "file vanished during ingest"
    return f"cannot read file: {exc.strerror or exc}"


__all__ = ["Ingestor", "document_id", "file_sha256", "reset_index"]

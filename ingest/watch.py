"""Keeps the index in step with watched folders: watchfiles reports debounced changes, applied as ingests and removals."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Sequence

from qa.errors import ConfigurationError
from qa.models import FileOutcome, IngestReport
from qa.registry import FILE_TYPES

DEFAULT_DEBOUNCE_MS = 400


def _visible(path: str, roots: Sequence[str]) -> bool:
    """Hidden files and folders (editor swap files, .git) are skipped, as the ingest walk skips them."""
    for root in roots:
        if path == root or path.startswith(root.rstrip("/") + "/"):
            return not any(part.startswith(".") for part in Path(path[len(root):]).parts)
    return False


def _changes(raw: Iterable[tuple[object, str]], roots: Sequence[str]) -> tuple[list[str], list[str]]:
    """(paths to ingest, paths gone): a path that exists now is ingested whatever its events were, so an edit
    saved as delete-then-create, or a quick rename back, ends as an update."""
    touched, gone = set(), set()
    for _, path in raw:
        if not _visible(path, roots):
            continue
        if os.path.isdir(path):
            touched.add(path)  # a folder moved or copied in: its files arrive as one event here
        elif os.path.exists(path):
            if Path(path).suffix.lower() in FILE_TYPES.extensions():
                touched.add(path)
        else:
            gone.add(path)
    return sorted(touched), sorted(gone)


def apply_changes(ingestor, touched: Sequence[str], gone: Sequence[str]) -> IngestReport:
    """Remove documents at (or under) vanished paths, then ingest what was added or changed; the ingestor's hash
    skip settles files whose bytes did not change, and its commit protocol makes each step crash-safe."""
    outcomes: list[FileOutcome] = []
    added = removed = 0
    seconds = 0.0
    if gone:
        real = [os.path.realpath(p) for p in gone]
        doomed = [r.doc_id for r in ingestor.store.doc_records().values()
                  if any(r.path == g or r.path.startswith(g + "/") for g in real) and not os.path.exists(r.path)]
        if doomed:
            report = ingestor.remove(doomed)
            outcomes += report.files
            removed, seconds = report.chunks_removed, report.seconds
    if touched:
        report = ingestor.ingest(list(touched))
        outcomes += report.files
        added, removed = report.chunks_added, removed + report.chunks_removed
        seconds += report.seconds
    return IngestReport(tuple(outcomes), added, removed, seconds)


def watch_folders(ingestor, roots: Sequence[str | os.PathLike[str]], *, debounce_ms: int = DEFAULT_DEBOUNCE_MS,
                  on_report: Callable[[IngestReport], None] | None = None, on_ready: Callable[[], None] | None = None,
                  stop: threading.Event | None = None) -> None:
    """Catch up once (ingest with sync), then apply each debounced batch of changes until `stop` is set."""
    import watchfiles

    folders = [os.path.abspath(os.fspath(r)) for r in roots]
    for folder in folders:
        if not os.path.isdir(folder):
            raise ConfigurationError(f"cannot watch {folder}: not a folder")
    batches = watchfiles.watch(*folders, debounce=debounce_ms, step=50, stop_event=stop, yield_on_timeout=True,
                               rust_timeout=500, raise_interrupt=False)
    caught_up = False
    for raw in batches:
        if not caught_up:
            # The watcher runs from the first yield on and queues what happens meanwhile, so catching up now
            # (ingest with sync) can miss nothing: a file changed during the catch-up is in the next batch.
            caught_up = True
            first = ingestor.ingest(folders, sync=True)
            if on_report:
                on_report(first)
            if on_ready:
                on_ready()
        touched, gone = _changes(raw, folders)
        if touched or gone:
            report = apply_changes(ingestor, touched, gone)
            if on_report and report.files:
                on_report(report)


__all__ = ["apply_changes", "watch_folders"]

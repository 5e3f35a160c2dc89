"""A files-and-chunks progress bar on a terminal, silent when disabled or piped (--json, scripts, tests)."""

from __future__ import annotations

import sys
from typing import Any

from qa.models import FileOutcome


class IngestProgress:
    """rich progress with one task for files and one for chunks; per-file messages are the caller's job
    (rich keeps the bar below whatever is printed to stdout or stderr meanwhile)."""

    def __init__(self, total_files: int, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._total = total_files
        self._progress: Any = None

    def __enter__(self) -> IngestProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._progress.start()
            self._files = self._progress.add_task("files ", total=self._total)
            self._chunks = self._progress.add_task("chunks", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance_file(self, outcome: FileOutcome | None) -> None:
        if self._progress is not None:
            self._progress.advance(self._files)

    def add_chunks(self, count: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._chunks, count)


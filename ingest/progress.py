"""A files-and-chunks progress bar on a terminal, silent when disabled (piped output, --json, tests)."""

from __future__ import annotations

import sys
from typing import Any

from qa.models import FileOutcome


class IngestProgress:
    """rich progress with one task for files and one for chunks; failures are printed as they happen."""

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
        if self._progress is None:
            return
        self._progress.advance(self._files)
        if outcome is not None and outcome.status == "failed":
            self._progress.console.print(f"[red]failed[/red] {_escape(outcome.source)}: {_escape(outcome.reason or '')}")

    def add_chunks(self, count: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._chunks, count)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)

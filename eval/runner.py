"""Runs a question set against a DocQA index: ingests the set's corpus if it has one, answers and scores every case."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.questions import Case, QuestionSet, load_question_set
from eval.scoring import RETRIEVAL_DEPTH, CaseResult, score_case, summarize
from qa.errors import ConfigurationError, DocQAError, IndexMismatchError, InvalidInputError, MissingExtraError
from qa.models import IngestReport

if TYPE_CHECKING:
    from qa.api import DocQA

FITZGOV = "fitz-gov"  # not a path: the benchmark shipped inside the fitz-gov package
# Errors that would repeat on every case: stop the run instead of scoring them case by case.
_FATAL = (ConfigurationError, MissingExtraError, IndexMismatchError)


@dataclass(frozen=True)
class EvalRun:
    """A finished evaluation: every case result and the summary `docqa eval --json` prints."""

    question_set: QuestionSet
    results: tuple[CaseResult, ...]
    summary: dict[str, Any]
    ingest: IngestReport | None = None
    out_dir: Path | None = None


def default_work_dir(docqa: DocQA, set_path: Path) -> Path:
    """Where a set's corpus is written: inside the index, one folder per set file."""
    digest = hashlib.sha1(str(set_path.resolve()).encode("utf-8")).hexdigest()[:8]
    name = FITZGOV if str(set_path) == FITZGOV else set_path.stem or set_path.name
    return Path(docqa.settings.index) / "eval-corpora" / f"{name}-{digest}"


def load_set(set_path: Path, work_dir: Path, *, split: str = "test", limit: int | None = None,
             max_docs: int | None = None) -> QuestionSet:
    """Load any supported set (JSONL, SQuAD, BEIR or `fitz-gov`), keeping the first `limit` cases."""
    for name, value in (("limit", limit), ("max_docs", max_docs)):
        if value is not None and value < 1:
            raise InvalidInputError(f"{name} must be at least 1, got {value}")
    if str(set_path) == FITZGOV and not set_path.exists():
        from eval.fitzgov import load_fitzgov

        return load_fitzgov(work_dir, limit_docs=max_docs, limit_queries=limit)
    if max_docs is not None:
        raise InvalidInputError("max_docs only applies to the fitz-gov set")
    question_set = load_question_set(set_path, work_dir, split=split)
    return replace(question_set, cases=question_set.cases[:limit]) if limit else question_set


def evaluate(docqa: DocQA, set_path: Path, *, generator: str | None = None, k: int | None = None,
             out: str | Path | None = None, limit: int | None = None, split: str = "test",
             work_dir: str | Path | None = None, ingest: Sequence[str | Path] = (), max_docs: int | None = None,
             progress: bool = False) -> EvalRun:
    """Answer every case of the set at `set_path` with `docqa`, score it, and write a report to `out` if given.

    `ingest` paths and the set's own corpus (SQuAD, BEIR, fitz-gov) are ingested first;
    unchanged files are skipped by their hash, so repeated runs cost little.
    """
    if k is not None and k < 1:
        raise InvalidInputError(f"k must be at least 1, got {k}")
    set_path = Path(set_path)
    question_set = load_set(set_path, Path(work_dir) if work_dir else default_work_dir(docqa, set_path),
                            split=split, limit=limit, max_docs=max_docs)
    report = _ingest(docqa, ingest, question_set.corpus_dir, progress)
    if not docqa.sources():
        raise DocQAError(f"the index {docqa.settings.index} (collection {docqa.settings.collection!r}) is empty: "
                         "ingest the documents the set asks about first (docqa ingest PATH, or --ingest PATH)")
    k_used = k or docqa.settings.top_k
    results: list[CaseResult] = []
    with EvalProgress(len(question_set.cases), progress) as bar:
        for case in question_set.cases:
            results.append(run_case(docqa, case, generator=generator, k=k_used))
            bar.advance(results[-1])
    summary = summarize(
        results, set=question_set.name, set_path=str(set_path), generator=generator or docqa.settings.generator,
        k=k_used, retrieval_depth=max(k_used, RETRIEVAL_DEPTH), index=str(docqa.settings.index),
        collection=docqa.settings.collection, ingest=_ingest_counts(report),
    )
    run = EvalRun(question_set, tuple(results), summary, report, Path(out) if out else None)
    if out:
        from eval.report import write_report

        write_report(run, Path(out))
    return run


def _ingest(docqa: DocQA, paths: Sequence[str | Path], corpus_dir: Path | None, progress: bool) -> IngestReport | None:
    reports = []
    if paths:
        reports.append(docqa.ingest(list(paths), progress=progress))
    if corpus_dir is not None:
        # sync: documents the set no longer has (another limit, an edited set) leave the index too.
        reports.append(docqa.ingest([corpus_dir], sync=True, progress=progress))
    if not reports:
        return None
    return IngestReport(tuple(f for r in reports for f in r.files), sum(r.chunks_added for r in reports),
                        sum(r.chunks_removed for r in reports), sum(r.seconds for r in reports))


def _ingest_counts(report: IngestReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    counts = report.to_dict()
    counts.pop("files")
    return counts


def run_case(docqa: DocQA, case: Case, *, generator: str | None, k: int) -> CaseResult:
    """Ask one case (with its history) and score it; an error becomes a failed case, not a crashed run."""
    history = list(case.history)
    try:
        answer = docqa.ask(case.question, history, k=k, generator=generator)
        answer_sources = [p.source for p in answer.passages]
        ranked = answer_sources
        if case.sources and k < RETRIEVAL_DEPTH:
            # The answerer sees k passages; hit@10 and nDCG@10 need a deeper ranking of the same query.
            ranked = [p.source for p in docqa.retrieve(case.question, history, k=RETRIEVAL_DEPTH)]
    except _FATAL:
        raise
    except Exception as error:  # noqa: BLE001 — one bad case must not end the run
        return score_case(case, answer="", abstained=False, citations=(), answer_sources=(), ranked_sources=(),
                          error=f"{type(error).__name__}: {error}", generator=generator or docqa.settings.generator)
    return score_case(
        case, answer=answer.answer, abstained=answer.abstained, citations=[c.to_dict() for c in answer.citations],
        answer_sources=answer_sources, ranked_sources=ranked, timings_ms=answer.timings_ms, generator=answer.generator,
        confidence=answer.confidence, flags=answer.flags, short_answer=answer.short_answer,
        query=answer.query,
    )


class EvalProgress:
    """A rich progress bar over the cases, with the running pass count; on stderr, and only on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._total = total
        self._passed = 0
        self._done = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> EvalProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("eval"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[passed]}"),
                TimeElapsedColumn(), console=Console(stderr=True), transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("eval", total=self._total, passed="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, result: CaseResult) -> None:
        self._done += 1
        self._passed += result.passed
        if self._progress is not None:
            self._progress.update(self._task, advance=1, passed=f"passed {self._passed}/{self._done}")

"""Pure text formatting of answers, reports and source lists for the terminal (no Gradio, no I/O)."""

from __future__ import annotations

from typing import Sequence

from qa.models import Answer, IngestReport, SourceInfo


def answer_text(answer: Answer, *, show_passages: bool = False) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            page = f", page {c.page}" if c.page is not None else ""
            lines.append(f"[{c.n}] {c.source}{page} [{c.start}:{c.end}]: \u201c{_clip(c.text, 240)}\u201d")
    elif answer.abstained and answer.passages:
        lines.append("")
        lines.append("Closest passages:")
        for p in answer.passages[:3]:
            lines.append(f"- {p.source} [{p.start}:{p.end}]: {_clip(p.text, 160)}")
    if show_passages and answer.passages:
        lines.append("")
        for i, p in enumerate(answer.passages, 1):
            lines.append(f"({i}) {p.score:.4f} {p.source} [{p.start}:{p.end}] {_clip(p.text, 160)}")
    return "\n".join(lines)


def ingest_summary(report: IngestReport) -> str:
    head = (
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed, {report.failed} failed, {report.skipped} skipped; "
        f"{report.chunks_added} chunks written in {report.seconds:.1f} s ({report.chunks_per_second:.1f} chunks/s)"
    )
    problems = [f"  {f.status}: {f.source}: {f.reason}" for f in report.files if f.status in ("failed", "skipped")]
    return "\n".join([*problems, head])


def sources_table(sources: Sequence[SourceInfo]) -> str:
    if not sources:
        return "No documents ingested yet (try `docqa ingest PATH`)."
    width = max(len(s.source) for s in sources)
    rows = [f"{'source'.ljust(width)}  {'kind':5} {'chunks':>6}  sha256"]
    rows += [f"{s.source.ljust(width)}  {s.kind:5} {s.chunks:>6}  {s.sha256[:12]}" for s in sources]
    return "\n".join(rows)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"

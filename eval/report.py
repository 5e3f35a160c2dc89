"""Writes an evaluation report (results.jsonl, summary.json, report.md, PNG plots) and the terminal summary.

Plots use matplotlib's object API (Figure, rendered by Agg), never pyplot's global state, so
they work headless and in a process that also serves a UI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.scoring import SUPPORT_THRESHOLD, CaseResult

if TYPE_CHECKING:
    from eval.runner import EvalRun

# (summary key, label) in the order tables show them.
OVERALL_METRICS = (
    ("pass_rate", "cases passed"),
    ("answer_contains", "answer contains gold"),
    ("exact_match", "exact match"),
    ("f1", "token F1"),
    ("contains_when_answered", "contains gold, when answered"),
    ("abstain_precision", "abstention precision"),
    ("abstain_recall", "abstention recall"),
    ("wrong_answer_rate", "wrong answers where it should abstain"),
    ("over_abstention", "abstained on answerable"),
    ("hit_at_1", "hit@1"),
    ("hit_at_5", "hit@5"),
    ("hit_at_10", "hit@10"),
    ("mrr", "MRR"),
    ("ndcg_at_10", "nDCG@10"),
    ("citation_precision", "cited span contains gold"),
    ("citation_support", f"citations with support >= {SUPPORT_THRESHOLD}"),
)
CATEGORY_COLUMNS = (
    ("pass_rate", "pass"), ("answer_contains", "contains"), ("f1", "F1"), ("abstain_recall", "abst. recall"),
    ("over_abstention", "over-abst."), ("hit_at_5", "hit@5"), ("mrr", "MRR"), ("citation_precision", "cite prec."),
    ("latency_p50_ms", "p50 ms"),
)
PLOTTED_METRICS = ("pass_rate", "answer_contains", "f1", "abstain_recall", "hit_at_5", "citation_precision")
FAILURES_LISTED = 30


def _cell(value: Any, *, ms: bool = False) -> str:
    if value is None:
        return "–"
    if ms:
        return f"{value:.0f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as aligned plain-text lines for the terminal."""
    head = (f"{summary.get('set')}: {summary['n']} cases ({summary['answerable']} answerable, "
            f"{summary['unanswerable']} unanswerable, {summary.get('retrieval_only', 0)} retrieval-only), "
            f"generator {summary.get('generator')}, k={summary.get('k')}")
    width = max(len(label) for _, label in OVERALL_METRICS)
    lines = [head, *(f"  {label:<{width}}  {_cell(summary.get(key))}" for key, label in OVERALL_METRICS)]
    lines.append(f"  {'latency p50 / p95 (ms)':<{width}}  {_cell(summary['latency_p50_ms'], ms=True)} / "
                 f"{_cell(summary['latency_p95_ms'], ms=True)}")
    if summary.get("errors"):
        lines.append(f"  {'cases that raised an error':<{width}}  {summary['errors']}")
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows)]


def _md(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def report_markdown(summary: dict[str, Any], results: Sequence[CaseResult], plots: Sequence[str]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# docqa eval: {summary.get('set')}", "",
             f"{summary['n']} cases ({summary['answerable']} answerable, {summary['unanswerable']} unanswerable, "
             f"{summary.get('retrieval_only', 0)} retrieval-only); generator `{summary.get('generator')}`, "
             f"k={summary.get('k')}; index `{summary.get('index')}`; {when}.", "", "## Overall", ""]
    rows = [[label, _cell(summary.get(key))] for key, label in OVERALL_METRICS]
    rows.append(["latency p50 / p95 (ms)",
                 f"{_cell(summary['latency_p50_ms'], ms=True)} / {_cell(summary['latency_p95_ms'], ms=True)}"])
    lines += _table(["metric", "value"], rows)
    lines += ["", "## By category", ""]
    lines += _table(["category", "n", *(label for _, label in CATEGORY_COLUMNS)],
                    [[name, str(group["n"]), *(_cell(group.get(key), ms=key.endswith("_ms")) for key, _ in CATEGORY_COLUMNS)]
                     for name, group in summary["by_category"].items()])
    lines += ["", "## Latency by stage (ms)", ""]
    lines += _table(["stage", "p50", "p95", "n"],
                    [[stage, _cell(v["p50"], ms=True), _cell(v["p95"], ms=True), str(v["n"])]
                     for stage, v in summary["latency_ms"].items()])
    lines += [""] + [f"![{name}]({name})" for name in plots]
    if summary.get("flags"):
        lines += ["", "## Answerer flags (cases)", ""]
        lines += _table(["flag", "cases"], [[flag, str(count)] for flag, count in summary["flags"].items()])
    failed = [r for r in results if not r.passed]
    lines += ["", f"## Failures ({len(failed)} of {len(results)} cases)", ""]
    if summary["failures"]:
        lines += _table(["reason", "cases"], [[reason, str(count)] for reason, count in summary["failures"].items()])
        lines += ["", f"First {min(len(failed), FAILURES_LISTED)} failed cases (all are in results.jsonl):", ""]
        lines += _table(["id", "reasons", "question", "answer"],
                        [[r.case.id, _md("; ".join(r.failures)), _md(_asked(r)), _md(r.answer)]
                         for r in failed[:FAILURES_LISTED]])
    return "\n".join(lines) + "\n"


def _asked(result: CaseResult) -> str:
    """The question, and the standalone query it became when a follow-up was rewritten."""
    query = result.query
    return result.case.question if not query or query == result.case.question else f"{result.case.question} → {query}"


def plot_metrics_by_category(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars: one group per category (and overall), one bar per metric that applies there."""
    from matplotlib.figure import Figure

    groups = {"overall": summary, **summary["by_category"]}
    figure = Figure(figsize=(max(6.0, 1.4 * len(groups) + 2), 4.8), layout="constrained")
    axes = figure.subplots()
    width = 0.8 / len(PLOTTED_METRICS)
    for index, metric in enumerate(PLOTTED_METRICS):
        values = [group.get(metric) for group in groups.values()]
        positions = [g + (index - (len(PLOTTED_METRICS) - 1) / 2) * width for g in range(len(groups))]
        # A metric that does not apply to a group gets no bar, rather than a misleading zero.
        axes.bar([p for p, v in zip(positions, values) if v is not None], [v for v in values if v is not None],
                 width, label=metric)
    axes.set_xticks(range(len(groups)), [f"{name}\n(n={group['n']})" for name, group in groups.items()], fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("score")
    axes.set_title(f"{summary.get('set')} — {summary.get('generator')}, k={summary.get('k')}")
    figure.legend(fontsize=7, ncols=len(PLOTTED_METRICS), loc="outside lower center")
    figure.savefig(path, dpi=110)


def plot_latency(results: Sequence[CaseResult], path: Path) -> None:
    """Histogram of total latency per case, with retrieval and answering separately, p50/p95 marked."""
    from matplotlib.figure import Figure

    from eval.metrics import percentile

    figure = Figure(figsize=(7, 4))
    axes = figure.subplots()
    total = [r.timings_ms["total"] for r in results if "total" in r.timings_ms]
    # Shared bin edges, so the stages' bars are comparable.
    top = max(total, default=0.0) or 1.0
    edges = [top * i / 30 for i in range(31)]
    for stage in ("total", "retrieve", "answer"):
        values = [r.timings_ms[stage] for r in results if stage in r.timings_ms]
        if values:
            axes.hist(values, bins=edges, alpha=0.5, label=stage)
    for q, style in ((50, "--"), (95, ":")):
        value = percentile(total, q)
        if value is not None:
            axes.axvline(value, color="black", linestyle=style, linewidth=1, label=f"total p{q} = {value:.0f} ms")
    axes.set_xlabel("milliseconds per case")
    axes.set_ylabel("cases")
    axes.set_title("latency per case" if total else "latency per case: no case finished")
    if total:
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def write_report(run: EvalRun, out_dir: Path) -> Path:
    """Write results.jsonl, summary.json, the two plots and report.md into out_dir; returns report.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as handle:
        for result in run.results:
            handle.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    (out_dir / "summary.json").write_text(json.dumps(run.summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    plots = ["metrics_by_category.png", "latency.png"]
    plot_metrics_by_category(run.summary, out_dir / plots[0])
    plot_latency(run.results, out_dir / plots[1])
    report = out_dir / "report.md"
    report.write_text(report_markdown(run.summary, run.results, plots), "utf-8")
    return report

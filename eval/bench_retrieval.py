"""Retrieval quality benchmark: dense, lexical, hybrid and hybrid+diversity on fitz-gov and docqa's seed set.

    python -m eval.bench_retrieval [--work DIR] [--out FILE] [--skip-seeds] [--skip-fitzgov]
    python -m eval.bench_retrieval --family [--fitz-docs 1200] [--fitz-queries 360] [--latency-chunks 10000]

`--family` runs eval/bench_family.py instead: every embedder x {dense, hybrid, hybrid+rerank,
hybrid+rerank+multihop}, ingest speed against raw fp32 MiniLM encode, and latency with reranking on/off.

fitz-gov (PyPI ``fitz-gov``): its ~5,000 documents are ingested once into WORK (re-runs reuse the
index), its queries with relevant documents are split by a hash of their id into dev (1 in 5) and
test. Fusion knobs (rrf_k, lexical weight, candidates per retriever, MMR lambda) are tuned on dev
from cached candidate lists; the reported numbers are `HybridRetriever.retrieve(mode=...)` on test,
document-level as in BEIR: recall@5, recall@10, hit@5, MRR@10 and nDCG@10.

docqa's seed set (eval/sets/seeds.jsonl): for each answerable case (follow-ups rewritten with the
heuristic, as `docqa ask` does), whether a retrieved passage contains a gold answer, at 1, 3 and 5.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from eval.metrics import average, contains_gold, doc_scores, is_dev, mean, ndcg_at_k, percentile
from eval.questions import Case, load_question_set
from qa.api import DocQA
from qa.models import Chunk
from qa.retrieval import MODES, NEAR_DUPLICATE, HybridRetriever, _shingles, diversify, reciprocal_rank_fusion

ROOT = Path(__file__).resolve().parent.parent
MODE_LABELS = {"dense": "dense only", "lexical": "lexical (BM25) only", "hybrid-nodiv": "hybrid (RRF)",
               "hybrid": "hybrid + diversity (MMR)"}
POOL = 100  # candidates cached per retriever for tuning
GRID_RRF_K = (2, 5, 10, 20, 40, 60, 100)
GRID_LEXICAL_WEIGHT = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
GRID_CANDIDATES = (10, 20, 30, 50, 100)
GRID_MMR_LAMBDA = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)


class CopyAware:
    """Maps a retrieved source to the gold document it is a copy of (one text contains the other)."""

    def __init__(self, corpus_dir: Path) -> None:
        self._corpus = corpus_dir
        self._shingles: dict[str, frozenset[str]] = {}

    def _of(self, name: str) -> frozenset[str]:
        if name not in self._shingles:
            path = self._corpus / name
            text = path.read_text("utf-8") if path.is_file() else ""
            body = text.split("\n\n", 1)[-1]  # the title line differs between copies
            self._shingles[name] = _shingles(body)
        return self._shingles[name]

    def relabel(self, ranked_sources: Sequence[str], gold: Sequence[str]) -> list[str]:
        out = []
        for source in ranked_sources:
            name = Path(source).name
            mine = self._of(name)
            twin = next((g for g in gold if g == name or _contains(mine, self._of(g))), name)
            out.append(twin)
        return out


def _contains(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= NEAR_DUPLICATE


@dataclass(frozen=True)
class Pools:
    """Per case: the dense and lexical candidate lists, long enough for any grid point."""

    dense: list[list[tuple[Chunk, float]]]
    lexical: list[list[tuple[Chunk, float]]]


def candidate_pools(docqa: DocQA, questions: list[str]) -> Pools:
    retriever = docqa.retriever
    vectors = docqa.embedder.embed_documents(questions)
    dense = [retriever.store.query(v, POOL) for v in vectors]
    lexical = [retriever.lexical.search(q, POOL) for q in questions]
    return Pools(dense, lexical)


def fused_sources(pools: Pools, i: int, *, rrf_k: int, lexical_weight: float, candidates: int,
                  mmr_lambda: float | None, k: int = 10) -> list[str]:
    fused = reciprocal_rank_fusion(pools.dense[i][:candidates], pools.lexical[i][:candidates], k=rrf_k,
                                   lexical_weight=lexical_weight)
    chosen = diversify(fused, k, mmr_lambda) if mmr_lambda is not None else fused[:k]
    return [c.chunk.source for c in chosen]


def tune(pools: Pools, golds: list[tuple[str, ...]], copies: CopyAware, log: Callable[[str], None]) -> dict[str, float]:
    """Grid search on dev: fusion knobs by nDCG@10 without diversity, then the MMR lambda on top
    (by copy-aware nDCG@10: returning one copy of the gold instead of another is no loss)."""
    def objective(**knobs) -> float:
        return mean(ndcg_at_k(fused_sources(pools, i, **knobs), g, 10) for i, g in enumerate(golds))

    def copy_aware(**knobs) -> float:
        return mean(ndcg_at_k(copies.relabel(fused_sources(pools, i, **knobs), g), g, 10) for i, g in enumerate(golds))

    best, best_score = None, -1.0
    for rrf_k, weight, candidates in itertools.product(GRID_RRF_K, GRID_LEXICAL_WEIGHT, GRID_CANDIDATES):
        score = objective(rrf_k=rrf_k, lexical_weight=weight, candidates=candidates, mmr_lambda=None)
        if score > best_score + 1e-9:
            best, best_score = {"rrf_k": rrf_k, "lexical_weight": weight, "candidates": candidates}, score
    log(f"  dev nDCG@10 {best_score:.4f} with {best}")
    lam_scores = {lam: copy_aware(**best, mmr_lambda=lam) for lam in GRID_MMR_LAMBDA}
    log("  dev copy-aware nDCG@10 by mmr_lambda: " + ", ".join(f"{lam}: {s:.4f}" for lam, s in lam_scores.items()))
    best_lambda = max(lam_scores, key=lambda lam: (round(lam_scores[lam], 4), -lam))  # ties: more diversity
    return {**best, "mmr_lambda": best_lambda}


def run_modes(retriever: HybridRetriever, cases: list[Case], copies: CopyAware,
              k: int = 10) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    strict: dict[str, dict[str, float]] = {}
    aware: dict[str, dict[str, float]] = {}
    for mode in ("dense", "lexical", "hybrid-nodiv", "hybrid"):
        rows, aware_rows, latencies = [], [], []
        for case in cases:
            passages = retriever.retrieve(case.question, k=k, mode=mode)
            sources = [p.source for p in passages]
            latencies.append(passages.timings_ms["retrieve"])
            rows.append(doc_scores(sources, case.sources))
            aware_rows.append(doc_scores(copies.relabel(sources, case.sources), case.sources))
        strict[mode] = {**average(rows), "p50 ms": percentile(latencies, 50)}
        aware[mode] = average(aware_rows)
    return strict, aware


def fitzgov_bench(work: Path, log: Callable[[str], None]) -> tuple[str, dict]:
    from eval.fitzgov import load_fitzgov

    question_set = load_fitzgov(work / "fitzgov")
    docqa = DocQA.open(index=work / "fitzgov" / "index", collection="fitzgov")
    started = time.perf_counter()
    report = docqa.ingest([str(question_set.corpus_dir)])
    chunks = docqa.store.count()
    log(f"fitz-gov: {len(report.files)} files ({report.added} new) in {time.perf_counter() - started:.0f}s; {chunks} chunks")
    cases = [c for c in question_set.cases if c.sources]
    dev, test = [c for c in cases if is_dev(c)], [c for c in cases if not is_dev(c)]
    log(f"  {len(cases)} queries with relevant documents: dev {len(dev)}, test {len(test)}")
    copies = CopyAware(question_set.corpus_dir)
    pools = candidate_pools(docqa, [c.question for c in dev])
    tuned = tune(pools, [c.sources for c in dev], copies, log)
    settings = docqa.settings.with_overrides(**tuned)
    retriever = HybridRetriever(settings, docqa.embedder, docqa.store, docqa.lexical)
    strict, aware = run_modes(retriever, test, copies)
    # The untuned textbook setting (RRF k=60, equal weights, 30 candidates), from cached lists, for comparison.
    test_pools = candidate_pools(docqa, [c.question for c in test])
    textbook = average([
        doc_scores(fused_sources(test_pools, i, rrf_k=60, lexical_weight=1.0, candidates=30, mmr_lambda=None), c.sources)
        for i, c in enumerate(test)
    ])
    docqa.close()
    columns = ["recall@5", "recall@10", "hit@5", "mrr@10", "ndcg@10"]
    lines = [
        f"fitz-gov 4.1.0: {len(test)} test queries ({len(dev)} dev queries used for tuning only), "
        f"{docqa_documents(report)} documents, {chunks} chunks; document-level metrics over the top-10 chunks.",
        "", "Tuned on dev: " + ", ".join(f"{k}={v}" for k, v in tuned.items()), "",
        "Strict document ids:", "", table(strict, columns + ["p50 ms"]), "",
        "Copy-aware (a verbatim copy of a gold document counts as it):", "", table(aware, columns), "",
        "Untuned RRF (k=60, equal weights, 30 candidates), strict ids: "
        + ", ".join(f"{c} {textbook[c]:.3f}" for c in columns),
    ]
    return "\n".join(lines), {"tuned": tuned, "strict": strict, "copy_aware": aware, "textbook": textbook}


def docqa_documents(report) -> int:
    return report.unchanged + report.added + report.updated


def seeds_bench(work: Path, log: Callable[[str], None], knobs: dict | None = None) -> str:
    question_set = load_question_set(ROOT / "eval" / "sets" / "seeds.jsonl")
    cases = [c for c in question_set.cases if c.answers]
    cwd = os.getcwd()
    os.chdir(ROOT)  # sources as `seeds/...`, like the README's quick start
    try:
        docqa = DocQA.open(index=work / "seeds-index", collection="seeds", rewrite="heuristic", **(knobs or {}))
        docqa.ingest(["seeds"])
    finally:
        os.chdir(cwd)
    results: dict[str, dict[str, float]] = {}
    for mode in ("dense", "lexical", "hybrid-nodiv", "hybrid"):
        hits = {1: [], 3: [], 5: []}
        for case in cases:
            query = docqa.standalone_query(case.question, list(case.history))
            texts = [p.text for p in docqa.retriever.retrieve(query, k=5, mode=mode)]
            for k in hits:
                hits[k].append(any(contains_gold(t, case.answers) for t in texts[:k]))
        results[mode] = {f"hit@{k}": mean(v) for k, v in hits.items()}
    docqa.close()
    log(f"seeds: {len(cases)} answerable cases")
    settings = ", ".join(f"{k}={v}" for k, v in (knobs or {}).items()) or "defaults"
    return (f"docqa seed set, {len(cases)} answerable cases (incl. multi-turn, rewritten heuristically), settings: "
            f"{settings}: share of cases whose gold answer is in a retrieved passage\n\n"
            + table(results, ["hit@1", "hit@3", "hit@5"]))


def table(results: dict[str, dict[str, float]], columns: list[str]) -> str:
    head = "| retriever | " + " | ".join(columns) + " |"
    rule = "|---|" + "---:|" * len(columns)
    rows = [
        f"| {MODE_LABELS[mode]} | " + " | ".join(_fmt(values.get(c)) for c in columns) + " |"
        for mode, values in results.items()
    ]
    return "\n".join([head, rule, *rows])


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if value > 1.5 else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "docqa-bench-retrieval",
                        help="Folder for the benchmark corpora and indexes (reused between runs).")
    parser.add_argument("--out", type=Path, help="Also write the Markdown tables to this file.")
    parser.add_argument("--skip-fitzgov", action="store_true")
    parser.add_argument("--skip-seeds", action="store_true")
    parser.add_argument("--family", action="store_true", help="Instead: every embedder x {dense, hybrid, +rerank, "
                        "+multi-hop} on a fitz-gov subsample and the multi-hop set, ingest speed and latency.")
    parser.add_argument("--fitz-docs", type=int, default=1200, help="--family: fitz-gov documents (a subsample).")
    parser.add_argument("--fitz-queries", type=int, default=360, help="--family: fitz-gov queries considered.")
    parser.add_argument("--latency-chunks", type=int, default=10_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    assert set(MODE_LABELS) == set(MODES)
    if args.family:
        from eval.bench_family import run

        output = run(args.work, log, args.fitz_docs, args.fitz_queries, args.latency_chunks)
        print(output)
        if args.out:
            args.out.write_text(output, "utf-8")
        return 0
    parts = []
    knobs = None
    if not args.skip_fitzgov:
        text, numbers = fitzgov_bench(args.work, log)
        parts.append(text)
        knobs = numbers["tuned"]
    if not args.skip_seeds:
        parts.append(seeds_bench(args.work, log, knobs))
    output = "\n\n".join(parts) + "\n"
    print(output)
    if args.out:
        args.out.write_text(output, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

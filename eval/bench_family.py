"""Embedders x pipelines (dense, hybrid, +rerank, +multi-hop) on fitz-gov and the multi-hop set, with ingest and latency.

Run through `python -m eval.bench_retrieval --family`. Every knob (rerank depth N, the second hop's cross-encoder margin, whether
reranking and multi-hop are worth keeping) is chosen on the dev splits; the tables report the test splits.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np

from eval.metrics import average, doc_scores, is_dev
from eval.metrics import mean, percentile
from eval.questions import Case, load_question_set
from qa.api import DocQA
from qa.retrieval import HybridRetriever

ROOT = Path(__file__).resolve().parent.parent
EMBEDDERS = ("minilm", "minilm-int8", "bge-small")  # the registry's (qa/registry.py), in the order the tables print them
CONFIGS = ("dense", "hybrid", "hybrid+rerank", "hybrid+rerank+multihop")
N_GRID = (5, 10, 20)
MARGIN_GRID = (-1.0, 0.0, 1.0, 2.0)
COLUMNS = ["recall@5", "recall@10", "ndcg@10"]
Log = Callable[[str], None]


class CachedReranker:
    """The packaged cross-encoder with a memo: configurations that rerank the same pairs pay once."""

    def __init__(self) -> None:
        from qa.onnx_models import packaged_cross_encoder

        self.model = packaged_cross_encoder()
        self._memo: dict[tuple[str, str], float] = {}

    def score(self, query: str, texts):
        missing = list(dict.fromkeys(t for t in texts if (query, t) not in self._memo))
        if missing:
            for text, value in zip(missing, self.model.score(query, missing)):
                self._memo[(query, text)] = float(value)
        return [self._memo[(query, t)] for t in texts]


def _sets(work: Path, fitz_docs: int, fitz_queries: int) -> dict[str, dict]:
    from eval.fitzgov import load_fitzgov

    fitz = load_fitzgov(work / "fitzgov-sub", limit_docs=fitz_docs, limit_queries=fitz_queries)
    fitz_cases = [c for c in fitz.cases if c.sources]
    sets_dir = ROOT / "eval" / "sets"
    return {
        "fitz-gov": {"corpus": fitz.corpus_dir, "dev": [c for c in fitz_cases if is_dev(c)],
                     "test": [c for c in fitz_cases if not is_dev(c)]},
        "multi-hop": {"corpus": sets_dir / "multihop_corpus",
                      "dev": list(load_question_set(sets_dir / "multihop_dev.jsonl").cases),
                      "test": list(load_question_set(sets_dir / "multihop_test.jsonl").cases)},
    }


def _retriever(docqa: DocQA, reranker, **knobs) -> HybridRetriever:
    return HybridRetriever(docqa.settings.with_overrides(**knobs), docqa.embedder, docqa.store, docqa.lexical, reranker)


def evaluate(retriever: HybridRetriever, cases: list[Case], config: str) -> dict[str, float]:
    rows = []
    for case in cases:
        passages = retriever.retrieve(case.question, k=10, mode="dense" if config == "dense" else "hybrid",
                                      rerank="rerank" in config, multihop="multihop" in config)
        rows.append(doc_scores([Path(p.source).name for p in passages], case.sources))
    return average(rows)


def tune(indexes: dict[str, DocQA], sets: dict[str, dict], reranker, log: Log) -> dict:
    """On dev only: N by recall@5 (smallest within 0.005 of the best), then the second hop's cross-encoder margin
    (ties: the larger margin, which displaces fewer first-round passages)."""
    def dev_recall(config: str, **knobs) -> float:
        return mean(evaluate(_retriever(indexes[name], reranker, **knobs), s["dev"], config)["recall@5"]
                    for name, s in sets.items())

    base = dev_recall("hybrid")
    by_n = {n: dev_recall("hybrid+rerank", rerank_candidates=n) for n in N_GRID}
    best = max(by_n.values())
    n = min(k for k, v in by_n.items() if v >= best - 0.005)
    by_margin = {m: dev_recall("hybrid+rerank+multihop", rerank_candidates=n, multihop_margin=m) for m in MARGIN_GRID}
    margin = max(by_margin, key=lambda key: (round(by_margin[key], 4), key))
    log(f"  dev recall@5 (mean of the two sets): hybrid {base:.3f}; rerank by N {by_n}; multihop by margin {by_margin}")
    return {"base": base, "by_n": by_n, "n": n, "by_margin": by_margin, "margin": margin}


def rerank_latency(docqa: DocQA, cases: list[Case], log: Log) -> dict[int, float]:
    """Cross-encoder wall time per query for each N, uncached, on dev questions' own candidates."""
    from qa.onnx_models import packaged_cross_encoder

    model = packaged_cross_encoder()
    heads = [[p.text for p in docqa.retriever.retrieve(c.question, k=max(N_GRID), mode="hybrid-nodiv", rerank=False)]
             for c in cases]
    model.score("warm up", heads[0][:2])
    out = {}
    for n in N_GRID:
        times = []
        for case, texts in zip(cases, heads):
            t = time.perf_counter()
            model.score(case.question, texts[:n])
            times.append((time.perf_counter() - t) * 1000)
        out[n] = percentile(times, 50)
    log(f"  rerank p50 ms by N: {out}")
    return out


def ingest_all(name: str, work: Path, sets: dict[str, dict], log: Log) -> tuple[dict[str, DocQA], dict]:
    from qa.embedding import make_embedder
    from qa.settings import Settings

    embedder = make_embedder(Settings(embedder=name))
    indexes, chunks, seconds = {}, 0, 0.0
    for set_name, s in sets.items():
        index = work / f"index-{name}"
        docqa = DocQA(Settings(index=index, collection=set_name.replace("-", ""), embedder=name), embedder=embedder)
        started = time.perf_counter()
        report = docqa.ingest([str(s["corpus"])])
        if report.added:  # a re-run reuses the index: only a fresh ingest is timed
            seconds += time.perf_counter() - started
            chunks += docqa.store.count()
        indexes[set_name] = docqa
    log(f"{name}: ingested {chunks} chunks in {seconds:.1f}s")
    return indexes, {"chunks": chunks, "seconds": seconds, "chunks_per_s": chunks / seconds if seconds else None}


def encode_throughput(texts: list[str], embedders: dict[str, object], log: Log, rounds: int = 2) -> dict[str, dict]:
    """Chunks/s of raw fp32 SentenceTransformer.encode (MiniLM) and of each embedder on the same texts,
    interleaved round by round so that load from other processes hits all of them alike; best round kept."""
    from sentence_transformers import SentenceTransformer

    from qa.embedding import default_model_path

    raw = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)
    runners = {"raw fp32 SentenceTransformer.encode (MiniLM)": lambda: raw.encode(texts, show_progress_bar=False),
               **{name: (lambda e=e: e.embed_documents(texts)) for name, e in embedders.items()}}
    best: dict[str, dict] = {}
    for _ in range(rounds):
        for name, run in runners.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            current = best.setdefault(name, {"wall_s": wall, "cpu_s": cpu})
            current["wall_s"], current["cpu_s"] = min(current["wall_s"], wall), min(current["cpu_s"], cpu)
    for name, row in best.items():
        row["chunks_per_s"] = len(texts) / row["wall_s"]
        log(f"  encode {name}: {row['chunks_per_s']:.1f} chunks/s (cpu {row['cpu_s']:.1f}s)")
    return best


def latency(name: str, embedder, work: Path, size: int, queries: int, knobs: dict, log: Log) -> dict[str, dict]:
    """p50/p95 of HybridRetriever.retrieve over `size` synthetic chunks: rerank off, on, on + multi-hop."""
    from eval.bench_latency import build, make_queries
    from qa.settings import Settings

    index = work / f"latency-{name}-{size}"
    shutil.rmtree(index, ignore_errors=True)
    docqa = DocQA(Settings(index=index, collection=f"lat{size}", embedder=name), embedder=embedder)
    rng = np.random.default_rng(size)
    build(docqa, size, rng)
    qs = make_queries(docqa, queries + 5, rng)
    reranker = CachedReranker().model  # uncached: latency is what a user waits
    retriever = _retriever(docqa, reranker, rerank_candidates=knobs["n"], multihop_margin=knobs["margin"])
    out = {}
    for label, rerank, multihop in (("rerank off", False, False), ("rerank on", True, False),
                                    ("rerank + multi-hop", True, True)):
        for q in qs[:5]:
            retriever.retrieve(q, rerank=rerank, multihop=multihop)
        times = []
        for q in qs[5:]:
            times.append(retriever.retrieve(q, rerank=rerank, multihop=multihop).timings_ms["retrieve"])
        out[label] = {"p50": percentile(times, 50), "p95": percentile(times, 95)}
    log(f"  latency {name} @ {size}: {out}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    docqa.close()
    shutil.rmtree(index, ignore_errors=True)
    return out


def run(work: Path, log: Log, fitz_docs: int = 1200, fitz_queries: int = 360, latency_chunks: int = 10_000,
        latency_queries: int = 15) -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work.mkdir(parents=True, exist_ok=True)
    sets = _sets(work, fitz_docs, fitz_queries)
    log("sets: " + ", ".join(f"{k} dev {len(v['dev'])} / test {len(v['test'])}" for k, v in sets.items()))
    reranker = CachedReranker()
    quality, ingest, tuned, lat, rerank_ms = {}, {}, {}, {}, None
    embedders, texts = {}, None
    for name in EMBEDDERS:
        indexes, ingest[name] = ingest_all(name, work, sets, log)
        embedders[name] = indexes["fitz-gov"].embedder
        tuned[name] = tune(indexes, sets, reranker, log)
        if rerank_ms is None:
            rerank_ms = rerank_latency(indexes["fitz-gov"], sets["fitz-gov"]["dev"][:10], log)
        knobs = {"rerank_candidates": tuned[name]["n"], "multihop_margin": tuned[name]["margin"]}
        quality[name] = {
            set_name: {config: evaluate(_retriever(indexes[set_name], reranker, **knobs), s["test"], config)
                       for config in CONFIGS}
            for set_name, s in sets.items()
        }
        log(f"  test: {quality[name]}")
        lat[name] = latency(name, embedders[name], work, latency_chunks, latency_queries, tuned[name], log)
        if texts is None:  # the same chunk texts for every encoder
            texts = [c.text for c in indexes["fitz-gov"].store.get_chunks()][:400]
        for docqa in indexes.values():
            docqa.close()
    speed = encode_throughput(texts, embedders, log)
    from eval.bench_family_report import report

    return report(sets, quality, ingest, tuned, lat, rerank_ms, speed, fitz_docs, latency_chunks, latency_queries)

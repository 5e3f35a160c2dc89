"""Retrieval latency benchmark: p50/p95 of `retrieve()` at 1k, 10k and 100k chunks, rerank off/on, with peak RSS and a cost split.

    python -m eval.bench_latency [--sizes 1000 10000 100000] [--queries 200] [--work DIR] [--out FILE]

Each size runs in its own process (so its peak RSS is its own) on a fresh embedded Chroma index.
The corpus is synthetic, built fast: chunk texts are drawn from the embedding model's own English
vocabulary with Zipf word frequencies, and their vectors are random unit vectors written straight
into the store (embedding 100k chunks would take an hour and tells nothing about search latency).
Commit records and the generation marker are written as ingest writes them, and the lexical index
is built by its normal `sync` from Chroma, so that path is measured too. Queries are real: 4-8
words from a random chunk, embedded with the real model on every call. Each size measures, in one
process over the same queries and index, three pipelines side by side: hybrid with diversity and the
cross-encoder off (`--no-rerank`), with it on (N = `rerank_candidates`) but no second hop
(`--no-multihop`), and with both (the default). Reported: p50/p95 of the whole `retrieve()` and the p50 of each stage, the
ratio of each p50 to its target (<= 60 ms off, <= 300 ms on), the process's peak RSS (target <= 2 GB
at 100k), and the machine's load average (the machine is shared: numbers are noisy when it is busy).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIM_WORDS = (90, 130)  # words per synthetic chunk: about the 160 tokens docqa's chunker aims for
CHUNKS_PER_DOC = 20
STAGES = ("embed", "dense", "lexical", "fusion", "rerank", "multihop", "diversity", "vectors", "sync")
# label -> (rerank, multihop, p50 target in ms or None)
PIPELINES = {"rerank off": (False, False, 60.0), "rerank on": (True, False, 300.0),
             "rerank + multi-hop": (True, True, None)}


def vocabulary(embedder) -> list[str]:
    """Whole English words of the model's WordPiece vocabulary, roughly in frequency order."""
    model = getattr(embedder, "loaded", embedder)
    # sentence-transformers models keep a HF tokenizer; the ONNX embedders hold a tokenizers.Tokenizer.
    tokenizer = model._model.tokenizer if hasattr(model, "_model") else model._tokenizer
    by_id = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    return [w for w, _ in by_id if w.isalpha() and w.isascii() and len(w) > 1][:20000]


def synthetic_texts(words: list[str], count: int, rng: np.random.Generator) -> list[str]:
    lengths = rng.integers(*DIM_WORDS, size=count)
    ranks = np.minimum(rng.zipf(1.15, size=int(lengths.sum())) - 1, len(words) - 1)
    vocab = np.array(words, dtype=object)
    texts, position = [], 0
    for n in lengths:
        picked = vocab[ranks[position : position + n]]
        position += n
        # Sentences of ~15 words with a number now and then, so texts look like prose to the tokenizers.
        sentences = [" ".join(picked[i : i + 15]).capitalize() + "." for i in range(0, n, 15)]
        texts.append(" ".join(sentences) + f" In {1900 + int(n)} it was {int(n) * 7} units.")
    return texts


def build(docqa, size: int, rng: np.random.Generator) -> dict[str, float]:
    from qa.models import Chunk
    from qa.store import CHUNKER_VERSION, DocRecord

    store, embedder = docqa.store, docqa.embedder
    started = time.perf_counter()
    texts = synthetic_texts(vocabulary(embedder), size, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    now = "2025-01-01T00:00:00+00:00"
    records = []
    for first in range(0, size, 2000):
        chunks = []
        for i in range(first, min(first + 2000, size)):
            doc = i // CHUNKS_PER_DOC
            doc_id, source = f"doc{doc:06d}", f"synthetic/doc{doc:06d}.txt"
            chunks.append(Chunk(id=f"{doc_id}-{i:07d}", doc_id=doc_id, source=source, index=i % CHUNKS_PER_DOC,
                                start=0, end=len(texts[i]), text=texts[i], kind="txt", sha256="0" * 64,
                                metadata={"ext": "txt"}))
            if i % CHUNKS_PER_DOC == 0:
                records.append(DocRecord(doc_id, source, "/" + source, "0" * 64, "txt", CHUNKS_PER_DOC, "ok",
                                         embedder.model_id, CHUNKER_VERSION, now, now, commit=uuid.uuid4().hex))
        vectors = rng.standard_normal((len(chunks), embedder.dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.upsert_chunks(chunks, vectors)
    store.put_doc_records(records)
    store.bump_generation()
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    docqa.lexical.sync(store)
    synced = time.perf_counter() - started
    return {"generate_s": generated, "chroma_insert_s": inserted, "lexical_full_sync_s": synced}


def make_queries(docqa, count: int, rng: np.random.Generator) -> list[str]:
    from qa.text import STOPWORDS

    total = docqa.store.count()
    picks = rng.choice(total, size=min(count, total), replace=False)
    ids = [f"doc{i // CHUNKS_PER_DOC:06d}-{i:07d}" for i in picks]
    texts = {c.id: c.text for c in docqa.store.get_chunks(ids=ids)}
    queries = []
    for chunk_id in ids:
        words = [w.strip(".").lower() for w in texts[chunk_id].split() if w.strip(".").lower() not in STOPWORDS]
        n = int(rng.integers(4, 9))
        start = int(rng.integers(0, max(len(words) - n, 1)))
        queries.append("What about " + " ".join(words[start : start + n]) + "?")
    return queries


def run_one(size: int, queries: int, work: Path) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from qa.api import DocQA

    rng = np.random.default_rng(size)
    index = work / f"latency-{size}-{uuid.uuid4().hex[:6]}"
    docqa = DocQA.open(index=index, collection=f"bench{size}")
    build_times = build(docqa, size, rng)
    qs = make_queries(docqa, queries + 10, rng)
    retriever = docqa.retriever
    pipelines = {}
    for label, (rerank, multihop, _) in PIPELINES.items():
        for q in qs[:10]:  # warm-up: models, caches, SQLite pages
            retriever.retrieve(q, rerank=rerank, multihop=multihop)
        pipelines[label] = _measure(retriever, qs[10:], rerank, multihop)
    rss_now = _rss_mb()
    docqa.close()
    shutil.rmtree(index, ignore_errors=True)
    return {
        "chunks": size, "queries": len(qs) - 10, **build_times, "pipelines": pipelines,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_after_mb": rss_now,
        "load_average": os.getloadavg(),
    }


def _measure(retriever, queries: list[str], rerank: bool, multihop: bool) -> dict:
    from eval.metrics import percentile

    totals, stages = [], {s: [] for s in STAGES}
    for q in queries:
        timings = retriever.retrieve(q, rerank=rerank, multihop=multihop).timings_ms
        totals.append(timings["retrieve"])
        for s in STAGES:
            stages[s].append(timings.get(s, 0.0))
    return {"p50_ms": percentile(totals, 50), "p95_ms": percentile(totals, 95),
            "stage_p50_ms": {s: percentile(v, 50) for s, v in stages.items()},
            "load_average": os.getloadavg()}


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def report(results: list[dict]) -> str:
    lines = [
        "| chunks | pipeline | p50 ms | p95 ms | p50 / target | embed | Chroma | BM25 | rerank | 2nd hop | fusion+MMR "
        "| other | peak RSS MB | load avg (1 min) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for label, p in r["pipelines"].items():
            s = p["stage_p50_ms"]
            target = PIPELINES[label][2]
            ratio = f"{p['p50_ms'] / target:.2f} (<= {target:.0f} ms)" if target else "-"
            lines.append(
                f"| {r['chunks']:,} | {label} | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} | {ratio} | {s['embed']:.1f} | "
                f"{s['dense']:.1f} | {s['lexical']:.1f} | {s['rerank']:.1f} | {s['multihop']:.1f} | "
                f"{s['fusion'] + s['diversity']:.1f} | {s['sync'] + s['vectors']:.1f} | {r['peak_rss_mb']:.0f} | "
                f"{p['load_average'][0]:.2f} |"
            )
    lines += ["", "Stage columns are per-stage medians; '2nd hop' includes its own embedding, searches and fusion; "
              "'other' = the generation check (lexical sync) and the vectors of BM25-only winners. Peak RSS is the "
              "whole process (embedder, cross-encoder, Chroma, BM25 index) after all three pipelines ran.", "",
              "| chunks | synthetic text s | Chroma insert s | lexical index built from Chroma s |", "|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['chunks']:,} | {r['generate_s']:.1f} | {r['chroma_insert_s']:.1f} | {r['lexical_full_sync_s']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "docqa-bench-latency")
    parser.add_argument("--out", type=Path, help="Also write the Markdown table to this file.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size, print JSON
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(run_one(args.one, args.queries, args.work)))
        return 0
    results = []
    for size in args.sizes:
        print(f"{size:,} chunks ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, "-m", "eval.bench_latency", "--one", str(size), "--queries",
                               str(args.queries), "--work", str(args.work)], capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return done.returncode
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    output = report(results) + "\n"
    print(output)
    if args.out:
        args.out.write_text(output, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cross-encoder batching benchmark: how far a pair's score moves with the pairs batched beside it, and what scoring
each pair alone costs, measured side by side in one run.

Run: .venv/bin/python eval/bench_cross_batch.py [--corpus seeds] [--batch 16] [--repeats 3] [--chunk-words 0]

The packaged ms-marco-MiniLM-L-12-v2 is INT8 with dynamic quantization: each run scales its activations by the
range over the whole batch, so one (question, sentence) pair scores differently beside different company. docqa
scores one pair per run (batch 1), which makes a sentence's score its own; this prints the drift a batch of
--batch would bring (max and mean absolute logit change, and how often two sentences' order flips) and the time
ratio of the two ways, on the sentences of --corpus (or, with --chunk-words N, on windows of N words: the passages
retrieval reranks) against questions written from the texts' own opening words.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def sentences(corpus: Path, limit: int = 96, chunk_words: int = 0) -> list[str]:
    """The first `limit` sentences of 20+ characters of the corpus's text files, in file order (or windows of
    `chunk_words` words)."""
    out: list[str] = []
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".html"):
            text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 20]
    if chunk_words:
        words = " ".join(out).split()
        out = [" ".join(words[i:i + chunk_words]) for i in range(0, len(words) - chunk_words + 1, chunk_words)]
    return out[:limit]


def measure(texts: list[str], questions: list[str], batch: int, repeats: int) -> dict[str, float]:
    from qa.onnx_models import packaged_cross_encoder

    alone_model, batched_model = packaged_cross_encoder(), packaged_cross_encoder()
    alone_model.batch_size, batched_model.batch_size = 1, batch
    drifts, flips, pairs, alone_s, batched_s = [], 0, 0, 0.0, 0.0
    for question in questions:
        alone_model.score(question, texts[:2]), batched_model.score(question, texts[:2])  # warm both sessions
        for _ in range(repeats):
            start = time.perf_counter()
            alone = alone_model.score(question, texts)
            alone_s += time.perf_counter() - start
            start = time.perf_counter()
            batched = batched_model.score(question, texts)
            batched_s += time.perf_counter() - start
        drifts.append(np.abs(alone - batched))
        order_alone, order_batched = np.sign(alone[:, None] - alone[None, :]), np.sign(batched[:, None] - batched[None, :])
        flips += int(np.sum(np.triu(order_alone * order_batched < 0, 1)))
        pairs += len(texts) * (len(texts) - 1) // 2
    drift = np.concatenate(drifts)
    return {"max_drift": float(drift.max()), "mean_drift": float(drift.mean()), "order_flips": flips / max(pairs, 1),
            "time_ratio": alone_s / max(batched_s, 1e-9), "alone_s": alone_s, "batched_s": batched_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk-words", type=int, default=0, help="score windows of N words instead of sentences")
    args = parser.parse_args(argv)
    texts = sentences(args.corpus, chunk_words=args.chunk_words)
    if len(texts) < 4:
        parser.error(f"{args.corpus}: fewer than 4 sentences to score")
    questions = [f"What happened with {' '.join(t.split()[:6])}?" for t in texts[:: max(1, len(texts) // 4)][:4]]
    result = measure(texts, questions, args.batch, args.repeats)
    kind = f"{args.chunk_words}-word passages" if args.chunk_words else "sentences"
    print(f"{len(texts)} {kind} x {len(questions)} questions, batch {args.batch} vs one pair per run")
    print(f"  score drift batched vs alone: max {result['max_drift']:.3f} logits, mean {result['mean_drift']:.3f}")
    print(f"  pairs of texts whose order flips: {result['order_flips']:.2%}")
    print(f"  time alone / batched: {result['time_ratio']:.2f} ({result['alone_s']:.2f} s vs {result['batched_s']:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

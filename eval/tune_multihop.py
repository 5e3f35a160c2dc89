"""Tunes the second hop's fusion on dev splits only: is it safe to turn on by default, and with which confidence?

    python -m eval.tune_multihop [--work DIR] [--fitz-docs 1200] [--fitz-queries 360] [--out FILE]
    python -m eval.tune_multihop --test MARGIN CANDIDATES   # once chosen: the held-out splits, reported only

Dev sets: the multi-hop dev split (bridge questions, eval/sets/multihop_dev.jsonl), the fitz-gov dev share of a
subsample (one-passage questions), docqa's seed set (follow-ups rewritten heuristically, as `docqa ask` does;
share whose gold answer is in the top 3 / top 5 passages) and the conversation dev split (hit@5 of the gold page).
Every configuration runs the real `HybridRetriever.retrieve` with the default embedder and the packaged
cross-encoder (memoised: the configurations share its scores). Test splits are never read while tuning;
`--test` scores one chosen setting against reranking alone and the old rank fusion on the multi-hop test split,
the fitz-gov test share of the same subsample and the conversation test split (no tuning happens then).

Rule: among second-hop settings whose single-hop numbers (fitz-gov dev recall@5, seeds hit@3 and hit@5,
conversations hit@5) stay within noise of reranking alone (at most one question's worth below it on each), the
one with the best multi-hop dev recall@5 wins; if none qualifies, the second hop stays off.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from eval.bench_family import CachedReranker
from eval.metrics import contains_gold, doc_scores, is_dev, mean
from eval.questions import load_question_set
from qa.api import DocQA
from qa.retrieval import HybridRetriever

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "eval" / "sets"
MARGIN_GRID = (-1.0, 0.0, 1.0, 2.0, 3.0)
CANDIDATES_GRID = (2, 3, 5)
Log = Callable[[str], None]


def _open(work: Path, name: str, corpus: Path | str, embedder, cwd: Path | None = None) -> DocQA:
    docqa = DocQA.open(index=work / f"index-{name}", collection=name, embedder=embedder, rewrite="heuristic")
    previous = os.getcwd()
    os.chdir(cwd or previous)
    try:
        docqa.ingest([str(corpus)])
    finally:
        os.chdir(previous)
    return docqa


def load(work: Path, fitz_docs: int, fitz_queries: int, log: Log, split: str = "dev") -> dict:
    from eval.fitzgov import load_fitzgov
    from qa.embedding import make_embedder
    from qa.settings import Settings

    embedder = make_embedder(Settings())
    fitz = load_fitzgov(work / "fitzgov", limit_docs=fitz_docs, limit_queries=fitz_queries)
    seeds = load_question_set(SETS / "seeds.jsonl")
    conv = load_question_set(SETS / f"conversations_{split}.jsonl")
    sets = {
        "multihop": (_open(work, "multihop", SETS / "multihop_corpus", embedder),
                     list(load_question_set(SETS / f"multihop_{split}.jsonl").cases)),
        "fitzgov": (_open(work, "fitzgov", fitz.corpus_dir, embedder),
                    [c for c in fitz.cases if c.sources and is_dev(c) == (split == "dev")]),
        "seeds": (_open(work, "seeds", "seeds", embedder, cwd=ROOT), [c for c in seeds.cases if c.answers]),
        "conversations": (_open(work, "conversations", SETS / "conversations_corpus", embedder),
                          [c for c in conv.cases if c.sources]),
    }
    log(f"{split} cases: " + ", ".join(f"{k} {len(v[1])}" for k, v in sets.items()))
    return sets


def score(sets: dict, reranker, knobs: dict, multihop: bool, kind=HybridRetriever) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, (docqa, cases) in sets.items():
        settings = docqa.settings.with_overrides(**knobs)
        retriever = kind(settings, docqa.embedder, docqa.store, docqa.lexical, reranker)
        if name in ("multihop", "fitzgov"):
            rows = [doc_scores([Path(p.source).name for p in retriever.retrieve(c.question, k=5, multihop=multihop)],
                               c.sources) for c in cases]
            out[f"{name} R@5"] = mean(r["recall@5"] for r in rows)
            continue
        for k in ((3, 5) if name == "seeds" else (5,)):
            hits = []
            for c in cases:
                query = docqa.standalone_query(c.question, list(c.history))
                passages = retriever.retrieve(query, k=k, multihop=multihop)
                if name == "seeds":
                    hits.append(any(contains_gold(p.text, c.answers) for p in passages))
                else:
                    hits.append(any(Path(p.source).name in c.sources for p in passages))
            out[f"{name} hit@{k}"] = mean(hits)
    return out


class RankFusionHop(HybridRetriever):
    """The second hop as it was before: each item's best weighted reciprocal rank over the rounds, the
    cross-encoder's scores not consulted (the merge that displaced the seed follow-up's answer)."""

    def _merge_by_cross_encoder(self, fused, confidence, hops):
        from dataclasses import replace

        from qa.multihop import fuse_rounds

        rounds = [fused, *(found for _, found in hops)]
        weights = [1.0] + [self.settings.multihop_weight] * len(hops)
        return [replace(c, fused=score) for c, score in fuse_rounds(rounds, weights, key=lambda c: c.chunk.id,
                                                                    k=self.settings.rrf_k)]


def choose(base: dict[str, float], grid: dict[tuple, dict[str, float]], sizes: dict[str, int]) -> tuple | None:
    """The grid point with the best multi-hop recall whose other numbers lose at most one case each."""
    def safe(row: dict[str, float]) -> bool:
        return all(row[m] >= base[m] - 1.0 / sizes[m.split()[0]] - 1e-9 for m in row if not m.startswith("multihop"))

    ok = [key for key, row in grid.items() if safe(row)]
    if not ok:
        return None
    # Ties: the larger margin (safer for one-passage questions), then fewer cross-encoder calls.
    return max(ok, key=lambda key: (round(grid[key]["multihop R@5"], 4), key[0], -key[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "docqa-tune-multihop")
    parser.add_argument("--fitz-docs", type=int, default=1200)
    parser.add_argument("--fitz-queries", type=int, default=360)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--test", type=float, nargs=2, metavar=("MARGIN", "CANDIDATES"),
                        help="Report this chosen setting on the test splits instead of tuning.")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.test:
        return report_test(args, log)
    sets = load(args.work, args.fitz_docs, args.fitz_queries, log)
    sizes = {name: len(cases) for name, (_, cases) in sets.items()}
    reranker = CachedReranker()
    base = score(sets, reranker, {}, multihop=False)
    log(f"rerank, no second hop: {base}")
    # The rank fusion used before (no cross-encoder in the merge), for comparison.
    old = score(sets, reranker, {}, multihop=True, kind=RankFusionHop)
    log(f"old rank fusion: {old}")
    grid = {}
    for margin, candidates in itertools.product(MARGIN_GRID, CANDIDATES_GRID):
        knobs = {"multihop_margin": margin, "multihop_candidates": candidates}
        grid[(margin, candidates)] = score(sets, reranker, knobs, multihop=True)
        log(f"margin {margin}, candidates {candidates}: {grid[(margin, candidates)]}")
    chosen = choose(base, grid, sizes)
    columns = list(base)
    lines = ["| second hop | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns),
             "| off (rerank only) | " + " | ".join(f"{base[c]:.3f}" for c in columns) + " |",
             "| on, rank fusion (before) | " + " | ".join(f"{old[c]:.3f}" for c in columns) + " |"]
    for (margin, candidates), row in grid.items():
        mark = " **chosen**" if (margin, candidates) == chosen else ""
        lines.append(f"| on, margin {margin}, {candidates} per list{mark} | "
                     + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")
    lines += ["", "Dev cases: " + ", ".join(f"{k} {v}" for k, v in sizes.items()),
              f"Chosen: {chosen if chosen else 'none (second hop stays off)'}"]
    return _finish(args, sets, lines)


def report_test(args, log: Log) -> int:
    sets = load(args.work, args.fitz_docs, args.fitz_queries, log, split="test")
    reranker = CachedReranker()
    knobs = {"multihop_margin": args.test[0], "multihop_candidates": int(args.test[1])}
    rows = {"off (rerank only)": score(sets, reranker, {}, multihop=False),
            "on, rank fusion (before)": score(sets, reranker, {}, multihop=True, kind=RankFusionHop),
            f"on, margin {args.test[0]}, {int(args.test[1])} per list": score(sets, reranker, knobs, multihop=True)}
    columns = list(next(iter(rows.values())))
    lines = ["| second hop | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    lines += [f"| {label} | " + " | ".join(f"{row[c]:.3f}" for c in columns) + " |" for label, row in rows.items()]
    lines += ["", "Test cases: " + ", ".join(f"{k} {len(v[1])}" for k, v in sets.items())
              + " (seeds have no split: the same cases as in tuning)"]
    return _finish(args, sets, lines)


def _finish(args, sets: dict, lines: list[str]) -> int:
    """Print the table, write it to --out if given, close the indexes."""
    output = "\n".join(lines) + "\n"
    print(output)
    if args.out:
        args.out.write_text(output, "utf-8")
    for docqa, _ in sets.values():
        docqa.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Markdown tables for eval/bench_family.py: quality by embedder and pipeline, tuning on dev, speed and latency."""

from __future__ import annotations

CONFIGS = ("dense", "hybrid", "hybrid+rerank", "hybrid+rerank+multihop")
COLUMNS = ("recall@5", "recall@10", "ndcg@10")


def _quality(set_name: str, quality: dict) -> list[str]:
    lines = ["| embedder | pipeline | " + " | ".join(COLUMNS) + " |", "|---|---|" + "---:|" * len(COLUMNS)]
    for name, by_set in quality.items():
        for config in CONFIGS:
            values = by_set[set_name][config]
            lines.append(f"| {name} | {config} | " + " | ".join(f"{values[c]:.3f}" for c in COLUMNS) + " |")
    return lines


def report(sets, quality, ingest, tuned, lat, rerank_ms, speed, fitz_docs, latency_chunks, latency_queries) -> str:
    out = []
    for set_name, s in sets.items():
        out += [f"**{set_name}** test split ({len(s['test'])} questions; dev {len(s['dev'])} used for tuning only):", ""]
        out += _quality(set_name, quality) + [""]
    out += ["Tuned on dev (mean recall@5 of the two dev splits):", "",
            "| embedder | hybrid | rerank N=" + " | N=".join(str(n) for n in next(iter(tuned.values()))["by_n"])
            + " | chosen N | multi-hop margin " + " | m=".join(str(m) for m in next(iter(tuned.values()))["by_margin"])
            + " | chosen margin |",
            "|---|" + "---:|" * (3 + len(next(iter(tuned.values()))["by_n"]) + len(next(iter(tuned.values()))["by_margin"]))]
    for name, t in tuned.items():
        out.append(f"| {name} | {t['base']:.3f} | " + " | ".join(f"{v:.3f}" for v in t["by_n"].values())
                   + f" | {t['n']} | " + " | ".join(f"{v:.3f}" for v in t["by_margin"].values()) + f" | {t['margin']} |")
    out += ["", "Cross-encoder time per query by N (p50 ms, fitz-gov dev candidates): "
            + ", ".join(f"N={n}: {ms:.0f}" for n, ms in rerank_ms.items()), ""]
    raw = speed["raw fp32 SentenceTransformer.encode (MiniLM)"]
    out += ["Encoding the same 400 fitz-gov chunks (best of 2 interleaved rounds):", "",
            "| encoder | chunks/s | ratio to raw fp32 MiniLM | CPU s | CPU ratio |", "|---|---:|---:|---:|---:|"]
    for name, row in speed.items():
        out.append(f"| {name} | {row['chunks_per_s']:.1f} | {row['chunks_per_s'] / raw['chunks_per_s']:.2f} | "
                   f"{row['cpu_s']:.1f} | {raw['cpu_s'] / row['cpu_s']:.2f} |")
    out += ["", "`docqa ingest` end to end (fitz-gov subsample + multi-hop corpus):", "",
            "| embedder | chunks | seconds | chunks/s |", "|---|---:|---:|---:|"]
    for name, row in ingest.items():
        rate = f"{row['chunks_per_s']:.1f}" if row["chunks_per_s"] else "(reused index)"
        out.append(f"| {name} | {row['chunks']} | {row['seconds']:.1f} | {rate} |")
    out += ["", f"Retrieval latency at {latency_chunks:,} synthetic chunks ({latency_queries} queries, ms):", "",
            "| embedder | rerank off p50 / p95 | rerank on p50 / p95 | rerank + multi-hop p50 / p95 |", "|---|---:|---:|---:|"]
    for name, row in lat.items():
        out.append(f"| {name} | " + " | ".join(f"{row[k]['p50']:.0f} / {row[k]['p95']:.0f}"
                                                for k in ("rerank off", "rerank on", "rerank + multi-hop")) + " |")
    return "\n".join(out) + "\n"

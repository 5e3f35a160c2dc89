"""Hybrid retrieval: dense (Chroma) and BM25 (FTS5) candidates, reciprocal rank fusion, then diversity."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from qa.embedding import Embedder
from qa.filters import Filters
from qa.lexical import LexicalIndex, query_terms
from qa.models import Chunk, Passage
from qa.settings import Settings
from qa.store import ChromaStore

_WORD = re.compile(r"\w+")


class Reranker(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]: ...


class CrossEncoderReranker:
    """sentence-transformers CrossEncoder loaded from a local path (none ships offline, so it is opt-in)."""

    def __init__(self, path: str) -> None:
        from sentence_transformers import CrossEncoder

        self._model = CrossEncoder(path, device="cpu", local_files_only=True)

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        return [float(s) for s in self._model.predict([(query, t) for t in texts], show_progress_bar=False)]


@dataclass(frozen=True)
class Candidate:
    chunk: Chunk
    fused: float
    dense: float | None = None
    lexical: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None


def reciprocal_rank_fusion(
    dense: Sequence[tuple[Chunk, float]], lexical: Sequence[tuple[Chunk, float]],
    *, k: int = 60, dense_weight: float = 1.0, lexical_weight: float = 1.0,
) -> list[Candidate]:
    """Fuse two ranked lists by weighted 1/(k + rank); ties keep the dense order."""
    table: dict[str, dict] = {}
    for rank, (chunk, score) in enumerate(dense, 1):
        table[chunk.id] = {"chunk": chunk, "fused": dense_weight / (k + rank), "dense": score, "dense_rank": rank}
    for rank, (chunk, score) in enumerate(lexical, 1):
        entry = table.setdefault(chunk.id, {"chunk": chunk, "fused": 0.0})
        entry["fused"] += lexical_weight / (k + rank)
        entry["lexical"], entry["lexical_rank"] = score, rank
    return sorted((Candidate(**e) for e in table.values()), key=lambda c: -c.fused)


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + 2]) for i in range(max(len(words) - 1, 1))}


def diversify(candidates: Sequence[Candidate], k: int, lam: float) -> list[Candidate]:
    """Maximal marginal relevance with word-bigram overlap (and span overlap) as the redundancy measure."""
    if lam >= 1.0 or len(candidates) <= 1:
        return list(candidates[:k])
    top = max(c.fused for c in candidates) or 1.0
    pool = list(candidates)
    shingles = {c.chunk.id: _shingles(c.chunk.text) for c in pool}
    chosen: list[Candidate] = []
    while pool and len(chosen) < k:
        def value(c: Candidate) -> float:
            redundancy = max((_redundancy(c, s, shingles) for s in chosen), default=0.0)
            return lam * c.fused / top - (1 - lam) * redundancy

        best = max(pool, key=value)
        chosen.append(best)
        pool.remove(best)
    return chosen


def _redundancy(a: Candidate, b: Candidate, shingles: dict[str, set[str]]) -> float:
    sa, sb = shingles[a.chunk.id], shingles[b.chunk.id]
    jaccard = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
    if a.chunk.doc_id == b.chunk.doc_id:
        overlap = min(a.chunk.end, b.chunk.end) - max(a.chunk.start, b.chunk.start)
        shortest = min(a.chunk.end - a.chunk.start, b.chunk.end - b.chunk.start) or 1
        jaccard = max(jaccard, overlap / shortest)
    return jaccard


class HybridRetriever:
    """Retrieves passages for a standalone query; records how long each stage took."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChromaStore, lexical: LexicalIndex,
                 reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.reranker = reranker
        self.last_timings: dict[str, float] = {}

    def retrieve(self, query: str, k: int | None = None, filters: Filters | None = None,
                 mode: str = "hybrid") -> list[Passage]:
        s = self.settings
        k = k or s.top_k
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        self.lexical.sync(self.store)
        if filters is not None and not filters.empty:
            filters = filters.resolve(self.lexical.sources())
        timings["sync"] = _ms(t0)

        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        vector = None
        if mode in ("hybrid", "dense", "hybrid-nodiv"):
            t = time.perf_counter()
            vector = self.embedder.embed_query(query)
            timings["embed"] = _ms(t)
            t = time.perf_counter()
            dense = self.store.query(vector, s.candidates, where=filters.to_chroma() if filters else None)
            timings["dense"] = _ms(t)
        if mode in ("hybrid", "lexical", "hybrid-nodiv"):
            t = time.perf_counter()
            lexical = self.lexical.search(query, s.candidates, filters)
            timings["lexical"] = _ms(t)

        t = time.perf_counter()
        fused = reciprocal_rank_fusion(dense, lexical, k=s.rrf_k, dense_weight=s.dense_weight,
                                       lexical_weight=s.lexical_weight)
        if self.reranker is not None and fused:
            head = fused[: s.candidates]
            scores = self.reranker.score(query, [c.chunk.text for c in head])
            fused = [c for _, c in sorted(zip(scores, head), key=lambda p: -p[0])]
        chosen = diversify(fused, k, s.mmr_lambda if mode == "hybrid" else 1.0)
        timings["fusion"] = _ms(t)

        if vector is not None:
            missing = [c.chunk.id for c in chosen if c.dense is None]
            if missing:
                vectors = self.store.get_vectors(missing)
                chosen = [
                    c if c.dense is not None or c.chunk.id not in vectors
                    else Candidate(c.chunk, c.fused, float(np.dot(vectors[c.chunk.id], vector)), c.lexical,
                                   c.dense_rank, c.lexical_rank)
                    for c in chosen
                ]
        timings["retrieve"] = _ms(t0)
        self.last_timings = timings
        return [Passage(c.chunk, c.fused, c.dense, c.lexical) for c in chosen]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


__all__ = ["HybridRetriever", "reciprocal_rank_fusion", "diversify", "query_terms", "CrossEncoderReranker"]

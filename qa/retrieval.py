"""Hybrid retrieval: dense (Chroma) and BM25 (FTS5) candidates, reciprocal rank fusion, cross-encoder reranking, a second hop, then diversity."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Protocol, Sequence

import numpy as np

from qa.embedding import Embedder
from qa.errors import SourceNotFoundError
from qa.filters import Filters
from qa.lexical import LexicalIndex
from qa.models import Chunk, Passage
from qa.multihop import bridge_entities, second_hop_query
from qa.registry import RERANKERS
from qa.settings import Settings
from qa.store import ChunkStore
from qa.text import WORD, query_terms, spelled_out
MODES = ("hybrid", "hybrid-nodiv", "dense", "lexical")
# Redundancy at which a candidate is a copy of one already chosen (or contained in it), not a new view.
# High on purpose: variants that differ in a name or a number (about 0.8) carry different facts.
NEAR_DUPLICATE = 0.95
OVERLAP_ALLOWANCE = 0.35  # redundancy below this costs nothing in diversity (see _penalty)


_QUERY_EMBED_LOCK = threading.Lock()


def embed_query_single_threaded(embedder: Embedder, query: str) -> np.ndarray:
    """Embed one query with torch on one thread, then restore the thread count for batch work.

    Measured on the 2-core machine: one short query takes ~8 ms on one thread; on two threads it takes
    longer and, when other processes compete for the cores, has 250-750 ms tails (OpenMP workers wait
    for each other). Batch embedding during ingest keeps every thread (it is 1.8x faster on two).
    """
    torch = sys.modules.get("torch")  # only when a torch model is in use; never imported here
    if torch is None:
        return embedder.embed_query(query)
    with _QUERY_EMBED_LOCK:
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return embedder.embed_query(query)
        finally:
            torch.set_num_threads(previous)


class Reranker(Protocol):
    """Scores (query, text) pairs, higher is more relevant (qa.onnx_models.OnnxCrossEncoder)."""

    def score(self, query: str, texts: Sequence[str]) -> Sequence[float]: ...


def make_reranker(settings: Settings, *, always: bool = False) -> Reranker | None:
    """The cross-encoder settings.reranker names (qa/registry.py RERANKERS) when reranking is on (or `always`)."""
    if not (settings.rerank or always):
        return None
    return RERANKERS.load(settings.reranker)(settings)


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
    # Python's sort is stable, and dense entries were inserted first.
    return sorted((Candidate(**e) for e in table.values()), key=lambda c: -c.fused)


def _shingles(text: str) -> frozenset[str]:
    # Word trigrams: bigrams like "of the" coincide by chance between unrelated chunks, trigrams rarely do.
    words = WORD.findall(text.lower())
    return frozenset(" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1)))


def redundancy(a: Chunk, b: Chunk, sa: frozenset[str], sb: frozenset[str]) -> float:
    """0..1: how much of the shorter of two chunks the other already says (word trigrams, or shared span)."""
    shared = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
    if a.doc_id == b.doc_id:
        overlap = min(a.end, b.end) - max(a.start, b.start)
        shortest = min(a.end - a.start, b.end - b.start) or 1
        shared = max(shared, overlap / shortest)
    return max(0.0, min(1.0, shared))


def _penalty(redundancy_: float) -> float:
    # Neighbouring chunks share their overlap window (about a fifth of a chunk) by design: that is not
    # repetition worth giving up relevance for. Only what lies beyond OVERLAP_ALLOWANCE counts.
    return max(0.0, redundancy_ - OVERLAP_ALLOWANCE) / (1.0 - OVERLAP_ALLOWANCE)


def diversify(candidates: Sequence[Candidate], k: int, lam: float) -> list[Candidate]:
    """Maximal marginal relevance over the fused ranking; near-copies of a chosen chunk go last.

    Relevance is the fused score scaled to the best candidate; redundancy is word-trigram containment
    (or span overlap within one document), counted only beyond the chunker's own overlap. A candidate that mostly repeats one already chosen
    (>= NEAR_DUPLICATE) is only used when nothing else is left, so top-k is never one paragraph k times.
    """
    if len(candidates) <= 1:
        return list(candidates[:k])
    top = max(c.fused for c in candidates) or 1.0
    shingles = {c.chunk.id: _shingles(c.chunk.text) for c in candidates}
    pool = list(candidates)
    chosen: list[Candidate] = []
    copies: list[Candidate] = []
    worst: dict[str, float] = {c.chunk.id: 0.0 for c in pool}  # max redundancy against chosen, kept incrementally
    while pool and len(chosen) < k:
        best_index, best_value = -1, -float("inf")
        for i, c in enumerate(pool):
            if worst[c.chunk.id] >= NEAR_DUPLICATE:
                continue
            value = lam * c.fused / top - (1.0 - lam) * _penalty(worst[c.chunk.id])
            if value > best_value:
                best_index, best_value = i, value
        if best_index < 0:
            break
        picked = pool.pop(best_index)
        chosen.append(picked)
        remaining: list[Candidate] = []
        for c in pool:
            r = redundancy(c.chunk, picked.chunk, shingles[c.chunk.id], shingles[picked.chunk.id])
            worst[c.chunk.id] = max(worst[c.chunk.id], r)
            (copies if worst[c.chunk.id] >= NEAR_DUPLICATE else remaining).append(c)
        pool = remaining
    if len(chosen) < k:
        chosen.extend(sorted(copies, key=lambda c: -c.fused)[: k - len(chosen)])
    return chosen


class RetrievalResult(list):
    """The passages of one retrieve() call, best first, with that call's own stage timings (ms) in `timings_ms`.

    Returned rather than kept on the retriever: one retriever serves concurrent questions.
    """

    def __init__(self, passages: Sequence[Passage] = (), timings_ms: dict[str, float] | None = None) -> None:
        super().__init__(passages)
        self.timings_ms: dict[str, float] = dict(timings_ms or {})


class HybridRetriever:
    """Retrieves passages for a standalone query; each result carries how long each stage took."""

    def __init__(self, settings: Settings, embedder: Embedder, store: ChunkStore, lexical: LexicalIndex,
                 reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.reranker = reranker

    def retrieve(self, query: str, k: int | None = None, filters: Filters | None = None,
                 mode: str | None = None, *, rerank: bool | None = None, multihop: bool | None = None) -> RetrievalResult:
        """Top-k passages; `mode` is hybrid (with diversity), hybrid-nodiv, dense or lexical (default:
        settings.retrieval_mode). `rerank` defaults to on when the retriever has a reranker, `multihop` to the
        settings (it needs the reranker)."""
        # One view of the store throughout: another process's commit lands before or after, never in between.
        view = getattr(self.store, "read_view", None)
        with view() if view is not None else contextlib.nullcontext():
            return self._retrieve(query, k, filters, mode, rerank=rerank, multihop=multihop)

    def _retrieve(self, query: str, k: int | None, filters: Filters | None, mode: str | None, *,
                  rerank: bool | None, multihop: bool | None) -> RetrievalResult:
        mode = mode or self.settings.retrieval_mode
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(MODES)}; got {mode!r}")
        s = self.settings
        rerank = self.reranker is not None and rerank is not False
        multihop = s.multihop if multihop is None else multihop
        k = k or s.top_k
        want = max(s.candidates, k)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        self.lexical.sync(self.store)
        filters = self._resolve(filters)
        timings["sync"] = _ms(t0)
        if filters is not None and filters.matches_nothing:
            return RetrievalResult([], {**timings, "retrieve": _ms(t0)})

        fused, vector = self._round(query, want, filters, mode, timings)
        confidence = None
        if rerank and fused:
            t = time.perf_counter()
            fused, confidence = self._rerank(query, fused)
            timings["rerank"] = _ms(t)
        if multihop and fused and confidence is not None:  # the second hop's merge needs the cross-encoder
            t = time.perf_counter()
            fused = self._second_hop(query, fused, want, filters, mode, confidence)
            timings["multihop"] = _ms(t)
        t = time.perf_counter()
        # MMR looks at the head only: what ranks below 4k is not going to be picked for diversity's sake.
        chosen = diversify(fused[: max(4 * k, 20)], k, s.mmr_lambda) if mode == "hybrid" else fused[:k]
        timings["diversity"] = _ms(t)

        if vector is not None:
            t = time.perf_counter()
            chosen = self._fill_dense_scores(chosen, vector)
            timings["vectors"] = _ms(t)
        timings["retrieve"] = _ms(t0)
        return RetrievalResult([Passage(c.chunk, c.fused, c.dense, c.lexical) for c in chosen], timings)

    def _resolve(self, filters: Filters | None) -> Filters | None:
        if filters is None or filters.empty:
            return None
        if filters.sources:
            known = self.lexical.sources()
            missing = filters.unmatched(known)
            if missing:
                raise SourceNotFoundError(
                    f"no ingested source matches {', '.join(repr(m) for m in missing)} (see `docqa sources`)"
                )
            filters = filters.resolve(known)
        return filters

    def _round(self, query: str, want: int, filters: Filters | None, mode: str,
               timings: dict[str, float]) -> tuple[list[Candidate], np.ndarray | None]:
        """One retrieval round: dense and/or BM25 candidates fused by RRF; timings add up across rounds."""
        # Sequential on purpose: running BM25 in a thread beside the torch forward pass made the
        # embedding 20x slower on 2 cores (OpenMP workers and the extra thread fight for them).
        s = self.settings
        dense: list[tuple[Chunk, float]] = []
        lexical: list[tuple[Chunk, float]] = []
        vector = None
        if mode != "lexical":
            t = time.perf_counter()
            vector = embed_query_single_threaded(self.embedder, query)
            _add(timings, "embed", t)
            t = time.perf_counter()
            dense = self.store.query(vector, want, filters)
            _add(timings, "dense", t)
        if mode != "dense":
            t = time.perf_counter()
            lexical = self.lexical.search(spelled_out(query), want, filters)
            _add(timings, "lexical", t)
        t = time.perf_counter()
        fused = distinct_texts(reciprocal_rank_fusion(dense, lexical, k=s.rrf_k, dense_weight=s.dense_weight,
                                                      lexical_weight=s.lexical_weight))
        _add(timings, "fusion", t)
        return fused, vector

    def _rerank(self, query: str, fused: list[Candidate]) -> tuple[list[Candidate], list[float]]:
        """The cross-encoder orders the first `rerank_candidates`; the rest follow in fused order. Fused
        scores become rank-based (1/(rrf_k + rank)) so diversity weighs them as before. Also returns the
        cross-encoder's logits of the reranked head, best first (the second hop's confidence test)."""
        head, tail = fused[: self.settings.rerank_candidates], fused[self.settings.rerank_candidates :]
        scores = self.reranker.score(query, [c.chunk.text for c in head])
        ranked = sorted(zip(scores, range(len(head)), head), key=lambda p: (-p[0], p[1]))
        ordered = [c for _, _, c in ranked]
        reranked = [replace(c, fused=1.0 / (self.settings.rrf_k + rank)) for rank, c in enumerate(ordered + tail, 1)]
        return reranked, [float(score) for score, _, _ in ranked]

    def _second_hop(self, query: str, fused: list[Candidate], want: int, filters: Filters | None,
                    mode: str, confidence: list[float] | None) -> list[Candidate]:
        """Round two: the question plus each name the best first-round passages mention that the question
        does not (the bridge entity), retrieved like round one, then merged below round one's best passage.

        The merge is decided by the cross-encoder: each second-round passage among the first
        `multihop_candidates` of its list is scored against its own query (what it answers is the question
        about the bridge) and must beat a first-round passage's score for the question itself by
        `multihop_margin` to rank above it; round one's best passage always stays first. Without the
        cross-encoder (`--no-rerank`) nothing could judge the merge, so there is no second round.
        """
        s = self.settings
        if confidence is None or self.reranker is None:
            return fused
        seeds = fused[: s.multihop_passages]
        kept = {c.chunk.id for c in seeds}
        hops: list[tuple[str, list[Candidate]]] = []
        for name in bridge_entities(query, [c.chunk.text for c in seeds], limit=s.multihop_entities):
            hop_query = second_hop_query(query, name)
            found, _ = self._round(hop_query, want, filters, mode, {})
            # The seeds name the bridge, so they come back first: dropping them lets the passages after them
            # move up. Scores answer the expanded query: the cosine is refilled later.
            hops.append((hop_query, [replace(c, dense=None, lexical=None) for c in found if c.chunk.id not in kept]))
        return self._merge_by_cross_encoder(fused, confidence, hops) if hops else fused

    def _merge_by_cross_encoder(self, fused: list[Candidate], confidence: list[float],
                                hops: list[tuple[str, list[Candidate]]]) -> list[Candidate]:
        """Round one's best passage, then its other reranked passages and round two's scored ones by
        cross-encoder score (ties: round one first), then round one's unscored tail."""
        s = self.settings
        scored = {c.chunk.id: (score, c) for c, score in zip(fused[1 : len(confidence)], confidence[1:])}
        for hop_query, found in hops:
            head = [c for c in found[: s.multihop_candidates] if c.chunk.id != fused[0].chunk.id]
            for c, score in zip(head, self.reranker.score(hop_query, [c.chunk.text for c in head])):
                value = float(score) - s.multihop_margin
                if c.chunk.id not in scored or value > scored[c.chunk.id][0]:
                    # A first-round passage keeps its own fields; only its place can rise.
                    scored[c.chunk.id] = (value, scored.get(c.chunk.id, (0.0, c))[1])
        middle = [c for _, c in sorted(scored.values(), key=lambda p: -p[0])]
        rest = [c for c in fused[len(confidence) :] if c.chunk.id not in scored]
        ordered = [fused[0], *middle, *rest]
        return [replace(c, fused=1.0 / (s.rrf_k + rank)) for rank, c in enumerate(ordered, 1)]

    def _fill_dense_scores(self, chosen: list[Candidate], vector: np.ndarray) -> list[Candidate]:
        """Lexical-only winners get their cosine similarity too (answering and abstention use it)."""
        missing = [c.chunk.id for c in chosen if c.dense is None]
        if not missing:
            return chosen
        vectors = self.store.get_vectors(missing)
        return [
            replace(c, dense=float(np.dot(vectors[c.chunk.id], vector)))
            if c.dense is None and c.chunk.id in vectors else c
            for c in chosen
        ]


def distinct_texts(fused: list[Candidate]) -> list[Candidate]:
    """The fused ranking without a chunk whose text, word for word, is one ranked above it. The same file kept in
    two folders is two documents (removing either one must not lose the other), but its chunks would otherwise
    take two places each in the reranked head and among the passages an answer cites."""
    seen: set[str] = set()
    kept: list[Candidate] = []
    for candidate in fused:
        if candidate.chunk.text not in seen:
            seen.add(candidate.chunk.text)
            kept.append(candidate)
    return kept


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def _add(timings: dict[str, float], stage: str, start: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + _ms(start)


__all__ = ["HybridRetriever", "RetrievalResult", "reciprocal_rank_fusion", "diversify", "redundancy", "query_terms",
           "make_reranker", "Reranker", "Candidate", "MODES", "embed_query_single_threaded"]

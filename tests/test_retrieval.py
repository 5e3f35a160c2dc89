"""Hybrid retrieval: rank fusion, diversity, the reranker stage, modes, and rare terms on the seed article."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from qa.errors import SourceNotFoundError
from qa.filters import Filters
from qa.models import Chunk
from qa.retrieval import (
    MODES,
    Candidate,
    HybridRetriever,
    diversify,
    reciprocal_rank_fusion,
    redundancy,
)


def chunk(cid: str, text: str = "", doc: str | None = None, start: int = 0, end: int | None = None) -> Chunk:
    text = text or f"text of {cid}"
    return Chunk(id=cid, doc_id=doc or f"doc-{cid}", source=f"{doc or cid}.txt", index=0, start=start,
                 end=end if end is not None else start + len(text), text=text)


# Fusion --------------------------------------------------------------------------------------

def test_rrf_rewards_agreement_and_keeps_both_scores():
    a, b, c = chunk("a"), chunk("b"), chunk("c")
    fused = reciprocal_rank_fusion([(a, 0.9), (b, 0.8)], [(c, 7.0), (b, 5.0)], k=60)
    assert [x.chunk.id for x in fused] == ["b", "a", "c"]
    top = fused[0]
    assert top.fused == pytest.approx(1 / 62 + 1 / 62)
    assert (top.dense, top.lexical, top.dense_rank, top.lexical_rank) == (0.8, 5.0, 2, 2)
    assert fused[2].dense is None and fused[2].lexical_rank == 1


def test_rrf_weights_and_ties():
    a, c = chunk("a"), chunk("c")
    assert [x.chunk.id for x in reciprocal_rank_fusion([(a, 0.9)], [(c, 3.0)])] == ["a", "c"], "ties keep dense order"
    weighted = reciprocal_rank_fusion([(a, 0.9)], [(c, 3.0)], lexical_weight=2.0)
    assert [x.chunk.id for x in weighted] == ["c", "a"]
    assert reciprocal_rank_fusion([], []) == []


def test_smaller_rrf_k_favours_top_ranks():
    a, b, c = chunk("a"), chunk("b"), chunk("c")
    dense_fill, lexical_fill = [(chunk(f"d{i}"), 0.1) for i in range(2)], [(chunk(f"l{i}"), 0.1) for i in range(2)]
    dense, lexical = [(a, 0.9), *dense_fill, (b, 0.5)], [(c, 9.0), *lexical_fill, (b, 1.0)]
    # b is fourth in both lists; a and c are each first in one. A large k rewards agreement, a small one the top.
    assert reciprocal_rank_fusion(dense, lexical, k=60)[0].chunk.id == "b"
    assert reciprocal_rank_fusion(dense, lexical, k=1)[0].chunk.id in ("a", "c")


# Diversity -----------------------------------------------------------------------------------

PARAGRAPH = "The White House allowed Ukraine to fire US-supplied Himars rockets, which have a 50-mile range."


def test_diversity_never_returns_one_paragraph_k_times():
    copies = [Candidate(chunk(f"copy{i}", PARAGRAPH, doc=f"d{i}"), fused=1.0 - i * 0.001) for i in range(5)]
    others = [Candidate(chunk(f"other{i}", f"Unrelated sentence number {i} about Kursk and supply lines {i}."),
                        fused=0.5 - i * 0.01) for i in range(4)]
    top = diversify(copies + others, 5, lam=0.75)
    ids = [c.chunk.id for c in top]
    assert ids[0] == "copy0"
    assert sum(i.startswith("copy") for i in ids) == 1
    assert len(ids) == 5 and len(set(ids)) == 5


def test_diversity_uses_copies_only_when_nothing_else_is_left():
    copies = [Candidate(chunk(f"copy{i}", PARAGRAPH, doc=f"d{i}"), fused=1.0 - i * 0.1) for i in range(3)]
    top = diversify(copies, 3, lam=0.75)
    assert [c.chunk.id for c in top] == ["copy0", "copy1", "copy2"]


def test_diversity_prefers_new_information_over_overlapping_neighbour():
    doc_text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    first = Candidate(chunk("c1", doc_text[:40], doc="d", start=0, end=40), fused=1.0)
    overlapping = Candidate(chunk("c2", doc_text[20:60], doc="d", start=20, end=60), fused=0.95)
    fresh = Candidate(chunk("c3", "completely different words about rockets", doc="e"), fused=0.85)
    assert [c.chunk.id for c in diversify([first, overlapping, fresh], 2, lam=0.5)] == ["c1", "c3"]
    assert [c.chunk.id for c in diversify([first, overlapping, fresh], 2, lam=1.0)] == ["c1", "c2"]


def test_redundancy_measures_containment_and_span_overlap():
    from qa.retrieval import _shingles

    short = chunk("s", "Himars rockets have a 50-mile range", doc="x")
    long_ = chunk("l", "The White House allowed Himars rockets have a 50-mile range over the border", doc="y")
    assert redundancy(short, long_, _shingles(short.text), _shingles(long_.text)) == pytest.approx(1.0)
    a = chunk("a", "one two three", doc="d", start=0, end=100)
    b = chunk("b", "four five six", doc="d", start=50, end=150)
    assert redundancy(a, b, _shingles(a.text), _shingles(b.text)) == pytest.approx(0.5)


# The retriever over real Chroma with a tiny bag-of-words embedder (fast) --------------------------

class BagOfWordsEmbedder:
    """Hashes words into 256 dimensions: cheap, deterministic, and semantic enough for plumbing tests."""

    model_id = "test-bag-of-words"
    dimension = 256
    max_tokens = 128

    def embed_documents(self, texts):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
            out[row] /= np.linalg.norm(out[row]) or 1.0
        return out

    def embed_query(self, text):
        return self.embed_documents([text])[0]

    def token_offsets(self, text):
        return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


@pytest.fixture
def small_index(tmp_path: Path, monkeypatch):
    from qa.api import DocQA

    docs = tmp_path / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "notes" / "rockets.txt").write_text("Himars rockets have a 50-mile range.\n\nATACMS reach 190 miles.", "utf-8")
    (docs / "notes" / "birds.md").write_text("# Birds\n\nThe kakapo is a flightless parrot.", "utf-8")
    (docs / "weather.txt").write_text("Rain is expected in Kursk on Tuesday.", "utf-8")
    monkeypatch.chdir(tmp_path)
    docqa = DocQA.open(index=tmp_path / "index")
    docqa._embedder = BagOfWordsEmbedder()
    docqa.ingest(["docs"])
    yield docqa
    docqa.close()


def test_every_mode_returns_passages_and_records_stage_timings(small_index):
    for mode in MODES:
        passages = small_index.retriever.retrieve("Himars range", k=2, mode=mode)
        assert passages and passages[0].source == "docs/notes/rockets.txt", mode
        timings = passages.timings_ms
        assert timings["retrieve"] > 0 and "sync" in timings
        assert ("embed" in timings) == (mode != "lexical") and ("lexical" in timings) == (mode != "dense")
    with pytest.raises(ValueError, match="retrieval mode"):
        small_index.retriever.retrieve("x", mode="sparse")


def test_lexical_only_winners_get_a_dense_score(small_index):
    passages = small_index.retriever.retrieve("kakapo", k=3, mode="hybrid")
    assert passages[0].source == "docs/notes/birds.md"
    assert all(p.dense_score is not None for p in passages)
    assert passages[0].lexical_score is not None


def test_unknown_source_is_a_clear_error(small_index):
    with pytest.raises(SourceNotFoundError, match="nothing.pdf"):
        small_index.retriever.retrieve("rockets", filters=Filters(sources=("nothing.pdf",)))


def test_reranker_stage_reorders_candidates(small_index):
    class PrefersWeather:
        def __init__(self):
            self.calls = 0

        def score(self, query, texts):
            self.calls += 1
            return [1.0 if "Rain" in t else 0.0 for t in texts]

    reranker = PrefersWeather()
    retriever = HybridRetriever(small_index.settings, small_index.embedder, small_index.store, small_index.lexical,
                                reranker=reranker)
    passages = retriever.retrieve("Himars rockets range Kursk", k=3, multihop=False)  # the second hop scores too
    assert reranker.calls == 1
    assert passages[0].source == "docs/weather.txt"
    assert "rerank" in passages.timings_ms
    # With the second hop (the default) the reranked best passage stays first whatever round two finds.
    assert retriever.retrieve("Himars rockets range Kursk", k=3)[0].source == "docs/weather.txt"


def test_k_above_candidates_is_honoured(small_index):
    retriever = HybridRetriever(small_index.settings.with_overrides(candidates=1), small_index.embedder,
                                small_index.store, small_index.lexical)
    assert len(retriever.retrieve("rockets birds rain", k=3, mode="hybrid-nodiv")) == 3


# Real model on the seed article -----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("query,needle", [
    ("ATACMS", "190-mile ATACMS"),
    ("Cartlidge", "James Cartlidge"),
    ("190-mile", "190-mile"),
    ("Which rockets have a 50-mile range?", "50-mile range"),
    ("How many soldiers could Pyongyang send?", "100,000 soldiers"),
])
def test_hybrid_finds_names_numbers_and_rare_terms(seeded, query, needle):
    passages = seeded.retriever.retrieve(query, k=3)
    assert any(needle in p.text for p in passages), [p.text[:80] for p in passages]


@pytest.mark.slow
def test_lexical_side_rescues_a_term_the_embedding_misses(seeded):
    """'Cartlidge' means nothing to the embedding model; BM25 must bring its passage to the top."""
    hybrid = seeded.retriever.retrieve("Cartlidge", k=1)
    assert "Cartlidge" in hybrid[0].text
    assert hybrid[0].lexical_score is not None and hybrid[0].lexical_score > 0


def test_query_embedding_runs_on_one_thread_and_restores_the_count():
    import torch

    from qa.retrieval import embed_query_single_threaded

    seen = []

    class Probe(BagOfWordsEmbedder):
        def embed_query(self, text):
            seen.append(torch.get_num_threads())
            return super().embed_query(text)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        vector = embed_query_single_threaded(Probe(), "Himars range")
        assert seen == [1] and torch.get_num_threads() == 2
        assert vector.shape == (256,)
    finally:
        torch.set_num_threads(before)

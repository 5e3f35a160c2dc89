"""The same file kept in two folders: two documents (removing one never loses the other), one passage per text."""

from __future__ import annotations

import shutil

import pytest

from qa.models import Chunk
from qa.retrieval import Candidate, HybridRetriever, distinct_texts
from tests.conftest import SEEDS
from tests.test_retrieval import BagOfWordsEmbedder

ROCKETS = "Himars rockets have a 50-mile range.\n\nATACMS reach 190 miles."


def candidate(cid: str, text: str, fused: float) -> Candidate:
    chunk = Chunk(id=cid, doc_id=f"doc-{cid}", source=f"{cid}.txt", index=0, start=0, end=len(text), text=text)
    return Candidate(chunk, fused)


def test_a_word_for_word_copy_ranked_lower_is_dropped_and_order_kept():
    fused = [candidate("a", "Rain in Kursk.", 0.9), candidate("b", "Himars range.", 0.8),
             candidate("a2", "Rain in Kursk.", 0.7), candidate("c", "Rain in Kursk!", 0.6)]
    assert [c.chunk.id for c in distinct_texts(fused)] == ["a", "b", "c"]  # "!" is another text
    assert distinct_texts([]) == []


@pytest.fixture
def two_folders(tmp_path, monkeypatch):
    """`docs/` and `backup/` hold the same rockets note; `docs/` also a weather note."""
    from qa.api import DocQA

    for folder in ("docs", "backup"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rockets.txt").write_text(ROCKETS, "utf-8")
    (tmp_path / "docs" / "weather.txt").write_text("Rain is expected in Kursk on Tuesday.", "utf-8")
    monkeypatch.chdir(tmp_path)
    docqa = DocQA.open(index=tmp_path / "index")
    docqa._embedder = BagOfWordsEmbedder()
    docqa.ingest(["docs", "backup"])
    yield docqa
    docqa.close()


class Recording:
    """A reranker that prefers rocket text and records every list of texts it is asked to score."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def score(self, query, texts):
        self.asked.append(list(texts))
        return [1.0 if "rockets" in t else 0.0 for t in texts]


def test_both_copies_are_kept_but_each_text_is_scored_and_returned_once(two_folders):
    assert sorted(s.source for s in two_folders.sources()) == ["backup/rockets.txt", "docs/rockets.txt",
                                                              "docs/weather.txt"]
    reranker = Recording()
    retriever = HybridRetriever(two_folders.settings, two_folders.embedder, two_folders.store, two_folders.lexical,
                                reranker=reranker)
    for mode in ("hybrid", "hybrid-nodiv", "dense", "lexical"):
        texts = [p.text for p in retriever.retrieve("Himars rockets range", k=5, mode=mode, multihop=False)]
        assert texts and len(texts) == len(set(texts)), (mode, texts)
        assert any("Himars" in t for t in texts), mode
    assert reranker.asked and all(len(batch) == len(set(batch)) for batch in reranker.asked)


def test_removing_one_copy_keeps_the_other_answerable(two_folders):
    two_folders.remove(["docs/rockets.txt"])
    assert sorted(s.source for s in two_folders.sources()) == ["backup/rockets.txt", "docs/weather.txt"]
    passages = two_folders.retriever.retrieve("Himars rockets range", k=3)
    assert passages[0].source == "backup/rockets.txt"


@pytest.mark.slow
def test_a_copied_folder_leaves_answers_and_citations_as_they_were(tmp_path, monkeypatch, embedder, seeded):
    """Real model, real cross-encoder, real Chroma: seeds/ and a copy of it answer as seeds/ alone does."""
    from qa.api import DocQA

    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(SEEDS, tmp_path / "copy")
    monkeypatch.chdir(tmp_path)
    doubled = DocQA.open(index=tmp_path / "index", embedder=embedder)
    try:
        doubled.ingest(["seeds", "copy"])
        assert len(doubled.sources()) == 2 * len(seeded.sources())
        for question in ("Which rockets have a 50-mile range?", "How many soldiers could Pyongyang send?"):
            once, twice = seeded.ask(question), doubled.ask(question)
            texts = [p.text for p in twice.passages]
            assert len(texts) == len(set(texts)), question
            assert not twice.abstained and twice.answer == once.answer, (question, once.answer, twice.answer)
            assert [c.text for c in twice.citations] == [c.text for c in once.citations]
    finally:
        doubled.close()

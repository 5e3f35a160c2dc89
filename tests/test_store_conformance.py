"""The store seam: the same conformance suite against the embedded Chroma store, a real `chroma run` server and an
in-memory fake; ingest and retrieval run unchanged over the fake."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from memory_store import MemoryStore
from servers import chroma_server
from store_conformance import DIM, ChunkStoreConformance
from test_retrieval import BagOfWordsEmbedder


class TinyEmbedder:
    """Only what ChromaStore reads from an embedder: the vectors in these tests are given, never computed."""

    model_id = "conformance"
    dimension = DIM
    max_tokens = 64

    def embed_documents(self, texts):
        raise AssertionError("the conformance tests pass their own vectors")


class TestEmbeddedChroma(ChunkStoreConformance):
    @pytest.fixture
    def store(self, tmp_path):
        from qa.settings import Settings
        from qa.store import ChromaStore

        return ChromaStore(Settings(index=tmp_path / "index", collection="conformance"), TinyEmbedder())


class TestMemoryStore(ChunkStoreConformance):
    @pytest.fixture
    def store(self):
        return MemoryStore()


@pytest.mark.server
class TestChromaServer(ChunkStoreConformance):
    @pytest.fixture(scope="class")
    def server(self, tmp_path_factory):
        with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
            yield url

    @pytest.fixture
    def store(self, server, tmp_path):
        from qa.settings import Settings
        from qa.store import ChromaStore

        settings = Settings(index=tmp_path / "index", chroma_url=server, collection=f"c{uuid.uuid4().hex[:12]}")
        return ChromaStore(settings, TinyEmbedder())


def test_ingest_and_retrieval_run_on_any_chunk_store(tmp_path: Path, monkeypatch):
    from qa.api import DocQA
    from qa.filters import Filters
    from qa.settings import Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rockets.txt").write_text("Himars rockets have a 50-mile range.\n\nATACMS missiles reach 190 miles.", "utf-8")
    (docs / "birds.md").write_text("# Birds\n\nThe kakapo is a flightless parrot.", "utf-8")
    monkeypatch.chdir(tmp_path)
    store = MemoryStore()
    with DocQA(Settings(index=tmp_path / "index"), embedder=BagOfWordsEmbedder(), store=store) as docqa:
        report = docqa.ingest(["docs"])
        assert report.added == 2 and store.count() == report.chunks_added
        assert {s.source for s in docqa.sources()} == {"docs/rockets.txt", "docs/birds.md"}
        assert docqa.retrieve("kakapo parrot", k=1)[0].source == "docs/birds.md"
        only_md = docqa.retrieve("range of missiles", k=3, filters=Filters(kinds=("md",)))
        assert {p.source for p in only_md} == {"docs/birds.md"}
        answer = docqa.ask("What range do ATACMS missiles have?")
        assert "190 miles" in answer.answer and answer.citations[0].source == "docs/rockets.txt"
        assert docqa.remove(["birds.md"]).removed == 1 and store.count() == report.chunks_added - 1

"""Other tools read docqa's Chroma collection: chromadb and langchain_chroma.Chroma with DocQA.embeddings
find the same top passages as DocQA.retrieve in dense-only mode; the collection metadata is documented."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from qa.store import CHUNKER_VERSION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What range do ATACMS missiles have?",
    "Who criticised the decision as anti-democratic?",
    "How do I run the tests?",
    "Which embedding model does docqa use?",
    "What does the citation verifier check?",
    "Storm Shadow",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    """seeds/ plus docqa's own README (a few dozen chunks on unrelated topics), ingested in a temp folder."""
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("interop")
    shutil.copytree(ROOT / "seeds", base / "seeds")
    shutil.copy(ROOT / "README.md", base / "seeds" / "README.md")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        with DocQA.open(index=".docqa", embedder=embedder) as docqa:
            report = docqa.ingest(["seeds"])
    finally:
        os.chdir(cwd)
    assert report.ok and report.chunks_added > 20
    return base


def dense_docqa(base: Path, embedder):
    from qa.api import DocQA

    return DocQA.open(index=base / ".docqa", embedder=embedder, retrieval_mode="dense", rerank=False)


def test_chromadb_and_langchain_chroma_find_what_dense_retrieve_finds(corpus, embedder):
    import chromadb
    from langchain_chroma import Chroma

    with dense_docqa(corpus, embedder) as docqa:
        client = chromadb.PersistentClient(path=str(corpus / ".docqa" / "chroma"))
        collection = client.get_collection("docqa")
        store = Chroma(client=client, collection_name="docqa", embedding_function=docqa.embeddings)
        for question in QUESTIONS:
            ours = docqa.retrieve(question, k=5)
            assert len(ours) == 5
            hits = collection.query(query_embeddings=[docqa.embeddings.embed_query(question)], n_results=5)
            assert hits["ids"][0] == [p.chunk.id for p in ours], question
            assert hits["documents"][0] == [p.text for p in ours]
            for passage, distance in zip(ours, hits["distances"][0]):
                assert passage.dense_score == pytest.approx(1 - distance, abs=1e-5)
            found = store.similarity_search_with_score(question, k=5)
            assert [doc.id for doc, _ in found] == [p.chunk.id for p in ours], question
            assert [doc.metadata["start"] for doc, _ in found] == [p.start for p in ours]


def test_dense_mode_differs_from_hybrid_somewhere(corpus, embedder):
    """The setting is real: hybrid retrieval (BM25 fused, diversity) ranks differently from dense-only."""
    from qa.api import DocQA

    with dense_docqa(corpus, embedder) as dense, DocQA.open(index=corpus / ".docqa", embedder=embedder) as hybrid:
        differ = [q for q in QUESTIONS
                  if [p.chunk.id for p in dense.retrieve(q, k=5)] != [p.chunk.id for p in hybrid.retrieve(q, k=5)]]
    assert differ


def test_collection_metadata_names_model_chunker_and_dimension(corpus, embedder):
    import chromadb

    client = chromadb.PersistentClient(path=str(corpus / ".docqa" / "chroma"))
    meta = client.get_collection("docqa").metadata
    assert meta == {"docqa:model": embedder.model_id, "docqa:chunker": CHUNKER_VERSION,
                    "docqa:dim": embedder.dimension}
    readme = (ROOT / "README.md").read_text("utf-8")
    for key in meta:
        assert f"`{key}`" in readme, f"README documents {key}"
    record = client.get_collection("docqa").get(limit=1, include=["metadatas"])["metadatas"][0]
    assert {"source", "start", "end", "doc_id", "kind", "model", "chunker"} <= set(record)


def test_readme_interop_example_runs_and_agrees(corpus, embedder, capsys):
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Using the index from other tools", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, re.S)
    cwd = os.getcwd()
    os.chdir(corpus)
    try:
        namespace: dict = {"__name__": "readme_interop"}
        exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    assert "docqa:model" in printed
    with dense_docqa(corpus, embedder) as docqa:
        top = [p.chunk.id for p in docqa.retrieve(namespace["question"], k=3)]
    assert namespace["hits"]["ids"][0] == top
    assert [d.id for d in namespace["docs"]] == top


def test_a_relative_index_means_the_folder_it_is_opened_in(tmp_path, embedder):
    """chromadb caches clients by path string: `.docqa` opened from two folders must still be two indexes."""
    from qa.api import DocQA

    cwd = os.getcwd()
    try:
        for name, text in (("a", "Apples grow on trees in orchards."), ("b", "Basalt is a volcanic rock.")):
            (tmp_path / name).mkdir()
            (tmp_path / name / f"{name}.txt").write_text(text, encoding="utf-8")
            os.chdir(tmp_path / name)
            with DocQA.open(index=".docqa", embedder=embedder) as docqa:
                docqa.ingest([f"{name}.txt"])
                assert [s.source for s in docqa.sources()] == [f"{name}.txt"]
    finally:
        os.chdir(cwd)

"""DocQA.as_retriever(): a langchain_core BaseRetriever returning Documents with docqa's metadata."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from qa.filters import Filters

pytestmark = pytest.mark.slow

SEED_SOURCE = "seeds/000_4c9570219aa1637c.txt"


def test_as_retriever_is_a_langchain_retriever(seeded):
    retriever = seeded.as_retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("What range do ATACMS missiles have?")
    assert 1 <= len(docs) <= 3
    assert all(isinstance(d, Document) for d in docs)
    assert any("190-mile" in d.page_content for d in docs)
    meta = docs[0].metadata
    assert meta["source"] == SEED_SOURCE
    assert {"doc_id", "chunk_id", "start", "end", "kind", "page", "score", "dense_score", "lexical_score"} <= set(meta)
    assert meta["kind"] == "txt" and meta["end"] > meta["start"] >= 0
    assert docs[0].id == meta["chunk_id"]


def test_metadata_offsets_point_into_the_source(seeded):
    from tests.conftest import seed_text

    text = seed_text()
    for doc in seeded.as_retriever(k=2).invoke("Who is James Cartlidge?"):
        assert text[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content


def test_filters_and_batch(seeded):
    retriever = seeded.as_retriever(k=2, filters=Filters(kinds=("pdf",)))
    assert retriever.invoke("ATACMS") == []
    results = seeded.as_retriever(k=1).batch(["ATACMS range", "Storm Shadow"])
    assert [len(r) for r in results] == [1, 1]


def test_it_composes_in_a_runnable_chain(seeded):
    from langchain_core.runnables import RunnableLambda

    chain = seeded.as_retriever(k=2) | RunnableLambda(lambda docs: sorted({d.metadata["source"] for d in docs}))
    assert chain.invoke("Kursk offensive") == [SEED_SOURCE]

"""Conformance tests every ChunkStore passes (as Haystack's DocumentStore test mixins): subclass with a `store` fixture."""

from __future__ import annotations

import numpy as np
import pytest

from qa.filters import Filters
from qa.models import Chunk
from qa.store import DocRecord

DIM = 8


def unit(*hot: int) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[list(hot)] = 1.0
    return vector / np.linalg.norm(vector)


def chunk(doc: str, index: int, text: str, *, kind: str = "txt", page: int | None = None, **metadata) -> Chunk:
    return Chunk(id=f"{doc}-{index}", doc_id=doc, source=f"docs/{doc}.{kind}", index=index, start=10 * index,
                 end=10 * index + len(text), text=text, page=page, title=f"Title {doc}", heading="Intro", kind=kind,
                 sha256="ab" * 32, metadata=metadata)


def record(doc: str, status: str = "ok") -> DocRecord:
    return DocRecord(doc, f"docs/{doc}.txt", f"/x/docs/{doc}.txt", "ab" * 32, "txt", 2, status, "model", "chunker",
                     "2025-01-01T00:00:00+00:00", "2025-01-02T00:00:00+00:00", title="T", commit="c1")


CHUNKS = [chunk("a", 0, "alpha one", ext="txt"), chunk("a", 1, "alpha two", ext="txt", team="red"),
          chunk("b", 0, "beta one", kind="pdf", page=3, ext="pdf", team="blue"),
          chunk("c", 0, "gamma one", kind="md", ext="md", draft=True)]
VECTORS = np.stack([unit(0), unit(0, 1), unit(2), unit(3)])


class ChunkStoreConformance:
    """What ingest and retrieval rely on; the subclass provides an empty store as the `store` fixture."""

    @pytest.fixture
    def filled(self, store):
        store.upsert_chunks(CHUNKS, VECTORS)
        return store

    def test_chunks_round_trip_with_their_fields(self, filled):
        assert filled.count() == 4
        got = {c.id: c for c in filled.get_chunks()}
        for original in CHUNKS:
            back = got[original.id]
            assert (back.doc_id, back.source, back.index, back.start, back.end, back.text, back.page, back.title,
                    back.heading, back.kind, back.sha256) == (
                original.doc_id, original.source, original.index, original.start, original.end, original.text,
                original.page, original.title, original.heading, original.kind, original.sha256)
            assert {k: back.metadata[k] for k in original.metadata} == original.metadata
        assert [c.id for c in filled.get_chunks(doc_ids=["a"])] == ["a-0", "a-1"]
        assert [c.id for c in filled.get_chunks(ids=["b-0", "c-0"])] == ["b-0", "c-0"]
        assert filled.get_chunks(ids=[]) == [] and filled.get_chunks(doc_ids=[]) == []

    def test_upserting_the_same_ids_replaces_instead_of_duplicating(self, filled):
        changed = chunk("a", 0, "alpha one, edited", ext="txt")
        filled.upsert_chunks([changed], np.stack([unit(5)]))
        assert filled.count() == 4
        assert filled.get_chunks(ids=["a-0"])[0].text == "alpha one, edited"
        assert filled.query(unit(5), 1)[0][0].id == "a-0"

    def test_query_ranks_by_cosine_similarity_and_honours_k(self, filled):
        hits = filled.query(unit(0), 2)
        assert [c.id for c, _ in hits] == ["a-0", "a-1"]
        assert hits[0][1] == pytest.approx(1.0, abs=1e-4) and hits[1][1] == pytest.approx(0.7071, abs=1e-3)
        assert len(filled.query(unit(0), 100)) == 4

    @pytest.mark.parametrize("filters,expected", [
        (Filters(sources=("docs/b.pdf",)), {"b-0"}),
        (Filters(kinds=("txt", "md")), {"a-0", "a-1", "c-0"}),
        (Filters(where={"team": "red"}), {"a-1"}),
        (Filters(where={"team": ("red", "blue")}), {"a-1", "b-0"}),
        (Filters(where={"page": 3}), {"b-0"}),
        (Filters(where={"draft": True}), {"c-0"}),
        (Filters(kinds=("txt",), where={"ext": "pdf"}), set()),
    ])
    def test_query_filters_are_backend_neutral(self, filled, filters, expected):
        assert {c.id for c, _ in filled.query(unit(0), 10, filters)} == expected
        assert {c.id for c in CHUNKS if filters.admits(c)} == expected  # the filter's own reading agrees

    def test_an_empty_store_answers_queries_with_nothing(self, store):
        assert store.query(unit(0), 5) == [] and store.count() == 0 and store.get_chunks() == []

    def test_delete_chunks_and_ids_by_document(self, filled):
        ids = filled.chunk_ids_by_doc(["a", "b", "zzz"])
        assert {doc: sorted(found) for doc, found in ids.items()} == {"a": ["a-0", "a-1"], "b": ["b-0"], "zzz": []}
        filled.delete_chunks(["a-0", "a-1", "missing"])
        assert filled.count() == 2 and filled.chunk_ids_by_doc(["a"]) == {"a": []}

    def test_vectors_come_back_as_stored(self, filled):
        vectors = filled.get_vectors(["a-1", "c-0"])
        assert set(vectors) == {"a-1", "c-0"}
        assert np.allclose(vectors["a-1"], VECTORS[1], atol=1e-5)
        assert filled.get_vectors([]) == {}

    def test_commit_records_are_listed_replaced_and_deleted(self, store):
        store.put_doc_records([record("a", "pending"), record("b")])
        store.put_doc_records([record("a")])
        assert {d: r.status for d, r in store.doc_records().items()} == {"a": "ok", "b": "ok"}
        assert store.doc_records()["b"] == record("b")
        store.delete_doc_records(["a"])
        assert list(store.doc_records()) == ["b"]

    def test_generation_changes_on_every_bump_and_is_not_a_record(self, store):
        first = store.bump_generation()
        assert store.generation() == first
        assert store.bump_generation() != first
        assert store.doc_records() == {}

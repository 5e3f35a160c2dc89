"""The FTS5 lexical index: BM25 search, and following Chroma by generation and commit tokens."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from qa.filters import Filters
from qa.lexical import LexicalIndex, lexical_path, match_expression
from qa.text import query_terms
from qa.models import Chunk
from qa.settings import Settings
from qa.store import DocRecord


def make_chunks(doc_id: str, source: str, texts: list[str], kind: str = "txt") -> list[Chunk]:
    chunks, offset = [], 0
    for i, text in enumerate(texts):
        chunks.append(Chunk(id=f"{doc_id}-{i}-{uuid.uuid4().hex[:6]}", doc_id=doc_id, source=source, index=i,
                            start=offset, end=offset + len(text), text=text, kind=kind, metadata={"ext": kind}))
        offset += len(text) + 1
    return chunks


class FakeStore:
    """Just the part of ChromaStore that LexicalIndex.sync reads, with a counter of chunk fetches."""

    def __init__(self) -> None:
        self.records: dict[str, DocRecord] = {}
        self.chunks: dict[str, list[Chunk]] = {}
        self._generation = ""
        self.fetched_docs: list[str] = []

    def put(self, doc_id: str, source: str, texts: list[str], status: str = "ok", kind: str = "txt") -> str:
        commit = uuid.uuid4().hex
        self.records[doc_id] = DocRecord(doc_id, source, "/abs/" + source, "sha", kind, len(texts), status, "m", "c",
                                         "t0", "t1", commit=commit)
        self.chunks[doc_id] = make_chunks(doc_id, source, texts, kind)
        self.bump_generation()
        return commit

    def delete(self, doc_id: str) -> None:
        self.records.pop(doc_id)
        self.chunks.pop(doc_id)
        self.bump_generation()

    def generation(self) -> str:
        return self._generation

    def bump_generation(self) -> str:
        self._generation = uuid.uuid4().hex
        return self._generation

    def doc_records(self) -> dict[str, DocRecord]:
        return dict(self.records)

    def get_chunks(self, *, doc_ids=None, ids=None) -> list[Chunk]:
        self.fetched_docs.extend(doc_ids or [])
        return [c for d in doc_ids or [] for c in self.chunks.get(d, [])]


@pytest.fixture
def index(tmp_path: Path):
    lexical = LexicalIndex(tmp_path / "lexical" / "test.sqlite3")
    yield lexical
    lexical.close()


def sources_for(lexical: LexicalIndex, query: str, k: int = 10, filters: Filters | None = None) -> list[str]:
    return [c.source for c, _ in lexical.search(query, k, filters)]


def fts_is_consistent(lexical: LexicalIndex) -> bool:
    """FTS5's own check that the full-text index matches the chunks table it indexes."""
    try:
        lexical._db.execute("INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_query_terms_drop_stopwords_and_keep_numbers():
    assert query_terms("What is the range of the 190-mile ATACMS?") == ["range", "190", "mile", "atacms"]
    assert query_terms("the of and") == []


def test_match_expression_quotes_fts_syntax():
    assert match_expression(['a"b', "NEAR"]) == '"a""b" OR "NEAR"'


def test_search_ranks_rare_term_first_and_stems(index: LexicalIndex):
    index.replace_documents([
        ("d1", "c1", "a.txt", make_chunks("d1", "a.txt", ["Missiles were approved for use.", "The weather was fine."])),
        ("d2", "c1", "b.txt", make_chunks("d2", "b.txt", ["ATACMS missiles have a 190-mile range."])),
    ])
    hits = index.search("How far do the ATACMS fly?", 5)
    assert hits[0][0].source == "b.txt" and hits[0][1] > 0
    assert "a.txt" in sources_for(index, "missile")  # porter stemming: missile ~ missiles
    assert index.search("the of", 5) == []
    assert index.search('AND OR NEAR( "', 5) == []  # FTS5 syntax in user text is harmless


def test_search_honours_filters(index: LexicalIndex):
    index.replace_documents([
        ("d1", "c", "notes/a.md", make_chunks("d1", "notes/a.md", ["Storm Shadow missiles"], kind="md")),
        ("d2", "c", "news/b.txt", make_chunks("d2", "news/b.txt", ["Storm Shadow missiles again"], kind="txt")),
    ])
    assert set(sources_for(index, "storm shadow")) == {"notes/a.md", "news/b.txt"}
    assert sources_for(index, "storm", filters=Filters(kinds=("md",))) == ["notes/a.md"]
    assert sources_for(index, "storm", filters=Filters(sources=("news/b.txt",))) == ["news/b.txt"]
    assert sources_for(index, "storm", filters=Filters(where={"ext": "txt"})) == ["news/b.txt"]
    assert sources_for(index, "storm", filters=Filters(where={"ext": ("txt", "md")}, kinds=("md",))) == ["notes/a.md"]


def test_sync_follows_adds_changes_and_deletes(index: LexicalIndex):
    store = FakeStore()
    store.put("d1", "a.txt", ["alpha apples"])
    store.put("d2", "b.txt", ["bravo bananas"])
    assert index.sync(store) == 2
    assert sources_for(index, "apples") == ["a.txt"] and sources_for(index, "bananas") == ["b.txt"]

    store.fetched_docs.clear()
    store.put("d1", "a.txt", ["alpha avocados"])  # changed: new commit token
    assert index.sync(store) == 1
    assert store.fetched_docs == ["d1"], "only the changed document is fetched again"
    assert sources_for(index, "apples") == [] and sources_for(index, "avocados") == ["a.txt"]

    store.delete("d2")
    assert index.sync(store) == 1
    assert sources_for(index, "bananas") == []
    assert index.count() == 1 and index.sources() == ["a.txt"]
    assert fts_is_consistent(index)


def test_sync_is_one_generation_read_when_nothing_changed(index: LexicalIndex):
    store = FakeStore()
    store.put("d1", "a.txt", ["alpha"])
    index.sync(store)
    store.fetched_docs.clear()
    store.doc_records = lambda: pytest.fail("records must not be read when the generation is unchanged")
    assert index.sync(store) == 0
    assert store.fetched_docs == []


def test_sync_keeps_documents_being_rewritten_until_their_commit_lands(index: LexicalIndex):
    store = FakeStore()
    store.put("d1", "a.txt", ["old text about apples"])
    index.sync(store)
    store.records["d1"] = replace(store.records["d1"], status="pending", commit="new")
    store.bump_generation()
    index.sync(store)
    assert sources_for(index, "apples") == ["a.txt"]
    store.records["d1"] = replace(store.records["d1"], status="deleting")
    store.bump_generation()
    index.sync(store)
    assert sources_for(index, "apples") == []


def test_direct_writes_with_matching_commits_are_not_fetched_again(index: LexicalIndex):
    """The ingest path writes the index itself; the sync after it must find nothing to re-fetch."""
    store = FakeStore()
    commit = store.put("d1", "a.txt", ["written by the ingest path"])
    index.replace_documents([("d1", commit, "a.txt", store.chunks["d1"])])
    store.fetched_docs.clear()
    assert index.sync(store) == 0
    assert store.fetched_docs == []


def test_reopen_keeps_content_and_missing_file_is_rebuilt(tmp_path: Path):
    store = FakeStore()
    store.put("d1", "a.txt", ["persistent pears"])
    path = tmp_path / "lex.sqlite3"
    first = LexicalIndex(path)
    first.sync(store)
    first.close()
    again = LexicalIndex(path)
    assert sources_for(again, "pears") == ["a.txt"]
    assert again.sync(store) == 0
    again.close()
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    rebuilt = LexicalIndex(path)
    assert rebuilt.sync(store) == 1
    assert sources_for(rebuilt, "pears") == ["a.txt"]
    rebuilt.close()


def test_damaged_file_is_set_aside_and_rebuilt(tmp_path: Path):
    path = tmp_path / "lex.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = FakeStore()
    store.put("d1", "a.txt", ["recovered raspberries"])
    index = LexicalIndex(path)
    assert index.sync(store) == 1
    assert sources_for(index, "raspberries") == ["a.txt"]
    assert list(tmp_path.glob("lex.sqlite3.damaged-*"))
    index.close()


def test_many_rewrites_keep_fts_consistent(index: LexicalIndex):
    store = FakeStore()
    for round_ in range(5):
        for d in range(10):
            store.put(f"d{d}", f"{d}.txt", [f"round{round_} doc{d} part{p}" for p in range(3)])
        if round_ % 2:
            store.delete("d3")
        index.sync(store)
    assert fts_is_consistent(index)
    assert index.count() == 30
    assert sources_for(index, "round4", k=50).count("3.txt") == 3
    assert sources_for(index, "round3") == []


def test_lexical_path_separates_servers_and_collections(tmp_path: Path):
    local = lexical_path(Settings(index=tmp_path))
    other = lexical_path(Settings(index=tmp_path, collection="other"))
    server = lexical_path(Settings(index=tmp_path, chroma_url="http://127.0.0.1:8123"))
    assert len({local, other, server}) == 3
    assert all(p.parent == tmp_path / "lexical" for p in (local, other, server))


# End to end, with the real model and Chroma ------------------------------------------------------

def bm25_sources(docqa, query: str) -> list[str]:
    docqa.lexical.sync(docqa.store)
    return [c.source for c, _ in docqa.lexical.search(query, 10)]


@pytest.mark.slow
def test_ingest_change_delete_reopen_keep_bm25_in_step(tmp_path: Path, embedder, monkeypatch):
    from qa.api import DocQA

    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The quokka lives on Rottnest Island.\n\nIt is a small marsupial.", "utf-8")
    (docs / "b.md").write_text("# Birds\n\nThe kakapo is a flightless parrot from New Zealand.", "utf-8")
    docqa = DocQA.open(index=tmp_path / "index")
    docqa._embedder = embedder
    docqa.ingest(["docs"])
    assert bm25_sources(docqa, "quokka") == ["docs/a.txt"]
    assert bm25_sources(docqa, "kakapo") == ["docs/b.md"]

    (docs / "a.txt").write_text("The numbat eats termites in Western Australia.", "utf-8")
    report = docqa.ingest(["docs"])
    assert {o.source: o.status for o in report.files} == {"docs/a.txt": "updated", "docs/b.md": "unchanged"}
    assert bm25_sources(docqa, "quokka") == []
    assert bm25_sources(docqa, "numbat") == ["docs/a.txt"]

    (docs / "b.md").unlink()
    docqa.ingest(["docs"], sync=True)
    assert bm25_sources(docqa, "kakapo") == []
    assert docqa.lexical.count() == docqa.store.count()
    lexical_file = docqa.lexical.path
    docqa.close()

    reopened = DocQA.open(index=tmp_path / "index")
    reopened._embedder = embedder
    assert bm25_sources(reopened, "numbat") == ["docs/a.txt"]
    reopened.remove(["a.txt"])
    assert bm25_sources(reopened, "numbat") == []
    reopened.close()

    # The lexical file is only a cache: without it, the next query rebuilds it from Chroma.
    (docs / "c.txt").write_text("The tuatara is a reptile.", "utf-8")
    writer = DocQA.open(index=tmp_path / "index")
    writer._embedder = embedder
    writer.ingest(["docs"])
    writer.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{lexical_file}{suffix}").unlink(missing_ok=True)
    rebuilt = DocQA.open(index=tmp_path / "index")
    rebuilt._embedder = embedder
    assert [p.source for p in rebuilt.retriever.retrieve("tuatara", k=1, mode="lexical")] == ["docs/c.txt"]
    rebuilt.close()

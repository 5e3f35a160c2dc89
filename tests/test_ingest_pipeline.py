"""Incremental ingest with the real model and Chroma: hash skip, updates, sync, remove, model/chunker stamps."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.pipeline import reset_index
from qa.api import DocQA
from qa.errors import IndexMismatchError

pytestmark = pytest.mark.slow

DOCQA = str(Path(sys.executable).with_name("docqa"))

TOPICS = {
    "apples.txt": "Apples grow on trees in temperate orchards. The Braeburn apple was found in New Zealand in 1952. "
                  "Apple trees need cross-pollination by bees.",
    "rivers.md": "# Rivers\n\nThe Danube flows through ten countries. It ends in the Black Sea after 2,850 kilometres.\n\n"
                 "## Deltas\n\nThe Danube Delta is a wetland of reed beds and lakes.",
    "nested/volcanoes.txt": "Mount Etna is an active volcano on Sicily. Its eruptions are recorded since 1500 BC. "
                            "Lava from Etna reached Catania in 1669.",
    "nested/deeper/tea.txt": "Green tea is not oxidised. Black tea is fully oxidised before drying. "
                             "Oolong sits between the two.",
}


class CountingEmbedder:
    """The real embedder, counting what is sent to the model; optionally claiming another model id."""

    def __init__(self, inner, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens
        self.calls = 0
        self.texts = 0

    def embed_documents(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def token_offsets(self, text):
        return self.inner.token_offsets(text)


def write_corpus(root: Path, files: dict[str, str] = TOPICS) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def open_docqa(index: Path, embedder, **overrides) -> DocQA:
    docqa = DocQA.open(index=index, **overrides)
    docqa._embedder = embedder
    return docqa


def stored(docqa: DocQA) -> dict[str, tuple[str, str]]:
    """chunk id -> (doc_id, text), straight from Chroma."""
    result = docqa.store.chunks.get(include=["metadatas", "documents"])
    return {i: (m["doc_id"], d) for i, m, d in zip(result["ids"], result["metadatas"], result["documents"])}


def lexical_rows(docqa: DocQA) -> dict[str, tuple[str, str]]:
    rows = docqa.lexical._db.execute("SELECT chunk_id, doc_id, text FROM chunks").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def assert_consistent(docqa: DocQA, corpus: Path, expected_files: set[str]) -> None:
    """Chroma, the commit records and the lexical index agree with each other and with the files."""
    chunks = stored(docqa)
    records = docqa.store.doc_records()
    assert {r.status for r in records.values()} <= {"ok"}
    assert {Path(r.path).relative_to(corpus.resolve()).as_posix() for r in records.values()} == expected_files
    assert {doc for doc, _ in chunks.values()} == set(records)
    for record in records.values():
        assert sum(1 for doc, _ in chunks.values() if doc == record.doc_id) == record.chunks
        assert record.model == docqa.embedder.model_id
    assert lexical_rows(docqa) == chunks
    from ingest.loaders import load_file

    for chunk in docqa.store.get_chunks():
        # Offsets point into the loaded text: the file itself for .txt, its readable text for markdown.
        text = load_file(records[chunk.doc_id].path).text
        assert text[chunk.start : chunk.end] == chunk.text


def test_unchanged_files_are_skipped_without_loading_or_embedding(tmp_path, embedder, monkeypatch):
    corpus = write_corpus(tmp_path / "docs")
    counting = CountingEmbedder(embedder)
    docqa = open_docqa(tmp_path / "index", counting)
    first = docqa.ingest([corpus])
    assert first.added == len(TOPICS) and first.failed == 0 and first.chunks_added > 0
    assert counting.texts == first.chunks_added
    assert_consistent(docqa, corpus, set(TOPICS))

    import ingest.pipeline as pipeline

    loads = []
    real_load = pipeline.load_file
    monkeypatch.setattr(pipeline, "load_file", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    calls_before = counting.calls
    again = docqa.ingest([corpus])
    assert again.unchanged == len(TOPICS) and again.added == again.updated == 0
    assert counting.calls == calls_before and loads == [], "unchanged files must not be loaded or embedded"
    assert again.chunks_added == 0 and again.seconds < first.seconds
    assert_consistent(docqa, corpus, set(TOPICS))
    docqa.close()


def test_changed_file_replaces_its_chunks(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    counting = CountingEmbedder(embedder)
    docqa = open_docqa(tmp_path / "index", counting)
    docqa.ingest([corpus])
    before = stored(docqa)
    (corpus / "apples.txt").write_text("Pears are different. The Conference pear ripens in October.", "utf-8")
    texts_before = counting.texts
    report = docqa.ingest([corpus])
    assert report.updated == 1 and report.unchanged == len(TOPICS) - 1
    assert counting.texts - texts_before == report.chunks_added, "only the changed file is embedded"
    after = stored(docqa)
    assert not any("Braeburn" in text for _, text in after.values()), "old chunks are gone"
    assert any("Conference pear" in text for _, text in after.values())
    assert report.chunks_removed == len(set(before) - set(after)) > 0
    assert_consistent(docqa, corpus, set(TOPICS))
    answer = docqa.ask("When does the Conference pear ripen?")
    assert "October" in answer.answer
    docqa.close()


def test_sync_removes_documents_whose_files_are_gone(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder)
    docqa.ingest([corpus])
    (corpus / "nested" / "volcanoes.txt").unlink()
    kept = docqa.ingest([corpus])
    assert kept.removed == 0 and len(docqa.sources()) == len(TOPICS), "without --sync nothing is removed"
    synced = docqa.ingest([corpus], sync=True)
    assert synced.removed == 1 and synced.chunks_removed > 0
    assert [f.source for f in synced.files if f.status == "removed"] == [str(corpus / "nested" / "volcanoes.txt")]
    assert_consistent(docqa, corpus, set(TOPICS) - {"nested/volcanoes.txt"})
    # A path that does not exist (a typo, an unmounted drive) never empties the index.
    missing = docqa.ingest([tmp_path / "no-such-folder"], sync=True)
    assert missing.failed == 1 and missing.removed == 0 and len(docqa.sources()) == len(TOPICS) - 1
    docqa.close()


def test_a_moved_folder_is_held_once_and_a_copy_twice(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder)
    first = docqa.ingest([corpus])
    moved = corpus.rename(tmp_path / "renamed")
    report = docqa.ingest([moved])  # no --sync: the old paths are gone and their contents are here
    assert report.added == len(TOPICS) and report.removed == len(TOPICS)
    assert report.chunks_removed == first.chunks_added
    reasons = {f.source: f.reason for f in report.files if f.status == "removed"}
    assert reasons[str(corpus / "apples.txt")] == f"moved to {moved / 'apples.txt'}"
    assert_consistent(docqa, moved, set(TOPICS))
    # A copy whose original still exists is a second document, not a move.
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "tea.txt").write_bytes((moved / "nested" / "deeper" / "tea.txt").read_bytes())
    copied = docqa.ingest([tmp_path / "copy"])
    assert copied.added == 1 and copied.removed == 0 and len(docqa.sources()) == len(TOPICS) + 1
    docqa.close()


def test_remove_by_source_and_glob(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder)
    docqa.ingest([corpus])
    report = docqa.remove(["apples.txt"])
    assert report.removed == 1 and report.chunks_removed > 0
    report = docqa.remove(["volcano*"])
    assert report.removed == 1
    assert_consistent(docqa, corpus, {"rivers.md", "nested/deeper/tea.txt"})
    docqa.close()


def test_other_model_is_refused_then_rebuild_reembeds(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    index = tmp_path / "index"
    docqa = open_docqa(index, embedder)
    docqa.ingest([corpus])
    docqa.close()

    other = open_docqa(index, CountingEmbedder(embedder, model_id="another-model"))
    with pytest.raises(IndexMismatchError, match="another-model.*--rebuild"):
        other.store
    reset_index(other.settings)
    report = other.ingest([corpus])
    assert report.added == len(TOPICS) and other.embedder.texts == report.chunks_added
    metas = other.store.chunks.get(include=["metadatas"])["metadatas"]
    assert {m["model"] for m in metas} == {"another-model"}, "no vectors of the old model are left"
    assert_consistent(other, corpus, set(TOPICS))
    other.close()


def test_changed_chunk_size_rechunks_every_document(tmp_path, embedder):
    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder, chunk_tokens=160)
    docqa.ingest([corpus])
    docqa.close()
    smaller = open_docqa(tmp_path / "index", embedder, chunk_tokens=16, chunk_overlap_tokens=4)
    report = smaller.ingest([corpus])
    assert report.updated == len(TOPICS)
    assert all(len(embedder.token_offsets(c.text)) <= 16 for c in smaller.store.get_chunks())
    assert_consistent(smaller, corpus, set(TOPICS))
    smaller.close()


def test_changed_extraction_of_a_kind_reingests_only_that_kind(tmp_path, embedder):
    """A document recorded before its loader's extraction changed (markdown cleaned to readable text) is re-ingested
    on the next sync; the other kinds stay unchanged and the index needs no rebuild."""
    from dataclasses import replace

    from qa.registry import FILE_TYPES

    assert FILE_TYPES.extraction("md")
    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder)
    docqa.ingest([corpus])
    records = docqa.store.doc_records()
    current = {Path(r.path).name: r.chunker for r in records.values()}
    assert current["rivers.md"].endswith(":" + FILE_TYPES.extraction("md")), current
    base = current["rivers.md"].removesuffix(":" + FILE_TYPES.extraction("md"))  # as recorded before it changed
    docqa.store.put_doc_records([replace(r, chunker=base) for r in records.values() if r.kind == "md"])
    docqa.close()
    again = open_docqa(tmp_path / "index", embedder)
    report = again.ingest([corpus])
    assert {Path(o.source).name: o.status for o in report.files if o.status != "unchanged"} == {"rivers.md": "updated"}
    assert report.updated == 1 and report.unchanged == len(TOPICS) - 1
    assert {Path(r.path).name: r.chunker for r in again.store.doc_records().values()} == current
    assert_consistent(again, corpus, set(TOPICS))
    again.close()


def test_another_process_cache_follows_chroma(tmp_path, embedder):
    """Two writers share one Chroma; each one's lexical index is a cache that catches up by commit tokens."""
    from qa.lexical import LexicalIndex

    corpus = write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "index", embedder)
    other_cache = LexicalIndex(tmp_path / "elsewhere" / "lexical.sqlite3")
    docqa.ingest([corpus])
    assert other_cache.sync(docqa.store) == len(TOPICS)
    assert other_cache.count() == docqa.lexical.count() > 0
    (corpus / "rivers.md").write_text("# Rivers\n\nThe Rhine ends in the North Sea.", "utf-8")
    docqa.ingest([corpus])
    docqa.remove(["tea.txt"])
    assert other_cache.sync(docqa.store) == 2
    assert any("Rhine" in c.text for c, _ in other_cache.search("Rhine North Sea", 5))
    assert other_cache.count() == docqa.lexical.count() == docqa.store.count()
    assert not other_cache.search("oxidised tea", 5)
    other_cache.close()
    docqa.close()


def test_report_and_progress(tmp_path, embedder, monkeypatch):
    corpus = write_corpus(tmp_path / "docs")
    (corpus / "notes.xyz").write_text("not a document type", "utf-8")
    seen = []
    docqa = open_docqa(tmp_path / "index", embedder)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    report = docqa.ingest([corpus], progress=True, on_file=seen.append)
    monkeypatch.undo()
    assert "files" in terminal.getvalue() and "chunks" in terminal.getvalue(), "a bar is drawn on a terminal"
    assert [f.source for f in seen] == [f.source for f in report.files]
    summary = report.to_dict()
    assert summary["added"] == len(TOPICS) and summary["skipped"] == 1 and summary["failed"] == 0
    assert summary["chunks_added"] == docqa.store.count() and summary["seconds"] > 0
    assert summary["chunks_per_second"] > 0
    assert report.ok
    docqa.close()


def _cli(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DOCQA, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


def test_cli_refuses_another_model_and_rebuild_fixes_it(tmp_path, embedder):
    """End to end: the model is named by DOCQA_EMBEDDING_MODEL; a link under another name is another model id."""
    from qa.embedding import default_model_path

    write_corpus(tmp_path / "docs")
    docqa = open_docqa(tmp_path / "idx", embedder)
    docqa.ingest([tmp_path / "docs"])
    docqa.close()
    other = tmp_path / "renamed-minilm"
    other.symlink_to(default_model_path(), target_is_directory=True)
    env = {"DOCQA_EMBEDDING_MODEL": str(other)}

    refused = _cli(["--index", "idx", "ingest", "docs", "--json"], tmp_path, env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "renamed-minilm" in refused.stderr and "--rebuild" in refused.stderr
    assert refused.stdout == ""

    rebuilt = _cli(["--index", "idx", "ingest", "docs", "--rebuild", "--json"], tmp_path, env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = json.loads(rebuilt.stdout)
    assert report["added"] == len(TOPICS) and report["unchanged"] == 0
    listed = json.loads(_cli(["--index", "idx", "sources", "--json"], tmp_path, env).stdout)
    assert len(listed) == len(TOPICS)

    removed = _cli(["--index", "idx", "remove", "apples.txt", "--json"], tmp_path, env)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout)["removed"] == 1
    listed = json.loads(_cli(["--index", "idx", "sources", "--json"], tmp_path, env).stdout)
    assert sorted(s["source"] for s in listed) == sorted(f"docs/{name}" for name in TOPICS if name != "apples.txt")

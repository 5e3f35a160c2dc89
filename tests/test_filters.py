"""Retrieval filters: parsing, their Chroma and SQL forms, and end to end on both retrieval sides."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa.errors import DocQAError, SourceNotFoundError
from qa.filters import Filters
from qa.lexical import sql_where
from qa.store import chroma_where

SOURCES = ["notes/a.md", "notes/deep/b.txt", "news/c.html", "report.pdf"]


def test_parse_types_values_and_normalises_kinds():
    f = Filters.parse(["notes/*"], [".PDF", "markdown"], ["page=3", "draft=false", "ratio=0.5", "team=red|blue"])
    assert f.sources == ("notes/*",)
    assert f.kinds == ("pdf", "md")
    assert f.where == {"page": 3, "draft": False, "ratio": 0.5, "team": ("red", "blue")}
    assert Filters.parse().empty and not f.empty


@pytest.mark.parametrize("bad", ["novalue", "=x", " =x"])
def test_parse_rejects_malformed_where_naming_it(bad):
    with pytest.raises(DocQAError, match="KEY=VALUE"):
        Filters.parse(where=[bad])


def test_from_mapping_is_what_a_ui_sends():
    f = Filters.from_mapping({"sources": "notes/*", "kinds": ["htm"], "where": {"page": [1, 2], "ext": "pdf"}})
    assert f == Filters(("notes/*",), ("html",), {"page": (1, 2), "ext": "pdf"})
    assert Filters.from_mapping(None).empty
    with pytest.raises(DocQAError, match="unknown filter field"):
        Filters.from_mapping({"source": "x"})
    with pytest.raises(DocQAError, match="where"):
        Filters.from_mapping({"where": {"page": {"$gt": 1}}})


@pytest.mark.parametrize("pattern,expected", [
    ("notes/a.md", ["notes/a.md"]),  # exact
    ("b.txt", ["notes/deep/b.txt"]),  # file name
    ("notes", ["notes/a.md", "notes/deep/b.txt"]),  # folder
    ("notes/", ["notes/a.md", "notes/deep/b.txt"]),
    ("*.pdf", ["report.pdf"]),  # glob on the name
    ("news/*", ["news/c.html"]),  # glob on the path
    ("./report.pdf", ["report.pdf"]),
])
def test_resolve_source_patterns(pattern, expected):
    f = Filters(sources=(pattern,))
    assert list(f.resolve(SOURCES).sources) == expected
    assert f.unmatched(SOURCES) == []


def test_unmatched_patterns_are_named_and_match_nothing():
    f = Filters(sources=("missing.pdf", "*.md"))
    assert f.unmatched(SOURCES) == ["missing.pdf"]
    nothing = Filters(sources=("missing.pdf",)).resolve(SOURCES)
    assert nothing.matches_nothing


def test_to_chroma_shapes():
    assert chroma_where(Filters()) is None and chroma_where(None) is None
    assert chroma_where(Filters(kinds=("pdf",))) == {"kind": {"$in": ["pdf"]}}
    assert chroma_where(Filters(sources=("a",), where={"page": 2, "team": ("r", "b")})) == {
        "$and": [{"source": {"$in": ["a"]}}, {"page": 2}, {"team": {"$in": ["r", "b"]}}]
    }


def test_to_sql_selects_the_same_rows_as_intended():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE chunks(chunk_id TEXT, source TEXT, kind TEXT, page INTEGER, title TEXT, heading TEXT,"
                " doc_id TEXT, meta TEXT)")
    rows = [
        ("1", "notes/a.md", "md", None, "A", None, "d1", json.dumps({"ext": "md", "draft": True})),
        ("2", "report.pdf", "pdf", 2, "R", None, "d2", json.dumps({"ext": "pdf", "draft": False, "team": "red"})),
        ("3", "report.pdf", "pdf", 3, "R", None, "d2", json.dumps({"ext": "pdf", "draft": False, "team": "blue"})),
    ]
    db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)", rows)

    def select(f: Filters) -> list[str]:
        clause, params = sql_where(f, "c")
        return [r[0] for r in db.execute(f"SELECT chunk_id FROM chunks c WHERE {clause} ORDER BY chunk_id", params)]

    assert select(Filters(kinds=("pdf",))) == ["2", "3"]
    assert select(Filters(where={"page": 3})) == ["3"]
    assert select(Filters(where={"draft": True})) == ["1"]
    assert select(Filters(where={"team": ("red", "blue")})) == ["2", "3"]
    assert select(Filters(sources=("notes/a.md", "report.pdf"), where={"ext": "md"})) == ["1"]
    assert select(Filters(where={"weird\"key": "x"})) == []


# End to end: real model, real Chroma; both the dense and the lexical side honour every filter --------

@pytest.fixture(scope="module")
def filtered_docqa(tmp_path_factory, embedder):
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("filters")
    docs = base / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "news").mkdir()
    text = "Storm Shadow missiles are British-made cruise missiles with a range of about 250 km."
    (docs / "notes" / "missiles.md").write_text(f"# Missiles\n\n{text}\n", "utf-8")
    (docs / "notes" / "missiles.txt").write_text(f"{text} Notes copy.\n", "utf-8")
    (docs / "news" / "missiles.html").write_text(
        f"<html><head><title>News</title></head><body><article><h1>Missile news</h1><p>{text} News copy.</p>"
        "<p>France also supplies SCALP missiles, the French name of the same weapon.</p></article></body></html>",
        "utf-8",
    )
    (docs / "other.txt").write_text("Kakapo parrots cannot fly. Missiles are not mentioned here.\n", "utf-8")
    import os

    cwd = os.getcwd()
    os.chdir(base)
    try:
        docqa = DocQA.open(index=base / "index")
        docqa._embedder = embedder
        report = docqa.ingest(["docs"])
    finally:
        os.chdir(cwd)
    assert report.failed == 0, report
    yield docqa
    docqa.close()


FILTER_CASES = [
    (Filters(sources=("docs/notes/*",)), {"docs/notes/missiles.md", "docs/notes/missiles.txt"}),
    (Filters(sources=("docs/news",)), {"docs/news/missiles.html"}),
    (Filters(sources=("missiles.txt",)), {"docs/notes/missiles.txt"}),
    (Filters(kinds=("md",)), {"docs/notes/missiles.md"}),
    (Filters(kinds=("html", "md")), {"docs/notes/missiles.md", "docs/news/missiles.html"}),
    (Filters(where={"ext": "txt"}), {"docs/notes/missiles.txt", "docs/other.txt"}),
    (Filters(sources=("docs/notes",), where={"ext": "md"}), {"docs/notes/missiles.md"}),
]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
@pytest.mark.parametrize("filters,allowed", FILTER_CASES)
def test_every_retrieval_side_honours_filters(filtered_docqa, mode, filters, allowed):
    passages = filtered_docqa.retriever.retrieve("Storm Shadow missiles range", k=10, filters=filters, mode=mode)
    found = {p.source for p in passages}
    assert found and found <= allowed, (mode, found)
    if mode != "lexical" or filters.where.get("ext") != "txt":
        assert found == allowed, (mode, found)  # nothing allowed is lost either ("other.txt" lacks the words)


@pytest.mark.slow
def test_unfiltered_retrieval_sees_every_copy(filtered_docqa):
    sources = {p.source for p in filtered_docqa.retriever.retrieve("Storm Shadow missiles", k=10, mode="hybrid-nodiv")}
    assert {"docs/notes/missiles.md", "docs/notes/missiles.txt", "docs/news/missiles.html"} <= sources


@pytest.mark.slow
def test_ask_with_an_unknown_source_names_it(filtered_docqa):
    with pytest.raises(SourceNotFoundError, match="nope.pdf"):
        filtered_docqa.ask("What range do Storm Shadow missiles have?", filters=Filters(sources=("nope.pdf",)))


@pytest.mark.slow
def test_cli_ask_honours_source_type_and_where(filtered_docqa, embedder, monkeypatch):
    from click.testing import CliRunner

    from ui.cli import cli

    monkeypatch.setattr("qa.embedding.make_embedder", lambda settings: embedder)
    index = str(filtered_docqa.settings.index)
    runner = CliRunner()
    for args, allowed in [
        (["--source", "docs/news/*"], {"docs/news/missiles.html"}),
        (["--type", "md"], {"docs/notes/missiles.md"}),
        (["--where", "ext=txt", "--source", "docs/notes"], {"docs/notes/missiles.txt"}),
    ]:
        result = runner.invoke(cli, ["--index", index, "ask", "What range do Storm Shadow missiles have?", "--json", *args])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        assert answer["passages"] and {p["source"] for p in answer["passages"]} <= allowed, args
    missing = runner.invoke(cli, ["--index", index, "ask", "Anything?", "--source", "nope.pdf"])
    assert missing.exit_code != 0 and "nope.pdf" in missing.output and "Traceback" not in missing.output

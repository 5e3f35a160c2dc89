"""Several processes ingesting into one Chroma server: every process's BM25 cache follows Chroma.

Two writer processes (each with its own local index folder, as on two machines) ingest, change and
remove documents at the same time against one real `chroma run` server; a third process's lexical
index must then hold exactly what Chroma holds: both writers' documents, new text, no removed ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.slow]

WRITER = textwrap.dedent(
    """
    import json, sys
    from qa.api import DocQA

    index, url, action, *paths = sys.argv[1:]
    docqa = DocQA.open(index=index, chroma_url=url, collection="shared")
    report = docqa.ingest(paths, sync=True) if action == "ingest" else docqa.remove(paths)
    docqa.close()
    print(json.dumps({o.source: o.status for o in report.files}))
    """
)


@pytest.fixture
def served_chroma(tmp_path: Path):
    """A real Chroma server on a free loopback port, always stopped at the end."""
    with servers.chroma_server(tmp_path) as url:
        yield url


def write_docs(folder: Path, writer: str, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"doc{i}.txt").write_text(
            f"Report {i} of writer {writer}. The marker word is {writer}mark{i}.\n\n"
            f"It also mentions the shared word kestrel and the number {1000 + i}.\n",
            "utf-8",
        )


def run_writers(tmp_path: Path, url: str, *commands: list[str]) -> list[dict[str, str]]:
    """Start one process per command at the same moment and wait for all of them."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    script = tmp_path / "writer.py"
    script.write_text(WRITER, "utf-8")
    procs = [
        subprocess.Popen([sys.executable, str(script), str(tmp_path / f"index-{name}"), url, *args],
                         cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, *args in commands
    ]
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def bm25(docqa, word: str) -> list[str]:
    docqa.lexical.sync(docqa.store)
    return sorted(c.source for c, _ in docqa.lexical.search(word, 50))


def test_two_writers_and_a_reader_agree_through_chroma(tmp_path: Path, served_chroma: str, embedder):
    from qa.api import DocQA

    write_docs(tmp_path / "alpha", "alpha", 6)
    write_docs(tmp_path / "beta", "beta", 6)
    first = run_writers(tmp_path, served_chroma, ["w1", "ingest", "alpha"], ["w2", "ingest", "beta"])
    assert set(first[0].values()) == {"added"} and len(first[0]) == 6
    assert set(first[1].values()) == {"added"} and len(first[1]) == 6

    reader = DocQA.open(index=tmp_path / "index-reader", chroma_url=served_chroma, collection="shared")
    reader._embedder = embedder
    for writer in ("alpha", "beta"):
        for i in range(6):
            assert bm25(reader, f"{writer}mark{i}") == [f"{writer}/doc{i}.txt"]
    assert len(bm25(reader, "kestrel")) == 12
    assert reader.lexical.count() == reader.store.count()
    hybrid = reader.retrieve("Which report has the marker betamark3?", k=1)
    assert hybrid[0].source == "beta/doc3.txt"

    # Round two, again at the same time: writer 1 removes two documents, writer 2 rewrites one and deletes one.
    (tmp_path / "beta" / "doc0.txt").write_text("Rewritten by writer beta: the marker is now betafresh0.\n", "utf-8")
    (tmp_path / "beta" / "doc5.txt").unlink()
    second = run_writers(tmp_path, served_chroma, ["w1", "remove", "alpha/doc1.txt", "alpha/doc2.txt"],
                         ["w2", "ingest", "beta"])
    assert second[0] == {"alpha/doc1.txt": "removed", "alpha/doc2.txt": "removed"}
    assert second[1]["beta/doc0.txt"] == "updated" and second[1]["beta/doc5.txt"] == "removed"

    # The same reader, never told anything, follows Chroma on its next query.
    assert bm25(reader, "alphamark1") == [] and bm25(reader, "alphamark2") == []
    assert bm25(reader, "betamark0") == [] and bm25(reader, "betamark5") == []
    assert bm25(reader, "betafresh0") == ["beta/doc0.txt"]
    assert bm25(reader, "alphamark3") == ["alpha/doc3.txt"]
    assert len(bm25(reader, "kestrel")) == 8
    assert reader.lexical.count() == reader.store.count()
    assert [p.source for p in reader.retriever.retrieve("alphamark2", k=3, mode="lexical")] == []

    # The writers' own caches caught up too: each saw the other's changes on its next sync.
    for name in ("w1", "w2"):
        writer_view = DocQA.open(index=tmp_path / f"index-{name}", chroma_url=served_chroma, collection="shared")
        writer_view._embedder = embedder
        assert bm25(writer_view, "betafresh0") == ["beta/doc0.txt"]
        assert bm25(writer_view, "alphamark2") == []
        assert writer_view.lexical.count() == writer_view.store.count()
        writer_view.close()
    reader.close()

"""Many processes, one embedded index: a long-running reader (as `docqa serve` is) keeps answering while
`docqa ingest` runs in another process, and sees every committed document on its next question; writers and
readers opening a fresh index all at once neither fail nor disagree (qa/chroma_local.py says how)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DOCQA = str(Path(sys.executable).with_name("docqa"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def write_batch(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"bird{i:02d}.txt").write_text(
            f"Field note {i}: the marker word of this note is ospreymark{i}. Ospreys nested on pylon {100 + i} "
            f"beside the estuary this spring.\n", "utf-8")


def test_a_running_reader_follows_another_process_ingesting(tmp_path: Path, embedder):
    from qa.api import DocQA

    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "kestrel.txt").write_text("A kestrel hovered over the motorway verge at dawn.\n", "utf-8")
    reader = DocQA.open(index=tmp_path / "idx", embedder=embedder)
    reader.ingest([tmp_path / "first"])
    assert reader.retrieve("Where did the kestrel hover?", k=1)[0].source.endswith("kestrel.txt")

    write_batch(tmp_path / "birds", 30)
    writer = subprocess.Popen([DOCQA, "--index", "idx", "ingest", "-q", "birds"], cwd=tmp_path, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    questions = 0
    try:
        while writer.poll() is None:  # questions during the ingest: never an error, whatever was committed
            passages = reader.retrieve("Which pylon did the ospreys nest on?", k=3)
            assert passages
            questions += 1
            time.sleep(0.2)
        out, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err[-2000:]
    assert questions > 0

    # The next question sees every document the other process committed, in both retrievers.
    for i in (0, 17, 29):
        dense = reader.retriever.retrieve(f"ospreymark{i}", k=30, mode="dense")
        lexical = reader.retriever.retrieve(f"ospreymark{i}", k=1, mode="lexical")
        assert f"bird{i:02d}.txt" in {Path(p.source).name for p in dense}
        assert [Path(p.source).name for p in lexical] == [f"bird{i:02d}.txt"]
    assert reader.store.count() == reader.lexical.count() == 31
    answer = reader.ask("Which pylon did the ospreys of field note 17 nest on?")
    assert not answer.abstained and [Path(c.source).name for c in answer.citations] == ["bird17.txt"]

    # And the other way round: what the long-running process ingests, a new process answers from.
    (tmp_path / "third").mkdir()
    (tmp_path / "third" / "heron.txt").write_text("The grey heron colony counted forty-two nests in March.\n", "utf-8")
    reader.ingest([tmp_path / "third"])
    asked = subprocess.run([DOCQA, "--index", "idx", "ask", "How many nests did the heron colony count?", "--json"],
                           cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert "forty-two" in asked.stdout
    reader.close()


def test_two_embedded_writers_take_turns(tmp_path: Path, embedder):
    """Two `docqa ingest` processes into one embedded index at once: both batches end up complete and queryable."""
    from qa.api import DocQA

    write_batch(tmp_path / "one", 12)
    (tmp_path / "two").mkdir()
    for i in range(12):
        (tmp_path / "two" / f"fish{i:02d}.txt").write_text(
            f"Survey {i}: salmonmark{i} salmon passed the weir at gauge {200 + i}.\n", "utf-8")
    writers = [subprocess.Popen([DOCQA, "--index", "idx", "ingest", "-q", folder], cwd=tmp_path, env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in ("one", "two")]
    try:
        for writer in writers:
            _, err = writer.communicate(timeout=600)
            assert writer.returncode == 0, err[-2000:]
    finally:  # a deadlock must fail the test, not leave two processes behind
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    reader = DocQA.open(index=tmp_path / "idx", embedder=embedder)
    assert reader.store.count() == 24
    for word, name in (("ospreymark5", "bird05.txt"), ("salmonmark7", "fish07.txt")):
        dense = reader.retriever.retrieve(word, k=24, mode="dense")
        assert name in {Path(p.source).name for p in dense}
        assert [Path(p.source).name for p in reader.retriever.retrieve(word, k=1, mode="lexical")] == [name]
    reader.close()


# Writers and readers in separate processes with a hashing embedder (no model to load), so they start within
# milliseconds of each other and the writers commit many small batches while the readers ask.
WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    sys.path.insert(0, sys.argv[1])  # tests/, for the embedder
    from test_retrieval import BagOfWordsEmbedder
    from qa.api import DocQA

    role, base, name, start = sys.argv[2], Path(sys.argv[3]), sys.argv[4], float(sys.argv[5])
    time.sleep(max(0.0, start - time.time()))  # every process opens the fresh index at the same moment
    docqa = DocQA.open(index=base / "idx", embedder=BagOfWordsEmbedder(), rerank=False)
    errors, asks = [], 0
    if role == "writer":
        batches = sorted((base / name).iterdir())
        for batch in batches + batches[:1]:  # the first batch twice: its files change in between
            if batch == batches[0] and asks:
                for f in batch.iterdir():
                    f.write_text(f.read_text("utf-8").replace("first", "second"), "utf-8")
            docqa.ingest([batch])
            asks += 1
    else:
        while not (base / "stop").exists():
            for word in ("ospreymark", "w0b1mark2", "w1b3mark0", "w2b0mark4 second"):
                try:
                    docqa.retrieve(word, k=8)
                    docqa.retriever.retrieve(word, k=3, mode="dense")
                    asks += 1
                except Exception as exc:  # any error is a failure of the test
                    errors.append(f"{type(exc).__name__}: {exc}")
    docqa.close()
    print(json.dumps({"asks": asks, "errors": errors[:5], "error_count": len(errors)}))
    """
)


def test_writers_and_readers_opening_a_fresh_index_at_once(tmp_path: Path):
    from tests.conftest import ROOT

    for w in range(3):
        for b in range(4):
            folder = tmp_path / f"w{w}" / f"b{b}"
            folder.mkdir(parents=True)
            for i in range(5):
                (folder / f"w{w}b{b}n{i}.txt").write_text(
                    f"Field note {i} of batch {b} from writer {w}, the first version: the marker word is "
                    f"w{w}b{b}mark{i}. Ospreys (ospreymark) nested on pylon {w}{b}{i}.\n", "utf-8")
    script = tmp_path / "worker.py"
    script.write_text(WORKER, "utf-8")
    env = {**ENV, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.time() + 8  # after every process has imported what it needs
    roles = [("writer", f"w{w}") for w in range(3)] + [("reader", "r0"), ("reader", "r1")]
    procs = [subprocess.Popen([sys.executable, str(script), str(ROOT / "tests"), role, str(tmp_path), name, str(start)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for role, name in roles]
    results = {}
    try:
        for (role, name), proc in zip(roles, procs):
            if role == "reader":
                (tmp_path / "stop").touch()  # all writers are done: readers finish their round and report
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, f"{name}: {err[-3000:]}"
            results[name] = json.loads(out.strip().splitlines()[-1])
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for name in ("r0", "r1"):
        assert results[name]["error_count"] == 0, results[name]["errors"]
        assert results[name]["asks"] > 0

    # Afterwards one more process sees all 60 documents, the changed ones in their second version, in both retrievers.
    from test_retrieval import BagOfWordsEmbedder

    from qa.api import DocQA

    docqa = DocQA.open(index=tmp_path / "idx", embedder=BagOfWordsEmbedder(), rerank=False)
    assert len(docqa.store.doc_records()) == 60
    assert docqa.store.count() == docqa.lexical.count() == 60
    for w, b, i in ((0, 0, 0), (1, 2, 3), (2, 3, 4), (2, 0, 1)):
        word = f"w{w}b{b}mark{i}"
        lexical = docqa.retriever.retrieve(word, k=1, mode="lexical")
        dense = docqa.retriever.retrieve(word, k=60, mode="dense")
        assert [Path(p.source).name for p in lexical] == [f"w{w}b{b}n{i}.txt"]
        assert f"w{w}b{b}n{i}.txt" in {Path(p.source).name for p in dense}
        assert ("second" in lexical[0].text) == (b == 0)
    docqa.close()

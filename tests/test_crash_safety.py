"""SIGKILL an ingest subprocess at random points; a re-run must leave exactly what a clean ingest leaves."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from qa.api import DocQA

pytestmark = pytest.mark.slow

SEED = 20240611
FILES = 30
BATCH_FILES = 3  # many small commits per run, so kills land in every step of the commit protocol

# The killed process: open the index (loading the model), say "ready", then ingest.
CHILD = r"""
import sys
import ingest.pipeline as pipeline
from qa.api import DocQA

pipeline.BATCH_FILES = int(sys.argv[4])
docqa = DocQA.open(index=sys.argv[1])
docqa.store, docqa.lexical
print("ready", flush=True)
report = docqa.ingest([sys.argv[2]], sync=sys.argv[3] == "sync")
print("done", report.added, report.updated, report.removed, flush=True)
"""

_WORDS = ("harbour lantern quarry meadow falcon copper violet thunder orchard granite ember saddle lagoon "
          "cinder walnut pepper tundra marble glacier hazel bramble canyon willow pebble summit fjord").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + f" {rng.randint(1, 10**6)}."


def _text(rng: random.Random, name: str) -> str:
    # One line shared by every file (collection boilerplate), a title, then unique prose of one to several chunks.
    # Titles differ in their letters: boilerplate detection ignores digits, so "doc17" and "doc18" would look
    # alike, and whether such a line counts as boilerplate depends on which files share a batch.
    title = " ".join(rng.sample(_WORDS, 4)).title()
    body = "\n\n".join(" ".join(_sentence(rng) for _ in range(rng.randint(2, 8))) for _ in range(rng.randint(1, 6)))
    return f"Shared footer of the test collection\n{title}\n\n{body}\n"


def corpus_versions(rng: random.Random) -> tuple[dict[str, str], dict[str, str | None], dict[str, str | None]]:
    """v1 of the corpus, an update (changed, grown, shrunk and new files) and a deletion of some files."""
    v1 = {f"{'sub/' if i % 3 == 0 else ''}doc{i:02d}.{'md' if i % 2 else 'txt'}": "" for i in range(FILES)}
    v1 = {name: _text(rng, name) for name in v1}
    names = sorted(v1)
    update: dict[str, str | None] = {name: _text(rng, name) for name in rng.sample(names, 8)}
    update |= {"sub/new1.txt": _text(rng, "new1"), "new2.md": _text(rng, "new2")}
    removal: dict[str, str | None] = {name: None for name in rng.sample(names, 8)}
    return v1, update, removal


def write_state(root: Path, base: dict[str, str], change: dict[str, str | None] | None = None) -> None:
    if root.exists():
        shutil.rmtree(root)
    files = dict(base)
    for name, text in (change or {}).items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")


def open_index(index: Path, embedder) -> DocQA:
    docqa = DocQA.open(index=index)
    docqa._embedder = embedder
    return docqa


def close_index(docqa: DocQA) -> None:
    client = docqa.store._client
    docqa.close()
    client.close()  # releases Chroma's files before another process opens a copy


def snapshot(docqa: DocQA) -> dict[str, object]:
    """Everything that must match a clean ingest: chunks in Chroma, commit records, the lexical index."""
    chunks = docqa.store.chunks.get(include=["metadatas", "documents"])
    records = docqa.store.doc_records()
    rows = docqa.lexical._db.execute("SELECT chunk_id, doc_id, text FROM chunks").fetchall()
    lexical_docs = docqa.lexical._db.execute("SELECT doc_id FROM docs").fetchall()
    return {
        "chunks": sorted((i, m["doc_id"], m["index"], m["start"], m["end"], d)
                         for i, m, d in zip(chunks["ids"], chunks["metadatas"], chunks["documents"])),
        "records": sorted((r.doc_id, r.source, r.sha256, r.chunks, r.status) for r in records.values()),
        "lexical": sorted(rows),
        "lexical_docs": sorted(d for (d,) in lexical_docs),
        "fts_rows": docqa.lexical._db.execute("SELECT COUNT(*) FROM fts").fetchone()[0],
    }


def _difference(got: object, expected: object) -> str:
    if not isinstance(got, list):
        return f"{got} != {expected}"
    extra = [_short(x) for x in got if x not in expected][:5]
    missing = [_short(x) for x in expected if x not in got][:5]
    return f"extra {extra}, missing {missing}"


def _short(row: object) -> str:
    return repr(tuple(str(v)[:40] for v in row)) if isinstance(row, tuple) else repr(row)


def run_and_kill(index: Path, corpus: Path, sync: bool, delay: float) -> tuple[bool, float]:
    """Start an ingest, SIGKILL it `delay` seconds after it is ready; returns (killed, seconds it ran)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(index), str(corpus), "sync" if sync else "plain", str(BATCH_FILES)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"},
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", f"child did not start: {line!r}"
        ready = time.monotonic()
        try:
            child.wait(timeout=delay)
            return False, time.monotonic() - ready
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            return True, time.monotonic() - ready
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_sigkill_at_random_points_then_rerun_matches_a_clean_ingest(tmp_path, embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_FILES", BATCH_FILES)
    rng = random.Random(SEED)
    v1, update, removal = corpus_versions(rng)
    corpus = tmp_path / "corpus"

    def reference(change: dict[str, str | None] | None) -> tuple[dict[str, object], float]:
        write_state(corpus, v1, change)
        index = tmp_path / f"reference-{len(list(tmp_path.glob('reference-*')))}"
        docqa = open_index(index, embedder)
        report = docqa.ingest([corpus])
        assert report.failed == 0
        expected = snapshot(docqa)
        close_index(docqa)
        return expected, report.seconds

    expected_fresh, fresh_seconds = reference(None)
    template = tmp_path / "reference-0"  # a completed ingest of v1, the starting point of update and removal runs
    expected_update, update_seconds = reference(update)
    expected_removal, removal_seconds = reference(removal)
    assert len(expected_fresh["records"]) == FILES and len(expected_removal["records"]) == FILES - 8

    scenarios = [  # (name, starting index, change applied to v1 before the run, --sync, expected, typical seconds)
        ("fresh", None, None, False, expected_fresh, fresh_seconds),
        ("update", template, update, False, expected_update, update_seconds),
        ("removal", template, removal, True, expected_removal, removal_seconds),
    ]
    kills = {"fresh": 4, "update": 3, "removal": 3}
    partial = 0  # reruns that found some documents committed and others not: kills between commits
    for name, start, change, sync, expected, seconds in scenarios:
        window = seconds * 1.2 + 0.1
        done = attempts = 0
        while done < kills[name]:
            attempts += 1
            assert attempts <= kills[name] * 3, f"{name}: could not kill the child mid-run"
            index = tmp_path / f"{name}-{attempts}"
            if start is not None:
                shutil.copytree(start, index)
            write_state(corpus, v1, change)
            killed, ran = run_and_kill(index, corpus, sync, rng.uniform(0.0, window))
            if not killed:
                window = max(0.05, ran)  # it finished first: aim inside its real duration next time
                continue
            done += 1
            if done == 2:  # crash again while recovering from a crash
                killed, ran = run_and_kill(index, corpus, sync, rng.uniform(0.0, window))
            docqa = open_index(index, embedder)
            rerun = docqa.ingest([corpus], sync=sync)
            assert rerun.failed == 0, rerun.files
            untouched = {"fresh": 0, "update": FILES - 8}.get(name, FILES)  # unchanged files had the kill come first
            partial += rerun.unchanged > untouched and rerun.added + rerun.updated > 0
            got = snapshot(docqa)
            close_index(docqa)
            for key in expected:
                assert got[key] == expected[key], (
                    f"{name} run {attempts}: {key} differs after a kill at {ran:.2f}s: {_difference(got[key], expected[key])}")
    assert partial, "no kill landed between two commits; the kill window is off"

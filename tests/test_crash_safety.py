"""SIGKILL an ingest subprocess at random points; a re-run must leave exactly what a clean ingest leaves."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from qa.api import DocQA
from tests.processes import run_and_kill as kill_child

pytestmark = pytest.mark.slow

SEED = 20240611
FILES = 30
BATCH_FILES = 3  # many small commits per run, so kills land in every step of the commit protocol

# The killed process: open the index (loading the model), say "ready", then ingest. With a step number it
# SIGKILLs itself just before that storage write, so kills also land exactly between two steps of the protocol.
CHILD = r"""
import os, signal, sys
import ingest.pipeline as pipeline
from qa.api import DocQA
from tests.test_crash_safety import on_writes

index, corpus, mode, batch, kill_at = sys.argv[1:6]
pipeline.BATCH_FILES = int(batch)
docqa = DocQA.open(index=index)
docqa.store, docqa.lexical
if int(kill_at):
    on_writes(docqa, lambda step: step == int(kill_at) and os.kill(os.getpid(), signal.SIGKILL))
print("ready", flush=True)
report = docqa.ingest([corpus], sync=mode == "sync")
print("done", report.added, report.updated, report.removed, flush=True)
"""


def on_writes(docqa: DocQA, hook, setter=setattr) -> None:
    """Call hook(step) before every write to Chroma or the lexical index, counting from 1."""
    count = [0]

    def step() -> None:
        count[0] += 1
        hook(count[0])

    def guarded(original):
        def write(*args, **kwargs):
            step()
            return original(*args, **kwargs)
        return write

    store_writes = ("upsert_chunks", "delete_chunks", "put_doc_records", "delete_doc_records", "bump_generation")
    for owner, names in ((docqa.store, store_writes), (docqa.lexical, ("replace_documents", "remove_documents", "sync"))):
        for name in names:
            setattr(owner, name, guarded(getattr(owner, name)))


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


def run_and_kill(index: Path, corpus: Path, sync: bool, delay: float, step: int = 0) -> tuple[bool, float]:
    """Start an ingest; SIGKILL it `delay` seconds after it is ready, or let it kill itself before write `step`.
    Returns (killed, seconds it ran)."""
    return kill_child(CHILD, [str(index), str(corpus), "sync" if sync else "plain", str(BATCH_FILES), str(step)],
                      delay, env={"TOKENIZERS_PARALLELISM": "false"})


def test_sigkill_at_random_points_then_rerun_matches_a_clean_ingest(tmp_path, embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_FILES", BATCH_FILES)
    rng = random.Random(SEED)
    v1, update, removal = corpus_versions(rng)
    corpus = tmp_path / "corpus"

    def reference(change: dict[str, str | None] | None, start: Path | None, sync: bool) -> tuple[dict, float, int]:
        """A clean run of the same scenario: what every crashed-and-rerun index must equal, its duration and
        how many storage writes it makes."""
        write_state(corpus, v1, change)
        index = tmp_path / f"reference-{len(list(tmp_path.glob('reference-*')))}"
        if start is not None:
            shutil.copytree(start, index)
        docqa = open_index(index, embedder)
        writes: list[int] = []
        on_writes(docqa, writes.append, monkeypatch.setattr)
        report = docqa.ingest([corpus], sync=sync)
        assert report.failed == 0
        expected = snapshot(docqa)
        close_index(docqa)
        return expected, report.seconds, len(writes)

    template = tmp_path / "reference-0"  # a completed ingest of v1, the starting point of update and removal runs
    scenarios = [  # (name, starting index, change applied to v1 before the run, --sync, timed kills, step kills)
        ("fresh", None, None, False, 2, 3),
        ("update", template, update, False, 1, 3),
        ("removal", template, removal, True, 1, 2),
    ]
    partial = 0  # reruns that found some documents committed and others not: kills between commits
    for name, start, change, sync, timed, stepped in scenarios:
        expected, seconds, writes = reference(change, start, sync)
        assert writes > 5
        window = seconds * 1.2 + 0.1
        # Kills before random write steps, then at random times (which also tear writes in the middle).
        plan = sorted(rng.sample(range(1, writes + 1), stepped)) + [0] * timed
        done = attempts = 0
        while done < len(plan):
            step = plan[done]
            attempts += 1
            assert attempts <= len(plan) * 3, f"{name}: could not kill the child mid-run"
            index = tmp_path / f"{name}-{attempts}"
            if start is not None:
                shutil.copytree(start, index)
            write_state(corpus, v1, change)
            killed, ran = run_and_kill(index, corpus, sync, 600.0 if step else rng.uniform(0.0, window), step)
            if not killed:
                window = max(0.05, ran)  # it finished first: aim inside its real duration next time
                continue
            done += 1
            if done == 1:  # crash again while recovering from a crash
                run_and_kill(index, corpus, sync, rng.uniform(0.0, window))
            docqa = open_index(index, embedder)
            rerun = docqa.ingest([corpus], sync=sync)
            assert rerun.failed == 0, rerun.files
            untouched = {"fresh": 0, "update": FILES - 8}.get(name, FILES)  # unchanged files had the kill come first
            partial += rerun.unchanged > untouched and rerun.added + rerun.updated > 0
            got = snapshot(docqa)
            close_index(docqa)
            for key in expected:
                assert got[key] == expected[key], (
                    f"{name} run {attempts}: {key} differs after a kill at step {step} / {ran:.2f}s: "
                    f"{_difference(got[key], expected[key])}")
    assert partial, "no kill landed between two commits; the kill window is off"

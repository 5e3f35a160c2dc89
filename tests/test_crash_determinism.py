"""200 files, kill -9 at random moments, re-run: the index must hold exactly the chunks of one clean ingest.

The files share a footer, carry titles that differ only in digits, and every three neighbours share a line:
a cleaning decision that depended on which files share a batch (or on what earlier runs saw) gave a resumed
index other chunks than a clean one. The killed runs also use another batch size than the clean one.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.processes import run_and_kill as kill_child
from tests.test_crash_safety import close_index, open_index, snapshot, _difference
from tests.test_retrieval import BagOfWordsEmbedder

pytestmark = pytest.mark.slow

# The killed process. Chunk ids depend on the files and the chunker, not on the vectors, so the small
# deterministic embedder stands in for the model: 200 files and many kills fit in a minute on two shared cores.
CHILD = r"""
import sys
import ingest.pipeline as pipeline
from qa.api import DocQA
from tests.test_retrieval import BagOfWordsEmbedder

index, corpus = sys.argv[1:3]
pipeline.BATCH_FILES = 3  # the clean run uses the default (64): resumed and batch-split runs must both match it
docqa = DocQA.open(index=index, embedder=BagOfWordsEmbedder())
docqa.store, docqa.lexical
print("ready", flush=True)
docqa.ingest([corpus])
print("done", flush=True)
"""


def run_and_kill(index: Path, corpus: Path, delay: float) -> tuple[bool, float]:
    """Start an ingest and SIGKILL it `delay` seconds after it is ready: (killed, seconds it ran)."""
    return kill_child(CHILD, [str(index), str(corpus)], delay)


FILES = 200
KILLS = 6
SEED = 15


def write_corpus(root: Path, rng: random.Random) -> None:
    words = ("harbour lantern quarry meadow falcon copper violet thunder orchard granite ember saddle lagoon "
             "cinder walnut pepper tundra marble glacier hazel bramble canyon willow pebble summit fjord").split()
    for i in range(FILES):
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 12))).capitalize() + f" {i}-{n}."
                     for n in range(rng.randint(2, 7))]
        # Files come in folders of 50 (i % 4), read in name order: every three neighbours in a folder share a
        # drawer line. Batches of three files hold one drawer each (3 of 3 files: "repeated across the
        # collection"); batches of 4, 8, 16 ... mostly do not. Letters, since line matching ignores digits.
        drawer = (i // 4) // 3
        group_line = f"Filed in drawer {'abcdefghij'[drawer % 10]}{'klmnopqrst'[drawer // 10]} of the archive"
        path = root / f"part{i % 4}" / f"report{i:03d}.{'md' if i % 5 == 0 else 'txt'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Report {i}\n\n{' '.join(sentences)}\n{group_line}\n\nShared footer of the archive\n", "utf-8")


def test_kill9_at_random_points_then_rerun_gives_the_clean_chunks(tmp_path):
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus"
    write_corpus(corpus, rng)
    embedder = BagOfWordsEmbedder()

    clean = open_index(tmp_path / "clean", embedder)
    report = clean.ingest([corpus])
    assert report.failed == 0 and report.added == FILES
    expected = snapshot(clean)
    close_index(clean)
    assert len(expected["chunks"]) >= FILES
    window = report.seconds * 1.2 + 0.2

    killed_runs = 0
    for attempt in range(KILLS * 3):
        if killed_runs == KILLS:
            break
        index = tmp_path / f"crashed-{attempt}"
        killed, ran = run_and_kill(index, corpus, rng.uniform(0.0, window))
        if not killed:
            window = max(0.2, ran)
            continue
        killed_runs += 1
        if killed_runs % 2 == 0:  # crash again while resuming
            run_and_kill(index, corpus, rng.uniform(0.0, window / 2))
        resumed = open_index(index, embedder)
        rerun = resumed.ingest([corpus])
        assert rerun.failed == 0, rerun.files
        got = snapshot(resumed)
        close_index(resumed)
        for key in expected:
            assert got[key] == expected[key], (f"kill {killed_runs} after {ran:.2f}s: {key} differ: "
                                               f"{_difference(got[key], expected[key])}")
    assert killed_runs == KILLS, "the ingest always finished before the kill"

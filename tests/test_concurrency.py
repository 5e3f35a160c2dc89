"""Concurrent questions on one DocQA: each answer carries its own stage timings, never another question's."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from test_retrieval import BagOfWordsEmbedder

STEP_MS = 120  # questions wait 1..8 steps in the lexical stage: far enough apart to tell them from each other


class SlowLexical:
    """The real lexical index, with a per-question wait written in the query ("wait360" waits 360 ms)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def search(self, query, k, filters=None):
        time.sleep(int(re.search(r"wait(\d+)", query).group(1)) / 1000)
        return self._inner.search(query, k, filters)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def test_eight_concurrent_asks_each_carry_their_own_timings(tmp_path: Path, monkeypatch):
    from qa.api import DocQA

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rockets.txt").write_text("Himars rockets have a 50-mile range.\n\nATACMS missiles reach 190 miles.", "utf-8")
    (docs / "birds.txt").write_text("The kakapo is a flightless parrot of New Zealand.", "utf-8")
    monkeypatch.chdir(tmp_path)
    docqa = DocQA.open(index=tmp_path / "index", embedder=BagOfWordsEmbedder())
    docqa.ingest(["docs"])
    docqa.retriever.lexical = SlowLexical(docqa.retriever.lexical)
    delays = [STEP_MS * n for n in (3, 8, 1, 6, 2, 7, 5, 4)]
    start = threading.Barrier(len(delays))

    def ask(delay: int):
        start.wait()  # all eight are inside DocQA at once
        return docqa.ask(f"What range do Himars rockets have? wait{delay}")

    with ThreadPoolExecutor(max_workers=len(delays)) as pool:
        answers = list(pool.map(ask, delays))
    docqa.close()

    for delay, answer in zip(delays, answers):
        assert f"wait{delay}" in answer.query
        lexical = answer.timings_ms["retrieve_lexical"]
        assert delay <= lexical < delay + STEP_MS * 0.9, (delay, answer.timings_ms)
        assert answer.timings_ms["retrieve"] >= lexical and answer.timings_ms["total"] >= answer.timings_ms["retrieve"]
        assert answer.passages and answer.passages[0].source == "docs/rockets.txt"
    measured = [a.timings_ms["retrieve_lexical"] for a in answers]
    assert sorted(range(8), key=lambda i: measured[i]) == sorted(range(8), key=lambda i: delays[i])

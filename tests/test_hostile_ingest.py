"""The hostile corpus (tests/hostile) through `docqa ingest` under a memory watchdog, and through the web upload
handler: each bad file gets its one line, good files beside and after them are ingested, nothing escapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import hostile

pytestmark = pytest.mark.slow

DOCQA = str(Path(sys.executable).with_name("docqa"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
AFTER_FACT = "Lampreys climb the weir at night"


@pytest.fixture
def workspace(tmp_path: Path):
    """tmp_path/docs holds the hostile corpus, tmp_path/extra/after.pdf a good PDF named after it."""
    corpus = hostile.build(tmp_path / "docs")
    (tmp_path / "extra").mkdir()
    hostile.pdf(tmp_path / "extra" / "after.pdf", 1, AFTER_FACT)
    yield tmp_path, corpus
    hostile.remove_tree(tmp_path / "docs")


def cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([DOCQA, "--index", "idx", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=ENV)


def test_cli_ingests_around_bombs_devices_and_escaping_links_within_the_memory_ceiling(workspace):
    base, corpus = workspace
    run = hostile.run_watched([DOCQA, "--index", "idx", "ingest", "-q", "docs", "extra/after.pdf"], cwd=base, env=ENV)
    print(f"\n$ docqa --index idx ingest -q docs extra/after.pdf\nexit {run.returncode}, peak RSS "
          f"{run.peak_rss / 2**20:,.0f} MB, {run.seconds:.1f} s\n{run.stderr}{run.stdout}")
    assert not run.killed, f"killed by the watchdog at {run.peak_rss / 2**20:,.0f} MB or the timeout"
    assert run.peak_rss < hostile.RSS_CEILING
    assert run.returncode == 1  # some files failed
    lines = run.stderr.splitlines()
    assert not any("Traceback" in line for line in lines)
    for name, (status, reason) in corpus.expected.items():
        if status in ("failed", "skipped"):
            told = [line for line in lines if line.startswith(f"{status}: docs/{name}: ")]
            assert len(told) == 1 and reason in told[0], (name, told)

    sources = {s["source"] for s in json.loads(cli(["sources", "--json"], base).stdout)}
    wanted = {f"docs/{n}" for n, (status, _) in corpus.expected.items() if status == "added"} | {"extra/after.pdf"}
    assert sources == wanted
    answer = json.loads(cli(["ask", "What is the outside secret?", "--json"], base).stdout)
    assert not any("xylophone" in p["text"] or "root:" in p["text"] for p in answer["passages"])
    answer = json.loads(cli(["ask", "When did the café on the corner open?", "--json"], base).stdout)
    assert any("The café on the corner opened in 1998" in p["text"] for p in answer["passages"])


def test_follow_links_reads_linked_files_but_never_a_device(tmp_path: Path):
    corpus = hostile.build(tmp_path / "docs", bombs=False)
    try:
        run = hostile.run_watched([DOCQA, "--index", "idx", "ingest", "-q", "--follow-links", "docs"], cwd=tmp_path,
                                  env=ENV, timeout=300)
    finally:
        hostile.remove_tree(corpus.root)
    print(f"\n$ docqa --index idx ingest -q --follow-links docs\nexit {run.returncode}, peak RSS "
          f"{run.peak_rss / 2**20:,.0f} MB, {run.seconds:.1f} s\n{run.stderr}{run.stdout}")
    assert not run.killed
    assert "skipped: docs/zero.txt: not a regular file (a character device); not read" in run.stderr.splitlines()
    sources = {s["source"] for s in json.loads(cli(["sources", "--json"], tmp_path).stdout)}
    assert {"docs/passwd.txt", "docs/secret-link.txt", "docs/etcdir/also-secret.txt"} <= sources


class _PeakRss:
    """Samples this process's resident memory on a thread until stopped."""

    def __init__(self) -> None:
        import psutil

        self._process, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(0.05)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_web_upload_refuses_the_bombs_keeps_good_files_and_leaves_no_temp_copies(tmp_path: Path, fresh_docqa,
                                                                                    monkeypatch):
    from ui.webchat import WebChat

    corpus = hostile.build(tmp_path / "docs", specials=False)
    gradio_temp = tmp_path / "gradio-temp"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(gradio_temp))
    uploads = []
    for name in ("bomb.docx", "liar.docx", "ratio.docx", "flood.docx", "pages.pdf", "noise.txt", "truncated.pdf",
                 "fake.pdf", "cp1252.txt", "good.txt", "fine.docx", "whole.pdf"):
        cached = gradio_temp / f"{len(uploads):040x}" / name  # how Gradio caches an upload: a hashed folder
        cached.parent.mkdir(parents=True)
        cached.write_bytes((corpus.root / name).read_bytes())
        uploads.append((str(cached), name))
    hostile.remove_tree(corpus.root)
    chat = WebChat(fresh_docqa, max_upload_mb=50)
    import psutil

    # This runs inside the test process, which may already hold other tests' models: the ceiling is on what the
    # upload adds on top of that.
    baseline = psutil.Process().memory_info().rss
    with _PeakRss() as rss:
        started = time.monotonic()
        report = chat.ingest_uploads(uploads)
    print(f"\nupload of {len(uploads)} files: peak RSS {rss.peak / 2**20:,.0f} MB, {time.monotonic() - started:.1f} s")
    outcomes = {Path(o.source).name: o for o in report.files}
    for outcome in report.files:
        print(f"{outcome.status}: {Path(outcome.source).name}: {outcome.reason or outcome.chunks}")
    assert rss.peak - baseline < hostile.RSS_CEILING
    for name in ("cp1252.txt", "good.txt", "fine.docx", "whole.pdf"):
        assert outcomes[name].status == "added", outcomes[name]
    for name, words in (("bomb.docx", "zip bomb"), ("liar.docx", "inflates past the size it declares"),
                        ("ratio.docx", "inflates"), ("flood.docx", "zip members"), ("pages.pdf", "pages (limit"),
                        ("noise.txt", "undecodable"), ("fake.pdf", "not a valid PDF")):
        assert outcomes[name].status == "failed" and words in outcomes[name].reason, outcomes[name]
    kept = sorted(p.name for p in chat.collections.uploads_dir(fresh_docqa).iterdir())
    assert kept == ["cp1252.txt", "fine.docx", "good.txt", "whole.pdf"]  # refused or failed copies are deleted
    assert not [p for p in gradio_temp.rglob("*") if p.is_file()]  # and so are Gradio's temp copies


def test_reads_never_create_collections(tmp_path: Path, fresh_docqa):
    from qa.store import make_client
    from ui.webchat import AskOptions, UserError, WebChat

    chat = WebChat(fresh_docqa, max_upload_mb=1)
    chat.sources()  # the served collection itself
    lexical_dir = Path(fresh_docqa.settings.index) / "lexical"

    def state() -> tuple[set[str], set[str]]:
        names = {getattr(c, "name", c) for c in make_client(fresh_docqa.settings).list_collections()}
        return names, {p.name for p in lexical_dir.iterdir()} if lexical_dir.exists() else set()

    before = state()
    for i in range(10):
        with pytest.raises(UserError, match=f"no collection named 'ghost{i}' yet"):
            chat.sources(f"ghost{i}")
        with pytest.raises(UserError, match=f"no collection named 'ghost{i}' yet"):
            chat.ask("Who?", None, AskOptions(collection=f"ghost{i}"))
    assert state() == before
    cached = tmp_path / "veyra.txt"
    cached.write_text("The lighthouse of Port Veyra is kept by Odalys Brennan.\n", "utf-8")
    chat.ingest_uploads([(str(cached), "veyra.txt")], collection="harbour")  # a write may create one
    assert state()[0] == before[0] | {"harbour", "harbour-docs"}
    assert [Path(s.source).name for s in chat.sources("harbour")] == ["veyra.txt"]

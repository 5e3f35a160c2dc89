"""Bad input through `docqa ingest`: one clear line per bad file, the rest ingested, nothing stored lost."""

from __future__ import annotations

import builtins
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.api import DocQA
from tests.test_crash_safety import close_index, open_index

pytestmark = pytest.mark.slow

DOCQA = str(Path(sys.executable).with_name("docqa"))
# Root reads any file whatever its mode; without these two capabilities root obeys permissions like anyone.
AS_ORDINARY_READER = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]


def make_pdf(path: Path, pages: list[str], **options) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **options)
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()


def make_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def write_good(docs: Path) -> None:
    docs.mkdir(parents=True)
    (docs / "good.txt").write_text("Otters hold hands while sleeping so they do not drift apart.", "utf-8")
    (docs / "notes.md").write_text("# Beavers\n\nBeavers build dams from branches and mud.", "utf-8")
    make_pdf(docs / "report.pdf", ["The report covers river restoration.", "Page two lists the 12 partner towns."])
    make_docx(docs / "letter.docx", ["Dear reader,", "The heron colony grew to forty nests this spring."])


def write_bad(docs: Path) -> dict[str, str]:
    """Bad files next to the good ones; returns source -> words the reason must contain."""
    rng = random.Random(7)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "garbage.pdf").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (docs / "garbage.docx").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    make_pdf(docs / "encrypted.pdf", ["Top secret otter plans."], encrypt="hunter2")
    whole = (docs / "report.pdf").read_bytes()
    (docs / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    (docs / "report.pdf").write_bytes(whole[: len(whole) // 2])  # an ingested file, damaged since
    (docs / "undecodable.txt").write_bytes(bytes(rng.randrange(128, 256) for _ in range(3000)))
    with open(docs / "huge.txt", "wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: 200 MB on paper, nothing on disk
    (docs / "unreadable.txt").write_text("You cannot read me.", "utf-8")
    (docs / "unreadable.txt").chmod(0)
    (docs / "loop.txt").symlink_to("loop.txt")
    (docs / "sub").mkdir()
    (docs / "sub" / "back").symlink_to("..", target_is_directory=True)  # a folder loop: walked once, silently
    (docs / "sub" / "inner.txt").write_text("Kingfishers nest in burrows dug into river banks.", "utf-8")
    (docs / "notes.xyz").write_text("an unsupported type", "utf-8")
    return {
        "docs/empty.txt": "empty",
        "docs/garbage.pdf": "not a valid PDF",
        "docs/garbage.docx": "not a valid DOCX",
        "docs/encrypted.pdf": "encrypted",
        "docs/truncated.pdf": "truncated or corrupt",
        "docs/report.pdf": "kept",
        "docs/undecodable.txt": "undecodable",
        "docs/huge.txt": "too large",
        "docs/unreadable.txt": "permission denied",
        "docs/loop.txt": "symlink loop",
        "missing/nothing-here.txt": "no such file",
    }


def stored(docqa: DocQA) -> set[tuple[str, str, str]]:
    result = docqa.store.chunks.get(include=["metadatas", "documents"])
    return {(i, m["doc_id"], d) for i, m, d in zip(result["ids"], result["metadatas"], result["documents"])}


def docqa_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    prefix = AS_ORDINARY_READER if os.geteuid() == 0 else []
    if prefix:
        assert shutil.which(prefix[0]), "setpriv (util-linux) is needed to test unreadable files as root"
    return subprocess.run([*prefix, DOCQA, "--index", "idx", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_bad_files_each_get_one_line_and_the_rest_is_ingested(tmp_path, embedder, monkeypatch):
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    write_good(docs)
    docqa = open_index(tmp_path / "idx", embedder)
    first = docqa.ingest(["docs"])
    assert first.added == 4 and first.failed == 0
    before = stored(docqa)
    close_index(docqa)

    expected = write_bad(docs)
    result = docqa_cli(["ingest", "docs", "missing/nothing-here.txt"], tmp_path)
    output = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for source, reason in expected.items():
        lines = [line for line in output if f" {source}:" in line]
        assert len(lines) == 1, f"{source}: expected one line, got {lines}"
        assert reason in lines[0], lines[0]
    skipped = [line for line in output if "docs/notes.xyz" in line]
    assert len(skipped) == 1 and "skipped" in skipped[0] and "unsupported" in skipped[0]
    summary = result.stdout.strip().splitlines()[-1]
    for part in ("1 added", "3 unchanged", f"{len(expected)} failed", "1 skipped"):
        assert part in summary, summary

    # The same through --json: one JSON object on stdout, nothing else, counts to match.
    again = docqa_cli(["ingest", "docs", "missing/nothing-here.txt", "--json"], tmp_path)
    assert again.returncode == 1
    report = json.loads(again.stdout)
    assert (report["added"], report["unchanged"], report["failed"], report["skipped"]) == (0, 4, len(expected), 1)
    assert {f["source"] for f in report["files"] if f["status"] == "failed"} == set(expected)
    assert "━" not in again.stderr, "no progress bar when not on a terminal"

    # Nothing stored earlier was lost or duplicated; the damaged PDF keeps its earlier version.
    docqa = open_index(tmp_path / "idx", embedder)
    after = stored(docqa)
    assert before <= after
    assert len({chunk_id for chunk_id, _, _ in after}) == len(after) == docqa.store.count() == docqa.lexical.count()
    sources = {s.source for s in docqa.sources()}
    assert sources == {"docs/good.txt", "docs/notes.md", "docs/report.pdf", "docs/letter.docx", "docs/sub/inner.txt"}
    report_pdf = [c for c in docqa.store.get_chunks() if c.source == "docs/report.pdf"]
    assert report_pdf and report_pdf[0].page == 1
    assert "12 partner towns" in " ".join(c.text for c in report_pdf), "the earlier version of the PDF is kept"
    close_index(docqa)


def test_a_too_large_file_is_refused_without_being_read(tmp_path, embedder, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    with open(docs / "huge.txt", "wb") as handle:
        handle.truncate(200 * 2**20)
    (docs / "small.txt").write_text("A small file about moths and the moon.", "utf-8")
    opened: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, (str, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    docqa = open_index(tmp_path / "idx", embedder)
    monkeypatch.setattr(builtins, "open", spy)
    report = docqa.ingest([docs])
    monkeypatch.undo()
    (failure,) = [f for f in report.files if f.status == "failed"]
    assert failure.source.endswith("huge.txt") and "too large" in failure.reason and "200.0 MB" in failure.reason
    assert report.added == 1
    assert not [path for path in opened if path.endswith("huge.txt")], "the huge file was opened"
    close_index(docqa)

"""Hostile input, fast: zip bombs, page and text limits, the per-file budget, special files, escaping links, deep
folders, honest decoding, and cleaning that does not depend on what else shares a batch."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from ingest.archive import checked_zip
from ingest.discover import discover
from ingest.limits import Limits, LoadError
from ingest.loaders import load_bytes, load_file
from ingest.pipeline import file_sha256
from tests import hostile
from tests.test_retrieval import BagOfWordsEmbedder

MIB = 2**20


# ---------------------------------------------------------------- bounded work per file


def test_docx_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    hostile.docx_bomb(path)
    claims = hostile.zip_limit_of(path)
    assert claims["compressed"] < 2 * MIB and claims["declared"] > 1000 * MIB
    with pytest.raises(LoadError, match=r"^DOCX inflates to over 1,100 MB \(limit 256 MB, a zip bomb\?"):
        load_file(path)


def test_docx_bomb_lying_about_its_size_is_caught_while_inflating(tmp_path: Path) -> None:
    path = tmp_path / "liar.docx"
    hostile.docx_lying_bomb(path)
    assert hostile.zip_limit_of(path)["declared"] < MIB  # the directory alone looks harmless
    started = time.monotonic()
    with pytest.raises(LoadError, match=r"inflates past the size it declares \(20,000 bytes\): a zip bomb\?$"):
        load_file(path)
    assert time.monotonic() - started < 10  # stopped at the first MiB past the claim, not after 1.1 GB


def test_docx_compression_ratio_and_member_count_limits(tmp_path: Path) -> None:
    hostile.docx_ratio_bomb(tmp_path / "ratio.docx")
    with pytest.raises(LoadError, match=r"'word/document.xml' inflates \d+:1 \(limit 100:1"):
        load_file(tmp_path / "ratio.docx")
    hostile.docx_member_flood(tmp_path / "flood.docx", members=300)
    with pytest.raises(LoadError, match=r"^DOCX has 303 zip members \(limit 200; raise DOCQA_MAX_ZIP_MEMBERS\)$"):
        load_file(tmp_path / "flood.docx", limits=Limits(max_zip_members=200))
    assert "flood" in load_file(tmp_path / "flood.docx").text  # under the default limit it is an ordinary file


def test_the_zip_check_is_shared_by_any_zip_based_format(tmp_path: Path) -> None:
    hostile.docx_bomb(tmp_path / "book.epub", inflated=300 * MIB)
    with pytest.raises(LoadError, match=r"^EPUB inflates to over 300 MB"):
        checked_zip((tmp_path / "book.epub").read_bytes(), Limits().budget(), what="EPUB")
    hostile.good_docx(tmp_path / "fine.docx", "Badgers dig setts.")
    archive = checked_zip((tmp_path / "fine.docx").read_bytes(), Limits().budget(), what="DOCX")
    assert "word/document.xml" in archive.namelist()


def test_pdf_page_count_and_extracted_text_limits(tmp_path: Path) -> None:
    hostile.pdf(tmp_path / "pages.pdf", 40)
    with pytest.raises(LoadError, match=r"^PDF has 40 pages \(limit 30; raise DOCQA_MAX_PDF_PAGES\)$"):
        load_file(tmp_path / "pages.pdf", limits=Limits(max_pdf_pages=30))
    assert load_file(tmp_path / "pages.pdf").pages[-1].page == 40
    with pytest.raises(LoadError, match=r"^extracted text too large \(over 100 characters; raise DOCQA_MAX_TEXT_MB\)$"):
        load_file(tmp_path / "pages.pdf", limits=Limits(max_text_chars=100))


def test_per_file_wall_clock_budget(tmp_path: Path) -> None:
    hostile.pdf(tmp_path / "slow.pdf", 20)
    with pytest.raises(LoadError, match=r"^took longer than the per-file budget of 0 s \(raise DOCQA_FILE_SECONDS\)$"):
        load_file(tmp_path / "slow.pdf", limits=Limits(seconds=0))


def test_limits_come_from_settings() -> None:
    from qa.settings import Settings

    limits = Limits.from_settings(Settings(max_unzipped_mb=8, max_pdf_pages=7, file_seconds=2, max_text_mb=1))
    assert (limits.max_unzipped_bytes, limits.max_xml_bytes, limits.max_pdf_pages, limits.seconds,
            limits.max_text_chars) == (8 * MIB, 2 * MIB, 7, 2.0, MIB)


# ---------------------------------------------------------------- only regular files, only inside the roots


def _by_source(found) -> dict[str, object]:
    return {f.source: f for f in found}


@pytest.fixture
def docs(tmp_path: Path):
    """Where a test builds its hostile corpus; its deep folders are removed without recursion, even on failure."""
    yield tmp_path / "docs"
    if (tmp_path / "docs").exists():
        hostile.remove_tree(tmp_path / "docs")


def test_special_files_are_reported_and_escaping_links_not_followed(docs: Path) -> None:
    corpus = hostile.build(docs, bombs=False)
    found = _by_source(discover([str(corpus.root)]))
    root = str(corpus.root)
    for name in ("pipe.txt", "devices/fifo.md"):
        assert found[f"{root}/{name}"].problem == "not a regular file (a FIFO); not read"
    if f"{root}/sock.txt" in found:
        assert found[f"{root}/sock.txt"].problem == "not a regular file (a socket); not read"
    for name, target in (("passwd.txt", "/etc/passwd"), ("zero.txt", "/dev/zero"),
                         ("etcdir", str(corpus.outside / "dir"))):
        assert found[f"{root}/{name}"].problem == (f"symbolic link to {target}, outside the folder given; not followed "
                                                   "(use --follow-links to allow)")
    assert not any("secret" in os.path.realpath(f.path) and f.problem is None for f in found.values())
    assert found[f"{root}/inside-link.txt"].problem is None  # a link staying inside the folder is followed
    deep = [s for s in found if s.endswith("bottom.txt")]
    assert len(deep) == 1 and Path(deep[0]).parts.count("d") == hostile.DEEP_LEVELS and found[deep[0]].problem is None


def test_follow_links_allows_escaping_links_but_never_devices(docs: Path) -> None:
    corpus = hostile.build(docs, bombs=False)
    found = _by_source(discover([str(corpus.root)], follow_links=True))
    root = str(corpus.root)
    assert found[f"{root}/passwd.txt"].problem is None
    assert found[f"{root}/etcdir/also-secret.txt"].problem is None
    assert found[f"{root}/zero.txt"].problem == "not a regular file (a character device); not read"


def test_links_named_on_the_command_line_must_reach_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nothing")
    (tmp_path / "real.txt").write_text("Real text.", "utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    found = _by_source(discover([str(tmp_path / n) for n in ("zero.txt", "gone.txt", "link.txt")]))
    assert found[str(tmp_path / "zero.txt")].problem == "not a regular file (a character device); not read"
    assert found[str(tmp_path / "gone.txt")].problem == "broken symbolic link (or a symlink loop)"
    assert found[str(tmp_path / "link.txt")].problem is None


def test_deep_folders_do_not_overflow_the_walk(tmp_path: Path, docs: Path) -> None:
    path = docs
    os.mkdir(path)
    for _ in range(1500):
        path = path / "d"
        os.mkdir(path)
    (path / "bottom.txt").write_text("Bottom.", "utf-8")
    (tmp_path / "top.txt").write_text("Top.", "utf-8")
    found = list(discover([str(docs), str(tmp_path / "top.txt")]))
    assert [f.path.name for f in found] == ["bottom.txt", "top.txt"] and all(f.problem is None for f in found)


def test_an_unreadable_folder_costs_only_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f.txt").write_text("x", "utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("/b"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(discover([str(tmp_path)]))
    assert [(Path(f.source).relative_to(tmp_path).as_posix(), f.problem) for f in found] == [
        ("a/f.txt", None), ("b", "cannot read folder: permission denied"), ("c/f.txt", None)]


def test_hashing_never_opens_a_fifo_for_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_attempt(file_sha256, tmp_path / "pipe.txt")), daemon=True)
    worker.start()
    worker.join(5)
    assert outcome and "not a regular file (a FIFO)" in str(outcome[0])


def _attempt(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        return exc


# ---------------------------------------------------------------- honest decoding


@pytest.mark.parametrize("text", ["Café", "Café au lait à la carte.\n", "Grüße aus München, schöne Straße.\n"])
def test_legacy_western_text_is_decoded_faithfully(text: str) -> None:
    loaded = load_bytes(text.encode("cp1252"), "txt")
    assert (loaded.text, loaded.encoding) == (text, "cp1252")


@pytest.mark.parametrize(("text", "codec"), [
    ("Привет, мир! Это пример текста на русском языке, чтобы проверить кодировку.\n", "cp1251"),
    ("Καλημέρα κόσμε, αυτό είναι ένα ελληνικό κείμενο για δοκιμή.\n", "cp1253"),
])
def test_legacy_non_latin_text_is_decoded_faithfully(text: str, codec: str) -> None:
    assert load_bytes(text.encode(codec), "txt").text == text


def test_random_high_bytes_are_refused_naming_the_encoding(docs: Path) -> None:
    hostile.build(docs, bombs=False, specials=False)
    with pytest.raises(LoadError, match=r"^undecodable bytes: not UTF-8, and as \S+ \d+ of \d+ non-ASCII characters "
                                        r"would be out of place"):
        load_file(docs / "noise.txt")


# ---------------------------------------------------------------- cleaning independent of batches


def _chunk_ids(tmp_path: Path, name: str, corpus: Path, batch_files: int, monkeypatch) -> dict[str, str]:
    from qa.api import DocQA

    monkeypatch.setattr(pipeline, "BATCH_FILES", batch_files)
    docqa = DocQA.open(index=tmp_path / name, embedder=BagOfWordsEmbedder())
    report = docqa.ingest([str(corpus)])
    assert report.failed == 0
    result = docqa.store.chunks.get(include=["documents"])
    docqa.close()
    return dict(zip(result["ids"], result["documents"]))


def test_the_same_files_give_the_same_chunks_whatever_the_batches(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # A footer shared by every file, titles that differ only in digits, and a line only files 3-5 share: a
    # collection-wide boilerplate list drops that line when those three make a batch of their own (batches of
    # 3 files), and keeps it when they are split (batches of 4, 8, 16).
    for i in range(24):
        body = f"File {i} is about the {['heron', 'otter', 'badger', 'kestrel'][i % 4]} seen on day {i}. " * 3
        note = "Compiled by the river wardens" if 3 <= i < 6 else f"Checked by warden {'abcdefghijklmnopqrstuvwx'[i]}"
        (corpus / f"doc{i:02d}.txt").write_text(f"Report number {i}\n\n{body}\n{note}\n\nShared footer of the "
                                                "collection\n", "utf-8")
    one_batch = _chunk_ids(tmp_path, "one", corpus, 64, monkeypatch)
    small_batches = _chunk_ids(tmp_path, "small", corpus, 3, monkeypatch)
    assert one_batch == small_batches
    assert any("Report number 7" in text for text in one_batch.values())
    assert sum("Compiled by the river wardens" in text for text in one_batch.values()) == 3


def test_running_headers_of_a_pdf_are_dropped_by_the_document_itself(tmp_path: Path) -> None:
    from ingest.clean import kept_ranges, page_boilerplate

    facts = ["the weir was rebuilt by the council", "otters returned to the lower reach",
             "a fish pass opened beside the mill", "volunteers planted willows on the banks"]
    pages = [f"Riverside Trust annual report\nPage {n}: {fact}." for n, fact in enumerate(facts, 1)]
    text = "\n\n".join(pages)
    boilerplate = page_boilerplate(pages)
    kept = " ".join(text[a:b] for a, b in kept_ranges(text, "pdf", boilerplate_lines=boilerplate))
    assert "Riverside Trust annual report" not in kept and all(fact in kept for fact in facts)
    assert page_boilerplate(pages[:2]) == frozenset()  # two pages cannot tell a header from content

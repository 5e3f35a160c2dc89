"""pptx, xlsx, csv, epub, eml and odt: real samples built at test time, loaded, ingested with the real embedder and
Chroma and asked about (the citation names the slide, row group or chapter); broken ones get one line each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_bytes, load_file
from qa.registry import FILE_TYPES
from tests import format_samples as fs

SLIDES = [
    ("Harbour plan", ["Why the harbour needs a second pier"], "Open with the storm damage photos."),
    ("Costs", ["Steel and concrete", "Dredging the channel"], "The council approved a budget of 4.2 million euros."),
    ("Timeline", ["Piling starts in October", "The new pier opens in March 2027"], ""),
]
CHAPTERS = [
    ("The Harbour", "Boats came in at dawn.\n\nThe nets were mended on the quay."),
    ("The Lighthouse Keeper", "The lighthouse on Skerry Point was automated in 1987.\n\nIts keeper moved inland."),
    ("The Storm", "The great storm flooded the lower town in the winter of 1953."),
]


def _row_of(rows: list[list[object]], town: str) -> int:
    """The spreadsheet row number (header = 1) holding `town`."""
    return next(i for i, row in enumerate(rows, start=1) if row[0] == town)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("formats") / "docs"
    folder.mkdir()
    fs.pptx(folder / "harbour.pptx", SLIDES)
    fs.csv_file(folder / "towns.csv", fs.city_rows(80))
    staff = [["Name", "Department", "Office"], ["Ottoline Vance", "Cartography", "Room 314"],
             ["Bertram Quaile", "Archives", "Room 9"]]
    fs.xlsx(folder / "register.xlsx", {"Towns": fs.city_rows(40, seed=11, skip=80), "Staff": staff})
    fs.epub(folder / "coast.epub", "Tales of the Coast", CHAPTERS)
    fs.odt(folder / "ferries.odt", [("h1", "Island ferries"), ("p", "The ferry to Inchmarnock is painted green."),
                                    ("h2", "Timetable"), ("p", "It sails at noon on weekdays.")],
           [["Route", "Crossing time"], ["Inchmarnock", "40 minutes"]])
    fs.eml(folder / "access.eml", sender="Ada Lindqvist <ada@example.org>", to="Bo Marsh <bo@example.org>",
           subject="Archive room access", html="<p>Hello Bo,</p><p>The archive room is in the west wing.</p>",
           attachments=[("codes.csv", b"Room,Door code\nArchive room,4471\nMap room,9025\n")])
    return folder


# ---------------------------------------------------------------- loaders


def test_every_new_format_is_registered_with_a_loader():
    for kind, extension in [("pptx", ".pptx"), ("xlsx", ".xlsx"), ("csv", ".csv"), ("csv", ".tsv"),
                            ("epub", ".epub"), ("eml", ".eml"), ("odt", ".odt")]:
        assert FILE_TYPES.kind_of_extension()[extension] == kind
        assert callable(FILE_TYPES.loader(kind))


def test_pptx_slides_are_pages_with_their_notes(samples):
    loaded = load_file(samples / "harbour.pptx")
    assert [p.page for p in loaded.pages] == [1, 2, 3]
    assert [h.text for h in loaded.headings] == ["Harbour plan", "Costs", "Timeline"]
    costs = loaded.text[loaded.pages[1].start : loaded.pages[1].end]
    assert "Dredging the channel" in costs and "Notes: The council approved a budget of 4.2 million euros." in costs
    assert "March 2027" in loaded.text[loaded.pages[2].start :]
    assert loaded.title == "Harbour plan"


@pytest.mark.parametrize("name", ["towns.csv", "register.xlsx"])
def test_tables_are_row_groups_each_opening_with_the_header(samples, name):
    loaded = load_file(samples / name)
    groups = [loaded.text[p.start : p.end].strip() for p in loaded.pages]
    assert len(groups) > 3
    header = groups[0].splitlines()[0]
    assert header == "Town | County | Population | Founded"
    seen: list[int] = []
    for page, group in zip(loaded.pages, groups):
        lines = group.splitlines()
        if "Ottoline" in group:  # the workbook's second sheet has its own header
            assert lines[0] == "Name | Department | Office"
            continue
        assert lines[0] == header
        assert all(line.startswith("Row ") and " = " in line for line in lines[1:])
        numbers = [int(line.split(":")[0].removeprefix("Row ")) for line in lines[1:]]
        assert numbers[0] == page.page  # a group's page is its first row
        seen.extend(numbers)
    assert seen == list(range(2, 2 + len(seen)))  # every row once, in order, none cut


def test_csv_dialect_is_sniffed(tmp_path):
    fs.csv_file(tmp_path / "semi.csv", [["Name", "Note"], ["Ann", "likes tea, not coffee"], ["Bo", "x"]], delimiter=";")
    fs.csv_file(tmp_path / "tabs.tsv", [["Name", "Age"], ["Ann", 31]], delimiter="\t")
    assert "Row 2: Name = Ann; Note = likes tea, not coffee" in load_file(tmp_path / "semi.csv").text
    assert "Row 2: Name = Ann; Age = 31" in load_file(tmp_path / "tabs.tsv").text


def test_xlsx_sheets_are_named_in_the_headings(samples):
    loaded = load_file(samples / "register.xlsx")
    headings = [h.text for h in loaded.headings]
    assert headings[0] == "Towns, rows 2-" + headings[0].split("-")[-1]
    assert headings[-1] == "Staff, rows 2-3"
    assert "Row 2: Name = Ottoline Vance; Department = Cartography; Office = Room 314" in loaded.text


def test_epub_chapters_follow_the_spine(samples):
    loaded = load_file(samples / "coast.epub")
    assert loaded.title == "Tales of the Coast"
    assert [h.text for h in loaded.headings] == [c[0] for c in CHAPTERS]
    second = loaded.text[loaded.pages[1].start : loaded.pages[1].end]
    assert loaded.pages[1].page == 2 and "automated in 1987" in second


def test_eml_headers_body_and_attachments(samples, tmp_path):
    loaded = load_file(samples / "access.eml")
    assert loaded.title == "Archive room access"
    for line in ("From: Ada Lindqvist <ada@example.org>", "To: Bo Marsh <bo@example.org>",
                 "Subject: Archive room access", "The archive room is in the west wing."):
        assert line in loaded.text
    assert "<p>" not in loaded.text
    assert "Attachment: codes.csv" in [h.text for h in loaded.headings]
    assert "Row 2: Room = Archive room; Door code = 4471" in loaded.text
    # A message attached to a message is read through the same loader; an unknown type is named, not read.
    fs.eml(tmp_path / "outer.eml", sender="c@example.org", to="d@example.org", subject="Fwd", text="See below.",
           attachments=[("inner.eml", (samples / "access.eml").read_bytes()), ("tool.exe", b"MZ\x90\x00")])
    outer = load_file(tmp_path / "outer.eml")
    assert "Row 2: Room = Archive room; Door code = 4471" in outer.text
    assert "Attachment: tool.exe (not read: unsupported file type .exe)" in outer.text


def test_attached_messages_are_read_to_a_bounded_depth():
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["Subject"] = "x@example.org", "Innermost"
    message.set_content("The vault opens at nine.")
    for level in range(5):
        outer = EmailMessage()
        outer["From"], outer["Subject"] = "a@example.org", f"Level {level}"
        outer.set_content("Forwarded.")
        outer.add_attachment(message)  # message/rfc822
        message = outer
    text = load_bytes(bytes(message), "eml", name="deep.eml").text
    assert text.count("Attachment: message.eml") == 3 and "Subject: Level 2" in text
    assert "(not read: messages nested deeper than 3 are not read)" in text and "vault" not in text

def test_eml_attachments_obey_the_same_limits(samples, tmp_path):
    fs.pptx(tmp_path / "good.pptx", SLIDES[:1])
    fs.bomb_like(tmp_path / "good.pptx", tmp_path / "bomb.pptx", fs.BOMB_MEMBERS["pptx"])
    fs.eml(tmp_path / "bombed.eml", sender="e@example.org", to="f@example.org", subject="Slides",
           text="The deck is attached.", attachments=[("deck.pptx", (tmp_path / "bomb.pptx").read_bytes())])
    loaded = load_file(tmp_path / "bombed.eml")
    assert "The deck is attached." in loaded.text
    assert "Attachment: deck.pptx (not read: PPTX inflates to over" in loaded.text


def test_odt_headings_paragraphs_and_table(samples):
    loaded = load_file(samples / "ferries.odt")
    assert [(h.level, h.text) for h in loaded.headings] == [(1, "Island ferries"), (2, "Timetable")]
    assert "The ferry to Inchmarnock is painted green." in loaded.text
    assert "Inchmarnock | 40 minutes" in loaded.text
    assert loaded.title == "Island ferries"


# ---------------------------------------------------------------- broken samples and bombs


def broken_samples(folder: Path, good: Path) -> dict[str, str]:
    """One broken file per format -> a fragment of the reason expected for it."""
    folder.mkdir(exist_ok=True)
    (folder / "truncated.pptx").write_bytes((good / "harbour.pptx").read_bytes()[:2000])
    (folder / "renamed.xlsx").write_bytes(b"Town,County\nA,B\n")  # a csv with the wrong extension
    (folder / "binary.csv").write_bytes(b"\x00\x01\x02\x03" * 64)
    with zipfile.ZipFile(folder / "nospine.epub", "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    (folder / "garbage.eml").write_bytes(b"\x89PNG\r\n\x1a\n not a message at all")
    with zipfile.ZipFile(folder / "badxml.odt", "w") as archive:
        archive.writestr("content.xml", "<office:document-content><unclosed>")
    return {"truncated.pptx": "not a valid PPTX", "renamed.xlsx": "not a valid XLSX", "binary.csv": "binary data",
            "nospine.epub": "not a valid EPUB", "garbage.eml": "not a valid EML", "badxml.odt": "not a valid ODT"}


def test_broken_samples_get_one_line_naming_the_file(samples, tmp_path):
    for name, reason in broken_samples(tmp_path / "broken", samples).items():
        with pytest.raises(LoadError) as caught:
            load_file(tmp_path / "broken" / name)
        assert reason in str(caught.value) and "\n" not in str(caught.value)
        assert caught.value.source.endswith(name)


def bombs(folder: Path, good: Path) -> list[str]:
    """pptx, xlsx, epub and odt bombs made from the good samples: each 1.1 GB when inflated."""
    folder.mkdir(exist_ok=True)
    originals = {"pptx": "harbour.pptx", "xlsx": "register.xlsx", "epub": "coast.epub", "odt": "ferries.odt"}
    for kind, original in originals.items():
        fs.bomb_like(good / original, folder / f"bomb.{kind}", fs.BOMB_MEMBERS[kind])
    return [f"bomb.{kind}" for kind in originals]


def test_zip_bombs_are_refused_before_inflating(samples, tmp_path):
    for name in bombs(tmp_path / "bombs", samples):
        data = (tmp_path / "bombs" / name).read_bytes()
        assert len(data) < 3 * fs.MIB
        with pytest.raises(LoadError) as caught:
            load_bytes(data, name.split(".")[-1], name=name)
        assert "zip bomb" in str(caught.value) and "DOCQA_MAX_UNZIPPED_MB" in str(caught.value)


# ---------------------------------------------------------------- end to end: real embedder, real Chroma


@pytest.fixture(scope="module")
def ingested(samples, tmp_path_factory, embedder):
    from qa.api import DocQA

    docqa = DocQA.open(index=tmp_path_factory.mktemp("formats-index") / "index", embedder=embedder)
    report = docqa.ingest([str(samples)])
    assert report.ok and report.added == 6, report.to_dict()
    yield docqa
    docqa.close()


def _cited(answer, source_name: str) -> list:
    return [c for c in answer.citations if Path(c.source).name == source_name]


@pytest.mark.slow
def test_slide_notes_answer_cites_their_slide(ingested):
    answer = ingested.ask("What budget did the council approve for the harbour?")
    cited = _cited(answer, "harbour.pptx")
    assert cited and "4.2 million euros" in answer.answer, answer.to_dict()
    assert {c.page for c in cited} == {2}


@pytest.mark.slow
def test_slide_text_answer_cites_its_slide(ingested):
    answer = ingested.ask("When does the new pier open?")
    cited = _cited(answer, "harbour.pptx")
    assert cited and "March 2027" in answer.answer
    assert {c.page for c in cited} == {3}


@pytest.mark.slow
@pytest.mark.parametrize("name,rows", [("towns.csv", fs.city_rows(80)),
                                       ("register.xlsx", fs.city_rows(40, seed=11, skip=80))])
def test_a_cell_answer_cites_its_row(ingested, samples, name, rows):
    town = rows[len(rows) * 3 // 4][0]  # well past the first group
    row = _row_of(rows, town)
    population = rows[row - 1][2]
    answer = ingested.ask(f"What is the population of {town}?")
    cited = _cited(answer, name)
    assert cited, answer.to_dict()
    assert str(population) in answer.answer and town in answer.answer
    # The cited group is the one holding the row: its page is the group's first row, its text names the row.
    loaded = load_file(samples / name)
    line = f"Row {row}: Town = {town};"
    group = next(p for p in loaded.pages if line in loaded.text[p.start : p.end])
    holding = [c for c in cited if line in c.text]
    assert holding and all(c.page == group.page for c in holding), (group, [c.to_dict() for c in cited])
    assert group.page <= row < group.page + 30


@pytest.mark.slow
def test_every_table_chunk_is_one_whole_group_opening_with_the_header(ingested, samples):
    """The chunker never re-splits a row group: each stored chunk of a table is exactly one group."""
    records = {Path(r.source).name: r for r in ingested.store.doc_records().values()}
    for name in ("towns.csv", "register.xlsx"):
        chunks = ingested.store.get_chunks(doc_ids=[records[name].doc_id])
        groups = load_file(samples / name).pages
        assert sorted((c.start, c.page) for c in chunks) == [(g.start, g.page) for g in groups]
        for chunk in chunks:
            assert chunk.text.split("\n", 1)[0] in ("Town | County | Population | Founded", "Name | Department | Office")
            assert chunk.heading and "row" in chunk.heading, chunk.text[:80]


@pytest.mark.slow
def test_epub_answer_cites_its_chapter(ingested):
    answer = ingested.ask("When was the lighthouse on Skerry Point automated?")
    cited = _cited(answer, "coast.epub")
    assert cited and "1987" in answer.answer
    assert {c.page for c in cited} == {2}


@pytest.mark.slow
def test_eml_attachment_answer_cites_the_message(ingested):
    answer = ingested.ask("What is the door code of the archive room?")
    assert _cited(answer, "access.eml") and "4471" in answer.answer, answer.to_dict()
    answer = ingested.ask("Which wing is the archive room in?")
    assert _cited(answer, "access.eml") and "west wing" in answer.answer


@pytest.mark.slow
def test_odt_answer_cites_the_document(ingested):
    answer = ingested.ask("What colour is the ferry to Inchmarnock?")
    assert _cited(answer, "ferries.odt") and "green" in answer.answer


@pytest.mark.slow
def test_sources_list_the_new_kinds(ingested):
    kinds = {Path(s.source).name: s.kind for s in ingested.sources()}
    assert kinds == {"harbour.pptx": "pptx", "towns.csv": "csv", "register.xlsx": "xlsx", "coast.epub": "epub",
                     "ferries.odt": "odt", "access.eml": "eml"}


@pytest.mark.slow
def test_cli_ingest_reads_the_new_formats_around_broken_files_and_bombs(samples, tmp_path):
    """`docqa ingest` on good samples, a broken file of each format and four zip bombs: one line per bad file
    naming it, every good file ingested, exit code 1; `sources --json` gives each kind."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(samples, docs)
    expected = broken_samples(docs, samples)
    for name in bombs(docs, samples):
        expected[name] = "a zip bomb?"
    docqa = [str(Path(sys.executable).with_name("docqa")), "--index", "idx"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    run = subprocess.run([*docqa, "ingest", "-q", "docs"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600, env=env)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.splitlines()
    for name, reason in expected.items():
        told = [line for line in lines if line.startswith(f"failed: docs/{name}: ")]
        assert len(told) == 1 and reason in told[0], (name, lines)
    listed = subprocess.run([*docqa, "sources", "--json"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=600, env=env)
    kinds = {s["source"]: s["kind"] for s in json.loads(listed.stdout)}
    assert kinds == {"docs/harbour.pptx": "pptx", "docs/towns.csv": "csv", "docs/register.xlsx": "xlsx",
                     "docs/coast.epub": "epub", "docs/ferries.odt": "odt", "docs/access.eml": "eml"}


@pytest.mark.slow
def test_a_file_type_registered_later_is_discovered_and_loaded(tmp_path, fresh_docqa):
    """Dispatch reads the registry at call time: a plugin's type, registered after import, is ingested."""
    from qa.registry import FileType

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "minutes.note").write_text("The quarry committee meets on the first Tuesday.\n")
    FILE_TYPES.register(FileType("note", (".note",), (), "Notes", "ingest.formats.text:load_txt"))
    try:
        report = fresh_docqa.ingest([str(tmp_path / "docs")])
    finally:
        FILE_TYPES.unregister("note")
    assert [(Path(f.source).name, f.status) for f in report.files] == [("minutes.note", "added")]
    with pytest.raises(LoadError, match="unsupported file type .note"):
        load_file(tmp_path / "docs" / "minutes.note")


@pytest.mark.slow
def test_web_upload_accepts_the_new_extensions(samples, tmp_path, fresh_docqa):
    """The upload allow-list is the registry's: each new format uploads, is stored and ingested."""
    import shutil

    from ui.webchat import WebChat

    chat = WebChat(fresh_docqa, max_upload_mb=5)
    temp = []
    for path in sorted(samples.iterdir()):
        copy = tmp_path / f"gradio-{path.name}"  # Gradio hands over a temp copy and the name the user gave
        shutil.copy(path, copy)
        temp.append((str(copy), path.name))
    report = chat.ingest_uploads(temp)
    assert sorted((Path(f.source).name, f.status) for f in report.files) == sorted(
        (path.name, "added") for path in samples.iterdir())

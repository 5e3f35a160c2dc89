"""Loaders: every supported format yields text with exact offsets, and every bad input yields one clear LoadError."""

from __future__ import annotations

import io
import logging
import os
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest import loaders
from ingest.loaders import SUPPORTED_EXTENSIONS, LoadedText, LoadError, UnsupportedFormat, load_bytes, load_file

KINDS = ("txt", "md", "html", "pdf", "docx")
PROSE = "The committee approved the new budget after a long debate about school funding in the region."


# ---------------------------------------------------------------- fixture builders


def make_pdf(pages: list[list[str]], *, title: str | None = None, outline: dict[int, str] | None = None) -> bytes:
    """A real PDF, one list of lines per page; `outline` maps a 0-based page index to a bookmark title."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title:
        pdf.setTitle(title)
    for index, lines in enumerate(pages):
        if outline and index in outline:
            pdf.bookmarkPage(f"p{index}")
            pdf.addOutlineEntry(outline[index], f"p{index}", level=0)
        for row, line in enumerate(lines):
            pdf.drawString(72, 760 - 18 * row, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypt_pdf(data: bytes, *, user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_heading("Annual Garden Report", 0)
    document.add_paragraph("The tomatoes did well this year thanks to the warm summer.")
    document.add_heading("Costs", 1)
    document.add_paragraph("Seeds cost twelve pounds in total.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Variety", "Yield"
    table.cell(1, 0).text, table.cell(1, 1).text = "Gardener's Delight", "4 kg"
    document.add_heading("Next Year", 2)
    document.add_paragraph("Plant earlier and water twice a week.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_headings_point_at_their_text(loaded: LoadedText) -> None:
    for heading in loaded.headings:
        assert loaded.text.find(heading.text, heading.start) - heading.start in range(0, 8), heading


# ---------------------------------------------------------------- plain text


def test_utf8_text_is_the_file_content_without_newline_translation(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Shopping list\r\nMilk and eggs\rBread\n\nCafé ☕ 東京\n".encode())
    loaded = load_file(path)
    assert loaded.text == open(path, encoding="utf-8", newline="").read()
    assert (loaded.kind, loaded.encoding, loaded.title) == ("txt", "utf-8", "Shopping list")
    assert loaded.pages == () and loaded.headings == ()


def test_utf8_bom_is_consumed(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path, "bom.txt", "\ufeffHello there\n".encode("utf-8")))
    assert (loaded.text, loaded.encoding) == ("Hello there\n", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    original = "Grüße aus München\r\nZweite Zeile €\n"
    loaded = load_file(write(tmp_path, "u16.txt", ("\ufeff" + original).encode(codec)))
    assert (loaded.text, loaded.encoding) == (original, codec)


def test_cp1252_text_is_decoded_as_cp1252(tmp_path: Path) -> None:
    original = "Café – naïve “quotes” cost 5€.\nSecond line, déjà vu.\n"
    loaded = load_file(write(tmp_path, "legacy.txt", original.encode("cp1252")))
    assert (loaded.text, loaded.encoding) == (original, "cp1252")


def test_non_latin_legacy_encoding_is_detected() -> None:
    original = "Привет, мир! Это пример текста на русском языке, чтобы проверить кодировку.\n"
    loaded = load_bytes(original.encode("cp1251"), "txt")
    assert loaded.text == original


def test_scraped_text_title_skips_leading_chrome() -> None:
    loaded = load_bytes(f"Follow\n\nHow the Budget Passed\n\n{PROSE}\n".encode(), "txt")
    assert loaded.title == "How the Budget Passed"


def test_a_mail_saved_as_text_is_titled_by_its_subject_without_reply_prefixes() -> None:
    mail = ("From: Ola Brandt <ola@example.org>\nTo: Team <team@example.org>\nDate: Mon, 3 Mar 2025 09:12\n"
            f"Subject: RE: Fwd: Boiler service - engineer booked\n\nHi all,\n\n{PROSE}\n")
    assert load_bytes(mail.encode(), "txt").title == "Boiler service - engineer booked"
    # a note that only mentions a subject line is not a mail
    note = f"Meeting notes\nSubject: budget\n\n{PROSE}\n"
    assert load_bytes(note.encode(), "txt").title == "Meeting notes"


# ---------------------------------------------------------------- markdown


def test_markdown_headings_and_title(tmp_path: Path) -> None:
    source = (
        "# Project Notes\n\nIntro paragraph.\n\n## Setup ##\n\nRun it.\n\n"
        "```\n# not a heading, just code\n```\n\nSetext Heading\n---\n\n#hashtag is not a heading\n"
    )
    loaded = load_file(write(tmp_path, "notes.markdown", source.encode()))
    # The indexed text is the readable one: heading markers and code fences go, the code itself stays.
    assert loaded.kind == "md" and loaded.text == (
        "Project Notes\n\nIntro paragraph.\n\nSetup\n\nRun it.\n\n"
        "# not a heading, just code\n\nSetext Heading\n\n#hashtag is not a heading\n"
    )
    assert [(h.level, h.text) for h in loaded.headings] == [(1, "Project Notes"), (2, "Setup"), (2, "Setext Heading")]
    assert_headings_point_at_their_text(loaded)
    assert loaded.title == "Project Notes"


def test_markdown_front_matter_title_wins_and_is_not_a_heading() -> None:
    source = "---\ntitle: \"Release Plan\"\ndate: 2024-01-01\n---\n\nSome text\n"
    loaded = load_bytes(source.encode(), "md")
    assert loaded.title == "Release Plan"
    assert loaded.headings == ()


# ---------------------------------------------------------------- html

ARTICLE_HTML = """<!doctype html><html><head><title>Growing Tomatoes | Garden Weekly</title></head><body>
<nav><a href="/">Home</a> <a href="/login">Log in</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>Growing Tomatoes</h1>
<p>Tomatoes need at least six hours of direct sunlight every day to produce a good crop of fruit in summer.</p>
<h2>Watering</h2>
<p>Water deeply <b>twice a week</b> rather than a little every day, so that the roots grow down into the soil.</p>
<h2>Feeding</h2>
<p>Use a potassium-rich feed once the first flowers appear, and continue weekly until the end of the season.</p>
</article>
<footer><p>Copyright 2024 Garden Weekly. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_html_keeps_main_content_as_clean_text(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path, "page.htm", ARTICLE_HTML.encode()))
    # the whole <title>: the site's name ("Garden Weekly") is something a question may name
    assert loaded.kind == "html" and loaded.title == "Growing Tomatoes | Garden Weekly"
    assert "six hours of direct sunlight" in loaded.text
    assert "Water deeply twice a week rather than" in loaded.text  # inline markup flattened, no ** or tags
    for chrome in ("Log in", "Subscribe", "All rights reserved", "<", "**"):
        assert chrome not in loaded.text
    assert [(h.level, h.text) for h in loaded.headings if h.text != "Growing Tomatoes"] == [(2, "Watering"), (2, "Feeding")]
    for heading in loaded.headings:
        assert loaded.text[heading.start : heading.start + len(heading.text)] == heading.text


def test_html_fragment_too_small_for_main_content_detection_still_loads() -> None:
    loaded = load_bytes(b"<p>Hello <i>world</i></p>", "html")
    assert loaded.text.strip() == "Hello world"


def test_html_without_text_is_refused() -> None:
    with pytest.raises(LoadError, match="no text"):
        load_bytes(b"<html><head><title>T</title></head><body><script>var x = 1;</script></body></html>", "html")


# A DocBook glossary: each entry's term is what its definition is about.
GLOSSARY_HTML = "<html><head><title>Users and Groups</title></head><body><h1>Users and Groups</h1>" + \
    "<p>The Debian base-passwd package contains the master versions of the password and group files.</p><dl>" + "".join(
        f"<dt>{term}</dt><dd><p>{text}</p></dd>" for term, text in [
            ("root", "Root is (typically) the superuser and may do anything on the whole system."),
            ("daemon", "Some unprivileged daemons that need to write to files on disk run as this user."),
            ("sudo", "Members of this group may run any command as any user when they use the sudo program."),
            ("staff", "Allows users to add local modifications to the system without needing root privileges."),
            ("voice", "Voice modems are owned by this group, and so are the programs that answer the phone.")]) + \
    "</dl></body></html>"


def test_html_keeps_prose_written_straight_into_the_body() -> None:
    """zlib's hand-written usage page opens with prose straight in <body>, which trafilatura alone drops."""
    page = Path(__file__).resolve().parent.parent / "eval" / "sets" / "probe_docs_corpus" / "zlib_usage_example.html"
    flat = " ".join(load_file(page).text.split())
    intro = "We often get questions about how the deflate() and inflate() functions should be used."
    assert intro in flat and "We now include the header files for the required definitions." in flat
    assert flat.index(intro) < flat.index("Without further adieu") < flat.index("We now include")


def test_html_keeps_the_terms_of_a_glossary_before_their_definitions() -> None:
    lines = [line.strip() for line in load_bytes(GLOSSARY_HTML.encode(), "html").text.splitlines() if line.strip()]
    for term, starts in [("root", "Root is"), ("sudo", "Members of"), ("voice", "Voice modems")]:
        assert lines[lines.index(term) + 1].startswith(starts)


# ---------------------------------------------------------------- pdf


def test_pdf_pages_tile_the_text_and_title_comes_from_metadata(tmp_path: Path) -> None:
    pages = [[f"Page {n} heading", f"This is the text printed on page number {n}."] for n in (1, 2, 3)]
    loaded = load_file(write(tmp_path, "report.pdf", make_pdf(pages, title="Quarterly Report")))
    assert loaded.kind == "pdf" and loaded.title == "Quarterly Report"
    assert [p.page for p in loaded.pages] == [1, 2, 3]
    assert loaded.pages[0].start == 0 and loaded.pages[-1].end == len(loaded.text)
    for before, after in zip(loaded.pages, loaded.pages[1:]):
        assert before.end == after.start
    for span, lines in zip(loaded.pages, pages):
        for line in lines:
            assert line in loaded.text[span.start : span.end]


def test_pdf_outline_becomes_headings() -> None:
    data = make_pdf([["Introduction", "Some opening words here."], ["Results", "The numbers went up."]], outline={0: "Introduction", 1: "Results"})
    loaded = load_bytes(data, "pdf")
    assert [h.text for h in loaded.headings] == ["Introduction", "Results"]
    assert_headings_point_at_their_text(loaded)
    assert loaded.headings[1].start >= loaded.pages[1].start


def test_pdf_without_text_is_refused_as_scanned() -> None:
    with pytest.raises(LoadError, match=r"^no extractable text \(scanned PDF\?\)$"):
        load_bytes(make_pdf([[], []]), "pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_pdf_is_refused(algorithm: str) -> None:
    data = encrypt_pdf(make_pdf([["Secret plans for the weekend."]]), user_password="hunter2", algorithm=algorithm)
    with pytest.raises(LoadError, match=r"^encrypted PDF$"):
        load_bytes(data, "pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_only_an_owner_password_opens(algorithm: str) -> None:
    """Restriction-only encryption (empty user password) is common; AES needs pypdf's `crypto` extra."""
    data = encrypt_pdf(make_pdf([["Printing is restricted but reading is fine."]]), user_password="", algorithm=algorithm)
    assert "reading is fine" in load_bytes(data, "pdf").text


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = make_pdf([["Some text that will be cut off."]] * 2)
    with pytest.raises(LoadError, match=r"^not a valid PDF \(truncated or corrupt\)$"):
        load_file(write(tmp_path, "cut.pdf", data[: len(data) // 2]))


def test_pdf_problems_do_not_leak_library_logging(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_pdf([["Some text."]])
    with caplog.at_level(logging.DEBUG), pytest.raises(LoadError):
        load_bytes(data[: len(data) - 40], "pdf")
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- docx


def test_docx_paragraphs_tables_and_headings(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path, "report.docx", make_docx()))
    assert loaded.kind == "docx" and loaded.title == "Annual Garden Report"
    assert loaded.text.split("\n\n") == [
        "Annual Garden Report",
        "The tomatoes did well this year thanks to the warm summer.",
        "Costs",
        "Seeds cost twelve pounds in total.",
        "Variety | Yield",
        "Gardener's Delight | 4 kg",
        "Next Year",
        "Plant earlier and water twice a week.",
    ]
    assert [(h.level, h.text) for h in loaded.headings] == [(0, "Annual Garden Report"), (1, "Costs"), (2, "Next Year")]
    for heading in loaded.headings:
        assert loaded.text[heading.start : heading.start + len(heading.text)] == heading.text


def test_docx_core_title_is_preferred() -> None:
    document = docx.Document()
    document.core_properties.title = "Official Title"
    document.add_paragraph("Body text only.")
    out = io.BytesIO()
    document.save(out)
    assert load_bytes(out.getvalue(), "docx").title == "Official Title"


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    with pytest.raises(LoadError, match=r"^not a valid DOCX"):
        load_bytes(out.getvalue(), "docx")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("extension", sorted(SUPPORTED_EXTENSIONS))
def test_empty_file_is_refused(tmp_path: Path, extension: str) -> None:
    with pytest.raises(LoadError, match=r"^empty file$"):
        load_file(write(tmp_path, f"empty{extension}", b""))


@pytest.mark.parametrize("kind", ["txt", "md", "html"])
def test_whitespace_only_is_refused(kind: str) -> None:
    with pytest.raises(LoadError, match="no text"):
        load_bytes(b" \n\t\r\n  \n", kind)


@pytest.mark.parametrize(
    ("extension", "reason"),
    [(".pdf", r"^not a valid PDF"), (".docx", r"^not a valid DOCX"), (".txt", r"^undecodable bytes \(not UTF-8/UTF-16/cp1252\)$")],
)
def test_binary_garbage_is_refused(tmp_path: Path, extension: str, reason: str) -> None:
    garbage = bytes(range(256)) * 8 + os.urandom(512)
    with pytest.raises(LoadError, match=reason):
        load_file(write(tmp_path, f"garbage{extension}", garbage))


def test_nul_bytes_in_valid_utf8_are_binary_not_text() -> None:
    with pytest.raises(LoadError, match=r"^binary data"):
        load_bytes(b"plain words " * 200 + b"\x00", "md")  # one NUL is enough: no text format contains it


def test_invalid_utf16_after_bom_is_refused() -> None:
    with pytest.raises(LoadError, match=r"^undecodable bytes"):
        load_bytes(b"\xff\xfeA\x00\x00\xd8", "txt")  # BOM, "A", then a lone high surrogate


def test_file_over_the_limit_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(201 * 2**20)  # sparse: no 200 MB is written or allocated

    def refuse_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened although stat already showed it is too large")

    monkeypatch.setattr(loaders, "open", refuse_open, raising=False)
    with pytest.raises(LoadError) as caught:
        load_file(path)
    assert str(caught.value) == "file too large (201.0 MB > 100 MB limit; raise DOCQA_MAX_FILE_MB)"


def test_small_max_bytes_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"x" * 2048)
    with pytest.raises(LoadError, match=r"^file too large \(0\.0 MB > .* MB limit; raise DOCQA_MAX_FILE_MB\)$"):
        load_file(path, max_bytes=1024)
    assert load_file(path, max_bytes=2048).text == "x" * 2048


def test_permission_error_from_open_is_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", b"top secret")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(loaders, "open", denied, raising=False)
    with pytest.raises(LoadError, match=r"^permission denied$"):
        load_file(path)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode; covered by the monkeypatched test above")
def test_unreadable_file_for_a_normal_user(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", b"top secret")
    path.chmod(0)
    with pytest.raises(LoadError, match=r"^permission denied$"):
        load_file(path)


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(LoadError, match=r"^symlink loop$"):
        load_file(tmp_path / "a.txt")


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(LoadError, match=r"^broken symlink$"):
        load_file(tmp_path / "dangling.txt")


def test_nonexistent_path(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"^no such file$"):
        load_file(tmp_path / "missing.txt")


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(LoadError, match=r"^is a directory"):
        load_file(tmp_path / "folder.md")


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(LoadError, match=r"^not a regular file \(a FIFO\)$"):
        load_file(tmp_path / "pipe.txt")


def test_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"^unsupported file type \.xyz$") as caught:
        load_file(write(tmp_path, "data.xyz", b"hello"))
    assert isinstance(caught.value, LoadError)
    with pytest.raises(UnsupportedFormat, match=r"no extension"):
        load_file(write(tmp_path, "README", b"hello"))
    with pytest.raises(UnsupportedFormat):
        load_bytes(b"hello", "rtf")


def test_unexpected_library_failure_becomes_a_one_line_load_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal failure\nwith a second line")

    monkeypatch.setattr(pypdf, "PdfReader", explode)
    with pytest.raises(LoadError) as caught:
        load_bytes(make_pdf([["Hello."]]), "pdf")
    assert str(caught.value) == "could not parse pdf: RuntimeError: internal failure with a second line"


# ---------------------------------------------------------------- properties

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(loaded: LoadedText) -> None:
    assert loaded.text.strip()
    for heading in loaded.headings:
        assert 0 <= heading.start <= len(loaded.text)
    assert [h.start for h in loaded.headings] == sorted(h.start for h in loaded.headings)
    if loaded.pages:
        assert loaded.pages[0].start == 0 and loaded.pages[-1].end == len(loaded.text)


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_load_or_fail_cleanly(kind: str, data: bytes) -> None:
    try:
        loaded = load_bytes(data, kind)
    except LoadError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert_well_formed(loaded)


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(text=st.text(max_size=400))
def test_random_text_loads_or_fails_cleanly(kind: str, text: str) -> None:
    try:
        loaded = load_bytes(text.encode("utf-8", "surrogatepass"), kind)
    except LoadError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert_well_formed(loaded)
        if kind == "txt" and not text.startswith("\ufeff") and not any("\ud800" <= ch <= "\udfff" for ch in text):
            assert loaded.text == text  # valid UTF-8 comes back verbatim


VALID_SAMPLES = {"pdf": make_pdf([["A first page of text."], ["A second page of text."]], outline={1: "Second"}), "docx": make_docx()}


@pytest.mark.parametrize("kind", sorted(VALID_SAMPLES))
@FUZZ
@given(data=st.data())
def test_damaged_real_documents_load_or_fail_cleanly(kind: str, data: st.DataObject) -> None:
    """Random damage to a real PDF/DOCX reaches deep into the parsers, unlike random bytes that fail at the header."""
    sample = bytearray(VALID_SAMPLES[kind])
    cut = data.draw(st.integers(min_value=8, max_value=len(sample)), label="cut")
    at = data.draw(st.integers(min_value=0, max_value=len(sample) - 1), label="at")
    patch = data.draw(st.binary(min_size=1, max_size=64), label="patch")
    sample[at : at + len(patch)] = patch
    try:
        loaded = load_bytes(bytes(sample[:cut]), kind)
    except LoadError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert_well_formed(loaded)

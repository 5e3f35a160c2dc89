"""Version questions: "which release dropped X?" answered by the changelog heading above the line saying so, and "in
which version was it added?" by the version note under the API entry asked about."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.chunker import Chunker
from ingest.formats.markdown import markdown_to_text
from qa.answer_types import answer_type, offers
from qa.generate import GenerationRequest
from qa.generators.spans import candidate_spans, cross_reading
from qa.generators.typed import carried_answer, with_release_heading
from qa.models import Chunk, Document, PageSpan, Passage
from qa.versions import (asked_versions, entry_at, of_another_version, other_version, release_at, release_heading,
                         unwritten_versions, version_in)
from tests.conftest import assert_cited_answer, ingest_text
from tests.test_chunker import whitespace_tokens

CHANGELOG = """# Changelog

## [2.1.0] - 2026-03-01

### Added

- Support for reading settings from TOML files.

### Changed

- Dropped support for Python 3.9.
- The loader now ignores blank lines.

## [2.0.0] - 2025-10-26

### Changed

- Dropped support for Python 3.8.
- Renamed the `strict` flag to `validate`.
"""


@pytest.mark.parametrize("question,kind", [
    ("Which release dropped support for Python 3.9?", "version"),
    ("In which version was it added?", "version"),
    ("Since which Python version does the function support it?", "version"),
    ("Which version of the FAQ is that?", None),  # an edition of a document, named any way
    ("Which major versions end up as LTS?", None),  # a kind of version: "even-numbered"
    ("When was it added?", "date"),
    ("What did release 3.2.0 add?", None),  # the release is named; what it added is asked
])
def test_which_version_or_release_asks_for_a_version(question, kind):
    assert answer_type(question).kind == kind


def test_a_version_the_question_names_is_no_answer():
    question = "Which release dropped support for Python 3.9?"
    assert version_in("- Dropped support for Python 3.9.", question) is None
    assert version_in("[2.1.0] - 2026-03-01", question) == "2.1.0"
    assert version_in("New in version 3.8.") == "3.8"  # not "version 3"
    assert version_in("The latest Hydrogen (Node.js 18) release") == "Node.js 18"
    assert other_version("- Drop support for python 3.7, add python 3.12-dev", question)
    assert not other_version("- Dropped support for Python 3.9.", question)
    assert not offers("- Drop support for python 3.7 and 3.12-dev", answer_type(question), question)


def test_a_chunk_carries_the_release_heading_and_api_entry_it_starts_under():
    text, headings = markdown_to_text(CHANGELOG)
    assert release_at(headings, text.index("Dropped support for Python 3.9")).text == "[2.1.0] - 2026-03-01"
    assert release_at(headings, text.index("Renamed")).text == "[2.0.0] - 2025-10-26"
    assert release_at(headings, text.index("Changelog")) is None
    document = Document(id="c", source="CHANGELOG.md", path="/CHANGELOG.md", sha256="0", kind="md", text=text,
                        headings=headings)
    chunks = Chunker(whitespace_tokens, 12, 0).chunk(document, [(0, len(text))])
    later = next(c for c in chunks if c.text.lstrip().startswith("- Renamed the strict flag"))
    assert later.metadata["release"] == "[2.0.0] - 2025-10-26"
    # a heading starts the chunk of the text under it, not the end of the one before
    assert next(c for c in chunks if "Python 3.8" in c.text).text.startswith("[2.0.0] - 2025-10-26\n\nChanged")
    assert text[later.metadata["release_start"]:].startswith("[2.0.0] - 2025-10-26")  # a citation can point there
    cut = text.index("- Renamed")
    paged = replace(document, kind="pdf", pages=(PageSpan(1, 0, cut), PageSpan(2, cut, len(text))))
    on_page_two = next(c for c in Chunker(whitespace_tokens, 12, 0).chunk(paged, [(0, len(text))]) if c.page == 2)
    assert on_page_two.metadata["release"] == "[2.0.0] - 2025-10-26" and on_page_two.metadata["release_page"] == 1
    docs = "- statistics.fmean(data, weights=None)¶\n- Convert data to floats.\nMore text here.\nNew in version 3.8."
    assert entry_at(docs, docs.index("New in")) == "- statistics.fmean(data, weights=None)¶"
    assert entry_at("No entries here.\nNew in version 3.8.", 17) == ""


def _passage(text: str, **metadata) -> Passage:
    chunk = Chunk(id="x", doc_id="d", source="d.md", index=3, start=0, end=len(text), text=text, metadata=metadata)
    return Passage(chunk=chunk, score=1.0)


def test_spans_know_their_release_and_version_notes_their_entry():
    spans = candidate_spans([_passage("- Dropped support for Python 3.9.\n- The loader now ignores blank lines.",
                                      release="[2.1.0] - 2026-03-01")])
    assert {s.release for s in spans} == {"[2.1.0] - 2026-03-01"}
    spans = candidate_spans([_passage("2.2.0\n-----\n\n- Dropped support for Python 3.10.")])  # an RST release line
    assert [s.release for s in spans if "3.10" in s.text][0] == "2.2.0"
    spans = candidate_spans([_passage("If weights is supplied, it must be as long as the data.\nNew in version 3.8.",
                                      entry="- statistics.fmean(data, weights=None)¶")])
    note = next(s for s in spans if s.text == "New in version 3.8.")
    assert note.lead == "- statistics.fmean(data, weights=None)¶"
    assert all(s.lead == "" for s in spans if s is not note)


def test_a_version_note_after_an_attribute_list_dates_the_entry_at_its_own_indent():
    docs = ("- class shapes.Polygon(points)¶\n- A closed figure with these attributes:\n  - area¶\n"
            "  - The surface it encloses.\n  - sides¶\n  - How many edges it has.\nNew in version 2.4.\n"
            "- shapes.scale(polygon, factor)¶\n- Stretch a polygon.\n  - factor¶\n  - How much to stretch it.\n"
            "  Changed in version 2.6: factor may be negative.")
    spans = {s.text: s for s in candidate_spans([_passage(docs)])}
    assert spans["New in version 2.4."].lead == "- class shapes.Polygon(points)¶"  # not the last attribute, "sides"
    # an indented note sits inside the attribute it follows, so that attribute is what it dates
    assert spans["Changed in version 2.6: factor may be negative."].lead == "- factor¶"


def test_a_release_heading_outside_the_retrieved_chunks_is_cited_where_the_document_has_it():
    text, headings = markdown_to_text(CHANGELOG)
    start = text.index("- Dropped support for Python 3.9.")
    line = text[start:text.index("\n", start)]
    chunk = Chunk(id="c7", doc_id="d", source="CHANGELOG.md", index=7, start=start, end=start + len(line), text=line,
                  metadata={"release": "[2.1.0] - 2026-03-01", "release_start": text.index("[2.1.0]")})
    question = "Which release dropped support for Python 3.9?"
    request = GenerationRequest(question, question, (Passage(chunk=chunk, score=1.0),))
    span = next(s for s in candidate_spans(request.passages) if s.text == line)
    wider = with_release_heading(request, span)
    heading = wider.passages[-1].chunk
    assert len(wider.passages) == 2 and heading.text == "[2.1.0] - 2026-03-01"
    assert text[heading.start:heading.end] == heading.text and heading.source == "CHANGELOG.md"
    assert carried_answer(wider, span, answer_type(question)) == ("2.1.0", 1)
    assert carried_answer(request, span, answer_type(question)) is None  # no passage writes it: no short answer
    assert with_release_heading(wider, span) is wider  # already there


@pytest.mark.parametrize("question,versions", [
    ("When did Raymond first release v1.1?", ["1.1"]),
    ("What changed in version 2.3?", ["2.3"]),
    ("Which release dropped support for Python 3.9?", ["3.9"]),
    ("And 3.8?", []),  # a bare number may count anything
    ("How much was the 3.5 million deal?", []),
])
def test_the_versions_a_question_names(question, versions):
    assert asked_versions(question) == versions


def test_a_version_no_text_writes_is_unknown():
    texts = ["sed v1.3, by Eric Steven Raymond (released 4 June 1998)", "Dropped support for Python 3.9.0."]
    assert unwritten_versions("When did Raymond first release v1.1?", texts) == ["1.1"]
    assert unwritten_versions("When was v1.3 released?", texts) == []
    assert unwritten_versions("Which release dropped Python 3.9?", texts) == []  # "3.9.0" writes 3.9
    assert unwritten_versions("Which release dropped Python 3.1?", texts) == ["3.1"]  # "3.10" would not


@pytest.fixture
def changelog(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "CHANGELOG.md", CHANGELOG)


@pytest.mark.slow
def test_which_release_is_the_heading_above_the_change(changelog):
    answer = changelog.ask("Which release dropped support for Python 3.9?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert answer.short_answer == "2.1.0", answer.answer
    assert "Dropped support for Python 3.9" in answer.answer
    assert all(c.text in CHANGELOG.replace("## ", "") for c in answer.citations)
    answer = changelog.ask("Which release dropped support for Python 3.8?", generator="extractive")
    assert answer.short_answer == "2.0.0", answer.answer


@pytest.mark.slow
def test_a_release_the_documents_never_write_is_not_answered_from_another(changelog):
    answer = changelog.ask("What was added in version 2.4.0?", generator="extractive")
    assert answer.abstained and "question-names-unknown-entity" in answer.flags[0], answer.answer
    answer = changelog.ask("When was version 2.0.0 released?", generator="extractive")
    assert not answer.abstained and "2025-10-26" in answer.answer, (answer.answer, answer.flags)


def test_a_sentence_about_another_release_does_not_answer_for_the_asked_one():
    """"tallyctl v2.4" says nothing of v2.1; "v2.10" is another release too, and the release heading counts
    (texts written for this test)."""
    question = "When did Orla Finch first publish v2.1?"
    assert of_another_version(("tallyctl v2.4, by Orla Finch (published 3 May 2011)",), question)
    assert of_another_version(("tallyctl v2.10 came out in 2014.",), question)
    assert not of_another_version(("Fixed the parser.", "", "", "[2.1.0] - 2010-02-01"), question)
    assert not of_another_version(("She first published tallyctl in 2010.",), question)  # no version: may answer
    assert not of_another_version(("tallyctl v2.4 came out in 2011.",), "When did tallyctl first come out?")


@pytest.mark.parametrize("line, names_a_release", [
    ("[1.2.2] - 2026-03-01", True), ("Version 2.0", True), ("v1.4.0 (beta)", True), ("4.1.0", True),
    ("Python 3.9", True), ("2.0.0 (2024-01-02)", True), ("4.1.0 — 27 November 2023", True),
    ("5.1 Error codes", False), ("2. Installing the app", False), ("12.2. Creating Virtual Environments¶", False)])
def test_a_numbered_section_of_a_manual_is_no_release(line, names_a_release):
    # Under "5.1 Error codes" the kettle's codes were read as dated by a release "5.1".
    assert release_heading(line) is names_a_release


def test_the_latest_release_is_the_newest_heading_among_the_passages():
    from qa.versions import of_the_latest_release

    releases = ["4.1.0 — 27 November 2023", "4.2.0 — 19 February 2024", "", "4.10.1 — 1 March 2024"]
    # 4.10.1 is newer than 4.2.0 (numbers, not text); a span under no release heading may still answer
    assert of_the_latest_release("What did the newest release add?", releases) == [False, False, True, True]
    assert of_the_latest_release("Was there a security fix in the latest Larchsync release?", releases[:2]) == \
        [False, True]
    assert of_the_latest_release("What did release 4.1.0 add?", releases) == [True] * 4


TIDEMARK_CHANGELOG = """# Tidemark changelog

## 3.2.0 - 2025-05-02

### Added

- The export command now writes a checksum file next to every archive.

## 3.1.0 - 2025-02-11

### Added

- The export command can now compress archives with zstd.
"""


@pytest.mark.slow
def test_the_latest_release_is_answered_from_the_top_of_the_changelog(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "CHANGELOG.md", TIDEMARK_CHANGELOG)
    answer = docqa.ask("What did the latest Tidemark release add to the export command?", generator="extractive")
    assert_cited_answer(answer, "checksum file")
    assert "zstd" not in answer.answer


def test_a_changelog_from_a_web_page_dates_each_item_by_the_release_line_above_it():
    """A changelog page whose release lines ("4.1.0 — 27 November 2023") and kinds of change ("New") sit on lines of
    their own, with no blank line after; the chunk starts under an older release's "Fixed" of the page before."""
    text = ("- Retries now back off exponentially.\n4.1.0 — 27 November 2023\nNew\n"
            "- Added the --dry-run flag, which shows what would be uploaded.\n4.0.0 — 4 September 2023\n"
            "Breaking changes\n- Dropped support for Python 3.8.\n")
    spans = {s.sentence: s for s in candidate_spans([_passage(text, release="4.1.2 — 14 December 2023")])}
    dry_run = spans["- Added the --dry-run flag, which shows what would be uploaded."]
    assert (dry_run.release, dry_run.heading) == ("4.1.0 — 27 November 2023", "New")
    assert spans["- Dropped support for Python 3.8."].release == "4.0.0 — 4 September 2023"
    assert spans["- Retries now back off exponentially."].release == "4.1.2 — 14 December 2023"
    assert "New" not in spans and "4.1.0" in cross_reading(dry_run)  # a kind of change is a heading, not an answer

"""Pure web-chat formatting and upload naming, without Gradio or a model: escaping, citation spans, names."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qa.models import ABSTAIN_TEXT, Answer, Chunk, Citation, FileOutcome, Passage, SourceInfo
from ui import views
from ui.uploads import is_upload, place_upload, safe_name

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![beacon](http://evil.invalid/pixel.png)",
    "${alert(1)} {{constructor.constructor('alert(1)')()}}",
    "$$\\href{javascript:alert(1)}{x}$$",
    "**bold** _em_ `code` # heading > quote | table |",
    "&lt;b&gt; an entity &amp; friends",
    "<a href='javascript:alert(1)'>x</a>",
]
EXTENSIONS = frozenset({".txt", ".md", ".pdf"})


def passage(text: str, start: int, source: str = "docs/a.txt", page: int | None = None) -> Passage:
    chunk = Chunk(id="c", doc_id="d", source=source, index=0, start=start, end=start + len(text), text=text, page=page)
    return Passage(chunk=chunk, score=1.0)


def cited_answer(text: str, passage_text: str, span: str, offset: int = 100, page: int | None = None) -> Answer:
    p = passage(passage_text, offset, page=page)
    at = passage_text.index(span)
    citation = Citation(n=1, source=p.source, start=offset + at, end=offset + at + len(span), text=span, passage=0, page=page)
    return Answer(question="q?", answer=text, abstained=False, citations=(citation,), passages=(p,))


def visible_text(fragment: str) -> str:
    """What a browser shows for an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


# literal() -----------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS)
def test_literal_leaves_no_markup_and_shows_the_text(payload):
    out = views.literal(payload)
    assert re.search(r"[<>\"'`\[\]()*_$#{}!|&]", re.sub(r"&#\d+;", "", out)) is None
    assert html.unescape(out) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_literal_survives_a_markdown_renderer(payload):
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(views.literal(payload))
    assert not re.search(r"<(?!/?p>)", rendered), rendered  # only the paragraph wrapper is markup
    assert visible_text(rendered).strip() == payload


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_literal_round_trips_any_text(text):
    out = views.literal(text)
    assert "<" not in out and ">" not in out
    expected = views._CONTROL.sub("\ufffd", text)
    assert html.unescape(out) == expected


def test_literal_replaces_control_and_bidi_characters():
    assert views.literal("a\x00b\u202ec") == "a\ufffdb\ufffdc"
    assert views.literal("line\nnext\ttab") == "line\nnext\ttab"


# Answers -------------------------------------------------------------------------------------
def test_answer_markers_link_to_the_citations_of_their_turn():
    answer = cited_answer("Paris is the capital [1]. See also [2].", "Paris is the capital of France.", "Paris is the capital")
    out = views.answer_html(answer, turn=3)
    links = re.findall(r"<a class='docqa-cite-link' href='#([^']+)'[^>]*>([^<]*)</a>", out)
    assert links == [(views.cite_id(3, 1), "&#91;1&#93;")]
    assert "&#91;2&#93;" in out  # no citation 2: shown as text, not as a link
    assert visible_text(out) == "Paris is the capital [1]. See also [2]."


@pytest.mark.parametrize("payload", PAYLOADS)
def test_answer_with_payload_is_text(payload):
    answer = cited_answer(f"Found {payload} here [1]", f"Found {payload} here.", f"Found {payload} here")
    out = views.answer_html(answer, 1)
    assert visible_text(out) == f"Found {payload} here [1]"
    tags = re.findall(r"<(\w+)", out)
    assert set(tags) <= {"span", "a"}, tags


def test_abstention_is_shown_as_such_with_related_passages_in_the_panel():
    answer = Answer(question="Who?", answer=ABSTAIN_TEXT, abstained=True,
                    passages=(passage("Close text <b>one</b>", 0), passage("Close text two", 50, "docs/b.txt")))
    bubble = views.answer_html(answer, 1)
    assert "docqa-abstained" in bubble and "related" in visible_text(bubble)
    panel = views.citation_panel_html([("Who?", answer)])
    assert "Related passages" in visible_text(panel)
    assert panel.count("class='docqa-related'") == 2
    assert "Close text <b>one</b>" in visible_text(panel) and "<b>" not in panel


def test_abstention_without_passages_says_so():
    answer = Answer(question="Who?", answer=ABSTAIN_TEXT, abstained=True)
    assert "see related" not in views.answer_html(answer, 1)
    assert "No passage came close" in visible_text(views.citation_panel_html([("Who?", answer)]))


# Citation panel ------------------------------------------------------------------------------
def test_cited_span_is_marked_inside_its_passage_using_document_offsets():
    text = "First sentence here. The cited <span> sits here. Last one."
    answer = cited_answer("The cited <span> sits here. [1]", text, "The cited <span> sits here.", offset=1234)
    p, c = answer.passages[0], answer.citations[0]
    assert views.span_in_passage(c, p) == (21, 21 + len(c.text))
    out = views.citation_html(answer, c, turn=2)
    marked = re.findall(r"<mark>(.*?)</mark>", out)
    assert [html.unescape(m) for m in marked] == ["The cited <span> sits here."]
    assert f"id='{views.cite_id(2, 1)}'" in out
    body = re.search(r"<div class='docqa-passage'>(.*)</div>", out).group(1)
    assert visible_text(body) == text
    assert "characters 1255–1282" in visible_text(out)


def test_page_of_a_pdf_citation_is_shown():
    def summary(answer: Answer) -> str:
        return visible_text(re.search(r"<summary>(.*)</summary>", views.citation_html(answer, answer.citations[0], 1)).group(1))

    assert "page 7" in summary(cited_answer("x [1]", "Some text on a page.", "Some text", page=7))
    assert "page" not in summary(cited_answer("x [1]", "Some text on a page.", "Some text"))


def test_citation_outside_its_passage_shows_the_cited_span_alone():
    p = passage("Unrelated passage text.", 0)
    c = Citation(n=1, source=p.source, start=500, end=520, text="the real <cited> span", passage=0)
    answer = Answer(question="q", answer="a [1]", abstained=False, citations=(c,), passages=(p,))
    assert views.span_in_passage(c, p) is None
    out = views.citation_html(answer, c, 1)
    assert [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", out)] == ["the real <cited> span"]
    assert "Unrelated" not in out
    other_source = Citation(n=1, source="docs/other.txt", start=0, end=5, text="Unrel", passage=0)
    assert views.span_in_passage(other_source, p) is None


def test_panel_shows_latest_answered_turn_and_folds_earlier_ones_with_matching_ids():
    first = cited_answer("One [1]", "One is here.", "One is here.")
    second = cited_answer("Two [1]", "Two is here.", "Two is here.")
    panel = views.citation_panel_html([("q1", first), ("q2", second), ("q3", "it failed")])
    latest, _, earlier = panel.partition("docqa-earlier")
    assert views.cite_id(2, 1) in latest and views.cite_id(1, 1) in earlier
    assert views.cite_id(1, 1) in views.answer_html(first, 1)
    assert "appear here" in visible_text(views.citation_panel_html([]))
    assert "appear here" in visible_text(views.citation_panel_html([("q", "failed")]))


def test_chat_messages_for_pending_streaming_and_failed_turns():
    done = cited_answer("One [1]", "One is here.", "One is here.")
    pending = views.chat_messages([("q1", done)], asking="q2")
    assert [m["role"] for m in pending] == ["user", "assistant", "user", "assistant"]
    assert views.PENDING_TEXT in visible_text(pending[-1]["content"])
    assert views.cite_id(1, 1) in pending[1]["content"]
    streaming = views.chat_messages([("q1", done)], asking="q2", partial="Partial <b>answer")
    assert visible_text(streaming[-1]["content"]) == "Partial <b>answer"
    failed = views.chat_messages([("<q1>", "the <reason>"), ("q2", done)])
    assert visible_text(failed[1]["content"]) == "Error: the <reason>"
    assert visible_text(failed[0]["content"]) == "<q1>"
    assert views.cite_id(2, 1) in failed[3]["content"]  # turn numbers count failed turns too
    assert len(views.chat_messages([("q1", done)])) == 2


# Documents -----------------------------------------------------------------------------------
def test_sources_rows_and_outcome_summary_escape_names():
    evil = "<img src=x onerror=alert(1)>.txt"
    rows = views.sources_rows([SourceInfo(evil, 3, "ab", "txt", "2024-05-01T10:00:00+00:00")])
    assert rows[0][:3] == [evil, "txt", 3] and rows[0][3].startswith("2024-05-0")
    out = views.outcomes_html([FileOutcome(evil, "added", 3), FileOutcome("b.pdf", "failed", reason="not a PDF <x>")])
    assert "<img" not in out
    text = visible_text(out)
    assert "1 added, 1 failed" in text and evil in text and "not a PDF <x>" in text
    assert "No files" in visible_text(views.outcomes_html([]))


def test_example_questions_come_from_titles_or_file_names():
    found = [
        SourceInfo("seeds/a.txt", 3, "x", title="Biden allows Ukraine to strike - The Telegraph"),
        SourceInfo("docs/annual_report-2023.pdf", 9, "y", "pdf"),
        SourceInfo("docs/dup.txt", 1, "z", title="Biden allows Ukraine to strike. More"),
    ]
    assert views.example_questions(found) == [
        "What is “Biden allows Ukraine to strike” about?", "What is “annual report 2023” about?"]
    assert views.example_questions(found, limit=1) == ["What is “Biden allows Ukraine to strike” about?"]


def test_where_lines_split_lines_and_commas():
    assert views.where_lines("a=1, b=x\n\n c=true ") == ["a=1", "b=x", "c=true"]
    assert views.where_lines(None) == []


# Upload names --------------------------------------------------------------------------------
@pytest.mark.parametrize("given,expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\win.ini.md", "win.ini.md"),
    (".bashrc.txt", "bashrc.txt"),
    ("<img src=x onerror=alert(1)>.TXT", "img src_x onerror_alert_1.txt"),
    ("report\u202egnp.txt", "reportgnp.txt"),
    ("Café notes.md", "Café notes.md"),
    ("..", "upload"),
    ("", "upload"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


def test_safe_name_bounds_length_and_keeps_the_extension():
    name = safe_name("x" * 500 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")


def make_file(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def test_place_upload_never_overwrites_a_different_file(tmp_path):
    uploads = tmp_path / "index" / "uploads"
    first = place_upload(make_file(tmp_path / "t1", "notes.txt", b"one"), "notes.txt", uploads,
                         max_bytes=100, extensions=EXTENSIONS)
    again = place_upload(make_file(tmp_path / "t2", "notes.txt", b"one"), "notes.txt", uploads,
                         max_bytes=100, extensions=EXTENSIONS)
    other = place_upload(make_file(tmp_path / "t3", "notes.txt", b"two"), "../notes.txt", uploads,
                         max_bytes=100, extensions=EXTENSIONS)
    assert first.path == uploads / "notes.txt" and again.path == first.path
    assert other.path == uploads / "notes-2.txt"
    assert (uploads / "notes.txt").read_bytes() == b"one" and (uploads / "notes-2.txt").read_bytes() == b"two"
    assert first.reason is None and is_upload(str(other.path), uploads)
    assert not is_upload(str(tmp_path / "t1" / "notes.txt"), uploads)


def test_place_upload_refuses_wrong_type_large_and_empty_files(tmp_path):
    uploads = tmp_path / "uploads"
    exe = place_upload(make_file(tmp_path, "tool.exe", b"MZ"), "tool.exe", uploads, max_bytes=100, extensions=EXTENSIONS)
    big = place_upload(make_file(tmp_path, "big.txt", b"x" * 101), "big.txt", uploads, max_bytes=100,
                       extensions=EXTENSIONS)
    empty = place_upload(make_file(tmp_path, "empty.md", b""), "empty.md", uploads, max_bytes=100, extensions=EXTENSIONS)
    assert exe.path is None and "unsupported file type .exe" in exe.reason and exe.refusal().status == "skipped"
    assert big.path is None and "too large" in big.reason and big.refusal().status == "failed"
    assert empty.path is None and "empty" in empty.reason
    assert not uploads.exists() or not any(uploads.iterdir())


def test_session_history_leaves_out_failed_turns():
    from ui.webchat import Session

    done = cited_answer("One [1]", "One is here.", "One is here.")
    session = Session().with_turn("q1", "no such collection").with_turn("q2", done)
    assert [q for q, _ in session.turns] == ["q1", "q2"]
    assert session.history() == [{"role": "user", "content": "q2"}, {"role": "assistant", "content": "One [1]"}]
    assert Session().turns == ()


def test_the_details_show_the_standalone_query_of_a_follow_up_escaped():
    follow_up = Answer(question="Where did <b>she</b> post it?", answer=ABSTAIN_TEXT, abstained=True,
                       query="Where did Maria <Lopez> post it? essay")
    html_ = views.turn_html(follow_up, 2)
    assert "Searched for: Where did Maria <Lopez> post it? essay" in html.unescape(html_)
    assert "<Lopez>" not in html_ and "<b>she</b>" not in html_
    standalone = Answer(question="Who is Maria Lopez?", answer=ABSTAIN_TEXT, abstained=True, query="Who is Maria Lopez?")
    assert "Searched for" not in views.turn_html(standalone, 1)

"""Markdown is indexed as the text a reader sees: markup unwrapped, code kept, headings located in the cleaned text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.formats.markdown import markdown_to_text
from ingest.loaders import load_bytes, load_file


def md(source: str) -> str:
    return load_bytes(source.encode(), "md").text


@pytest.mark.parametrize("source,text", [
    ("We use [Datadog](https://www.datadoghq.com/) daily.", "We use Datadog daily."),
    ('See [the guide](https://x.org/g "The Guide") now.', "See the guide now."),
    ("A [wiki](https://en.wikipedia.org/wiki/Foo_(bar)) link.", "A wiki link."),
    ("See [the docs][docs] and [this][].", "See the docs and this."),
    ("![Company logo](img/logo.png) here", "Company logo here"),
    ("[![build status](https://ci/badge.svg)](https://ci)", "build status"),
    ("Mail <ops@example.com> or see <https://example.com/a?b=1>.", "Mail ops@example.com or see https://example.com/a?b=1."),
    ("Run `pip install docqa` then ``a ` b``.", "Run pip install docqa then a ` b."),
    ("The `**kwargs` and `[x](y)` stay.", "The **kwargs and [x](y) stay."),
    ("**bold**, __strong__, *em*, _em_ and ~~gone~~.", "bold, strong, em, em and gone."),
    ("***both*** and *nested _inner_ text*", "both and nested inner text"),
    ("Set my_var_name and snake_case_thing.", "Set my_var_name and snake_case_thing."),
    ("2 * 3 * 4 = 24, 2*3*4 and a*b*c", "2 * 3 * 4 = 24, 2*3*4 and a*b*c"),
    ("** not bold ** and file_name_.md", "** not bold ** and file_name_.md"),
    (r"Literal \*stars\* and \[brackets\]", "Literal *stars* and [brackets]"),
    ("Tom &amp; Jerry&nbsp;&copy;", "Tom & Jerry\u00a0©"),
    ("one<br>two<br/>three", "one two three"),
    ("H<sub>2</sub>O and <kbd>Ctrl</kbd>", "H2O and Ctrl"),
    ('A <img src="cat.png" alt="sleeping cat"> pic <img src="x.png">.', "A sleeping cat pic ."),
    ("before <!-- a note --> after", "before  after"),
])
def test_inline_markup_reads_as_text(source: str, text: str) -> None:
    assert md(source + "\n") == text + "\n"


def test_multi_line_html_comment_is_dropped() -> None:
    assert md("Keep this.\n<!-- TODO:\nrewrite -->\nAnd this.\n") == "Keep this.\nAnd this.\n"


def test_reference_definitions_and_thematic_breaks_are_dropped() -> None:
    source = "Read [the manual][m].\n\n***\n\n[m]: https://example.com/manual \"Manual\"\n"
    assert md(source) == "Read the manual.\n\n\n"


def test_fenced_code_keeps_its_content_but_not_its_fences() -> None:
    source = "Call it:\n\n```python\ndef f(a_b, *args):  # `x` **y**\n    return [a](b)\n```\n\n~~~\n```\n~~~\nDone.\n"
    assert md(source) == "Call it:\n\ndef f(a_b, *args):  # `x` **y**\n    return [a](b)\n\n```\nDone.\n"


def test_tables_keep_cells_apart_and_lose_their_delimiter_row() -> None:
    source = "| Name | Role |\n|:-----|-----:|\n| [Ana](https://a.b) | `lead_dev` |\n"
    assert md(source) == "| Name | Role |\n| Ana | lead_dev |\n"


def test_headings_lose_their_markers_and_point_into_the_cleaned_text() -> None:
    source = "# The [Atlas](https://atlas.dev) Project #\n\nIntro.\n\nSetext **Part**\n---\n\n### `run_all`\n\nBody.\n"
    loaded = load_bytes(source.encode(), "md")
    assert loaded.text == "The Atlas Project\n\nIntro.\n\nSetext Part\n\nrun_all\n\nBody.\n"
    assert [(h.level, h.text) for h in loaded.headings] == [(1, "The Atlas Project"), (2, "Setext Part"), (3, "run_all")]
    for heading in loaded.headings:
        assert loaded.text[heading.start : heading.start + len(heading.text)] == heading.text
    assert loaded.title == "The Atlas Project"


def test_front_matter_is_kept_as_it_is_and_offsets_follow_it() -> None:
    source = "---\ntitle: \"Plan *v2*\"\n---\n# [Goals](#goals)\n\nShip **it**.\n"
    loaded = load_bytes(source.encode(), "md")
    assert loaded.text == "---\ntitle: \"Plan *v2*\"\n---\nGoals\n\nShip it.\n"
    assert loaded.title == "Plan *v2*"
    assert [(h.start, h.text) for h in loaded.headings] == [(len("---\ntitle: \"Plan *v2*\"\n---\n"), "Goals")]


def test_crlf_line_breaks_are_kept() -> None:
    text, headings = markdown_to_text("# Top\r\n\r\nSee [x](y).\r\n")
    assert text == "Top\r\n\r\nSee x.\r\n" and headings[0].start == 0


@pytest.mark.slow
def test_a_linked_name_is_answered_and_cited_without_markup(fresh_docqa, tmp_path: Path) -> None:
    """End to end (real embedder, real Chroma): the link text is found, answered and quoted as plain text."""
    path = tmp_path / "ops.md"
    path.write_text(
        "# Operations handbook\n\n"
        "## Deployments\n\n"
        "Releases go out every Tuesday after the *staging* checks pass. "
        "Rollbacks are done with the `deploy_tool` command line.\n\n"
        "## Monitoring\n\n"
        "Production is monitored with [Datadog](https://www.datadoghq.com/), which pages the on-call engineer. "
        "Logs are kept for thirty days.\n\n"
        "## Hiring\n\n"
        "New engineers shadow the on-call rotation for two weeks before joining it.\n",
        encoding="utf-8",
    )
    fresh_docqa.ingest([path])
    answer = fresh_docqa.ask("Which service is production monitored with?")
    assert not answer.abstained and "Datadog" in answer.answer and "](" not in answer.answer
    assert answer.citations
    shown = load_file(path).text
    for citation in answer.citations:
        assert "](" not in citation.text and "https://" not in citation.text
        assert shown[citation.start : citation.end] == citation.text  # offsets point into the text the user sees
    assert any("Datadog" in citation.text for citation in answer.citations)


def test_hostile_markdown_is_reduced_to_its_text() -> None:
    from browser_corpus import BEACON_HOST, _PAYLOAD_TEXT

    text = md(_PAYLOAD_TEXT)
    for markup in ("<script", "<img", "<svg", "<iframe", "onerror", "javascript:window", BEACON_HOST, "](", "**"):
        assert markup not in text, markup
    assert "Read the full Quillon Bay notice before sailing out of the bay." in text
    assert "leaves at seven every morning beacon from the north pier." in text
    assert "as does <b> an entity." in text  # an escaped tag is text, decoded after the tags are gone

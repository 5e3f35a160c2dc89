"""reStructuredText (.rst, and README.txt files written in it): read without markup, sections kept as headings."""

from __future__ import annotations

import pytest

from ingest.formats.rst import clean_inline, looks_like_rst, rst_to_text
from ingest.formats.text import load_rst, load_txt
from ingest.limits import Budget, Limits
from qa.registry import FILE_TYPES
from tests.conftest import ingest_text

README = """==========
tidewatch
==========

|ci| |version|

.. |ci| image:: https://example.org/ci.svg
   :target: https://example.org/ci

``tidewatch`` reads tide tables for `UK ports <https://example.org/ports>`_ and warns before a spring tide.

Installation
============

Install it with::

    pip install tidewatch

Usage
=====

Run ``tidewatch --port Whitby`` to see the next high water. See :func:`tidewatch.forecast` for the API.
The `tide tables`__ are public.

__ https://example.org/tables

    if __name__ == "__main__":
        main()

Settings
--------

The **alert margin** defaults to 45 minutes and is set with ``--margin``.

Changelog
=========

1.4.0
-----

- Added the *Whitby* and Scarborough tables.
"""


def test_section_titles_become_headings_at_their_offsets():
    text, headings = rst_to_text(README)
    assert [(h.level, h.text) for h in headings] == [
        (1, "tidewatch"), (2, "Installation"), (2, "Usage"), (3, "Settings"), (2, "Changelog"), (3, "1.4.0")]
    assert all(text[h.start:h.start + len(h.text)] == h.text for h in headings)
    assert "=====" not in text and "-----" not in text and ".. " not in text and ":target:" not in text


def test_inline_markup_reduces_to_the_words_a_reader_sees():
    text, _ = rst_to_text(README)
    assert "tidewatch reads tide tables for UK ports and warns before a spring tide." in text
    assert "Run tidewatch --port Whitby to see the next high water. See tidewatch.forecast for the API." in text
    assert "The alert margin defaults to 45 minutes and is set with --margin." in text
    assert "Install it with:\n" in text and "pip install tidewatch" in text
    assert "|ci|" not in text
    assert "The tide tables are public." in text and "example.org/tables" not in text  # an anonymous target
    assert 'if __name__ == "__main__":' in text  # code keeps its dunders


@pytest.mark.parametrize("line,reader", [
    ("``a_b_`` and `Docs <https://x.org>`__", "a_b_ and Docs"),
    (":doc:`Quick start <start>` and :class:`Port`", "Quick start and Port"),
    ("see tqdm_ for more", "see tqdm for more"),
    ("snake_case_name stays", "snake_case_name stays"),
    ("call __init__ or Docs__ here", "call __init__ or Docs here"),
    ("2 * 3 * 4 is arithmetic", "2 * 3 * 4 is arithmetic"),
])
def test_clean_inline(line, reader):
    assert clean_inline(line) == reader


def test_plain_text_with_an_underlined_heading_is_not_taken_for_rst():
    notes = "Shopping\n========\n\nMilk, eggs and flour.\n\nCall the plumber about the boiler.\n"
    assert not looks_like_rst(notes)
    assert looks_like_rst(README)


def test_rst_and_rst_in_a_txt_file_load_with_headings():
    budget = Budget(Limits())
    loaded = load_rst(README.encode(), budget)
    assert loaded.kind == "rst" and loaded.title == "tidewatch" and len(loaded.headings) == 6
    as_txt = load_txt(README.encode(), budget)
    assert as_txt.kind == "txt" and as_txt.text == loaded.text and as_txt.headings == loaded.headings
    plain = load_txt(b"Shopping\n========\n\nMilk.\n", budget)
    assert plain.text == "Shopping\n========\n\nMilk.\n" and not plain.headings
    assert FILE_TYPES.kind_of_extension()[".rst"] == "rst"


@pytest.mark.slow
def test_a_question_on_an_rst_readme_is_answered_and_cited_from_its_section(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "README.rst", README)
    answer = docqa.ask("How long is the alert margin by default?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert "45 minutes" in answer.answer and "**" not in answer.answer
    citation = answer.citations[0]
    assert citation.source.endswith("README.rst") and "45 minutes" in citation.text
    assert docqa.ingest([tmp_path / "README.rst"]).unchanged == 1  # idempotent

"""A field list ("Author:" above "Wenna Lusk") says what its values are: each value is read after its label and with
the title of what it belongs to; on a page written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.generators.spans import candidate_spans, cross_reading, is_field_label
from qa.models import Chunk, Passage
from tests.conftest import assert_cited_answer, ingest_text

PAGE = """<html><head><title>Tuning the Quernstone scheduler</title></head><body>
<h1>Tuning the Quernstone scheduler</h1>
<dl class="field-list">
<dt>Author:</dt><dd><p>Wenna Lusk and Idris Pellow</p></dd>
<dt>Release:</dt><dd><p>2.7</p></dd>
</dl>
<h2>Introduction</h2>
<p>Quernstone runs batch jobs in the order their deadlines fall. This guide explains how to change that order
without restarting the scheduler. Most settings take effect on the next tick.</p>
<p>The tick length defaults to 30 seconds and can be set per queue.</p>
</body></html>
"""


@pytest.mark.parametrize("line,label", [("- Author:", True), ("Release:", True), ("Contact person:", True),
                                        ("The settings are:", False), ("- Wenna Lusk", False), ("", False)])
def test_a_field_label_is_a_short_capitalised_line_ending_in_a_colon(line, label):
    assert is_field_label(line) is label


def test_a_field_value_is_read_after_its_label_and_with_its_title():
    text = "Tuning the Quernstone scheduler\n- Author:\n- Wenna Lusk and Idris Pellow\nQuernstone runs batch jobs."
    chunk = Chunk("c0", "d0", "quernstone.html", 0, 0, len(text), text, title="Tuning the Quernstone scheduler")
    spans = {s.sentence: s for s in candidate_spans([Passage(chunk, 1.0)]) if s.text == s.sentence}
    value = spans["- Wenna Lusk and Idris Pellow"]
    assert value.lead == "- Author:" and value.heading == "Tuning the Quernstone scheduler"
    assert cross_reading(value) == "- Author: - Wenna Lusk and Idris Pellow Tuning the Quernstone scheduler"
    assert spans["Quernstone runs batch jobs."].lead == ""  # a sentence after a value is not under the label


@pytest.mark.slow
def test_who_wrote_the_guide_is_answered_from_its_author_field(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "quernstone_tuning.html", PAGE)
    answer = docqa.ask("Who wrote the guide to tuning the Quernstone scheduler?", generator="extractive")
    assert_cited_answer(answer, "Wenna Lusk")

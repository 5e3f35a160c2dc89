"""Sizes asked of things ("How big is the buffer?") are numbers, and a code line setting a value ("#define BLOCK
4096") is read with the prose above that explains its name; on a page written for these tests (no dev or test set
uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.generators.spans import candidate_spans, cross_reading
from qa.models import Chunk, Passage
from tests.conftest import assert_cited_answer, ingest_text

PAGE = """Copying a file with lzpack

The example below copies standard input to standard output through the lzpack routines.
BLOCK is the size of the buffer handed to the packer in each call. A bigger block is faster but holds more memory.
On small devices a block of 1K still works.
#define BLOCK 4096
#define RETRIES 3

The main loop reads one block at a time until the input ends.
"""


@pytest.mark.parametrize("question,strict", [
    ("How big is the BLOCK buffer in the lzpack example?", True),
    ("How large are the log files?", True),
    ("How big was the win?", False),  # "a landslide" tells how big a win was
    ("How big a problem is it?", False),
])
def test_the_size_of_a_thing_is_a_number(question, strict):
    wanted = answer_type(question)
    assert (wanted.kind, wanted.strict) == ("number", strict)


def _spans(text: str):
    chunk = Chunk("c0", "d0", "lzpack_example.html", 0, 0, len(text), text)
    return {s.sentence: s for s in candidate_spans([Passage(chunk, 1.0)]) if s.text == s.sentence}


def test_a_code_line_setting_a_value_is_read_with_the_prose_explaining_its_name():
    spans = _spans(PAGE)
    block = spans["#define BLOCK 4096"]  # a short line on its own, but code, not a section heading
    assert block.lead == "BLOCK is the size of the buffer handed to the packer in each call."
    assert cross_reading(block).startswith("BLOCK is the size of the buffer")
    assert spans["#define RETRIES 3"].lead == ""  # no sentence above says what RETRIES is
    assert spans["On small devices a block of 1K still works."].lead == ""


@pytest.mark.slow
def test_how_big_is_answered_by_the_value_not_by_the_sentence_saying_what_it_is_for(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "lzpack_example.txt", PAGE)
    answer = docqa.ask("How big is the BLOCK buffer in the lzpack example?", generator="extractive")
    assert_cited_answer(answer, "4096")

"""A body named by whose it is ("her company", "Joanna Reyes' company"): the cross-encoder reads it under the name the
documents give it, found next to its owner's name. On a post written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.entities import owned_named
from qa.models import Chunk, Passage
from tests.conftest import assert_cited_answer, chat, ingest_text

POST = """Why we rebuilt Inkwell from scratch

Posted by Marta Jonas, Chief Executive, Fernhill Software - 2 May 2025

Inkwell 4 is the biggest update since the app first shipped. Fernhill Software is based in Dundee and employs
41 people. Our design lead, Tomas Weir, joined us from a studio in Leeds.
"""


def _passage(text: str) -> Passage:
    return Passage(Chunk("c0", "d0", "inkwell_post.md", 0, 0, len(text), text), 1.0)


@pytest.mark.parametrize("query,expected", [
    ("Where is Marta Jonas's company based?", "Where is Fernhill Software based?"),
    ("Where is Marta Jonas' company based?", "Where is Fernhill Software based?"),
    ("Where is the company based?", "Where is the company based?"),  # no owner named: nothing to replace
    ("Where is Tomas Weir's club based?", "Where is Tomas Weir's club based?"),  # no body next to his name
])
def test_a_body_named_by_its_owner_is_read_under_its_own_name(query, expected):
    assert owned_named(query, [_passage(POST)]) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ana Ruiz, chief executive of Halden Foods, said so.", "Where is Halden Foods based?"),
    ("Ana Ruiz, the Halden Foods founder, said so.", "Where is Halden Foods based?"),
    ("Ana Ruiz, Halden's chief executive, said so.", "Where is Halden based?"),
    ("Ana Ruiz and Tom Hill founded it.", "Where is Ana Ruiz's company based?"),  # another person, not her company
    ("Ana Ruiz, 45, said so.", "Where is Ana Ruiz's company based?"),
])
def test_the_body_is_found_in_the_words_describing_its_owner(text, expected):
    assert owned_named("Where is Ana Ruiz's company based?", [_passage(text)]) == expected


@pytest.mark.slow
def test_where_her_company_is_based_is_answered_from_the_sentence_naming_the_company(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "inkwell_post.md", POST)
    history = chat("Who wrote the post about rebuilding Inkwell?", "Marta Jonas.")
    answer = docqa.ask("Where is her company based?", history, generator="extractive")
    assert_cited_answer(answer, "Dundee")

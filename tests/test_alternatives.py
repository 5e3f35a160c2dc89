"""A yes/no question asking of one kind ("Is it a diesel?") is answered "No" by a sentence saying another kind of the
same set ("an electric van"), not abstained on for lacking the asked word; on a report written for these tests (no
dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.generate import GenerationRequest
from qa.relation import says_asked_relation
from qa.statements import excluded_by, yes_or_no
from tests.conftest import assert_cited_answer, ingest_text

REPORT = """Brookfield Tool Library: annual update 2024

Members borrowed 3,412 tools this year, up from 2,950.
In March we bought a second-hand electric cargo bike for deliveries, paid for with a £4,800 grant from the Ashdown Trust.
Our volunteer coordinator post is part-time, funded for two more years.
Repair cafés now run on the first Saturday of every month.
"""


@pytest.mark.parametrize("question,text,verdict", [
    ("Is it a diesel?", "We bought an electric cargo bike.", "No"),
    ("Is the coordinator job full-time?", "Our volunteer coordinator post is part-time.", "No"),
    ("Is the workshop on a Monday?", "The workshop runs every Tuesday evening.", "No"),
    ("Is the field optional?", "The field is required for every order.", "No"),
    ("Is it electric?", "We bought an electric cargo bike.", "Yes"),
    # asked of two, or the asked one is said as well: the alternative decides nothing
    ("Is it diesel or electric?", "We bought an electric cargo bike.", "Yes"),
    ("Is it a diesel?", "It replaced our old diesel van with an electric one.", "Yes"),
])
def test_an_alternative_of_the_same_set_says_no(question, text, verdict):
    assert yes_or_no(question, text) == verdict


def test_only_a_word_of_the_same_set_excludes():
    assert excluded_by("Is it a diesel?", "We bought an electric cargo bike.") == {"diesel"}
    assert excluded_by("Is the course free?", "The course is paid for by the council.") == set()  # free to you
    assert excluded_by("Is it a diesel?", "The bike is blue.") == set()


def test_the_alternative_says_the_asked_relation():
    history = ({"role": "user", "content": "What did the Brookfield Tool Library buy in March?"},
               {"role": "assistant", "content": "A second-hand electric cargo bike."})
    request = GenerationRequest("Is it a diesel?", "Is the cargo bike a diesel?", (), history)
    assert says_asked_relation(request, "In March we bought a second-hand electric cargo bike for deliveries.")
    assert not says_asked_relation(request, "Members borrowed 3,412 tools this year.")


@pytest.mark.slow
def test_is_it_a_diesel_is_answered_no_by_the_electric_bike(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "brookfield_update.md", REPORT)
    answer = docqa.ask("Is the tool library's cargo bike a diesel?", generator="extractive")
    assert answer.answer.startswith("No"), answer.answer
    assert_cited_answer(answer, "electric cargo bike")

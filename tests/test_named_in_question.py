"""A who-question is not answered by the one it names ("Who was their record signing before Rios?" -> not "Tomas
Rios"), nor by a people's adjective ("Colombian striker Tomas Rios"). On a story written for these tests (no dev or
test set uses it)."""

from __future__ import annotations

import pytest

from qa.generate import GenerationRequest
from qa.relation import names_the_asked_one
from qa.text import stem
from tests.conftest import assert_cited_answer, ingest_text

STORY = """Harbourside sign striker Rios from Elmfield for club-record fee

Harbourside Town have signed Colombian striker Tomas Rios from Elmfield Rovers for a club-record fee of £9m.
The 24-year-old has agreed a four-year contract. Their previous record signing was midfielder Danny Ward, who joined
from Castleton for £6.5m in 2021.
Harbourside manager Ellen Byrne said the club had followed Rios for two seasons.
"""


@pytest.mark.parametrize("question,short,named", [
    ("Who was Harbourside's record signing before Rios?", "Tomas Rios", True),
    ("Who was Harbourside's record signing before Rios?", "Danny Ward", False),
    ("Who signed Rios?", "Tomas Rios", True),
    ("Who signed Rios?", "Harbourside Town", False),
    # A word of a name in the question is not that name: "Great" of "SS Great Britain".
    ("Which railway company appointed the designer of the SS Great Britain?", "Great Western Railway", False),
    ("Who is older, Rios or Ward?", "Rios", False),  # either-or: the answer is one of the two named
    ("When did Rios sign?", "Rios", False),  # no who-question
])
def test_the_one_the_question_names_is_no_answer_to_it(question, short, named):
    assert names_the_asked_one(GenerationRequest(question, question, ()), short) is named


def test_a_peoples_adjective_stands_for_its_country():
    assert stem("Colombian") == stem("Colombia") and stem("Belgian") == stem("Belgium")
    assert stem("Portuguese") == stem("Portugal")


@pytest.mark.slow
@pytest.mark.parametrize("question,expected", [
    ("Who was Harbourside's record signing before Rios?", "Danny Ward"),  # not Rios, whom the best sentence names
    ("Who did Harbourside sign from Elmfield Rovers?", "Tomas Rios"),  # not "Colombian"
])
def test_who_is_answered_by_someone_the_question_does_not_name(fresh_docqa, tmp_path, question, expected):
    docqa = ingest_text(fresh_docqa, tmp_path, "rios_signing.txt", STORY)
    answer = docqa.ask(question, [], generator="extractive")
    assert_cited_answer(answer, expected)
    assert answer.short_answer == expected

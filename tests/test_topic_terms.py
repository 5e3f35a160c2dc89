"""A sentence that leaves its subject to the document's title or its section heading ("Makes 12 pancakes" in a
recipe titled "Lemon Ricotta Pancakes") still matches the question's words for that subject, at a discount. The
recipes below were written for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.generators import extractive
from qa.generators.spans import candidate_spans
from qa.generators.weights import TOPIC_SHARE, topic_stems, topical_overlap
from qa.models import Chunk, Passage
from qa.text import stems
from tests.conftest import ingest_text

LEMON = """Lemon Ricotta Pancakes

Serves 4 · Makes 12 pancakes · Prep time 10 minutes

Whisk the egg whites separately and fold them in last, so the batter stays light.
"""
BUTTERMILK = """Buttermilk Pancakes

Serves 2 · Makes 6 pancakes · Prep time 5 minutes

Rest the batter for ten minutes before the first pancake goes in the pan.
"""


def test_a_term_only_the_topic_says_counts_at_the_topic_share():
    weights = {"lemon": 1.0, "pancak": 1.0, "make": 2.0}
    in_sentence = {"pancak", "make"}
    assert topical_overlap(weights, in_sentence.__contains__, topic=set()) == pytest.approx(3.0 / 4.0)
    assert topical_overlap(weights, in_sentence.__contains__, topic={"lemon", "pancak"}) == \
        pytest.approx((3.0 + TOPIC_SHARE) / 4.0)  # a term the sentence says itself is not counted twice
    assert topical_overlap({}, in_sentence.__contains__, topic={"lemon"}) == 0.0


def test_the_topic_is_the_heading_and_the_document_name():
    text = "Harbour Notes\n\n2. Winter timetable\n\n- The first crossing leaves at 06:15.\n"
    chunk = Chunk("c0", "d0", "notes/ferry_review.md", 0, 0, len(text), text, title="Harbour Notes")
    passages = [Passage(chunk, 1.0)]
    span = next(s for s in candidate_spans(passages) if "06:15" in s.sentence)
    topic = topic_stems(passages, span)
    assert stems("winter timetable harbour notes ferry review") <= topic
    assert "crossing" not in topic  # what the sentence says is not its topic


@pytest.fixture
def recipes(fresh_docqa, tmp_path):
    ingest_text(fresh_docqa, tmp_path, "lemon_ricotta.txt", LEMON)
    return ingest_text(fresh_docqa, tmp_path, "buttermilk.txt", BUTTERMILK)


@pytest.mark.slow
@pytest.mark.parametrize("question,count", [
    ("How many pancakes does the lemon ricotta recipe make?", "12"),
    ("How many pancakes does the buttermilk recipe make?", "6"),
])
def test_the_recipe_the_question_names_answers_though_its_line_does_not_name_it(recipes, question, count,
                                                                                 monkeypatch):
    answer = recipes.ask(question, generator="extractive")
    assert not answer.abstained, answer.flags
    assert count in answer.answer and answer.citations, answer.answer
    other = "buttermilk" if "lemon" in question else "lemon_ricotta"
    assert all(other not in c.source for c in answer.citations)
    # Without its title the line says nothing of the recipe asked about ("Makes 6 pancakes" names none).
    monkeypatch.setattr(extractive, "topic_stems", lambda passages, span: set())
    without = recipes.ask(question, generator="extractive")
    assert without.abstained and "answer-lacks-the-asked-relation" in without.flags[0], without.answer

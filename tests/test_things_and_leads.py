"""What a fresh probe of a local story, a product guide and a biography showed: "it" may mean a thing the question
named with "the" ("the planning meeting", "the Rowley Park pavilion"); a sentence opening "She ..." borrows her name
from the sentence before but not what that sentence says of her ("born 1968"); a code named before "what does that
mean?" is looked up in the guide's table; an area needs square units; a guide's sentence naming nothing else is about
the product the guide is about; "What time does it start?" is answered by the time the meeting meets. On texts written
for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.generators.spans import Span
from qa.generators.weights import SentenceContext, pronoun_lead
from qa.noun_phrases import definite_things
from qa.rewrite import standalone_query
from qa.entities import question_entities
from qa.relation import asked_relation
from qa.tables import code_to_fix, defined_term
from qa.text import stem
from tests.conftest import assert_cited_answer, chat, ingest_text

STORY = """Pavilion plan splits Rowley Park bowls club

A plan to rebuild the pavilion at Rowley Park has divided members of the bowls club, and a petition against it has
gathered 230 signatures.

The licensing panel meets at Dunford Civic Centre at 7.15pm on 12 June to decide the application.

Retired teacher Agnes Pole, who organised the petition, said the new building would block the view of the green.
"""

GUIDE = """Brevo S4 Robot Mop - User Guide

1. Charging

Before first use, leave the mop on its base for at least 6 hours. A full charge from empty takes about 4 hours.

2. Run times

- Quiet: up to 140 minutes
- Turbo: up to 45 minutes

3. Error codes

| Code | Meaning | What to do |
|---|---|---|
| F1 | Water tank empty | Refill the tank with cold tap water. |
| F4 | Roller jammed | Lift out the roller and remove any hair or thread. |
| F6 | Cliff sensor dirty | Wipe the four sensors under the mop with a dry cloth. |

4. Warranty

The Brevo S4 is covered by a 3-year warranty from the date of purchase. The battery is covered for 12 months.
"""

LIFE = """Maren Ostby

Maren Ostby (born 2 May 1971) is a documentary film-maker. She is known for films about fishing towns, among them
Salt Harbour (2004) and The Long Net (2012).

Early life

Ostby was born in Varnes, a fishing town on the north coast, and studied history at Tromlund University.
"""


def _thing_texts(question: str) -> list[str]:
    return [m.text for m in definite_things(question, 0)]


@pytest.mark.parametrize("question,expected", [
    ("When's the planning meeting about the Rowley Park pavilion?", ["planning meeting", "Rowley Park pavilion"]),
    ("Who started the petition against it?", ["petition"]),
    ("When did the meeting start?", ["meeting"]),  # its verb is no part of the thing
    ("What does the page suggest doing about it?", ["page"]),
    ("What is the population of Varnes?", []),  # an attribute of what follows "of"
    ("How long is the film Salt Harbour?", []),  # the name says it
    ("Who paid for the youth club's minibus?", []),  # the owner is not the thing
    ("Which roller did the club buy in the end?", []),  # a body, and an idiom of time
    ("How much did the orchard trust bring in?", []),  # a body acts: "they"
])
def test_things_a_question_names_with_the(question, expected):
    assert _thing_texts(question) == expected


def test_it_means_the_thing_the_last_question_named_with_the():
    history = chat("When's the planning meeting about the Rowley Park pavilion?", "12 June.")
    assert standalone_query("What time does it start?", history).startswith("What time does the planning meeting start?")
    history = chat("How much will the Rowley Park pavilion cost?", "£410,000.", "Who started the petition against it?",
                   "Agnes Pole.")
    assert standalone_query("How many people signed it?", history).startswith("How many people signed the petition")


def test_a_pronouns_lead_names_her_but_its_asides_say_nothing_of_her_sentence():
    opening = "Maren Ostby (born 2 May 1971) is a documentary film-maker."
    known = "She is known for films about fishing towns, among them Salt Harbour (2004)."
    span = Span(0, 0, len(known), known, known, lead=opening, previous=opening)
    assert pronoun_lead(span)
    context = SentenceContext({stem("born")}, [])
    assert context.of(span)["relation"] == 0.0
    born = "Ostby was born in Varnes, a fishing town on the north coast."
    assert context.of(Span(0, 0, len(born), born, born, previous=known))["relation"] == 1.0
    # "He was born in Almansa" after "Santiago Ruiz was a club president": the lead still says who he was
    assert SentenceContext({stem("president"), stem("born")}, []).of(Span(
        0, 0, 10, "He was born in Almansa.", "He was born in Almansa.", lead="Santiago Ruiz was a club president.",
        previous="Santiago Ruiz was a club president."))["relation"] == 1.0
    # "This is done by ..." is about the doing the sentence before says: not a pronoun's lead
    done = "This is done by adding a special comment."
    assert not pronoun_lead(Span(0, 0, len(done), done, done, lead="You can declare it.", previous="You can declare it."))


@pytest.mark.parametrize("question,term", [
    ("My mop keeps beeping and showing F4, what does that mean?", "F4"),
    ("What does error F6 mean?", "F6"),
    ("I got a 404, what does that mean?", None),
])
def test_a_code_named_before_what_does_that_mean_is_the_term(question, term):
    assert defined_term(question) == term


def test_how_to_fix_a_code_named_before_looks_it_up_too():
    assert code_to_fix("How do I sort it out?", "How do I sort F4 out? mop beeping showing") == "F4"
    assert code_to_fix("Why did the margin drop in Q3?", "Why did the margin drop in Q3?") is None


@pytest.mark.parametrize("question,relation", [
    ("How long is Salt Harbour?", set()),  # "runs for 96 minutes" says how long
    ("How tall is the church spire?", {stem("church"), stem("spire"), stem("tall")}),
    ("What time does it start?", set()),  # "meets at 7.15pm" says when it starts
])
def test_what_the_amount_asked_for_says_is_no_relation_to_find(question, relation):
    from types import SimpleNamespace

    request = SimpleNamespace(question=question, query=question, history=(), passages=())
    assert asked_relation(request, question_entities(question)) == relation


def test_an_area_is_given_in_square_units():
    question = "What is the area of Varnes in square kilometres?"
    wanted = answer_type(question)
    assert not offers("Varnes is 38 kilometres north of Tromlund.", wanted, question)
    assert offers("The town covers 12.4 square kilometres.", wanted, question)
    assert offers("About 14,800 people live in Varnes.", answer_type("What is the population of Varnes?"),
                  "What is the population of Varnes?")


@pytest.mark.slow
def test_the_code_table_answers_what_a_code_means(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "brevo.md", GUIDE)
    answer = docqa.ask("My mop keeps beeping and showing F4, what does that mean?", [], generator="extractive")
    assert_cited_answer(answer, "Roller jammed")


@pytest.mark.slow
def test_a_guide_line_naming_nothing_else_is_about_the_product(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "brevo.md", GUIDE)
    answer = docqa.ask("How long will the Brevo S4 run in turbo mode?", [], generator="extractive")
    assert_cited_answer(answer, "45 minutes")


@pytest.mark.slow
def test_where_she_was_born_is_not_the_sentence_after_her_birth_date(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "ostby.txt", LIFE)
    history = chat("Who made Salt Harbour?", "Maren Ostby.")
    assert_cited_answer(docqa.ask("Where was she born?", history, generator="extractive"), "Varnes")


@pytest.mark.slow
def test_what_time_the_meeting_starts_is_when_it_meets(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "rowley.txt", STORY)
    history = chat("When's the licensing panel meeting about the pavilion?", "12 June.")
    assert_cited_answer(docqa.ask("What time does it start?", history, generator="extractive"), "7.15pm")

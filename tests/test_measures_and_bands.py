"""Measures read as the question means them (a line's length in kilometres, what a fare will cost, how much time a
trip saves, what an amount was before), age bands that are children, complaints that are criticism, and a common
noun opening a sentence that names no one. The texts are written for these tests."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.conversation import mentions
from qa.generate import GenerationRequest, wanted_answer
from qa.text import concepts
from tests.conftest import chat, ingest_text, short_of

CAUSEWAY = ("The causeway will run for 3.2 kilometres across the estuary and cut the drive to Hollin to eight minutes. "
            "A return ticket will cost £4, and crossings will be free for under-12s.")


@pytest.mark.parametrize("question, expected", [
    ("How long will the causeway be?", "3.2 kilometres"),  # a thing that stretches: a distance, not the eight minutes
    ("How long will the drive to Hollin take?", "eight minutes"),
    ("What will a return ticket cost?", "£4"),
])
def test_a_measure_is_read_as_the_thing_measured_asks(question, expected):
    assert short_of(question, CAUSEWAY) == expected


def test_how_much_time_asks_for_a_duration_not_a_number():
    assert answer_type("How much time will it save her?").kind == "duration"
    assert short_of("How much time will it save her?",
                    "She said the bridge would save her nearly an hour a day, ten years after she moved.") == "an hour"


@pytest.mark.parametrize("question, number", [
    ("What uid does the nobody user get?", True),  # the measure named: a sentence without a number is no answer
    ("What compression ratio do you get at level 9?", True),
    ("What port does the server listen on?", True),
    ("What does the ratio mean?", False),  # what it means, not how much it is
])
def test_a_measure_asked_for_by_its_name_wants_a_number(question, number):
    wanted = answer_type(question)
    assert (wanted.family == "number" and wanted.strict) is number
    if number:
        assert not offers("Daemons that need no files run as user nobody and group nogroup.", wanted, question)
        assert offers("On Debian the nobody user has uid 65534.", wanted, question)


def test_an_age_band_is_children_and_unhappy_is_criticism():
    assert "~child" in concepts("travel will be free for under-16s")
    assert "~child" in concepts("Is it free for kids?") and "~child" in concepts("the children")
    assert "~child" not in concepts("prices under 16 pounds")
    assert "~criticise" in concepts("What are the campaigners unhappy about?") & concepts("has criticised the plans")


@pytest.mark.parametrize("text, names", [
    ("Construction is due to begin in spring 2025.", []),
    ("The vote was close. Development will start soon.", []),
    ("Trinity is the oldest college.", ["Trinity"]),  # a first name, so a name
    ("Inverness is in Scotland.", ["Inverness", "Scotland"]),
])
def test_a_common_noun_opening_a_sentence_is_no_name(text, names):
    assert [m.text for m in mentions(text)] == names


def _earlier(question: str, previous: str) -> str | None:
    history = ({"role": "user", "content": previous}, {"role": "assistant", "content": "£6.50 [1]."})
    return wanted_answer(GenerationRequest(question, question, (), history)).kind


def test_what_was_it_before_asks_for_the_kind_of_the_last_amount():
    assert _earlier("What was it before?", "How much is an adult swim now?") == "money"
    assert _earlier("And what was it last year?", "How many members does the club have?") == "count"
    assert _earlier("What was it before?", "Who runs the lido?") is None  # no amount asked: an open question
    assert wanted_answer(GenerationRequest("What was it before?", "What was it before?", ())).kind is None


STORY = """Hollin causeway approved

The county council has approved a causeway linking Hollin to the mainland. The causeway will run for 3.2 kilometres
across the estuary and cut the drive to Hollin from forty minutes to eight minutes.

Construction is due to begin in March, and the first cars are expected to cross in 2027.

A return ticket will cost £4, up from £2.50 for the ferry it replaces, and crossings will be free for under-12s.

The project has been championed by councillor Mara Quinn, who called the vote "a new start for the island".

The Hollin Bird Trust has criticised plans to drain part of the salt marsh for the southern ramp.
"""


def test_end_to_end_measures_bands_and_the_earlier_amount(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "causeway.txt", STORY)
    assert docqa.ask("How long will the causeway be?").answer.startswith("3.2 kilometres")
    children = docqa.ask("Is the causeway free for children?")
    assert children.answer.startswith("Yes") and "under-12s" in children.answer and children.citations
    assert docqa.ask("What are the bird trust unhappy about?").answer.count("salt marsh") >= 1
    fare = docqa.ask("What will a return ticket cost?")
    assert fare.answer.startswith("£4")
    before = docqa.ask("What was it before?", chat("What will a return ticket cost?", fare.answer))
    assert before.answer.startswith("£2.50")
    first = docqa.ask("When will the first cars cross?")
    assert "Construction" not in docqa.standalone_query("Who championed the project?",
                                                        chat("When will the first cars cross?", first.answer))

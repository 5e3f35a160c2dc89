"""What two fresh probes (everyday documents in a chat, linked encyclopedia articles) showed: "the AGM" is known when
minutes are headed "Annual General Meeting"; the cross-encoder reads the question alone as well as the question with
its setting-up sentence and carried terms; "the machine" after "the DH-20" is the DH-20; "what will the rent go up
to?" asks for money; a duration is not a lone date; a country's adjective, a street or a firm named "X & Y" answers no
"where" or "who"; "our flight" is a thing "it" may mean; "Separately,", "Every" and "Clean the ..." open a sentence
and name nothing; "and swap it for a new one?" is asked in the frame of the question before. On texts written for
these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.entities import asked_sentence, initialisms, unknown_asked
from qa.name_kinds import no_one
from qa.noun_phrases import definite_things
from qa.rewrite import standalone_query
from qa.short_answer import short_answer
from tests.conftest import assert_cited_answer, chat, ingest_text, one_passage

MINUTES = """Millbrook Community Garden Association

Minutes of the Annual General Meeting, Wednesday 9 April 2025

Plot rents. The committee proposed raising the annual rent for a full plot from £30 to £36, and for a half plot
from £18 to £20, to cover the higher water bills. Vote: 12 for, 3 against. Motion carried.

Polytunnel. Two quotes were obtained: GreenSpan Structures at £640 and Tilly & Sons at £495.
"""

MANUAL = """AeroDry DH-20 Dehumidifier: User Manual

Specifications. Tank capacity: 4.5 litres. Noise level: 39 dB on the low fan setting.

Emptying the tank. The DH-20's tank holds 4.5 litres and the unit stops when it is full.

Performance. In very damp conditions the DH-20 can remove up to 20 litres of moisture in 24 hours, so the tank may
need emptying several times a day. A typical bedroom needs two to three hours of drying each morning.

Continuous drainage. Pull out the rubber bung on the back panel and push a drainage hose with an internal diameter of
12 mm fully onto the outlet. The hose must run downhill all the way to the drain or sink.
"""


def test_an_acronym_is_known_when_the_passages_spell_it_out():
    passages = one_passage(MINUTES)
    assert "AGM" in initialisms(MINUTES) and "MCGA" in initialisms(MINUTES)
    assert unknown_asked("What did the Millbrook garden AGM decide about the rent?", passages) == []
    assert unknown_asked("What did the Millbrook garden EGM decide about the rent?", passages) == ["EGM"]
    assert unknown_asked("Which number should I call if a pipe bursts at 2am?", passages) == []  # when, not what


def test_the_question_alone_is_read_without_its_setting_up_sentence_or_carried_terms():
    assert asked_sentence("I want to drain it into the sink instead. What width of hose fits? DH-20 tank") == \
        "What width of hose fits?"
    assert asked_sentence("What time does the flight take off? flight number Corvela") == \
        "What time does the flight take off?"
    assert asked_sentence("no question here") == "no question here"


def test_the_machine_is_the_product_the_conversation_named():
    history = chat("How much water does the DH-20's tank hold?", "4.5 litres. The DH-20's tank holds 4.5 litres.")
    assert standalone_query("And how much can the machine take out of the air in a day?", history).startswith(
        "And how much can the DH-20 take out of the air in a day?")
    codes = chat("My AeroDry dehumidifier is showing P1, what does that mean?", "Defrost mode. P1 | Defrost mode.")
    assert standalone_query("How long does the machine stay like that?", codes).startswith(
        "How long does the AeroDry dehumidifier stay")


@pytest.mark.parametrize("question", ["What will the rent go up to?", "What is the rent going up to?",
                                      "What has the price risen to?", "What will the fee be?",
                                      "And what am I paying at the moment?", "What do we pay for parking?"])
def test_what_a_price_will_become_is_money(question):
    assert answer_type(question).kind == "money"


def test_what_the_weather_will_be_is_no_amount():
    assert answer_type("What will the weather be like?").kind is None
    assert answer_type("What are they paying attention to?").kind is None


def test_a_duration_is_a_length_of_time_or_a_span_not_a_lone_date():
    wanted = answer_type("Over how many days was the album recorded?")
    assert offers("The album was recorded in Ostmarch in February 1976 over eleven days.", wanted)
    assert not offers("It is the second album by the trio, released in October 1976 on Velline Records.", wanted)
    assert offers("Construction ran from 1899 to 1904.", wanted)
    assert offers("She has lived there since 2004.", wanted)


def test_a_countrys_adjective_is_not_where_someone_was_born():
    question = "Where was Brennick born?"
    text = "Halvard Brennick (1861 – 1932) was a Kessarian civil engineer, best remembered as the designer of the " \
        "Saltreach Bridge and a co-founder of the ironworks firm Brennick & Loy."
    assert short_answer(question, answer_type(question), text) not in ("Kessarian", "Loy")
    assert short_answer(question, answer_type(question), "Brennick was born in Ostmere, a town on the River Caddow.") \
        == "Ostmere"


def test_a_street_or_a_firm_of_surnames_is_no_one():
    assert no_one("Pelham Road", ["the"], ["bus"], "Who is leading the residents?")
    assert no_one("Brennick", ["with"], ["&"], "Who founded the Corvane Line?")
    assert no_one("Loy", ["&"], ["was"], "Who founded the Corvane Line?")
    assert not no_one("Jonah Whitlock", ["said"], ["who"], "Who is leading the residents?")
    question = "Who is leading the residents opposing the bus depot flats?"
    assert not offers("Plans for flats on the former Pelham Road bus depot have sparked a row.", answer_type(question),
                      question)
    assert offers("Jonah Whitlock, who chairs the residents' group, spoke first.", answer_type(question), question)


def test_our_flight_is_a_thing_and_its_number_is_an_attribute_of_it():
    assert [m.text for m in definite_things("What's our flight number going out to Corvela?", 0)] == ["flight"]
    history = chat("What's our flight number going out to Corvela?", "I could not find this in the documents.")
    assert standalone_query("What time does it take off?", history).startswith("What time does the flight take off?")


def test_an_adverb_opening_the_answer_names_nothing():
    history = chat("When is the boiler check happening at my flat?",
                   "13 March. Separately, I would like to carry out a routine inspection of the flat on 18 March.")
    assert "Separately" not in standalone_query("Which firm is doing it?", history)


def test_a_verb_and_its_object_are_asked_in_the_frame_of_the_question_before():
    history = chat("How often am I supposed to wash the filter on my dehumidifier?",
                   "Every two weeks. Clean the washable mesh filter every two weeks.")
    assert standalone_query("and swap it for a new one?", history).startswith(
        "How often am I supposed to swap the filter for a new one?")
    assert standalone_query("And the Himars?", chat("What is the range of the ATACMS?", "190 miles.")).startswith(
        "What is the range of the Himars?")


def test_a_quantifier_or_an_instruction_opening_an_answer_names_nothing():
    history = chat("How often should I wash the filter?", "Every two weeks. Clean the filter under the tap.")
    query = standalone_query("Where do I buy it?", history)
    assert "Every" not in query and "Clean" not in query and "filter" in query


@pytest.mark.slow
def test_the_agm_minutes_answer_a_question_about_the_agm(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "minutes.md", MINUTES)
    answer = docqa.ask("What did the Millbrook garden AGM decide about the rent for a full plot?", [],
                       generator="extractive")
    assert_cited_answer(answer, "£36")


@pytest.mark.slow
def test_how_much_the_machine_extracts_after_naming_it(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "dh20.txt", MANUAL)
    history = chat("How much water does the DH-20's tank hold?", "4.5 litres. The DH-20's tank holds 4.5 litres.")
    answer = docqa.ask("And how much can the machine take out of the air in a day?", history, generator="extractive")
    assert_cited_answer(answer, "20 litres")


@pytest.mark.slow
def test_the_hose_width_after_a_sentence_saying_why(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "dh20.txt", MANUAL)
    history = chat("How much water does the DH-20's tank hold?", "4.5 litres. The DH-20's tank holds 4.5 litres.")
    answer = docqa.ask("I want to drain it straight into the sink instead. What width of hose fits?", history,
                       generator="extractive")
    assert_cited_answer(answer, "12 mm")

"""Follow-ups on texts written for these tests: what "they", "it" and "those" point at, and which names may answer."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.generate import GenerationRequest
from qa.generators.spans import candidate_spans
from qa.generators.typed import asked_in_query, of_the_asked_type, said_before
from qa.models import Chunk, Passage
from qa.name_kinds import name_kind
from qa.rewrite import standalone_query
from qa.short_answer import short_answer, unsaid


def _history(*turns: str) -> list[dict[str, str]]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": text} for i, text in enumerate(turns)]


def test_a_relative_clause_verb_is_no_plural_thing_they_could_mean():
    history = _history("Who gave the biggest single gift?",
                       "Ashgrove Trust [1]. Our largest gift was £45,000 from the Ashgrove Trust, which funds our cafe [1].")
    rewritten = standalone_query("How many volunteers did they have?", history, mode="rules")
    assert "funds" not in rewritten.partition("?")[0]


def test_the_verb_and_its_object_pronoun_end_the_thing_a_value_question_names():
    history = _history("How much did the footbridge cost them?", "£84,000 [1]. The council paid £84,000 for the new footbridge [1].")
    rewritten = standalone_query("Who designed it?", history, mode="rules")
    assert rewritten.startswith("Who designed the footbridge?")
    assert "footbridge cost?" not in rewritten


@pytest.mark.parametrize("run", [["Skerrow", "Point", "Lighthouse"], ["Dunmore", "Castle"], ["Harbour", "View", "Hotel"]])
def test_a_named_building_is_a_place_not_a_person(run):
    assert name_kind(run, "", "")[0] == "place"


def test_surnames_that_are_also_buildings_stay_people():
    assert name_kind(["Stuart", "Hall"], "", "")[0] == "person"
    assert name_kind(["Charlotte", "Church"], "", "")[0] == "person"


def test_those_after_of_is_the_plural_thing_asked_about_before():
    history = _history("How many flats will the Quarry Lane scheme build?", "240 [1].",
                       "Which developer is behind it?", "Harlow Homes [1].")
    assert standalone_query("How many of those will be affordable?", history, mode="rules").startswith(
        "How many of the flats will be affordable?")


def test_the_thousands_of_an_amount_are_not_a_number_said_before():
    sentence = "Our largest gift was a grant of £120,000 from the Ashgrove Trust."
    assert "£120,000" in unsaid(sentence, "How much was it? Ashgrove Trust largest gift grant 120 000")
    assert short_answer("How much was it?", answer_type("How much was it?"), sentence,
                        exclude="How much was it? Ashgrove Trust largest gift grant 120 000") == "£120,000"
    assert "27" not in unsaid("It was 27 then 31.", "27")  # a number said before is still left out


@pytest.mark.parametrize("question", ["How much damage did the flood do?", "How much tax did they pay?"])
def test_how_much_damage_or_tax_asks_for_money(question):
    assert answer_type(question).kind == "money"
    assert answer_type("How much water does the tank hold?").kind != "money"


def test_a_name_in_the_last_answers_sentence_may_answer_the_next_question():
    text = ('Fire crews from three stations fought the blaze overnight. Managing director Colin Ashworth estimated the '
            'damage at "around £2.1 million", although he said the figure was provisional.')
    passages = (Passage(Chunk("c0", "d0", "fire.txt", 0, 0, len(text), text), 1.0),)
    history = _history("How much damage did the fire do?",
                       "£2.1 million [1]. Managing director Colin Ashworth estimated the damage at \"around £2.1 million\" [1].")
    request = GenerationRequest("Who gave that estimate?",
                                "Who gave that estimate? 2 1 million Managing director Colin Ashworth estimated damage",
                                passages, tuple(history))
    typed = of_the_asked_type(request, answer_type(request.question), candidate_spans(passages))
    assert any("Colin Ashworth" in span.text for span in typed)
    known = said_before(request)
    assert "Colin Ashworth" not in known and "damage" in known and "£2.1 million" in known


def test_names_the_users_questions_carried_stay_known_and_the_last_answers_do_not():
    history = _history("Who runs Brannock Tiles?", "Anton Reyes [1]. Chief executive Anton Reyes, 52, said it was hard [1].")
    request = GenerationRequest("Which tile company was he at before?",
                                "Which tile company was Anton Reyes at before? runs Brannock Tiles Chief executive", (),
                                tuple(history))
    assert asked_in_query(request) == "Which tile company was Anton Reyes at before? runs Brannock Tiles"

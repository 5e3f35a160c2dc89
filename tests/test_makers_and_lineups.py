"""Who made a work and who plays what: a possessive ("Jane Campion's The Power of the Dog") names a film's director
and a line-up's parenthesis ("Colin Greenwood (bass)") a member's role (found by asking new questions of a dev
corpus; the texts here are written for these tests)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.compose import Evidence, companion
from qa.name_kinds import maker_of, role_in_parentheses
from tests.conftest import ingest_text, ranked_choice, short_of

SCORES = ("Since 2005 she has scored films for the director Anton Veller, and she was nominated for Maud Ferrant's "
          "The Glass Orchard (2019) and for Idris Kale's 2022 film Low Tide.")
LINEUP = ("The band consists of Petra Lund (vocals, guitar), the twins Arne Holm (keyboards) and Nils Holm (bass) "
          "and Sig Bakke (drums).")


@pytest.mark.parametrize("question, expected", [
    ("Who directed The Glass Orchard?", "Maud Ferrant"),
    ("Who is the director of Low Tide?", "Idris Kale"),
])
def test_the_owner_of_a_work_named_in_the_question_made_it(question, expected):
    assert short_of(question, SCORES) == expected


def test_a_possessive_says_who_made_a_work_not_who_else_was_in_it():
    assert maker_of("Who starred in The Glass Orchard?", SCORES) is None
    assert maker_of("Who directed The Glass Orchard?", "It was Maud Ferrant's idea.") is None


@pytest.mark.parametrize("question, expected", [
    ("Who plays bass in the band?", "Nils Holm"),
    ("Who plays the drums?", "Sig Bakke"),
    ("Who plays keyboards?", "Arne Holm"),
])
def test_a_line_up_parenthesis_says_who_plays_what(question, expected):
    assert short_of(question, LINEUP) == expected


def test_a_parenthesis_that_is_no_role_names_no_one():
    assert role_in_parentheses("Who was born in Oslo?", "Petra Lund (born 4 May 1980) is a singer.") is None
    assert role_in_parentheses("Who plays the cello?", LINEUP) is None


MEMBER_LINE = ("He was the last member to join the group and is known for playing a wide range of instruments, including "
               "the Hardanger fiddle.")


def test_a_line_up_under_the_asked_band_needs_no_second_sentence():
    """The entry's title names the band the question asks about, so a sentence from a member's entry that merely adds
    "playing" (and offers "Hardanger" as a name) is no companion."""
    question = "Who plays bass in Holmgard?"
    best, other = Evidence(0, 0, len(LINEUP), LINEUP), Evidence(1, 0, len(MEMBER_LINE), MEMBER_LINE)
    tops = {0: "Holmgard", 1: "Arne Holm"}
    assert companion(question, ["Holmgard"], answer_type(question), best, [best, other], openings=tops, titles=tops) is None


BAND = """Holmgard

Holmgard are a Norwegian rock band formed in Bergen in 2001.
The band consists of Petra Lund (vocals, guitar), the twins Arne Holm (keyboards) and Nils Holm (bass) and Sig Bakke (drums).
Their song Northern Light was used in Maud Ferrant's film The Glass Orchard (2019).
"""

ARNE = f"""Arne Holm

Arne Holm (born 3 June 1979) is a Norwegian musician and composer, best known as the keyboardist of Holmgard.
He was born in Bergen, where his twin brother Nils Holm, the band's future bassist, was also a pupil.
{MEMBER_LINE}
"""


def test_end_to_end_who_plays_and_who_directed(fresh_docqa, tmp_path):
    ingest_text(fresh_docqa, tmp_path, "arne_holm.txt", ARNE)
    docqa = ingest_text(fresh_docqa, tmp_path, "holmgard.txt", BAND)
    bass = docqa.ask("Who plays bass in Holmgard?")
    assert bass.answer.startswith("Nils Holm") and bass.citations
    director = docqa.ask("Who directed The Glass Orchard?")
    assert director.answer.startswith("Maud Ferrant") and director.citations


STUDY = """Late dinners linked to diabetes

Eating dinner after 9pm was linked to a higher risk of type 2 diabetes in a study of 4,000 adults in Castlebrook.
Professor Sarah Lindqvist, who chairs the diabetes research group at the Ashcombe Institute and was not involved in the research, said it was an observational study.
The study was led by Dr Priya Raman, a senior lecturer in nutrition at Castlebrook University.
"""


def test_who_did_it_is_answered_by_the_sentence_saying_it_was_done_by_someone(fresh_docqa, tmp_path):
    """The cross-encoder prefers the sentence about the research and diabetes; "was led by" says who led it."""
    docqa = ingest_text(fresh_docqa, tmp_path, "dinners.txt", STUDY)
    led = docqa.ask("Who led the research linking late dinners to diabetes?")
    assert led.answer.startswith("Dr Priya Raman") and led.citations


def test_who_is_answered_by_no_place_and_no_school():
    text = "He was born in Bergen and attended Fjell School, where his older brother Nils Holm was also a pupil."
    assert short_of("Who is Nils Holm's brother?", text) is None
    assert short_of("Who sent the letter?", "It was a letter from Anna Holt to the council.") == "Anna Holt"


ADAPTED = ("Norwegian Wood is a 1987 novel by Haruki Murakami. A film adaptation directed by Tran Anh Hung was released "
           "in 2010.")


def test_a_sentence_saying_who_directed_another_film_is_not_put_first(fresh_docqa, tmp_path):
    ingest_text(fresh_docqa, tmp_path, "norwegian_wood.txt", f"Norwegian Wood\n\n{ADAPTED}\n")
    docqa = ingest_text(fresh_docqa, tmp_path, "scores.txt", f"Film scores\n\n{SCORES}\n")
    director = docqa.ask("Who directed The Glass Orchard?")
    assert director.answer.startswith("Maud Ferrant"), director.answer


def test_the_agent_sentence_stays_behind_a_first_choice_saying_the_verb_itself():
    from qa.generate import GenerationRequest
    from qa.generators.typed import by_the_agent_first

    wrote = ranked_choice("To help, Jukka Korpela has written an introductory guide to the character tables.")
    other = ranked_choice("Another good introductory article was written by Joel Spolsky.")
    request = GenerationRequest(question="Who wrote the guide to the character tables?", query="", passages=())
    assert by_the_agent_first(request, [wrote, other])[0] is wrote
    led = ranked_choice("The study was led by Dr Priya Raman.")
    about = ranked_choice("Professor Sarah Lindqvist chairs the diabetes research group.")
    request = GenerationRequest(question="Who led the research?", query="", passages=())
    assert by_the_agent_first(request, [about, led])[0] is led

"""What a fresh probe of everyday documents showed: a letter's subject line under its letterhead says what the letter is
about; "the 4.0Ah pack" is the "4Ah" one; a surname followed by "his" is a man, so "him" later means him and not the
assistant named after him; "the Year 4 farm trip" and "the Torvik drill" are things "it" may mean, whole; "by when"
asks for a date; "still under warranty?" is answered "No" by "the warranty expired"; "since the summer" is a time and
"the main cause is" a reason; "What should I use instead?" is asked about what was just asked. On texts written for
these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.conversation import conversation_mentions
from qa.generators.spans import document_stems
from qa.models import Chunk, Passage
from qa.rewrite import standalone_query
from qa.statements import yes_or_no
from qa.text import stems
from tests.conftest import assert_cited_answer, chat, ingest_text

LETTER = """Ashgrove Junior School
Mill Lane, Fenbridge FB2 7QT

Monday 2 June 2025

Dear Parents and Carers of Year 5,

Year 5 Residential Visit to Hollin Edge Outdoor Centre

We are looking forward to taking the children to Hollin Edge for three nights in July. The centre sits on the edge
of the moor, two hours north of Fenbridge by coach, and has hosted our Year 5 classes for more than ten years.

Activities
The children will try canoeing on the reservoir, gorge walking, orienteering in the forest and a night walk with
the centre's rangers. All activities are led by qualified instructors, and the children will be in groups of ten
with one member of school staff. Wet-weather plans are in place for every session, so nothing is cancelled for rain.

Kit
Every child needs a waterproof coat, walking boots or old trainers, two changes of warm clothes, a towel, a torch
and a named water bottle. Sleeping bags and pillows are provided by the centre. Mobile phones stay at home.

Health
If your child takes any medicine, please hand it to the school office in a named bag by the Friday before we go.

Cost
The total cost of the visit is £164 per child, which covers travel, meals and all activities. Please pay on the
school app by Friday 20 June. Payments cannot be refunded after that date because the centre charges us in full.
"""

MANUAL = """Brackenfield BF-14 Hedge Trimmer: Batteries

A fully discharged 2.0Ah pack takes about 50 minutes to charge. The optional 5.0Ah pack (sold separately) takes
about 110 minutes. Do not charge a pack below 5 °C.

The BF-14 is not suitable for cutting branches thicker than 18 mm. For thicker branches use the Brackenfield BP-30
pruning saw.
"""


def passages_of(text: str, cut: str) -> tuple:
    """`text` cut into two chunks of one document at `cut`, as retrieval returns them."""
    at = text.index(cut)
    return tuple(Passage(Chunk(f"c{i}", "d0", "letter.txt", i, start, end, text[start:end],
                               title=text.splitlines()[0]), 1.0) for i, (start, end) in enumerate([(0, at), (at, len(text))]))


def test_a_letters_subject_line_names_what_the_letter_is_about():
    passages = passages_of(LETTER, "Cost")
    assert "£164" in passages[1].text and "year" not in document_stems(passages, 1)
    assert {"year", "5", "residential", "hollin"} <= document_stems(passages, 1, opening=True)
    assert "residential" not in document_stems(passages[1:], 0, opening=True)  # the opening is not retrieved


def test_a_whole_number_written_with_a_decimal_point_is_the_same_pack():
    assert "5ah" in stems("The optional 5.0Ah pack takes about 110 minutes.")
    assert "2" in stems("version 2.0 of the app") and "5ah" in stems("a 5Ah pack")


def test_a_surname_followed_by_his_is_a_man_and_stays_what_him_means():
    history = chat("When did Marlow retire?",
                   "1902. Marlow retired in 1902, handing the firm to his chief clerk, Arthur Penrose.",
                   "why?",
                   "Marlow lost his sight in 1901 and retired in 1902, handing the firm to his chief clerk, Arthur "
                   "Penrose. He died in Bath in 1911.")
    people = {m.text: m.gender for m in conversation_mentions(history, ["When did Marlow retire?", "why? Marlow"])
              if m.kind == "person"}
    assert people["Marlow"] == "m" and people["Arthur Penrose"] == "m"
    assert standalone_query("who took over the firm from him?", history).startswith(
        "who took over the firm from Marlow?")


@pytest.mark.parametrize(("question", "thing"), [
    ("How much does the Year 5 residential visit cost per child?", "the Year 5 residential visit"),
    ("When does the Brackenfield trimmer need charging?", "the Brackenfield trimmer"),
    ("How much did the Apollo 11 mission cost?", "the Apollo 11 mission"),
])
def test_a_name_and_the_nouns_after_it_are_what_it_means(question, thing):
    history = chat(question, "I could not find this in the documents.")
    assert standalone_query("And by when do I need to sort it out?", history).startswith(
        f"And by when do I need to sort {thing} out?")


def test_a_name_whose_verb_follows_stays_out():
    history = chat("Why won't the Aerolo P3 join the network?", "I could not find this in the documents.")
    assert "join" not in standalone_query("How do I reset it?", history).split("?")[0]


def test_by_when_asks_for_a_date():
    assert answer_type("By when do I need to pay it?").kind == "date"
    assert answer_type("by when must the form be back?").kind == "date"


def test_what_has_ended_is_no_longer_so():
    assert yes_or_no("Is the boiler still under warranty?", "The 7-year warranty on this boiler expired in 2023.") == "No"
    assert yes_or_no("Are the baths still open?", "The baths closed in 1971 and were converted into flats.") == "No"
    assert yes_or_no("Is the boiler still under warranty?", "The boiler is under warranty until 2027.") == "Yes"
    assert yes_or_no("Did the warranty expire?", "The 7-year warranty on this boiler expired in 2023.") == "Yes"


def test_since_a_season_is_a_time_and_the_main_cause_a_reason():
    why = answer_type("Why does the boiler keep losing pressure?")
    assert not offers("She has had to top up the boiler every fortnight since the summer.", why)
    assert offers("The main cause is the flat expansion vessel, which has now been recharged.", why)
    assert offers("She has had to top it up since she moved in, because of a leak.", why)


def test_instead_asks_about_what_was_just_asked():
    history = chat("Can I cut branches with my BF-14?", "No. The BF-14 is not suitable for thick branches.")
    query = standalone_query("What should I use instead?", history)
    assert "branches" in query and "cut" in query


@pytest.mark.slow
def test_the_cost_in_a_letter_headed_by_its_school(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "letter.txt", LETTER)
    answer = docqa.ask("How much does the Year 5 residential visit cost per child?", [], generator="extractive")
    assert_cited_answer(answer, "£164")


@pytest.mark.slow
def test_the_bigger_pack_and_what_to_use_instead(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "bf14.md", MANUAL)
    answer = docqa.ask("Can I cut branches with my Brackenfield BF-14 trimmer?", [], generator="extractive")
    assert answer.answer.startswith("No"), answer.answer
    history = chat("Can I cut branches with my Brackenfield BF-14 trimmer?", answer.answer)
    assert_cited_answer(docqa.ask("What should I use instead?", history, generator="extractive"), "BP-30")


def test_and_the_deposit_swaps_what_was_asked_for_not_the_address():
    history = chat("How much is the monthly rent on the flat at 14 Cedar Row?", "£950 a month.")
    assert standalone_query("and the deposit?", history).startswith("How much is the deposit on the flat at 14 Cedar Row?")
    assert standalone_query("And the Himars?", chat("What is the range of the ATACMS?", "190 miles.")).startswith(
        "What is the range of the Himars?")
    person = chat("How much is the rent?", "£950 a month.", "Is there a phone number for the landlord himself?", "No.")
    assert "number for the deposit" not in standalone_query("What about the deposit?", person)  # no one's stand-in

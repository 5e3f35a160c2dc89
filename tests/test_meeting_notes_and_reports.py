"""What questions about meeting notes and a research summary need (found by asking new questions of a product meeting's
notes and a trials report; the texts here are written for these tests): labelled roles, durations with adjectives,
the earlier value of an amount, places measured from, months said before, faults, and how much warmer."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.conversation import mentions
from qa.generate import GenerationRequest, wanted_answer
from qa.generators.typed import by_the_agent_first
from qa.short_answer import unsaid
from qa.text import concepts
from tests.conftest import chat, ingest_text, ranked_choice, short_of

HEADER = ('Where: Meeting room 2 ("The Snug"), Harbour office Chair: Sanne Oduya (Head of Product) '
          'Notes taken by: Ines Carvalho')


@pytest.mark.parametrize("question, text, expected", [
    ("Who chaired the meeting?", HEADER, "Sanne Oduya"),  # the label says it, not the first name in the text
    ("Who led the trials?", "Lead author: Dr Amara Quist, with two co-authors. The 2021 study, led by Dr Felix Okonjo, found a 9% rise.",
     "Dr Amara Quist"),
])
def test_a_name_labelled_with_the_asked_verb_answers_who(question, text, expected):
    assert short_of(question, text) == expected


def test_a_labelled_line_is_moved_first_like_a_passive_agent():
    label = ranked_choice("Lead author: Dr Amara Quist, with three co-authors")
    other = ranked_choice("A 2021 study at this college, led by Dr Felix Okonjo, found a 9% yield increase.")
    topic = ranked_choice("Both trials were run in Glasshouse B.")
    request = GenerationRequest(question="Who led the trials?", query="", passages=())
    assert by_the_agent_first(request, [topic, label, other])[0] is label


@pytest.mark.parametrize("question, text, expected", [
    ("How many extra days does Marcus need?", "The screens need rework, and Marcus estimates 6 extra working days.",
     "6 extra working days"),
    ("How long will it take?", "It will take three more weeks.", "three more weeks"),
])
def test_a_duration_may_have_words_between_number_and_unit(question, text, expected):
    assert short_of(question, text) == expected


def test_a_place_measured_from_is_not_where_it_is():
    assert short_of("Where is the new office?", "The new office is 1.2 miles from Ancoats and has 18 desks.") is None
    assert short_of("Where is the new office?", "The lease for the new office at Canal Wharf is signed.") == "Canal Wharf"


def test_what_was_it_at_a_time_asks_for_the_earlier_amount():
    history = ({"role": "user", "content": "How many open tickets are there?"},
               {"role": "assistant", "content": "214 open tickets [1]."})
    request = GenerationRequest("What was it at the start of September?", "What was it at the start of September?",
                                (), history)
    assert wanted_answer(request).kind == "count"


def test_a_month_said_before_is_still_a_date():
    assert "November" in unsaid("Android goes first; iOS follows on 11 November.", "4 November 2024 [1].")
    assert "4 November" not in unsaid("It shipped on 4 November.", "4 November 2024 [1].")


def test_a_fault_is_what_went_wrong_and_warmer_asks_for_a_temperature():
    assert "~fail" in concepts("What went wrong in October?") & concepts("a faulty thermostat was replaced")
    assert answer_type("How much warmer was it?").kind == "temperature"
    assert short_of("How much warmer was it?", "On 12 October 2024 a faulty thermostat kept nights about 6°C above "
                    "the set point.") == "6°C"
    assert "C" not in [m.text for m in mentions("The nights were 6°C above the set point in Glasshouse B.")]


NOTES = """# Harbour Labs: Weekly Product Meeting

**Date:** Tuesday 8 October 2024
**Chair:** Sanne Oduya (Head of Product)
**Notes taken by:** Ines Carvalho

## 1. Release

- The release was planned for Monday 21 October. The payment screens need to be reworked, and Marcus estimates 6 extra
  working days.
- **Decision:** new release date is **Monday 4 November 2024**. Android goes out first; iOS follows on **11 November**.

## 2. Support

- Kemi reported 214 open tickets, down from 390 at the start of September.

## 3. Office move

- Tobias confirmed that the lease for the new office at Canal Wharf is signed. The new office is 1.2 miles from
  Ancoats and has 18 desks.
"""


def test_end_to_end_meeting_notes(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "notes.md", NOTES)
    assert docqa.ask("Who chaired the meeting?").answer.startswith("Sanne Oduya")
    assert docqa.ask("Where is the new office?").answer.startswith("Canal Wharf")
    release = docqa.ask("When is the new release date?")
    assert release.answer.startswith("4 November 2024")
    ios = docqa.ask("When does iOS follow?", chat("When is the new release date?", release.answer))
    assert ios.answer.startswith("11 November")
    tickets = docqa.ask("How many open tickets are there?")
    assert tickets.answer.startswith("214")
    before = docqa.ask("What was it at the start of September?", chat("How many open tickets are there?",
                                                                          tickets.answer))
    assert before.answer.startswith("390")

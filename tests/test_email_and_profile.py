"""What questions about an email thread and a profile need (found by asking new questions of a builder's email thread
and a scientist's profile; the texts here are written for these tests): small measures, rooms as places, deadlines,
rises, supervisors, weights, texts a document speaks of, words that open sentences without naming anyone, and the
thing a "who" question asked about."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.bylines import another_text, byline_answer
from qa.conversation import conversation_mentions, mentions
from qa.name_kinds import name_kind
from qa.rewrite import rewrite_query
from qa.text import concepts
from tests.conftest import chat, ingest_text, one_passage, short_of


def test_millimetres_are_a_distance():
    assert answer_type("How deep is the new beam?").kind == "distance"
    assert short_of("How deep is the new beam?", "The engineer wants a 254 mm deep beam instead.") == "254 mm"
    assert short_of("How thick is the wall?", "The wall is 40 centimetres thick.") == "40 centimetres"


def test_a_room_is_a_place():
    wanted = answer_type("Where will the temporary kitchen be?")
    assert offers("We'll set up a temporary kitchen in your dining room with the sink plumbed in.", wanted,
                  "Where will the temporary kitchen be?")
    assert not offers("We'll set up a temporary kitchen with the sink plumbed in.", wanted,
                      "Where will the temporary kitchen be?")


@pytest.mark.parametrize("question, text, meaning", [
    ("When is it due?", "We'll need the deposit by 21 April.", "~due"),
    ("When is the report due?", "The council must decide by the end of June.", "~due"),
    ("Why did the price go up?", "Most of the £3,550 increase is the steel.", "~rise"),
    ("Who supervised her doctorate?", "She began a doctorate under Professor Lucien Aubert.", "~supervise"),
])
def test_the_asked_relation_is_met_by_its_usual_wording(question, text, meaning):
    assert meaning in concepts(question) & concepts(text)


def test_stood_under_a_tree_is_no_supervision():
    assert "~supervise" not in concepts("They sheltered under a tree.")
    assert "~due" not in concepts("The report was written by Anna Holt.")


@pytest.mark.parametrize("question,text,workplace", [
    # written for this test: the home address comes first, the workplace after "at" or "for"
    ("Where was he working at the time?", "Owen Tarrant, 52, of Mill Lane, Carrow, stole from the till at Fernside "
     "Garden Centre for two years.", "Fernside Garden Centre"),
    ("Where does she work now?", "Ruth Amadi, from Leeds, now works for Hollinby Engineering.", "Hollinby Engineering"),
])
def test_a_workplace_is_the_name_after_at_or_for_not_the_home_address(question, text, workplace):
    assert short_of(question, text) == workplace


def test_the_asked_club_under_its_full_name_is_no_answer():
    # written for this test: "Ashby Vale FC" is the "Ashby Vale" the question names, not who it signed
    question = "Who was Ashby Vale's record signing before Leff?"
    assert short_of(question, "Ashby Vale FC have signed the winger Tomas Leff for a club-record £3m.") != "Ashby Vale FC"
    assert short_of("Which club did Leff join?", "Leff joined Ashby Vale FC in May.") == "Ashby Vale FC"
    assert short_of("Which firm did Nadia Orme found?", "Nadia Orme founded Orme Ltd in 2009.") == "Orme Ltd"


def test_how_much_did_it_weigh_asks_for_a_weight_not_money():
    assert answer_type("How much did the radar weigh?").kind == "weight"
    assert answer_type("How much did the radar cost?").kind == "money"


def test_a_who_answer_is_a_person_before_an_institution():
    text = "She came to the Haldane Institute in 1982 to begin a doctorate under Professor Lucien Aubert."
    assert short_of("Who supervised her doctorate?", text) == "Professor Lucien Aubert"


@pytest.mark.parametrize("question, title, another", [
    ("Who wrote the structural report?", "From: Megan Pryce\nSubject: RE: Kitchen extension: revised quote", True),
    ("Who prepared the status report?", "# Project Lantern — Status Report, Sprint 14", False),
    ("Who wrote the article?", "Council approves tram line", False),
])
def test_a_text_the_document_speaks_of_is_not_the_document(question, title, another):
    assert another_text(question, title) is another


def test_a_headline_under_the_site_name_names_the_document():
    post = ("Tessellate Labs Blog\n\nIntroducing Quillpad 3: your notes, everywhere\n\nPosted by Joanna Reyes, Chief "
            "Executive\n\nToday we're launching Quillpad 3.")
    assert byline_answer("Who wrote the Quillpad 3 launch post?", one_passage(post))[0] == "Joanna Reyes"
    assert byline_answer("Who wrote the structural report?", one_passage(post)) is None


@pytest.mark.parametrize("text, names", [
    ("Lovely, let's go ahead, and please include the third roof light.", []),
    ("Because they wanted to rule out a fault, the discovery was not published until 1993.", []),
    ("Cheers, Gareth", ["Gareth"]),
])
def test_email_openers_and_conjunctions_name_no_one(text, names):
    assert [m.text for m in mentions(text)] == names


def test_born_in_brackets_marks_a_person():
    assert name_kind(["Jonathan", "Richard", "Guy", "Greenwood"], "", "born") == ("person", True)
    assert name_kind(["Oxford", "University"], "", "born")[0] != "person"


def test_a_lone_surname_takes_the_gender_of_the_full_name():
    history = chat("Who leads the survey?", "Ms Maren Solvik [1]. The survey is led by Ms Maren Solvik [1].",
                       "When did it start?", "1988 [1]. Solvik's first field season came in 1988 [1].")
    assert {m.gender for m in conversation_mentions(history) if m.text == "Solvik"} == {"f"}


def test_it_after_a_who_question_is_the_thing_asked_about():
    history = chat("Who built the radar?", "Tomasz Wierzbicki [1]. She persuaded an engineer, Tomasz Wierzbicki, "
                       "to build a better one [1].")
    assert rewrite_query("How much did it weigh?", history).startswith("How much did the radar weigh?")
    # a person or a group asked about is no "it"
    assert not rewrite_query("When did it open?", chat("Who runs the company?", "Ada Holt [1].")).startswith(
        "When did the company open")


THREAD = """From: Megan Pryce
Subject: RE: Kitchen extension: revised quote

Hi Fiona,

Great, that's confirmed. The deposit is £4,310 and we'll need it by 21 April.

Thanks for sending Anouk's report. The structural engineer's report came from Anouk Verhoeven, who says the steel
needs to be a 254 mm deep beam instead of the 203 mm beam we had allowed for.

We'll set up a temporary kitchen in your dining room with the sink plumbed in.

Megan
"""


def test_end_to_end_an_email_thread(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "quote.txt", THREAD)
    deposit = docqa.ask("How much is the deposit?")
    assert deposit.answer.startswith("£4,310")
    assert docqa.ask("When is it due?", chat("How much is the deposit?", deposit.answer)).answer.startswith("21 April")
    assert docqa.ask("How deep is the new beam?").answer.startswith("254 mm")
    assert "dining room" in docqa.ask("Where will the temporary kitchen be?").answer
    author = docqa.ask("Who wrote the structural report?")
    assert author.answer.startswith("Anouk Verhoeven") and "byline" not in author.flags

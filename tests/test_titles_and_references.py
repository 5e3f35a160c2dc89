"""Titles and the references a reader resolves without thinking: "Who is the president of France?" is answered by
the name after "French President", not by the name beside it; "Who is the council's chief executive?" is not
answered by the opposition leader; "its main rival" in a business story is the company's; "Who fixed it?" after an
answer naming a leak is about the leak; "When can they apply?" after a question about shops is about the shops, and
"Applications open on 1 June" says when. On texts written for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.generators.spans import candidate_spans, cross_reading
from qa.name_kinds import asked_role, untitled
from qa.relation import says_asked_title
from qa.rewrite import standalone_query
from qa.text import stem
from tests.conftest import assert_cited_answer, chat, ingest_text, one_passage

SUMMIT = """Leaders meet in Genoa to agree port security plan

Italian Prime Minister Giulia Ferrante welcomed German Chancellor Anton Weiss and Spanish Foreign Minister Rosa Ibarra to Genoa on Tuesday for talks on port security.

The three governments agreed to share cargo scanning data from January, Ferrante said after the meeting.
"""

STORY = """Pellworth Tools to shut nine depots as hire demand falls

By Dana Whitcombe, Business Correspondent

Pellworth Tools, the tool-hire chain, is to close nine of its 140 depots after demand from building firms fell for a
second year.

The company reported a pre-tax loss of £12m for the year to March, against a profit of £4m a year earlier.

The results compare poorly with those of its biggest competitor, Hirewell Group, which last month reported a 6% rise
in sales. Analysts at Brockley Securities said Pellworth Tools had been slow to move its bookings online.

Pellworth Tools, which was founded in Leeds in 1962, employs around 2,100 people.
"""

BRIDGE = """Dunmere footbridge to close for repairs

The Dunmere footbridge over the River Caddon will close for ten weeks from 3 March while its deck is replaced,
Caddonshire Council said.

The bridge was last repaired in 2009 by Caddon Civils, who fixed the handrails.

Opposition leader Peter Quayle said the council had "ignored the rot for years". The council said the work would cost
£1.1m.

Shops within a quarter of a mile of the bridge can claim a grant of up to £2,000 towards lost trade. Applications open
on 10 March and close on 30 June.
"""

MINUTES = """Brookside Allotments committee minutes, 2 May

Treasurer's report: the water bill for last year was £1,240, up from £910, mainly because of a leak near the
standpipe by plot 17 that nobody noticed until August.

Repairs: the leak by the standpipe was repaired by Dripstop Plumbing for £380.

Open day: Saturday 21 June, 10am to 2pm.
"""


@pytest.mark.parametrize("question,role", [
    ("Who is the president of France?", ("french", "france", "president")),
    ("Who is Britain's prime minister?", ("british", "britain", "prime", "minister")),
    ("Who is the president of the US?", ("us", "president")),
    ("Who is the French president?", ("french", "president")),
    ("Who was Varga's PhD supervisor?", ()),  # a person's, not a country's
])
def test_a_country_asked_is_part_of_the_title(question, role):
    assert asked_role(question) == role


def test_the_name_after_the_countrys_title_is_the_answer():
    assert untitled("German Chancellor Anton Weiss", asked_role("Who is the chancellor of Germany?")) == "Anton Weiss"
    assert untitled("German Chancellor Anton Weiss", asked_role("Who is Italy's prime minister?")) == \
        "German Chancellor Anton Weiss"


@pytest.mark.parametrize("question,said", [
    ("Who is the council's chief executive?", False),
    ("Who is the chief executive of Caddonshire Council?", False),
    ("Who was the captain of the ship?", False),
    ("Who is the leader of the opposition?", True),  # any head of anything is a leader
    ("Who is the incoming one?", True),  # no title
    ("Who said the council ignored the rot?", True),  # no "Who is the ...?"
])
def test_a_title_asked_must_be_said(question, said):
    answer = 'Peter Quayle [1]. Opposition leader Peter Quayle said the council had "ignored the rot for years" [1].'
    assert says_asked_title(question, answer) is said


def test_the_chief_executive_is_said_as_ceo():
    assert says_asked_title("Who is the chief executive of Hirewell?", "CEO Mara Lund said sales rose.")


@pytest.mark.parametrize("question,answer", [
    ("Who is the author of the report?", "The report, written by Dr Ines Moll, was published in May."),
    ("Who was the inventor of the Dunmere lamp?", "Tom Reyes invented the Dunmere lamp in 1911."),
    ("Who was the founder of Hirewell?", "Hirewell was founded by Ada Price in 1990."),
])
def test_a_title_made_from_a_verb_is_said_by_the_verb(question, answer):
    assert says_asked_title(question, answer)


def test_its_in_a_business_story_is_read_as_the_company_it_is_about():
    spans = candidate_spans(one_passage(STORY, "pellworth.txt"))
    rival = next(s for s in spans if s.text.startswith("The results compare poorly"))
    assert "Pellworth Tools's biggest competitor" in cross_reading(rival)
    depots = next(s for s in spans if s.text.startswith("Pellworth Tools, the tool-hire chain"))
    assert cross_reading(depots) == depots.sentence  # "its 140 depots" after the company is named in the sentence


@pytest.mark.parametrize("noun,verb", [("applications", "apply"), ("notification", "notified"), ("decision", "decide"),
                                       ("replies", "reply")])
def test_a_noun_meets_the_verb_it_is_made_from(noun, verb):
    assert stem(noun) == stem(verb)


def test_simply_is_still_cut_as_before_nothing_else_changes():
    assert stem("quickly") == "quick" and stem("changes") == stem("changed")


def test_it_with_nothing_named_to_point_at_carries_what_was_just_said():
    query = standalone_query("Who fixed it?", chat(
        "Why did the water bill go up?", "Because of a leak near the standpipe that nobody noticed until August."))
    assert "leak" in query and "standpipe" in query


def test_they_points_at_the_plural_a_question_ends_on():
    query = standalone_query("When can they apply?", chat(
        "What help is the council offering shops?", "A grant of up to £2,000 towards lost trade."))
    assert query.startswith("When can shops apply?")


@pytest.mark.slow
def test_the_president_of_a_country_is_the_name_after_its_title(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "genoa.txt", SUMMIT)
    answer = docqa.ask("Who is the chancellor of Germany?", [], generator="extractive")
    assert answer.short_answer == "Anton Weiss", answer.answer
    answer = docqa.ask("Who is Italy's prime minister?", [], generator="extractive")
    assert answer.short_answer == "Giulia Ferrante", answer.answer


@pytest.mark.slow
def test_a_title_nobody_in_the_documents_holds_is_not_answered(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "dunmere.txt", BRIDGE)
    assert docqa.ask("Who is the council's chief executive?", [], generator="extractive").abstained
    assert_cited_answer(docqa.ask("Who is the opposition leader?", [], generator="extractive"), "Peter Quayle")


@pytest.mark.slow
def test_the_rival_of_the_company_a_story_is_about(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "pellworth.txt", STORY)
    answer = docqa.ask("Which company is Pellworth Tools' biggest competitor?", [], generator="extractive")
    assert_cited_answer(answer, "Hirewell Group")


@pytest.fixture
def bridge_and_minutes(fresh_docqa, tmp_path):
    ingest_text(fresh_docqa, tmp_path, "dunmere.txt", BRIDGE)
    return ingest_text(fresh_docqa, tmp_path, "brookside.txt", MINUTES)


@pytest.mark.slow
def test_it_after_an_answer_naming_a_leak_is_the_leak(bridge_and_minutes):
    history = chat("Why did the water bill go up?", "Because of a leak near the standpipe by plot 17.")
    assert_cited_answer(bridge_and_minutes.ask("Who fixed it?", history, generator="extractive"), "Dripstop Plumbing")


@pytest.mark.slow
def test_they_after_a_question_about_shops_are_the_shops(bridge_and_minutes):
    history = chat("What help is the council offering shops?", "A grant of up to £2,000 towards lost trade.")
    assert_cited_answer(bridge_and_minutes.ask("When can they apply?", history, generator="extractive"), "10 March")

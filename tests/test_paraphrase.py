"""Questions worded otherwise than their answer: a phrasal verb ("coming out") for the document's one word
("release"), everyday words for the same relation ("spend" / "budget", "still" / "remains"), and "where did she
work?" answered by an employer. The sentences below were written for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.generate import GenerationRequest
from qa.models import Chunk, Passage
from qa.relation import says_asked_relation
from qa.text import concepts, content_stems, stem, stems
from tests.conftest import ingest_text

MINUTES = """Brightwell Cycles: Product Meeting

Present: Orla Finch (Product Lead), Dev Sharma (Engineering), Maeve Cole (Finance)

1. Roadmap app 2.0

- The release was planned for Tuesday 14 October.
- Decision: new release date is Thursday 6 November 2025.
- The map supplier changed its licence terms without notice, so the offline maps must be rebuilt.

2. Staffing

- Orla asked for a second tester before the launch. Maeve confirmed the budget can stretch to £2,100 a month.
- Dev's predecessor, Aoife Lynch, retired in June and remains with the company as a part-time adviser until May.
"""


@pytest.mark.parametrize("phrase,verb", [
    ("When is the app coming out?", "release"),
    ("Who took over from Aoife?", "succeed"),
    ("When did she step down?", "resign"),
    ("How did they find out?", "discover"),
    ("Why was the launch pushed back?", "postpone"),
])
def test_a_phrasal_verb_reads_as_its_one_word(phrase, verb):
    assert stem(verb) in content_stems(phrase)
    assert stem(verb) in stems(phrase)


def test_found_alone_is_not_found_out():
    assert "discover" not in stems("The company was found to have misled investors.")
    assert "~found" in concepts("She founded the firm in 1990.")


@pytest.mark.parametrize("question,sentence", [
    ("How much can they spend?", "Maeve confirmed the budget can stretch to £2,100 a month."),
    ("Is she still with the company?", "She remains with the company as a part-time adviser."),
    ("Who did he take over from?", "He succeeds Aoife Lynch, who retired in June."),
    ("Why did it slip?", "The launch was delayed by a week."),
    ("When did the gallery buy it?", "The gallery acquired the vase in 1987."),
    ("How much did they pay for it?", "They bought it for £40,000."),
    ("When did she win the Harrow Medal?", "She was awarded the Harrow Medal in 2011."),
    ("When was he born?", "Ivo Lande (3 May 1901 – 9 June 1970) was a Welsh poet."),
])
def test_everyday_words_meet_the_documents_word_for_the_same_relation(question, sentence):
    assert concepts(question) & concepts(sentence)


@pytest.mark.parametrize("word", ["using", "used", "uses", "use"])
def test_short_forms_of_use_share_a_stem(word):
    assert stem(word) == "use"


@pytest.mark.parametrize("question,kind", [
    ("Where did she work before that?", "name"),
    ("Where was he working at the time?", "name"),
    ("Where was she born?", "place"),
    ("Where did she post it?", "venue"),
])
def test_where_someone_worked_asks_for_an_employer_or_a_place(question, kind):
    assert answer_type(question).kind == kind


@pytest.mark.parametrize("sentence,offered", [
    ("Finch, who joined Brightwell from the outdoor retailer Peakline Sports in 2021, leads the team.", True),
    ("She worked in Galway for a decade.", True),
    ("She has led the product team since 2021.", False),
])
def test_an_employer_answers_where_she_worked(sentence, offered):
    question = "Where did she work before that?"
    assert offers(sentence, answer_type(question), question) is offered


def _request(question: str, sentence: str) -> GenerationRequest:
    chunk = Chunk("c0", "d0", "minutes.md", 0, 0, len(sentence), sentence)
    return GenerationRequest(question=question, query=question, passages=(Passage(chunk, 1.0),))


def test_the_asked_relation_may_be_said_in_other_words():
    budget = "Maeve confirmed the budget can stretch to £2,100 a month."
    assert says_asked_relation(_request("How much can they spend on the tester?", budget), budget)
    assert not says_asked_relation(_request("How much did they earn from the tester?", budget), budget)
    released = "Decision: new release date is Thursday 6 November 2025."
    assert says_asked_relation(_request("When is the app coming out now?", released), released)
    assert not says_asked_relation(_request("When is the app coming out now?", "The tester starts on 6 November."),
                                   "The tester starts on 6 November.")


@pytest.fixture
def minutes(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "product_meeting.md", MINUTES)


@pytest.mark.slow
def test_minutes_answer_questions_worded_otherwise(minutes):
    coming = minutes.ask("When's the app 2.0 coming out now?", generator="extractive")
    assert not coming.abstained, coming.flags
    assert "6 November" in coming.answer
    history = [{"role": "user", "content": "Who was Dev's predecessor?"},
               {"role": "assistant", "content": "Aoife Lynch."}]
    still = minutes.ask("Is she still with the company?", history, generator="extractive")
    assert not still.abstained, still.flags
    assert "part-time adviser" in still.answer
    assert all(c.text in MINUTES for c in still.citations)


def test_the_dates_of_a_life_say_born_and_died_except_with_them_taken_out():
    """A date question reads "(3 May 1901 – 9 June 1970)" as born and died; a place question reads the sentence
    without it, as those dates tell no one where he was born (text written for this test)."""
    from qa.text import without_lifespan

    sentence = "Ivo Lande (3 May 1901 – 9 June 1970) was a Welsh poet."
    assert {"born", stem("died")} <= stems(sentence)
    assert not {"born", stem("died")} & stems(without_lifespan(sentence))

"""What news stories and reports say about themselves and their subjects: the byline and dateline under the
headline, an age in commas after a name, an amount asked for by what it is ("how much profit"), and "the company"
for the company a story is about. The story below was written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.bylines import asks_author, asks_publication_date, byline_answer, is_byline
from qa.models import Chunk, Passage
from qa.short_answer import short_answer
from qa.text import stems
from tests.conftest import ingest_text

STORY = """Brannock Tiles to shut two kilns as sales slide

By Mira Castell, Industry Reporter
14 May 2026

Ceramics maker Brannock Tiles is to shut two of its five kilns, putting 210 jobs at risk, after a slump in orders from house builders.

The company reported pre-tax profit of £6.2m for the year to March, down from £9.8m the year before. Sales fell 12% to £88m.

Chief executive Anton Reyes, 52, said the decision was "the hardest of my career". The firm will keep its Stoke showroom open.

Ivo Lande, an analyst at Marren Capital, said Brannock had been too slow to sell online. Brannock was founded in Stoke in 1921.
"""

REPORT = """# Harbour Wall Survey - Interim Report

**Prepared by:** Ruth Okafor, Survey Lead
**Reporting period:** 2 March 2026 to 13 March 2026

The survey found cracks in four of the eleven wall sections.
"""


def _passage(text: str, doc: str = "d0", index: int = 0) -> Passage:
    return Passage(Chunk(f"{doc}-{index}", doc, f"{doc}.txt", index, 0, len(text), text,
                         title=text.split("\n", 1)[0]), 1.0)


@pytest.mark.parametrize("question,author,date", [
    ("Who wrote the article about the kilns?", True, False),
    ("Who wrote it?", True, False),
    ("Who prepared the survey report?", True, False),
    ("Who wrote the guide to tuning the kiln?", True, False),  # docs call themselves guides, HOWTOs, overviews
    ("Who wrote the overview of what's new in it?", True, False),
    ("When was the story published?", False, True),
    ("When was it written?", False, True),
    ("Who wrote the first kiln controller?", False, False),  # about something the story reports, not the story
    ("When was the survey published?", False, False),
])
def test_questions_about_the_document_itself(question, author, date):
    assert asks_author(question) is author
    assert asks_publication_date(question) is date


def test_the_byline_and_dateline_answer_who_wrote_it_and_when():
    passages = [_passage(STORY)]
    assert byline_answer("Who wrote the article about the kilns?", passages) == \
        ("Mira Castell", 0, "By Mira Castell, Industry Reporter")
    assert byline_answer("When was the article published?", passages) == ("14 May 2026", 0, "14 May 2026")
    assert byline_answer("Who prepared the report?", [_passage(REPORT)]) == \
        ("Ruth Okafor", 0, "Prepared by:** Ruth Okafor, Survey Lead")
    assert byline_answer("Who is the chief executive?", passages) is None
    assert is_byline("By Mira Castell, Industry Reporter") and not is_byline("By then the kilns were cold.")
    mail = _passage("From: Ines Varga <ines@example.org>\nTo: Tom Vey\nSubject: Kiln rota\n\nHi Tom, the rota is attached.")
    assert byline_answer("Who wrote the email about the kiln rota?", [mail])[0] == "Ines Varga"


def test_only_the_opening_lines_of_the_best_passages_document_are_read():
    later = _passage(STORY, index=3)  # a later chunk of the story: its lines are no byline
    assert byline_answer("Who wrote the article?", [later]) is None
    other = _passage(REPORT, doc="d1")
    assert byline_answer("Who wrote the report?", [other, _passage(STORY)]) == \
        ("Ruth Okafor", 0, "Prepared by:** Ruth Okafor, Survey Lead")  # the best passage's document, not the first byline
    assert byline_answer("By whom was it written?", [_passage("By the river we sat.\nNothing else.")]) is None


@pytest.mark.parametrize("sentence,short", [
    ("Chief executive Anton Reyes, 52, said the decision was hard.", "52"),
    ("The trial followed Ada Brisk, aged 31, for a year.", "aged 31"),
    ("QUAYLE, 16, SEALS TITLE FOR HARBURN IN FINAL OVER", "16"),  # a headline's capitals
])
def test_an_age_in_commas_after_a_name_answers_how_old(sentence, short):
    wanted = answer_type("How old is he?")
    assert offers(sentence, wanted, "How old is he?")
    assert short_answer("How old is he?", wanted, sentence) == short
    assert not offers("In the year to March, 12, the sales fell.", wanted, "How old is he?")
    assert not offers("ROUTE A, 12, B AND C CLOSED", wanted, "How old is he?")  # capitals with no verb after
    # the ages of the people a study followed are no one's age
    assert not offers("The trial followed 900 people aged between 18 and 30.", wanted, "How old is the lead author?")


@pytest.mark.parametrize("question", ["How much profit did Brannock make?", "How much revenue did it report?",
                                      "How much rent do they pay?", "How much was the deposit?"])
def test_how_much_of_an_amount_of_money_asks_for_money(question):
    assert answer_type(question).kind == "money"


@pytest.mark.parametrize("question", ["What is his salary?", "What is Anton Reyes's salary?", "What's the rent for it?"])
def test_what_is_a_salary_or_rent_needs_an_amount_of_money(question):
    wanted = answer_type(question)
    assert (wanted.kind, wanted.strict) == ("money", True)
    assert not offers("Chief executive Anton Reyes, 52, said the decision was hard.", wanted, question)
    assert answer_type("What is the fee structure like?").kind is None  # a compound noun, not an amount


def test_the_byline_is_read_as_who_wrote_the_text():
    assert "written" in stems("By Mira Castell, Industry Reporter")
    assert "written" not in stems("By then the kilns were cold.")
    assert {"written", "prepar"} <= stems("**Prepared by:** Ruth Okafor")  # the byline's own words stay, for citing


@pytest.fixture
def story(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "brannock_kilns.txt", STORY)


@pytest.mark.slow
def test_a_story_answers_who_wrote_it_when_and_about_its_company(story):
    author = story.ask("Who wrote the article about the kilns?", generator="extractive")
    assert author.short_answer == "Mira Castell", author.answer
    assert [c.text for c in author.citations] == ["By Mira Castell, Industry Reporter"]
    history = [{"role": "user", "content": "Who wrote the article about the kilns?"},
               {"role": "assistant", "content": author.answer}]
    when = story.ask("When was it published?", history, generator="extractive")
    assert when.short_answer == "14 May 2026", (when.query, when.answer)
    profit = story.ask("How much profit did Brannock Tiles make?", generator="extractive")
    assert profit.short_answer == "£6.2m", profit.answer  # "The company reported ...": the story's company
    history = [{"role": "user", "content": "Who runs Brannock Tiles?"},
               {"role": "assistant", "content": "Anton Reyes [1]. Chief executive Anton Reyes, 52, said the decision "
                                                "was \"the hardest of my career\" [1]."}]
    age = story.ask("How old is he?", history, generator="extractive")
    assert age.short_answer == "52", age.answer


@pytest.mark.parametrize("question,sentence,short", [
    ("What is Ivo Lande's job?", "Ivo Lande, an analyst at Marren Capital, said Brannock had been too slow.",
     "An analyst at Marren Capital"),
    ("What's Mira Castell's role?", "By Mira Castell, Industry Reporter", "Industry Reporter"),
    ("What is Anton Reyes's position?", "Chief executive Anton Reyes, 52, said it was hard.", "Chief executive"),
])
def test_a_job_in_commas_after_the_asked_name_answers_what_their_job_is(question, sentence, short):
    assert short_answer(question, answer_type(question), sentence) == short
    assert "job" in stems(sentence) or short is None  # so the sentence says the asked relation


CHANGED_PLAN = """Brannock kiln closures pushed back

The two kilns were originally due to close on 30 June 2026.

Managers said on Friday that they will close on 25 September 2026 instead, to finish the hospital tile order.
"""


@pytest.fixture
def story_and_update(fresh_docqa, tmp_path):
    ingest_text(fresh_docqa, tmp_path, "brannock_kilns.txt", STORY)
    return ingest_text(fresh_docqa, tmp_path, "brannock_update.txt", CHANGED_PLAN)


@pytest.mark.slow
def test_follow_ups_ask_for_another_year_the_plan_now_and_something_new(story_and_update):
    docqa = story_and_update
    question = "How much profit did Brannock Tiles make?"
    profit = docqa.ask(question, generator="extractive")
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": profit.answer}]
    before = docqa.ask("And the year before?", history, generator="extractive")
    assert before.query.startswith("How much profit did Brannock Tiles make the year before?"), before.query
    assert before.short_answer == "£9.8m", before.answer  # not the £6.2m just given
    now = docqa.ask("When will the kilns close now?", generator="extractive")
    assert not now.abstained and "25 September 2026" in now.answer.split("[")[0], now.answer
    history = [{"role": "user", "content": "Who runs Brannock Tiles?"},
               {"role": "assistant", "content": "Anton Reyes [1]. Chief executive Anton Reyes, 52, said the decision "
                                                "was \"the hardest of my career\" [1]."}]
    earlier = docqa.ask("Which tile company was he at before?", history, generator="extractive")
    assert earlier.abstained, earlier.answer  # the story names no other company: "Brannock Tiles" is no answer


@pytest.mark.parametrize("question,sentence,short", [
    ("How old were they?", "The survey followed 2,150 walkers aged between 35 and 70 for six years.", "aged between 35 and 70"),
    ("How old are the volunteers?", "The trial will recruit 600 volunteers aged over 65.", "aged over 65"),
    ("How old was she when she died?", "She died in Harrowgate at the age of 81.", "age of 81"),
])
def test_an_age_range_answers_for_several_people_and_at_the_age_of_for_one(question, sentence, short):
    wanted = answer_type(question)
    assert offers(sentence, wanted, question)
    assert short_answer(question, wanted, sentence) == short

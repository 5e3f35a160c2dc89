"""Answers read in their context: a speaker named before the quotation, a question the text asks and answers, a
surname-only person behind "he", and a definitional "who is" turn, on a story written for these tests (no dev or
test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import AnswerType, answer_type
from qa.compose import Evidence, compose
from qa.generate import GenerationRequest
from qa.generators.extractive import cross_query
from qa.generators.spans import asked_before, candidate_spans
from qa.models import Chunk, Passage
from qa.rewrite import rewrite_query
from qa.short_answer import short_answer
from qa.statements import asked_speaker, states
from tests.conftest import ingest_text

STORY = """Harbour council votes to close the old swimming baths

Councillor Mira Okafor, who chairs the leisure committee, criticised the closure as short-sighted.
“The baths have served this town for ninety years. Closing them now is a false economy,” she wrote on Mastodon.
Council leader Tom Brennan defended the vote. So what will happen to the building? It will be sold to a housing developer next spring.
Brennan phoned the regional minister on Monday and asked for a repair grant.
The council says repairs to the roof would cost £1.2 million.
"""


def _sentences(text: str):
    chunk = Chunk("c0", "d0", "story.txt", 0, 0, len(text), text)
    return {s.sentence: s for s in candidate_spans([Passage(chunk, 1.0)]) if s.text == s.sentence}


def test_a_question_the_text_asks_is_no_candidate_but_the_answer_after_it_is_read_with_it():
    spans = _sentences(STORY)
    assert not any(sentence.endswith("?") for sentence in spans)
    answer = spans["It will be sold to a housing developer next spring."]
    assert asked_before(answer) == "So what will happen to the building?"
    assert asked_before(spans["Brennan phoned the regional minister on Monday and asked for a repair grant."]) == ""


@pytest.mark.parametrize("history,expected", [
    # A surname alone reads as no sure person, yet it is all "he" can point at.
    ([{"role": "user", "content": "What did Brennan ask the minister for?"},
      {"role": "assistant", "content": "A repair grant [1]."}], "Brennan"),
    # "Who is X?" is answered by what X is: "Harbour" in the answer is no person.
    ([{"role": "user", "content": "Who is Tom Brennan?"},
      {"role": "assistant", "content": "The Harbour council leader."}], "Tom Brennan"),
])
def test_he_points_at_the_person_the_user_asked_about(history, expected):
    query = rewrite_query("When did he phone the minister?", history)
    assert query.startswith(f"When did {expected} phone the minister?"), query


@pytest.mark.parametrize("question,kind", [
    ("Where does Okafor stand on the closure?", None),
    ("Where did the councillor stand on the plan?", None),
    ("Where does the council meet?", "place"),
    ("Where did Okafor write it?", "venue"),
])
def test_where_someone_stands_asks_for_a_position_not_a_place(question, kind):
    assert answer_type(question).kind == kind


def test_a_companion_supports_a_best_sentence_that_already_gives_the_asked_type_rather_than_replacing_it():
    best = Evidence(0, 0, 40, "He phoned the regional minister on Monday.")
    bridge = Evidence(1, 0, 50, "Brennan had phoned the minister Ian Pell once before.")
    other = Evidence(2, 0, 40, "Ian Pell was first elected in 2015.")
    question = "When did Brennan phone the minister?"
    composed = compose(question, answer_type(question), best, best.text, [best, bridge, other], ["Brennan"],
                       lambda texts: [0.5] * len(texts))
    assert best in composed.sentences and other not in composed.sentences, composed


def test_the_short_answer_to_who_names_the_speaker_before_the_quotation():
    lead = Evidence(0, 0, 90, "Councillor Mira Okafor, who chairs the leisure committee, criticised the closure.")
    quote = Evidence(0, 180, 250, "Closing them now is a false economy,” she wrote on Mastodon.")
    question = "Who called the closure a false economy?"
    composed = compose(question, AnswerType("person", strict=True), quote, quote.text, [lead, quote], [], lead=lead)
    assert "Mira Okafor" in composed.short


@pytest.fixture
def story(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "baths.txt", STORY)


@pytest.mark.slow
def test_the_speaker_of_a_quotation_answers_who_said_it(story):
    answer = story.ask("Who called closing the baths a false economy?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert "Okafor" in (answer.short_answer or ""), answer.answer
    assert any("false economy" in c.text for c in answer.citations)


@pytest.mark.slow
def test_the_answer_after_a_question_in_the_text_is_the_answer(story):
    answer = story.ask("What will happen to the building?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert "sold to a housing developer" in answer.answer
    assert "?" not in answer.answer


@pytest.mark.slow
def test_he_after_a_surname_only_question_finds_the_day(story):
    history = [{"role": "user", "content": "What did Brennan ask the minister for?"},
               {"role": "assistant", "content": "A repair grant [1]."}]
    answer = story.ask("When did he phone the minister?", history, generator="extractive")
    assert "Brennan" in answer.query
    assert not answer.abstained, answer.flags
    assert "Monday" in answer.answer


@pytest.mark.parametrize("question,speaker", [
    ("What did Okafor say about the closure?", "Okafor"),
    ("What did Councillor Mira Okafor say after the vote?", "Okafor"),
    ("And what did Brennan say? Okafor write", "Brennan"),  # a standalone query with carried terms
    ("What did Okafor say the baths had done?", None),  # a fact inside the statement, not the statement
    ("What did the PEP say?", None),
    ("What did Okafor chair?", None),
])
def test_a_question_asking_for_a_statement_names_its_speaker(question, speaker):
    assert asked_speaker(question) == speaker


def test_a_statement_is_reported_words_of_the_speaker_not_a_mention_of_them():
    assert states("Councillor Mira Okafor, who chairs the leisure committee, criticised the closure.", "Okafor")
    assert states("“We will appeal,” said Okafor.", "Okafor")
    assert states("The plan is short-sighted, according to councillor Okafor.", "Okafor")
    assert states("Closing them now is a false economy,” she wrote on Mastodon.", "Okafor",
                  lead="Councillor Mira Okafor criticised the closure.")
    assert not states("Council leader Tom Brennan defended the vote against Okafor.", "Okafor")
    assert not states("Officials have said that Okafor will not stand again.", "Okafor")


@pytest.mark.slow
def test_a_statement_nobody_reports_is_not_made_up(story):
    answer = story.ask("What did Brennan say about the closure?", generator="extractive")
    assert answer.abstained, answer.answer
    said = story.ask("What did Okafor say about the closure?", generator="extractive")
    assert not said.abstained, said.flags
    assert "short-sighted" in said.answer or "false economy" in said.answer


@pytest.mark.parametrize("question,sentence,expected", [
    # The place after "within the", not the sentence's subject.
    ("Where may the regiment use the rockets?",
     "The White House signed off on the use of the rockets within the Kursk region.", "Kursk"),
    # "Russia" is what "Which Russian city" already says.
    ("Which Russian city did the strike hit?", "The first strike within Russia hit Belgorod.", "Belgorod"),
    # Only a place skips the article: "by the Harbour Trust" names no author.
    ("Who chairs the leisure committee?", "Mira Okafor chairs the leisure committee, a post created by the "
                                          "Harbour Trust.", "Mira Okafor"),
    # An eponym is the answer, not a word the question already says.
    ("Who is the Okaforian plan named after?", "The plan is named after Mira Okafor, who drafted it for the "
                                               "Harbour Trust.", "Mira Okafor"),
])
def test_a_place_answer_is_the_place_named_after_a_locative_and_not_one_the_question_says(question, sentence,
                                                                                         expected):
    assert short_answer(question, answer_type(question), sentence) == expected


@pytest.mark.parametrize("question,query,expected", [
    # The question brings its own subject: the previous turn's words would only mislead the cross-encoder.
    ("And what did Brennan say?", "And what did Brennan say? Okafor write", "And what did Brennan say?"),
    # "he" and "that" still lean on what was carried.
    ("When did he phone Pell?", "When did he phone Pell? Brennan ask", "When did he phone Pell? Brennan ask"),
    ("Which PEP set that schedule?", "Which PEP set that schedule? annual releases",
     "Which PEP set that schedule? annual releases"),
    ("When did the council vote?", "When did the council vote?", "When did the council vote?"),
])
def test_the_cross_encoder_reads_carried_terms_only_when_the_question_leans_on_them(question, query, expected):
    assert cross_query(GenerationRequest(question=question, query=query, passages=())) == expected

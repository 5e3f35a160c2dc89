"""Answers read in their context: a speaker named before the quotation, a question the text asks and answers, a
surname-only person behind "he", and a definitional "who is" turn, on a story written for these tests (no dev or
test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import AnswerType, answer_type, count_matches, offers
from qa.compose import Evidence, compose
from qa.generate import GenerationRequest
from qa.entities import cross_query
from qa.ellipsis import complete_ellipsis
from qa.generators.spans import asked_before, candidate_spans, previous_answer
from qa.models import Chunk, Passage
from qa.rewrite import rewrite_query
from qa.short_answer import short_answer, unsaid
from qa.statements import asked_speaker, states
from tests.conftest import ingest_text

STORY = """Harbour council votes to close the old swimming baths

Councillor Mira Okafor, who chairs the leisure committee, criticised the closure as short-sighted.
“The baths have served this town for ninety years. Closing them now is a false economy,” she wrote on Mastodon.
Council leader Tom Brennan defended the vote. So what will happen to the building? It will be sold to a housing developer next spring.
Brennan phoned the regional minister on Monday and asked for a repair grant.
The council says repairs to the roof would cost £1.2 million.
The baths now employ 14 lifeguards, down from 30 before the cuts.
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
    # "she" resolved to a name keeps what was carried: dropping it lost more dev answers than it gained
    ("Why does she doubt the results?", "Why does Sarah Lindqvist doubt the results? caveat expert study",
     "Why does Sarah Lindqvist doubt the results? caveat expert study"),
    # a bare "Why?" is what was carried
    ("Why?", "Why? profit Tarrant Lowe", "Why? profit Tarrant Lowe"),
    # A question saying its own subject in plain words ("the stitches") reads alone; one pointing back with a
    # number, an ordinal or "one" still leans on what was carried.
    ("And when are the stitches due out?", "And when are the stitches due out? Colin Marsh's fracture clinic",
     "And when are the stitches due out?"),
    ("Which of the two fell further?", "Which of the two fell further? wheat potato yields",
     "Which of the two fell further? wheat potato yields"),
    ("How are the later names chosen?", "How are the later names chosen? LTS code names",
     "How are the later names chosen? LTS code names"),
    ("How do I turn an old comparison function into one?",
     "How do I turn an old comparison function into one? key function sorting",
     "How do I turn an old comparison function into one? key function sorting"),
    ("Where does it download them from?", "Where does pip download them from? installs packages",
     "Where does pip download them from? installs packages"),
])
def test_the_cross_encoder_reads_carried_terms_only_when_the_question_leans_on_them(question, query, expected):
    assert cross_query(GenerationRequest(question=question, query=query, passages=())) == expected


@pytest.mark.parametrize("answer,value", [
    ("27 people [1]. By moving the CVS tree to SourceForge, ... [1].", "27 people"),
    ("27.", "27"),
    ("Yes, with the object_pairs_hook parameter.", "with the object_pairs_hook parameter"),
    ("I could not find this in the documents.", ""),
    ("The baths have served this town for ninety years and closing them now would be a false economy, she says.", ""),
])
def test_the_previous_answer_is_the_value_the_assistant_gave(answer, value):
    assert previous_answer([{"role": "user", "content": "?"}, {"role": "assistant", "content": answer}]) == value


def test_what_the_previous_answer_gave_is_blanked_with_offsets_kept():
    text = "The baths now employ 14 lifeguards, down from 30; Tom Brennan hired 140."
    blank = unsaid(text, "14 lifeguards, says Tom Brennan")
    assert len(blank) == len(text) and "14 " not in blank and "Brennan" not in blank and "30" in blank
    assert "140" in blank  # whole numbers only
    assert "Brennan" in unsaid(text, "Tom Brennan", names=False)


def test_an_amount_said_before_is_blanked_with_its_scale_but_not_a_longer_number():
    text = "Profit fell to £6m from £9m, the 6th fall in a row; the firm cut 60 jobs and 6mm of slack."
    blank = unsaid(text, "£6m.")
    assert "£6m" not in blank and "£9m" in blank  # "m" is the amount's scale: the same £6m
    assert "6th" in blank and "60 jobs" in blank and "6mm" in blank  # a rank, a longer number, another unit


@pytest.mark.parametrize("question,wanted,sentence,exclude,expected", [
    # "And before?" after "14 lifeguards.": the other number of the sentence.
    ("How many lifeguards did the baths employ before?", AnswerType("count", noun="lifeguards", strict=True),
     "The baths now employ 14 lifeguards, down from 30 before the cuts.", "14 lifeguards", "30"),
    # "Who wrote it?" after "Mira Okafor." (who proposed it): the other person.
    ("Who wrote the plan?", AnswerType("person", strict=True),
     "Mira Okafor proposed the plan and Tom Brennan wrote it.", "Mira Okafor", "Tom Brennan"),
])
def test_a_follow_up_short_answer_is_not_the_answer_just_given(question, wanted, sentence, exclude, expected):
    assert short_answer(question, wanted, sentence, exclude=exclude) == expected


@pytest.mark.parametrize("subject,previous,expected", [
    ("before", "How many people could check in changes after that?",
     "How many people could check in changes before that?"),
    ("after", "Who ran the club before 2010?", "Who ran the club after 2010?"),
    ("before", "How many lifeguards do the baths employ?", "How many lifeguards do the baths employ before?"),
])
def test_and_before_asks_the_previous_question_for_the_other_side_of_its_time(subject, previous, expected):
    assert complete_ellipsis(subject, previous) == expected


@pytest.mark.slow
def test_and_before_answers_the_other_number_not_the_one_just_given(story):
    history = [{"role": "user", "content": "How many lifeguards do the baths employ?"},
               {"role": "assistant", "content": "14 lifeguards [1]. The baths now employ 14 lifeguards, down from 30 "
                                                "before the cuts [1]."}]
    answer = story.ask("And before?", history, generator="extractive")
    assert "before" in answer.query and "lifeguards" in answer.query, answer.query
    assert not answer.abstained, answer.flags
    assert answer.short_answer == "30", answer.answer


@pytest.mark.parametrize("question,sentence,offered", [
    # Asked where someone was born: a name after a preposition, never a birth date.
    ("In which city was the harbour master born?", "Mira Okafor (born 12 January 1961) is the harbour master.",
     False),
    ("In which city was the harbour master born?", "She was born in Čáslav, then part of Czechoslovakia.", True),
    ("In which city was the harbour master born?", "She was born in March 1961.", False),
    ("Which countries did the council write to?", "The council wrote to Britain and France.", True),
    # A person is not the name after "in": the town a company was founded in.
    ("Who runs the Harbour Trust?", "The Harbour Trust, founded in Reading in 1978, runs the baths.", False),
    ("Who runs the Harbour Trust?", "Chief executive Tom Brennan runs the Harbour Trust.", True),
])
def test_a_place_or_person_is_offered_only_where_the_sentence_says_one(question, sentence, offered):
    assert offers(sentence, answer_type(question), question) is offered


def test_the_first_hop_of_a_bridge_question_need_not_name_the_place_yet():
    question = "In which city was the director of Harbour Lights born?"
    first_hop = "Harbour Lights is a 1975 film directed by Mira Okafor."
    assert not offers(first_hop, answer_type(question), question)
    assert offers(first_hop, answer_type(question), question, located=False)


@pytest.mark.parametrize("sentence,offered,short", [
    ("Installed tallyctl-3.1.4 and removed the old copy.", False, None),  # a release number is no venue
    ("By default it downloads them from files.tallyctl.org.", True, "files.tallyctl.org"),
])
def test_a_dotted_release_number_is_no_place_to_download_from(sentence, offered, short):
    question = "Where does it download the archives from by default?"
    assert offers(sentence, answer_type(question), question) is offered
    assert short_answer(question, answer_type(question), sentence) == short


@pytest.mark.parametrize("sentence,expected", [
    ("LONDON, 26 March 2025 - the baths will shut, putting 14 jobs at risk.", "14 jobs"),
    ("On March 26 the council cut 14 jobs.", "14 jobs"),
])
def test_the_day_of_a_date_is_no_count(sentence, expected):
    question = "How many jobs were cut?"
    assert short_answer(question, answer_type(question), sentence) == expected
    assert not count_matches("LONDON, 26 March 2025 - the baths will shut.", None)[0]



@pytest.mark.parametrize("sentence,offered,short", [
    ("In 1892 the baths moved to Marsh Road.", False, None),
    ("The baths opened on 3 May 1884.", False, None),
    ("The baths hold 1,276 swimmers, up from 900 in 1994.", True, "1,276"),
])
def test_a_year_or_a_day_is_no_number_of_anything(sentence, offered, short):
    question = "What is the capacity of the baths?"
    assert offers(sentence, answer_type(question), question) is offered
    assert short_answer(question, answer_type(question), sentence) == short


def test_how_much_is_answered_by_an_amount_of_money_beside_a_date():
    question = "How much profit did the Harbour Trust make this year?"
    sentence = "The trust reported a profit of £97m for the year to 31 January 2025, down from £143m."
    assert offers(sentence, answer_type(question), question)
    assert short_answer(question, answer_type(question), sentence) == "£97m"


@pytest.mark.parametrize("text,noun,counts", [
    ("Paid membership stands at 63 (52 adults and 11 juniors).", "members", True),
    ("The number of pupils is 212 this term.", "pupils", True),
    ("Two members have not yet renewed.", "members", True),
    ("The society meets at 7 Mill Lane.", "members", False),
    ("Membership fees rose to 25 pounds.", "members", False),
])
def test_a_count_may_name_what_it_counts_just_before_it(text, noun, counts):
    assert count_matches(text, noun)[1] is counts

"""Texts written for these tests: names that modify a noun, background places, volumes, labels and datelines."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, count_matches, offers
from qa.conversation import conversation_mentions
from qa.name_kinds import is_plural, no_person_at
from qa.rewrite import standalone_query
from qa.short_answer import short_answer


def _history(*turns: str) -> list[dict[str, str]]:
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": text} for i, text in enumerate(turns)]


_BRIDGE = _history(
    "Why was the footbridge in Tolsey closed?", "Because of cracked welds [1]. The bridge was closed after cracked welds were found [1].",
    "When did that happen?",
    "12 June [1]. The Corran Street footbridge, which joins the Millfield estate to the high street, was shut on 12 June [1].")


def test_the_verb_after_that_names_no_thing_it_could_mean():
    rewritten = standalone_query("How much will it cost to repair?", _BRIDGE, mode="rules")
    assert "the happen" not in rewritten
    assert rewritten.startswith("How much will the Corran Street footbridge cost to repair?")


def test_a_name_before_a_common_noun_names_that_thing():
    named = {(m.text, m.kind) for m in conversation_mentions(_BRIDGE)}
    assert ("Corran Street footbridge", "thing") in named and ("Millfield estate", "thing") in named
    assert ("Millfield", "thing") not in named


def test_a_place_in_a_supporting_sentence_is_not_what_it_means():
    history = _history("How far away can you hear the bell?",
                       "6 miles [1]. Made in Belgium in 1902, it weighs two tonnes [2]. It can be heard 6 miles away [1].")
    rewritten = standalone_query("Who rang it?", history, mode="rules")
    assert "Belgium" not in rewritten.partition("?")[0]
    assert "bell" in rewritten.partition("?")[0]


def test_a_place_answering_where_is_still_what_there_means():
    history = _history("Where was the bell cast?", "In Belgium [1]. The bell was cast in Belgium in 1902 [1].")
    assert "Belgium" in standalone_query("What else was made there?", history, mode="rules")


@pytest.mark.parametrize("word,plural", [("lens", False), ("series", False), ("lenses", True), ("bells", True)])
def test_nouns_ending_in_s_that_are_singular(word, plural):
    assert is_plural(word) is plural


@pytest.mark.parametrize("question", ["How much oil does the fryer hold?", "How much water can the urn take?"])
def test_how_much_liquid_something_holds_asks_for_a_volume(question):
    assert answer_type(question).kind == "volume"
    sentence = "Mix one part bleach to two parts water; the fryer and the urn each hold 2.5 litres."
    assert short_answer(question, answer_type(question), sentence) == "2.5 litres"


def test_how_much_liquid_without_holding_stays_a_number():
    assert answer_type("How much water did the village use in May?").kind != "volume"


def test_how_much_further_asks_for_a_distance():
    question = "How much further is it by the diversion?"
    assert answer_type(question).kind == "distance"
    sentence = "Parents of two pupils said the diversion adds roughly 1.5 miles to the walk."
    assert short_answer(question, answer_type(question), sentence) == "1.5 miles"


def test_a_numbered_label_is_no_count():
    question = "How many members does the rowing club have?"
    wanted = answer_type(question)
    assert count_matches("Cllr Ames declared an interest in item 7 as a member of the rowing club.", wanted.noun) == (False, False)
    assert count_matches("The rowing club now has 140 members.", wanted.noun) == (True, True)
    assert not offers("See page 12 for the club's members.", wanted, question)


def test_a_dateline_is_no_person():
    text = "PORT ELLERY - Seagrass meadows recover faster near oyster reefs, a six-year study found."
    assert no_person_at(text, 0, len("PORT ELLERY"))
    assert not no_person_at("NASA said on Monday that the launch would slip.", 0, 4)
    assert not offers(text, answer_type("Who led the seagrass study?"), "Who led the seagrass study?")


def test_the_question_own_institution_with_its_full_name_is_no_answer_to_who():
    question = "Who led the survey at the Brandt Institute?"
    assert not offers("Founded in 1981, the Brandt Institute for Marine Studies employs 40 staff.", answer_type(question), question)
    assert offers("The survey was led by Dr Ines Varga of the Brandt Institute.", answer_type(question), question)


def test_a_short_field_line_with_a_value_is_a_candidate_and_no_heading():
    from qa.blocks import title_shaped
    from qa.generators.spans import candidate_spans
    from qa.models import Chunk, Passage

    text = ("## Fees\n\nSeason tickets for 2024:\n\nAdult: £42\nConcession (over 65 or under 18): £21\n"
            "Household (two adults and up to four children under 16): £90\nGuest: £6\n\nPrices rose because of the new roof.")
    spans = {s.text for s in candidate_spans([Passage(Chunk("c", "d", "fees.md", 0, 0, len(text), text), 1.0)])}
    assert "Adult: £42" in spans and "Guest: £6" in spans
    assert "Household (two adults and up to four children under 16): £90" in spans  # a long field is no wrapped line
    assert not title_shaped("Adult: £42") and title_shaped("Chapter 4: The Return")


def test_lines_of_a_field_list_are_separate_sentences_while_wrapped_prose_is_not():
    from qa.text import sentence_spans

    fields = "Original bell: bronze, cast at Whitechapel in 1884\nVisitors in 2022: 9,300\n"
    assert [fields[s:e] for s, e in sentence_spans(fields, 0, len(fields))] == [
        "Original bell: bronze, cast at Whitechapel in 1884", "Visitors in 2022: 9,300"]
    prose = "The survey was carried out over two summers by volunteers from\nHarwick Rowing Club and its friends.\n"
    assert len(sentence_spans(prose, 0, len(prose))) == 1


def test_an_irregular_participle_opening_a_sentence_is_no_name():
    history = _history("How far away can you hear the bell?",
                       "6 miles [1]. Cast in Belgium in 1902, it weighs two tonnes [2]. It can be heard 6 miles away [1].")
    rewritten = standalone_query("Who rang it?", history, mode="rules")
    assert "Cast" not in rewritten and "bell" in rewritten.partition("?")[0]


def test_within_days_of_something_answers_by_when():
    question = "By when do I have to send the form back?"
    sentence = "Send the signed form to the club secretary within 14 days of joining to keep your place."
    assert offers(sentence, answer_type(question), question)
    assert short_answer(question, answer_type(question), sentence) == "within 14 days of joining"
    assert not offers("Send the signed form to the club secretary.", answer_type(question), question)


@pytest.mark.parametrize("turns, question, expected", [
    (("How many days do I get to return a tent to Harrowgate?",  # "their members": a named body's, not the days'
      "30 days [1]. You can return unused items within 30 days of delivery [1]."),
     "What if I'm in their members' club?", "What if I'm in Harrowgate's members' club?"),
    (("What tomato variety did Wenna grow this year?",  # a variety answering "what variety" is no "she"
      "This year I grew Rosa Bianca, a beefsteak variety with pale pink skin [1]."),
     "When did she sow the seeds?", "When did Wenna sow the seeds?"),
    (("Who founded the hospice on Wexcombe Road?",  # the thing a "who" question ends on, before a named road
      "Dr Ruth Kellaway [1]. | Location | Wexcombe Road, Harrowmere | [2]. Dr Ruth Kellaway was a physician [1]."),
     "What name did she want it to have?", "What name did Ruth Kellaway want the hospice to have?"),
])
def test_follow_ups_point_at_what_the_conversation_named(turns, question, expected):
    assert standalone_query(question, _history(*turns), mode="rules").startswith(expected)


def test_and_today_asks_the_same_for_now_not_about_today():
    history = _history("How many beds did the hospice have when it first opened?", "14 beds [1]. It opened in 1981 with 14 beds [1].")
    assert standalone_query("And today?", history, mode="rules") == "How many beds did the hospice have today?"
    history = _history("How many members did the club have?", "212 [1].")
    assert standalone_query("And now?", history, mode="rules").startswith("How many members did the club have now?")


def test_an_infobox_label_is_no_name_but_a_data_row_s_first_cell_is():
    named = {m.text for m in conversation_mentions(_history("Where is it?", "| Location | Wexcombe Road, Harrowmere | [1]."))}
    assert "Location" not in named and "Wexcombe Road" in named
    assert "Kerry" in {m.text for m in conversation_mentions(_history("Which county won?", "| County | Points | | Kerry | 12 | [1]."))}


def test_it_after_if_means_the_thing_the_question_just_named():
    history = _history("What's the advisory called?", "LSA-2024-001 [1].", "Who reported it?", "Marta Ilves [1].")
    rewritten = standalone_query("How do I get the old link behaviour back if I need it?", history, mode="rules")
    assert "LSA-2024-001" not in rewritten.partition("?")[0]
    assert standalone_query("Who reported it?", history[:2], mode="rules").startswith("Who reported LSA-2024-001?")


def test_the_team_after_an_acronym_s_lead_is_that_team():
    history = _history("Who is the QA lead on Lantern?", "Sofia Kerr [1].")
    assert standalone_query("How much extra budget is the team asking for?", history, mode="rules").startswith(
        "How much extra budget is the QA team asking for?")


def test_a_reflexive_pronoun_is_the_clause_s_own_subject_and_never_rewritten():
    history = _history("How many food parcels did the pantry hand out last year?", "24,915 parcels [1].")
    rewritten = standalone_query("How come they ended up having to buy food themselves?", history, mode="rules")
    assert rewritten.partition("?")[0].endswith("buy food themselves")


def test_a_kind_noun_already_ending_a_code_name_is_not_repeated():
    history = _history("How can I pretty-print a JSON file from the command line?", "Use python -m json.tool.")
    assert standalone_query("Who wrote the tool?", history, mode="rules").startswith("Who wrote the json.tool?")

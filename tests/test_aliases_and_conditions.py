"""Texts written for these tests: other names of one person, spouses sharing a surname, trades, causes of death,
reported questions, numbered minute headings, conditional cases, "instead", and a verb repeated about "they"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.aliases import alias_pairs, aliases_of, unaliased
from qa.answer_types import answer_type, count_matches, offers
from qa.blocks import numbered_over_prose
from qa.conversation import conversation_mentions
from qa.generate import GenerationRequest
from qa.generators.preference import saying_instead_first, unconditional_first
from qa.parallel import same_verb_subject
from qa.relation import _same_person, names_the_asked_one, says_asked_life_event
from qa.rewrite import standalone_query
from qa.short_answer import short_answer
from qa.text import sentence_spans
from tests.conftest import assert_cited_answer, chat, ingest_text, one_passage

OBITUARY = """Obituary: Eleanor "Nell" Carrow (1940-2025)

Eleanor Carrow, known to all as Nell, who died on 2 March at the age of 84, ran the Quayside Bakery in Porthallow
for forty years.

Nell was born Eleanor Mary Tresize in Falmouth. In 1962 she married Walter Carrow, a boatbuilder she had met at a
regatta. In 1979 she started the Porthallow Carnival together with the painter Idris Penhale, because she felt the
village needed a summer festival.
"""


def test_a_text_says_which_names_are_one_person():
    pairs = alias_pairs(OBITUARY)
    assert ("Eleanor Carrow", "Nell") in pairs and ("Nell", "Eleanor Mary Tresize") in pairs
    assert ("Eleanor Carrow", "Nell Carrow") in pairs  # the nickname between the given name and the surname
    found = aliases_of(["Nell"], [OBITUARY])
    assert found["Eleanor Carrow"] == "Nell" and found["Eleanor Mary Tresize"] == "Nell"
    assert "Walter Carrow" not in found and "Idris Penhale" not in found
    assert unaliased("Eleanor Carrow ran the bakery.", found) == "Nell ran the bakery."


def test_a_sentence_ending_is_no_part_of_a_name():
    assert ("January. Nell", "Eleanor Tresize") not in alias_pairs("She died in January. Nell was born Eleanor Tresize.")
    assert ("Nell", "Eleanor Tresize") in alias_pairs("She died in January. Nell was born Eleanor Tresize.")


@pytest.mark.parametrize("answer,asked,same", [
    (["Walter", "Carrow"], ["Nell", "Carrow"], False),  # her husband shares her surname, not her given name
    (["Mr", "Walter", "Carrow"], ["Mr", "Carrow"], True),  # the "Mr Carrow" asked about
    (["Walter", "Carrow"], ["Carrow"], True),
    (["Great", "Western", "Railway"], ["Great", "Britain"], False),
])
def test_one_surname_with_two_given_names_is_two_people(answer, asked, same):
    assert _same_person(answer, asked) is same


def _request(question: str, text: str = OBITUARY, history=()) -> GenerationRequest:
    return GenerationRequest(question, question, one_passage(text), tuple(history))


def test_a_spouse_is_no_repeat_of_the_asked_one_but_an_alias_is():
    assert not names_the_asked_one(_request("Who did Nell Carrow marry?"), "Walter Carrow")
    assert names_the_asked_one(_request("Who did Nell start the Porthallow Carnival with?"), "Eleanor Carrow")


def test_a_trade_given_beside_a_name_answers_what_someone_did_for_a_living():
    question = "What did Walter Carrow do for a living?"
    sentence = "In 1962 she married Walter Carrow, a boatbuilder she had met at a regatta."
    assert answer_type(question).kind == "role" and offers(sentence, answer_type(question), question)
    assert short_answer(question, answer_type(question), sentence) == "boatbuilder"


@pytest.mark.parametrize("question", ["What did Nell die of?", "What was the cause of her death?", "How did Nell die?"])
def test_a_cause_of_death_is_not_said_by_when_or_at_what_age(question):
    when = "Eleanor Carrow, who died on 2 March at the age of 84, ran the Quayside Bakery."
    assert not says_asked_life_event(_request(question), when)
    assert says_asked_life_event(_request(question), "Nell died of pneumonia on 2 March.")
    assert says_asked_life_event(_request("Where did Nell work?"), when)


def test_a_town_after_city_of_is_nobody():
    sentence = "The work was done by Garrow & Lisle Joinery, a firm based in the nearby town of Penmarrow."
    question = "Who was their site manager?"
    assert not offers(sentence, answer_type(question), f"{question} Who was Garrow's site manager?")
    firm = "Which firm did the work on the chapel roof?"
    assert short_answer(firm, answer_type(firm), sentence) == "Garrow & Lisle Joinery"


@pytest.mark.parametrize("text", ["Apologies were received from Cllr. Mary Oduya and Revd. Paul Lint.",
                                  "The motion was seconded by Capt. Hale and carried."])
def test_a_title_with_a_full_stop_ends_no_sentence(text):
    assert len(sentence_spans(text, 0, len(text))) == 1


MINUTES = """PENHALLOW TOWN COUNCIL
Minutes of the meeting held on 4 March 2025

4. Harbour Road parking
The council considered the survey of traders on Harbour Road. Of 64 traders asked, 40 replied, and 31 of these
wanted a two-hour limit.

5. Public questions
Mrs. Ann Lowe asked why the harbour steps had not been mended after the winter storms. The Clerk explained that the
council was still waiting for a quote from the harbour engineers, which was now expected in April.
"""


def test_a_numbered_line_over_a_paragraph_heads_it_but_a_list_item_does_not():
    assert numbered_over_prose("4. ", "Harbour Road parking", "\nThe council considered the survey of traders on it.")
    assert not numbered_over_prose("1. ", "Peel the pears", "\n2. Poach them in red wine for twenty minutes or so.")
    assert not numbered_over_prose("", "Harbour Road parking", "\nThe council considered the survey of traders on it.")


def test_a_number_of_these_counts_what_was_counted_before_it():
    sentence = "Of 64 traders asked, 40 replied, and 31 of these wanted a two-hour limit."
    question = "How many traders wanted a two-hour limit?"
    assert short_answer(question, answer_type(question), sentence) == "31"
    assert count_matches("Our membership has reached 212, up from 180.", "members") == (True, True)


def test_the_clerk_is_a_person_not_what_it_means():
    history = chat("Why were the harbour steps not mended?",
                   "The Clerk explained that the council was still waiting for a quote [1].")
    assert ("Clerk", "person") in {(m.text, m.kind) for m in conversation_mentions(history)}
    assert "the Clerk" not in standalone_query("When will it be done?", history, mode="rules")


def _choice(sentence: str, score: float, cross: float = 1.0, type_ok: bool = True) -> tuple:
    return SimpleNamespace(sentence=sentence), SimpleNamespace(cross=cross, type_ok=type_ok), score


def test_a_case_the_question_does_not_set_goes_after_the_plain_one():
    conditional = _choice("If you register the heater online within 14 days, the guarantee rises to 5 years.", 1.3)
    plain = _choice("The Calder heater comes with a 2-year guarantee from the date of purchase.", 1.2)
    far = _choice("The Calder heater comes with a 2-year guarantee from the date of purchase.", 0.9)
    question = "How long is the Calder heater's guarantee?"
    assert unconditional_first(_request(question), [conditional, plain], 0.5)[0] is plain
    assert unconditional_first(_request(question), [conditional, far], 0.5)[0] is conditional  # not close enough
    asked_if = "How long is the guarantee if I register it?"
    assert unconditional_first(_request(asked_if), [conditional, plain], 0.5)[0] is conditional


_STOPS = "From May, the walk will no longer finish at the Anchor Inn, because it is closing."
_REPLACES = "We will instead finish at the Lugger Tea Room in Polkerris."
_UNEXPANDED = "Bare variables such as $HOST are not expanded; write ${HOST}."
_FROM_ENVIRONMENT = "The run command now uses the value from the environment instead of the one in the file."


@pytest.mark.parametrize("question,first,runner_up,chosen", [
    ("Where will they finish instead?", _STOPS, _REPLACES, _REPLACES),  # what replaces, not what stops
    ("Where will they finish?", _STOPS, _REPLACES, _STOPS),
    # asking what a tool substitutes is no question about a replacement
    ("In a .env file, does a value like $HOST without braces get substituted?", _UNEXPANDED, _FROM_ENVIRONMENT,
     _UNEXPANDED),
    ("Can I substitute ricotta for the quark?", _UNEXPANDED, _FROM_ENVIRONMENT, _FROM_ENVIRONMENT),
])
def test_instead_is_answered_by_what_replaces(question, first, runner_up, chosen):
    choices = [_choice(first, 1.3), _choice(runner_up, 0.5)]
    assert saying_instead_first(_request(question), choices)[0][0].sentence == chosen


@pytest.mark.parametrize("question,previous,expected", [
    ("Where will they stop instead?", "Why won't the choir's Friday coaches stop at the Red Lion any more?",
     "Where will the choir's Friday coaches stop instead?"),
    ("When will it reopen?", "Why did the town library reopen late?", "When will the town library reopen?"),
    ("Where will they stop instead?", "Why won't the bus stop at the Red Lion?", None),  # "they" is no bus
    ("Where will they go instead?", "Why won't the choir's Friday coaches stop at the Red Lion?", None),  # another verb
])
def test_they_doing_the_last_questions_verb_is_its_subject(question, previous, expected):
    assert same_verb_subject(question, previous) == expected


@pytest.mark.slow
def test_an_obituary_answers_whom_she_married_and_with_whom_she_founded_something(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "obituary.txt", OBITUARY)
    assert_cited_answer(docqa.ask("Who did Nell Carrow marry?", [], generator="extractive"), "Walter Carrow")
    founded = docqa.ask("Who did Nell start the Porthallow Carnival with?", [], generator="extractive")
    assert_cited_answer(founded, "Idris Penhale")
    assert founded.short_answer == "Idris Penhale", founded.answer


@pytest.mark.slow
def test_minutes_answer_a_count_under_a_numbered_heading_and_a_reported_question(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "minutes.txt", MINUTES)
    counted = docqa.ask("How many traders on Harbour Road wanted a two-hour limit?", [], generator="extractive")
    assert_cited_answer(counted, "31")
    assert counted.short_answer == "31", counted.answer
    why = docqa.ask("Why had the harbour steps not been mended?", [], generator="extractive")
    assert_cited_answer(why, "waiting for a quote from the harbour engineers")


GUIDE = """Visiting Inishcarn

Inishcarn lies 9 kilometres off the coast and is known for its puffins and its lighthouse.

Getting there
The only way to reach Inishcarn is by ferry from the harbour at Portcullen. The crossing takes 40 minutes. Book ahead
in August, as the ferry, the MV Brendan Star, carries only 18 cars.

Trouble with the stove
The F2 light means the stove has overheated. The fan will stop on its own. Unplug the stove for five minutes and
plug it in again.
"""


def test_what_a_thing_is_called_is_the_name_set_beside_it():
    from qa.generators.preference import names_the_asked_noun

    sentence = "Book ahead in August, as the ferry, the MV Brendan Star, carries only 18 cars."
    for question in ("What's the ferry called?", "What is the name of the ferry?", "What is the ferry's name?"):
        assert names_the_asked_noun(question, sentence), question
    assert names_the_asked_noun("What's the boat called?", "They sailed on a boat called Wren.")
    assert not names_the_asked_noun("How many cars does the ferry carry?", sentence)
    assert not names_the_asked_noun("What's the ferry called?", "The ferry, Monday to Friday, leaves at 9.")


def test_get_to_is_read_as_reach():
    from qa.text import concepts, stems

    asked = "How do you get to Inishcarn?"
    assert "reach" in stems(asked) | concepts(asked)
    allowed = "How many days do I get to send something back?"  # "get to" as "may", not a journey
    assert "reach" not in stems(allowed) | concepts(allowed)


@pytest.mark.slow
def test_a_guide_answers_how_to_get_there_the_ferrys_name_and_what_to_do_about_a_warning(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "guide.txt", GUIDE)
    assert_cited_answer(docqa.ask("How do you get to Inishcarn?", [], generator="extractive"), "by ferry")
    named = docqa.ask("What's the ferry called?", chat("How do you get to Inishcarn?", "By ferry [1]."),
                      generator="extractive")
    assert_cited_answer(named, "MV Brendan Star")
    history = chat("What does the F2 light on the stove mean?", "The F2 light means the stove has overheated [1].")
    remedy = docqa.ask("What should I do about it?", history, generator="extractive")
    assert_cited_answer(remedy, "Unplug the stove for five minutes")


def test_a_labelled_line_heads_no_line_after_it():
    from qa.blocks import labelled_line
    from qa.generators.spans import Span, cross_reading

    assert labelled_line("Visitors in 2023: 18,400") and labelled_line("Original lens: fourth-order, made in 1867")
    assert not labelled_line("OPENING TIMES") and not labelled_line("The pier opened in 1867.")
    line = "Members: 1,150"
    after_a_field = Span(0, 0, len(line), line, line, previous="Visitors in 2023: 18,400")
    assert cross_reading(after_a_field) == line  # not read as "Visitors in 2023: 18,400 Members: 1,150"
    after_a_heading = Span(0, 0, len(line), line, line, previous="HARBOUR SOCIETY")
    assert cross_reading(after_a_heading) == "HARBOUR SOCIETY Members: 1,150"


def test_a_bridge_shaped_question_naming_no_one_is_answered_by_its_best_sentence():
    from qa.compose import Evidence, _nothing_to_bridge, is_bridge_question

    question = "How long does the audio tour of the harbour exhibit take?"
    best = Evidence(0, 0, 40, "Audio guide: 40 minutes, free with admission")
    assert is_bridge_question(question)
    assert _nothing_to_bridge(question, answer_type(question), best, True, set())
    assert not _nothing_to_bridge(question, answer_type(question), best, True, {"quayl"})  # a name to bridge through
    assert not _nothing_to_bridge(question, answer_type(question), Evidence(0, 0, 20, "It is free."), True, set())


@pytest.mark.parametrize("text,expected", [
    ("[02/05/2024, 09:14] Rhiannon Pugh: Yes, the club still lends bikes to members on a low income.", "Yes"),
    ("Owen: No, the hall is booked that evening.", "No"),
    ("Yes, dogs are welcome on a lead.", "Yes"),
])
def test_a_reply_opening_on_yes_or_no_says_which(text, expected):
    from qa.statements import yes_or_no

    assert yes_or_no("Is there any help for riders who can't afford a bike?", text) == expected


def test_a_negation_inside_a_relative_clause_negates_nothing_asked():
    from qa.statements import yes_or_no

    question = "Is there a discount for people who can't afford the fee?"
    assert yes_or_no(question, "The council gives a 50% discount to anyone on pension credit.") == "Yes"
    assert yes_or_no("Is there no discount?", "The council gives a 50% discount to anyone on pension credit.") == "No"


def test_a_reply_is_read_with_the_question_it_answers():
    from qa.generators.spans import Span
    from qa.generators.weights import topic_stems

    reply = "Rhiannon Pugh: Yes, the club still lends them to members on a low income."
    asked = "Gareth Lloyd: Will there be any help for riders who can't afford a bike?"
    assert "help" in topic_stems(one_passage(f"{asked}\n{reply}"), Span(0, 0, 1, reply, reply, previous=asked))
    statement = "The club lends bikes to members on a low income."
    assert "help" not in topic_stems(one_passage(statement), Span(0, 0, 1, statement, statement, previous=asked))


def test_it_in_brackets_still_points_back():
    from qa.generators.spans import _points_back

    assert _points_back("(It went for £40 on a local selling site.", "I finally sold the rowing machine.")


def test_a_question_about_a_relative_is_not_answered_by_a_sentence_naming_no_relative():
    question = "What did Nell Carrow's father do for a living?"
    assert not says_asked_life_event(_request(question), "Nell Carrow was a baker and a campaigner.")
    assert says_asked_life_event(_request(question), "Nell was the daughter of Jory Tresize, a harbour master.")
    assert says_asked_life_event(_request("What did Nell Carrow do for a living?"), "Nell Carrow was a baker.")


def test_who_did_something_is_named_by_the_role_beside_a_name():
    from qa.generators.preference import names_the_asked_role, names_what_is_asked

    present = "Present: Cllr Ann Lowe (Chair), Cllr Tom Ede, Cllr Ravi Shah"
    assert names_the_asked_role("Who chaired the parish meeting in May?", present)
    assert names_what_is_asked("Who chaired the parish meeting in May?", present)
    assert names_the_asked_role("Who edited the newsletter?", "Editor: Jo Lind\nPrinted by Wexford Press")
    assert not names_the_asked_role("Who seconded the motion?", present)
    assert not names_the_asked_role("How many councillors attended?", present)


def test_a_membership_says_how_many_members_but_members_say_nothing_of_a_membership():
    from qa.generators.spans import Span
    from qa.generators.weights import SentenceContext
    from qa.text import stem

    counted = "Our membership has reached 212, up from 180 a year ago."
    priced = "For other members, the locker costs £10 per month."
    members, membership = SentenceContext({stem("members")}, []), SentenceContext({stem("membership"), stem("cost")}, [])
    assert members.of(Span(0, 0, 1, counted, counted))["relation"] == 1.0
    assert membership.of(Span(0, 0, 1, priced, priced))["relation"] == 0.5  # "costs", not "membership"


@pytest.mark.parametrize("question,quality", [("Is the deposit for the choir tour refundable?", "refundable"),
                                              ("Are dogs allowed?", "allowed"), ("Is the pool open on Sundays?", None),
                                              ("Was the bridge closed?", None)])
def test_the_quality_a_yes_or_no_question_closes_on(question, quality):
    from qa.statements import asked_predicate

    assert asked_predicate(question) == quality


def test_a_yes_or_no_about_a_quality_needs_a_sentence_saying_it_and_non_says_no():
    from qa.statements import yes_or_no

    question = "Is the deposit for the choir tour refundable?"
    unrelated = "The choir tour has run every summer since 2009."
    said = "A non-refundable deposit of £40 is due by 1 March."
    from qa.relation import says_asked_relation

    assert not says_asked_relation(_request(question, f"{unrelated} {said}"), unrelated)
    assert says_asked_relation(_request(question, f"{unrelated} {said}"), said)
    assert yes_or_no(question, said) == "No"
    assert yes_or_no("Is the ticket refundable?", "Tickets are refundable up to a week before.") == "Yes"


TRIP = """Year 6 residential: Penmarrow Outdoor Centre, 3-5 July

Swimming
Children do not need to be able to swim to take part, but please tell us on the consent form if your child cannot
swim so that the instructors know.

Electronic devices
Children may not bring mobile phones, tablets or other electronic devices. Staff will post daily photos on the school
website.
"""


@pytest.mark.slow
def test_a_follow_up_is_also_read_without_the_terms_carried_for_retrieval(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "trip.txt", TRIP)
    history = chat("Does my child need to be able to swim to go on the Penmarrow trip?",
                   "Children do not need to be able to swim to take part [1].")
    answer = docqa.ask("Can they take their phones?", history, generator="extractive")
    assert_cited_answer(answer, "may not bring mobile phones")
    request = GenerationRequest("Can they take their phones?", answer.query, tuple(answer.passages), tuple(history))
    assert "swim" in answer.query  # the standalone query carries the last question's terms for retrieval ...
    scored = docqa.generator("extractive").candidates(request)
    phones = [e.cross for s, e, _ in scored if "mobile phones" in s.text]
    assert phones and max(phones) > 0.5, phones  # ... and the cross-encoder reads the question without them too


def test_the_sentence_the_last_answer_gave_goes_after_one_saying_what_is_asked_now():
    from qa.generators.preference import news_first

    given = "By 2012, seagrass cover in the bay had fallen by 40%."
    history = chat("How much had the seagrass declined by 2012?", f"40% [1]. {given} [1].")
    repeat = (SimpleNamespace(sentence=given), SimpleNamespace(relation=0.0), 1.1)
    cause = (SimpleNamespace(sentence="Okafor linked this to dredging in the harbour."), SimpleNamespace(relation=1.0), 0.5)
    request = GenerationRequest("What did she blame for that?", "What did she blame for that?", (), tuple(history))
    assert news_first(request, [repeat, cause])[0] is cause
    assert news_first(GenerationRequest("What did she blame?", "What did she blame?", ()), [repeat, cause])[0] is repeat


def test_blaming_something_is_linking_a_change_to_it():
    from qa.text import concepts

    assert concepts("What did she blame for that?") & concepts("Okafor linked this to dredging in the harbour.")

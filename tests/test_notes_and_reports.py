"""Answers from the notes and reports people keep: a time of day, a whole name for a given name, the cause in the
next sentence, the section heading a bullet sits under, "they" who act, and initials spelled out. The notes below
were written for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, names_in, offers, passage_names
from qa.compose import Composed, Evidence, full_name, with_full_name
from qa.follow_on import with_what_follows
from qa.conversation import conversation_mentions, resolve_references
from qa.generators.spans import candidate_spans
from qa.models import Chunk, Passage
from qa.short_answer import short_answer
from qa.text import spelled_out
from tests.conftest import ingest_text

NOTES = """Harrowgate Ferries: Operations Review

Present: Lena Marsh (Operations Lead), Piet Okonjo (Fleet Engineer), Sadia Rahman (Finance Manager)

1. Winter timetable

- The first crossing leaves Dunmore pier at 06:15 from 4 November.
- Lena asked for a second deckhand on the late crossings. Sadia confirmed the budget can stretch to £2,400 a month.

2. The Kestrel refit

- The refit of the Kestrel has moved from January to March. The shipyard in Ardrossan could not supply the new propeller shaft in time.
- Piet expects the refit to take five weeks.
"""


def _passage(text: str, source: str = "notes.md", heading: str | None = None, start: int = 0) -> Passage:
    title = text.split("\n", 1)[0]
    return Passage(Chunk("c0", "d0", source, 0, start, start + len(text), text, title=title, heading=heading or title), 1.0)


@pytest.mark.parametrize("question,kind", [
    ("What time's the first crossing?", "clock"),
    ("At what time does the office open?", "clock"),
    ("What time of year is the refit?", "date"),  # a season or a month, not a time of day
    ("When is the refit?", "date"),
])
def test_what_time_asks_for_a_time_of_day(question, kind):
    assert answer_type(question).kind == kind


@pytest.mark.parametrize("sentence,short", [
    ("The first crossing leaves Dunmore pier at 06:15 from 4 November.", "06:15"),
    ("Doors open at 7.30pm on Friday.", "7.30pm"),
    ("The ceremony starts at noon in the square.", "noon"),
    ("Coaches leave at 9 a.m. sharp.", "9 a.m."),
])
def test_a_time_of_day_is_read_out_of_the_sentence(sentence, short):
    question = "What time does it start?"
    wanted = answer_type(question)
    assert offers(sentence, wanted, question)
    assert short_answer(question, wanted, sentence) == short


@pytest.mark.parametrize("sentence", ["The crossing moves to 4 November.", "Premium costs £3.99 a month.",
                                      "Version 3.10 is out."])
def test_a_date_a_price_or_a_version_is_no_time_of_day(sentence):
    question = "What time is the crossing?"
    assert not offers(sentence, answer_type(question), question)


@pytest.mark.parametrize("sentence,counted", [
    ("About 70% of active users rely on automatic sync.", False),  # a share of the users, not how many
    ("Some 40 per cent of users never open the app.", False),
    ("The app has 41,000 active users.", True),
])
def test_a_share_of_things_is_no_count_of_them(sentence, counted):
    question = "How many active users does the app have?"
    assert offers(sentence, answer_type(question), question) is counted


@pytest.mark.parametrize("bullet,names", [
    ("- Lena asked for a second deckhand.", ["Lena"]),  # a verb follows: the bullet opens with who did it
    ("- Piet expects the refit to take five weeks.", ["Piet"]),
    ("- Parse every input line as a separate record.", []),  # an order, not a name
    ("- Use the spare hull for spares.", []),
])
def test_a_bullets_first_word_is_a_name_only_when_a_verb_follows(bullet, names):
    assert names_in(bullet) == names


def test_a_name_the_passages_write_is_a_name_where_it_opens_a_sentence():
    known = passage_names([NOTES])
    assert {"Sadia", "Rahman", "Lena", "Piet"} <= known
    sentence = "Sadia confirmed the budget can stretch to £2,400 a month."
    question = "Who confirmed the budget?"
    assert names_in(sentence) == [] and names_in(sentence, known) == ["Sadia"]
    assert not offers(sentence, answer_type(question), question)
    assert offers(sentence, answer_type(question), question, known=known)
    assert short_answer(question, answer_type(question), sentence, known=known) == "Sadia"
    assert names_in("Revenue rose by 4%.", known) == []  # a word the passages never write as a name stays a word


LETTER = """DISCHARGE SUMMARY
Patient: Mr Colin Marsh
Date of birth: 14/03/1958
Consultant: Ms Priya Venkataraman, Consultant Orthopaedic Surgeon
Copy to: the patient
Mr Marsh was admitted on 3 March."""


def test_field_labels_of_a_letter_are_no_names_the_passages_know():
    known = passage_names([LETTER])
    assert {"Colin", "Marsh", "Priya", "Venkataraman"} <= known
    assert not {"Patient", "Date", "Copy"} & known  # labels open their lines; "patient" is also written lower case
    question = "Who operated on him? Who operated on Colin Marsh?"
    assert not offers("Patient: Mr Colin Marsh", answer_type(question), question, known=known)
    assert offers("Consultant: Ms Priya Venkataraman", answer_type(question), question, known=known)


@pytest.mark.parametrize("text,names", [
    ("Subject: Re: Re: Dad's retirement party - venue CONFIRMED", []),  # emphasis, not a name
    ("URGENT: the Brackley Arms needs the deposit by Friday.", ["Brackley", "Arms", "Friday"]),
    ("The NHS and ING both wrote to NATO.", ["NHS", "ING", "NATO"]),  # acronyms stay names
])
def test_words_written_in_capitals_for_emphasis_are_no_names(text, names):
    assert names_in(text) == names


@pytest.mark.parametrize("short,texts,expected", [
    ("Lena", [NOTES], ("Lena Marsh", 0)),
    ("Sadia", ["- Sadia confirmed the budget.", NOTES], ("Sadia Rahman", 1)),
    ("Vincent", ["Vincent van Gogh was born in Zundert."], ("Vincent van Gogh", 0)),
    ("Lena", ["Lena Marsh chaired.", "Lena Novak minuted."], None),  # two Lenas: no guessing
    ("Lena", ["Lena asked for a deckhand.", "Lena Said nothing."], None),  # no surname anywhere
    ("Lena Marsh", [NOTES], None),  # already whole
    ("06:15", [NOTES], None),
])
def test_a_given_name_stands_for_the_one_whole_name_the_document_gives(short, texts, expected):
    assert full_name(short, texts) == expected


def test_the_short_answer_cites_the_passage_that_gives_the_whole_name():
    bullet = "- Lena asked for a second deckhand on the late crossings."
    passages = [_passage(bullet), _passage("Present: Lena Marsh (Operations Lead)"),
                _passage("Lena Novak runs another firm.", source="other.txt")]
    composed = with_full_name(Composed("Lena", (Evidence(0, 0, len(bullet), bullet),)), passages)
    assert composed.short == "Lena Marsh" and composed.short_passage == 1
    assert composed.text().startswith("Lena Marsh [2]. Lena asked")


def test_why_reads_on_to_the_next_sentence_when_the_best_one_gives_no_cause():
    passage = _passage(NOTES)
    spans = [s for s in candidate_spans([passage]) if s.text == s.sentence]
    pool = [Evidence(0, s.start, s.end, s.sentence) for s in spans]
    moved = next(e for e in pool if e.text.startswith("- The refit of the Kestrel has moved"))
    composed = with_what_follows(Composed(None, (moved,)), moved, pool, [passage])
    assert [e.text for e in composed.sentences][1].startswith("The shipyard in Ardrossan could not supply")
    # The last sentence of a paragraph has nothing after it that explains it.
    last = next(e for e in pool if e.text.startswith("Sadia confirmed"))
    assert with_what_follows(Composed(None, (last,)), last, pool, [passage]).sentences == (last,)


def test_a_bullet_knows_its_section_heading_and_the_heading_is_no_answer():
    spans = {s.sentence: s for s in candidate_spans([_passage(NOTES)]) if s.text == s.sentence}
    first = spans["- The first crossing leaves Dunmore pier at 06:15 from 4 November."]
    refit = spans["- Piet expects the refit to take five weeks."]
    assert first.heading == "1. Winter timetable" and refit.heading == "2. The Kestrel refit"
    assert not any("Winter timetable" in sentence or "Kestrel refit" == sentence for sentence in spans)
    # The title is no section heading, and stays a candidate (a headline may say the answer).
    assert spans["Present: Lena Marsh (Operations Lead), Piet Okonjo (Fleet Engineer), Sadia Rahman (Finance "
                 "Manager)"].heading == ""
    assert "Harrowgate Ferries: Operations Review" in spans


def test_they_who_spend_are_people_not_the_things_just_counted():
    history = [{"role": "user", "content": "Who asked for a deckhand?"}, {"role": "assistant", "content": "Lena Marsh."},
               {"role": "user", "content": "How many crossings does she run late?"},
               {"role": "assistant", "content": "Two."}]
    pool = conversation_mentions(history)
    assert resolve_references("How much can they spend on the deckhand?", pool)[0] == \
        "How much can they spend on the deckhand?"
    assert resolve_references("When do they leave?", pool)[0] == "When do the crossings leave?"
    residents = conversation_mentions([{"role": "user", "content": "What did the residents want?"},
                                       {"role": "assistant", "content": "A later ferry."}])
    assert resolve_references("How much did they pay?", residents)[0] == "How much did residents pay?"


def test_whom_she_was_taken_to_mean_is_not_he_in_a_later_turn():
    history = [{"role": "user", "content": "Who chairs the review?"}, {"role": "assistant", "content": "Lena Marsh."},
               {"role": "user", "content": "Who did she take over from?"},
               {"role": "assistant", "content": "Piet Okonjo."},
               {"role": "user", "content": "Is he still on the board?"}, {"role": "assistant", "content": "No."},
               {"role": "user", "content": "Did she keep his team?"}, {"role": "assistant", "content": "Yes."}]
    pool = conversation_mentions(history, ["Who chairs the review?", "Who did Lena Marsh take over from?",
                                           "Is Piet Okonjo still on the board?", "Did Lena Marsh keep Piet Okonjo's team?"])
    assert resolve_references("Where did he go?", pool)[0] == "Where did Piet Okonjo go?"
    assert resolve_references("When did she start?", pool)[0] == "When did Lena Marsh start?"


@pytest.mark.parametrize("query,expected", [
    ("Who's the CFO?", "Who's the CFO? chief financial officer"),
    ("Who is the chief executive officer now?", "Who is the chief executive officer now? CEO"),
    ("What did the CFOs say?", "What did the CFOs say?"),  # no initials, no guess
    ("Is ATACMS a missile?", "Is ATACMS a missile?"),
])
def test_initials_are_spelled_out_for_word_matching(query, expected):
    assert spelled_out(query) == expected


@pytest.fixture
def notes(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "ops_review.md", NOTES)


@pytest.mark.slow
def test_notes_answer_a_time_a_whole_name_and_a_cause(notes):
    timed = notes.ask("What time does the first crossing leave?", generator="extractive")
    assert timed.short_answer == "06:15", timed.answer
    who = notes.ask("Who asked for a second deckhand?", generator="extractive")
    assert who.short_answer == "Lena Marsh", who.answer
    history = [{"role": "user", "content": "When is the Kestrel refit now?"},
               {"role": "assistant", "content": "In March."}]
    why = notes.ask("Why has it moved?", history, generator="extractive")
    assert not why.abstained, why.flags
    assert "propeller shaft" in why.answer
    assert all(c.text in NOTES for c in why.citations)


@pytest.mark.parametrize("text,names", [
    ("Present: I'd suggest we all chip in £50 towards a print from Greaves & Daughter.", ["Greaves", "Daughter"]),
    ("Cake: I’ve ordered it and I’m collecting it from Harlow Bakes on Friday.", ["Harlow", "Bakes", "Friday"]),
])
def test_i_with_a_contraction_is_no_name(text, names):
    assert names_in(text) == names  # "Who is framing the photo?" was answered "I'd"

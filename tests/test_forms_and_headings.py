"""What a fresh probe of letters, schedules and newsletters showed: a rule line ("-----") is no prose running into the
line under it; a capitalised line, or one over a rule, heads what follows and starts the chunk of that text; a short
"Date: ..." line is also read under its heading; a web page's whole <title> names whose page it is; a question naming
what only a document's title names is about that document. On texts written for these tests (no dev or test set uses
them)."""

from __future__ import annotations

import pytest

from ingest.chunker import Chunker
from ingest.formats.html import html_to_text
from qa.ellipsis import bare_question
from qa.entities import question_entities, unknown_entities
from qa.generate import GenerationRequest
from qa.genders import named_gender
from qa.answer_types import answer_type, offers
from qa.generators.spans import Span, candidate_spans, cross_reading, document_stems, headed_reading
from qa.generators.typed import typed_text
from qa.models import Chunk, Document, Passage
from qa.relation import asked_relation, names_the_asked_one
from qa.statements import asserts
from qa.text import sentence_spans, stem, stems
from tests.conftest import assert_cited_answer, ingest_text

LETTER = """Harrowgate Dental Practice
12 Quay Street, Harrowgate HG3 1AB

Ms Odile Brantwood
4 Fernhill Road

Dear Ms Brantwood,

YOUR CHECK-UP WITH THE HYGIENIST

We have booked you in with our hygienist, Mrs K. Adeyemi, for a routine clean and check-up.

    Date:    Thursday 9 October 2025
    Time:    11.15am
    Room:    Surgery 3, first floor

If you need to rearrange, please give us at least 24 hours' notice.

--------------------------------------------------------------
PAYMENT
--------------------------------------------------------------
Fee for the appointment: £68
"""

PAGE = """<!doctype html><html><head><title>Spring Fair news | St Brannoc's Church, Tollerby</title></head><body>
<article><h1>Spring Fair news</h1><p>The spring fair raised £2,315 for the bell fund this year, our best total yet.</p>
<p>Thank you to everyone who baked, sold raffle tickets or simply came along on the day.</p></article></body></html>"""


def whitespace_tokens(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for word in text.split():
        at = text.index(word, at)
        out.append((at, at + len(word)))
        at += len(word)
    return out


def letter_spans() -> dict[str, object]:
    chunk = Chunk("c0", "d0", "letter.txt", 0, 0, len(LETTER), LETTER, title="Harrowgate Dental Practice")
    return {s.sentence: s for s in candidate_spans((Passage(chunk, 1.0),)) if s.text == s.sentence}


def test_a_rule_line_does_not_run_into_the_line_under_it():
    text = "PAYMENT\n" + "-" * 62 + "\nFee for the appointment: £68"
    assert [text[a:b] for a, b in sentence_spans(text, 0, len(text))][-1] == "Fee for the appointment: £68"


def test_a_capitalised_line_or_one_over_a_rule_heads_what_follows():
    spans = letter_spans()
    assert spans["Date:    Thursday 9 October 2025"].heading == "YOUR CHECK-UP WITH THE HYGIENIST"
    assert spans["Fee for the appointment: £68"].heading == "PAYMENT"
    assert "YOUR CHECK-UP WITH THE HYGIENIST" not in spans  # a heading names; it answers nothing


def test_a_short_line_is_also_read_under_its_heading():
    spans = letter_spans()
    date = spans["Date:    Thursday 9 October 2025"]
    assert headed_reading(date) == f"YOUR CHECK-UP WITH THE HYGIENIST {cross_reading(date)}"
    long_line = spans["We have booked you in with our hygienist, Mrs K. Adeyemi, for a routine clean and check-up."]
    assert headed_reading(long_line) == ""  # a sentence this long says what it is about itself
    assert headed_reading(spans["If you need to rearrange, please give us at least 24 hours' notice."]) == ""


def test_a_labelled_line_with_no_heading_is_read_under_its_documents_title():
    mail = ("Hi all,\n\nTo confirm where we've landed:\n\n- Date: Tuesday 15 October (moved from 8 October)\n"
            "- Venue: Copperworks Hall, Tanner Street, booked from 5:00 pm to 10:00 pm\n\nThanks, Sofia\n")
    title = "Subject: RE: Lumen Mini launch - date change and venue"
    chunk = Chunk("c0", "d0", "mail.txt", 0, 0, len(mail), mail, title=title)
    spans = {s.sentence.strip(): s for s in candidate_spans((Passage(chunk, 1.0),)) if s.text == s.sentence}
    venue = spans["- Venue: Copperworks Hall, Tanner Street, booked from 5:00 pm to 10:00 pm"]
    assert headed_reading(venue, title) == f"RE: Lumen Mini launch - date change and venue {cross_reading(venue)}"
    assert headed_reading(venue) == ""  # no title, nothing to add
    letter = letter_spans()  # a line under a heading keeps its heading; a sentence gets no title
    date = letter["Date:    Thursday 9 October 2025"]
    assert headed_reading(date, "Harrowgate Dental Practice").startswith("YOUR CHECK-UP WITH THE HYGIENIST")
    notice = letter["If you need to rearrange, please give us at least 24 hours' notice."]
    assert headed_reading(notice, "Harrowgate Dental Practice") == ""


def test_a_heading_starts_the_chunk_of_the_text_under_it():
    document = Document(id="d", source="letter.txt", path="/letter.txt", sha256="0", kind="txt", text=LETTER)
    heading = "YOUR CHECK-UP WITH THE HYGIENIST"
    chunkings = [Chunker(whitespace_tokens, size, 0).chunk(document, [(0, len(LETTER))]) for size in range(12, 80)]
    assert not any(c.text.endswith(heading) and c.text != heading for chunks in chunkings for c in chunks)
    assert any(c.text.startswith(heading) for chunks in chunkings for c in chunks)
    code = "CHUNK is the buffer size for feeding data to the routines, and larger sizes are faster.\n#define CHUNK 16384\n" \
           "The def() routine compresses data from an input file to an output file.\n"
    source = Document(id="z", source="zpipe.html", path="/zpipe.html", sha256="0", kind="html", text=code)
    for size in range(19, 30):  # a line of code is no heading: it stays with the sentence explaining it
        assert not any(c.text.startswith("#define") for c in Chunker(whitespace_tokens, size, 0).chunk(source, [(0, len(code))]))


def test_a_pages_whole_title_names_whose_page_it_is():
    text, title, _ = html_to_text(PAGE)
    assert title == "Spring Fair news | St Brannoc's Church, Tollerby"
    chunk = Chunk("c0", "d0", "fair.html", 0, 0, len(text), text, title=title)
    assert unknown_entities(["Tollerby", "Bramcote"], (Passage(chunk, 1.0),)) == ["Bramcote"]


@pytest.mark.slow
def test_the_date_of_an_appointment_in_a_letter(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "letter.txt", LETTER)
    answer = docqa.ask("When is Odile Brantwood's hygienist check-up?", [], generator="extractive")
    assert_cited_answer(answer, "9 October 2025")


@pytest.mark.slow
def test_what_a_church_fair_raised_names_the_church_in_the_title(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "fair.html", PAGE)
    answer = docqa.ask("How much did the Tollerby church spring fair raise?", [], generator="extractive")
    assert_cited_answer(answer, "£2,315")


def test_a_stopword_of_a_heading_in_capitals_is_no_name():
    assert "OF" not in question_entities("how much did Mr Feld pay for CHANGE OF KEEPER?")


def test_the_words_saying_who_a_named_one_is_are_no_relation():
    def relation(question: str) -> set[str]:
        return asked_relation(GenerationRequest(question, question, ()), ["Ilse", "Varga"])
    assert relation("Where was the botanist Ilse Varga born?") == {"born"}
    assert relation("Who was the glass engraver Ilse Varga married to?") == {"marry"}
    assert "sing" in relation("Who is the singer of Varga?")  # "singer of" asks for the singer


def test_a_line_that_is_only_the_asked_ones_name_names_no_one_new():
    question = "Who referred Ms Brantwood to the hygienist?"
    request = GenerationRequest(question, question, ())
    assert names_the_asked_one(request, "Ms Odile Brantwood")
    assert not names_the_asked_one(request, "Mrs K. Adeyemi")
    assert not names_the_asked_one(request, "Her dentist wrote to Ms Odile Brantwood")  # a sentence, not a name


def test_setting_up_is_founding_and_standing_down_resigning():
    assert stems("Which firm did Ilse Varga set up?") >= {"found"} <= stems("She founded Varga Glass in 1971.")
    assert "resign" in stems("Why did the secretary stand down?") & stems("The secretary resigned in May.")
    assert "found" not in stems("The club stands for fair play.")


def test_consecutive_days_are_a_duration():
    question = "How long can the house stay empty?"
    assert offers("If the home is unoccupied for more than 60 consecutive days, cover is suspended.",
                  answer_type(question), question)


def test_a_letter_is_about_whom_it_is_addressed_to():
    chunk = Chunk("c0", "d0", "letter.txt", 0, 0, len(LETTER), LETTER, title="Harrowgate Dental Practice")
    assert {stem("Odile"), stem("Brantwood")} <= document_stems((Passage(chunk, 1.0),), 0, opening=True)
    assert "brantwood" not in document_stems((Passage(chunk, 1.0),), 0)  # only where its opening was retrieved


def test_a_bare_where_or_when_asks_the_previous_question_anew():
    assert bare_question("Where?", "When was the botanist Ilse Varga born?", "3 May 1931 [1].") == \
        "Where was the botanist Ilse Varga born?"
    assert bare_question("from when?", "How much is the club fee going up to?", "£40 [1].") == \
        "From when is the club fee going up to?"
    assert bare_question("Why?", "When was the botanist Ilse Varga born?", "3 May 1931 [1].") is None


def test_a_line_of_capitalised_words_names_and_asserts_nothing():
    assert not asserts("Harrowgate Dental Practice Ltd.") and not asserts("YOUR CHECK-UP WITH THE HYGIENIST")
    assert asserts("Pedal cycles: Not covered") and asserts("WiFi: Included") and asserts("The fee is £68.")


def test_the_dates_of_a_life_say_when_she_was_born_not_when_she_built_anything():
    sentence = "Ilse Varga (3 May 1931 – 9 June 2002) was a glass engraver who designed the Varga lamp."
    span = Span(0, 0, len(sentence), sentence, sentence)
    for question, dated in (("When did Ilse Varga design the lamp?", False), ("When was Ilse Varga born?", True)):
        assert offers(typed_text(span, answer_type(question), question), answer_type(question), question) is dated


def test_a_title_that_says_no_gender_is_passed_over_for_the_first_name():
    assert named_gender("Canon Philip Oduya") == "m" and named_gender("Dr Fiona Mabey") == "f"
    assert named_gender("Dr Mabey") == ""  # a title and a surname say none


def test_rows_of_a_form_are_no_headings_and_leave_no_chunk_near_empty():
    rows = "BOOKING\n" + "".join(f"  Extra {i}: towels and linen\n" for i in range(1, 40))
    document = Document(id="f", source="form.txt", path="/form.txt", sha256="0", kind="txt", text=rows)
    chunks = Chunker(whitespace_tokens, 40, 0).chunk(document, [(0, len(rows))])
    assert all(c.metadata["tokens"] >= 10 for c in chunks[:-1])

"""A row of a record or an item of a list is read under the line opening it ("OUTBOUND FERRY" over "Sail 08:15",
"Details for your records:" over "- I paid the £200 deposit"): a row alone never says whose it is (texts written
for these tests, on no dev or test corpus)."""

from __future__ import annotations

import pytest

from qa.blocks import block_heading
from qa.generators.spans import Span, cross_reading
from tests.conftest import ingest_text

RECORDS = """3-5 MAY 2024 - MULL, 2 NIGHTS
  The Tobermory Harbour Inn
  Room: 1 x Twin, sea view
  Check-in from 16:00   |   Check-out by 10:00

5-7 MAY 2024 - IONA, 2 NIGHTS
  Baile Mor Guesthouse
  Room: 1 x Double, garden view
  Check-in from 13:30   |   Check-out by 11:30

TUESDAY 7 MAY 2024 - RETURN FERRY
  Skerry Line sailing SL 219
  Sail    Iona pier                         16:40 (local time)
  Arrive  Oban harbour                      18:10
  Vehicle: 1 car under 5 m
"""
ITINERARY = f"Your trip to the islands is confirmed.\n\n{RECORDS}"
# The Iona record is longer than a chunk, so a chunk starts inside it, among its rows (a record that fits in a
# chunk is no longer cut: the chunker starts a chunk at its opening line).
LONG_IONA = "5-7 MAY 2024 - IONA, 2 NIGHTS\n  Baile Mor Guesthouse\n" + "".join(
    f"  Extra {i}: towels and linen\n" for i in range(1, 36)) + \
    "  Room: 1 x Double, garden view\n  Check-in from 13:30   |   Check-out by 11:30\n"
LONG_ITINERARY = f"""Dear Mr Olsen,

Your trip to the islands is confirmed. Please check every detail below.

FRIDAY 3 MAY 2024 - OUTBOUND FERRY
  Skerry Line sailing SL 204
  Sail    Oban harbour                      08:15
  Arrive  Craignure pier                    09:05
  Vehicle: 1 car under 5 m, booked on the car deck

{RECORDS.replace(RECORDS[RECORDS.index("5-7 MAY"):RECORDS.index("TUESDAY")], LONG_IONA + chr(10))}"""

EMAIL = """Hi all,

Done! I've booked Heron Lodge for the reunion. Details for your records:

- Heron Lodge, Loch Awe (owned by Glen Orchy Lets)
- Sleeps 10, five bedrooms
- I paid the £200 deposit on my card today
- The balance of £840 is due by 1 June

Speak soon,
Ailsa
"""

NESTED = """Release stewards by company:

* Larchworks
  * pfennig -
    Greta Pfennig <greta@example.org>
* Owlbay
  * tovar -
    Ines Tovar <ines@example.org>
"""


@pytest.mark.parametrize(
    "text, line, heading",
    [
        (ITINERARY, "Sail    Iona", "TUESDAY 7 MAY 2024 - RETURN FERRY"),
        (ITINERARY, "Vehicle:", "TUESDAY 7 MAY 2024 - RETURN FERRY"),
        (ITINERARY, "Check-in from 13:30", "5-7 MAY 2024 - IONA, 2 NIGHTS"),
        (ITINERARY, "Your trip", ""),  # a paragraph of its own opens no record
        (ITINERARY, "TUESDAY 7 MAY", ""),
        (EMAIL, "- I paid", "Done! I've booked Heron Lodge for the reunion. Details for your records:"),
        (EMAIL, "Speak soon", ""),
        (NESTED, "Greta Pfennig", "Larchworks pfennig -"),  # nested: the lines it is under, outermost first
        (NESTED, "* tovar", "Owlbay"),
        (NESTED, "* Owlbay", "Release stewards by company:"),
    ],
)
def test_the_line_opening_a_record_or_list_heads_its_rows(text, line, heading):
    assert block_heading(text, text.index(line)) == heading


def test_a_list_without_an_introduction_and_a_long_opening_line_head_nothing():
    assert block_heading("Notes\n\n- milk\n- eggs\n", len("Notes\n\n- milk\n")) == ""  # "Notes" ends in no colon
    long_intro = " ".join(["word"] * 30) + ":\n- an item\n"
    assert block_heading(long_intro, long_intro.index("- an")) == ""


def test_indented_program_text_has_no_block_heading():
    code = "    switch (ret) {\n    case Z_NEED_DICT:\n        ret = Z_DATA_ERROR;\n    }\nfor i in range(3):\n    total += i\n"
    assert block_heading(code, code.index("ret = Z_DATA")) == ""
    assert block_heading(code, code.index("case Z_NEED")) == ""
    assert block_heading(code, code.index("total +=")) == ""


def test_the_cross_encoder_reads_a_row_after_its_records_opening_line():
    row = "Sail    Oban harbour                      08:15"
    span = Span(0, 0, len(row), row, row, block="FRIDAY 3 MAY 2024 - OUTBOUND FERRY")
    assert cross_reading(span) == f"FRIDAY 3 MAY 2024 - OUTBOUND FERRY {row}"
    assert cross_reading(Span(0, 0, len(row), row, row)) == row


@pytest.mark.slow
def test_a_check_in_time_is_the_one_of_the_asked_place(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "islands_booking_confirmation.txt", ITINERARY)
    iona = docqa.ask("From what time can we check in at the place on Iona?")
    assert not iona.abstained and iona.short_answer == "13:30", iona.answer
    mull = docqa.ask("From what time can we check in at the place on Mull?")
    assert not mull.abstained and mull.short_answer == "16:00", mull.answer


@pytest.mark.slow
def test_a_record_cut_by_a_chunk_boundary_keeps_its_opening_line(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "islands_booking_confirmation.txt", LONG_ITINERARY)
    chunks = [p.chunk for p in docqa.retriever.retrieve("Check-in from 13:30")]
    cut = [c for c in chunks if "Check-in from 13:30" in c.text and "IONA" not in c.text]
    assert cut and cut[0].metadata.get("block") == "5-7 MAY 2024 - IONA, 2 NIGHTS"  # the text this test is about
    answer = docqa.ask("From what time can we check in at the place on Iona?")
    assert not answer.abstained and answer.short_answer == "13:30", answer.answer

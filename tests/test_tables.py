"""A table row in a report answers with the cell under the column asked for ("last year" is the latest period's
column), and counts what its first cell names. On a report written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.generate import GenerationRequest
from qa.generators.spans import candidate_spans, cross_reading
from qa.generators.typed import of_the_asked_type
from qa.models import Chunk, Passage
from qa.tables import asked_cell, cells, header_above, row_reading
from tests.conftest import assert_cited_answer, ingest_text

REPORT = """# Brookvale Tool Library — Annual Review 2023–24

*Lending tools to households in east Sheffield since 2016*

## The year in figures

| Measure | 2022–23 | 2023–24 | Change |
|---|---:|---:|---:|
| Tools lent | 4,120 | 5,386 | +30.7% |
| Members | 610 | 702 | +15.1% |
| Repair cafés held | 9 | 12 | +3 |

## Looking ahead

- Aim to lend up to 7,000 tools while keeping the waiting list under two weeks.
- Open a second lending point at the Darnall community hub.
"""

HEADER = "| Measure | 2022–23 | 2023–24 | Change |"
ROW = "| Members | 610 | 702 | +15.1% |"


@pytest.mark.parametrize("question,cell", [
    ("How many members did the tool library have last year?", "702"),  # the latest period
    ("How many members does it have now?", "702"),
    ("And the year before?", "610"),
    ("How many members were there in 2022–23?", "610"),  # the column the question names
    ("How many members were there in 2022-23?", "610"),  # with a hyphen for the dash
    ("By how much did membership grow?", "+15.1%"),
])
def test_the_cell_under_the_asked_column_answers(question, cell):
    assert asked_cell(question, ROW, HEADER) == cell


def test_a_period_column_may_give_its_unit():
    assert asked_cell("What was the total income last year?", "| Total income | 61,300 | 70,950 |",
                      "| Item | 2022–23 (£) | 2023–24 (£) |") == "70,950"


def test_a_two_column_row_answers_with_its_one_value():
    assert asked_cell("What was the total income?", "| Total income | 800,220 |", "| Item | Amount |") == "800,220"


def test_a_row_without_a_header_of_as_many_cells_or_periods_answers_nothing():
    assert asked_cell("How many members?", ROW, "| Measure | Value |") is None
    assert asked_cell("How many members?", ROW, "| Measure | North | South | Total |") is None  # no period named
    assert cells("Members: 610 | 702") == []  # no row


def test_the_header_is_the_row_above_the_rule_or_the_first_row_once_cleaning_dropped_it():
    assert header_above(REPORT, REPORT.index(ROW)) == HEADER
    cleaned = REPORT.replace("|---|---:|---:|---:|\n", "")
    assert header_above(cleaned, cleaned.index(ROW)) == HEADER
    # A chunk starting inside the table holds no header: a data row is none.
    inside = REPORT[REPORT.index("| Tools lent"):]
    assert header_above(inside, inside.index(ROW)) == ""
    # A chunk opening on the header and its rule still has it.
    at_top = REPORT[REPORT.index(HEADER):]
    assert header_above(at_top, at_top.index(ROW)) == HEADER


def test_a_row_is_read_by_the_cross_encoder_with_its_column_titles():
    assert row_reading(ROW, HEADER, "The year in figures") == \
        "The year in figures: Members: 2022–23: 610, 2023–24: 702, Change: +15.1%"
    assert row_reading(ROW, "| Measure | Value |") == ROW  # a header that does not fit says nothing
    spans = candidate_spans((Passage(Chunk("c0", "d0", "brookvale_review.md", 0, 0, len(REPORT), REPORT), 1.0),))
    members = next(s for s in spans if s.sentence == ROW)
    assert members.block == HEADER and cross_reading(members).startswith("The year in figures: Members: 2022–23: 610")


@pytest.mark.parametrize("question,sentence,other_time", [
    ("How many tools did they lend out last year?", "- Aim to lend up to 7,000 tools while keeping the list short.", True),
    ("How many tools did they lend out last year?", "We plan to lend 7,000 tools next year.", True),
    ("How many tools did they lend out last year?", "Our target is 7,000 tools.", True),
    ("How many tools did they lend out last year?", "The library lent 5,386 tools.", False),
    ("How many tools will they lend next year?", "We aim to lend 7,000 tools.", False),  # the aim is what is asked
    ("What time is he on now?", "The talk was originally scheduled for 11:30.", True),
])
def test_an_aim_does_not_answer_what_was_done(question, sentence, other_time):
    from qa.anaphora import out_of_its_time

    assert out_of_its_time(question, sentence) is other_time


def test_a_row_counts_what_its_first_cell_names():
    question = "How many tools did the Sheffield tool library lend out last year?"
    passage = Passage(Chunk("c0", "d0", "brookvale_review.md", 0, 0, len(REPORT), REPORT), 1.0)
    request = GenerationRequest(question, question, (passage,))
    spans = of_the_asked_type(request, answer_type(question), candidate_spans((passage,)))
    # The row, though no number in it is followed by "tools", as well as the plan for 7,000 tools.
    assert any(s.sentence.startswith("| Tools lent") for s in spans)
    assert not any(s.sentence.startswith("| Members") for s in spans)


@pytest.mark.slow
def test_last_years_figure_is_read_from_the_table_under_its_year(fresh_docqa, tmp_path):
    """The question names the town the strapline names, not the library's own name, and "last year" is no column
    title: the answer is the 2023–24 cell, cited."""
    docqa = ingest_text(fresh_docqa, tmp_path, "brookvale_review.md", REPORT)
    answer = docqa.ask("How many tools did the Sheffield tool library lend out last year?", [],
                       generator="extractive")
    assert_cited_answer(answer, "5,386")
    assert answer.short_answer == "5,386"
    assert HEADER in answer.answer  # the row is shown under its column titles


def test_the_strapline_under_the_title_says_what_the_report_is_about():
    from qa.generators.spans import document_stems
    from qa.text import stem

    passage = Passage(Chunk("c0", "d0", "brookvale_review.md", 0, 0, len(REPORT), REPORT), 1.0)
    assert stem("Sheffield") in document_stems([passage], 0, opening=True)
    assert stem("Sheffield") not in document_stems([passage], 0)  # only where a number must be about the asked place
    later = Passage(Chunk("c1", "d0", "brookvale_review.md", 1, 200, 200 + len(REPORT), REPORT), 1.0)
    assert stem("Sheffield") not in document_stems([later], 0, opening=True)  # the opening was not retrieved

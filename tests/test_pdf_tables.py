"""PDF tables: a page holding a table is read in pypdf's layout mode, so a row's cells stay on one line and an
answer from a cell cites its page; prose pages read exactly as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.loaders import load_bytes

PROSE = ["The water board publishes this report every spring.", "It met four times this year and approved",
         "a new reservoir for the eastern valleys."]
ROWS = [("Town", "Population", "Founded"), ("Harwick", "12,400", "1891"), ("Lowmere", "8,150", "1902"),
        ("Castleby", "3,020", "1788"), ("Dunmoor", "27,900", "1654")]


def table_pdf() -> bytes:
    """Page 1 prose, page 2 a caption and a three-column table drawn cell by cell, as report writers make them."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for row, line in enumerate(PROSE):
        pdf.drawString(72, 760 - 18 * row, line)
    pdf.showPage()
    pdf.drawString(72, 780, "Towns supplied by the board, with their population and the year each was founded.")
    for row, cells in enumerate(ROWS):
        for column, cell in enumerate(cells):
            pdf.drawString(72 + 150 * column, 740 - 18 * row, cell)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_table_row_reads_as_one_line_and_prose_pages_are_unchanged():
    data = table_pdf()
    loaded = load_bytes(data, "pdf", name="board.pdf")
    assert "Lowmere | 8,150 | 1902" in loaded.text
    assert "Town | Population | Founded" in loaded.text
    plain_first_page = PdfReader(io.BytesIO(data)).pages[0].extract_text().strip()
    first = loaded.pages[0]
    assert loaded.text[first.start:first.end].strip() == plain_first_page
    second = loaded.pages[1]
    assert second.page == 2 and "Castleby | 3,020 | 1788" in loaded.text[second.start:second.end]


def test_plain_mode_alone_would_have_split_the_row():
    """The reason for layout mode: pypdf's plain mode puts each cell on a line of its own."""
    plain = PdfReader(io.BytesIO(table_pdf())).pages[1].extract_text()
    assert "Lowmere\n8,150\n1902" in plain


@pytest.mark.slow
def test_an_answer_from_a_cell_cites_the_table_page(tmp_path: Path, fresh_docqa):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "board.pdf").write_bytes(table_pdf())
    report = fresh_docqa.ingest([str(tmp_path / "docs")])
    assert report.ok and report.added == 1, report.to_dict()
    answer = fresh_docqa.ask("What is the population of Lowmere?")
    assert "8,150" in answer.answer, answer.to_dict()
    assert answer.citations and {c.page for c in answer.citations} == {2}, answer.to_dict()

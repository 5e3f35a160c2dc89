"""The rows of a programme differ by what each one is. "Who gives the first keynote?" is answered by the row saying
"Keynote", not by the opening-remarks row that shares more names with the question. On a programme written for these
tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.abstain import Evidence
from qa.generators.spans import Span
from qa.generators.typed import the_row_saying_the_asked_relation_first
from tests.conftest import assert_cited_answer, ingest_text

PROGRAMME = """# Westmoor Data Summit 2025 — Programme

Organised by: the Westmoor Data Network, a volunteer community of analysts in the south-west.

## Day 1 — Tuesday 14 October: Workshops

| Time | Room | Session |
|------|------|---------|
| 10:00–12:30 | Room 2 | **Cleaning council spreadsheets** — Jo Pike, Fernside Analytics |
| 13:30–16:00 | Room 3 | **Maps for beginners** — Ola Dahl, Kestrel Mapping |

## Day 2 — Wednesday 15 October: Keynotes and main track

| Time | Room | Session |
|------|------|---------|
| 09:00–09:20 | Hall A | Opening remarks — Ruth Amadi, chair of the Westmoor Data Network |
| 09:30–10:30 | Hall A | **Keynote: "Counting the buses"** — Dr Tomas Lind, Westmoor University |
| 10:30–11:00 | Foyer | Coffee and posters |
| 11:00–12:00 | Hall A | **Keynote: "Open budgets"** — Priya Nair, Harbour Council |
"""

WELCOME = "| 09:00-09:15 | Theatre | Welcome - Councillor Ruth Amadi, chair of the Westmoor Open Data Group |"
KEYNOTE = '| 09:15-10:00 | Theatre | Keynote: "Counting the buses" - Dr Tomas Lind, Westmoor University |'


def _choice(sentence: str, relation: float, passage: int = 0) -> tuple[Span, Evidence, float]:
    evidence = Evidence(similarity=0.5, overlap=0.5, type_ok=True, typed_question=True, relation=relation)
    return Span(passage, 0, len(sentence), sentence, sentence), evidence, 1.0


@pytest.mark.parametrize("choices,first", [
    # The welcome row says nothing of a keynote; the keynote row of the same table does: it goes first.
    ([_choice(WELCOME, 0.0), _choice("Tickets are free.", 0.5), _choice(KEYNOTE, 0.5)], KEYNOTE),
    # A first row already saying part of the asked relation keeps its place ...
    ([_choice(WELCOME, 0.5), _choice(KEYNOTE, 1.0)], WELCOME),
    # ... and so does a first choice that is no row, or a row of another table.
    ([_choice("Dr Tomas Lind opens the day.", 0.0), _choice(KEYNOTE, 1.0)], "Dr Tomas Lind opens the day."),
    ([_choice(WELCOME, 0.0), _choice(KEYNOTE, 1.0, passage=1)], WELCOME),
])
def test_the_row_saying_the_asked_relation_goes_first(choices, first):
    ordered = the_row_saying_the_asked_relation_first(choices)
    assert ordered[0][0].sentence == first
    assert len(ordered) == len(choices) and set(map(id, ordered)) == set(map(id, choices))


@pytest.mark.slow
def test_the_keynote_is_answered_by_the_keynote_row(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "programme.md", PROGRAMME)
    answer = docqa.ask("Who gives the first keynote at the Westmoor Data Summit?", [], generator="extractive")
    assert_cited_answer(answer, "Tomas Lind")

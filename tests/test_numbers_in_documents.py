"""Number questions over documents that name their subject once: which count answers "how many <things>", and a
rent clause that never repeats the flat's name. The texts are new; no dev or test question uses them."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type
from qa.generate import GenerationRequest
from qa.generators.spans import candidate_spans, document_stems
from qa.generators.typed import of_the_asked_type
from qa.models import Chunk, Passage
from qa.text import stem
from tests.conftest import ingest_text

RECIPE = ("On winter evenings my aunt made these fritters with apples from the two trees behind the house. "
          "Serves 6 · Makes 18 fritters · Prep time 15 minutes · Cook time 25 minutes")

TENANCY = """SHORT LET AGREEMENT

1. The Parties
1.1 The Landlord: Odile Varga.
1.2 The Tenant: Samir Quayle.

2. The Property
2.1 The Property is Flat 2, 9 Birch Lane, Hollowmere, a one-bedroom ground-floor flat with a small garden.

3. Term
3.1 The tenancy runs for twelve months from 1 May 2025.

4. Rent
4.1 The rent is £980 per calendar month, payable in advance on the 1st day of each month.
4.2 The rent may be reviewed once a year, on the anniversary of the start date.
"""


def _request(question: str, *texts: str, source: str = "notes.txt") -> GenerationRequest:
    passages = tuple(Passage(Chunk(f"c{i}", "d0", source, i, 0, len(t), t), 1.0) for i, t in enumerate(texts))
    return GenerationRequest(question=question, query=question, passages=passages)


def test_how_many_things_prefers_a_count_of_those_things():
    request = _request("How many fritters does the recipe make?", RECIPE)
    spans = of_the_asked_type(request, answer_type(request.question), candidate_spans(request.passages))
    assert spans and all("18 fritters" in s.text for s in spans)
    # with no count of the asked things, any count still offers an answer
    other = _request("How many pancakes does the recipe make?", RECIPE)
    assert any("two trees" in s.text for s in of_the_asked_type(other, answer_type(other.question),
                                                                 candidate_spans(other.passages)))


def test_a_document_names_its_subject_in_its_file_name():
    request = _request("How much is the rent?", "4.1 The rent is £980 per calendar month.", "2.1 The Property is "
                       "Flat 2, 9 Oak Row.", source="/home/me/lets/tenancy_birch_lane.txt")
    named = document_stems(request.passages, 0)
    assert {stem("Birch"), stem("Lane"), stem("tenancy")} <= named
    assert stem("Oak") not in named  # what other passages name is not what the document is about


@pytest.mark.parametrize("question,kind", [
    ("Where does the name Quillon come from?", None),
    ("Where did the word fritter come from?", None),
    ("Where does she come from?", "place"),
])
def test_where_a_name_comes_from_asks_for_an_origin_not_a_place(question, kind):
    assert answer_type(question).kind == kind


@pytest.fixture
def tenancy(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "short_let_birch_lane.txt", TENANCY)


@pytest.mark.slow
def test_the_rent_of_a_flat_named_only_in_another_clause(tenancy):
    answer = tenancy.ask("How much is the monthly rent on the Birch Lane flat?", generator="extractive")
    assert not answer.abstained, answer.flags
    assert "£980" in answer.answer
    assert all(c.text in TENANCY for c in answer.citations)

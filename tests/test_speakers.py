""""Who said that?" after an answer quoting someone: the speaker the passage attributes the quotation to, named in
the sentence itself, at the end of the quotation ("..., he said") or in the sentence introducing it."""

from __future__ import annotations

import pytest

from qa.speakers import asks_who_said_it, speaker_of
from tests.conftest import ingest_text, one_passage

ARTICLE = """Silver chalice stolen from Dunmere Abbey

Thieves took a medieval silver chalice from Dunmere Abbey on Friday night.
"Whoever did this knew the building well," said Canon Ruth Ashdown, the abbey's treasurer.
Peter Lowry, a former detective who now advises insurers, told the Evening Herald that such objects were hard to sell. "The danger is that it gets melted down for the silver, which would fetch perhaps £9,000. That would be a tragedy," he said.
"We are devastated," Ashdown told reporters.
The insurer's claims director, Joan Pike, said the firm would pay "a reward of £5,000 for the chalice's return".
"""


@pytest.mark.parametrize("question, asked", [
    ("Who said that?", True), ("And who said it?", True), ("Who wrote that?", True),
    ("Who said the chalice was stolen?", False), ("Who stole it?", False),
])
def test_who_said_that_is_recognised(question, asked):
    assert asks_who_said_it(question) is asked


@pytest.mark.parametrize("claim, speaker", [
    ("Whoever did this knew the building well", "Ruth Ashdown"),  # '"...," said Canon Ruth Ashdown'
    ("The danger is that it gets melted down for the silver, which would fetch perhaps £9,000.", "Peter Lowry"),
    ("We are devastated", "Ashdown"),  # '"...," Ashdown told reporters'
    ("the firm would pay a reward of £5,000 for the chalice's return", "Joan Pike"),  # "..., Joan Pike, said"
])
def test_the_speaker_is_whom_the_passage_attributes_the_quotation_to(claim, speaker):
    found = speaker_of(claim, one_passage(ARTICLE, "abbey.txt"))
    assert found is not None and found[0] == speaker


def test_a_claim_no_passage_says_has_no_speaker():
    assert speaker_of("The abbey will reopen to visitors next spring after repairs", one_passage(ARTICLE, "abbey.txt")) is None


def test_end_to_end_who_said_that(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "abbey.txt", ARTICLE)
    worth = docqa.ask("How much would the silver fetch?")
    assert "9,000" in worth.answer
    history = [{"role": "user", "content": "How much would the silver fetch?"},
               {"role": "assistant", "content": worth.answer}]
    said = docqa.ask("Who said that?", history)
    assert said.answer.startswith("Peter Lowry") and said.citations and not said.abstained


TESTIMONIALS = """What users say

Orla Quennell, Head of Platform --

    "It is the first queue we never had to babysit. It cut our overnight batch from
    six hours to under two."

Tamsin Vey, Data Engineer --

    "Setup took an afternoon and the docs answered every question we had."

"Rock solid under load."
— Piers Madoc, CTO
"""


@pytest.mark.parametrize("claim, speaker", [
    # the signature line above a testimonial, not the one above the next testimonial
    ("It cut our overnight batch from six hours to under two.", "Orla Quennell"),
    ("Setup took an afternoon and the docs answered every question we had.", "Tamsin Vey"),
    ("Rock solid under load.", "Piers Madoc"),  # a signature below, after a dash
])
def test_a_testimonial_is_said_by_its_signature_line(claim, speaker):
    found = speaker_of(claim, one_passage(TESTIMONIALS, "testimonials.txt"))
    assert found is not None and found[0] == speaker

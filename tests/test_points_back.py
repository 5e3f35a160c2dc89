"""Sentences pointing back in documents: one closing on "for this" or opening on "Staff in this bay" is read after
the sentence that says what "this" is; on notes written for these tests (no dev or test set uses them). A question
whose closing pronoun points back is tested in tests/test_rewrite.py."""

from __future__ import annotations

import pytest

from qa.generators.spans import candidate_spans, cross_reading
from qa.models import Chunk, Passage
from tests.conftest import assert_cited_answer, ingest_text

NOTES = """Harlow depot review, 14 May

Attendees: Oskar Lind, Priya Dane, Wen Hollis.

Priya asked for a second forklift so that the night shift can unload without waiting.
Oskar agreed the budget can stretch to £2,400 a quarter for that.
Wen will move the spare racking to bay 6 before the audit.
Staff working in this bay must wear gloves.
The fire inspection is booked for Thursday 22 May.
The loading dock lights were replaced last week.
Preparing for this inspection is Wen's job.
"""


def _spans(text: str):
    chunk = Chunk("c0", "d0", "harlow_review.md", 0, 0, len(text), text)
    return {s.sentence: s for s in candidate_spans([Passage(chunk, 1.0)]) if s.text == s.sentence}


@pytest.mark.parametrize("sentence,lead", [
    ("Oskar agreed the budget can stretch to £2,400 a quarter for that.",
     "Priya asked for a second forklift so that the night shift can unload without waiting."),
    # "before the audit" names what it means; only a closing "this"/"that" leaves it to the sentence before
    ("Wen will move the spare racking to bay 6 before the audit.", ""),
    ("Staff working in this bay must wear gloves.", "Wen will move the spare racking to bay 6 before the audit."),
    # the sentence before never names an inspection: "this" points further back, and no lead is guessed
    ("Preparing for this inspection is Wen's job.", ""),
])
def test_a_sentence_pointing_back_with_this_is_read_after_the_one_before(sentence, lead):
    span = _spans(NOTES)[sentence]
    assert span.lead == lead
    assert cross_reading(span).startswith(lead or sentence)


@pytest.mark.slow
def test_a_budget_for_this_answers_what_can_be_spent_on_the_thing_before(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "harlow_review.md", NOTES)
    history = [{"role": "user", "content": "What did Priya ask for at the Harlow depot review?"},
               {"role": "assistant", "content": "A second forklift for the night shift."}]
    answer = docqa.ask("How much can they spend on the new forklift?", history, generator="extractive")
    assert_cited_answer(answer, "£2,400")


def test_they_after_the_writers_own_doing_points_at_what_was_named_before_it():
    """A note written for this test: "They" is the inn, not the "I" of the sentence between."""
    note = ("The Ferry Inn confirmed our table for eight at 7pm. I paid the £60 deposit from the club account. "
            "They have a vegan pie on the winter menu, so Ravi is fine.\n")
    spans = _spans(note)
    assert spans["They have a vegan pie on the winter menu, so Ravi is fine."].lead == \
        "The Ferry Inn confirmed our table for eight at 7pm."
    # a sentence that is not the writer's own keeps the sentence right before it
    assert _spans("The inn is by the river. Its owner cooks. They open at noon.\n")["They open at noon."].lead == \
        "Its owner cooks."
    # a quotation names its speaker, who may be what the next sentence's pronoun means
    quoted = 'Police met the owners. "We believe the van was stolen," Inspector Rowe said. They asked for witnesses.\n'
    assert _spans(quoted)["They asked for witnesses."].lead.startswith('"We believe')

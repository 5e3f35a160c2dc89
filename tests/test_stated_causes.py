"""A "why" question is answered by the sentence stating a cause ("because ...") over a conditional that only shares
the question's words ("if the date slips ..., after the summer shutdown") (texts written for these tests)."""

from __future__ import annotations

import pytest

from tests.conftest import ingest_text

REPORT = """Project Kestrel - Status Report, Sprint 9

Summary
The booking engine was finished this sprint and passed its load test. However, the launch date has moved from
3 March 2026 to 14 April 2026, because the supplier, Fendale Rigs, delivered the test rigs six weeks later than agreed.
We cannot start end-to-end testing without them.

Risks
On R4: if the 14 April date slips by more than five weeks, the next launch window would be after the summer
shutdown, in September 2026.
"""


def _choice(sentence: str, cross: float):
    from qa.abstain import Evidence
    from qa.generators.spans import Span

    span = Span(0, 0, len(sentence), sentence, sentence)
    return span, Evidence(similarity=0.3, overlap=0.5, type_ok=True, typed_question=False, cross=cross), cross


def _request(question: str):
    from qa.generate import GenerationRequest

    return GenerationRequest(question, question, ())


CONDITIONAL = "If the date slips by five weeks, the launch would be after the summer shutdown."
CAUSE = "The launch has moved because the rigs arrived six weeks late."


@pytest.mark.parametrize("cause_cross, first", [(0.9, CAUSE), (0.5, CONDITIONAL)])
def test_a_stated_cause_goes_first_only_when_the_cross_encoder_prefers_it(cause_cross, first):
    from qa.generators.typed import by_the_stated_cause_first

    choices = [_choice(CONDITIONAL, 0.6), _choice("Testing starts in May.", 0.95), _choice(CAUSE, cause_cross)]
    assert by_the_stated_cause_first(_request("Why did the launch slip?"), choices)[0][0].sentence == first


def test_only_a_why_question_moves_a_stated_cause_first():
    from qa.generators.typed import by_the_stated_cause_first

    choices = [_choice(CONDITIONAL, 0.6), _choice(CAUSE, 0.9)]
    assert by_the_stated_cause_first(_request("When is the launch?"), choices) == choices


@pytest.mark.slow
def test_why_the_date_slipped_is_the_sentence_saying_because(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "kestrel_status_report.txt", REPORT)
    history = [{"role": "user", "content": "What's the new launch date for Project Kestrel?"},
               {"role": "assistant", "content": "14 April 2026."}]
    answer = docqa.ask("Why did it slip?", history)
    assert answer.query.startswith("Why did the launch date for Project Kestrel slip?")
    assert not answer.abstained
    assert "Fendale Rigs" in answer.answer and "summer shutdown" not in answer.answer

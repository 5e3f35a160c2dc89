"""A question for what a code or term means ("What does error E4 mean?") is answered by the line defining it in a list
of codes or a glossary ("- E4 — Temperature sensor fault."), which says the term and its meaning but none of the
question's other words. On a manual page written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.tables import defined_term, defines
from tests.conftest import assert_cited_answer, ingest_text

MANUAL = """Corvane DP-40 dehumidifier: troubleshooting

When the dehumidifier detects a problem it stops the compressor, the power light blinks amber and the panel shows a
code.

Codes

- P1 — Water tank full or not seated.
- P3 — Humidity sensor fault.
- P5 — Coil frozen; the unit defrosts itself.

If the tank is seated and emptied and P1 stays on the panel, the float may be stuck: press it down gently.
Most faults clear after the unit has been switched off at the wall for ten minutes.
"""


@pytest.mark.parametrize("question,term", [
    ("What does error E4 mean on the kettle?", "E4"),
    ("What does LFU stand for?", "LFU"),
    ("So what does code P3 indicate?", "P3"),
    ("What does it mean?", None),  # a pronoun is no term to look up
    ("What does the kettle do when it boils?", None),
])
def test_the_term_asked_about(question, term):
    assert defined_term(question) == term


@pytest.mark.parametrize("line,defined", [
    ("- E4 — Temperature sensor fault.", True),
    ("| E4 | Temperature sensor fault |", True),
    ("Error E4: the temperature sensor has failed.", True),
    ("E42 — Lid open.", False),  # another code
    ("E4 means the sensor has failed.", False),  # a sentence, read as one already
    ("The E4 code shows — then the light blinks.", False),  # the code named inside a sentence
])
def test_a_line_defines_the_term_it_opens_with_before_a_separator(line, defined):
    assert defines(line, "E4") is defined


@pytest.mark.slow
def test_a_code_is_answered_by_its_line_in_the_list_of_codes(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "dp40.md", MANUAL)
    answer = docqa.ask("What does error P3 mean on the Corvane dehumidifier?", [], generator="extractive")
    assert_cited_answer(answer, "Humidity sensor fault")

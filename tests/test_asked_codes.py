"""A question naming a code ("error F3", "ticket OPS-118", "Q3") is not answered by a sentence about another code of
the same kind (texts written for these tests)."""

from __future__ import annotations

import pytest

from tests.conftest import chat, ingest_text


@pytest.mark.parametrize("texts, question, expected", [
    (("If F2 appears again on a cool heater, contact support.",), "What does error F3 mean?", True),
    (("- F3 — Fan blocked.",), "What does error F3 mean?", False),
    (("Clear the vents and restart.", "", "", "- F3 — Fan blocked."), "What does error F3 mean?", False),
    (("Revenue rose 4% in Q2.",), "How much did revenue grow in Q3?", True),
    (("Revenue rose 4% in the quarter.",), "How much did revenue grow in Q3?", False),  # no code: may answer
    (("OPS-117 was closed on Friday.",), "Who owns ticket OPS-118?", True),
    (("Tickets OPS-117 and OPS-118 were merged.",), "Who owns ticket OPS-118?", False),
    (("The A40 was closed.",), "What does error F3 mean?", False),  # another kind of code
    (("If F2 appears again, contact support.",), "Which is worse, F2 or F3?", False),
    (("If F2 appears again, contact support.",), "How do I clear the error?", False),  # no code asked
])
def test_a_sentence_about_another_code_of_the_asked_kind(texts, question, expected):
    from qa.versions import of_another_code

    assert of_another_code(texts, question) is expected


MANUAL = """4. Error codes

When the heater detects a fault it switches off and the display shows a code.

- F1 — Tilt switch open. The heater has been knocked over or is standing on a soft surface. Stand it upright on a
  hard floor and switch it on again.
- F2 — Overheating. The thermal cut-out has tripped, usually because the air outlet was covered. If F2 appears again
  on a heater that is cool, stop using it and contact Orvane Support.
- F3 — Fan blocked. Dust or a foreign object has stopped the fan turning. Unplug the heater and clear the rear grille.
- F4 — Thermostat fault. The room sensor is giving impossible readings. The heater needs a repair under warranty.
"""


@pytest.mark.slow
def test_what_an_error_code_means_is_not_answered_from_another_codes_sentence(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "orvane_heater_manual.txt", MANUAL)
    answer = docqa.ask("What does error F3 mean on the Orvane heater?")
    assert not answer.abstained and "Fan blocked" in answer.answer
    assert "F2" not in answer.answer and "F1" not in answer.answer and "F4" not in answer.answer
    follow_up = docqa.ask("How do I fix it?", history=chat("What does error F3 mean on the Orvane heater?",
                                                           "Fan blocked [1]."))
    assert "F2" not in follow_up.answer and "contact Orvane Support" not in follow_up.answer

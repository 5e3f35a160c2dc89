"""Follow-ups that say what they ask about in their own words ("And when are the stitches due out?"): the words
carried from the previous turn help find the document but must not choose the sentence (texts written for these
tests)."""

from __future__ import annotations

import pytest

from tests.conftest import chat, ingest_text

LETTER = """Clinic letter: Mr Arthur Dale

Mr Dale, 71, had his left ankle fracture fixed with a plate and screws on 2 June 2025 at Harbourside Hospital.

Follow-up: his fracture clinic appointment is on Wednesday 11 June 2025 at 09:15 in the Orthopaedic Outpatients
Department, where the splint will be changed for a walking boot.

Wound care: the practice nurse at Quayside Surgery will take the stitches out on Monday 16 June 2025.

Mr Dale's son, Peter Dale, will drive him to both appointments.
"""


@pytest.mark.slow
def test_a_follow_up_naming_its_own_subject_is_answered_by_its_own_words(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "clinic.md", LETTER)
    clinic = docqa.ask("When is Mr Dale's fracture clinic appointment?")
    assert clinic.answer.startswith("Wednesday 11 June 2025") or clinic.answer.startswith("11 June 2025")
    stitches = docqa.ask("And when are the stitches due out?",
                         chat("When is Mr Dale's fracture clinic appointment?", clinic.answer))
    assert not stitches.abstained
    assert "16 June 2025" in stitches.short_answer
    assert "16 June 2025" in stitches.citations[0].text

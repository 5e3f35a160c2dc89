"""A bare "where" may be answered by no named place ("in the handle", "from donations"); a city or a birthplace is one."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from tests.conftest import ingest_text


@pytest.mark.parametrize("question,sentence,offered", [
    ("Where does the warning light show up?", "The lamp on the front panel blinks twice.", True),
    ("Where do I hand in the form?", "Forms go to the desk at the library entrance.", True),
    ("Where can I get the signing keys?", "You can get them from example-org/release-keys.", True),
    ("Where is the heater made?", "Aldermoor Oil Heater AH-9 - Fault guide", False),
    ("Where was the composer born?", "She was born in the winter of that year.", False),
    ("Where is the charity based?", "The charity is based in Leeds.", True),
    ("Where is the charity based?", "The charity is based on the donations it receives.", False),
    ("Which city hosts the final?", "The final is played in the new stadium.", False),
])
def test_a_bare_where_is_answered_by_a_place_or_by_where_in_something(question, sentence, offered):
    wanted = answer_type(question)
    assert wanted.kind == "place" and wanted.strict
    assert offers(sentence, wanted, question) is offered


HEATER_GUIDE = """Aldermoor Oil Heater AH-9 - Fault guide

Fault codes

When the heater finds a fault it switches off its element, the power lamp blinks amber, and a small screen under the
carry grip shows a code. Write the code down before you call us.

- F1: the heater has tipped over. Stand it upright on a level floor and press reset.
- F2: the thermal fuse has tripped. Let the heater cool for an hour.
"""


@pytest.mark.slow
def test_where_a_code_shows_up_is_answered_by_the_part_that_shows_it(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "aldermoor_heater_faults.txt", HEATER_GUIDE)
    answer = docqa.ask("Where does the fault code show up on the Aldermoor heater?")
    assert not answer.abstained and "carry grip" in " ".join(answer.answer.split()), answer.answer
    unanswerable = docqa.ask("Where is the Aldermoor heater made?")
    assert unanswerable.abstained, unanswerable.answer

"""What a question asks of a change a sentence reports: the level it rose to, by how much it moved, or the date a plan
moved to (texts written for these tests)."""

from __future__ import annotations

import pytest

from tests.conftest import short_of

SALES = "Sales for the half were £41.2m, up 9% on the £37.8m of a year earlier."
COST = "The bridge was shelved in 2019 after its estimated cost rose from £75 million to £120 million."
LAUNCH = "We have decided to move the launch of the Kestrel 3 from March 2025 to September 2025."
DEAL = "Harbour Line will buy signalling kits from us under a five-year agreement worth £7.4m."


@pytest.mark.parametrize("question, text, expected", [
    ("How much were they up?", SALES, "9%"),
    ("By how much did sales rise?", SALES, "9%"),
    ("How much were sales?", SALES, "£41.2m"),
    ("How much had the cost risen to?", COST, "£120 million"),
    ("How much did the cost rise to?", COST, "£120 million"),
    ("When will it launch now?", LAUNCH, "September 2025"),
    ("When was it originally supposed to launch?", LAUNCH, "March 2025"),
    ("How big is the Harbour Line contract?", DEAL, "£7.4m"),  # not the "five" of "five-year"
])
def test_a_change_is_read_as_the_question_asks(question, text, expected):
    assert short_of(question, text) == expected

"""An itinerary gives each flight as two lines, the departure over the arrival. A question for when the flight *to* a
place leaves finds the arrival line naming that place, but is answered by the departure line above it; a question for
when the flight *from* a place lands, by the arrival line below its departure. On a booking written for these tests
(no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.generate import GenerationRequest
from qa.generators.spans import Span
from qa.generators.typed import the_asked_end_of_the_leg_first
from tests.conftest import assert_cited_answer, ingest_text

BOOKING = """Your trip is confirmed: Oslo and Bergen, 3-7 June 2025 (Ref NTX-55Q)

Dear Ms Haugen,

Thank you for booking with Northtrail Travel. Your itinerary is below.

TUESDAY 3 JUNE 2025 - OUTBOUND FLIGHT
  Skyline Air flight SK 2210
  Depart  Edinburgh (EDI)                      06:55
  Arrive  Oslo Gardermoen (OSL)                10:05 (local time)
  Fare: Light - 1 x 8 kg cabin bag per person

SATURDAY 7 JUNE 2025 - RETURN FLIGHT
  Skyline Air flight SK 2217
  Depart  Bergen Flesland (BGO)                17:40 (local time)
  Arrive  Edinburgh (EDI)                      18:45
  Fare: Light - 1 x 8 kg cabin bag per person

Please arrive at the airport at least two hours before departure.
"""

ARRIVE_OSLO = "Arrive  Oslo Gardermoen (OSL)                10:05 (local time)"
DEPART_EDINBURGH = "Depart  Edinburgh (EDI)                      06:55"
DEPART_BERGEN = "Depart  Bergen Flesland (BGO)                17:40 (local time)"
ARRIVE_EDINBURGH = "Arrive  Edinburgh (EDI)                      18:45"


def _choice(sentence: str, previous: str, score: float) -> tuple[Span, None, float]:
    return Span(0, 0, len(sentence), sentence, sentence, previous=previous), None, score


CHOICES = [_choice(ARRIVE_OSLO, DEPART_EDINBURGH, 1.2), _choice(DEPART_BERGEN, "Skyline Air flight SK 2217", 1.1),
           _choice(DEPART_EDINBURGH, "Skyline Air flight SK 2210", 0.4), _choice(ARRIVE_EDINBURGH, DEPART_BERGEN, 0.3)]


@pytest.mark.parametrize("question,order,first", [
    # The flight to Oslo leaves from Edinburgh: the line above the Oslo arrival.
    ("What time does our flight to Oslo leave?", CHOICES, DEPART_EDINBURGH),
    # The flight from Bergen lands in Edinburgh: the line below the Bergen departure.
    ("When do we land on the flight from Bergen?", [CHOICES[1], *CHOICES[2:], CHOICES[0]], ARRIVE_EDINBURGH),
    # An arrival asked for is the arrival line already; a question asking neither leaves the order alone.
    ("When do we arrive in Oslo?", CHOICES, ARRIVE_OSLO),
    ("Which airport do we fly to first?", CHOICES, ARRIVE_OSLO),
])
def test_the_asked_end_of_a_leg_goes_first(question, order, first):
    ordered = the_asked_end_of_the_leg_first(GenerationRequest(question, question, ()), order)
    assert ordered[0][0].sentence == first
    assert sorted(c[2] for c in ordered) == sorted(c[2] for c in order)  # reordered, none lost


@pytest.mark.slow
def test_the_flight_to_a_place_leaves_at_the_time_on_the_line_above_its_arrival(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "booking.txt", BOOKING)
    answer = docqa.ask("What time does our flight to Oslo leave?", [], generator="extractive")
    assert_cited_answer(answer, "06:55")

"""Credits inside a text and labels that only look like names: "Reported by Marta Ilves." closing a changelog entry
says who reported the bug (a byline opens its own line), "ISBN 3-8273-2094-1" and a web address name nobody, and
"And the rota, who set that?" points at the topic it sets itself. The changelog below was written for these tests
(no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.bylines import is_byline
from qa.entities import cross_query
from qa.generate import GenerationRequest
from qa.name_kinds import no_person_at
from tests.conftest import ingest_text

CHANGELOG = """# Fernlog changelog

Fernlog is a small tool for rotating and compressing application log files on Linux servers.

## 2.3.0 — 12 May 2026

### Security
- FLA-2026-004: archives were written with world-readable permissions, which exposed log lines to other local users. Archives are now created with mode 0600. Reported by Tomasz Wierzba.

### Changes
- The --keep option now accepts a number of days as well as a number of files.
- Compression uses zstd by default; pass --gzip for the old format.
"""

STORY = """Kelda harbour reopens after storm repairs

Reported by Ines Marlowe

Kelda harbour reopened on Monday after six weeks of repairs to the north wall, which was breached in the January storm.
Harbourmaster Owen Tullis said the work cost £1.4m and was paid for by the county council.
"""


@pytest.mark.parametrize("sentence,before,expected", [
    ("By Mira Castell, Industry Reporter", "Brannock Tiles to shut two kilns\n\n", True),
    ("Reported by Ines Marlowe", "", True),
    ("Reported by Ines Marlowe", "Kelda harbour reopens\n\n  ", True),
    ("Reported by Tomasz Wierzba.", "- FLA-2026-004: archives were written ... Archives are now created with mode 0600. ",
     False),
    ("By then the kilns were cold.", "", False),
])
def test_a_byline_opens_its_own_line(sentence, before, expected):
    assert is_byline(sentence, before) is expected


@pytest.mark.parametrize("text,label", [
    ("2nd edition, March 2003\n  ISBN 3-8273-2094-1", "ISBN"),
    ("The details are in PEP 263, accepted in 2001.", "PEP"),
    ("See http://www.example.de/book.asp?page=details&ProductID=37214 for details.", "ProductID"),
])
def test_a_label_of_a_number_or_a_word_of_a_web_address_is_nobody(text, label):
    start = text.index(label)
    assert no_person_at(text, start, start + len(label))
    wanted = answer_type("Who publishes it?")
    assert not offers(text, wanted, "Who publishes it?")


def test_a_person_beside_an_identifier_is_still_somebody():
    text = "Published by Ada Kessel, ISBN 3-8273-2094-1."
    start = text.index("Ada")
    assert not no_person_at(text, start, start + len("Ada"))
    assert offers(text, answer_type("Who publishes it?"), "Who publishes it?")


@pytest.mark.parametrize("question,query,expected", [
    # the pronoun points at the topic the question sets before it: the carried terms are the previous turn's
    ("And the conference dinner, how much is that?", "How much is the conference dinner? early-bird price",
     "How much is the conference dinner?"),
    ("The rota, who set it?", "Who set the rota? kiln shifts", "Who set the rota?"),
    # no topic set before the question: "that" leans on the turn before
    ("How much is that?", "How much is the conference dinner? early-bird price",
     "How much is the conference dinner? early-bird price"),
])
def test_a_question_setting_its_own_topic_is_read_without_the_carried_terms(question, query, expected):
    assert cross_query(GenerationRequest(question=question, query=query, passages=())) == expected


@pytest.mark.slow
def test_a_credit_closing_an_entry_answers_who_while_a_byline_does_not(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "fernlog_changelog.md", CHANGELOG)
    docqa = ingest_text(docqa, tmp_path, "kelda_harbour.txt", STORY)
    reporter = docqa.ask("Who reported FLA-2026-004?", generator="extractive")
    assert not reporter.abstained and reporter.short_answer == "Tomasz Wierzba", reporter.answer
    assert any("Reported by Tomasz Wierzba." in c.text for c in reporter.citations), reporter.citations
    paid = docqa.ask("Who paid for the Kelda harbour repairs?", generator="extractive")
    assert "Ines Marlowe" not in paid.answer, paid.answer  # the story's byline reports nothing it says


def test_a_name_before_a_minute_is_a_player_not_a_label():
    text = "Sent off: Pearce 90+3"
    start = text.index("Pearce")
    assert not no_person_at(text, start, start + len("Pearce"))
    assert offers(text, answer_type("Who got sent off?"), "Who got sent off?", known=frozenset({"Pearce"}))

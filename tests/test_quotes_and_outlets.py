"""Quotations of several sentences read with the sentence naming their speaker, and "which platform" questions
answered by where something appeared, on a story written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.generators.spans import candidate_spans
from qa.models import Chunk, Passage
from qa.short_answer import short_answer
from tests.conftest import ingest_text

STORY = """Harbour council votes to close the old swimming baths

Councillor Mira Okafor, who chairs the leisure committee, opposed the closure at Tuesday's meeting.
“The baths have served this town for ninety years. Closing them now is a false economy,” she wrote on Mastodon.
The council says repairs to the roof would cost £1.2 million.
The Harbour Gazette first reported the vote on Wednesday morning.
"""


def _spans(text: str):
    chunk = Chunk("c0", "d0", "story.txt", 0, 0, len(text), text)
    return {s.sentence: s for s in candidate_spans([Passage(chunk, 1.0)]) if s.text == s.sentence}


def test_the_end_of_a_quotation_is_read_after_the_sentence_before_it_opened():
    spans = _spans(STORY)
    closing = spans["Closing them now is a false economy,” she wrote on Mastodon."]
    assert closing.lead.startswith("Councillor Mira Okafor")
    assert spans["The council says repairs to the roof would cost £1.2 million."].lead == ""
    # Straight quotation marks pair up the same way; a quotation closed in its own sentence leads nowhere.
    straight = _spans('Ana Reyes spoke first. "We lost. We will be back," she said. "Fine," he said at once.')
    assert straight['We will be back," she said.'].lead == "Ana Reyes spoke first."
    assert straight['"Fine," he said at once.'].lead == ""


@pytest.mark.parametrize("question", ["On which platform did Okafor post her criticism?",
                                      "Which website did the councillor use?"])
def test_which_platform_wants_where_something_appeared_not_any_name(question):
    wanted = answer_type(question)
    assert not offers("Councillor Mira Okafor, who chairs the leisure committee, opposed the closure.", wanted,
                      question)
    sentence = "Closing them now is a false economy,” she wrote on Mastodon."
    assert offers(sentence, wanted, question)
    assert short_answer(question, wanted, sentence) == "Mastodon"


@pytest.fixture
def story(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "baths.txt", STORY)


@pytest.mark.slow
@pytest.mark.parametrize("question,history", [
    ("On which platform did Okafor post her criticism?", []),
    ("Where did she write that?", [{"role": "user", "content": "Who opposed the closure of the swimming baths?"},
                                   {"role": "assistant", "content": "Councillor Mira Okafor [1]."}]),
])
def test_the_platform_is_answered_from_the_quotation_with_its_speaker(story, question, history):
    answer = story.ask(question, history, generator="extractive")
    assert not answer.abstained, answer.flags
    assert answer.short_answer == "Mastodon"
    assert any("wrote on Mastodon" in c.text for c in answer.citations)

"""When the chosen sentence never says what was asked, a runner-up that says all of it answers instead of an
abstention; a line that only repeats the document's name or the chat is never the answer to a wh-question. The
texts were written for these tests (no dev or test set uses them)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.abstain import Evidence
from qa.generate import GenerationRequest
from qa.generators.spans import candidate_spans
from qa.generators.weights import is_pleasantry, says_nothing_new
from qa.models import Chunk, Passage
from qa.relation import says_asked_relation

KEEPER = """Gannet Rock

- Gannet Rock

The keeper's cottage was rebuilt in stone after the fire of 1911.
Tomas Ferrier repaired the lighthouse lamp during the storm of 1923.
Visitors reach the rock by a causeway at low tide.
The lamp was shipped from Leith in 1890.
"""


def _passages(text: str = KEEPER, title: str = "Gannet Rock") -> tuple[Passage, ...]:
    chunk = Chunk("c0", "d0", "notes/gannet_rock.txt", 0, 0, len(text), text, title=title)
    return (Passage(chunk, 1.0),)


def _span(passages, words: str):
    return next(s for s in candidate_spans(passages) if words in s.sentence and s.text == s.sentence)


def _request(question: str, passages=(), history=(), query: str | None = None) -> GenerationRequest:
    return GenerationRequest(question, query or question, tuple(passages), tuple(history))


def test_a_title_line_says_nothing_new_but_a_line_with_an_answer_does():
    passages = _passages()
    title = _span(passages, "- Gannet Rock")  # a list line repeating the title
    asked = _request("Who repaired the lamp?", passages)
    assert says_nothing_new(asked, title)
    assert not says_nothing_new(asked, _span(passages, "Tomas Ferrier"))
    # Asked for the name itself, the title answers.
    assert not says_nothing_new(_request("What is the rock called?", passages), title)


def test_a_form_line_whose_value_the_question_already_says_is_no_answer():
    text = "Clinic letter\n\nPatient: Mr Arthur Dale\nProcedure: plate fixation of the left ankle on 2 June 2025\n"
    passages = _passages(text, title="Clinic letter")
    patient = _span(passages, "Patient:")
    assert says_nothing_new(_request("What operation did Arthur Dale have?", passages), patient)
    # Asked who the patient is, its value is the answer.
    assert not says_nothing_new(_request("Who is the patient?", passages), patient)


def test_a_sentence_says_something_though_a_one_line_file_is_titled_with_it():
    text = "Pears are different. The Conference pear ripens in October."
    passages = _passages(text, title=text)  # a plain-text file's first line is its title
    asked = _request("When does the Conference pear ripen?", passages)
    assert not says_nothing_new(asked, _span(passages, "ripens in October"))


@pytest.mark.parametrize("sentence,courtesy", [
    ("Brilliant, thank you Hannah!", True),
    ("Hi both,", True),
    ("Thanks so much, Jo!", True),
    ("Cheers, Marcus", True),
    ("Thanks to Ada Lovelace, the engine ran.", False),  # says what happened
    ("Thank you for booking Larkspur Barn for us.", False),  # says what was booked
    ("Great Britain.", False),
    ("Hello, World!", False),  # a program's output may be asked for
])
def test_a_greeting_or_thanks_answers_nothing(sentence, courtesy):
    assert is_pleasantry(sentence) is courtesy


def test_a_thank_you_is_no_answer_to_which_cottage_was_booked():
    text = "Done! I've booked Larkspur Barn for the long weekend.\n\nBrilliant, thank you Hannah!\n"
    passages = _passages(text, title="Re: cottage")
    asked = _request("Which cottage did Hannah book?", passages)
    assert says_nothing_new(asked, _span(passages, "Brilliant"))
    assert not says_nothing_new(asked, _span(passages, "Larkspur"))


def test_a_line_repeating_the_chat_says_nothing_new_and_a_number_always_may():
    text = "Harbour Guide\n\nThe guide covers the east coast.\n\n- Tomas Ferrier\n\n- Opened in 1911\n"
    passages = _passages(text, title="Harbour Guide")
    history = [{"role": "user", "content": "Who wrote the harbour guide?"},
               {"role": "assistant", "content": "Tomas Ferrier."}]
    follow_up = _request("Which harbours does he cover?", passages, history)
    assert says_nothing_new(follow_up, _span(passages, "Tomas Ferrier"))
    assert not says_nothing_new(_request("Which harbours does the guide cover?", passages),
                                _span(passages, "Tomas Ferrier"))  # nobody named him yet
    assert not says_nothing_new(follow_up, _span(passages, "1911"))


def test_a_runner_up_must_say_every_relation_word_the_chosen_answer_needs_one_of():
    request = _request("Who repaired the lighthouse lamp?")
    assert says_asked_relation(request, "Tomas Ferrier repaired the lamp.")
    assert not says_asked_relation(request, "Tomas Ferrier repaired the lamp.", fully=True)
    assert says_asked_relation(request, "Tomas Ferrier repaired the lighthouse lamp.", fully=True)
    assert not says_asked_relation(request, "Visitors reach the rock by a causeway.")


def _confident(span_evidence: Evidence) -> Evidence:
    return replace(span_evidence, similarity=0.9, overlap=0.9, type_ok=True, cross=0.99, relation=1.0)


@pytest.mark.slow
@pytest.mark.parametrize("runner_up,answers", [
    ("Tomas Ferrier repaired the lighthouse lamp", "Tomas Ferrier"),  # says every relation word: answers
    ("lamp was shipped", None),  # says the lamp but not who repaired it: the abstention stands
])
def test_the_answer_falls_to_a_runner_up_that_says_the_asked_relation(fresh_docqa, monkeypatch, runner_up, answers):
    generator = fresh_docqa.generator("extractive")
    passages = _passages()
    question = "Who repaired the lighthouse lamp?"
    chosen, other = _span(passages, "Visitors reach"), _span(passages, runner_up)
    base = Evidence(similarity=0.0, overlap=0.0, type_ok=True, typed_question=True)
    threshold = generator.policy.threshold
    choices = [(chosen, _confident(base), threshold + 0.01), (other, _confident(base), threshold + 0.01)]
    monkeypatch.setattr(generator, "ranked", lambda request: (choices, threshold + 0.01))
    answer = generator.answer(_request(question, passages))
    if answers is None:
        assert answer.abstained and answer.flags == ("abstained:answer-lacks-the-asked-relation",)
    else:
        assert not answer.abstained, answer.flags
        assert answer.answer.startswith(answers) and "lighthouse lamp" in answer.citations[0].text

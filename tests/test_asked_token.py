"""A technical question naming a token ("on systems with SIGALRM", "$DOMAIN", "--dry-run") is answered by a sentence
naming it, when one of the best few does and clears the threshold, not by a sentence about the tool in general. On a
manual page written for these tests (no dev or test set uses it)."""

from __future__ import annotations

import pytest

from qa.generate import GenerationRequest
from qa.generators.spans import Span
from qa.generators.typed import naming_the_asked_token_first
from tests.conftest import assert_cited_answer, ingest_text

MANUAL = """Brindle timeouts

Brindle is a pytest plugin that stops tests running longer than a limit.

Timeout methods

Brindle tries to pick the most suitable timeout method based on your platform, but occasionally you may need to
specify a timeout method explicitly.

The thread method starts a watchdog thread for every test and works everywhere, at some cost in speed.

If the system supports the SIGALRM signal the alarm method will be used by default. This method schedules an alarm
when the test starts and cancels it when the test finishes.

The alarm method cannot be used when the code under test installs its own handler.
"""


def _choice(sentence: str, score: float, previous: str = "") -> tuple[Span, None, float]:
    return Span(0, 0, len(sentence), sentence, sentence, previous=previous), None, score


@pytest.mark.parametrize("question,scores,first", [
    # The first choice does not name SIGALRM; the second does and clears the threshold: it goes first.
    ("Which method is used on platforms that support SIGALRM?", (1.3, 1.1), "SIGALRM"),
    # ... unless it does not clear the threshold on its own.
    ("Which method is used on platforms that support SIGALRM?", (1.3, 0.4), "Brindle picks"),
    # "$DOMAIN" and "DOMAIN" are one token; a question naming none leaves the order alone.
    ("Does $DOMAIN get substituted?", (1.3, 1.1), "${DOMAIN}"),
    ("Which method is used by default?", (1.3, 1.1), "Brindle picks"),
])
def test_the_choice_naming_the_asked_token_goes_first(question, scores, first):
    choices = [_choice("Brindle picks the most suitable method for your platform.", scores[0]),
               _choice("If the system supports SIGALRM, or a ${DOMAIN} is set, the alarm method is used.", scores[1])]
    ordered = naming_the_asked_token_first(GenerationRequest(question, question, ()), choices, threshold=0.54)
    assert first in ordered[0][0].sentence
    assert sorted(c[2] for c in ordered) == sorted(scores)  # reordered, none lost


def test_a_choice_after_the_sentence_naming_the_token_keeps_its_place():
    question = "And if I go with AF_INET sockets anyway?"
    choices = [_choice("“server” socket to 'localhost'.", 1.3, previous="If you decide to use AF_INET sockets, bind the"),
               _choice("If you decide to use AF_INET sockets, bind the", 1.1)]
    assert naming_the_asked_token_first(GenerationRequest(question, question, ()), choices, 0.54) == choices


@pytest.mark.slow
def test_a_question_naming_a_signal_is_answered_by_the_sentence_naming_it(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "brindle.md", MANUAL)
    answer = docqa.ask("Which timeout method does Brindle use by default on platforms that support SIGALRM?", [],
                       generator="extractive")
    assert_cited_answer(answer, "alarm method will be used by default")

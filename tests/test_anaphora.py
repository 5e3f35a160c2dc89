"""Temporal ("at the time", "by then") and "one" anaphora in follow-ups, on conversations written for these tests."""

import pytest

from qa.anaphora import anchored_time, kind_named, refers_to_a_kind, replace_one, time_fit
from qa.rewrite import rewrite_query
from tests.conftest import chat


@pytest.mark.parametrize("question", ["Where was she living at the time?", "How old was he by then?",
                                      "Who ran the mill back then?", "What did it cost that year?",
                                      "Who owned the farm then?"])
def test_a_time_reference_carries_the_latest_time_named(question):
    history = chat("When did Mara Quill open the bakery?", "She opened it in the late 1880s [1].")
    assert anchored_time(question, history) == "late 1880s"
    assert "late 1880s" in rewrite_query(question, history)


@pytest.mark.parametrize("question", ["Then who ran it?", "Who runs the mill now?", "What happened next?",
                                      # these say which time they mean: not the one the last turn named
                                      "Where was she living at the time of the fire?",
                                      "How old was she at the time she sold it?"])
def test_no_time_reference_carries_no_time(question):
    history = chat("When did Mara Quill open the bakery?", "In March 1887.")
    assert anchored_time(question, history) is None
    assert "1887" not in rewrite_query(question, history)


def test_the_latest_turn_naming_a_time_wins():
    history = chat("When was the bridge built?", "In 1902.", "When was it widened?", "In May 1931, after a flood.",
                       "Who paid for it?", "The county.")
    assert anchored_time("Who was mayor at the time?", history) == "May 1931"


@pytest.mark.parametrize("text, fit", [
    ("Mara Quill opened the bakery in 1887 on Tull Street.", 1),
    ("She sold it in 1912.", -1),
    ("In the mid 1880s the street was paved.", 1),
    ("The bakery still stands.", 0),
])
def test_a_sentence_names_the_anchored_time_another_or_none(text, fit):
    assert time_fit(text, "late 1880s") == fit


def test_a_sentence_pointing_back_has_the_time_of_the_one_before():
    before = "The bakery opened on Tull Street in 1887."
    assert time_fit("In October of the same year, she hired two apprentices.", "1887", before) == 1
    assert time_fit("In October of the same year, she hired two apprentices.", "1912", before) == -1
    assert time_fit("She hired two apprentices.", "1887", before) == 0  # no pointing back: no time


def test_early_and_late_decades_do_not_overlap():
    assert time_fit("In 1995 she moved.", "early 1990s") == -1
    assert time_fit("In 1992 she moved.", "early 1990s") == 1


@pytest.mark.parametrize("question, kind", [
    ("What is a pressure valve used for on a boiler?", "pressure valve"),
    ("Which tool do I use to create a sparse checkout?", "sparse checkout"),
    ("What glaze does the pottery use by default?", "glaze"),
])
def test_the_kind_a_question_introduces(question, kind):
    assert kind_named(question) == kind


@pytest.mark.parametrize("question, expected", [
    ("How do I fit a different one?", "How do I fit a different glaze?"),
    ("Can I mix two old ones?", "Can I mix two old glazes?"),
    ("How do I turn a cup into one?", "How do I turn a cup into glaze?"),
])
def test_one_is_replaced_by_the_kind(question, expected):
    assert refers_to_a_kind(question)
    assert replace_one(question, "glaze") == expected


@pytest.mark.parametrize("question", ["Which one wins?", "Is one of them faster?", "Can I take one more?",
                                      "Is it a one-off?", "Did one day pass?"])
def test_other_uses_of_one_are_left_alone(question):
    assert not refers_to_a_kind(question)


def test_a_follow_up_with_one_names_the_kind_from_the_previous_question():
    history = chat("What glaze does the pottery use by default?", "A clear ash glaze [1].")
    assert rewrite_query("How do I apply a different one?", history).startswith("How do I apply a different glaze?")


def test_the_april_ones_are_the_releases_the_last_question_named_for_october():
    # written for this test: "the April ones" stands for the kind "the October releases" named, as April's
    history = chat("How long are the October builds of Ferrow supported?", "Eight months.")
    question = "What happens to the April ones?"
    assert refers_to_a_kind(question)
    assert rewrite_query(question, history).startswith("What happens to the April builds?")
    assert not refers_to_a_kind("Is the first one free?")  # an ordinal picks among things listed, see resolve_ordinal

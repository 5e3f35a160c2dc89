"""Follow-ups that pick from a list ("the first one", "the latter"), counts of who takes part, option names given
on the line above their description, names that are no one, sources asked for by "where ... from", and list
items opening with an adverb (texts written for these tests)."""

from __future__ import annotations

import pytest

from tests.conftest import chat, ingest_text


@pytest.mark.parametrize("answer,expected", [
    ("TDF-2 and ISO 31090.", ["TDF-2", "ISO 31090"]),
    ("Yes: Ada Brook, Ravi Menon and Lena Ortiz [1].", ["Ada Brook", "Ravi Menon", "Lena Ortiz"]),
    ("£1,500 and £300.", ["£1,500", "£300"]),
    ("On October 16, 2000.", []),  # one date, not a list
    ("Neither: both were released on the same day, September 5, 2000.", []),  # a clause
    ("Guido and Neil, later integrated by Neil.", []),
    ("Marseille.", []),
])
def test_a_short_answer_lists_the_things_one_can_pick_from(answer, expected):
    from qa.ordinals import listed_items

    assert listed_items(answer) == expected


@pytest.mark.parametrize("history,question,expected", [
    (("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."),
     "Which older standard did the first one supersede?", "Which older standard did TDF-2 supersede?"),
    (("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."), "Who publishes the latter?",
     "Who publishes ISO 31090?"),
    (("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."), "And the second one?", "And ISO 31090?"),
    # With no list in the answer, the two things the last question chose between
    (("Which came out first, Corvid 1.6 or Corvid 2.0b1?", "Both came out on the same day."),
     "What was new in the former?", "What was new in Corvid 1.6?"),
    # An ordinal describing something is no pick
    (("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."), "When was the first version published?",
     None),
    (("Who chairs the board?", "Ada Brook and Ravi Menon."), "Who was the former chair?", None),
    (("Which standards specify the Tallow format?", "TDF-2."), "Who wrote the first one?", None),  # no list
])
def test_an_ordinal_picks_from_what_was_just_listed(history, question, expected):
    from qa.ordinals import resolve_ordinal

    assert resolve_ordinal(question, chat(*history)) == expected


def test_the_standalone_query_names_the_pick():
    from qa.rewrite import rewrite_query

    query = rewrite_query("Which older standard did the first one supersede?",
                          chat("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."))
    assert query.startswith("Which older standard did TDF-2 supersede?")


def test_counted_participants_answer_how_many_take_part():
    from qa.generate import GenerationRequest
    from qa.relation import says_asked_relation

    question = "How many volunteers would take part?"
    request = GenerationRequest(question, question, (), ())
    assert says_asked_relation(request, "The team plans a trial in which 450 volunteers would be randomly assigned.")
    died = "How many people died in the fire?"
    assert not says_asked_relation(GenerationRequest(died, died, (), ()), "Forty people were treated in hospital.")


def test_a_possessive_names_what_the_question_asks_about():
    from qa.answer_types import answer_type, offers

    question = "Who was Halden's record signing before Moreno?"
    assert not offers("Halden Town have confirmed the signing.", answer_type(question), question)
    assert offers("Their previous record signing was Tom Ashby.", answer_type(question), question)


SPHINX_OPTIONS = """<html><head><title>tallow.tool - command line interface</title></head><body>
<h1>tallow.tool - command line interface</h1>
<p>The tallow.tool module provides a command line interface to validate and pretty-print Tallow records.</p>
<dl class="std cmdoption">
<dt class="sig sig-object std" id="cmdoption-sort"><span class="pre">--sort-fields</span><a class="headerlink" href="#cmdoption-sort">¶</a></dt>
<dd><p>Sort the fields of every record alphabetically by name.</p></dd>
</dl>
<dl class="std cmdoption">
<dt class="sig sig-object std" id="cmdoption-one-line"><span class="pre">--one-line</span><a class="headerlink" href="#cmdoption-one-line">¶</a></dt>
<dd><p>Print each record on a single line instead of indenting it.</p></dd>
</dl>
<dl class="std cmdoption">
<dt class="sig sig-object std" id="cmdoption-strict"><span class="pre">--strict</span><a class="headerlink" href="#cmdoption-strict">¶</a></dt>
<dd><p>Reject records whose field names repeat.</p></dd>
</dl>
</body></html>
"""


@pytest.mark.slow
def test_an_option_is_named_by_the_entry_above_its_description(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "tallow_tool.html", SPHINX_OPTIONS)
    answer = docqa.ask("Which option prints each record on one line?")
    assert not answer.abstained
    assert answer.short_answer == "--one-line"  # new, though the question says "one" and "line"
    assert "single line" in answer.answer


TALLOW = """The Tallow format

Tallow is a plain-text format for exchanging sensor records. It is specified by TDF-2 (which supersedes TDF-1)
and by ISO 31090, published by the International Organization for Standardization in 2019.

The older TDF-1 allowed only ASCII field names; TDF-2 removed that restriction.
"""


@pytest.mark.slow
def test_the_first_one_is_the_first_thing_the_answer_listed(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "tallow.md", TALLOW)
    answer = docqa.ask("Which older standard did the first one supersede?",
                       chat("Which standards specify the Tallow format?", "TDF-2 and ISO 31090."))
    assert answer.query.startswith("Which older standard did TDF-2 supersede?")
    assert not answer.abstained
    assert "TDF-1" in answer.answer


@pytest.mark.parametrize("text", [
    "Some systems, notably Windows systems, do not ship the Olson database.",  # a name qualifying a kind of thing
    "The key should name a zone in the Olson database (e.g. America/New_York or Europe/Paris).",  # identifiers
    "The project was founded in Reading.",
])
def test_names_that_are_no_one_answer_no_who_question(text):
    from qa.answer_types import answer_type, offers

    question = "Who maintains the Olson database?"
    assert not offers(text, answer_type(question), question)
    assert offers("The Olson database is maintained by Paul Eggert.", answer_type(question), question)


def test_where_from_is_answered_by_the_source_named_after_from():
    from qa.answer_types import answer_type, offers

    question = "Where does it download them from by default?"
    assert offers("By default flintpkg fetches packages from the Flint Package Registry.", answer_type(question), question)
    assert not offers("By default flintpkg fetches packages in parallel.", answer_type(question), question)


@pytest.mark.parametrize("line,expected", [
    ("- Finely grated zest of 2 unwaxed lemons", []),  # an adverb opening a list item
    ("- Roughly chopped walnuts", []),
    ("- Emily confirmed the booking", ["Emily"]),  # a name opening one, before its verb
    ("- Tobias confirmed the budget", ["Tobias"]),
])
def test_a_list_item_opening_with_an_adverb_names_no_one(line, expected):
    from qa.answer_types import names_in

    assert names_in(line) == expected

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


@pytest.mark.parametrize("question,expected", [
    ("What's the adm group for on a Debian system?", "adm group"),  # a use is answered; "it" stays the group
    ("What is the secrets module used for?", "secrets module"),
    ("Where does the name tqdm come from?", "tqdm"),  # an origin is answered; "it" stays tqdm
    ("What's a good book for learning sed?", None),  # asks for a thing: "it" is the answer
])
def test_what_a_use_or_origin_question_asked_about_stays_it(question, expected):
    from qa.asked_topics import asked_object

    found = asked_object(question, 0)
    assert (found[0].text if found else None) == expected


@pytest.mark.parametrize("subject,previous,expected", [
    ("the GUI version", "How much overhead does tqdm add to each loop iteration?",
     "How much overhead does the GUI version add to each loop iteration?"),
    ("perl", "How big is awk compared with sed?", "How big is perl compared with sed?"),
    # a quantifier is no subject to swap
    ("the deposit", "How much does each household pay?", "How much does each household pay the deposit?"),
])
def test_an_ellipsis_swaps_a_lowercase_subject(subject, previous, expected):
    from qa.ellipsis import complete_ellipsis

    assert complete_ellipsis(subject, previous) == expected


@pytest.mark.parametrize("history,question,expected", [
    # A pronoun subject right after the auxiliary points back however much else the question says.
    (("What is Flintcache?", "A disk-backed cache library for Python."), "Does it support Python 3 and PyPy?",
     "Does Flintcache support Python 3 and PyPy?"),
    (("What is Flintcache?", "A disk-backed cache library for Python."),
     "How much memory does it use on Linux with PyPy?", "How much memory does Flintcache use on Linux with PyPy?"),
    (("Where does the name tqdm come from?", "From the Arabic word taqaddum, which can mean progress."),
     "Does it stand for anything in Spanish too?", "Does tqdm stand for anything in Spanish too?"),
    # "Is it possible to ..." points at nothing.
    (("What is Flintcache?", "A disk-backed cache library for Python."),
     "Is it possible to use Redis with Django?", "Is it possible to use Redis with Django?"),
    # A code with digits is a thing "it" can mean, not an organisation's initials.
    (("What does error E4 mean on the Brevallo kettle?", "A temperature sensor fault."), "How do I get rid of it?",
     "How do I get rid of E4?"),
])
def test_a_subject_pronoun_points_back(history, question, expected):
    from qa.rewrite import rewrite_query

    assert rewrite_query(question, chat(*history)).startswith(expected)


DISKCACHE = """Flintcache

Flintcache is a disk-backed cache library for Python, written by Mara Quill in 2019.

It runs on CPython 3.9 and later and on PyPy 3.10; Windows, macOS and Linux are all supported.

Keys and values are kept in a SQLite database, and large values are written to files beside it.
"""


@pytest.mark.slow
def test_end_to_end_it_after_a_definition_is_the_library(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "flintcache.md", DISKCACHE)
    history = chat("What is Flintcache?", docqa.ask("What is Flintcache?").answer)
    runs = docqa.ask("Does it run on PyPy and on Windows or Linux?", history)
    assert runs.query.startswith("Does Flintcache run on PyPy and on Windows or Linux?")
    assert not runs.abstained and "PyPy 3.10" in runs.answer


@pytest.mark.parametrize("question,expected", [
    ("And the conference dinner, how much is that?", "How much is the conference dinner?"),
    ("The rent, is it paid monthly?", "Is the rent paid monthly?"),
    ("So the deposit, when is it due?", "When is the deposit due?"),
    ("And augmented assignment, who implemented that?", "Who implemented augmented assignment?"),
    # A reply word or a time before the comma sets no topic.
    ("Yes, but how much is it?", None),
    ("In 2024, how much did it make?", None),
])
def test_a_topic_set_before_the_question_is_what_its_pronoun_means(question, expected):
    from qa.ellipsis import dislocated

    assert dislocated(question) == expected


def test_a_dislocated_topic_is_asked_about_and_typed():
    from qa.generate import GenerationRequest, wanted_answer
    from qa.rewrite import rewrite_query

    history = chat("Until when can you get the early-bird price?", "Until 31 July 2025.")
    question = "And the conference dinner, how much is that?"
    assert rewrite_query(question, history).startswith("How much is the conference dinner?")
    assert wanted_answer(GenerationRequest(question, question, ())).kind == "money"


def test_a_number_word_answer_is_nothing_it_can_mean():
    from qa.rewrite import rewrite_query

    history = chat("How many stages does the Tour have?", "Twenty.")
    assert rewrite_query("Where does it finish?", history).startswith("Where does the Tour finish?")


@pytest.mark.parametrize("question,sentence,expected", [
    ("What exception is raised for an invalid document?",
     "If the data is not a valid document, a DecodeError will be raised.", "DecodeError"),
    ("Which error does open() raise when the file is missing?",
     "If the file is missing, open() raises FileNotFoundError rather than returning None.", "FileNotFoundError"),
    ("What warning is issued for a bad path?", "A bad component issues an InvalidPathWarning.", "InvalidPathWarning"),
])
def test_an_exception_question_is_answered_by_the_class_a_sentence_names(question, sentence, expected):
    from qa.answer_types import answer_type, offers
    from qa.short_answer import short_answer

    wanted = answer_type(question)
    assert wanted.kind == "exception" and wanted.strict
    assert short_answer(question, wanted, sentence) == expected
    assert not offers("This can be used to raise an exception if invalid numbers are found.", wanted)


def test_warning_lights_and_error_codes_are_no_exceptions():
    from qa.answer_types import answer_type

    assert answer_type("Which warning light comes on?").kind != "exception"
    assert answer_type("What error code does the kettle show?").kind != "exception"


QUILLJSON = """quilljson: reading and writing JSON

quilljson.loads(text) parses a JSON document and returns Python objects. The errors parameter of open() decides how
characters that are invalid for the encoding are treated; passing 'strict' causes an exception to be raised.

If the text being parsed is not a valid JSON document, a QuillDecodeError will be raised.
"""


@pytest.mark.slow
def test_end_to_end_the_exception_raised_is_named(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "quilljson.md", QUILLJSON)
    answer = docqa.ask("What exception is raised for an invalid document?")
    assert answer.short_answer == "QuillDecodeError"

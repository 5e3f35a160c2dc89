"""Questions for a job, office or position ("What position will she take up?", "held what position?") are answered by
the role a sentence gives, not by the sentence saying most of the question's words; a part played or a stance taken
is no job. On texts written for these tests (no dev or test set uses them)."""

from __future__ import annotations

import pytest

from qa.answer_types import answer_type, offers
from qa.roles import asks_role, role_phrase
from tests.conftest import assert_cited_answer, ingest_text

STORY = """Harwell names new council leader

Priya Anand, the incoming council leader, has promised to reopen the Fenby swimming baths within a year.
Anand will take office on 1 June, when the current leader steps down after eleven years.
Her deputy will be Tom Kerr, a former headteacher who has represented Castle ward since 2015.
Before entering politics Anand worked for the Harwell Building Society as a mortgage adviser.
The council's opposition group said the promise on the baths would be hard to keep.
"""


@pytest.mark.parametrize("question,asks", [
    ("What position will Anand take up?", True),
    ("The woman who founded the charity held what position?", True),
    ("What is her job?", True),
    ("What office did he hold?", True),
    ("Which position does Kane play?", True),  # a player's position is his role in the team
    ("What does her husband do for a living?", True),
    ("What role did the UN play in the talks?", False),  # a part played, not a job
    ("What position does the party take on tax?", False),  # a stance
    ("What position did she finish in?", False),  # a place in a race
    ("What post did she write on Monday?", False),  # a blog post
    ("On which platform did Okafor post her criticism?", False),
    ("Which office is the company moving to?", False),
])
def test_which_questions_ask_for_a_role(question, asks):
    assert asks_role(question) is asks
    assert (answer_type(question).kind == "role") is asks


@pytest.mark.parametrize("text,question,role", [
    ("Donald Trump, the incoming president, has vowed to scale back support.", "What position will Trump take up?",
     "incoming president"),
    ("She later served as Secretary of State for Health.", "held what position?", "Secretary of State"),
    ("Tom Kerr, a former headteacher, will be her deputy.", "What job did Tom Kerr do?", "former headteacher"),
    ("Before politics Anand worked for the Harwell Building Society as a mortgage adviser.", "What job did Anand have?",
     "mortgage adviser"),
    # Whom the question names holds no office here: the current leader is someone else.
    ("Anand will take office on 1 June, when the current leader steps down.", "What position will Anand take up?", None),
    ("The council said the promise would be hard to keep.", "What is her job?", None),
    ("In 2021 she was elected Mayor of Dunmere.", "What position did she hold?", "Mayor of Dunmere"),
    # A role word the question itself uses is no answer: "the lead role", "the director".
    ("The lead role was played by Mara Quint, in her first film.", "Who played the lead role, and what was her job?",
     None),
])
def test_the_role_a_sentence_gives(text, question, role):
    assert offers(text, answer_type(question), question) is (role is not None)
    if role:
        assert role_phrase(text, question) == role


@pytest.mark.slow
@pytest.mark.parametrize("question,expected", [
    # The sentence saying "take office" shares most words with the question but names no office.
    ("What position will Anand take up?", "council leader"),
    ("What job did Anand have before politics?", "mortgage adviser"),
])
def test_a_role_question_is_answered_by_the_role(fresh_docqa, tmp_path, question, expected):
    docqa = ingest_text(fresh_docqa, tmp_path, "harwell_leader.txt", STORY)
    answer = docqa.ask(question, [], generator="extractive")
    assert_cited_answer(answer, expected)
    assert expected in (answer.short_answer or "")


BRIDGE = {
    "The_Glass_Orchard.txt": "The Glass Orchard\n\nThe Glass Orchard is a 2019 British drama film directed by Owen Pryce. "
                             "The lead role of the orchard keeper was played by Mara Quint, in her first film.\n",
    "Mara_Quint.txt": "Mara Quint\n\nMara Quint (born 1984) is an English actress and politician. After leaving acting "
                      "she entered local politics, and in 2021 she was elected Mayor of Dunmere.\n",
    "Owen_Pryce.txt": "Owen Pryce\n\nOwen Pryce (born 1970) is a Welsh film director. He studied at the University of "
                      "Bristol and served as chair of the Welsh Film Council from 2015 to 2019.\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("question,role,bridge", [
    ("The actress who played the lead role in The Glass Orchard held what position?", "Mayor of Dunmere", "Mara Quint"),
    ("What position did the director of The Glass Orchard hold?", "chair of the Welsh Film Council", "Owen Pryce"),
])
def test_a_role_through_a_bridge_joins_two_passages(fresh_docqa, tmp_path, question, role, bridge):
    paths = []
    for name, text in BRIDGE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    fresh_docqa.ingest(paths)
    answer = fresh_docqa.ask(question, [], generator="extractive")
    assert answer.short_answer == role, answer.answer
    assert {c.source.rsplit("/", 1)[-1] for c in answer.citations} >= {"The_Glass_Orchard.txt", f"{bridge.replace(' ', '_')}.txt"}


@pytest.mark.slow
def test_no_role_given_is_no_answer(fresh_docqa, tmp_path):
    docqa = ingest_text(fresh_docqa, tmp_path, "harwell_leader.txt", STORY)
    answer = docqa.ask("What job will the opposition leader's husband get?", [], generator="extractive")
    assert answer.abstained, answer.answer

"""Follow-up questions: heuristic and LLM rewriting to standalone queries, and multi-turn retrieval."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from qa.rewrite import (
    content_terms,
    entity_terms,
    is_follow_up,
    might_refer_back,
    rewrite_prompt,
    rewrite_query,
    rewrite_with_llm,
    standalone_query,
)
from tests.conftest import SEEDS


def turns(*pairs: str) -> list[dict[str, str]]:
    roles = ("user", "assistant")
    return [{"role": roles[i % 2], "content": text} for i, text in enumerate(pairs)]


MISSILES = turns(
    "Which missiles did Biden approve?",
    "Biden approved the use of ATACMS rockets within the Kursk region [1].",
)
RANGE = MISSILES + turns("What is their range?", "The ATACMS missiles have a 190-mile range [1].")


@pytest.mark.parametrize("question", [
    "What is their range?", "And the Himars?", "What about Storm Shadow?", "Why?", "When did he decide?",
    "How far can they fly?", "What is the range?",
])
def test_follow_ups_are_recognised(question):
    assert is_follow_up(question)
    assert might_refer_back(question)


@pytest.mark.parametrize("question", [
    "Who is James Cartlidge?", "How many soldiers could North Korea send to Russia?",
    "What range do Himars rockets have?", "Who won the 2024 US presidential election?",
])
def test_self_contained_questions_are_left_alone(question):
    assert not is_follow_up(question)
    assert rewrite_query(question, RANGE) == question


def words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", text)


def test_pronoun_follow_up_carries_the_previous_subject():
    query = rewrite_query("What is their range?", MISSILES)
    # "their" is resolved to the latest plural thing named (in the answer), the question's words stay.
    assert query.startswith("What is ATACMS rockets' range?")
    assert {"Biden", "missiles", "ATACMS"} <= set(words(query))
    assert len(set(words(query))) == len(words(query)), "nothing is carried twice"


def test_ellipsis_with_a_new_subject_swaps_the_subject():
    query = words(rewrite_query("And the Himars?", RANGE))
    assert query.count("Himars") == 2 and "range" in query
    assert "ATACMS" not in query, "the old subject must not compete with the new one"


def test_pronoun_resolves_from_an_older_turn():
    query = rewrite_query("Why did he change his mind?", RANGE)
    assert "Biden" in words(query)


def test_no_history_or_rewrite_off_keeps_the_question():
    assert rewrite_query("What is their range?", None) == "What is their range?"
    assert standalone_query("What is their range?", MISSILES, mode="off") == "What is their range?"
    assert standalone_query("What is their range?", [], mode="heuristic") == "What is their range?"


def test_term_helpers():
    assert content_terms("What is their range of the ATACMS?") == ["range", "ATACMS"]
    assert entity_terms("Mr Biden’s decision. The 190-mile ATACMS were not used by Kyiv.") == [
        "Mr", "Biden", "190-mile", "ATACMS", "Kyiv"]
    # A question's opening word and "I'm" name nothing; a name opening a question still does.
    assert entity_terms("Since when does it keep keys in order?") == []
    assert entity_terms("Which ports should I use when I'm just experimenting?") == []
    assert entity_terms("Tell me when Orla opened.") == ["Orla"]
    assert entity_terms("Hallby was founded when?") == ["Hallby"]
    # "According to ..." opens a question without naming anything the documents must mention.
    assert entity_terms("According to the DiskCache testimonials, by how much did it cut the queries reaching "
                        "someone's Elasticsearch cluster?") == ["DiskCache", "Elasticsearch"]
    assert entity_terms("Roughly how long does the ferry take?") == []


# The LLM path --------------------------------------------------------------------------------------

class RecordingChat:
    """A chat model stand-in: records the messages and replies with a fixed text (or raises)."""

    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.seen: list = []

    def invoke(self, messages):
        self.seen.append(messages)
        if isinstance(self.reply, Exception):
            raise self.reply
        from langchain_core.messages import AIMessage

        return AIMessage(content=self.reply)


def test_llm_rewrite_uses_the_conversation_and_cleans_the_reply():
    chat = RecordingChat('Standalone question: "What is the range of the ATACMS missiles Biden approved?"\nExtra line')
    assert rewrite_with_llm(chat, "What is their range?", MISSILES) == "What is the range of the ATACMS missiles Biden approved?"
    (messages,) = chat.seen
    assert messages[0][0] == "system" and "Do not answer it" in messages[0][1]
    assert "User: Which missiles did Biden approve?" in messages[1][1]
    assert "Assistant: Biden approved the use of ATACMS rockets within the Kursk region ." in messages[1][1]
    assert messages[1][1].rstrip().endswith("Standalone question:")


def test_llm_rewrite_keeps_words_the_model_dropped():
    chat = RecordingChat("What is the range of those rockets?")
    assert rewrite_with_llm(chat, "And the Himars?", RANGE) == "What is the range of those rockets? Himars"
    chat = RecordingChat("Which missiles did Biden approve?")
    assert rewrite_with_llm(chat, "What is their range?", MISSILES) == "Which missiles did Biden approve? range"


def test_an_echoed_follow_up_falls_back_to_the_heuristic():
    chat = RecordingChat("What is their range?")  # what a small local model tends to do
    assert standalone_query("What is their range?", MISSILES, mode="llm", chat_model=chat) == \
        rewrite_query("What is their range?", MISSILES)
    assert len(chat.seen) == 1


def test_llm_rewrite_works_with_a_langchain_fake_chat_model():
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    chat = FakeListChatModel(responses=["What is the range of the ATACMS missiles?"])
    assert standalone_query("What is their range?", MISSILES, mode="llm", chat_model=chat) == \
        "What is the range of the ATACMS missiles?"


@pytest.mark.parametrize("reply", [RuntimeError("server down"), "", "   \n  ", "x" * 1000])
def test_llm_failures_fall_back_to_the_heuristic(reply):
    chat = RecordingChat(reply)
    assert standalone_query("What is their range?", MISSILES, mode="llm", chat_model=chat) == \
        rewrite_query("What is their range?", MISSILES)


def test_auto_mode_spares_the_model_on_self_contained_questions():
    chat = RecordingChat("should not be used")
    question = "How many soldiers could North Korea send to support Russia's invasion?"
    assert standalone_query(question, MISSILES, mode="auto", chat_model=chat) == question
    assert chat.seen == []
    standalone = "What is the range of the ATACMS missiles?"
    assert standalone_query("What is their range?", MISSILES, mode="auto", chat_model=RecordingChat(standalone)) == standalone
    assert standalone_query("What is their range?", MISSILES, mode="auto") == rewrite_query("What is their range?", MISSILES)


def test_prompt_truncates_long_turns_and_keeps_recent_ones():
    history = turns(*[f"turn {i} " + "word " * 200 for i in range(10)])
    messages = rewrite_prompt("And then?", history, max_turns=2)
    body = messages[1][1]
    assert "turn 9" in body and "turn 6" in body and "turn 5" not in body
    assert len(body) < 2500


# Multi-turn retrieval with the real model, among distractors ----------------------------------------

DISTRACTORS = {
    "drones.txt": "The Bayraktar TB2 drone has a range of 150 km and can stay in the air for 27 hours. "
                  "Turkey sold dozens of the drones to Ukraine in 2022.\n",
    "climate.txt": "President Biden approved the Inflation Reduction Act, the largest climate investment in US "
                   "history. The law funds wind and solar power.\n",
    "v2.txt": "The German V-2 rocket of the Second World War had a range of about 320 km. "
              "It was the first long-range guided ballistic missile.\n",
}


@pytest.fixture(scope="module")
def conversation_docqa(tmp_path_factory, embedder):
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("multiturn")
    shutil.copytree(SEEDS, base / "docs")
    for name, text in DISTRACTORS.items():
        (base / "docs" / name).write_text(text, "utf-8")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        docqa = DocQA.open(index=base / "index", rewrite="heuristic")
        docqa._embedder = embedder
        docqa.ingest(["docs"])
    finally:
        os.chdir(cwd)
    yield docqa
    docqa.close()


def top_texts(docqa, question, history, k=3) -> list[str]:
    return [p.text for p in docqa.retrieve(question, history, k=k)]


@pytest.mark.slow
def test_pronoun_follow_up_retrieves_the_190_mile_passage(conversation_docqa):
    texts = top_texts(conversation_docqa, "What is their range?", MISSILES, k=3)
    assert any("190-mile ATACMS" in t for t in texts), texts


@pytest.mark.slow
def test_ellipsis_follow_up_retrieves_the_himars_range(conversation_docqa):
    texts = top_texts(conversation_docqa, "And the Himars?", RANGE, k=2)
    assert any("Himars rockets, which have a 50-mile range" in t for t in texts), texts


@pytest.mark.slow
def test_pronoun_from_an_older_turn_retrieves_the_reason(conversation_docqa):
    history = turns("What did Biden decide about Ukraine?",
                    "Biden allowed Ukraine to strike inside Russia with ATACMS [1].")
    texts = top_texts(conversation_docqa, "Why did he change his mind?", history)
    assert any("North Korea" in t for t in texts), texts


@pytest.mark.slow
@pytest.mark.parametrize("question,needle", [
    ("What is the range of the Bayraktar TB2 drone?", "150 km"),
    ("Who is the shadow defence secretary?", "Cartlidge"),
    ("Which law did President Biden approve for the climate?", "Inflation Reduction Act"),
])
def test_topic_switch_does_not_drag_the_old_topic_in(conversation_docqa, question, needle):
    assert conversation_docqa.standalone_query(question, RANGE) == question
    texts = top_texts(conversation_docqa, question, RANGE, k=1)
    assert needle in texts[0], texts


@pytest.mark.slow
def test_llm_rewritten_query_retrieves_the_passage(conversation_docqa):
    chat = RecordingChat("What is the range of the ATACMS missiles that Biden approved?")
    query = standalone_query("What is their range?", MISSILES, mode="llm", chat_model=chat)
    texts = [p.text for p in conversation_docqa.retriever.retrieve(query, k=3)]
    assert any("190-mile ATACMS" in t for t in texts), texts


def test_a_pronoun_ending_a_question_points_back_however_much_the_question_names():
    # Written for this test: the question names a product, a release and "the loader", yet its closing "it" is the
    # object of its verb and can only be the option the last turn was about.
    history = turns("Which option keeps the original order of keys?", "The keep_order flag.")
    question = "Since which Acme release does the config loader accept it?"
    assert is_follow_up(question)
    assert "keep_order" in words(rewrite_query(question, history))
    assert not is_follow_up("Since which Acme release does the config loader accept YAML?")


def test_the_details_asked_for_are_the_details_of_what_was_just_said():
    # Written for this test: "Which RFC has the details?" names an RFC only as the kind of answer it wants; the
    # details are those of the format the last turns were about, which retrieval needs.
    history = turns("How do I mark a config file as strict?", "Put a strict: true line at the top of the file.")
    question = "Which RFC has the details?"
    assert is_follow_up(question)
    assert {"strict", "config"} <= set(words(rewrite_query(question, history)))
    assert not is_follow_up("Which RFC has the details of the strict mode?")  # says whose details it means
    assert not is_follow_up("Which RFC defines the strict mode?")

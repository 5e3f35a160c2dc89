"""LLM generators: streaming, verification guard and fallback (scripted model), then the real local model."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from typing import Any, Iterator

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from qa.errors import ConfigurationError, MissingExtraError
from qa.generate import GenerationRequest, final_answer, make_generator
from qa.generators.llm import LLMGenerator, chat_model
from qa.models import ABSTAIN_TEXT, Answer
from qa.settings import Settings
from qa.prompts import ANSWER_REMINDER
from tests.test_verify import BagOfWords, passages
from tests import servers


class ScriptedChat(BaseChatModel):
    """Streams a fixed reply word by word and remembers the prompt it was given."""

    reply: str
    seen: list = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any):
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def _stream(self, messages, stop=None, run_manager=None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        self.seen.append(messages)
        for i, word in enumerate(self.reply.split(" ")):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word if i == 0 else " " + word))


def generator(reply: str) -> LLMGenerator:
    return LLMGenerator(ScriptedChat(reply=reply, seen=[]), BagOfWords(), Settings(), "openai")


def run(gen: LLMGenerator, question: str) -> tuple[list[str], Answer]:
    events = list(gen.generate(GenerationRequest(question, question, tuple(passages()))))
    assert isinstance(events[-1], Answer) and all(isinstance(e, str) for e in events[:-1])
    return events[:-1], events[-1]


def test_tokens_stream_and_a_verified_answer_keeps_its_citation():
    pieces, answer = run(generator("ATACMS missiles have a 190-mile range [1]."), "What is the range of the ATACMS?")
    assert len(pieces) > 3 and "".join(pieces) == "ATACMS missiles have a 190-mile range [1]."
    assert not answer.abstained and answer.answer == "ATACMS missiles have a 190-mile range [1]."
    assert answer.citations[0].support >= 0.55 and answer.generator == "openai"


def test_the_prompt_holds_the_numbered_passages_and_the_question():
    gen = generator("I don't know.")
    run(gen, "What is the range of the ATACMS?")
    (messages,) = gen.model.seen
    assert messages[0].type == "system" and "[1]" in messages[0].text
    assert '<passage n="1" source="news.txt">' in messages[-1].text
    assert messages[-1].text.rstrip().endswith("Question: What is the range of the ATACMS?\n" + ANSWER_REMINDER)


def test_a_model_that_says_it_does_not_know_abstains():
    pieces, answer = run(generator("I don't know."), "What is the range of the ATACMS?")
    assert pieces and answer.abstained and answer.answer == ABSTAIN_TEXT and answer.citations == ()


def test_an_invented_answer_is_replaced_by_the_extractive_fallback():
    # The scripted model invents a range; the verifier rejects it, the extractive answerer finds the real one.
    gen = generator("The ATACMS can fly 300 miles [1].")
    gen.fallback.policy = gen.fallback.policy.__class__(threshold=0.0)
    _, answer = run(gen, "What is the range of the ATACMS?")
    assert "300" not in answer.answer and "190-mile" in answer.answer
    assert "fell-back-to-extractive" in answer.flags and "llm-rejected:no-verified-citation" in answer.flags


def test_a_question_about_an_unknown_name_abstains_without_calling_the_model():
    gen = generator("Lockheed Martin is led by John Doe [1].")
    pieces, answer = run(gen, "Who is the CEO of Lockheed Martin?")
    assert answer.abstained and gen.model.seen == [] and pieces == [ABSTAIN_TEXT]


def test_an_answer_without_the_asked_kind_of_value_is_not_accepted():
    gen = generator("Ukraine captured several settlements in Kursk [1].")
    gen.fallback.policy = gen.fallback.policy.__class__(threshold=0.99)
    _, answer = run(gen, "How many settlements did Ukraine capture in Kursk?")
    assert answer.abstained and "llm-rejected:no-answer-of-the-asked-type" in answer.flags


def test_backends_report_missing_settings_and_extras(monkeypatch):
    with pytest.raises(ConfigurationError, match="DOCQA_LLM_MODEL"):
        chat_model(Settings(), "ollama")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="API_KEY"):
        chat_model(Settings(llm_model="gpt-4o-mini"), "openai")
    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    with pytest.raises(MissingExtraError, match=r"docqa\[llm\]"):
        chat_model(Settings(llm_model="m", llm_base_url="http://127.0.0.1:1/v1"), "openai")
    with pytest.raises(ConfigurationError, match="not a file"):
        chat_model(Settings(llm_model_path="/nonexistent/model.gguf"), "llamacpp")


def test_configured_backends_build_langchain_chat_models():
    openai = chat_model(Settings(llm_model="local", llm_base_url="http://127.0.0.1:9/v1"), "openai")
    assert type(openai).__name__ == "ChatOpenAI" and openai.model_name == "local"
    ollama = chat_model(Settings(llm_model="qwen2.5:0.5b", llm_max_tokens=64), "ollama")
    assert type(ollama).__name__ == "ChatOllama" and ollama.num_predict == 64


# --- the real local model (llama.cpp), in process and behind its OpenAI-compatible server --------------

LLM_SETTINGS = dict(llm_context_tokens=2048, llm_max_tokens=48, llm_passages=2)


@pytest.fixture(scope="module")
def local_llm_env():
    pytest.importorskip("llama_cpp")
    from qa.llm_model import packaged_gguf

    previous = os.environ.get("DOCQA_LLM_THREADS")
    os.environ["DOCQA_LLM_THREADS"] = "2"
    yield packaged_gguf()
    if previous is None:
        os.environ.pop("DOCQA_LLM_THREADS", None)
    else:
        os.environ["DOCQA_LLM_THREADS"] = previous


def _ask(docqa, question: str, name: str) -> tuple[list[str], Answer]:
    pieces, answer = [], None
    for event in docqa.stream(question, generator=name):
        if isinstance(event, Answer):
            answer = event
        else:
            pieces.append(event)
    assert answer is not None
    return pieces, answer


def _with_settings(seeded, **overrides):
    from qa.api import DocQA

    docqa = DocQA(seeded.settings.with_overrides(**overrides))
    docqa._embedder, docqa._store, docqa._lexical = seeded.embedder, seeded.store, seeded.lexical
    return docqa


@pytest.mark.slow
@pytest.mark.llm
def test_local_model_in_process_answers_with_a_verified_citation_and_abstains_off_topic(seeded, local_llm_env):
    docqa = _with_settings(seeded, **LLM_SETTINGS)
    pieces, answer = _ask(docqa, "What was Downing Street still waiting for?", "llamacpp")
    assert len(pieces) > 1, "tokens arrive one by one"
    assert not answer.abstained and "full details" in answer.answer, answer
    assert answer.citations and all(c.support >= 0.55 for c in answer.citations)
    assert "fell-back-to-extractive" not in answer.flags
    assert "first_token" in answer.timings_ms and answer.timings_ms["first_token"] < answer.timings_ms["total"]

    _, off_topic = _ask(docqa, "Who is the CEO of Lockheed Martin?", "llamacpp")
    assert off_topic.abstained and off_topic.answer == ABSTAIN_TEXT and off_topic.citations == ()


@pytest.fixture(scope="module")
def llama_server(local_llm_env, tmp_path_factory):
    pytest.importorskip("llama_cpp.server")
    port = servers.free_port()
    # A file, not a pipe: llama.cpp logs enough while loading to fill a pipe and stall the server.
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(local_llm_env), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--model_alias", "local"],
            stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                direct.open(f"{url}/models", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start within 180 s")
        yield url
    finally:
        servers.stop(process)


@pytest.mark.slow
@pytest.mark.llm
def test_local_model_behind_an_openai_compatible_server(seeded, llama_server):
    docqa = _with_settings(seeded, llm_base_url=llama_server, llm_model="local", llm_api_key="sk-local",
                           **LLM_SETTINGS)
    pieces, answer = _ask(docqa, "What was Downing Street still waiting for?", "openai")
    assert len(pieces) > 1 and answer.generator == "openai"
    assert not answer.abstained and "full details" in answer.answer, answer
    assert answer.citations and answer.citations[0].support >= 0.55


def test_make_generator_picks_the_backend_by_name():
    with pytest.raises(ConfigurationError, match="unknown generator"):
        make_generator(Settings(), BagOfWords(), "gpt")
    answer = final_answer(iter(["a", Answer(question="q", answer="a", abstained=False)]))
    assert answer.answer == "a"


def test_a_number_about_another_thing_than_the_one_asked_about_is_not_accepted():
    # Multi-turn: "their" means Storm Shadow (carried into the query); the cited sentence is about Himars.
    gen = generator("50-mile [1].")
    gen.fallback.policy = gen.fallback.policy.__class__(threshold=0.0)
    request = GenerationRequest("What is their range?", "What is their range? Storm Shadow", tuple(passages()))
    answer = list(gen.generate(request))[-1]
    assert answer.abstained and "llm-rejected:answer-not-about-the-asked-entity" in answer.flags

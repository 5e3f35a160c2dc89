"""DocQA.as_chain(): the answering pipeline as a langchain Runnable (invoke, batch, stream, async, callbacks)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import Runnable

from qa.errors import DocQAError
from qa.filters import Filters
from qa.models import Answer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCE = "seeds/000_4c9570219aa1637c.txt"
RANGE_Q = "What range do ATACMS missiles have?"
JSON_KEYS = {"question", "answer", "abstained", "citations", "passages", "timings_ms"}


class Recorder(BaseCallbackHandler):
    """Remembers every run start/end it is told about, with its parent."""

    def __init__(self) -> None:
        self.runs: dict[UUID, dict[str, Any]] = {}

    def _start(self, kind: str, run_id: UUID, parent_run_id: UUID | None, payload: Any, kwargs: dict) -> None:
        self.runs[run_id] = {"kind": kind, "parent": parent_run_id, "input": payload, "name": kwargs.get("name"),
                             "tags": kwargs.get("tags"), "metadata": kwargs.get("metadata")}

    def on_chain_start(self, serialized, inputs, *, run_id, parent_run_id=None, **kwargs):
        self._start("chain", run_id, parent_run_id, inputs, kwargs)

    def on_chain_end(self, outputs, *, run_id, **kwargs):
        self.runs[run_id]["output"] = outputs

    def on_retriever_start(self, serialized, query, *, run_id, parent_run_id=None, **kwargs):
        self._start("retriever", run_id, parent_run_id, query, kwargs)

    def on_retriever_end(self, documents, *, run_id, **kwargs):
        self.runs[run_id]["output"] = documents

    def on_chat_model_start(self, serialized, messages, *, run_id, parent_run_id=None, **kwargs):
        self._start("chat_model", run_id, parent_run_id, messages, kwargs)

    def named(self, name: str) -> list[dict[str, Any]]:
        return [dict(r, id=i) for i, r in self.runs.items() if r["name"] == name]


def test_invoke_returns_the_answer_ask_gives(seeded):
    chain = seeded.as_chain()
    assert isinstance(chain, Runnable)
    answer = chain.invoke(RANGE_Q)
    expected = seeded.ask(RANGE_Q)
    assert isinstance(answer, Answer) and not answer.abstained
    assert answer.answer == expected.answer and "190" in answer.answer
    assert [c.to_dict() for c in answer.citations] == [c.to_dict() for c in expected.citations]
    assert JSON_KEYS <= set(answer.to_dict())


def test_dict_input_with_history_filters_and_k(seeded):
    chain = seeded.as_chain()
    first = chain.invoke({"question": "Which missiles did Biden approve?", "k": 2})
    assert len(first.passages) == 2
    history = [{"role": "user", "content": "Which missiles did Biden approve?"},
               {"role": "assistant", "content": first.answer}]
    follow_up = chain.invoke({"question": "What is their range?", "k": 3, "history": history})
    assert "Biden" in follow_up.query, "the follow-up was rewritten with the history"
    assert len(follow_up.passages) == 3
    assert follow_up.answer == seeded.ask("What is their range?", history, k=3).answer
    nothing = chain.invoke({"question": RANGE_Q, "filters": {"kinds": ["pdf"]}})
    assert nothing.abstained and nothing.passages == ()
    same = chain.invoke({"question": RANGE_Q, "filters": Filters(sources=(SEED_SOURCE,))})
    assert {p.source for p in same.passages} == {SEED_SOURCE}


@pytest.mark.parametrize("bad, field", [
    ({"query": "x"}, "query"), ({"question": 3}, "question"), ({"question": "x", "k": 0}, "'k'"),
    ({"question": "x", "filters": {"colour": "red"}}, "colour"), (42, "int"),
])
def test_bad_input_names_the_field(seeded, bad, field):
    with pytest.raises(DocQAError, match=re.escape(field)):
        seeded.as_chain().invoke(bad)


def test_input_and_output_schemas_describe_question_and_answer(seeded):
    chain = seeded.as_chain()
    inputs = chain.get_input_jsonschema()
    assert {"question", "history", "filters", "k"} <= set(inputs["$defs"]["ChainInput"]["properties"])
    outputs = chain.get_output_jsonschema()
    assert {"answer", "abstained", "citations", "passages"} <= set(outputs["$defs"]["Answer"]["properties"])


def test_bad_history_is_one_clear_error(seeded):
    with pytest.raises(ValueError, match=r"history\[0\]"):
        seeded.as_chain().invoke({"question": RANGE_Q, "history": [{"role": "bot", "content": "x"}]})


def test_stream_yields_text_pieces_then_the_answer(seeded):
    events = list(seeded.as_chain().stream(RANGE_Q))
    assert isinstance(events[-1], Answer)
    assert events[:-1] and all(isinstance(e, str) for e in events[:-1])
    assert "".join(events[:-1]) == events[-1].answer


def test_batch_answers_each_question_in_order(seeded):
    questions = [RANGE_Q, "Who criticised the decision as anti-democratic?", "Who is the CEO of Lockheed Martin?"]
    answers = seeded.as_chain().batch(questions, config={"max_concurrency": 2})
    assert [a.question for a in answers] == questions
    assert "190" in answers[0].answer and "Sacks" in answers[1].answer and answers[2].abstained


async def test_ainvoke_and_astream(seeded):
    chain = seeded.as_chain()
    answer = await chain.ainvoke({"question": RANGE_Q})
    assert answer.answer == seeded.ask(RANGE_Q).answer
    events = [e async for e in chain.astream(RANGE_Q)]
    assert isinstance(events[-1], Answer) and "".join(events[:-1]) == events[-1].answer
    both = await chain.abatch([RANGE_Q, "Who is the CEO of Lockheed Martin?"])
    assert "190" in both[0].answer and both[1].abstained


def test_callbacks_see_retrieval_and_generation_as_child_runs(seeded):
    recorder = Recorder()
    answer = seeded.as_chain().invoke(RANGE_Q, config={
        "callbacks": [recorder], "run_name": "ask-docqa", "tags": ["t1"], "metadata": {"user": "u1"}})
    [top] = recorder.named("ask-docqa")
    assert top["parent"] is None and top["tags"] == ["t1"] and top["metadata"]["user"] == "u1"
    assert top["output"].answer == answer.answer
    [retrieve] = recorder.named("retrieve")
    assert retrieve["kind"] == "retriever" and retrieve["parent"] == top["id"]
    assert retrieve["input"] == answer.query
    assert [d.metadata["chunk_id"] for d in retrieve["output"]] == [p.chunk.id for p in answer.passages]
    assert retrieve["metadata"]["user"] == "u1"  # inherited by the child runs
    [generate] = recorder.named("generate")
    assert generate["kind"] == "chain" and generate["parent"] == top["id"]
    assert [p["text"] for p in generate["input"]["passages"]] == [p.text for p in answer.passages]
    assert generate["output"]["answer"] == answer.answer


def test_readme_example_runs_as_written(tmp_path, embedder, capsys):
    """The README's `chain | format_for_slack` block, executed verbatim in a folder where `docqa ingest seeds` ran."""
    from qa.api import DocQA

    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "format_for_slack" in b]
    assert len(blocks) == 1, "exactly one README example pipes the chain into format_for_slack"
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with DocQA.open(index=".docqa", embedder=embedder) as docqa:
            docqa.ingest(["seeds"])
        exec(compile(blocks[0], "README.md", "exec"), {"__name__": "readme_example"})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    assert printed.startswith(f"*{RANGE_Q}*\n> ") and "190" in printed.splitlines()[1]
    assert f"_sources: {SEED_SOURCE}:" in printed
    assert printed.rstrip().endswith(":shrug: I could not find this in the documents.")


@pytest.mark.llm
def test_callbacks_see_the_llm_prompt_under_generation(seeded, local_gguf):
    from qa.api import DocQA

    docqa = DocQA(seeded.settings.with_overrides(llm_context_tokens=2048, llm_max_tokens=32, llm_passages=2,
                                                 llm_threads=2, llm_model_path=str(local_gguf)))
    docqa._embedder, docqa._store, docqa._lexical = seeded.embedder, seeded.store, seeded.lexical
    recorder = Recorder()
    answer = docqa.as_chain(generator="llamacpp").invoke("What was Downing Street still waiting for?",
                                                         config={"callbacks": [recorder]})
    [generate] = recorder.named("generate")
    [llm] = [r for r in recorder.runs.values() if r["kind"] == "chat_model"]
    assert llm["parent"] == generate["id"]
    prompt = "\n".join(m.text for m in llm["input"][0])
    assert "<passages>" in prompt and answer.passages[0].text[:60] in prompt
    assert "What was Downing Street still waiting for?" in prompt

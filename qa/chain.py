"""docqa's answering pipeline (`DocQA.stream`) as a langchain_core Runnable, with retrieval and generation as child runs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, AsyncIterator, Callable, Iterator, Mapping, Sequence

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import run_in_executor
from typing_extensions import TypedDict  # pydantic builds the input schema from it (needs this one before 3.12)

from qa.errors import DocQAError
from qa.filters import Filters
from qa.generate import GenerationRequest, Generator
from qa.models import Answer, Passage

_INPUT_KEYS = ("question", "history", "filters", "k", "generator")
_DONE = object()


class ChainInput(TypedDict, total=False):
    """What `DocQA.as_chain()` takes besides a plain question string; only `question` is required."""

    question: str
    history: list[dict[str, str]]  # [{"role": "user"|"assistant", "content": str}, ...]
    filters: Filters | dict[str, Any]  # Filters, or {"sources": [...], "kinds": [...], "where": {...}}
    k: int
    generator: str


def parse_input(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """The chain input as keyword arguments of `DocQA.stream`; one clear error naming the bad field."""
    if isinstance(value, str):
        return {"question": value, "history": None, "k": None, "filters": None, "generator": None}
    if not isinstance(value, Mapping):
        raise DocQAError(f"docqa chain input must be a question string or a dict with 'question', got {type(value).__name__}")
    unknown = sorted(set(value) - set(_INPUT_KEYS))
    if unknown:
        raise DocQAError(f"unknown docqa chain input field(s) {unknown}; use {', '.join(_INPUT_KEYS)}")
    if not isinstance(value.get("question"), str):
        raise DocQAError("docqa chain input field 'question' must be a string")
    k = value.get("k")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise DocQAError(f"docqa chain input field 'k' must be a positive integer, got {k!r}")
    filters = value.get("filters")
    if filters is not None and not isinstance(filters, Filters):
        if not isinstance(filters, Mapping):
            raise DocQAError("docqa chain input field 'filters' must be a Filters or a dict of sources/kinds/where")
        filters = Filters.from_mapping(filters)
    return {"question": value["question"], "history": value.get("history"), "k": k, "filters": filters,
            "generator": value.get("generator")}


class DocQAChain(Runnable[ChainInput | str, Answer]):
    """`DocQA.stream` as a Runnable: streams answer text, then the Answer; invoke/batch/ainvoke return the Answer.

    Callbacks in the RunnableConfig see this run, a `retrieve` retriever run (the passages as Documents) and a
    `generate` chain run (question, query, passages) with, for LLM generators, the chat model run and its prompt.
    """

    name = "docqa"

    def __init__(self, docqa: Any, *, k: int | None = None, filters: Filters | None = None,
                 generator: str | None = None) -> None:
        self.docqa = docqa
        self.defaults = {"k": k, "filters": filters, "generator": generator}

    def _events(self, value: Any, run: CallbackManagerForChainRun) -> Iterator[str | Answer]:
        call = parse_input(value)
        for key, default in self.defaults.items():
            if call.get(key) is None:
                call[key] = default
        yield from self.docqa.stream(call.pop("question"), call.pop("history"), run=run, **call)

    def _transform(self, inputs: Iterator[Any], run_manager: CallbackManagerForChainRun,
                   config: RunnableConfig) -> Iterator[str | Answer]:
        for value in _one(inputs):
            yield from self._events(value, run_manager)

    async def _atransform(self, inputs: AsyncIterator[Any], run_manager: AsyncCallbackManagerForChainRun,
                          config: RunnableConfig) -> AsyncIterator[str | Answer]:
        values = [value async for value in inputs]
        for value in _one(iter(values)):
            # The pipeline is synchronous (torch, llama.cpp): each step runs in the config's executor.
            events = self._events(value, run_manager.get_sync())
            while (event := await run_in_executor(config, next, events, _DONE)) is not _DONE:
                yield event

    def transform(self, input: Iterator[Any], config: RunnableConfig | None = None,
                  **kwargs: Any) -> Iterator[str | Answer]:
        yield from self._transform_stream_with_config(input, self._transform, config, **kwargs)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[str | Answer]:
        yield from self.transform(iter([input]), config, **kwargs)

    async def atransform(self, input: AsyncIterator[Any], config: RunnableConfig | None = None,
                         **kwargs: Any) -> AsyncIterator[str | Answer]:
        async for event in self._atransform_stream_with_config(input, self._atransform, config, **kwargs):
            yield event

    async def astream(self, input: Any, config: RunnableConfig | None = None,
                      **kwargs: Any) -> AsyncIterator[str | Answer]:
        async def one() -> AsyncIterator[Any]:
            yield input

        async for event in self.atransform(one(), config, **kwargs):
            yield event

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return _last_answer(list(self.stream(input, config, **kwargs)))

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return _last_answer([event async for event in self.astream(input, config, **kwargs)])


def _one(inputs: Iterator[Any]) -> Iterator[Any]:
    """The single input of a call; a streamed input (from an upstream step) is its last complete value."""
    last = _DONE
    for value in inputs:
        last = value
    if last is _DONE:
        raise DocQAError("docqa chain got no input")
    yield last


def _last_answer(events: Sequence[str | Answer]) -> Answer:
    if not events or not isinstance(events[-1], Answer):
        raise RuntimeError("docqa pipeline finished without an Answer")
    return events[-1]


# Hooks used by DocQA.stream when a run manager is given -------------------------------------------
def traced_retrieval(run: CallbackManagerForChainRun, query: str, retrieve: Callable[[], list[Passage]]) -> list[Passage]:
    """Report one retrieval as a child retriever run whose output is the passages as langchain Documents."""
    from qa.langchain import passage_document

    child = run.get_child("retrieve").on_retriever_start(None, query, name="retrieve")
    try:
        passages = retrieve()
    except BaseException as exc:
        child.on_retriever_error(exc)
        raise
    child.on_retriever_end([passage_document(p) for p in passages])
    return passages


def traced_generation(run: CallbackManagerForChainRun, generator: Generator,
                      request: GenerationRequest) -> Iterator[str | Answer]:
    """Run the generator as a child chain run; LLM generators report their chat model call beneath it."""
    inputs = {"question": request.question, "query": request.query, "history": list(request.history),
              "passages": [p.to_dict() for p in request.passages], "generator": generator.name}
    child = run.get_child("generate").on_chain_start(None, inputs, name="generate")
    ended = False
    try:
        for event in generator.generate(replace(request, callbacks=child.get_child())):
            if isinstance(event, Answer):
                child.on_chain_end(event.to_dict())
                ended = True
            yield event
    except BaseException as exc:
        if not ended:  # the caller closing this generator after the Answer is not an error
            child.on_chain_error(exc)
        raise

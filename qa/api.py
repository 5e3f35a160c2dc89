"""The Python API: `DocQA.open(...)` then ingest, ask, stream, sources, remove and retrieve."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from qa.errors import SourceNotFoundError
from qa.filters import Filters
from qa.generate import GenerationRequest, Generator, make_generator
from qa.models import Answer, IngestReport, Passage, SourceInfo
from qa.settings import Settings

Message = dict[str, str]


class DocQA:
    """Question answering over one collection; heavy parts (model, store) load on first use."""

    def __init__(self, settings: Settings, embedder: Any | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        self.settings = settings
        # One lock for lazy setup: two threads asking first at once must not build two Chroma clients.
        self._setup = threading.RLock()
        self._embedder = embedder
        self._store = None
        self._lexical = None
        self._retriever = None
        self._generators: dict[str, Generator] = {}

    @classmethod
    def open(cls, index: str | Path | None = None, collection: str | None = None, chroma_url: str | None = None,
             settings: Settings | None = None, embedder: Any | None = None, **overrides: Any) -> DocQA:
        """Settings come from `settings` (default: the environment) with these overrides; `embedder` lets
        several DocQA objects (collections) share one loaded model."""
        base = settings or Settings()
        return cls(base.with_overrides(index=Path(index) if index is not None else None, collection=collection,
                                       chroma_url=chroma_url, **overrides), embedder=embedder)

    def with_collection(self, collection: str) -> DocQA:
        """The same index and model, another collection."""
        return DocQA(self.settings.with_overrides(collection=collection), embedder=self.embedder)

    # Components ----------------------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            with self._setup:
                if self._embedder is not None:
                    return self._embedder
                from qa.embedding import make_embedder

                self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def store(self):
        if self._store is None:
            with self._setup:
                if self._store is not None:
                    return self._store
                from qa.store import ChromaStore

                self._store = ChromaStore(self.settings, self.embedder)
        return self._store

    @property
    def lexical(self):
        if self._lexical is None:
            with self._setup:
                if self._lexical is not None:
                    return self._lexical
                from qa.lexical import LexicalIndex, lexical_path

                self._lexical = LexicalIndex(lexical_path(self.settings))
        return self._lexical

    @property
    def retriever(self):
        if self._retriever is None:
            with self._setup:
                if self._retriever is not None:
                    return self._retriever
                from qa.retrieval import CrossEncoderReranker, HybridRetriever

                reranker = CrossEncoderReranker(self.settings.reranker_path) if self.settings.reranker_path else None
                self._retriever = HybridRetriever(self.settings, self.embedder, self.store, self.lexical, reranker)
        return self._retriever

    def generator(self, name: str | None = None) -> Generator:
        key = name or self.settings.generator
        with self._setup:
            if key not in self._generators:
                self._generators[key] = make_generator(self.settings, self.embedder, key)
            return self._generators[key]

    def _ingestor(self):
        from ingest.pipeline import Ingestor

        return Ingestor(self.settings, self.embedder, self.store, self.lexical)

    # Documents -----------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *, sync: bool = False,
               progress: bool = False, on_file=None, crawl: int = 0, max_pages: int | None = None,
               allow_private: bool | None = None) -> IngestReport:
        """Ingest files, folders and http(s) URLs; `crawl` follows same-site links that many hops from each URL."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        ingestor = self._ingestor()
        web = {"crawl_depth": crawl}
        if max_pages is not None:
            web["max_pages"] = max_pages
        if allow_private is not None:
            web["allow_private"] = allow_private
        return ingestor.ingest(list(paths), sync=sync, progress=progress, on_file=on_file,
                               web=ingestor.web_options(**web))

    def watch(self, folders: Sequence[str | os.PathLike[str]], *, debounce_ms: int | None = None, on_report=None,
              on_ready=None, stop=None) -> None:
        """Keep the index in step with `folders` (new, changed, renamed, deleted files) until `stop` is set."""
        from ingest.watch import DEFAULT_DEBOUNCE_MS, watch_folders

        watch_folders(self._ingestor(), folders, debounce_ms=debounce_ms or DEFAULT_DEBOUNCE_MS,
                      on_report=on_report, on_ready=on_ready, stop=stop)

    def sources(self) -> list[SourceInfo]:
        from ingest.web import fetched_at, is_url

        records = self.store.doc_records().values()
        return sorted(
            (SourceInfo(r.source, r.chunks, r.sha256, r.kind, r.added or None, r.title or None,
                        fetched_at(r.path) if is_url(r.source) else None)
             for r in records if r.status == "ok"),
            key=lambda s: s.source,
        )

    def collections(self) -> list[str]:
        """Names of the docqa collections stored beside this one (same index or Chroma server)."""
        return self.store.collection_names()

    def remove(self, sources: Iterable[str]) -> IngestReport:
        """Remove documents by source as listed, file name, or glob; unknown names raise SourceNotFoundError."""
        records = self.store.doc_records()
        wanted: list[str] = []
        for name in sources:
            matched = Filters(sources=(name,)).resolve(r.source for r in records.values()).sources
            ids = [r.doc_id for r in records.values() if r.source in matched]
            if not ids:
                raise SourceNotFoundError(f"no ingested source matches {name!r} (see `docqa sources`)")
            wanted.extend(i for i in ids if i not in wanted)
        return self._ingestor().remove(wanted)

    # Questions -----------------------------------------------------------------------------
    def standalone_query(self, question: str, history: Sequence[Message] | None = None,
                         generator: str | None = None) -> str:
        """The retrieval query: follow-ups are rewritten, by the LLM generator's chat model when one is in use."""
        from qa.rewrite import standalone_query

        model = getattr(self.generator(generator), "model", None) if history and self.settings.rewrite in ("llm", "auto") \
            and (generator or self.settings.generator) != "extractive" else None
        return standalone_query(question, history, self.settings.rewrite, model)

    def retrieve(self, question: str, history: Sequence[Message] | None = None, *, k: int | None = None,
                 filters: Filters | None = None) -> list[Passage]:
        return self.retriever.retrieve(self.standalone_query(question, history), k=k, filters=filters)

    def stream(self, question: str, history: Sequence[Message] | None = None, *, k: int | None = None,
               filters: Filters | None = None, generator: str | None = None) -> Iterator[str | Answer]:
        """Yields answer text as it is produced, then the final Answer with citations and timings."""
        question = question.strip()
        if not question:
            raise ValueError("question is empty")
        history = _check_history(history)
        started = time.perf_counter()
        query = self.standalone_query(question, history, generator)
        passages = self.retriever.retrieve(query, k=k, filters=filters)
        stage = dict(self.retriever.last_timings)
        retrieved = time.perf_counter()
        request = GenerationRequest(question, query, tuple(passages), tuple(history))
        first_token = None
        for event in self.generator(generator).generate(request):
            if isinstance(event, Answer):
                done = time.perf_counter()
                timings = {
                    "retrieve": (retrieved - started) * 1000, "answer": (done - retrieved) * 1000,
                    "total": (done - started) * 1000,
                    **{f"retrieve_{k}": v for k, v in stage.items() if k != "retrieve"},
                }
                if first_token is not None:
                    timings["first_token"] = (first_token - started) * 1000
                yield replace(event, timings_ms=timings, query=query)
                return
            if first_token is None and event:
                first_token = time.perf_counter()
            yield event

    def ask(self, question: str, history: Sequence[Message] | None = None, *, k: int | None = None,
            filters: Filters | None = None, generator: str | None = None) -> Answer:
        answer = None
        for event in self.stream(question, history, k=k, filters=filters, generator=generator):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def as_retriever(self, *, k: int | None = None, filters: Filters | None = None):
        """A langchain_core BaseRetriever over this index, for use in users' own chains."""
        from qa.langchain import DocQARetriever

        return DocQARetriever(docqa=self, k=k, filters=filters)

    def evaluate(self, question_set: str | Path, **options: Any):
        """Run a question set against this index (see `docqa eval`)."""
        from eval.runner import evaluate

        return evaluate(self, Path(question_set), **options)

    def close(self) -> None:
        if self._lexical is not None:
            self._lexical.close()
            self._lexical = None

    def __enter__(self) -> DocQA:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_history(history: Sequence[Message] | None) -> list[Message]:
    checked: list[Message] = []
    for i, message in enumerate(history or []):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant") \
                or not isinstance(message.get("content"), str):
            raise ValueError(f"history[{i}] must be {{'role': 'user'|'assistant', 'content': str}}, got {message!r}")
        checked.append({"role": message["role"], "content": message["content"]})
    return checked

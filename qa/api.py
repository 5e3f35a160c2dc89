"""The Python API: `DocQA.open(...)` then ingest, ask, stream, sources, remove and retrieve."""

from __future__ import annotations

import functools
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from qa.errors import InvalidInputError, SourceNotFoundError
from qa.filters import Filters
from qa.generate import GenerationRequest, Generator, final_answer, make_generator
from qa.models import Answer, IngestReport, Passage, SourceInfo
from qa.settings import Settings

if TYPE_CHECKING:
    from qa.store import ChunkStore

Message = dict[str, str]
__all__ = ["DocQA", "final_answer"]  # final_answer: reads a stream() to its Answer


class DocQA:
    """Question answering over one collection; heavy parts (model, store) load on first use."""

    def __init__(self, settings: Settings, embedder: Any | None = None, store: ChunkStore | None = None) -> None:
        """`store`: any ChunkStore (default: Chroma, from the settings)."""
        self.settings = settings
        # One lock for lazy setup: two threads asking first at once must not build two Chroma clients.
        self._setup = threading.RLock()
        self._embedder = embedder
        self._store = store
        self._lexical = None
        self._retriever = None
        self._cross_encoder = None
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
    def store(self) -> ChunkStore:
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
                from qa.retrieval import HybridRetriever

                self._retriever = HybridRetriever(self.settings, self.embedder, self.store, self.lexical,
                                                  self.cross_encoder if self.settings.rerank else None)
        return self._retriever

    @property
    def cross_encoder(self):
        """The cross-encoder (`score(query, texts) -> np.ndarray`), loaded once and shared with the retriever's
        reranking: answerers may score candidate sentences with it."""
        if self._cross_encoder is None:
            with self._setup:
                if self._cross_encoder is None:
                    from qa.retrieval import make_reranker

                    self._cross_encoder = make_reranker(self.settings, always=True)
        return self._cross_encoder

    def generator(self, name: str | None = None) -> Generator:
        key = name or self.settings.generator
        with self._setup:
            if key not in self._generators:
                generator = make_generator(self.settings, self.embedder, key)
                attach = getattr(generator, "use_cross_encoder", None)
                if attach is not None:  # one cross-encoder per DocQA, shared by reranking and answering
                    attach(lambda: self.cross_encoder)
                self._generators[key] = generator
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

    def reset(self) -> None:
        """Drop this collection and its side files, so the next ingest re-embeds everything (`ingest --rebuild`)."""
        from ingest.pipeline import reset_index

        with self._setup:
            self.close()
            self._store = self._retriever = None
            reset_index(self.settings)

    def collections(self) -> list[str]:
        """Names of the docqa collections stored beside this one (same index or Chroma server)."""
        return self.store.collection_names()

    def has_collection(self, name: str) -> bool:
        """Whether collection `name` exists beside this one, found without creating it (reads must not)."""
        from qa.store import collection_exists

        return collection_exists(self.settings.with_overrides(collection=name))

    @staticmethod
    def content_hash(path: str | os.PathLike[str]) -> str:
        """The SHA-256 ingest uses to tell a file unchanged; a FIFO or device is never read (OSError)."""
        from ingest.pipeline import file_sha256

        return file_sha256(Path(path))

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
        return list(self.retriever.retrieve(self.standalone_query(question, history), k=k, filters=filters))

    def stream(self, question: str, history: Sequence[Message] | None = None, *, k: int | None = None,
               filters: Filters | None = None, generator: str | None = None,
               run: Any = None) -> Iterator[str | Answer]:
        """Yields answer text as it is produced, then the final Answer with citations and timings.

        `run` is a langchain run manager (`as_chain()` passes one): retrieval and generation become its child runs."""
        question = question.strip()
        if not question:
            raise InvalidInputError("question is empty")
        history = _check_history(history)
        started = time.perf_counter()
        query = self.standalone_query(question, history, generator)
        retrieve = functools.partial(self.retriever.retrieve, query, k=k, filters=filters)
        passages = retrieve() if run is None else _chain().traced_retrieval(run, query, retrieve)
        stage = getattr(passages, "timings_ms", {})  # this call's own timings
        retrieved = time.perf_counter()
        request = GenerationRequest(question, query, tuple(passages), tuple(history))
        first_token = None
        answerer = self.generator(generator)
        events = answerer.generate(request) if run is None else _chain().traced_generation(run, answerer, request)
        for event in events:
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
        return final_answer(self.stream(question, history, k=k, filters=filters, generator=generator))

    def as_retriever(self, *, k: int | None = None, filters: Filters | None = None):
        """A langchain_core BaseRetriever over this index, for use in users' own chains."""
        from qa.langchain import DocQARetriever

        return DocQARetriever(docqa=self, k=k, filters=filters)

    def as_chain(self, *, k: int | None = None, filters: Filters | None = None, generator: str | None = None):
        """This pipeline as a langchain_core Runnable: question (or {"question", "history", "filters", "k"}) in,
        Answer out; `stream` yields text pieces, then the Answer."""
        return _chain().DocQAChain(self, k=k, filters=filters, generator=generator)

    @property
    def embeddings(self):
        """This index's embedding model as a langchain_core Embeddings (same vectors as stored in Chroma)."""
        from qa.langchain import DocQAEmbeddings

        return DocQAEmbeddings(embedder=self.embedder)

    def close(self) -> None:
        if self._lexical is not None:
            self._lexical.close()
            self._lexical = None

    def __enter__(self) -> DocQA:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chain():
    import qa.chain  # langchain_core loads only when a chain is used

    return qa.chain


def _check_history(history: Sequence[Message] | None) -> list[Message]:
    checked: list[Message] = []
    for i, message in enumerate(history or []):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant") \
                or not isinstance(message.get("content"), str):
            raise InvalidInputError(f"history[{i}] must be {{'role': 'user'|'assistant', 'content': str}}, got {message!r}")
        checked.append({"role": message["role"], "content": message["content"]})
    return checked

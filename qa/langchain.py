"""docqa's retriever and embedding model as langchain_core interfaces (BaseRetriever, Embeddings) for users' own chains."""

from __future__ import annotations

import asyncio
from typing import Any, Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa.filters import Filters
from qa.models import Passage


def passage_document(passage: Passage) -> LCDocument:
    """One retrieved passage as a langchain Document: the chunk text, with where it came from and its scores."""
    chunk = passage.chunk
    metadata: dict[str, Any] = {
        **{k: v for k, v in chunk.metadata.items() if isinstance(v, (str, int, float, bool))},
        "source": chunk.source, "doc_id": chunk.doc_id, "chunk_id": chunk.id, "chunk_index": chunk.index,
        "start": chunk.start, "end": chunk.end, "kind": chunk.kind, "page": chunk.page, "title": chunk.title,
        "heading": chunk.heading, "score": passage.score, "dense_score": passage.dense_score,
        "lexical_score": passage.lexical_score,
    }
    return LCDocument(page_content=chunk.text, id=chunk.id, metadata=metadata)


class DocQARetriever(BaseRetriever):
    """Hybrid docqa retrieval (dense + BM25, fused, diversified) over one DocQA index.

    `k` and `filters` are defaults; `invoke(query, k=1, filters=...)` overrides them for one call.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    docqa: Any
    k: int | None = None
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, filters: Filters | None = None) -> list[LCDocument]:
        passages = self.docqa.retrieve(query, k=k or self.k, filters=filters if filters is not None else self.filters)
        return [passage_document(p) for p in passages]


class DocQAEmbeddings(Embeddings):
    """docqa's embedder (the one that filled the index) as a langchain Embeddings: L2-normalised float lists.

    Give an `embedder` to share a loaded model (`DocQA.embeddings` does); otherwise the one configured in
    `settings` (default: the environment's) loads on first use.
    """

    def __init__(self, embedder: Any | None = None, settings: Any | None = None) -> None:
        self._embedder = embedder
        self._settings = settings

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from qa.embedding import make_embedder
            from qa.settings import Settings

            self._embedder = make_embedder(self._settings or Settings())
        return self._embedder

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embedder.embed_documents(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        from qa.retrieval import embed_query_single_threaded

        return embed_query_single_threaded(self.embedder, text).tolist()

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        return await asyncio.to_thread(self.embed_query, text)

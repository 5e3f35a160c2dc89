"""docqa retrieval as a langchain_core BaseRetriever, so it drops into users' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
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
    """Hybrid docqa retrieval (dense + BM25, fused, diversified) over one DocQA index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    docqa: Any
    k: int | None = None
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [passage_document(p) for p in self.docqa.retrieve(query, k=self.k, filters=self.filters)]

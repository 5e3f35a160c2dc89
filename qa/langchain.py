"""docqa retrieval as a langchain_core BaseRetriever, so it drops into users' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa.filters import Filters


class DocQARetriever(BaseRetriever):
    """Hybrid docqa retrieval; each langchain Document carries source, offsets, page and scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    docqa: Any
    k: int | None = None
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        passages = self.docqa.retrieve(query, k=self.k, filters=self.filters)
        return [
            LCDocument(
                page_content=p.text, id=p.chunk.id,
                metadata={"source": p.source, "start": p.start, "end": p.end, "page": p.chunk.page,
                          "score": p.score, "dense_score": p.dense_score, "lexical_score": p.lexical_score},
            )
            for p in passages
        ]

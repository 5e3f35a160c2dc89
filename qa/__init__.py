"""docqa's core: the data model, retrieval, answering and the `DocQA` Python API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.models import ABSTAIN_TEXT, Answer, Chunk, Citation, Document, IngestReport, Passage, SourceInfo

if TYPE_CHECKING:
    from qa.api import DocQA
    from qa.filters import Filters
    from qa.settings import Settings

__all__ = ["DocQA", "Settings", "Filters", "Answer", "Citation", "Passage", "Chunk", "Document", "IngestReport",
           "SourceInfo", "ABSTAIN_TEXT"]


def __getattr__(name: str) -> Any:
    # Lazy so that `ingest` can import the data model without pulling in the whole API.
    if name == "DocQA":
        from qa.api import DocQA

        return DocQA
    if name == "Settings":
        from qa.settings import Settings

        return Settings
    if name == "Filters":
        from qa.filters import Filters

        return Filters
    raise AttributeError(f"module 'qa' has no attribute {name!r}")

"""The one typed data model shared by ingest, qa, ui and eval: documents, chunks, passages, citations, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

@dataclass(frozen=True)
class PageSpan:
    """A page of a paginated document as a character range of the document text."""

    page: int  # 1-based
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A title or heading found in the document, located by character offset."""

    start: int
    level: int
    text: str


@dataclass(frozen=True)
class Document:
    """A loaded and cleaned document: `text` is what offsets of its chunks point into."""

    id: str  # derived from the resolved path, stable across re-ingests
    source: str  # the path as given at ingest (relative where it was relative)
    path: str  # resolved absolute path, used for sync
    sha256: str  # of the raw file bytes
    kind: str  # txt, md, html, pdf, docx
    text: str
    title: str | None = None
    pages: tuple[PageSpan, ...] = ()
    headings: tuple[Heading, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None

    def heading_at(self, offset: int) -> str | None:
        current = None
        for heading in self.headings:
            if heading.start > offset:
                break
            current = heading.text
        return current


@dataclass(frozen=True)
class Chunk:
    """A slice of a document: `document.text[start:end] == text`."""

    id: str  # derived from document id and content, so re-ingesting adds nothing
    doc_id: str
    source: str
    index: int
    start: int
    end: int
    text: str
    page: int | None = None
    title: str | None = None
    heading: str | None = None
    kind: str = "txt"
    sha256: str = ""  # of the source file
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused relevance score (higher is better)."""

    chunk: Chunk
    score: float
    dense_score: float | None = None  # cosine similarity to the query
    lexical_score: float | None = None  # BM25, higher is better

    @property
    def source(self) -> str:
        return self.chunk.source

    @property
    def start(self) -> int:
        return self.chunk.start

    @property
    def end(self) -> int:
        return self.chunk.end

    @property
    def text(self) -> str:
        return self.chunk.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.chunk.source,
            "start": self.chunk.start,
            "end": self.chunk.end,
            "text": self.chunk.text,
            "score": float(self.score),
            "page": self.chunk.page,
            "chunk_id": self.chunk.id,
            "dense_score": self.dense_score,
            "lexical_score": self.lexical_score,
        }


@dataclass(frozen=True)
class Citation:
    """Marker `[n]` in an answer, pointing at an exact span of a source document."""

    n: int
    source: str
    start: int  # offsets into the document text, not the passage
    end: int
    text: str  # the cited span, verbatim
    passage: int = 0  # index into Answer.passages
    page: int | None = None
    support: float | None = None  # how well the span supports the sentence citing it, 0..1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What `DocQA.ask` returns; `to_dict()` is the `docqa ask --json` contract."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    query: str = ""  # the standalone query actually used for retrieval
    generator: str = "extractive"
    confidence: float | None = None
    flags: tuple[str, ...] = ()  # e.g. "unsupported-sentence-removed", "fell-back-to-extractive"
    notice: str = ""  # shown to the user beside the answer, e.g. why another generator answered
    short_answer: str | None = None  # the answer's lead ("190-mile", "James Cartlidge") when it has one

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "timings_ms": {k: float(v) for k, v in self.timings_ms.items()},
            "query": self.query,
            "generator": self.generator,
            "confidence": self.confidence,
            "flags": list(self.flags),
            "notice": self.notice,
            "short_answer": self.short_answer,
        }


ABSTAIN_TEXT = "I could not find this in the documents."


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file during an ingest."""

    source: str
    status: Literal["added", "updated", "unchanged", "removed", "failed", "skipped"]
    chunks: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class IngestReport:
    """Summary of an ingest run; the CLI prints it and `--json` emits `to_dict()`."""

    files: tuple[FileOutcome, ...] = ()
    chunks_added: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_added / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "skipped": self.skipped,
            "chunks_added": self.chunks_added,
            "chunks_removed": self.chunks_removed,
            "seconds": round(self.seconds, 3),
            "chunks_per_second": round(self.chunks_per_second, 1),
            "files": [asdict(f) for f in self.files],
        }


@dataclass(frozen=True)
class SourceInfo:
    """One ingested document as listed by `docqa sources`."""

    source: str
    chunks: int
    sha256: str
    kind: str = "txt"
    added: str | None = None  # ISO timestamp of the ingest that wrote it
    title: str | None = None
    fetched: str | None = None  # web pages: ISO timestamp of the last fetch

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

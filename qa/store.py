"""The store seam (the ChunkStore protocol) and its Chroma implementation: chunks with vectors, one commit record per
document; Chroma specifics (where-documents, collection names, dropping) stay in this module."""

from __future__ import annotations

import contextlib
import fcntl
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Protocol, Sequence
from urllib.parse import urlparse

import numpy as np

from qa.chroma_local import EmbeddedChroma
from qa.embedding import Embedder
from qa.errors import ConfigurationError, IndexMismatchError
from qa.filters import Filters
from qa.models import Chunk
from qa.settings import Settings

CHUNKER_VERSION = "sentences-v2"  # v2: chunks end at page breaks
GENERATION_ID = "__generation__"
_BATCH = 2000  # stays below Chroma's max batch size on every backend


@dataclass(frozen=True)
class DocRecord:
    """The commit record of one document: written last on ingest, so it is the truth about what is stored."""

    doc_id: str
    source: str
    path: str
    sha256: str
    kind: str
    chunks: int
    status: str  # "ok" once committed; "pending" while chunks are being written; "deleting" during removal
    model: str
    chunker: str
    added: str
    updated: str
    title: str = ""
    commit: str = ""  # changes on every commit, so lexical caches know to refresh

    def to_metadata(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "doc_id"}

    @classmethod
    def from_metadata(cls, doc_id: str, meta: dict[str, Any]) -> DocRecord:
        fields = {k: meta.get(k, "") for k in cls.__dataclass_fields__ if k != "doc_id"}
        fields["chunks"] = int(fields["chunks"] or 0)
        return cls(doc_id=doc_id, **fields)


class ChunkStore(Protocol):
    """What ingest and retrieval need from a vector store; `tests/store_conformance.py` checks an implementation."""

    def upsert_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None: ...
    def delete_chunks(self, ids: Sequence[str]) -> None: ...
    def get_chunks(self, *, doc_ids: Sequence[str] | None = None, ids: Sequence[str] | None = None) -> list[Chunk]: ...
    def get_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...
    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]: ...
    def count(self) -> int: ...
    def doc_records(self) -> dict[str, DocRecord]: ...
    def put_doc_records(self, records: Sequence[DocRecord]) -> None: ...
    def delete_doc_records(self, doc_ids: Sequence[str]) -> None: ...
    def chunk_ids_by_doc(self, doc_ids: Sequence[str]) -> dict[str, list[str]]: ...
    def generation(self) -> str: ...
    def bump_generation(self) -> str: ...


def chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """The filters as a Chroma `where` document (None when they filter nothing)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.kinds:
        clauses.append({"kind": {"$in": list(filters.kinds)}})
    for key, value in filters.where.items():
        clauses.append({key: {"$in": list(value)}} if isinstance(value, tuple) else {key: value})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class _OurEmbeddings:
    """Chroma embedding function wrapping our embedder, so Chroma never loads its default model."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002 - Chroma's parameter name
        return list(self._embedder.embed_documents(input))

    def embed_query(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    @staticmethod
    def name() -> str:
        return "docqa"

    def is_legacy(self) -> bool:
        return True


def collection_exists(settings: Settings) -> bool:
    """Whether settings.collection is in the store, found without creating anything (reads must not)."""
    return settings.collection in {getattr(c, "name", c) for c in make_client(settings).list_collections()}


def make_client(settings: Settings):
    """A Chroma server's client, or (embedded) this process's shared client of the index folder."""
    if not settings.chroma_url:
        return EmbeddedChroma.of(settings).client
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = urlparse(settings.chroma_url)
    if not url.hostname:
        raise ConfigurationError(f"chroma_url {settings.chroma_url!r} has no host")
    return chromadb.HttpClient(
        host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
        ssl=url.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
    )


def collection_names(settings: Settings) -> tuple[str, str]:
    """The Chroma collections of settings.collection: its chunks, and its commit records."""
    return settings.collection, f"{settings.collection}-docs"


def drop_collections(settings: Settings) -> None:
    """Delete the collection's chunks and commit records from Chroma (embedded or server)."""
    shared = None if settings.chroma_url else EmbeddedChroma.of(settings)
    with shared.exclusive() if shared else contextlib.nullcontext():
        client = make_client(settings)
        existing = {getattr(c, "name", c) for c in client.list_collections()}
        for name in collection_names(settings):
            if name in existing:
                client.delete_collection(name)


def _chunk_metadata(chunk: Chunk, model: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id, "source": chunk.source, "index": chunk.index,
        "start": chunk.start, "end": chunk.end, "kind": chunk.kind, "sha256": chunk.sha256,
        "model": model, "chunker": CHUNKER_VERSION,
    }
    for key in ("page", "title", "heading"):
        value = getattr(chunk, key)
        if value is not None:
            meta[key] = value
    for key, value in chunk.metadata.items():
        if isinstance(value, (str, int, float, bool)) and key not in meta:
            meta[key] = value
    return meta


_CORE_KEYS = {"doc_id", "source", "index", "start", "end", "kind", "sha256", "model", "chunker", "page", "title", "heading"}


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id, doc_id=meta["doc_id"], source=meta["source"], index=int(meta["index"]),
        start=int(meta["start"]), end=int(meta["end"]), text=text,
        page=int(meta["page"]) if meta.get("page") is not None else None,
        title=meta.get("title"), heading=meta.get("heading"), kind=meta.get("kind", "txt"),
        sha256=meta.get("sha256", ""),
        metadata={k: v for k, v in meta.items() if k not in _CORE_KEYS},
    )


class ChromaStore:
    """Chunks live in collection NAME; commit records and a generation marker in NAME-docs."""

    def __init__(self, settings: Settings, embedder: Embedder, client: Any | None = None) -> None:
        self._shared = EmbeddedChroma.of(settings) if client is None and not settings.chroma_url else None
        self._own_client = client or (None if self._shared else make_client(settings))
        self._name = settings.collection
        self._names = collection_names(settings)
        self._model = embedder.model_id
        self._ef = _OurEmbeddings(embedder)
        self._stamp = {"docqa:model": embedder.model_id, "docqa:chunker": CHUNKER_VERSION, "docqa:dim": embedder.dimension}
        self._dim = embedder.dimension
        self._epoch = -1
        # Embedded: creating collections and a client's first touch of them both write, so under the lock.
        with self._shared.exclusive() if self._shared else contextlib.nullcontext():
            self._open_collections(create=True)
            self._check_stamp(settings.collection, self._stamp)
            if self._shared is not None:  # what this process has seen so far: later changes are other processes'
                self._shared.names.update(self._names)
                self._chunks.count()
                self._shared.seen.setdefault(self._name, self._read_generation())

    @property
    def _client(self):
        return self._shared.client if self._shared else self._own_client

    def _open_collections(self, *, create: bool = False) -> None:
        self._epoch = self._shared.epoch if self._shared else 0
        chunks_name, docs_name = self._names
        if not create:  # the shared client was reopened: find the same collections again, never make them
            self._chunks = self._client.get_collection(chunks_name, embedding_function=self._ef)
            self._docs = self._client.get_collection(docs_name, embedding_function=self._ef)
            return
        self._chunks = self._client.get_or_create_collection(
            chunks_name, configuration={"hnsw": {"space": "cosine"}}, metadata=self._stamp, embedding_function=self._ef,
        )
        self._docs = self._client.get_or_create_collection(
            docs_name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=self._ef,
        )

    @property
    def chunks(self):
        if self._shared and self._shared.epoch != self._epoch:
            self._open_collections()  # the shared client was reopened for another store's sake
        return self._chunks

    @property
    def docs(self):
        if self._shared and self._shared.epoch != self._epoch:
            self._open_collections()
        return self._docs

    @contextlib.contextmanager
    def write_lock(self):
        """Held around each commit: embedded writers in several processes take turns, readers wait for the commit
        to end, and the writer first follows what the others committed, so no process writes from a stale view of
        the vector index."""
        if self._shared is None:  # a Chroma server serialises writers itself
            yield
            return
        with self._shared.folder_lock.hold(fcntl.LOCK_EX):
            self._follow()
            yield

    @contextlib.contextmanager
    def read_view(self):
        """Held around one retrieval: no commit starts or is half done meanwhile, and this process's client has
        followed every commit made before it, so Chroma and the lexical index agree from the first read to the last."""
        if self._shared is None:
            yield
            return
        with self._shared.folder_lock.hold(fcntl.LOCK_SH):
            self._follow()  # another process committed: reopen, exclusively, and come back to the shared hold
            yield

    def _read(self, read):
        """A Chroma read; embedded, retried once on a fresh client if it failed on a stale one."""
        if self._shared is None:
            return read()
        return self._shared.retrying(read, after=self._note_generation)

    def _note_generation(self) -> None:
        self._shared.seen[self._name] = self._read_generation()

    def _check_stamp(self, name: str, stamp: dict[str, Any]) -> None:
        found = self.chunks.metadata or {}
        for key in ("docqa:model", "docqa:chunker"):
            if found.get(key) not in (None, stamp[key]):
                raise IndexMismatchError(
                    f"collection {name!r} was built with {key.split(':')[1]} {found.get(key)!r}, "
                    f"but {stamp[key]!r} is configured; run `docqa ingest --rebuild PATH` to re-embed, "
                    f"or use another --collection"
                )

    # Chunks --------------------------------------------------------------------------------
    def upsert_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), _BATCH):
            batch = chunks[i : i + _BATCH]
            self.chunks.upsert(
                ids=[c.id for c in batch], documents=[c.text for c in batch],
                embeddings=vectors[i : i + _BATCH], metadatas=[_chunk_metadata(c, self._model) for c in batch],
            )

    def delete_chunks(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), _BATCH):
            self.chunks.delete(ids=list(ids[i : i + _BATCH]))

    def get_chunks(self, *, doc_ids: Sequence[str] | None = None, ids: Sequence[str] | None = None) -> list[Chunk]:
        if ids is not None:
            if not ids:
                return []
            result = self._read(lambda: self.chunks.get(ids=list(ids), include=["documents", "metadatas"]))
        elif doc_ids is not None:
            if not doc_ids:
                return []
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
            result = self._read(lambda: self.chunks.get(where=where, include=["documents", "metadatas"]))
        else:
            result = self._read(lambda: self.chunks.get(include=["documents", "metadatas"]))
        found = [chunk_from_record(i, d, m) for i, d, m in zip(result["ids"], result["documents"], result["metadatas"])]
        return sorted(found, key=lambda c: (c.source, c.index))

    def get_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        result = self._read(lambda: self.chunks.get(ids=list(ids), include=["embeddings"]))
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(result["ids"], result["embeddings"])}

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        result = self._read(lambda: self._query(vector, k, filters))
        if result is None:
            return []
        return [
            (chunk_from_record(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])
        ]

    def _query(self, vector: np.ndarray, k: int, filters: Filters | None) -> dict[str, Any] | None:
        total = self.chunks.count()
        if total == 0:
            return None
        return self.chunks.query(query_embeddings=[vector], n_results=min(k, total), where=chroma_where(filters),
                                 include=["documents", "metadatas", "distances"])

    def count(self) -> int:
        return self._read(lambda: self.chunks.count())

    def collection_names(self) -> list[str]:
        """The docqa collections of this index or server: those with a commit-record collection beside them."""
        names = {getattr(c, "name", c) for c in self._client.list_collections()}
        return sorted(n for n in names if f"{n}-docs" in names)

    # Commit records ------------------------------------------------------------------------
    def _placeholder(self, n: int) -> list[list[float]]:
        # Records need a vector in Chroma; a constant one keeps them out of anyone's way.
        return [[0.0] * (self._dim - 1) + [1.0]] * n

    def doc_records(self) -> dict[str, DocRecord]:
        result = self._read(lambda: self.docs.get(include=["metadatas"]))
        return {
            i: DocRecord.from_metadata(i, m)
            for i, m in zip(result["ids"], result["metadatas"])
            if i != GENERATION_ID
        }

    def put_doc_records(self, records: Sequence[DocRecord]) -> None:
        """Many commit records in one round trip."""
        for i in range(0, len(records), _BATCH):
            part = records[i : i + _BATCH]
            self.docs.upsert(ids=[r.doc_id for r in part], documents=[r.source for r in part],
                             embeddings=self._placeholder(len(part)), metadatas=[r.to_metadata() for r in part])

    def delete_doc_records(self, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(doc_ids), _BATCH):
            self.docs.delete(ids=list(doc_ids[i : i + _BATCH]))

    def chunk_ids_by_doc(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """Stored chunk ids of each document, in one query per few hundred documents."""
        found: dict[str, list[str]] = {d: [] for d in doc_ids}
        for i in range(0, len(doc_ids), 500):
            part = list(doc_ids[i : i + 500])
            where = {"doc_id": part[0]} if len(part) == 1 else {"doc_id": {"$in": part}}
            result = self._read(lambda: self.chunks.get(where=where, include=["metadatas"]))
            for chunk_id, meta in zip(result["ids"], result["metadatas"]):
                found.setdefault(meta["doc_id"], []).append(chunk_id)
        return found

    def generation(self) -> str:
        """The collection's change marker. With an embedded Chroma, a marker this process did not write means
        another process committed: the shared client is reopened so the next query sees that commit."""
        return self._follow()

    def _follow(self) -> str:
        token = self._read_generation()
        if self._shared is not None:
            seen = self._shared.seen.get(self._name)
            if seen is not None and seen != token:
                with self._shared.exclusive():  # from a shared hold too: back to it after the reopen
                    self._shared.reopen()
                    token = self._read_generation()
            self._shared.seen[self._name] = token
        return token

    def _read_generation(self) -> str:
        result = self.docs.get(ids=[GENERATION_ID], include=["documents"])
        return result["documents"][0] if result["ids"] else ""

    def bump_generation(self) -> str:
        token = uuid.uuid4().hex
        self.docs.upsert(ids=[GENERATION_ID], documents=[token], embeddings=self._placeholder(1), metadatas=[{"kind": "generation"}])
        if self._shared is not None:
            self._shared.seen[self._name] = token
        return token


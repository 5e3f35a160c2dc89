"""An in-memory ChunkStore for tests: the store Protocol in plain dicts, proving ingest and retrieval need no Chroma."""

from __future__ import annotations

import uuid
from typing import Sequence

import numpy as np

from qa.filters import Filters
from qa.models import Chunk
from qa.store import DocRecord


class MemoryStore:
    """Chunks with their vectors, commit records and a generation token, all in this process's memory."""

    def __init__(self) -> None:
        self._chunks: dict[str, tuple[Chunk, np.ndarray]] = {}
        self._records: dict[str, DocRecord] = {}
        self._generation = ""

    def upsert_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for chunk, vector in zip(chunks, vectors):
            self._chunks[chunk.id] = (chunk, np.asarray(vector, dtype=np.float32))

    def delete_chunks(self, ids: Sequence[str]) -> None:
        for chunk_id in ids:
            self._chunks.pop(chunk_id, None)

    def get_chunks(self, *, doc_ids: Sequence[str] | None = None, ids: Sequence[str] | None = None) -> list[Chunk]:
        if ids is not None:
            found = [self._chunks[i][0] for i in ids if i in self._chunks]
        else:
            wanted = None if doc_ids is None else set(doc_ids)
            found = [c for c, _ in self._chunks.values() if wanted is None or c.doc_id in wanted]
        return sorted(found, key=lambda c: (c.source, c.index))

    def get_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {i: self._chunks[i][1] for i in ids if i in self._chunks}

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Chunk, float]]:
        scored = [(c, float(np.dot(v, vector))) for c, v in self._chunks.values() if filters is None or filters.admits(c)]
        return sorted(scored, key=lambda pair: -pair[1])[:k]

    def count(self) -> int:
        return len(self._chunks)

    def doc_records(self) -> dict[str, DocRecord]:
        return dict(self._records)

    def put_doc_records(self, records: Sequence[DocRecord]) -> None:
        self._records.update((r.doc_id, r) for r in records)

    def delete_doc_records(self, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            self._records.pop(doc_id, None)

    def chunk_ids_by_doc(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {d: [] for d in doc_ids}
        for chunk_id, (chunk, _) in self._chunks.items():
            if chunk.doc_id in found:
                found[chunk.doc_id].append(chunk_id)
        return found

    def generation(self) -> str:
        return self._generation

    def bump_generation(self) -> str:
        self._generation = uuid.uuid4().hex
        return self._generation

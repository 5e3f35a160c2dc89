"""Turn the fitz-gov RAG governance benchmark into a docqa question set with a corpus to ingest.

fitz-gov 4.1.0 (PyPI ``fitz-gov``, MIT licence, (c) 2025 Fitz AI; only dependency httpx)
ships its data inside the wheel:

* ``data/corpus/documents.jsonl`` — 5,043 short documents (about 660 characters on average,
  5,024 distinct ids: 19 ids appear twice with different text, and 28 documents are empty)
  over some 45 domains.
* ``data/queries/query_mappings.json`` — 3,800 queries for full-pipeline ("Mode B")
  evaluation, each with ``relevant_docs`` and ``decoy_docs`` by document id, grouped in six
  categories: abstention 1,136 (the should-refuse queries: 988 without any relevant
  document, 148 whose "relevant" documents are off-topic on purpose), dispute 1,068,
  trustworthy_hedged 494, trustworthy_direct 410, relevance 348 and grounding 344.
* ``data/tier0_sanity`` and ``data/tier1_core`` — 60 + 2,920 cases with inline contexts and
  an expected mode (trustworthy / disputed / abstain); not used here, since docqa
  retrieves from its own index rather than being handed contexts.

No query carries a gold answer text. So abstention queries become unanswerable cases (no
answers, no sources: the right output is an abstention), and every other query becomes a
``retrieval_only`` case whose gold sources are its relevant documents — it scores retrieval
and over-abstention, not answer text. Documents are written as ``<id>.txt`` (title, blank
line, content); the texts of a duplicated id are joined into its one file, empty documents
are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import zip_longest
from pathlib import Path

from eval.questions import Case, QuestionSet, QuestionSetError, iter_jsonl, safe_file_stem, write_corpus

REFUSAL_CATEGORY = "abstention"


@dataclass(frozen=True)
class _Query:
    id: str
    category: str
    text: str
    relevant: tuple[str, ...]
    decoys: tuple[str, ...]

    @property
    def should_refuse(self) -> bool:
        return self.category == REFUSAL_CATEGORY

    @property
    def needed_docs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.relevant + self.decoys))


def fitzgov_data_dir() -> Path:
    """The data folder inside the installed fitz-gov package."""
    try:
        return Path(str(resources.files("fitz_gov") / "data"))
    except ModuleNotFoundError as error:
        raise QuestionSetError([("fitz-gov", None, "not installed: pip install 'docqa[bench]' (fitz-gov==4.1.0)")]) from error


def _read_documents(data_dir: Path) -> dict[str, str]:
    path = data_dir / "corpus" / "documents.jsonl"
    texts: dict[str, list[str]] = {}
    for _, record in iter_jsonl(path):
        content = str(record.get("content") or "").strip()
        if not content:
            continue
        title = str(record.get("title") or "").strip()
        texts.setdefault(str(record["id"]), []).append(f"{title}\n\n{content}" if title else content)
    return {doc_id: "\n\n".join(parts) + "\n" for doc_id, parts in texts.items()}


def _read_queries(data_dir: Path) -> list[_Query]:
    path = data_dir / "queries" / "query_mappings.json"
    mappings = json.loads(path.read_text(encoding="utf-8")).get("mappings")
    if not isinstance(mappings, dict):
        raise QuestionSetError([(str(path), "mappings", "expected an object of categories")])
    return [
        _Query(
            id=query_id,
            category=category,
            text=str(entry["query"]).strip(),
            relevant=tuple(entry.get("relevant_docs") or ()),
            decoys=tuple(entry.get("decoy_docs") or ()),
        )
        for category, entries in mappings.items()
        for query_id, entry in entries.items()
    ]


def _round_robin(queries: list[_Query]) -> Iterator[_Query]:
    # Interleave categories so that a small limit still mixes refusals with answerable queries.
    by_category: dict[str, list[_Query]] = {}
    for query in queries:
        by_category.setdefault(query.category, []).append(query)
    for row in zip_longest(*by_category.values()):
        yield from (query for query in row if query is not None)


def _select(
    queries: list[_Query], documents: dict[str, str], limit_docs: int | None, limit_queries: int | None
) -> tuple[list[_Query], list[str]]:
    chosen: list[_Query] = []
    doc_ids: dict[str, None] = {}
    for query in _round_robin(queries):
        if limit_queries is not None and len(chosen) >= limit_queries:
            break
        needed = [doc for doc in query.needed_docs if doc in documents and doc not in doc_ids]
        if not query.should_refuse and not any(doc in documents for doc in query.relevant):
            continue  # nothing to retrieve: the gold documents are empty
        if limit_docs is not None and len(doc_ids) + len(needed) > limit_docs:
            continue
        chosen.append(query)
        doc_ids.update(dict.fromkeys(needed))
    # The remaining budget goes to unreferenced documents, as distractors, in corpus order.
    for doc_id in documents:
        if limit_docs is not None and len(doc_ids) >= limit_docs:
            break
        doc_ids.setdefault(doc_id, None)
    return chosen, list(doc_ids)


def load_fitzgov(work_dir: Path, *, limit_docs: int | None = None, limit_queries: int | None = None) -> QuestionSet:
    """Write fitz-gov's documents to work_dir/corpus and return its queries as cases.

    With limits, queries are taken round-robin over the six categories and kept only while
    all documents they reference (relevant and decoys) fit into ``limit_docs``; leftover room
    is filled with other documents in corpus order. Same arguments, same files and cases.
    """
    for name, limit in (("limit_docs", limit_docs), ("limit_queries", limit_queries)):
        if limit is not None and limit < 1:
            raise ValueError(f"{name} must be at least 1, got {limit}")
    data_dir = fitzgov_data_dir()
    documents = _read_documents(data_dir)
    queries, doc_ids = _select(_read_queries(data_dir), documents, limit_docs, limit_queries)
    file_of = {doc_id: f"{safe_file_stem(doc_id)}.txt" for doc_id in doc_ids}
    cases = tuple(
        Case(
            id=query.id,
            question=query.text,
            sources=() if query.should_refuse else tuple(file_of[d] for d in query.relevant if d in file_of),
            category=query.category,
            retrieval_only=not query.should_refuse,
        )
        for query in queries
    )
    corpus_dir = write_corpus(Path(work_dir) / "corpus", {file_of[d]: documents[d] for d in doc_ids})
    return QuestionSet(name="fitz-gov", cases=cases, corpus_dir=corpus_dir)

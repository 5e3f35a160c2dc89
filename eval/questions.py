"""Question sets for evaluation: the Case model and loaders for docqa JSONL, SQuAD JSON and BEIR folders.

Formats, chosen by the path:

* ``*.jsonl`` — docqa's own format, one case per line::

      {"id": "...", "question": "...", "answers": ["..."], "sources": ["file.txt"],
       "history": [{"role": "user", "content": "..."}, ...], "category": "fact"}

  ``id``, ``question`` and ``answers`` are required; ``sources``, ``history``, ``category``
  and ``retrieval_only`` are optional. Empty ``answers`` means the documents do not say, so
  the right output is an abstention. Every bad line is reported (file, line, field) in one
  ``QuestionSetError``.
* ``*.json`` — SQuAD 1.1/2.0 (``data[].paragraphs[].qas[]``). Each article becomes one text
  file, its paragraphs separated by blank lines, named ``NNNN_<title>.txt`` by article order:
  a document in docqa is a whole file, and ingest does its own chunking, so one file per
  article keeps retrieval as hard as on real documents. Gold sources are the article's file;
  ``is_impossible`` questions get no answers and no sources (unanswerable).
* a folder — BEIR (``corpus.jsonl``, ``queries.jsonl``, ``qrels/<split>.tsv``). Each corpus
  document becomes ``<doc id>.txt`` (title, blank line, text); only judged queries become
  cases, with the documents judged relevant (score > 0) as gold sources, no answers, and
  ``retrieval_only=True`` so they are not mistaken for unanswerable questions.

SQuAD and BEIR corpora are written to ``work_dir/corpus`` (use one work_dir per set),
deterministically and only where a file's content changed; ``QuestionSet.corpus_dir`` points
there so the runner can ingest it first.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from qa.errors import DocQAError

CATEGORIES = frozenset({"fact", "number", "name", "date", "unanswerable", "near_miss", "multi_turn"})
ROLES = frozenset({"user", "assistant"})
_REQUIRED_KEYS = ("id", "question", "answers")
_OPTIONAL_KEYS = ("sources", "history", "category", "retrieval_only")
_CORPUS_MARKER = ".docqa-eval-corpus"


class QuestionSetError(DocQAError, ValueError):
    """A question set that cannot be read; `problems` lists every (location, field, message)."""

    def __init__(self, problems: Iterable[tuple[str, str | None, str]]):
        self.problems = tuple(problems)
        lines = [f"{where}: {f'field {field!r}: ' if field else ''}{message}" for where, field, message in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Case:
    """One evaluation question with its gold answers and the documents that hold them."""

    id: str
    question: str
    answers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    history: tuple[dict[str, str], ...] = field(default=(), hash=False)  # dicts cannot be hashed
    category: str | None = None
    retrieval_only: bool = False  # no gold answer to score, but not an unanswerable question either

    @property
    def unanswerable(self) -> bool:
        """Whether the correct output is an abstention."""
        return not self.answers and not self.retrieval_only


@dataclass(frozen=True)
class QuestionSet:
    """A named list of cases; `corpus_dir` is set when its documents must be ingested first."""

    name: str
    cases: tuple[Case, ...]
    corpus_dir: Path | None = None


def load_question_set(path: Path, work_dir: Path | None = None, *, split: str = "test") -> QuestionSet:
    """Load a question set from docqa JSONL, SQuAD JSON or a BEIR folder (see the module docstring)."""
    path = Path(path)
    if not path.exists():
        raise QuestionSetError([(str(path), None, "no such file or folder")])
    if path.is_dir():
        return _load_beir(path, _require_work_dir(path, work_dir), split)
    if path.suffix == ".jsonl":
        return QuestionSet(name=path.stem, cases=_load_jsonl(path))
    if path.suffix == ".json":
        return _load_squad(path, _require_work_dir(path, work_dir))
    raise QuestionSetError([(str(path), None, "expected a .jsonl file, a SQuAD .json file or a BEIR folder")])


def _require_work_dir(path: Path, work_dir: Path | None) -> Path:
    if work_dir is None:
        raise QuestionSetError([(str(path), None, "this format ships its own corpus: pass a work_dir to write it to")])
    return Path(work_dir)


# --- docqa JSONL -------------------------------------------------------------------------


def _load_jsonl(path: Path) -> tuple[Case, ...]:
    cases: list[Case] = []
    problems: list[tuple[str, str | None, str]] = []
    first_line_of: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append((where, None, f"not valid JSON ({error.msg} at column {error.colno})"))
                continue
            line_problems = _validate_record(record)
            if not line_problems and record["id"] in first_line_of:
                line_problems.append(("id", f"duplicate id {record['id']!r} (first on line {first_line_of[record['id']]})"))
            if line_problems:
                problems.extend((where, field, message) for field, message in line_problems)
                continue
            first_line_of[record["id"]] = number
            cases.append(_case_from_record(record))
    if problems:
        raise QuestionSetError(problems)
    if not cases:
        raise QuestionSetError([(str(path), None, "contains no cases")])
    return tuple(cases)


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def _validate_record(record: Any) -> list[tuple[str | None, str]]:
    if not isinstance(record, dict):
        return [(None, f"expected a JSON object, got {type(record).__name__}")]
    problems: list[tuple[str | None, str]] = []
    for key in _REQUIRED_KEYS:
        if key not in record:
            problems.append((key, "missing"))
    for key in record.keys() - {*_REQUIRED_KEYS, *_OPTIONAL_KEYS}:
        problems.append((key, f"unknown field (allowed: {', '.join(_REQUIRED_KEYS + _OPTIONAL_KEYS)})"))
    for key in ("id", "question"):
        if key in record and not (isinstance(record[key], str) and record[key].strip()):
            problems.append((key, "must be a non-empty string"))
    for key in ("answers", "sources"):
        if key in record and not _is_string_list(record[key]):
            problems.append((key, "must be a list of non-empty strings"))
    if "history" in record:
        problems.extend(_validate_history(record["history"]))
    category = record.get("category")
    if category is not None and category not in CATEGORIES:
        problems.append(("category", f"{category!r} is not one of {', '.join(sorted(CATEGORIES))}"))
    if "retrieval_only" in record and not isinstance(record["retrieval_only"], bool):
        problems.append(("retrieval_only", "must be true or false"))
    return problems


def _validate_history(history: Any) -> list[tuple[str | None, str]]:
    if not isinstance(history, list):
        return [("history", "must be a list of {role, content} messages")]
    problems: list[tuple[str | None, str]] = []
    for index, message in enumerate(history):
        field = f"history[{index}]"
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            problems.append((field, "must be an object with exactly the keys 'role' and 'content'"))
        elif message["role"] not in ROLES:
            problems.append((f"{field}.role", f"{message['role']!r} is not 'user' or 'assistant'"))
        elif not (isinstance(message["content"], str) and message["content"].strip()):
            problems.append((f"{field}.content", "must be a non-empty string"))
    return problems


def _case_from_record(record: Mapping[str, Any]) -> Case:
    return Case(
        id=record["id"],
        question=record["question"],
        answers=tuple(record["answers"]),
        sources=tuple(record.get("sources", ())),
        history=tuple(dict(message) for message in record.get("history", ())),
        category=record.get("category"),
        retrieval_only=record.get("retrieval_only", False),
    )


# --- corpus files ------------------------------------------------------------------------


def safe_file_stem(name: str) -> str:
    """A file-name-safe stem for a document id; an id that had to change gets a hash suffix to stay unique."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:100]
    if stem == name:
        return stem
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}" if stem else digest


def write_corpus(corpus_dir: Path, documents: Mapping[str, str]) -> Path:
    """Write {file name: text} into corpus_dir, rewriting only changed files and removing stale ones.

    The folder is marked as ours on first use; an existing folder without the marker that
    holds files is refused, so a mistaken work_dir never loses somebody's documents.
    """
    corpus_dir = Path(corpus_dir)
    marker = corpus_dir / _CORPUS_MARKER
    if corpus_dir.exists() and any(corpus_dir.iterdir()) and not marker.exists():
        raise QuestionSetError([(str(corpus_dir), None, "exists and was not written by docqa eval; choose another work_dir")])
    corpus_dir.mkdir(parents=True, exist_ok=True)
    marker.touch()
    for stale in corpus_dir.glob("*.txt"):
        if stale.name not in documents:
            stale.unlink()
    for name, text in documents.items():
        target = corpus_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return corpus_dir


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuestionSetError([(f"{path}:{error.lineno}", None, f"not valid JSON ({error.msg})")]) from error


# --- SQuAD -------------------------------------------------------------------------------


def _load_squad(path: Path, work_dir: Path) -> QuestionSet:
    payload = _read_json(path)
    articles = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(articles, list):
        raise QuestionSetError([(str(path), "data", "expected a SQuAD file with a top-level 'data' list")])
    documents: dict[str, str] = {}
    cases: list[Case] = []
    problems: list[tuple[str, str | None, str]] = []
    for article_index, article in enumerate(articles):
        paragraphs = article.get("paragraphs") if isinstance(article, dict) else None
        if not isinstance(paragraphs, list) or not all(isinstance(p, dict) for p in paragraphs):
            problems.append((f"{path}: data[{article_index}]", "paragraphs", "expected a list of objects"))
            continue
        # The article's position keeps names unique, so the title only needs to be file-safe.
        title = re.sub(r"[^A-Za-z0-9._-]+", "_", str(article.get("title") or "")).strip("._")[:80] or "article"
        file_name = f"{article_index:04d}_{title}.txt"
        documents[file_name] = "\n\n".join(p.get("context", "").strip() for p in paragraphs) + "\n"
        for paragraph_index, paragraph in enumerate(paragraphs):
            for qa_index, qa in enumerate(paragraph.get("qas", [])):
                where = f"{path}: data[{article_index}].paragraphs[{paragraph_index}].qas[{qa_index}]"
                question = qa.get("question")
                if not isinstance(question, str) or not question.strip():
                    problems.append((where, "question", "must be a non-empty string"))
                    continue
                impossible = bool(qa.get("is_impossible", False))
                answers = () if impossible else tuple(dict.fromkeys(a["text"] for a in qa.get("answers", []) if a.get("text")))
                if not impossible and not answers:
                    problems.append((where, "answers", "an answerable question needs at least one answer text"))
                    continue
                cases.append(
                    Case(
                        id=str(qa.get("id") or f"{article_index}-{paragraph_index}-{qa_index}"),
                        question=question.strip(),
                        answers=answers,
                        sources=() if impossible else (file_name,),
                    )
                )
    if problems:
        raise QuestionSetError(problems)
    return QuestionSet(name=path.stem, cases=tuple(cases), corpus_dir=write_corpus(work_dir / "corpus", documents))


# --- BEIR --------------------------------------------------------------------------------


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of each non-blank line; bad JSON names the file and line."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise QuestionSetError([(f"{path}:{number}", None, f"not valid JSON ({error.msg})")]) from error


def _read_jsonl_objects(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise QuestionSetError([(str(path), None, "missing (a BEIR folder needs corpus.jsonl, queries.jsonl and qrels/)")])
    records = []
    for number, record in iter_jsonl(path):
        if not isinstance(record, dict) or "_id" not in record:
            raise QuestionSetError([(f"{path}:{number}", "_id", "missing")])
        records.append(record)
    return records


def _qrels_file(folder: Path, split: str) -> Path:
    qrels_dir = folder / "qrels"
    wanted = qrels_dir / f"{split}.tsv"
    if wanted.is_file():
        return wanted
    available = sorted(qrels_dir.glob("*.tsv")) if qrels_dir.is_dir() else []
    if len(available) == 1:
        return available[0]
    names = ", ".join(p.name for p in available) or "none"
    raise QuestionSetError([(str(qrels_dir), None, f"no {split}.tsv to pick (available: {names})")])


def _read_qrels(path: Path) -> dict[str, list[str]]:
    relevant: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or (number == 1 and row[0] in ("query-id", "query_id", "qid")):
                continue
            if len(row) < 3:
                raise QuestionSetError([(f"{path}:{number}", None, "expected query-id, corpus-id and score")])
            try:
                score = float(row[2])
            except ValueError as error:
                raise QuestionSetError([(f"{path}:{number}", "score", f"{row[2]!r} is not a number")]) from error
            if score > 0:
                relevant.setdefault(row[0], []).append(row[1])
    return relevant


def _load_beir(folder: Path, work_dir: Path, split: str) -> QuestionSet:
    corpus = _read_jsonl_objects(folder / "corpus.jsonl")
    queries = {str(q["_id"]): str(q.get("text", "")) for q in _read_jsonl_objects(folder / "queries.jsonl")}
    qrels = _read_qrels(_qrels_file(folder, split))
    file_of: dict[str, str] = {}
    documents: dict[str, str] = {}
    for doc in corpus:
        doc_id = str(doc["_id"])
        file_name = f"{safe_file_stem(doc_id)}.txt"
        title, text = str(doc.get("title") or "").strip(), str(doc.get("text") or "").strip()
        file_of[doc_id] = file_name
        documents[file_name] = (f"{title}\n\n{text}" if title else text) + "\n"
    cases = []
    for query_id, doc_ids in qrels.items():
        if query_id not in queries or not queries[query_id].strip():
            continue
        sources = tuple(dict.fromkeys(file_of[d] for d in doc_ids if d in file_of))
        if sources:
            cases.append(Case(id=query_id, question=queries[query_id], sources=sources, retrieval_only=True))
    if not cases:
        raise QuestionSetError([(str(folder), None, "no query has both text and a relevant document in the corpus")])
    return QuestionSet(name=folder.name, cases=tuple(cases), corpus_dir=write_corpus(work_dir / "corpus", documents))

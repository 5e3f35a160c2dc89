"""Retrieval filters (source globs, file types, metadata equality) and their Chroma and SQL forms."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from qa.errors import DocQAError

Scalar = str | int | float | bool
_COLUMNS = {"source": "source", "kind": "kind", "page": "page", "title": "title", "heading": "heading", "doc_id": "doc_id"}


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval: `sources` are exact paths, file names or globs; `where` is metadata equality."""

    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    where: Mapping[str, Scalar] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.sources or self.kinds or self.where)

    @classmethod
    def parse(cls, sources: Iterable[str] = (), kinds: Iterable[str] = (), where: Iterable[str] = ()) -> Filters:
        """Build from CLI-style strings: `--where key=value` (numbers and true/false are typed)."""
        pairs: dict[str, Scalar] = {}
        for item in where:
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise DocQAError(f"--where expects KEY=VALUE, got {item!r}")
            pairs[key.strip()] = _typed(raw.strip())
        return cls(tuple(sources), tuple(k.lower().lstrip(".") for k in kinds), pairs)

    def resolve(self, known_sources: Iterable[str]) -> Filters:
        """Replace source patterns by the exact sources they match (possibly none)."""
        if not self.sources:
            return self
        known = list(known_sources)
        matched = [s for s in known if any(_source_matches(s, p) for p in self.sources)]
        return replace(self, sources=tuple(matched) or ("\x00no-source-matched",))

    def to_chroma(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        clauses.extend({k: v} for k, v in self.where.items())
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def to_sql(self, alias: str) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.sources:
            parts.append(f"{alias}.source IN ({','.join('?' * len(self.sources))})")
            params.extend(self.sources)
        if self.kinds:
            parts.append(f"{alias}.kind IN ({','.join('?' * len(self.kinds))})")
            params.extend(self.kinds)
        for key, value in self.where.items():
            column = _COLUMNS.get(key)
            parts.append(f"{alias}.{column} = ?" if column else f"json_extract({alias}.meta, ?) = ?")
            if not column:
                params.append(f'$."{key}"')
            params.append(int(value) if isinstance(value, bool) else value)
        return " AND ".join(parts), params


def _source_matches(source: str, pattern: str) -> bool:
    normal = os.path.normpath(pattern)
    return (
        source == normal
        or os.path.basename(source) == pattern
        or fnmatch.fnmatchcase(source, pattern)
        or fnmatch.fnmatchcase(os.path.basename(source), pattern)
        or source.startswith(normal.rstrip("/") + "/")
    )


def _typed(raw: str) -> Scalar:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(raw)
        except ValueError:
            pass
    return raw

"""Backend-neutral retrieval filters (source globs, file types, metadata equality); each store translates them."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from qa.errors import DocQAError
from qa.models import Chunk
from qa.registry import FILE_TYPES

Scalar = str | int | float | bool
Value = Scalar | tuple[Scalar, ...]
# Chunk attributes a `where` key may name; any other key is looked up in the chunk's metadata.
CHUNK_FIELDS = frozenset({"doc_id", "source", "index", "start", "end", "kind", "sha256", "page", "title", "heading"})
_KIND_ALIASES = FILE_TYPES.aliases()
NO_SOURCE = "\x00no-source-matched"  # matches nothing on either side


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval: `sources` are exact paths, file names, folders or globs; `kinds` file types;
    `where` is metadata equality (a tuple value means "any of")."""

    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    where: Mapping[str, Value] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.sources or self.kinds or self.where)

    @classmethod
    def parse(cls, sources: Iterable[str] = (), kinds: Iterable[str] = (), where: Iterable[str] = ()) -> Filters:
        """Build from CLI-style strings: `--where key=value` (numbers and true/false are typed;
        `key=a|b` means a or b)."""
        pairs: dict[str, Value] = {}
        for item in where:
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise DocQAError(f"--where expects KEY=VALUE, got {item!r}")
            values = tuple(_typed(v.strip()) for v in raw.split("|"))
            pairs[key.strip()] = values[0] if len(values) == 1 else values
        return cls(tuple(s for s in sources if s), tuple(_kind(k) for k in kinds if k.strip()), pairs)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Filters:
        """Build from JSON-like settings, as a UI or an API client sends them:
        {"sources": [...], "kinds": [...], "where": {"key": value or [values]}}."""
        if not data:
            return cls()
        unknown = set(data) - {"sources", "kinds", "where"}
        if unknown:
            raise DocQAError(f"unknown filter field(s) {sorted(unknown)}; use sources, kinds, where")
        where: dict[str, Value] = {}
        for key, value in dict(data.get("where") or {}).items():
            if isinstance(value, (list, tuple)):
                if not value or not all(isinstance(v, (str, int, float, bool)) for v in value):
                    raise DocQAError(f"filter where[{key!r}] must be a value or a non-empty list of values")
                where[str(key)] = tuple(value)
            elif isinstance(value, (str, int, float, bool)):
                where[str(key)] = value
            else:
                raise DocQAError(f"filter where[{key!r}] must be a string, number or boolean, got {value!r}")
        return cls(_strings(data.get("sources"), "sources"), tuple(_kind(k) for k in _strings(data.get("kinds"), "kinds")),
                   where)

    def unmatched(self, known_sources: Iterable[str]) -> list[str]:
        """Source patterns that match none of `known_sources` (to tell the user which one is wrong)."""
        known = list(known_sources)
        return [p for p in self.sources if not any(_source_matches(s, p) for s in known)]

    def resolve(self, known_sources: Iterable[str]) -> Filters:
        """Replace source patterns by the exact sources they match (possibly none)."""
        if not self.sources:
            return self
        known = list(known_sources)
        matched = [s for s in known if any(_source_matches(s, p) for p in self.sources)]
        return replace(self, sources=tuple(matched) or (NO_SOURCE,))

    @property
    def matches_nothing(self) -> bool:
        return self.sources == (NO_SOURCE,)

    def admits(self, chunk: Chunk) -> bool:
        """Whether `chunk` passes these (resolved) filters: the meaning every store's query must implement."""
        if self.sources and chunk.source not in self.sources:
            return False
        if self.kinds and chunk.kind not in self.kinds:
            return False
        for key, value in self.where.items():
            found = getattr(chunk, key) if key in CHUNK_FIELDS else chunk.metadata.get(key)
            wanted = value if isinstance(value, tuple) else (value,)
            # A boolean never equals a number here, as in the stores (True == 1 only in Python).
            if found is None or not any(isinstance(found, bool) == isinstance(w, bool) and found == w for w in wanted):
                return False
        return True


def _source_matches(source: str, pattern: str) -> bool:
    normal = os.path.normpath(pattern)
    return (
        source == pattern
        or source == normal
        or os.path.basename(source) == pattern
        or fnmatch.fnmatchcase(source, pattern)
        or fnmatch.fnmatchcase(os.path.basename(source), pattern)
        or source.startswith(normal.rstrip("/") + "/")
    )


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not all(isinstance(v, str) for v in value):
        raise DocQAError(f"filter {name} must be a list of strings, got {value!r}")
    return tuple(v for v in value if v)


def _kind(raw: str) -> str:
    kind = raw.strip().lower().lstrip(".")
    return _KIND_ALIASES.get(kind, kind)


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

"""Sends a document's bytes to the loader qa.registry.FILE_TYPES names for its kind, and turns any failure into one LoadError."""

from __future__ import annotations

from pathlib import PurePath

from ingest.formats.common import LoadedText
from ingest.limits import Budget, Limits, LoadError, UnsupportedFormat
from qa.registry import FILE_TYPES


def kind_for(path: PurePath) -> str:
    """The loader kind for a path's extension; UnsupportedFormat when there is none."""
    suffix = path.suffix.lower()
    kind = FILE_TYPES.kind_of_extension().get(suffix)
    if kind is None:
        raise UnsupportedFormat(f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)",
                                source=str(path))
    return kind


def load_bytes(data: bytes, kind: str, *, name: str = "", budget: Budget | None = None) -> LoadedText:
    """Load a document held in memory; `name` only labels the error. Raises LoadError and nothing else."""
    normalized = kind.lower().lstrip(".")
    normalized = FILE_TYPES.aliases().get(normalized, normalized)
    try:
        loader = FILE_TYPES.loader(normalized)
    except KeyError:
        raise UnsupportedFormat(f"unsupported file type .{normalized}", source=name) from None
    if not data:
        raise LoadError("empty file", source=name)
    budget = budget or Limits().budget()
    try:
        loaded = loader(data, budget)
        budget.text(len(loaded.text))
    except LoadError as err:
        err.source = err.source or name
        raise
    except MemoryError as err:
        raise LoadError(f"out of memory while parsing {normalized}", source=name) from err
    except RecursionError as err:  # deeply nested markup or PDF objects
        raise LoadError(f"could not parse {normalized}: structure nested too deeply", source=name) from err
    except Exception as err:  # any library failure on bad input becomes a reason, never a crash
        raise LoadError(f"could not parse {normalized}: {type(err).__name__}: {err}", source=name) from err
    if not loaded.text.strip():
        raise LoadError("no text (only whitespace)", source=name)
    return loaded

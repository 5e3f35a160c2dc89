"""Reads a file safely (regular files only, size-checked before reading) and hands its bytes to the loader of its format."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import replace
from pathlib import Path

from ingest.formats.common import LoadedText
from ingest.formats.dispatch import kind_for, load_bytes
from ingest.formats.markdown import markdown_headings
from ingest.formats.pdf import MIN_PAGE_CHARS
from ingest.formats.text import UNDECODABLE, decode_text
from ingest.limits import Limits, LoadError, UnsupportedFormat
from qa.registry import FILE_TYPES

# Re-exported: callers and tests import these from here.
__all__ = ["DEFAULT_MAX_BYTES", "MIN_PAGE_CHARS", "SUPPORTED_EXTENSIONS", "UNDECODABLE", "LoadError", "LoadedText",
           "UnsupportedFormat", "decode_text", "kind_for", "load_bytes", "load_file", "markdown_headings",
           "read_regular_file", "special_file_kind"]

SUPPORTED_EXTENSIONS: frozenset[str] = FILE_TYPES.extensions()
DEFAULT_MAX_BYTES = Limits().max_bytes


def load_file(path: Path, *, max_bytes: int | None = None, limits: Limits | None = None) -> LoadedText:
    """Load one file; raises LoadError (and nothing else) with the reason it cannot be indexed.

    Only a regular file is read: it is opened without blocking and checked on the open handle, so a FIFO or a
    device swapped in after discovery is refused instead of hanging the run.
    """
    path = Path(path)
    source = str(path)
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    data = read_regular_file(path, limits.max_bytes)
    return load_bytes(data, kind_for(path), name=source, budget=limits.budget())


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; LoadError for anything else (directory, FIFO, device,
    socket, too large, unreadable)."""
    source = str(path)
    try:
        info = os.stat(path)
    except OSError as err:
        raise LoadError(_stat_failure(path, err), source=source) from err
    except ValueError as err:  # e.g. an embedded NUL in the name
        raise LoadError(f"invalid path: {err}", source=source) from err
    _refuse_special(path, info.st_mode)  # devices are never even opened: opening one can act on the device
    kind_for(path)
    # Refuse by size before reading, so a huge file never reaches memory.
    if info.st_size > max_bytes:
        raise LoadError(_too_large(info.st_size, max_bytes), source=source)
    try:
        with open(path, "rb", opener=_open_nonblocking) as handle:
            _refuse_special(path, os.fstat(handle.fileno()).st_mode)  # the path may have been swapped since stat
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except PermissionError as err:
        raise LoadError("permission denied", source=source) from err
    except OSError as err:
        raise LoadError(f"read error: {err.strerror or err}", source=source) from err
    if len(data) > max_bytes:
        raise LoadError(_too_large(len(data), max_bytes), source=source)
    return data


def _open_nonblocking(path: str, flags: int) -> int:
    """os.open with O_NONBLOCK: opening a FIFO that replaced a file returns at once instead of waiting for a writer."""
    return os.open(path, flags | os.O_NONBLOCK)


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise LoadError("is a directory, not a file", source=str(path))
    if not stat.S_ISREG(mode):
        raise LoadError(f"not a regular file ({special_file_kind(mode)})", source=str(path))


def special_file_kind(mode: int) -> str:
    """What a non-regular file is, for the one-line reason."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def _stat_failure(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):
        return "broken symlink" if os.path.islink(path) else "no such file"
    return f"cannot access file: {err.strerror or err}"


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:g} MB limit; raise DOCQA_MAX_FILE_MB)"




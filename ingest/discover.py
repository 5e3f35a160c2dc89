"""Turns the paths a user gives into the files to ingest, with the source name each keeps."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ingest.loaders import SUPPORTED_EXTENSIONS


@dataclass(frozen=True)
class Found:
    """A candidate file: `source` is the path as the user would write it, `path` the real file."""

    source: str
    path: Path
    problem: str | None = None  # set when the path cannot be ingested at all
    unsupported: bool = False


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Found]:
    """Walk files and folders in a stable order; hidden entries are skipped, symlink loops are broken."""
    for given in paths:
        raw = os.fspath(given)
        source_root = os.path.normpath(raw)
        root = Path(raw).expanduser()
        if not os.path.lexists(root):
            yield Found(source_root, root, problem="no such file or directory")
        elif root.is_dir():
            yield from _walk(root, source_root, seen_dirs=set())
        elif root.is_symlink() and not root.exists():
            yield Found(source_root, root, problem="broken symbolic link (or a symlink loop)")
        else:
            yield _classify(source_root, root)


def _classify(source: str, path: Path) -> Found:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        return Found(source, path, problem=f"unsupported file type {suffix or '(no extension)'}", unsupported=True)
    return Found(source, path)


def _walk(directory: Path, source_dir: str, seen_dirs: set[str]) -> Iterator[Found]:
    try:
        real = os.path.realpath(directory)
    except OSError as exc:
        yield Found(source_dir, directory, problem=f"cannot resolve folder: {exc.strerror or exc}")
        return
    if real in seen_dirs:
        return  # a symlink loop or a second link to a folder already walked
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Found(source_dir, directory, problem=f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        source = os.path.join(source_dir, entry.name) if source_dir != "." else entry.name
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, source, seen_dirs)
        elif entry.is_symlink() and not path.exists():
            yield Found(source, path, problem="broken symbolic link (or a symlink loop)")
        else:
            yield _classify(source, path)

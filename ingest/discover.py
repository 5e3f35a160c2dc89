"""Turns the paths a user gives into the regular files to ingest inside them, with the source name each keeps."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ingest.loaders import special_file_kind
from qa.registry import FILE_TYPES


@dataclass(frozen=True)
class Found:
    """A candidate file: `source` is the path as the user would write it, `path` the real file."""

    source: str
    path: Path
    problem: str | None = None  # set when the path cannot be ingested at all
    unsupported: bool = False  # "skipped" rather than "failed": not a file docqa reads, nothing went wrong


def discover(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Iterator[Found]:
    """Walk files and folders in a stable order. Hidden entries are skipped; FIFOs, sockets and devices are
    reported and never opened; a symbolic link inside a folder is followed only while its target stays inside
    that folder (anywhere with follow_links); symlink loops are broken. The walk is iterative, so folder depth
    is bounded by nothing but the file system, and one entry's error never ends it."""
    for given in paths:
        raw = os.fspath(given)
        source_root = os.path.normpath(raw)
        root = Path(raw).expanduser()
        try:
            yield from _discover_root(root, source_root, follow_links)
        except OSError as exc:  # the root itself vanished or became unreadable mid-walk
            yield Found(source_root, root, problem=f"cannot read: {exc.strerror or exc}")


def _discover_root(root: Path, source_root: str, follow_links: bool) -> Iterator[Found]:
    if not os.path.lexists(root):
        yield Found(source_root, root, problem="no such file or directory")
        return
    try:
        mode = os.stat(root).st_mode
    except OSError as exc:
        # A link named on the command line must resolve: to a folder (walked) or a regular file.
        problem = "broken symbolic link (or a symlink loop)" if os.path.islink(root) else _os_problem(exc)
        yield Found(source_root, root, problem=problem)
        return
    if stat.S_ISDIR(mode):
        yield from _walk(root, source_root, follow_links)
    else:
        yield _classify(source_root, root, mode)


def _classify(source: str, path: Path, mode: int) -> Found:
    if not stat.S_ISREG(mode):
        return Found(source, path, problem=f"not a regular file ({special_file_kind(mode)}); not read", unsupported=True)
    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES.extensions():  # read now: a plugin may register a type after import
        return Found(source, path, problem=f"unsupported file type {suffix or '(no extension)'}", unsupported=True)
    return Found(source, path)


def _walk(top: Path, source_top: str, follow_links: bool) -> Iterator[Found]:
    """Depth-first, entries sorted by name: the order the recursive walk had, on an explicit stack."""
    try:
        boundary = os.path.realpath(top)
    except OSError as exc:
        yield Found(source_top, top, problem=f"cannot resolve folder: {_os_problem(exc)}")
        return
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str]] = [(top, source_top)]
    while stack:
        directory, source_dir = stack.pop()
        try:
            # Folders are known by device and inode: realpath costs a step per path component, quadratic in depth.
            info = os.stat(directory)
            if (info.st_dev, info.st_ino) in seen_dirs:
                continue  # a symlink loop or a second link to a folder already walked
            seen_dirs.add((info.st_dev, info.st_ino))
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield Found(source_dir, directory, problem=f"cannot read folder: {_os_problem(exc)}")
            continue
        subdirs: list[tuple[Path, str]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            source = os.path.join(source_dir, entry.name) if source_dir != "." else entry.name
            try:
                found = _entry(entry, source, boundary, follow_links)
            except (OSError, ValueError) as exc:  # one odd entry costs that entry
                found = Found(source, Path(entry.path), problem=f"cannot read: {getattr(exc, 'strerror', None) or exc}")
            if isinstance(found, Found):
                yield found
            elif found is not None:
                subdirs.append((found, source))
        stack.extend(reversed(subdirs))


def _entry(entry: os.DirEntry, source: str, boundary: str, follow_links: bool) -> Found | Path | None:
    """A Found for a file or a problem, the Path of a folder to walk, or None for a folder to leave out."""
    path = Path(entry.path)
    if entry.is_symlink():
        try:
            target = os.path.realpath(path, strict=True)
            mode = os.stat(path).st_mode
        except OSError:
            return Found(source, path, problem="broken symbolic link (or a symlink loop)")
        if not follow_links and not _within(target, boundary):
            return Found(source, path, problem=f"symbolic link to {target}, outside the folder given; not followed "
                                               "(use --follow-links to allow)", unsupported=True)
    else:
        mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISDIR(mode):
        return path
    return _classify(source, path, mode)


def _within(path: str, boundary: str) -> bool:
    return path == boundary or path.startswith(boundary.rstrip(os.sep) + os.sep)


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return str(exc.strerror or exc)

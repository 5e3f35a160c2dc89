"""One embedded Chroma folder shared by several processes: this process's client of it, the folder lock that
orders the processes' commits and reads, and the reopen by which a process sees what the others committed.

Why it is needed (chromadb 1.x, embedded): each client keeps its own in-memory copy of a collection's vector
index, brought up to date from Chroma's write-ahead log once, when the client first touches the collection. What
other processes commit later reaches the shared SQLite file (ids, metadata, documents) but never that copy, so a
stale client fails with "Error finding id" as soon as SQLite names an id its copy lacks; and a process that
writes through a stale client persists a vector index without the others' vectors. Chroma also writes to SQLite
when a client opens (migrations) and on a client's first touch of a collection (log replay and purge); two of
those at once in rollback-journal mode fail at once with "database is locked", whatever the busy timeout.

So every Chroma write happens under the folder lock held exclusively (commits, opening a client, creating or
dropping collections, the first touch after a reopen), a retrieval holds it shared from its first read to its
last, and each process reopens its client when the collection's generation marker shows another process's commit.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from qa.settings import Settings

log = logging.getLogger(__name__)

LOCK_FILE = ".docqa-write.lock"  # in the embedded Chroma folder
TURNSTILE_FILE = ".docqa-turnstile.lock"  # passed by readers, held by a waiting writer: writers are not starved


class _Hold:
    __slots__ = ("handle", "mode", "depth")

    def __init__(self, handle: Any, mode: int) -> None:
        self.handle, self.mode, self.depth = handle, mode, 1


class FolderLock:
    """flock(2) on the folder's lock file: LOCK_EX for whoever changes Chroma's files, LOCK_SH for a reader for the
    length of one retrieval. Re-entrant per thread. A writer first takes the turnstile, which every new reader
    passes through, so a stream of overlapping readers cannot keep a writer waiting past the reads already running."""

    _local = threading.local()

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self.turnstile = folder / TURNSTILE_FILE

    def _holds(self) -> dict[Path, _Hold]:
        holds = getattr(self._local, "holds", None)
        if holds is None:
            holds = self._local.holds = {}
        return holds

    def held(self) -> int:
        """LOCK_EX or LOCK_SH when this thread holds the lock, else 0."""
        hold = self._holds().get(self.path)
        return hold.mode if hold else 0

    @contextlib.contextmanager
    def hold(self, mode: int) -> Iterator[None]:
        holds = self._holds()
        current = holds.get(self.path)
        if current is not None:
            if current.mode == fcntl.LOCK_SH and mode == fcntl.LOCK_EX:
                # Waiting here would wait for ourselves; exclusive() is the way up from a shared hold.
                raise RuntimeError("the index lock is held shared by this thread; use exclusive()")
            current.depth += 1
            try:
                yield
            finally:
                current.depth -= 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a")  # noqa: SIM115 - closed in finally, after the unlock
        try:
            with open(self.turnstile, "a") as gate:
                fcntl.flock(gate, mode)
                fcntl.flock(handle, mode)
            holds[self.path] = _Hold(handle, mode)
            yield
        finally:
            holds.pop(self.path, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Exclusive, also from inside this thread's shared hold: that hold is let go while waiting (two threads
        doing this never wait for each other) and taken back after, so a read that found its client stale can
        reopen it and read again."""
        current = self._holds().get(self.path)
        if current is None or current.mode == fcntl.LOCK_EX:
            with self.hold(fcntl.LOCK_EX):
                yield
            return
        fcntl.flock(current.handle, fcntl.LOCK_UN)
        fcntl.flock(current.handle, fcntl.LOCK_EX)
        current.mode = fcntl.LOCK_EX
        try:
            yield
        finally:
            fcntl.flock(current.handle, fcntl.LOCK_SH)
            current.mode = fcntl.LOCK_SH


def chroma_folder(settings: Settings) -> Path:
    # Absolute: chromadb shares one client per path *string* in a process, so a relative ".docqa" opened again
    # from another working directory would silently reuse the first folder's database.
    return (settings.index / "chroma").resolve()


def persistent_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings.index.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_folder(settings)),
                                     settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


class EmbeddedChroma:
    """This process's client of one embedded Chroma folder, shared by every store on it."""

    lock = threading.Lock()  # guards by_path only
    by_path: dict[str, EmbeddedChroma] = {}

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.path, self.settings = str(folder), settings
        self.folder_lock = FolderLock(folder)
        self.epoch = 0
        self.seen: dict[str, str] = {}  # store collection -> generation this process last read or wrote
        self.names: set[str] = set()  # the Chroma collections this process reads, touched again after a reopen
        self.retired: list[Any] = []
        with self.folder_lock.exclusive():  # opening applies Chroma's migrations: a write
            self.client = persistent_client(settings)

    @classmethod
    def of(cls, settings: Settings) -> EmbeddedChroma:
        folder = chroma_folder(settings)
        with cls.lock:
            known = cls.by_path.get(str(folder))
            if known is None or getattr(known.client, "_closed", False):  # someone closed it: start afresh
                known = cls.by_path[str(folder)] = cls(folder, settings)
            return known

    def reopen(self) -> None:
        """A fresh client that has replayed everything committed so far. Under the exclusive lock (taken here
        if this thread does not hold it): the replay writes to SQLite, and no commit may be half done."""
        with self.folder_lock.exclusive():
            started = time.perf_counter()
            self._replace_client()
            for name in sorted(self.names):  # the first touch replays Chroma's log: do it now, under the lock
                with contextlib.suppress(Exception):  # dropped meanwhile (a rebuild): the store will say so
                    self.client.get_collection(name, embedding_function=None).count()
            log.debug("reopened %s in %.0f ms", self.path, (time.perf_counter() - started) * 1000)

    def _replace_client(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = self.client._identifier
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        # A replaced client is stopped one reopen later: a read outside any retrieval (listing sources, say) may
        # still be using it now.
        for old in self.retired:
            old.stop()
        self.retired = [system] if system is not None else []
        self.client = persistent_client(self.settings)
        self.epoch += 1

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        return self.folder_lock.exclusive()

    def retrying(self, read: Callable[[], Any], after: Callable[[], None]) -> Any:
        """`read`, and once more after a reopen if Chroma reports an internal error: a client can be stale
        without the generation marker showing it (a writer killed between its Chroma writes and its marker)."""
        from chromadb.errors import InternalError

        try:
            return read()
        except InternalError as exc:
            log.warning("Chroma read failed (%s); reopening %s and retrying once", exc, self.path)
            with self.exclusive():
                self.reopen()
                after()
            return read()

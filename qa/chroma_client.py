"""This process's Chroma clients: one shared client per embedded folder (reopened when another process has
committed), a client for a `chroma run` server, and the collections' names, existence check and dropping."""

from __future__ import annotations

import contextlib
import fcntl
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from qa.errors import ConfigurationError
from qa.settings import Settings

WRITE_LOCK = ".docqa-write.lock"  # in the embedded Chroma folder: held by a writer for each commit


class EmbeddedClient:
    """This process's client of one embedded Chroma folder, shared by every store on it, and reopened when
    another process has changed a collection: an embedded client loads a collection's vector index once and
    never sees another process's additions (queries then fail with "Error finding id")."""

    lock = threading.Lock()
    by_path: dict[str, EmbeddedClient] = {}

    def __init__(self, path: str, settings: Settings) -> None:
        self.path, self.settings = path, settings
        self.epoch = 0
        self.client = make_client(settings)
        self.seen: dict[str, str] = {}  # collection -> generation this process last read or wrote
        self.retired: list[Any] = []

    @classmethod
    def of(cls, settings: Settings) -> EmbeddedClient:
        path = str((settings.index / "chroma").resolve())
        with cls.lock:
            known = cls.by_path.get(path)
            if known is None or getattr(known.client, "_closed", False):  # someone closed it: start afresh
                cls.by_path[path] = cls(path, settings)
            return cls.by_path[path]

    def reopen(self, *, locked: bool = False) -> None:
        """A fresh client. Under the writer lock file (shared), so never in the middle of another process's
        commit; `locked` when this process already holds it (flock would block on our own lock)."""
        guard = contextlib.nullcontext() if locked else file_lock(Path(self.path) / WRITE_LOCK, fcntl.LOCK_SH)
        with self.lock, guard:
            self._reopen()

    def _reopen(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = self.client._identifier
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        # The replaced client is stopped one reopen later: a question running on another thread may still
        # be using it now.
        for old in self.retired:
            old.stop()
        self.retired = [system] if system is not None else []
        self.client = make_client(self.settings)
        self.epoch += 1


@contextlib.contextmanager
def file_lock(path: Path, mode: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def collection_exists(settings: Settings) -> bool:
    """Whether settings.collection is in the store, found without creating anything (reads must not)."""
    client = EmbeddedClient.of(settings).client if not settings.chroma_url else make_client(settings)
    return settings.collection in {getattr(c, "name", c) for c in client.list_collections()}


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise ConfigurationError(f"chroma_url {settings.chroma_url!r} has no host")
        return chromadb.HttpClient(
            host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https", settings=chroma_settings,
        )
    settings.index.mkdir(parents=True, exist_ok=True)
    # Absolute: chromadb shares one client per path *string* in a process, so a relative ".docqa" opened again
    # from another working directory would silently reuse the first folder's database.
    return chromadb.PersistentClient(path=str((settings.index / "chroma").resolve()), settings=chroma_settings)


def collection_names(settings: Settings) -> tuple[str, str]:
    """The Chroma collections of settings.collection: its chunks, and its commit records."""
    return settings.collection, f"{settings.collection}-docs"


def drop_collections(settings: Settings) -> None:
    """Delete the collection's chunks and commit records from Chroma (embedded or server)."""
    client = make_client(settings)
    existing = {getattr(c, "name", c) for c in client.list_collections()}
    for name in collection_names(settings):
        if name in existing:
            client.delete_collection(name)

"""The web chat's handlers: UI input becomes DocQA calls, DocQA results become views; errors become one line."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from qa.api import final_answer
from qa.errors import DocQAError, LlamaCrashError, SettingsError
from qa.filters import Filters
from qa.models import Answer, FileOutcome, IngestReport, SourceInfo
from qa.registry import FILE_TYPES, GENERATORS
from ui.uploads import Placed, discard_temp_upload, is_upload, place_upload

log = logging.getLogger("docqa.ui")
KINDS = FILE_TYPES.kinds()


class UserError(DocQAError):
    """Bad input or a failed operation, already phrased for the user."""


def reason_of(exc: BaseException) -> str:
    """One line for the user: our own errors as written, anything else by type and message, never a traceback."""
    if isinstance(exc, DocQAError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = " ".join(text.split())
    return line[:300] + "…" if len(line) > 300 else line or "unexpected error"


@dataclass(frozen=True)
class Session:
    """One browser tab's conversation (kept in gr.State, so tabs never share it); failed turns show, unsent."""

    turns: tuple[tuple[str, Answer | str], ...] = ()  # (question, Answer or the reason it failed)
    conversation_id: str | None = None  # the saved conversation its answers are appended to, once there is one

    def with_turn(self, question: str, outcome: Answer | str) -> Session:
        return Session(self.turns + ((question, outcome),), self.conversation_id)

    def saved_as(self, conversation_id: str) -> Session:
        return Session(self.turns, conversation_id)

    def history(self) -> list[dict[str, str]]:
        history: list[dict[str, str]] = []
        for question, outcome in self.turns:
            if isinstance(outcome, Answer):
                history += [{"role": "user", "content": question}, {"role": "assistant", "content": outcome.answer}]
        return history


@dataclass(frozen=True)
class AskOptions:
    """What the settings panel may change per question; everything else comes from the Settings object."""

    collection: str | None = None
    k: int | None = None
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    generator: str | None = None

    def filters(self) -> Filters | None:
        filters = Filters.parse(self.sources, self.kinds, self.where)
        return None if filters.empty else filters


class Collections:
    """One DocQA per collection, all sharing the served instance's settings and embedding model."""

    def __init__(self, docqa: Any) -> None:
        self.default = docqa
        self._open: dict[str, Any] = {docqa.settings.collection: docqa}
        self._ready: set[str] = set()
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()  # one ingest or removal at a time in this process

    @property
    def default_name(self) -> str:
        return self.default.settings.collection

    def names(self) -> list[str]:
        with self._lock:
            return list(self._open)

    def get(self, name: str | None, *, create: bool = False) -> Any:
        """The DocQA of a collection. Only writes (create=True) may start a new one: a question or a listing
        naming an unknown collection is an error, never a new collection and index files."""
        name = (name or "").strip() or self.default_name
        try:  # the one rule, in Settings
            self.default.settings.with_overrides(collection=name)
        except SettingsError as exc:
            raise UserError(f"invalid collection name {name!r}: use 3-63 letters, digits, '.', '_' or '-', "
                            "starting and ending with a letter or digit") from exc
        with self._lock:
            docqa = self._open.get(name)
            if docqa is None and not create and not self._exists(name):
                raise UserError(f"no collection named {name!r} yet: upload documents into it to create it")
            if docqa is None:
                docqa = self.default.with_collection(name)  # shares the loaded model
                self._open[name] = docqa
            if name not in self._ready:
                docqa.retriever  # noqa: B018 - build store and indexes now, not inside the first question
                self._ready.add(name)
            return docqa

    def _exists(self, name: str) -> bool:
        return self.default.has_collection(name)

    def uploads_dir(self, docqa: Any) -> Path:
        base = Path(docqa.settings.index) / "uploads"
        return base if docqa.settings.collection == self.default_name else base / docqa.settings.collection


def answer_of(events: Iterator[str | Answer]) -> Answer:
    """The Answer that ends a stream of the web chat's events, for the endpoints that answer in one piece."""
    try:
        return final_answer(events)
    except RuntimeError as exc:  # a generator that ended without its Answer
        raise UserError("the answerer returned no answer") from exc


class WebChat:
    """Everything the Gradio events call; returns plain values and views, raises UserError with a reason."""

    def __init__(self, docqa: Any, *, max_upload_mb: float | None = None, extensions: frozenset[str] | None = None) -> None:
        if extensions is None:
            extensions = FILE_TYPES.extensions()
        self.collections = Collections(docqa)
        # Set by ui/server.py when signed-in users have an access list: (user, collection, create) -> collection.
        self.access: Callable[[str, str | None, bool], str] | None = None
        self.max_upload_bytes = int((max_upload_mb or docqa.settings.max_upload_mb) * 2**20)
        self.extensions = frozenset(extensions)

    @property
    def settings(self):
        return self.collections.default.settings

    def for_user(self, username: str | None, collection: str | None, *, create: bool = False) -> str | None:
        """The collection USERNAME means, checked against their access list; UserError when it is not theirs."""
        if self.access is None or not username:
            return collection
        return self.access(username, collection, create)

    # Questions -----------------------------------------------------------------------------
    def stream(self, question: str, history: Sequence[dict[str, str]] | None,
               options: AskOptions) -> Iterator[str | Answer]:
        """DocQA.stream with the conversation so far and the panel's options; failures raise UserError."""
        question = (question or "").strip()
        if not question:
            raise UserError("Type a question first.")
        if options.generator is not None and options.generator not in GENERATORS:
            raise UserError(f"unknown generator {options.generator!r}; choose one of {', '.join(GENERATORS.names())}")
        try:
            docqa = self.collections.get(options.collection)
            generator, notice = self._usable_generator(docqa, options.generator)
            for event in docqa.stream(question, history, k=options.k, filters=options.filters(), generator=generator):
                if notice and isinstance(event, Answer):
                    event = replace(event, notice=notice, flags=(*event.flags, "generator-unavailable"))
                yield event
        except UserError:
            raise
        except Exception as exc:  # shown as one line; the traceback goes to the server log only
            log.warning("question failed: %s", question, exc_info=not isinstance(exc, DocQAError))
            raise UserError(reason_of(exc)) from exc

    @staticmethod
    def _usable_generator(docqa: Any, name: str | None) -> tuple[str | None, str]:
        """The generator to answer with, and a notice when the one asked for cannot run on this machine.

        A llama.cpp build that would crash this process is caught by its probe; the chat stays up and answers
        with the extractive answerer instead of failing every question.
        """
        try:
            docqa.generator(name)
        except LlamaCrashError as exc:
            log.error("local LLM disabled: %s", exc)
            return "extractive", f"The local LLM is unavailable, so the extractive answerer replied. {exc}"
        return name, ""

    def ask(self, question: str, history: Sequence[dict[str, str]] | None, options: AskOptions) -> Answer:
        return answer_of(self.stream(question, history, options))

    # Documents -----------------------------------------------------------------------------
    def sources(self, collection: str | None = None) -> list[SourceInfo]:
        try:
            return self.collections.get(collection).sources()
        except UserError:
            raise
        except Exception as exc:
            raise UserError(reason_of(exc)) from exc

    def ingest_uploads(self, files: Sequence[tuple[str, str]], collection: str | None = None,
                       on_file: Callable[[int, int, FileOutcome], None] | None = None) -> IngestReport:
        """Store uploads (temp path, original name) under the index's uploads/ and ingest them; refusals are listed."""
        if not files:
            raise UserError("Choose one or more files to upload.")
        docqa = self.collections.get(collection, create=True)
        uploads_dir = self.collections.uploads_dir(docqa)
        with self.collections.write_lock:
            try:
                placed: list[Placed] = [place_upload(path, name, uploads_dir, max_bytes=self.max_upload_bytes,
                                                     extensions=self.extensions) for path, name in files]
            finally:  # copied or refused, Gradio's cached copy is of no further use
                for path, _ in files:
                    discard_temp_upload(path)
            refused = [p.refusal() for p in placed if p.path is None]
            accepted = [p for p in placed if p.path is not None]
            done = len(refused)

            def count(outcome: FileOutcome) -> None:
                nonlocal done
                done += 1
                if on_file:
                    on_file(done, len(files), outcome)

            report = IngestReport(())
            if accepted:
                try:
                    report = docqa.ingest([str(p.path) for p in accepted], on_file=count)
                except Exception as exc:
                    log.warning("upload ingest failed", exc_info=not isinstance(exc, DocQAError))
                    raise UserError(reason_of(exc)) from exc
                for outcome in report.files:  # a copy that could not be indexed is of no use to anyone
                    if outcome.status == "failed" and is_upload(outcome.source, uploads_dir):
                        Path(outcome.source).unlink(missing_ok=True)
        return IngestReport(tuple(refused) + report.files, report.chunks_added, report.chunks_removed, report.seconds)

    def remove(self, sources: Sequence[str], collection: str | None = None) -> IngestReport:
        """Remove sources from the index; copies made by uploads are deleted too."""
        wanted = [s for s in sources or () if s]
        if not wanted:
            raise UserError("Choose the sources to remove.")
        docqa = self.collections.get(collection)
        with self.collections.write_lock:
            try:
                report = docqa.remove(wanted)
            except Exception as exc:
                raise UserError(reason_of(exc)) from exc
            uploads_dir = self.collections.uploads_dir(docqa)
            for outcome in report.files:
                if is_upload(outcome.source, uploads_dir):
                    Path(outcome.source).unlink(missing_ok=True)
        return report

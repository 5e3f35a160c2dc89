"""The web chat's Gradio handlers over one WebChat: the page's own (private) events and the named API endpoints."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from gradio import Progress, Request  # handlers' signatures name them; Gradio fills them in
from qa.models import Answer
from ui import views
from ui.history import owner_of
from ui.webchat import AskOptions, Session, UserError, WebChat


def _error(exc: Exception | str):
    """gr.Error with the reason escaped: Gradio's toast renders its message as HTML."""
    import gradio as gr

    return gr.Error(html.escape(str(exc)), print_exception=False)


def _api_error(exc: Exception | str):
    """gr.Error for API clients, which show the message as plain text."""
    import gradio as gr

    return gr.Error(str(exc), print_exception=False)


class Handlers:
    """The UI's own (private) event handlers over one WebChat; `history` adds saving answered turns.

    A failing UI handler returns its reason into the `problem` state instead of raising; a chained step then
    raises gr.Error. Raised in the handler itself, Gradio would cover every output (the chat!) with an "Error"
    overlay until the next event; this way the toast shows and the page stays readable."""

    def __init__(self, chat: WebChat, history: Any = None) -> None:
        self.chat = chat
        self.history = history

    def mine(self, request: Request | None, collection: str | None, create: bool = False) -> str | None:
        """With --auth and an access list, a signed-in user reaches only the collections listed for them."""
        return self.chat.for_user(getattr(request, "username", None), collection, create=create)

    def documents_view(self, collection: str | None):
        import gradio as gr

        found = self.chat.sources(collection)
        names = [s.source for s in found]
        examples = views.example_questions(found)
        return (views.sources_rows(found), gr.Dropdown(choices=names, value=[], multiselect=True),
                gr.Dropdown(choices=names, multiselect=True),
                gr.Dataset(samples=[[q] for q in examples]), examples)

    def on_load(self, collection: str | None, request: Request):
        import gradio as gr

        try:
            return (*self.documents_view(self.mine(request, collection, create=True)), "")  # a new name starts one
        except UserError as exc:
            return (*[gr.skip()] * 5, str(exc))

    def on_ask(self, question: str, session: Session, collection: str | None, k: float, sources: list[str] | None,
               kinds: list[str] | None, where: str | None, generator: str | None,
               request: Request) -> Iterator[tuple]:
        import gradio as gr

        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), "Type a question first."
            return
        options = AskOptions(collection, int(k), tuple(sources or ()), tuple(kinds or ()),
                             tuple(views.where_lines(where)), generator)
        yield views.chat_messages(session.turns, asking=question), gr.skip(), gr.skip(), "", ""
        text = ""
        try:
            options = replace(options, collection=self.mine(request, collection, create=True))
            for event in self.chat.stream(question, session.history(), options):
                if isinstance(event, Answer):
                    done = self._answered(session, question, event, options, request)
                    yield views.chat_messages(done.turns), done, views.citation_panel_html(done.turns), gr.skip(), ""
                    return
                text += event
                yield (views.chat_messages(session.turns, asking=question, partial=text),
                       gr.skip(), gr.skip(), gr.skip(), gr.skip())
        except UserError as exc:
            failed = session.with_turn(question, str(exc))
            yield views.chat_messages(failed.turns), failed, gr.skip(), gr.skip(), str(exc)

    def _answered(self, session: Session, question: str, answer: Answer, options: AskOptions,
                  request: Request | None) -> Session:
        """SESSION with the answered turn, saved to the history sidebar when there is one."""
        done = session.with_turn(question, answer)
        if self.history is not None:
            done = self.history.saved(owner_of(getattr(request, "username", None)), done, question, answer,
                                      options.collection or self.chat.collections.default_name)
        return done

    @staticmethod
    def on_new() -> tuple:
        return [], Session(), views.citation_panel_html([]), ""

    @staticmethod
    def resumed(done: Session) -> tuple:
        return views.chat_messages(done.turns), done, views.citation_panel_html(done.turns), ""

    @staticmethod
    def on_example(index: int | None, examples: list[str]) -> str:
        import gradio as gr

        return examples[index] if index is not None and 0 <= index < len(examples) else gr.skip()

    def on_upload(self, files: list[str] | None, collection: str | None, request: Request, progress=Progress()):
        import gradio as gr

        named = [(path, Path(path).name) for path in files or []]
        progress(0, desc="Reading files")
        try:
            collection = self.mine(request, collection, create=True)
            report = self.chat.ingest_uploads(
                named, collection,
                on_file=lambda done, total, outcome: progress((done, total), desc=f"{outcome.status}: {outcome.source}"),
            )
            view = self.documents_view(collection)
        except UserError as exc:
            return (*[gr.skip()] * 6, None, str(exc))
        if report.failed or report.skipped:
            gr.Warning(f"{report.failed + report.skipped} of {len(report.files)} files were not indexed; see the summary.")
        return (views.outcomes_html(report.files, "Upload"), *view, None, "")

    def on_remove(self, names: list[str] | None, collection: str | None, request: Request):
        import gradio as gr

        try:
            collection = self.mine(request, collection)
            report = self.chat.remove(names or [], collection)
            view = self.documents_view(collection)
        except UserError as exc:
            return (*[gr.skip()] * 6, str(exc))
        return (views.outcomes_html(report.files, "Removal"), *view, "")

    @staticmethod
    def raise_problem(problem: str) -> None:
        if problem:
            raise _error(problem)


class ApiEndpoints:
    """Named API endpoints (gradio_client); the UI's own events are private."""

    def __init__(self, chat: WebChat, mine) -> None:
        self.chat = chat
        self.mine = mine

    def ask(self, question: str, history: list[dict] | None = None, k: int | None = None,
            sources: list[str] | None = None, kinds: list[str] | None = None, where: list[str] | None = None,
            generator: str | None = None, collection: str | None = None, request: Request = None) -> dict:
        """Answer QUESTION from the documents: the same object as `docqa ask --json` (answer, citations, passages).

        Args:
            question: the question, in plain words.
            history: earlier turns of the conversation, [{"role": "user"|"assistant", "content": "..."}].
            k: how many passages to retrieve (default: the server's top-k).
            sources: only these sources (paths, file names or globs).
            kinds: only these file types (txt, md, html, pdf, docx).
            where: metadata filters, KEY=VALUE each.
            generator: extractive (default), openai, ollama or llamacpp.
            collection: the collection to answer from (default: the served one).
        """
        try:
            options = AskOptions(self.mine(request, collection), k, tuple(sources or ()), tuple(kinds or ()),
                                 tuple(where or ()), generator)
            return self.chat.ask(question, history, options).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

    def sources(self, collection: str | None = None, request: Request = None) -> list[dict]:
        """The ingested documents (source, chunks, sha256, kind, added, title).

        Args:
            collection: the collection to list (default: the served one).
        """
        try:
            return [s.to_dict() for s in self.chat.sources(self.mine(request, collection))]
        except UserError as exc:
            raise _api_error(exc) from exc

    def remove(self, sources: list[str], collection: str | None = None, request: Request = None) -> dict:
        """Remove documents by source, file name or glob; returns the removal report."""
        try:
            return self.chat.remove(sources, self.mine(request, collection)).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

    def ingest(self, files: list[str] | None, collection: str | None, request: Request) -> dict:
        """Upload and ingest files; returns the ingest report, refused files included."""
        try:
            named = [(path, Path(path).name) for path in files or []]
            return self.chat.ingest_uploads(named, self.mine(request, collection or None, create=True)).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

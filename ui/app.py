"""The Gradio web chat over the Python API: layout, event wiring, named API endpoints and launch."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from gradio import Progress, Request  # noqa: E402 - handlers' signatures name them; Gradio fills them in
from qa.models import Answer  # noqa: E402
from ui import assets, views  # noqa: E402
from ui.history import build_sidebar, owner_of, wire_sidebar  # noqa: E402
from qa.registry import GENERATORS  # noqa: E402
from qa.settings import MAX_UPLOAD_MB  # noqa: E402
from ui.webchat import KINDS, AskOptions, Session, UserError, WebChat  # noqa: E402

SOURCE_HEADERS = ["Source", "Type", "Chunks", "Added"]
ASK_CONCURRENCY = 4  # questions from several tabs run side by side; writes are serialised by a lock
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # UI events are no API endpoints


def _error(exc: Exception | str):
    """gr.Error with the reason escaped: Gradio's toast renders its message as HTML."""
    import gradio as gr

    return gr.Error(html.escape(str(exc)), print_exception=False)


def _api_error(exc: Exception | str):
    """gr.Error for API clients, which show the message as plain text."""
    import gradio as gr

    return gr.Error(str(exc), print_exception=False)


class _Handlers:
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
        return (views.sources_rows(found), gr.Dropdown(choices=names, value=[]), gr.Dropdown(choices=names),
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


class _Api:
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


@dataclass
class _Page:
    """The components the events are wired to, filled in tab by tab."""

    session: Any = None
    examples_state: Any = None
    problem: Any = None
    # Chat tab
    sidebar: dict[str, Any] | None = None
    chatbot: Any = None
    question: Any = None
    ask_button: Any = None
    examples: Any = None
    new_button: Any = None
    panel: Any = None
    # Documents tab
    uploader: Any = None
    report: Any = None
    table: Any = None
    to_remove: Any = None
    remove_button: Any = None
    refresh_button: Any = None
    # Settings tab
    collection: Any = None
    top_k: Any = None
    source_filter: Any = None
    kind_filter: Any = None
    where: Any = None
    generator: Any = None
    # Hidden parts of the /ingest endpoint: gr.File checks that uploaded paths come from the upload cache.
    api_files: Any = None
    api_collection: Any = None
    api_report: Any = None
    api_trigger: Any = None

    @property
    def document_outputs(self) -> list[Any]:
        return [self.table, self.to_remove, self.source_filter, self.examples, self.examples_state]

    @property
    def ask_inputs(self) -> list[Any]:
        return [self.question, self.session, self.collection, self.top_k, self.source_filter, self.kind_filter,
                self.where, self.generator]

    @property
    def ask_outputs(self) -> list[Any]:
        return [self.chatbot, self.session, self.panel, self.question, self.problem]


def build_app(docqa: Any, *, max_upload_mb: float = MAX_UPLOAD_MB, chat: WebChat | None = None, history: Any = None):
    """The gr.Blocks app for one DocQA instance; call `launch()` (or `.launch(**launch_options())`) to serve it.
    `chat` lets the HTTP API (ui/server.py) share the handlers, their collections and their write lock;
    `history` (a ui.history.History) adds the saved-conversations sidebar."""
    import gradio as gr

    chat = chat or WebChat(docqa, max_upload_mb=max_upload_mb)
    handlers, page = _Handlers(chat, history), _Page()
    with gr.Blocks(title="docqa", analytics_enabled=False) as app:
        page.session, page.examples_state = gr.State(Session()), gr.State([])
        gr.Markdown("## docqa · answers from your documents, with citations")
        with gr.Tabs():
            _chat_tab(page, with_history=history is not None)
            _documents_tab(page, chat, max_upload_mb)
            _settings_tab(page, chat)
        _api_parts(page)
        page.problem = gr.State("")
        shown = {"fn": handlers.raise_problem, "inputs": [page.problem], "outputs": None, **PRIVATE}
        _wire_documents_view(app, page, handlers, shown)
        asked = _wire_asking(page, handlers, shown)
        if history is not None:
            page.sidebar.update(problem=page.problem, raise_=shown)
            wire_sidebar(app, history, page.sidebar, page.session, page.ask_outputs[:4], handlers.resumed, PRIVATE,
                         lambda request: getattr(request, "username", None), asked)
        page.chatbot.clear(handlers.on_new, None, page.ask_outputs[:4], cancels=asked, **PRIVATE)  # its bin icon
        _wire_changes(page, handlers, shown)
        _wire_api(page, _Api(chat, handlers.mine))
    return app


# Layout, one builder a panel; each fills its components into the page in the order the page shows them.

def _chat_tab(page: _Page, *, with_history: bool) -> None:
    import gradio as gr

    with gr.Tab("Chat", id="chat"):
        with gr.Row(equal_height=False):
            if with_history:
                with gr.Column(scale=1, min_width=220):
                    page.sidebar = build_sidebar()
            with gr.Column(scale=3):
                _conversation_panel(page)
            with gr.Column(scale=2):
                _citations_panel(page)


def _conversation_panel(page: _Page) -> None:
    import gradio as gr

    page.chatbot = gr.Chatbot(
        elem_id="docqa-chat", show_label=False, height=480, render_markdown=True,
        sanitize_html=True, latex_delimiters=[], buttons=[], feedback_options=None,
        group_consecutive_messages=False, placeholder="Ask a question about your documents.",
    )
    with gr.Row():
        page.question = gr.Textbox(elem_id="docqa-question", show_label=False, scale=6, lines=1,
                                   max_lines=4, placeholder="Ask a question…", autofocus=True)
        page.ask_button = gr.Button("Ask", variant="primary", elem_id="docqa-ask", scale=1)
    page.examples = gr.Dataset(components=[page.question], samples=[], type="index", label="Examples",
                               elem_id="docqa-examples")
    page.new_button = gr.Button("New conversation", elem_id="docqa-new", size="sm")


def _citations_panel(page: _Page) -> None:
    import gradio as gr

    gr.Markdown("### Citations")
    page.panel = gr.HTML(views.citation_panel_html([]), elem_id="docqa-citations", js_on_load=None)


def _documents_tab(page: _Page, chat: WebChat, max_upload_mb: float) -> None:
    import gradio as gr

    with gr.Tab("Documents", id="documents"):
        _upload_panel(page, chat, max_upload_mb)
        _sources_panel(page)


def _upload_panel(page: _Page, chat: WebChat, max_upload_mb: float) -> None:
    import gradio as gr

    page.uploader = gr.File(label=f"Add documents (up to {max_upload_mb:g} MB each)", file_count="multiple",
                            file_types=sorted(chat.extensions), type="filepath", elem_id="docqa-upload")
    page.report = gr.HTML(elem_id="docqa-report")


def _sources_panel(page: _Page) -> None:
    import gradio as gr

    page.table = gr.Dataframe(headers=SOURCE_HEADERS, datatype=["str", "str", "number", "str"],
                              interactive=False, wrap=True, elem_id="docqa-sources", label="Sources")
    with gr.Row():
        page.to_remove = gr.Dropdown(label="Sources to remove", multiselect=True, choices=[], scale=4,
                                     elem_id="docqa-remove-choice")
        page.remove_button = gr.Button("Remove", variant="stop", scale=1, elem_id="docqa-remove")
    page.refresh_button = gr.Button("Refresh list", size="sm", elem_id="docqa-refresh")


def _settings_tab(page: _Page, chat: WebChat) -> None:
    import gradio as gr

    settings = chat.settings
    with gr.Tab("Settings", id="settings"):
        page.collection = gr.Dropdown(
            label="Collection", choices=chat.collections.names(), value=settings.collection,
            allow_custom_value=True, elem_id="docqa-collection",
            info="A new name becomes a collection in the same index when documents are uploaded into it.")
        page.top_k = gr.Slider(1, max(20, settings.top_k), value=settings.top_k, step=1,
                               label="Passages to retrieve (top-k)", elem_id="docqa-topk")
        page.source_filter = gr.Dropdown(label="Only these sources", multiselect=True, allow_custom_value=True,
                                         choices=[], info="Names, file names or globs such as *.pdf",
                                         elem_id="docqa-source-filter")
        page.kind_filter = gr.CheckboxGroup(list(KINDS), label="Only these file types", elem_id="docqa-kinds")
        page.where = gr.Textbox(label="Metadata filters", placeholder="key=value, one a line", lines=2,
                                elem_id="docqa-where")
        page.generator = gr.Dropdown(list(GENERATORS.names()), value=settings.generator,
                                     label="Answer generator", elem_id="docqa-generator")
        gr.HTML(_generator_options_html(settings), elem_id="docqa-generator-options")


def _api_parts(page: _Page) -> None:
    import gradio as gr

    page.api_files = gr.File(file_count="multiple", type="filepath", visible=False)
    page.api_collection = gr.Textbox(visible=False)
    page.api_report = gr.JSON(visible=False)
    page.api_trigger = gr.Button(visible=False)


# Events.

def _wire_documents_view(app: Any, page: _Page, handlers: _Handlers, shown: dict[str, Any]) -> None:
    """The sources list, the remove choices and the examples follow the chosen collection."""
    # One bound method for all three: Gradio groups events into one concurrency queue by the function's id().
    on_load, outputs = handlers.on_load, [*page.document_outputs, page.problem]
    app.load(on_load, [page.collection], outputs, **PRIVATE).then(**shown)
    page.collection.change(on_load, [page.collection], outputs, **PRIVATE).then(**shown)
    page.refresh_button.click(on_load, [page.collection], outputs, **PRIVATE).then(**shown)


def _wire_asking(page: _Page, handlers: _Handlers, shown: dict[str, Any]) -> list[Any]:
    """Ask by Enter, the button or an example; a new conversation cancels the answers in flight (returned)."""
    asking = {"fn": handlers.on_ask, "inputs": page.ask_inputs, "outputs": page.ask_outputs,
              "concurrency_limit": ASK_CONCURRENCY,
              "show_progress": "hidden", **PRIVATE}  # the answer bubble itself shows that work is going on
    asked = [page.question.submit(**asking), page.ask_button.click(**asking)]
    for event in asked:
        event.then(**shown)
    page.examples.click(handlers.on_example, [page.examples, page.examples_state], [page.question], **PRIVATE) \
        .then(**asking).then(**shown)
    page.new_button.click(handlers.on_new, None, page.ask_outputs[:4], cancels=asked, **PRIVATE)
    return asked


def _wire_changes(page: _Page, handlers: _Handlers, shown: dict[str, Any]) -> None:
    """Uploads and removals write the index: one at a time, across sessions and the HTTP API."""
    page.uploader.upload(handlers.on_upload, [page.uploader, page.collection],
                         [page.report, *page.document_outputs, page.uploader, page.problem],
                         concurrency_id="docqa-write", concurrency_limit=1, **PRIVATE).then(**shown)
    page.remove_button.click(handlers.on_remove, [page.to_remove, page.collection],
                             [page.report, *page.document_outputs, page.problem],
                             concurrency_id="docqa-write", concurrency_limit=1, **PRIVATE).then(**shown)


def _wire_api(page: _Page, api: _Api) -> None:
    import gradio as gr

    gr.api(api.ask, api_name="ask", concurrency_limit=ASK_CONCURRENCY)
    gr.api(api.sources, api_name="sources")
    gr.api(api.remove, api_name="remove", concurrency_id="docqa-write", concurrency_limit=1)
    page.api_trigger.click(api.ingest, [page.api_files, page.api_collection], [page.api_report], api_name="ingest",
                           concurrency_id="docqa-write", concurrency_limit=1)


def _generator_options_html(settings: Any) -> str:
    """Read-only: LLM options come from the settings (DOCQA_LLM_* or the CLI), not from the web page."""
    rows = [("model", settings.llm_model), ("base URL", settings.llm_base_url), ("model file", settings.llm_model_path),
            ("temperature", settings.llm_temperature), ("max tokens", settings.llm_max_tokens),
            ("passages in prompt", settings.llm_passages)]
    cells = "".join(f"<tr><td>{views.literal(k)}</td><td>{views.literal(str(v) if v is not None else 'default')}</td></tr>"
                    for k, v in rows)
    note = views.literal("LLM generator options (set with DOCQA_LLM_* variables; the extractive generator needs none):")
    return f"<div class='docqa-report'><p>{note}</p><table><tbody>{cells}</tbody></table></div>"


def launch_options(*, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
                   max_upload_mb: float = MAX_UPLOAD_MB) -> dict[str, Any]:
    """Keyword arguments of Blocks.launch for a safe local server (no share link, no SSR, no MCP, local fonts)."""
    return {
        "server_name": host, "server_port": port, "auth": auth, "share": False, "ssr_mode": False,
        "mcp_server": False, "show_error": False, "max_file_size": f"{max_upload_mb:g}mb", "theme": assets.theme(),
        "css": assets.CSS, "head": assets.HEAD, "auth_message": "docqa: sign in to ask your documents.",
    }


def launch(docqa: Any, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None, *,
           max_upload_mb: float = MAX_UPLOAD_MB, block: bool = True):
    """Serve the web chat; with block=False return the running app (stop it with `app.close()`)."""
    app = build_app(docqa, max_upload_mb=max_upload_mb)
    app.queue(default_concurrency_limit=2)
    app.launch(prevent_thread_lock=not block,
               **launch_options(host=host, port=port, auth=auth, max_upload_mb=max_upload_mb))
    return app

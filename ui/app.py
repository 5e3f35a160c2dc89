"""The Gradio web chat over the Python API: layout, event wiring and launch (handlers: ui/handlers.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from qa.registry import GENERATORS  # noqa: E402
from qa.settings import MAX_UPLOAD_MB  # noqa: E402
from ui import assets, views  # noqa: E402
from ui.handlers import ApiEndpoints, Handlers  # noqa: E402 - imports gradio
from ui.history import build_sidebar, wire_sidebar  # noqa: E402
from ui.url_upload import UrlBox  # noqa: E402
from ui.webchat import KINDS, Session, WebChat  # noqa: E402

SOURCE_HEADERS = ["Source", "Type", "Chunks", "Added"]
ASK_CONCURRENCY = 4  # questions from several tabs run side by side; writes are serialised by a lock
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # UI events are no API endpoints


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
    url_box: Any = None
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
    handlers, page = Handlers(chat, history), _Page()
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
        _wire_api(page, ApiEndpoints(chat, handlers.mine))
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
    page.url_box = UrlBox.build()
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

def _wire_documents_view(app: Any, page: _Page, handlers: Handlers, shown: dict[str, Any]) -> None:
    """The sources list, the remove choices and the examples follow the chosen collection."""
    # One bound method for all three: Gradio groups events into one concurrency queue by the function's id().
    on_load, outputs = handlers.on_load, [*page.document_outputs, page.problem]
    app.load(on_load, [page.collection], outputs, **PRIVATE).then(**shown)
    page.collection.change(on_load, [page.collection], outputs, **PRIVATE).then(**shown)
    page.refresh_button.click(on_load, [page.collection], outputs, **PRIVATE).then(**shown)


def _wire_asking(page: _Page, handlers: Handlers, shown: dict[str, Any]) -> list[Any]:
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


def _wire_changes(page: _Page, handlers: Handlers, shown: dict[str, Any]) -> None:
    """Uploads and removals write the index: one at a time, across sessions and the HTTP API."""
    page.uploader.upload(handlers.on_upload, [page.uploader, page.collection],
                         [page.report, *page.document_outputs, page.uploader, page.problem],
                         concurrency_id="docqa-write", concurrency_limit=1, **PRIVATE).then(**shown)
    page.url_box.wire(handlers.chat, collection=page.collection,
                      outputs=[page.report, *page.document_outputs, page.problem], mine=handlers.mine, documents_view=handlers.documents_view, then=shown, private=PRIVATE)
    page.remove_button.click(handlers.on_remove, [page.to_remove, page.collection],
                             [page.report, *page.document_outputs, page.problem],
                             concurrency_id="docqa-write", concurrency_limit=1, **PRIVATE).then(**shown)


def _wire_api(page: _Page, api: ApiEndpoints) -> None:
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

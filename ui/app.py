"""The Gradio web chat over the Python API: layout, event wiring, named API endpoints and launch."""

from __future__ import annotations

import html
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from gradio import Request  # noqa: E402 - handlers' type hints name it; Gradio fills it in
from qa.models import Answer  # noqa: E402
from ui import assets, views  # noqa: E402
from ui.history import build_sidebar, owner_of, wire_sidebar  # noqa: E402
from ui.url_upload import UrlBox  # noqa: E402
from qa.registry import GENERATORS  # noqa: E402
from ui.webchat import KINDS, AskOptions, Session, UserError, WebChat  # noqa: E402

SOURCE_HEADERS = ["Source", "Type", "Chunks", "Added"]
ASK_CONCURRENCY = 4  # questions from several tabs run side by side; writes are serialised by a lock


def _error(exc: Exception | str):
    """gr.Error with the reason escaped: Gradio's toast renders its message as HTML."""
    import gradio as gr

    return gr.Error(html.escape(str(exc)), print_exception=False)


def _api_error(exc: Exception | str):
    """gr.Error for API clients, which show the message as plain text."""
    import gradio as gr

    return gr.Error(str(exc), print_exception=False)


def build_app(docqa: Any, *, max_upload_mb: float = 50.0, chat: WebChat | None = None, history: Any = None):
    """The gr.Blocks app for one DocQA instance; call `launch()` (or `.launch(**launch_options())`) to serve it.
    `chat` lets the HTTP API (ui/server.py) share the handlers, their collections and their write lock;
    `history` (a ui.history.History) adds the saved-conversations sidebar."""
    import gradio as gr

    chat = chat or WebChat(docqa, max_upload_mb=max_upload_mb)
    settings = chat.settings

    # A failing UI handler returns its reason into the `problem` state instead of raising; a chained step then
    # raises gr.Error. Raised in the handler itself, Gradio would cover every output (the chat!) with an
    # "Error" overlay until the next event; this way the toast shows and the page stays readable.
    def documents_view(collection: str | None):
        found = chat.sources(collection)
        names = [s.source for s in found]
        examples = views.example_questions(found)
        return (views.sources_rows(found), gr.Dropdown(choices=names, value=[]), gr.Dropdown(choices=names),
                gr.Dataset(samples=[[q] for q in examples]), examples)

    def mine(request: Request | None, collection: str | None, create: bool = False) -> str | None:
        """With --auth and an access list, a signed-in user reaches only the collections listed for them."""
        return chat.for_user(getattr(request, "username", None), collection, create=create)

    def on_load(collection: str | None, request: Request):
        try:
            return (*documents_view(mine(request, collection, create=True)), "")  # a new name starts one
        except UserError as exc:
            return (*[gr.skip()] * 5, str(exc))

    def on_ask(question: str, session: Session, collection: str | None, k: float, sources: list[str] | None,
               kinds: list[str] | None, where: str | None, generator: str | None,
               request: Request) -> Iterator[tuple]:
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), "Type a question first."
            return
        options = AskOptions(collection, int(k), tuple(sources or ()), tuple(kinds or ()),
                             tuple(views.where_lines(where)), generator)
        yield views.chat_messages(session.turns, asking=question), gr.skip(), gr.skip(), "", ""
        text = ""
        try:
            options = replace(options, collection=mine(request, collection, create=True))
            for event in chat.stream(question, session.history(), options):
                if isinstance(event, Answer):
                    done = session.with_turn(question, event)
                    if history is not None:
                        done = history.saved(owner_of(getattr(request, "username", None)), done, question, event,
                                             options.collection or chat.collections.default_name)
                    yield views.chat_messages(done.turns), done, views.citation_panel_html(done.turns), gr.skip(), ""
                    return
                text += event
                yield (views.chat_messages(session.turns, asking=question, partial=text),
                       gr.skip(), gr.skip(), gr.skip(), gr.skip())
        except UserError as exc:
            failed = session.with_turn(question, str(exc))
            yield views.chat_messages(failed.turns), failed, gr.skip(), gr.skip(), str(exc)

    def on_new() -> tuple:
        return [], Session(), views.citation_panel_html([]), ""

    def on_example(index: int | None, examples: list[str]) -> str:
        return examples[index] if index is not None and 0 <= index < len(examples) else gr.skip()

    def on_upload(files: list[str] | None, collection: str | None, request: Request, progress=gr.Progress()):
        named = [(path, Path(path).name) for path in files or []]
        progress(0, desc="Reading files")
        try:
            collection = mine(request, collection, create=True)
            report = chat.ingest_uploads(
                named, collection,
                on_file=lambda done, total, outcome: progress((done, total), desc=f"{outcome.status}: {outcome.source}"),
            )
            view = documents_view(collection)
        except UserError as exc:
            return (*[gr.skip()] * 6, None, str(exc))
        if report.failed or report.skipped:
            gr.Warning(f"{report.failed + report.skipped} of {len(report.files)} files were not indexed; see the summary.")
        return (views.outcomes_html(report.files, "Upload"), *view, None, "")

    def on_remove(names: list[str] | None, collection: str | None, request: Request):
        try:
            collection = mine(request, collection)
            report = chat.remove(names or [], collection)
            view = documents_view(collection)
        except UserError as exc:
            return (*[gr.skip()] * 6, str(exc))
        return (views.outcomes_html(report.files, "Removal"), *view, "")

    def raise_problem(problem: str) -> None:
        if problem:
            raise _error(problem)

    # Named API endpoints (gradio_client): the UI's own events are private.
    def ask(question: str, history: list[dict] | None = None, k: int | None = None, sources: list[str] | None = None,
            kinds: list[str] | None = None, where: list[str] | None = None, generator: str | None = None,
            collection: str | None = None, request: Request = None) -> dict:
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
            options = AskOptions(mine(request, collection), k, tuple(sources or ()), tuple(kinds or ()), tuple(where or ()), generator)
            return chat.ask(question, history, options).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

    def sources(collection: str | None = None, request: Request = None) -> list[dict]:
        """The ingested documents (source, chunks, sha256, kind, added, title).

        Args:
            collection: the collection to list (default: the served one).
        """
        try:
            return [s.to_dict() for s in chat.sources(mine(request, collection))]
        except UserError as exc:
            raise _api_error(exc) from exc

    def remove(sources: list[str], collection: str | None = None, request: Request = None) -> dict:
        """Remove documents by source, file name or glob; returns the removal report."""
        try:
            return chat.remove(sources, mine(request, collection)).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

    def ingest(files: list[str] | None, collection: str | None, request: Request) -> dict:
        """Upload and ingest files; returns the ingest report, refused files included."""
        try:
            named = [(path, Path(path).name) for path in files or []]
            return chat.ingest_uploads(named, mine(request, collection or None, create=True)).to_dict()
        except UserError as exc:
            raise _api_error(exc) from exc

    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="docqa", analytics_enabled=False) as app:
        session = gr.State(Session())
        examples_state = gr.State([])
        gr.Markdown("## docqa · answers from your documents, with citations")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    if history is not None:
                        with gr.Column(scale=1, min_width=220):
                            sidebar = build_sidebar()
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            elem_id="docqa-chat", show_label=False, height=480, render_markdown=True,
                            sanitize_html=True, latex_delimiters=[], buttons=[], feedback_options=None,
                            group_consecutive_messages=False, placeholder="Ask a question about your documents.",
                        )
                        with gr.Row():
                            question = gr.Textbox(elem_id="docqa-question", show_label=False, scale=6, lines=1,
                                                  max_lines=4, placeholder="Ask a question…", autofocus=True)
                            ask_button = gr.Button("Ask", variant="primary", elem_id="docqa-ask", scale=1)
                        examples = gr.Dataset(components=[question], samples=[], type="index", label="Examples",
                                              elem_id="docqa-examples")
                        new_button = gr.Button("New conversation", elem_id="docqa-new", size="sm")
                    with gr.Column(scale=2):
                        gr.Markdown("### Citations")
                        panel = gr.HTML(views.citation_panel_html([]), elem_id="docqa-citations", js_on_load=None)
            with gr.Tab("Documents", id="documents"):
                uploader = gr.File(label=f"Add documents (up to {max_upload_mb:g} MB each)", file_count="multiple",
                                   file_types=sorted(chat.extensions), type="filepath", elem_id="docqa-upload")
                url_box = UrlBox.build()
                report = gr.HTML(elem_id="docqa-report")
                table = gr.Dataframe(headers=SOURCE_HEADERS, datatype=["str", "str", "number", "str"],
                                     interactive=False, wrap=True, elem_id="docqa-sources", label="Sources")
                with gr.Row():
                    to_remove = gr.Dropdown(label="Sources to remove", multiselect=True, choices=[], scale=4,
                                            elem_id="docqa-remove-choice")
                    remove_button = gr.Button("Remove", variant="stop", scale=1, elem_id="docqa-remove")
                refresh_button = gr.Button("Refresh list", size="sm", elem_id="docqa-refresh")
            with gr.Tab("Settings", id="settings"):
                collection = gr.Dropdown(label="Collection", choices=chat.collections.names(), value=settings.collection,
                                         allow_custom_value=True, elem_id="docqa-collection",
                                         info="A new name becomes a collection in the same index when documents are uploaded into it.")
                top_k = gr.Slider(1, max(20, settings.top_k), value=settings.top_k, step=1,
                                  label="Passages to retrieve (top-k)", elem_id="docqa-topk")
                source_filter = gr.Dropdown(label="Only these sources", multiselect=True, allow_custom_value=True,
                                            choices=[], info="Names, file names or globs such as *.pdf",
                                            elem_id="docqa-source-filter")
                kind_filter = gr.CheckboxGroup(list(KINDS), label="Only these file types", elem_id="docqa-kinds")
                where = gr.Textbox(label="Metadata filters", placeholder="key=value, one a line", lines=2,
                                   elem_id="docqa-where")
                generator = gr.Dropdown(list(GENERATORS.names()), value=settings.generator, label="Answer generator",
                                        elem_id="docqa-generator")
                gr.HTML(_generator_options_html(settings), elem_id="docqa-generator-options")

        # Hidden parts of the /ingest endpoint: gr.File checks that uploaded paths come from the upload cache.
        api_files = gr.File(file_count="multiple", type="filepath", visible=False)
        api_collection = gr.Textbox(visible=False)
        api_report = gr.JSON(visible=False)
        api_trigger = gr.Button(visible=False)

        document_outputs = [table, to_remove, source_filter, examples, examples_state]
        problem = gr.State("")
        shown = {"fn": raise_problem, "inputs": [problem], "outputs": None, **private}
        app.load(on_load, [collection], [*document_outputs, problem], **private).then(**shown)
        collection.change(on_load, [collection], [*document_outputs, problem], **private).then(**shown)
        refresh_button.click(on_load, [collection], [*document_outputs, problem], **private).then(**shown)

        ask_inputs = [question, session, collection, top_k, source_filter, kind_filter, where, generator]
        ask_outputs = [chatbot, session, panel, question, problem]
        asking = {"fn": on_ask, "inputs": ask_inputs, "outputs": ask_outputs, "concurrency_limit": ASK_CONCURRENCY,
                  "show_progress": "hidden", **private}  # the answer bubble itself shows that work is going on
        asked = [question.submit(**asking), ask_button.click(**asking)]
        for event in asked:
            event.then(**shown)
        examples.click(on_example, [examples, examples_state], [question], **private).then(**asking).then(**shown)
        new_button.click(on_new, None, ask_outputs[:4], cancels=asked, **private)
        if history is not None:
            def resumed(done: Session) -> tuple:
                return views.chat_messages(done.turns), done, views.citation_panel_html(done.turns), ""

            sidebar.update(problem=problem, raise_=shown)
            wire_sidebar(app, history, sidebar, session, ask_outputs[:4], resumed, private,
                         lambda request: getattr(request, "username", None), asked)
        chatbot.clear(on_new, None, ask_outputs[:4], cancels=asked, **private)  # the Chatbot's own bin icon

        uploader.upload(on_upload, [uploader, collection], [report, *document_outputs, uploader, problem],
                        concurrency_id="docqa-write", concurrency_limit=1, **private).then(**shown)
        url_box.wire(chat, collection=collection, outputs=[report, *document_outputs, problem], mine=mine,
                     documents_view=documents_view, then=shown, private=private)
        remove_button.click(on_remove, [to_remove, collection], [report, *document_outputs, problem],
                            concurrency_id="docqa-write", concurrency_limit=1, **private).then(**shown)

        gr.api(ask, api_name="ask", concurrency_limit=ASK_CONCURRENCY)
        gr.api(sources, api_name="sources")
        gr.api(remove, api_name="remove", concurrency_id="docqa-write", concurrency_limit=1)
        api_trigger.click(ingest, [api_files, api_collection], [api_report], api_name="ingest",
                          concurrency_id="docqa-write", concurrency_limit=1)
    return app


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
                   max_upload_mb: float = 50.0) -> dict[str, Any]:
    """Keyword arguments of Blocks.launch for a safe local server (no share link, no SSR, no MCP, local fonts)."""
    return {
        "server_name": host, "server_port": port, "auth": auth, "share": False, "ssr_mode": False,
        "mcp_server": False, "show_error": False, "max_file_size": f"{max_upload_mb:g}mb", "theme": assets.theme(),
        "css": assets.CSS, "head": assets.HEAD, "auth_message": "docqa: sign in to ask your documents.",
    }


def launch(docqa: Any, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None, *,
           max_upload_mb: float = 50.0, block: bool = True):
    """Serve the web chat; with block=False return the running app (stop it with `app.close()`)."""
    app = build_app(docqa, max_upload_mb=max_upload_mb)
    app.queue(default_concurrency_limit=2)
    app.launch(prevent_thread_lock=not block,
               **launch_options(host=host, port=port, auth=auth, max_upload_mb=max_upload_mb))
    return app

"""The web chat's "add a web page" box: a URL goes through the same DocQA ingest as `docqa ingest URL`, private addresses refused unless the server allows them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from gradio import Request  # the handler's type hint names it; Gradio resolves it from this module to fill it in
from qa.errors import DocQAError
from qa.models import FileOutcome, IngestReport
from ui import views
from ui.webchat import UserError, WebChat, reason_of

log = logging.getLogger("docqa.ui")
MAX_URL_CHARS = 2048


def ingest_url(chat: WebChat, url: str, collection: str | None = None,
               on_file: Callable[[FileOutcome], None] | None = None) -> IngestReport:
    """Fetch and ingest one http(s) page into `collection`. Anything else typed in the box (a server path, a
    file: URL) is refused before DocQA sees it, and `allow_private` is never passed: only the server's own
    setting (DOCQA_ALLOW_PRIVATE) lets the web chat reach loopback or private addresses."""
    url = (url or "").strip()
    if not url:
        raise UserError("Type the address of a web page first.")
    if len(url) > MAX_URL_CHARS or not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url):
        raise UserError("Only web addresses starting with http:// or https:// can be added here.")
    docqa = chat.collections.get(collection, create=True)
    with chat.collections.write_lock:
        try:
            return docqa.ingest([url], on_file=on_file)
        except Exception as exc:  # one line for the page; the traceback stays in the server log
            log.warning("URL ingest failed: %s", url, exc_info=not isinstance(exc, DocQAError))
            raise UserError(reason_of(exc)) from exc


@dataclass
class UrlBox:
    """The textbox and button, built inside the Documents tab; `wire` connects them once the rest exists."""

    text: Any
    button: Any

    @classmethod
    def build(cls) -> UrlBox:
        import gradio as gr

        with gr.Row():
            text = gr.Textbox(show_label=False, placeholder="…or add a web page: https://…", scale=5, lines=1,
                              max_lines=1, elem_id="docqa-url")
            button = gr.Button("Add page", scale=1, elem_id="docqa-url-add")
        return cls(text, button)

    def wire(self, chat: WebChat, *, collection: Any, outputs: list, mine: Callable, documents_view: Callable,
             then: dict, private: dict) -> None:
        """`outputs`: the ingest report, the document views, then the problem state, as the file upload uses them."""
        import gradio as gr

        def on_url(url: str, collection_name: str | None, request: Request, progress=gr.Progress()):
            progress(0, desc="Fetching")
            try:
                chosen = mine(request, collection_name, create=True)
                report = ingest_url(chat, url, chosen,
                                    on_file=lambda outcome: progress(None, desc=f"{outcome.status}: {outcome.source}"))
                view = documents_view(chosen)
            except UserError as exc:
                return (*[gr.skip()] * (len(outputs) - 1), str(exc))
            if report.failed or report.skipped:
                gr.Warning("The page was not indexed; see the summary.")
            return (views.outcomes_html(report.files, "Web page"), *view, "")

        for event in (self.text.submit, self.button.click):
            event(on_url, [self.text, collection], outputs, concurrency_id="docqa-write", concurrency_limit=1,
                  **private).then(**then)

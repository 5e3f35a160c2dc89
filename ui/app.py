"""The Gradio web chat over the Python API (a thin layer: no retrieval or citation logic here)."""

from __future__ import annotations

import html
import os
from typing import Any, Iterator

from qa.models import Answer


def citations_html(answer: Answer) -> str:
    """Escaped citation list for the side panel."""
    if not answer.citations:
        return "<p><em>No citations.</em></p>"
    items = "".join(
        f"<li><strong>[{c.n}]</strong> {html.escape(c.source)} [{c.start}:{c.end}]<br><mark>{html.escape(c.text)}</mark></li>"
        for c in answer.citations
    )
    return f"<ol class='docqa-citations'>{items}</ol>"


def build_app(docqa: Any):
    import gradio as gr

    def respond(message: str, history: list[dict[str, Any]]) -> Iterator[str]:
        turns = [{"role": m["role"], "content": str(m["content"])} for m in history if m.get("role") in ("user", "assistant")]
        text = ""
        for event in docqa.stream(message, turns):
            if isinstance(event, Answer):
                yield event.answer + "\n\n" + "\n".join(f"[{c.n}] {c.source} [{c.start}:{c.end}]" for c in event.citations)
            else:
                text += event
                yield text

    with gr.Blocks(title="docqa") as app:
        gr.ChatInterface(respond)
    return app


def launch(docqa: Any, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    build_app(docqa).queue().launch(server_name=host, server_port=port, auth=auth, show_error=False)

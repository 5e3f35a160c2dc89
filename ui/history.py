"""The web chat's saved conversations: a sidebar to start, list, resume, rename, delete and export them."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from gradio import Request  # noqa: E402 - handlers' type hints name it; Gradio fills it in

from qa.models import Answer, Chunk, Citation, Passage  # noqa: E402
from ui.conversations import ConversationNotFound, ConversationStore, export_json, export_markdown  # noqa: E402
from ui.webchat import Session, UserError  # noqa: E402


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """An Answer back from its `docqa ask --json` object (as saved), enough to show it and its citations again."""
    passages = tuple(
        Passage(Chunk(p.get("chunk_id") or "", "", p["source"], 0, p["start"], p["end"], p["text"], p.get("page")),
                p.get("score", 0.0), p.get("dense_score"), p.get("lexical_score"))
        for p in data.get("passages", []))
    citations = tuple(Citation(**{k: c.get(k) for k in Citation.__dataclass_fields__ if k in c})
                      for c in data.get("citations", []))
    return Answer(data["question"], data["answer"], bool(data["abstained"]), citations, passages,
                  dict(data.get("timings_ms") or {}), data.get("query") or "", data.get("generator") or "extractive",
                  data.get("confidence"), tuple(data.get("flags") or ()), notice=data.get("notice") or "")


def owner_of(username: str | None) -> str:
    """The same owner as the API's for a signed-in user, so both see the same conversations."""
    return f"user:{username}" if username else "web"


class History:
    """Sidebar handlers over the conversation store; every failure becomes a UserError with a reason."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    def saved(self, owner: str, session: Session, question: str, answer: Answer, collection: str) -> Session:
        """SESSION with its newest turn stored: the first answered question starts a saved conversation."""
        conversation_id = session.conversation_id
        if conversation_id is None:
            conversation_id = self.store.create(owner, collection).id
        try:
            self.store.append(owner, conversation_id, question, answer)
        except ConversationNotFound:  # deleted from another tab: keep this one going under a new id
            conversation_id = self.store.create(owner, collection).id
            self.store.append(owner, conversation_id, question, answer)
        return session.saved_as(conversation_id)

    def choices(self, owner: str) -> list[tuple[str, str]]:
        return [(c.title, c.id) for c in self.store.list(owner)]

    def resume(self, owner: str, conversation_id: str | None) -> Session:
        conversation = self._get(owner, conversation_id)
        turns = tuple((t["question"], answer_from_dict(t["answer"])) for t in conversation.turns)
        return Session(turns, conversation.id)

    def rename(self, owner: str, conversation_id: str | None, title: str) -> None:
        self._get(owner, conversation_id)
        try:
            self.store.rename(owner, conversation_id or "", title)
        except ValueError as exc:
            raise UserError("Type the new title first.") from exc

    def delete(self, owner: str, conversation_id: str | None) -> None:
        self._get(owner, conversation_id)
        self.store.delete(owner, conversation_id or "")

    def export(self, owner: str, conversation_id: str | None, fmt: str) -> str:
        """A file to download: Markdown transcript or the JSON object, citations with source, offsets and span."""
        conversation = self._get(owner, conversation_id)
        folder = Path(tempfile.mkdtemp(prefix="docqa-export-"))
        if fmt == "json":
            path = folder / f"conversation-{conversation.id[:8]}.json"
            path.write_text(json.dumps(export_json(conversation), ensure_ascii=False, indent=1), "utf-8")
        else:
            path = folder / f"conversation-{conversation.id[:8]}.md"
            path.write_text(export_markdown(conversation), "utf-8")
        return str(path)

    def _get(self, owner: str, conversation_id: str | None):
        if not conversation_id:
            raise UserError("Choose a saved conversation first.")
        try:
            return self.store.get(owner, conversation_id)
        except ConversationNotFound as exc:
            raise UserError("That conversation no longer exists.") from exc


def build_sidebar() -> dict[str, Any]:
    """The sidebar's components, created inside the caller's layout (a gr.Column)."""
    import gradio as gr

    parts = {
        "picker": gr.Dropdown(label="Saved conversations", choices=[], value=None, elem_id="docqa-saved"),
        "open": gr.Button("Open", size="sm", elem_id="docqa-saved-open"),
        "title": gr.Textbox(label="Title", lines=1, max_lines=1, elem_id="docqa-saved-title"),
        "rename": gr.Button("Rename", size="sm", elem_id="docqa-saved-rename"),
        "delete": gr.Button("Delete", size="sm", variant="stop", elem_id="docqa-saved-delete"),
        "export_md": gr.Button("Export Markdown", size="sm", elem_id="docqa-export-md"),
        "export_json": gr.Button("Export JSON", size="sm", elem_id="docqa-export-json"),
        "download": gr.File(label="Export", interactive=False, elem_id="docqa-export-file"),
    }
    return parts


def wire_sidebar(app: Any, history: History, parts: dict[str, Any], session: Any, shown_outputs: list[Any],
                 show, private: dict[str, Any], user_of, asked: list[Any]) -> None:
    """Events: list on load, select the current one after each answer (ASKED), open, rename, delete, export."""
    import gradio as gr

    picker = parts["picker"]

    def listed(request: Request, selected: str | None = None):
        choices = history.choices(owner_of(user_of(request)))
        keep = selected if selected in {c for _, c in choices} else None
        return gr.Dropdown(choices=choices, value=keep)

    def on_list(selected: str | None, request: Request):
        return listed(request, selected)

    def on_answered(done: Session, request: Request):
        return listed(request, done.conversation_id)

    def on_open(conversation_id: str | None, request: Request):
        try:
            resumed = history.resume(owner_of(user_of(request)), conversation_id)
        except UserError as exc:
            return (*[gr.skip()] * len(shown_outputs), str(exc))
        return (*show(resumed), "")

    def on_rename(conversation_id: str | None, title: str, request: Request):
        try:
            history.rename(owner_of(user_of(request)), conversation_id, title)
        except UserError as exc:
            return gr.skip(), str(exc)
        return listed(request, conversation_id), ""

    def on_delete(conversation_id: str | None, request: Request):
        try:
            history.delete(owner_of(user_of(request)), conversation_id)
        except UserError as exc:
            return gr.skip(), str(exc)
        return listed(request), ""

    def exporter(fmt: str):
        def on_export(conversation_id: str | None, request: Request):
            try:
                return history.export(owner_of(user_of(request)), conversation_id, fmt), ""
            except UserError as exc:
                return None, str(exc)
        return on_export

    problem, raise_ = parts["problem"], parts["raise_"]
    app.load(on_list, [picker], [picker], **private)
    picker.focus(on_list, [picker], [picker], **private)
    for event in asked:
        event.then(on_answered, [session], [picker], **private)
    parts["open"].click(on_open, [picker], [*shown_outputs, problem], **private).then(**raise_)
    parts["rename"].click(on_rename, [picker, parts["title"]], [picker, problem], **private).then(**raise_)
    parts["delete"].click(on_delete, [picker], [picker, problem], **private).then(**raise_)
    parts["export_md"].click(exporter("markdown"), [picker], [parts["download"], problem], **private) \
        .then(**raise_)
    parts["export_json"].click(exporter("json"), [picker], [parts["download"], problem], **private) \
        .then(**raise_)

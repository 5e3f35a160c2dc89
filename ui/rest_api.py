"""REST endpoints: /v1/ask, /v1/sources, /v1/ingest, /v1/conversations and /healthz; parse, call, return."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from ui.access import Caller
from ui.api_deps import caller, service
from ui.conversations import export_json, export_markdown
from ui.openai_api import Filters
from ui.service import Service, Upload
from ui.webchat import AskOptions

router = APIRouter(prefix="/v1", tags=["docqa"])
health = APIRouter(tags=["docqa"])


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1)
    history: list[Message] = []
    collection: str | None = None
    k: int | None = Field(None, ge=1, le=100)
    filters: Filters | None = None
    generator: Literal["extractive", "openai", "ollama", "llamacpp"] | None = None


class NewConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str | None = None
    title: str = ""


class Rename(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)


@health.get("/healthz")
def healthz(svc: Service = Depends(service)) -> dict[str, Any]:
    """Liveness: no credentials needed, tells nothing about the documents."""
    return {"status": "ok"}


@router.post("/ask")
def ask(body: AskRequest, who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """Exactly the `docqa ask --json` object."""
    f = body.filters or Filters()
    options = AskOptions(body.collection, body.k, tuple(f.sources), tuple(f.kinds), tuple(f.where), body.generator)
    history = [m.model_dump() for m in body.history]
    return svc.ask(who, body.question, history, options).to_dict()


@router.get("/sources")
def sources(collection: str | None = None, who: Caller = Depends(caller),
            svc: Service = Depends(service)) -> list[dict[str, Any]]:
    """The collection's documents, as `docqa sources --json` lists them."""
    return [s.to_dict() for s in svc.sources(who, collection)]


@router.post("/ingest")
def ingest(files: list[UploadFile] = File(...), collection: str | None = Form(None), who: Caller = Depends(caller),
           svc: Service = Depends(service)) -> dict[str, Any]:
    """Upload and ingest files: the same limits, type checks and per-file report as the web chat's upload."""
    uploads = [Upload(f.filename or "upload", f.file) for f in files]
    return svc.ingest(who, uploads, collection).to_dict()


@router.delete("/sources")
def remove(source: list[str] = Query(..., min_length=1), collection: str | None = None,
           who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """Remove documents by source, file name or glob (repeat `source=` for several)."""
    return svc.remove(who, source, collection).to_dict()


@router.get("/conversations")
def conversations(who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """The caller's saved conversations, most recent first."""
    return {"object": "list", "data": [c.summary() for c in svc.conversation_list(who)]}


@router.post("/conversations", status_code=201)
def start(body: NewConversation, who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """A new, empty conversation; pass its id as `conversation_id` to /v1/chat/completions."""
    return svc.start_conversation(who, body.collection, body.title).summary()


@router.get("/conversations/{conversation_id}", response_model=None)
def conversation(conversation_id: str, format: Literal["json", "markdown"] = "json", who: Caller = Depends(caller),
                 svc: Service = Depends(service)) -> dict[str, Any] | PlainTextResponse:
    """One conversation with every answer and citation; `?format=markdown` exports it as a transcript."""
    found = svc.conversation(who, conversation_id)
    if format == "markdown":
        return PlainTextResponse(export_markdown(found), media_type="text/markdown; charset=utf-8")
    return export_json(found)


@router.patch("/conversations/{conversation_id}")
def rename(conversation_id: str, body: Rename, who: Caller = Depends(caller),
           svc: Service = Depends(service)) -> dict[str, Any]:
    return svc.rename_conversation(who, conversation_id, body.title).summary()


@router.delete("/conversations/{conversation_id}")
def delete(conversation_id: str, who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    svc.delete_conversation(who, conversation_id)
    return {"id": conversation_id, "object": "conversation.deleted", "deleted": True}


@router.delete("/conversations")
def delete_all(who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """Delete every conversation of the caller."""
    gone = [c.id for c in svc.conversation_list(who)]
    for conversation_id in gone:
        svc.delete_conversation(who, conversation_id)
    return {"object": "list", "deleted": gone}


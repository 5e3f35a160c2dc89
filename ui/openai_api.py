"""OpenAI-compatible /v1/models and /v1/chat/completions: collections are models, answers carry a `docqa` object."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Iterator, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from qa.models import Answer
from ui.access import Caller
from ui.api_deps import ApiError, caller, error_body, service
from ui.service import ConversationNotFound, Service, UnknownCollection, UserError
from ui.webchat import AskOptions, answer_of

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])


class TextPart(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class Filters(BaseModel):
    """docqa's own filters: the same as `docqa ask --source/--type/--where`."""

    model_config = ConfigDict(extra="forbid")
    sources: list[str] = []
    kinds: list[str] = []
    where: list[str] = []


class ChatRequest(BaseModel):
    """OpenAI's request body; `conversation_id`, `k`, `filters` and `generator` are docqa's extra fields."""

    model_config = ConfigDict(extra="ignore")  # OpenAI clients send fields (n, top_p, user...) docqa does not use
    model: str = Field(description="The collection to answer from (see GET /v1/models).")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    max_tokens: int | None = Field(None, ge=1, description="Accepted; LLM generators use DOCQA_LLM_MAX_TOKENS.")
    temperature: float | None = Field(None, ge=0, le=2, description="Accepted; LLM generators use DOCQA_LLM_TEMPERATURE.")
    conversation_id: str | None = Field(None, description="Append this turn to a saved conversation.")
    k: int | None = Field(None, ge=1, le=100)
    filters: Filters | None = None
    generator: Literal["extractive", "openai", "ollama", "llamacpp"] | None = None

    def question_and_history(self) -> tuple[str, list[dict[str, str]]]:
        turns = [m for m in self.messages if m.role in ("user", "assistant")]  # system prompts: docqa has its own
        if not turns or turns[-1].role != "user" or not turns[-1].text().strip():
            raise ApiError(400, "messages: the last message must be the user's question", param="messages")
        return turns[-1].text(), [{"role": m.role, "content": m.text()} for m in turns[:-1]]

    def options(self) -> AskOptions:
        f = self.filters or Filters()
        return AskOptions(self.model, self.k, tuple(f.sources), tuple(f.kinds), tuple(f.where), self.generator)


def docqa_extra(answer: Answer, conversation_id: str | None) -> dict[str, Any]:
    """The `docqa ask --json` parts a chat client cannot get from the message text alone."""
    full = answer.to_dict()
    extra = {key: full[key] for key in ("citations", "passages", "abstained", "query", "answer")}
    if conversation_id:
        extra["conversation_id"] = conversation_id
    return extra


@router.get("/models")
def list_models(who: Caller = Depends(caller), svc: Service = Depends(service)) -> dict[str, Any]:
    """The caller's collections, as OpenAI models."""
    return {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "docqa"}
                                       for name in svc.collections(who)]}


@router.post("/chat/completions", response_model=None)
def chat_completions(body: ChatRequest, who: Caller = Depends(caller),
                     svc: Service = Depends(service)) -> dict[str, Any] | StreamingResponse:
    """The last user message is the question, earlier messages the history (or the saved conversation's)."""
    question, history = body.question_and_history()
    if body.conversation_id:
        try:
            saved = svc.conversation(who, body.conversation_id)
        except ConversationNotFound as exc:
            raise ApiError(404, str(exc), param="conversation_id", code="conversation_not_found") from exc
        history = history or saved.history()
    try:
        events = svc.stream(who, question, history, body.options())
    except UnknownCollection as exc:
        raise ApiError(404, f"The model `{exc.name}` does not exist or you do not have access to it.",
                       param="model", code="model_not_found") from exc
    completion = Completion(body.model)
    if body.stream:
        return StreamingResponse(completion.sse(events, _saver(svc, who, body, question), body.conversation_id),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    answer = answer_of(events)
    _saver(svc, who, body, question)(answer)
    return completion.whole(answer, body.conversation_id)


def _saver(svc: Service, who: Caller, body: ChatRequest, question: str):
    def save(answer: Answer) -> None:
        if body.conversation_id:
            svc.record(who, body.conversation_id, question, answer)
    return save


class Completion:
    """Builds `chat.completion` and `chat.completion.chunk` objects with one id and timestamp."""

    def __init__(self, model: str) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model

    def _base(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model,
                "system_fingerprint": None}

    def whole(self, answer: Answer, conversation_id: str | None) -> dict[str, Any]:
        message = {"role": "assistant", "content": answer.answer}
        return {**self._base("chat.completion"),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
                "docqa": docqa_extra(answer, conversation_id)}

    def chunk(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        data = {**self._base("chat.completion.chunk"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    def sse(self, events: Iterator[str | Answer], save, conversation_id: str | None) -> Iterator[str]:
        """Text pieces as they come; the last chunk carries finish_reason and the `docqa` object; then [DONE]."""
        yield self.chunk({"role": "assistant", "content": ""})
        try:
            for event in events:
                if isinstance(event, Answer):
                    save(event)
                    yield self.chunk({}, "stop", docqa=docqa_extra(event, conversation_id))
                elif event:
                    yield self.chunk({"content": event})
        except (UserError, ConversationNotFound) as exc:  # the status line is sent: the error travels as an event
            yield f"data: {json.dumps(error_body(str(exc)), ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"


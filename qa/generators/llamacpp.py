"""A langchain chat model over an in-process llama_cpp.Llama, streaming through create_chat_completion."""

from __future__ import annotations

import threading
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

_ROLES = ((SystemMessage, "system"), (HumanMessage, "user"), (AIMessage, "assistant"))


class LlamaCppChatModel(BaseChatModel):
    """Chat over a loaded GGUF model; the Llama object is shared, so calls are serialised by a lock."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    max_tokens: int = 256
    temperature: float = 0.0
    lock: Any = Field(default_factory=threading.Lock, exclude=True)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self.lock:
            stream = self.llama.create_chat_completion(
                messages=[_as_dict(m) for m in messages], stream=True, stop=stop,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
            )
            for event in stream:
                choice = event["choices"][0] if event.get("choices") else {}
                text = (choice.get("delta") or {}).get("content") or ""
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk


def _as_dict(message: BaseMessage) -> dict[str, str]:
    for cls, role in _ROLES:
        if isinstance(message, cls):
            return {"role": role, "content": message.text}
    raise ValueError(f"unsupported message type {type(message).__name__} for llama.cpp chat")

"""A langchain chat model over an in-process llama_cpp.Llama, streaming through create_chat_completion."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, model_validator

_ROLES = ((SystemMessage, "system"), (HumanMessage, "user"), (AIMessage, "assistant"))
# One llama.cpp context must never run two generations at once; models are shared per process (load_llama).
_LLAMA_LOCK = threading.Lock()


class LlamaCppChatModel(BaseChatModel):
    """Chat over a GGUF model: `llama` (a loaded llama_cpp.Llama) or `model_path` (default: the packaged Qwen),
    loaded on first call. Text in, text out: no tools, structured output, JSON mode or images.
    Every reply carries llama.cpp's token counts as usage_metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True, populate_by_name=True)

    llama: Any = Field(default=None, exclude=True)
    model_path: str | None = None
    model_name: str = Field(default="", alias="model")
    n_ctx: int = 4096
    n_threads: int | None = None
    max_tokens: int = 256
    temperature: float = 0.0
    stop: list[str] | None = None
    lock: Any = Field(default_factory=lambda: _LLAMA_LOCK, exclude=True)

    @model_validator(mode="after")
    def _name_from_path(self) -> LlamaCppChatModel:
        if not self.model_name:
            from qa.llm_model import MODEL_FILENAME

            self.model_name = Path(self.model_path).name if self.model_path else MODEL_FILENAME
        return self

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "n_ctx": self.n_ctx, "max_tokens": self.max_tokens,
                "temperature": self.temperature}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(ls_provider="llamacpp", ls_model_name=kwargs.get("model") or self.model_name,
                                 ls_model_type="chat", ls_temperature=kwargs.get("temperature", self.temperature),
                                 ls_max_tokens=kwargs.get("max_tokens", self.max_tokens))
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def loaded(self) -> Any:
        """The llama_cpp.Llama, loaded (after a crash probe in a child process) on first use."""
        if self.llama is None:
            from qa.generators.llm import load_llama
            from qa.llm_model import packaged_gguf, require_llama_cpp
            from qa.llm_probe import ensure_llama_runs

            require_llama_cpp()
            path = str(Path(self.model_path).expanduser()) if self.model_path else str(packaged_gguf())
            threads = self.n_threads or max(1, min(8, os.cpu_count() or 1))
            ensure_llama_runs(path, threads)
            self.llama = load_llama(path, self.n_ctx, threads)
        return self.llama

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        llama = self.loaded()
        prompt_tokens: int | None = None
        generated = 0
        finish_reason = None
        with self.lock:
            stream = llama.create_chat_completion(
                messages=[_as_dict(m) for m in messages], stream=True, stop=stop or self.stop or None,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
            )
            for event in stream:
                choice = event["choices"][0] if event.get("choices") else {}
                finish_reason = choice.get("finish_reason") or finish_reason
                delta = choice.get("delta") or {}
                if "content" not in delta:
                    continue
                if prompt_tokens is None:
                    # The first token has been sampled but not yet fed back: the context holds exactly the prompt.
                    prompt_tokens = int(llama.n_tokens)
                generated += 1  # llama-cpp-python streams one chunk per generated token
                text = delta.get("content") or ""
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
            if prompt_tokens is None:  # nothing generated: the prompt is all that was evaluated
                prompt_tokens = int(llama.n_tokens)
        usage = UsageMetadata(input_tokens=prompt_tokens, output_tokens=generated,
                              total_tokens=prompt_tokens + generated)
        yield ChatGenerationChunk(message=AIMessageChunk(
            content="", usage_metadata=usage, chunk_position="last",
            response_metadata={"model_name": self.model_name, "finish_reason": finish_reason}))


def _as_dict(message: BaseMessage) -> dict[str, str]:
    for cls, role in _ROLES:
        if isinstance(message, cls):
            return {"role": role, "content": message.text}
    raise ValueError(f"unsupported message type {type(message).__name__} for llama.cpp chat")

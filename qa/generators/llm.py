"""LLM answerers through langchain chat models (OpenAI-compatible, Ollama, in-process llama.cpp), verified after streaming."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from qa.answer_types import offers
from qa.embedding import Embedder
from qa.errors import ConfigurationError, MissingExtraError
from qa.llm_model import load_llama
from qa.entities import mentions_asked, unknown_asked
from qa.generate import GenerationRequest, abstention, wanted_answer
from qa.generators.extractive import ExtractiveGenerator
from qa.models import ABSTAIN_TEXT, Answer
from qa.prompts import Prompt, build_prompt, says_dont_know
from qa.settings import Settings
from qa.text import strip_markers
from qa.verify import VectorCache, verify


def _import_chat(module: str, cls: str, backend: str):
    try:
        imported = __import__(module, fromlist=[cls])
    except ImportError as exc:
        raise MissingExtraError(f"the {backend} generator", "llm", exc) from exc
    return getattr(imported, cls)


def chat_model(settings: Settings, name: str):
    """The langchain chat model for backend `name`, configured from settings; clear errors for what is missing."""
    match name:
        case "openai":
            ChatOpenAI = _import_chat("langchain_openai", "ChatOpenAI", "openai")
            if not settings.llm_model:
                raise ConfigurationError("the openai generator needs a model name: set DOCQA_LLM_MODEL (and "
                                         "DOCQA_LLM_BASE_URL for an OpenAI-compatible server)")
            key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY")
            if not key and not settings.llm_base_url:
                raise ConfigurationError("the openai generator needs DOCQA_LLM_API_KEY (or OPENAI_API_KEY), "
                                         "or DOCQA_LLM_BASE_URL of a local OpenAI-compatible server")
            return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key or "not-needed",
                              temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens,
                              streaming=True, timeout=120, max_retries=1)
        case "ollama":
            ChatOllama = _import_chat("langchain_ollama", "ChatOllama", "ollama")
            if not settings.llm_model:
                raise ConfigurationError("the ollama generator needs a model name: set DOCQA_LLM_MODEL (e.g. qwen2.5:1.5b)")
            return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url,
                              temperature=settings.llm_temperature, num_predict=settings.llm_max_tokens,
                              num_ctx=settings.llm_context_tokens)
        case "llamacpp":
            from qa.generators.llamacpp import LlamaCppChatModel

            path = Path(settings.llm_model_path).expanduser() if settings.llm_model_path else None
            if path is None:
                from qa.llm_model import default_cache_dir, packaged_gguf, require_llama_cpp

                require_llama_cpp()
                path = packaged_gguf(default_cache_dir(settings))
            elif not path.is_file():
                raise ConfigurationError(f"DOCQA_LLM_MODEL_PATH {path} is not a file (expected a .gguf model)")
            from qa.llm_probe import ensure_llama_runs

            # A native crash inside llama.cpp would kill this whole process (the web server included): probe first.
            ensure_llama_runs(path, llm_threads(settings))
            return LlamaCppChatModel(llama=load_llama(str(path), settings.llm_context_tokens, llm_threads(settings)),
                                     model_path=str(path), n_ctx=settings.llm_context_tokens,
                                     n_threads=llm_threads(settings), max_tokens=settings.llm_max_tokens,
                                     temperature=settings.llm_temperature)
        case _:
            raise ConfigurationError(f"unknown LLM backend {name!r}; choose openai, ollama or llamacpp")


def llm_threads(settings: Settings) -> int:
    """Threads for in-process llama.cpp: settings.llm_threads (DOCQA_LLM_THREADS), else the cores (at most 8)."""
    return settings.llm_threads or max(1, min(8, os.cpu_count() or 1))


class LLMGenerator:
    """Streams the model's tokens, then verifies its citations; unverifiable answers fall back to the extractive one."""

    def __init__(self, model: Any, embedder: Embedder, settings: Settings, name: str,
                 fallback: ExtractiveGenerator | None = None) -> None:
        self.model = model
        self.name = name
        self.settings = settings
        self.vectors = fallback.vectors if fallback else VectorCache(embedder)
        self.fallback = fallback or ExtractiveGenerator(embedder, settings, vectors=self.vectors)

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, name: str) -> LLMGenerator:
        return cls(chat_model(settings, name), embedder, settings, name)

    def prompt(self, request: GenerationRequest) -> Prompt:
        return build_prompt(request.question, request.passages, request.history,
                            max_passages=self.settings.llm_passages, context_tokens=self.settings.llm_context_tokens,
                            answer_tokens=self.settings.llm_max_tokens)

    def generate(self, request: GenerationRequest) -> Iterator[str | Answer]:
        if not request.passages:
            yield ABSTAIN_TEXT
            yield abstention(request, "no-passages", generator=self.name)
            return
        if unknown_asked(request.question, request.passages):
            # The documents never name what is asked about: no model call, no chance to invent an answer.
            yield ABSTAIN_TEXT
            yield abstention(request, "question-names-unknown-entity", generator=self.name)
            return
        prompt = self.prompt(request)
        pieces: list[str] = []
        # Local models serialise calls themselves (LlamaCppChatModel holds a lock); servers take them in parallel.
        messages = [_message(role, content) for role, content in prompt.messages]
        for chunk in self.model.stream(messages, config={"callbacks": request.callbacks, "run_name": "llm"}):
            text = chunk.content if isinstance(chunk.content, str) else "".join(
                part.get("text", "") for part in chunk.content if isinstance(part, dict))
            if text:
                pieces.append(text)
                yield text
        yield self.finish(request, prompt, "".join(pieces))

    def finish(self, request: GenerationRequest, prompt: Prompt, raw: str) -> Answer:
        """The final Answer for the model's full reply: verified, or abstained, or the extractive fallback."""
        if not raw.strip() or says_dont_know(raw):
            return abstention(request, "model-said-it-does-not-know", generator=self.name)
        checked = verify(raw, prompt.passages, self.vectors)
        wanted = wanted_answer(request)
        problem = None
        if not checked.supported:
            problem = "no-verified-citation"
        elif wanted.strict and not offers(strip_markers(checked.text), wanted, request.question):
            problem = "no-answer-of-the-asked-type"
        elif wanted.family == "number" and not mentions_asked(
                " ".join([checked.text, *(c.text for c in checked.citations)]), request):
            problem = "answer-not-about-the-asked-entity"  # a range, but of another missile
        if problem is None:
            return Answer(question=request.question, answer=checked.text, abstained=False,
                          citations=checked.citations, passages=request.passages, query=request.query,
                          generator=self.name, confidence=_round(checked.mean_support), flags=checked.flags)
        fallback = self.fallback.answer(request)
        flags = (*checked.flags, f"llm-rejected:{problem}", "fell-back-to-extractive", *fallback.flags)
        return Answer(question=request.question, answer=fallback.answer, abstained=fallback.abstained,
                      citations=fallback.citations, passages=request.passages, query=request.query,
                      generator=self.name, confidence=fallback.confidence, flags=tuple(dict.fromkeys(flags)))


def _message(role: str, content: str):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    return {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}[role](content=content)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)

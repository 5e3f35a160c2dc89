"""The answerer interface: a generator streams text and ends with the final, cited Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol, Sequence

from qa.embedding import Embedder
from qa.errors import ConfigurationError
from qa.models import Answer, Passage
from qa.settings import Settings


@dataclass(frozen=True)
class GenerationRequest:
    """Everything an answerer may use: passages are numbered [1]..[n] in this order."""

    question: str
    query: str
    passages: tuple[Passage, ...]
    history: tuple[dict[str, str], ...] = field(default_factory=tuple)
    # A langchain callback manager (from DocQA.as_chain): LLM answerers report their model call to it.
    callbacks: Any = field(default=None, compare=False)


class Generator(Protocol):
    """Yields text pieces as they are produced, then exactly one Answer (its last item)."""

    name: str

    def generate(self, request: GenerationRequest) -> Iterator[str | Answer]: ...


def final_answer(events: Iterator[str | Answer]) -> Answer:
    answer = None
    for event in events:
        if isinstance(event, Answer):
            answer = event
    if answer is None:
        raise RuntimeError("generator finished without an Answer")
    return answer


def make_generator(settings: Settings, embedder: Embedder, name: str | None = None) -> Generator:
    choice = name or settings.generator
    match choice:
        case "extractive":
            from qa.generators.extractive import ExtractiveGenerator

            return ExtractiveGenerator(embedder, settings)
        case "openai" | "ollama" | "llamacpp":
            from qa.generators.llm import LLMGenerator

            return LLMGenerator.from_settings(settings, embedder, choice)
        case _:
            raise ConfigurationError(f"unknown generator {choice!r}; choose extractive, openai, ollama or llamacpp")


def passages_text(passages: Sequence[Passage]) -> str:
    return "\n\n".join(p.text for p in passages)

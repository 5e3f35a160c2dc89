"""The answerer interface: a generator streams text and ends with the final, cited Answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol

from qa.answer_types import AnswerType, answer_type
from qa.ellipsis import dislocated, ellipsis_subject
from qa.embedding import Embedder
from qa.models import ABSTAIN_TEXT, Answer, Passage
from qa.registry import GENERATORS
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


def wanted_answer(request: GenerationRequest) -> AnswerType:
    """The kind of answer the question asks for. An ellipsis ("And from Datadog?") asks what the previous question
    asked ("Who are the stewards from NodeSource?"): its completed form opens the standalone query."""
    if request.query != request.question and ellipsis_subject(request.question) and "?" in request.query:
        return answer_type(request.query.split("?", 1)[0] + "?")
    asked = answer_type(dislocated(request.question) or request.question)  # "And the dinner, how much is that?"
    if asked.kind is None and _EARLIER_VALUE.match(request.question):
        earlier = next((answer_type(turn["content"]) for turn in reversed(request.history) if turn.get("role") == "user"), asked)
        return earlier if earlier.kind in _AMOUNTS else asked
    return asked


# "What was it before?" after "How much is an adult swim now?" asks for the earlier amount ("up from £4.20")
_EARLIER_VALUE = re.compile(r"^\W*(?:and\s+)?what\s+(?:was|were|had)\s+(?:it|that|they|this|these|those)\s+(?:been\s+)?"
                            r"(?:before|previously|originally|earlier|at first|last|then|in|at|on|by|during|a year)\b", re.I)
# ... and after "When is go-live now?" for the earlier date ("moved from 1 September 2025 to 6 October 2025")
_AMOUNTS = frozenset("money number percent count distance length duration age speed weight volume temperature degree "
                     "date exact-date year clock".split())


class Generator(Protocol):
    """Yields text pieces as they are produced, then exactly one Answer (its last item)."""

    name: str

    def generate(self, request: GenerationRequest) -> Iterator[str | Answer]: ...


def final_answer(events: Iterator[str | Answer]) -> Answer:
    """The Answer at the end of a stream of events (text pieces are read and dropped)."""
    answer = None
    for event in events:
        if isinstance(event, Answer):
            answer = event
    if answer is None:
        raise RuntimeError("generator finished without an Answer")
    return answer


def make_generator(settings: Settings, embedder: Embedder, name: str | None = None) -> Generator:
    """The registered generator `name` (default: settings.generator), built from settings."""
    choice = name or settings.generator
    return GENERATORS.load(choice)(settings, embedder, choice)


def abstention(request: GenerationRequest, reason: str, confidence: float | None = None,
               generator: str = "extractive") -> Answer:
    """The answer "not in the documents", with the passages that were looked at and the reason as a flag."""
    return Answer(
        question=request.question, answer=ABSTAIN_TEXT, abstained=True, passages=request.passages,
        query=request.query, generator=generator, confidence=None if confidence is None else round(confidence, 4),
        flags=(f"abstained:{reason}",),
    )

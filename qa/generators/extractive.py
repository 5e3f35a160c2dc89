"""The default answerer without an LLM: the best verbatim sentence of the retrieved passages, cited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from ingest.chunker import sentence_spans
from qa.abstain import AbstainPolicy, Evidence
from qa.answer_types import expected_type, offers_type
from qa.embedding import Embedder
from qa.generate import GenerationRequest
from qa.models import ABSTAIN_TEXT, Answer, Citation, Passage
from qa.rewrite import content_terms, entity_terms
from qa.settings import Settings

_WORD = re.compile(r"\w+")


def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text)}


@dataclass(frozen=True)
class Sentence:
    passage: int  # index into the request's passages
    start: int  # document offsets
    end: int
    text: str


def candidate_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Sentence] = []
    for i, passage in enumerate(passages):
        chunk = passage.chunk
        for s, e in sentence_spans(chunk.text, 0, len(chunk.text)):
            key = (chunk.doc_id, chunk.start + s, chunk.start + e)
            if key in seen or len(chunk.text[s:e].split()) < 3:
                continue
            seen.add(key)
            out.append(Sentence(i, chunk.start + s, chunk.start + e, chunk.text[s:e]))
    return out


def question_entities(question: str) -> list[str]:
    return [e for e in entity_terms(question) if len(e) > 1]


class ExtractiveGenerator:
    """Scores each retrieved sentence by meaning, shared terms and answer type; abstains when unsure."""

    name = "extractive"

    def __init__(self, embedder: Embedder, settings: Settings, policy: AbstainPolicy | None = None) -> None:
        self.embedder = embedder
        self.policy = policy or AbstainPolicy.default(settings)

    def generate(self, request: GenerationRequest) -> Iterator[str | Answer]:
        answer = self.answer(request)
        yield answer.answer
        yield answer

    def answer(self, request: GenerationRequest) -> Answer:
        passages = request.passages
        sentences = candidate_sentences(passages)
        if not sentences:
            return abstention(request, "no-passages")
        wanted = expected_type(request.question)
        entities = question_entities(request.question)
        corpus_text = " ".join(p.text for p in passages).lower()
        missing = [e for e in entities if stem(e) not in stems(corpus_text) and e.lower() not in corpus_text]

        query_stems = {stem(t) for t in content_terms(request.query)}
        own_stems = {stem(t) for t in content_terms(request.question)} or query_stems
        vectors = self.embedder.embed_documents([s.text for s in sentences])
        qvec = self.embedder.embed_query(request.query)
        sims = vectors @ qvec
        if request.query != request.question:
            sims = np.maximum(sims, vectors @ self.embedder.embed_query(request.question))

        best, best_score, best_evidence = None, -1.0, None
        for sentence, sim in zip(sentences, sims):
            sentence_stems = stems(sentence.text)
            overlap = len(query_stems & sentence_stems) / len(query_stems) if query_stems else 0.0
            own = len(own_stems & sentence_stems) / len(own_stems) if own_stems else 0.0
            has_entities = all(stem(e) in sentence_stems or e.lower() in sentence.text.lower() for e in entities)
            evidence = Evidence(
                similarity=float(sim), overlap=max(overlap, own), type_ok=offers_type(sentence.text, wanted),
                typed_question=wanted is not None, entities_in_sentence=has_entities, missing_entities=len(missing),
                passage_rank=sentence.passage, dense=passages[sentence.passage].dense_score,
            )
            score = self.policy.score(evidence)
            if score > best_score:
                best, best_score, best_evidence = sentence, score, evidence
        assert best is not None and best_evidence is not None
        if self.policy.abstain(best_evidence, best_score):
            return abstention(request, self.policy.reason(best_evidence, best_score), best_score)
        passage = passages[best.passage]
        citation = Citation(n=1, source=passage.source, start=best.start, end=best.end, text=best.text,
                            passage=best.passage, page=passage.chunk.page, support=1.0)
        return Answer(
            question=request.question, answer=f"{best.text} [1]", abstained=False, citations=(citation,),
            passages=passages, query=request.query, generator=self.name, confidence=round(best_score, 4),
        )


def abstention(request: GenerationRequest, reason: str, confidence: float | None = None) -> Answer:
    return Answer(
        question=request.question, answer=ABSTAIN_TEXT, abstained=True, passages=request.passages,
        query=request.query, generator="extractive", confidence=None if confidence is None else round(confidence, 4),
        flags=(f"abstained:{reason}",),
    )

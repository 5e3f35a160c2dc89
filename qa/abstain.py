"""The abstention decision: one confidence score from answer evidence, compared with a calibrated threshold."""

from __future__ import annotations

from dataclasses import dataclass

from qa.settings import Settings

# Calibrated on eval/sets/abstain_dev.jsonl with `python -m eval.calibrate` (never on the test set).
DEFAULT_THRESHOLD = 0.45
WEIGHTS = {"similarity": 0.55, "overlap": 0.30, "type": 0.15}


@dataclass(frozen=True)
class Evidence:
    """What is known about one candidate answer sentence."""

    similarity: float  # cosine of sentence and query embeddings
    overlap: float  # share of the question's content terms found in the sentence
    type_ok: bool  # the sentence offers the kind of answer asked for (number, date, person...)
    typed_question: bool  # the question asks for a specific kind
    entities_in_sentence: bool  # every name/acronym of the question appears in the sentence
    missing_entities: int  # names of the question absent from all retrieved passages
    passage_rank: int = 0
    dense: float | None = None


@dataclass(frozen=True)
class AbstainPolicy:
    threshold: float = DEFAULT_THRESHOLD
    weights: tuple[float, float, float] = (WEIGHTS["similarity"], WEIGHTS["overlap"], WEIGHTS["type"])

    @classmethod
    def default(cls, settings: Settings) -> AbstainPolicy:
        return cls(threshold=settings.abstain_threshold if settings.abstain_threshold is not None else DEFAULT_THRESHOLD)

    def score(self, e: Evidence) -> float:
        ws, wo, wt = self.weights
        score = ws * e.similarity + wo * e.overlap + wt * (1.0 if e.type_ok else 0.0)
        if not e.entities_in_sentence:
            score -= 0.15
        return score - 0.01 * e.passage_rank

    def abstain(self, e: Evidence, score: float) -> bool:
        if e.missing_entities:
            return True  # the question names something the documents never mention
        if e.typed_question and not e.type_ok:
            return True  # asked for a number/date/name, the best sentence has none
        return score < self.threshold

    def reason(self, e: Evidence, score: float) -> str:
        if e.missing_entities:
            return "question-names-unknown-entity"
        if e.typed_question and not e.type_ok:
            return "no-answer-of-the-asked-type"
        return f"low-confidence({score:.2f}<{self.threshold:.2f})"

"""The abstention decision: one confidence score from answer evidence, compared with a calibrated threshold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.settings import Settings

# Written by `python -m eval.calibrate` from eval/sets/abstain_dev.jsonl (never from the test sets).
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
DEFAULT_THRESHOLD = 0.45
WEIGHTS = {"similarity": 0.45, "overlap": 0.35, "entities": 0.10, "type": 0.10, "cross": 0.0, "relation": 0.0}


@dataclass(frozen=True)
class Evidence:
    """What is known about one candidate answer span."""

    similarity: float  # cosine of span and question embeddings
    overlap: float  # IDF-weighted share of the question's content terms found in the span's sentence
    type_ok: bool  # the span offers the kind of answer asked for (count, distance, date, name...)
    typed_question: bool  # the question asks for a specific kind
    passage_rank: int = 0
    dense: float | None = None  # the passage's cosine to the query, from retrieval
    entity_share: float = 1.0  # share of the question's names found in the span's sentence
    ambiguous: bool = False  # the span offers several values of the asked kind (two ranges, two dates)
    noun_match: bool = False  # for "how many X": the count in the span counts X
    # The cross-encoder's relevance of the span's sentence to the query, squashed to (0, 1); None when no
    # cross-encoder scored it (the term then falls back to `similarity`, so scores stay on one scale).
    cross: float | None = None
    # Share of the question's own relation words (content words that are not names: "graduate", "moderates")
    # found in the span's sentence; a sentence about the right thing but another relation says little.
    relation: float = 1.0
    context: bool = False  # the asked name is missing from the sentence but named by the one before it


@dataclass(frozen=True)
class AbstainPolicy:
    threshold: float = DEFAULT_THRESHOLD
    # (similarity, overlap, entities, type, cross, relation); the terms an older calibration file lacks weigh 0.
    weights: tuple[float, ...] = tuple(WEIGHTS.values())

    @classmethod
    def default(cls, settings: Settings) -> AbstainPolicy:
        calibrated = load_calibration()
        threshold = calibrated.get("threshold", DEFAULT_THRESHOLD)
        weights = tuple(calibrated.get("weights", cls.weights))
        weights = weights + (0.0,) * (len(WEIGHTS) - len(weights))
        if settings.abstain_threshold is not None:
            threshold = settings.abstain_threshold
        return cls(threshold=float(threshold), weights=weights)  # type: ignore[arg-type]

    def score(self, e: Evidence) -> float:
        ws, wo, we, wt, wc, wr = (tuple(self.weights) + (0.0,) * len(WEIGHTS))[:len(WEIGHTS)]
        cross = e.similarity if e.cross is None else e.cross
        score = ws * e.similarity + wo * e.overlap + we * e.entity_share + wt * (1.0 if e.type_ok else 0.0) + \
            wc * cross + wr * e.relation
        if e.noun_match:
            score += 0.5 * wt
        if e.ambiguous:
            score -= 0.5 * wt
        return score - 0.005 * e.passage_rank

    def abstain(self, e: Evidence, score: float) -> bool:
        if e.typed_question and not e.type_ok:
            return True  # asked for a number/date/name, the best span has none
        return score < self.threshold

    def reason(self, e: Evidence, score: float) -> str:
        if e.typed_question and not e.type_ok:
            return "no-answer-of-the-asked-type"
        return f"low-confidence({score:.2f}<{self.threshold:.2f})"


def load_calibration(path: Path = CALIBRATION_FILE) -> dict:
    """The calibrated threshold and weights, or {} when no calibration has been written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

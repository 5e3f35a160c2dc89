"""Which candidate sentence answers: a linear model over the candidates' evidence, fitted on dev sets by
`python -m eval.fit_selector` (a conditional logit: one softmax over each question's candidates).

Without a fitted file the answerer keeps ranking by the abstention policy's confidence, as before.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from qa.abstain import Evidence

SELECTION_FILE = Path(__file__).with_name("selection.json")
# Per-question shifts (a gap to the question's best candidate) would cancel in the softmax, so none are features.
FEATURES = ("similarity", "overlap", "entity_share", "type_ok", "cross", "passage_rank", "clause", "length",
            "noun_match", "ambiguous", "lead", "relation", "code", "context")


@dataclass(frozen=True)
class Candidate:
    """What the selector reads of one candidate span besides its evidence."""

    text: str
    clause: bool  # a clause of a longer sentence rather than the whole sentence
    lead: bool  # read after the previous sentence, whose subject its pronoun names
    evidence: Evidence


# Program text rather than prose: an interpreter prompt, or a line dense with brackets, quotes and operators.
_CODE_PROMPT = re.compile(r"^\s*(>>>|\.\.\.\s|\$\s)")
_CODE_CHARS = frozenset("()[]{}<>=_'\"#/\\`;")


def code_like(text: str) -> bool:
    """Whether `text` reads as code (an example's output names no answer in words)."""
    if _CODE_PROMPT.match(text):
        return True
    dense = sum(1 for ch in text if ch in _CODE_CHARS)
    return dense / max(len(text), 1) > 0.08


def _logit(p: float | None) -> float:
    p = 0.5 if p is None else min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(candidates: Sequence[Candidate]) -> np.ndarray:
    """One row per candidate, in FEATURES order (the cross-encoder's logit scaled to about the others' range)."""
    rows = []
    for c in candidates:
        e = c.evidence
        rows.append([e.similarity, e.overlap, e.entity_share, float(e.type_ok), _logit(e.cross) / 10,
                     min(e.passage_rank, 10) / 10, float(c.clause), min(len(c.text.split()), 60) / 60,
                     float(e.noun_match), float(e.ambiguous), float(c.lead), e.relation, float(code_like(c.text)),
                     float(e.context)])
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


@dataclass(frozen=True)
class Selector:
    weights: tuple[float, ...]

    def scores(self, candidates: Sequence[Candidate]) -> np.ndarray:
        return features(candidates) @ np.asarray(self.weights, dtype=np.float64)

    def choose(self, candidates: Sequence[Candidate]) -> int:
        """The index of the chosen candidate (the first of equals)."""
        return int(np.argmax(self.scores(candidates)))

    @classmethod
    def load(cls, path: Path = SELECTION_FILE) -> Selector | None:
        """The fitted selector, or None when none was written or it was fitted on other features."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        weights = data.get("weights") if isinstance(data, dict) else None
        if not isinstance(weights, dict) or set(weights) != set(FEATURES):
            return None
        return cls(tuple(float(weights[name]) for name in FEATURES))


def fit(cases: Sequence[tuple[Sequence[Candidate], Sequence[bool]]], l2: float = 0.01, steps: int = 400,
        rate: float = 0.5) -> Selector:
    """Maximise the probability of the gold candidates under one softmax per case (cases without gold skipped)."""
    data = [(features(c), np.asarray(g, dtype=np.float64)) for c, g in cases if c and any(g)]
    w = np.zeros(len(FEATURES))
    for _ in range(steps):
        grad = np.zeros_like(w)
        for x, gold in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * gold
            grad += x.T @ (p - q / max(q.sum(), 1e-300))
        w -= rate * (grad / max(len(data), 1) + l2 * w)
    return Selector(tuple(float(v) for v in w))

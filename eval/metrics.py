"""Pure scoring functions for docqa evaluation: answer matching, retrieval ranks, abstention and latency."""

from __future__ import annotations

import hashlib
import math
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

from qa.text import CITATION_MARKERS

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def _is_punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char).startswith("P")


def normalize_answer(text: str) -> str:
    """SQuAD-style normalisation, extended for docqa's answers.

    Lowercases, drops citation markers such as ``[1]`` or ``[1, 2]`` (docqa's answers carry
    them, gold answers never do), turns every kind of dash into a space so "190-mile"
    equals "190 mile", deletes the remaining punctuation (Unicode too, so "Biden’s" and
    "Biden's" agree), removes the articles a/an/the and collapses whitespace.
    """
    text = CITATION_MARKERS.sub(" ", text.lower())
    text = "".join(" " if char in _DASHES else char for char in text)
    text = "".join(char for char in text if not _is_punctuation(char))
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _normalized_golds(golds: Iterable[str]) -> list[str]:
    return [norm for norm in (normalize_answer(gold) for gold in golds) if norm]


def contains_gold(prediction: str, golds: Sequence[str]) -> bool | None:
    """Whether any gold answer occurs in the prediction as whole words, after normalisation.

    A trailing plural "s"/"es" on the gold's last word is tolerated, so "190 miles" contains
    the gold "190-mile" while "150-mile" does not contain "50-mile". None when there is no
    gold answer (an unanswerable case, where abstention is what gets scored).
    """
    normalized = _normalized_golds(golds)
    if not normalized:
        return None
    text = normalize_answer(prediction)
    return any(re.search(rf"(?<!\S){re.escape(gold)}(?:e?s)?(?!\S)", text) for gold in normalized)


POLARITIES = frozenset({"yes", "no"})


def verdict(answer: str) -> str | None:
    """The yes or no an answer opens with ("No. Spielberg was born in Ohio [1]" says no), else None."""
    words = normalize_answer(answer).split()
    return words[0] if words and words[0] in POLARITIES else None


def answers_gold(prediction: str, golds: Sequence[str]) -> bool | None:
    """`contains_gold`, except that a gold "yes" or "no" must be the answer's verdict: "Yes. It is no longer
    sold" answers yes, not no."""
    normalized = _normalized_golds(golds)
    if not normalized:
        return None
    facts = [gold for gold in normalized if gold not in POLARITIES]
    return verdict(prediction) in normalized or bool(facts and contains_gold(prediction, facts))


def exact_match(prediction: str, golds: Sequence[str]) -> bool | None:
    """Whether the normalised prediction equals any normalised gold answer; None without golds."""
    normalized = _normalized_golds(golds)
    if not normalized:
        return None
    return normalize_answer(prediction) in normalized


def _f1(prediction_tokens: list[str], gold_tokens: list[str]) -> float:
    common = Counter(prediction_tokens) & Counter(gold_tokens)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(prediction_tokens)
    recall = overlap / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds: Sequence[str]) -> float | None:
    """SQuAD token-overlap F1 against the best-matching gold answer; None without golds."""
    normalized = _normalized_golds(golds)
    if not normalized:
        return None
    prediction_tokens = normalize_answer(prediction).split()
    return max(_f1(prediction_tokens, gold.split()) for gold in normalized)


def _path_parts(path: str) -> tuple[str, ...]:
    parts = PurePosixPath(path.strip().replace("\\", "/")).parts
    return tuple(part for part in parts if part not in (".", "/"))


def source_matches(source: str, gold: str) -> bool:
    """Whether a retrieved source names the gold document.

    Either may be a bare file name, a relative path as ingested, or an absolute path: they
    match when the shorter one's path components are a suffix of the longer one's, so
    "seeds/000_x.txt", "/work/main/seeds/000_x.txt" and "000_x.txt" all name one file.
    """
    source_parts, gold_parts = _path_parts(source), _path_parts(gold)
    if not source_parts or not gold_parts:
        return False
    shorter, longer = sorted((source_parts, gold_parts), key=len)
    return longer[len(longer) - len(shorter) :] == shorter


def _distinct_relevance(ranked_sources: Sequence[str], gold_sources: Sequence[str]) -> list[bool]:
    # Several chunks of one document are one retrieved document: scores are document-level,
    # as in BEIR, so later repeats of a source are dropped before ranking.
    seen: set[str] = set()
    relevance = []
    for source in ranked_sources:
        if source in seen:
            continue
        seen.add(source)
        relevance.append(any(source_matches(source, gold) for gold in gold_sources))
    return relevance


def hit_at_k(ranked_sources: Sequence[str], gold_sources: Sequence[str], k: int) -> bool | None:
    """Whether a gold document is among the first k distinct retrieved sources; None without golds."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not gold_sources:
        return None
    return any(_distinct_relevance(ranked_sources, gold_sources)[:k])


def reciprocal_rank(ranked_sources: Sequence[str], gold_sources: Sequence[str]) -> float | None:
    """1/rank of the first gold document among distinct retrieved sources, 0.0 if absent; None without golds."""
    if not gold_sources:
        return None
    for rank, relevant in enumerate(_distinct_relevance(ranked_sources, gold_sources), start=1):
        if relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked_sources: Sequence[str], gold_sources: Sequence[str], k: int) -> float | None:
    """nDCG@k with binary relevance over distinct retrieved sources; None without golds.

    The ideal ranking puts every gold document first; gold names are deduplicated so that
    listing a document twice does not raise the bar.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not gold_sources:
        return None
    relevance = _distinct_relevance(ranked_sources, gold_sources)[:k]
    dcg = sum(1.0 / math.log2(rank + 1) for rank, relevant in enumerate(relevance, start=1) if relevant)
    ideal_hits = min(len(set(gold_sources)), k)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal_hits + 1))
    return dcg / ideal


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, as numpy's default; None if empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that apply (None entries are skipped); None if none apply."""
    present = [float(value) for value in values if value is not None]
    return sum(present) / len(present) if present else None


class AbstentionOutcome(NamedTuple):
    """One scored case: should the system have abstained, and did it."""

    should_abstain: bool
    abstained: bool


class AbstentionScores(NamedTuple):
    """Abstention quality; each field is None when it has no denominator."""

    precision: float | None  # share of abstentions that were right to abstain
    recall: float | None  # share of unanswerable cases that were abstained on
    wrong_answer_rate: float | None  # share of unanswerable cases that got an answer anyway


def abstention_scores(outcomes: Iterable[tuple[bool, bool]]) -> AbstentionScores:
    """Precision, recall and wrong-answer rate of abstaining, from (should_abstain, abstained) pairs.

    Retrieval-only cases have no gold answer but are not unanswerable: leave them out.
    """
    pairs = [AbstentionOutcome(*outcome) for outcome in outcomes]
    abstained = [pair for pair in pairs if pair.abstained]
    unanswerable = [pair for pair in pairs if pair.should_abstain]
    correct = sum(1 for pair in abstained if pair.should_abstain)
    answered_anyway = sum(1 for pair in unanswerable if not pair.abstained)
    return AbstentionScores(
        precision=correct / len(abstained) if abstained else None,
        recall=correct / len(unanswerable) if unanswerable else None,
        wrong_answer_rate=answered_anyway / len(unanswerable) if unanswerable else None,
    )


def over_abstention_rate(outcomes: Iterable[tuple[bool, bool]]) -> float | None:
    """Share of answerable cases on which the system abstained; None if there are none."""
    answerable = [AbstentionOutcome(*outcome) for outcome in outcomes if not outcome[0]]
    if not answerable:
        return None
    return sum(1 for pair in answerable if pair.abstained) / len(answerable)


def doc_scores(ranked_sources: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """Recall@5/@10, hit@5, MRR@10 and nDCG@10 of a ranked list of sources against the gold ones."""
    top10 = list(dict.fromkeys(ranked_sources))[:10]
    return {
        "recall@5": recall_at_k(ranked_sources, gold, 5), "recall@10": recall_at_k(ranked_sources, gold, 10),
        "hit@5": float(hit_at_k(ranked_sources, gold, 5)), "mrr@10": reciprocal_rank(top10, gold),
        "ndcg@10": ndcg_at_k(ranked_sources, gold, 10),
    }


def average(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: mean(r[key] for r in rows) for key in rows[0]}


def is_dev(case) -> bool:
    """The fixed dev share (one case in five, by a hash of its id) that benchmarks may tune on."""
    return int(hashlib.sha1(case.id.encode()).hexdigest(), 16) % 5 == 0


def recall_at_k(ranked_sources: Sequence[str], gold_sources: Sequence[str], k: int) -> float:
    """Share of the gold documents among the first k distinct retrieved sources."""
    distinct = list(dict.fromkeys(ranked_sources))[:k]
    golds = list(dict.fromkeys(gold_sources))
    return sum(any(source_matches(s, g) for s in distinct) for g in golds) / len(golds)

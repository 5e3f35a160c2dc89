"""Scores one answered case and aggregates many into the `docqa eval` summary (overall and by category).

Rules, stated once:

* answer metrics (contains-gold, exact match, token F1) apply to cases with gold answers; an
  abstention or an error there scores 0.
* abstention precision/recall/wrong-answer rate count answerable and unanswerable cases only;
  retrieval-only cases (BEIR, fitz-gov) are left out, but abstaining on one counts towards
  over-abstention, as it does on an answerable case.
* retrieval metrics apply where gold sources are given, over the distinct sources of the
  ranked passages (several chunks of one document are one hit).
* citation precision: of the answered cases with gold answers, the share where some cited
  span contains a gold answer; a gold "yes" or "no" is the answer's opening verdict instead, and its
  citation counts when the answer cites anything, as no source sentence says "yes" (the verifier's support
  score still judges whether the cited sentences back it). Citation support: of all citations of answered cases whose
  support was scored, the share with ``support >= SUPPORT_THRESHOLD``.
* latency is the answerer's own ``timings_ms`` (the extra ranking used for retrieval
  metrics is not timed); errored cases have none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.metrics import (
    POLARITIES,
    abstention_scores,
    answers_gold,
    contains_gold,
    exact_match,
    hit_at_k,
    mean,
    ndcg_at_k,
    normalize_answer,
    over_abstention_rate,
    percentile,
    reciprocal_rank,
    source_matches,
    token_f1,
)
from eval.questions import Case
from qa.verify import SUPPORT_THRESHOLD  # the verifier's own rule: one threshold, not two

RETRIEVAL_DEPTH = 10  # hit@10 and nDCG@10 need this many ranked passages
UNCATEGORIZED = "uncategorized"

ABSTAINED_ON_ANSWERABLE = "abstained on answerable"
ANSWERED_UNANSWERABLE = "answered unanswerable"
GOLD_NOT_IN_ANSWER = "gold not in answer"
GOLD_NOT_IN_CITATION = "gold not in cited span"
UNSUPPORTED_CITATION = "citation does not support its sentence"
GOLD_SOURCE_NOT_RETRIEVED = "gold source not retrieved"


@dataclass(frozen=True)
class CaseResult:
    """One case as answered and scored; `failures` says why it did not pass (empty: passed)."""

    case: Case
    answer: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]
    answer_sources: tuple[str, ...]  # sources of the passages the answerer was given, in rank order
    ranked_sources: tuple[str, ...]  # the ranking scored by the retrieval metrics (depth RETRIEVAL_DEPTH)
    timings_ms: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float | bool | None] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    error: str | None = None
    generator: str = ""
    confidence: float | None = None
    flags: tuple[str, ...] = ()
    query: str = ""  # the standalone query the answerer retrieved with (the follow-up rewritten)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def category(self) -> str:
        return self.case.category or UNCATEGORIZED

    def to_dict(self) -> dict[str, Any]:
        case = self.case
        return {
            "id": case.id,
            "question": case.question,
            "query": self.query,
            "category": case.category,
            "history": list(case.history),
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": list(self.citations),
            "gold": {"answers": list(case.answers), "sources": list(case.sources),
                     "unanswerable": case.unanswerable, "retrieval_only": case.retrieval_only},
            "retrieved_sources": _distinct(self.ranked_sources),
            "metrics": self.metrics,
            "passed": self.passed,
            "failures": list(self.failures),
            "error": self.error,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "generator": self.generator,
            "confidence": self.confidence,
            "flags": list(self.flags),
        }


def _distinct(sources: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sources))


def score_case(case: Case, *, answer: str, abstained: bool, citations: Sequence[dict[str, Any]],
               answer_sources: Sequence[str], ranked_sources: Sequence[str], timings_ms: dict[str, float] | None = None,
               error: str | None = None, generator: str = "", confidence: float | None = None,
               flags: Sequence[str] = (), short_answer: str | None = None, query: str = "") -> CaseResult:
    """Apply every metric that fits the case and name each reason it failed.

    Exact match and token F1 compare the short answer when the answerer gave one ("190-mile"), since the
    sentences after it are its evidence; answer-contains looks at the whole answer.
    """
    answered = not abstained and error is None
    prediction = answer if answered else ""  # the abstention text must not earn token overlap
    short = (short_answer or prediction) if answered else ""
    metrics: dict[str, float | bool | None] = {
        "contains": answers_gold(prediction, case.answers),
        "exact_match": exact_match(short, case.answers),
        "f1": token_f1(short, case.answers),
        "hit_at_1": hit_at_k(ranked_sources, case.sources, 1),
        "hit_at_5": hit_at_k(ranked_sources, case.sources, 5),
        "hit_at_10": hit_at_k(ranked_sources, case.sources, 10),
        "rr": reciprocal_rank(ranked_sources, case.sources),
        "ndcg_at_10": ndcg_at_k(ranked_sources, case.sources, 10),
        "citation_contains_gold": None,
        "citation_support": None,
    }
    if case.answers and answered:
        metrics["citation_contains_gold"] = _cites_gold(prediction, case.answers, citations)
    scored_support = [c["support"] for c in citations if c.get("support") is not None] if answered else []
    if scored_support:
        metrics["citation_support"] = sum(s >= SUPPORT_THRESHOLD for s in scored_support) / len(scored_support)

    failures: list[str] = [f"error: {error}"] if error else []
    if case.unanswerable and not abstained:
        failures.append(ANSWERED_UNANSWERABLE)
    if not case.unanswerable and abstained:
        failures.append(ABSTAINED_ON_ANSWERABLE)
    if case.answers and answered:
        if not metrics["contains"]:
            failures.append(GOLD_NOT_IN_ANSWER)
        elif not metrics["citation_contains_gold"]:
            failures.append(GOLD_NOT_IN_CITATION)
    if scored_support and min(scored_support) < SUPPORT_THRESHOLD:
        failures.append(UNSUPPORTED_CITATION)
    if case.sources and not any(source_matches(s, g) for s in answer_sources for g in case.sources):
        failures.append(GOLD_SOURCE_NOT_RETRIEVED)
    return CaseResult(
        case=case, answer=answer, abstained=abstained, citations=tuple(citations),
        answer_sources=tuple(answer_sources), ranked_sources=tuple(ranked_sources), timings_ms=dict(timings_ms or {}),
        metrics=metrics, failures=tuple(failures), error=error, generator=generator, confidence=confidence,
        flags=tuple(flags), query=query,
    )


def _cites_gold(answer: str, golds: Sequence[str], citations: Sequence[dict[str, Any]]) -> bool:
    """Whether a cited span holds a gold answer, or, for a gold yes or no, the cited answer gave that verdict."""
    facts = [gold for gold in golds if normalize_answer(gold) not in POLARITIES]
    if facts and any(contains_gold(c.get("text") or "", facts) for c in citations):
        return True
    verdicts = [gold for gold in golds if gold not in facts]
    return bool(citations and verdicts and answers_gold(answer, verdicts))


def _metric_mean(results: Sequence[CaseResult], name: str) -> float | None:
    return mean(r.metrics.get(name) for r in results)


def _latency(results: Sequence[CaseResult]) -> dict[str, dict[str, float | None]]:
    stages: dict[str, list[float]] = {}
    for result in results:
        for stage, ms in result.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
    return {stage: {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}
            for stage, values in sorted(stages.items())}


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def summarize_results(results: Sequence[CaseResult]) -> dict[str, Any]:
    """The metrics of a group of cases; every fraction is in [0, 1] and None where nothing applies."""
    scored = [r for r in results if not r.case.retrieval_only]
    abstention = abstention_scores((r.case.unanswerable, r.abstained) for r in scored)
    with_answers = [r for r in results if r.case.answers]
    answered_with_answers = [r for r in with_answers if not r.abstained and r.error is None]
    total = [r.timings_ms["total"] for r in results if "total" in r.timings_ms]
    summary: dict[str, Any] = {
        "n": len(results),
        "answerable": len(with_answers),
        "unanswerable": sum(r.case.unanswerable for r in results),
        "retrieval_only": sum(r.case.retrieval_only for r in results),
        "errors": sum(r.error is not None for r in results),
        "pass_rate": mean(r.passed for r in results),
        "answer_contains": _metric_mean(results, "contains"),
        "exact_match": _metric_mean(results, "exact_match"),
        "f1": _metric_mean(results, "f1"),
        "contains_when_answered": _metric_mean(answered_with_answers, "contains"),
        "abstain_precision": abstention.precision,
        "abstain_recall": abstention.recall,
        "wrong_answer_rate": abstention.wrong_answer_rate,
        "over_abstention": over_abstention_rate((r.case.unanswerable, r.abstained) for r in results),
        "hit_at_1": _metric_mean(results, "hit_at_1"),
        "hit_at_5": _metric_mean(results, "hit_at_5"),
        "hit_at_10": _metric_mean(results, "hit_at_10"),
        "mrr": _metric_mean(results, "rr"),
        "ndcg_at_10": _metric_mean(results, "ndcg_at_10"),
        "citation_precision": _metric_mean(results, "citation_contains_gold"),
        "citation_support": _citation_support(results),
        "latency_p50_ms": percentile(total, 50),
        "latency_p95_ms": percentile(total, 95),
    }
    return _round(summary)


def _citation_support(results: Sequence[CaseResult]) -> float | None:
    # Pooled over citations rather than averaged per case, so a case with many citations weighs more.
    supports = [c["support"] for r in results if not r.abstained and r.error is None
                for c in r.citations if c.get("support") is not None]
    return sum(s >= SUPPORT_THRESHOLD for s in supports) / len(supports) if supports else None


def failure_counts(results: Sequence[CaseResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        for reason in result.failures:
            key = "error" if reason.startswith("error:") else reason
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def flag_counts(results: Sequence[CaseResult]) -> dict[str, int]:
    """How often the answerer raised each flag (e.g. fell-back-to-extractive), parameters such as scores dropped."""
    counts: dict[str, int] = {}
    for result in results:
        for flag in dict.fromkeys(re.sub(r"\(.*\)$", "", flag) for flag in result.flags):
            counts[flag] = counts.get(flag, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def summarize(results: Sequence[CaseResult], **context: Any) -> dict[str, Any]:
    """The full summary: overall metrics, `context` (set, generator, k...), latency by stage, by category."""
    by_category: dict[str, list[CaseResult]] = {}
    for result in results:
        by_category.setdefault(result.category, []).append(result)
    return {
        **summarize_results(results),
        **context,
        "latency_ms": _round(_latency(results)),
        "failures": failure_counts(results),
        "flags": flag_counts(results),
        "by_category": {name: summarize_results(group) for name, group in sorted(by_category.items())},
    }


"""Tunes the abstention weights and threshold of the extractive answerer on a dev set (never on a test set).

    python -m eval.calibrate                      # eval/sets/abstain_dev.jsonl over seeds/, prints the result
    python -m eval.calibrate --write              # ... and writes qa/calibration.json, read by AbstainPolicy
    python -m eval.calibrate --set eval/sets/abstain_dev.jsonl --docs seeds \
        --set eval/sets/conversations_dev.jsonl --docs eval/sets/conversations_corpus --write   # several dev sets

Every case is retrieved and scored once, recording the evidence of each candidate span; then a small
grid of weights and every useful threshold are replayed over those records, keeping the setting that
maximises balanced accuracy (answerable cases answered correctly, unanswerable cases abstained on).
The threshold is the midpoint of the best interval, so it does not sit on one dev case's score.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eval.metrics import contains_gold
from eval.questions import Case, load_question_set
from qa.abstain import CALIBRATION_FILE, AbstainPolicy, Evidence
from qa.selection import Candidate, Selector

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "eval" / "sets" / "abstain_dev.jsonl"
TEST_SETS = ("seeds.jsonl",)  # the regression gate; with every *_test.jsonl split, never tuned on


def is_test_set(path: Path) -> bool:
    """Whether `path` is a test split (any *_test.jsonl, including ones added after this was written) or the gate."""
    return path.name in TEST_SETS or path.name.endswith("_test.jsonl")

GRID = {
    "similarity": (0.15, 0.3, 0.45),
    "overlap": (0.15, 0.25, 0.35, 0.45),
    "entities": (0.0, 0.1, 0.2),
    "type": (0.05, 0.1, 0.15),
    "cross": (0.0, 0.2, 0.4, 0.6, 0.8),  # the cross-encoder's relevance of the span's sentence
    "relation": (0.0, 0.1, 0.2, 0.3),  # the share of the question's relation words in the sentence
}


@dataclass(frozen=True)
class Record:
    """One dev case: its candidates' evidence, or the reason it abstains before any scoring."""

    case: Case
    candidates: tuple[tuple[str, str, Evidence, bool, bool], ...]  # (span text, sentence as answered, evidence,
    # is a clause, read after a lead sentence)
    early_abstain: str | None


def collect(docs: Path, set_path: Path) -> list[Record]:
    """Retrieve and score every case once with the real model, in a throwaway index over `docs`."""
    from qa.api import DocQA
    from qa.generate import GenerationRequest
    from qa.generators.spans import cross_reading
    from qa.models import Answer

    cases = load_question_set(set_path).cases
    base = Path(tempfile.mkdtemp(prefix="docqa-calibrate-"))
    try:
        docqa = DocQA.open(index=base / "index")
        docqa.ingest([docs])
        generator = docqa.generator("extractive")  # with DocQA's cross-encoder, as `docqa ask` answers
        records = []
        for case in cases:
            history = list(case.history)
            query = docqa.standalone_query(case.question, history)
            passages = docqa.retriever.retrieve(query)
            scored = generator.candidates(GenerationRequest(case.question, query, tuple(passages), tuple(history)))
            early = scored.flags[0] if isinstance(scored, Answer) else None
            records.append(Record(case, () if early else tuple(
                (span.text, cross_reading(span), e, span.text != span.sentence, bool(span.lead)) for span, e, _ in scored),
                early))
        docqa.close()
        return records
    finally:
        shutil.rmtree(base, ignore_errors=True)


def replay(records: list[Record], policy: AbstainPolicy, selector: Selector | None = None
           ) -> list[tuple[float | None, bool, bool]]:
    """Per case: (best score or None if abstained early, answerable, chosen span carries a gold answer).
    The span is chosen as the answerer chooses it: by `selector` when there is one, else by the policy's score."""
    out = []
    for record in records:
        answerable = not record.case.unanswerable
        if record.early_abstain or not record.candidates:
            out.append((None, answerable, False))
            continue
        scored = [(policy.score(e) - 0.0004 * len(text.split()), sentence, e)
                  for text, sentence, e, _, _ in record.candidates]
        score, sentence, evidence = max(scored, key=lambda item: item[0])
        if selector is not None:  # the selector picks the sentence; the confidence stays the best score
            _, sentence, evidence = scored[selector.choose(candidates_of(record))]
        if policy.abstain(evidence, float("inf")):  # a hard rule (unknown entity, wrong answer type)
            out.append((None, answerable, False))
            continue
        # The answer shows the whole sentence (the short answer is part of it): gold must be in it.
        out.append((score, answerable, bool(contains_gold(sentence, record.case.answers)) if answerable else False))
    return out


def candidates_of(record: Record) -> list[Candidate]:
    return [Candidate(text, clause, lead, evidence) for text, _, evidence, clause, lead in record.candidates]


def balanced_accuracy(outcomes: list[tuple[float | None, bool, bool]], threshold: float) -> float:
    answerable = [o for o in outcomes if o[1]]
    unanswerable = [o for o in outcomes if not o[1]]
    right = sum(1 for score, _, gold in answerable if score is not None and score >= threshold and gold)
    abstained = sum(1 for score, _, _ in unanswerable if score is None or score < threshold)
    parts = [right / len(answerable)] if answerable else []
    parts += [abstained / len(unanswerable)] if unanswerable else []
    return sum(parts) / len(parts) if parts else 0.0


def best_threshold(outcomes: list[tuple[float | None, bool, bool]], max_over_abstention: float = 1.0
                   ) -> tuple[float, float]:
    """(threshold, balanced accuracy): the midpoint of the widest best-scoring interval between case scores,
    among thresholds that abstain on at most `max_over_abstention` of the answerable cases."""
    scores = sorted({round(s, 6) for s, _, _ in outcomes if s is not None})
    if not scores:
        return 0.5, balanced_accuracy(outcomes, 0.5)
    cuts = [scores[0] - 0.05] + [(a + b) / 2 for a, b in zip(scores, scores[1:])] + [scores[-1] + 0.05]
    cuts = [cut for cut in cuts if over_abstention(outcomes, cut) <= max_over_abstention] or cuts[:1]
    results = [(balanced_accuracy(outcomes, cut), cut) for cut in cuts]
    top = max(value for value, _ in results)
    winners = [cut for value, cut in results if value == top]
    return (winners[0] + winners[-1]) / 2, top


def over_abstention(outcomes: list[tuple[float | None, bool, bool]], threshold: float) -> float:
    answerable = [o for o in outcomes if o[1]]
    return sum(1 for s, _, _ in answerable if s is None or s < threshold) / len(answerable) if answerable else 0.0


def calibrate(records: list[Record], max_over_abstention: float = 1.0, selector: Selector | None = None) -> dict:
    best = None
    for weights in itertools.product(*GRID.values()):
        outcomes = replay(records, AbstainPolicy(threshold=0.0, weights=weights), selector)
        threshold, value = best_threshold(outcomes, max_over_abstention)
        # Ties go to weights nearest the hand-set defaults, so a flat dev set does not move them at random.
        distance = sum(abs(w - d) for w, d in zip(weights, AbstainPolicy().weights))
        key = (round(value, 6), -distance)
        if best is None or key > best[0]:
            best = (key, weights, threshold, value)
    assert best is not None
    _, weights, threshold, value = best
    return {"threshold": round(threshold, 4), "weights": list(weights), "balanced_accuracy": round(value, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", help="dev question set (docqa JSONL); repeatable")
    parser.add_argument("--docs", type=Path, action="append", help="documents the matching --set asks about")
    parser.add_argument("--write", action="store_true", help=f"write the result to {CALIBRATION_FILE}")
    parser.add_argument("--max-over-abstention", type=float, default=0.10,
                        help="abstain on at most this share of the answerable dev cases (a chat that refuses "
                        "answerable questions loses its users faster than one that is sometimes wrong)")
    parser.add_argument("--cache", type=Path, help="keep the scored candidates in this pickle and reuse them "
                        "(delete it after changing the answerer)")
    args = parser.parse_args(argv)
    sets, docs = args.set or [DEV_SET], args.docs or [ROOT / "seeds"]
    if len(sets) != len(docs):
        parser.error("give one --docs per --set")
    for path in sets:
        if is_test_set(path):
            parser.error(f"{path} is a test set: calibrate on a dev set such as {DEV_SET.name}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.cache and args.cache.exists():
        records = pickle.loads(args.cache.read_bytes())
    else:
        records = [record for path, folder in zip(sets, docs) for record in collect(folder, path)]
        if args.cache:
            args.cache.write_bytes(pickle.dumps(records))
    result = {**calibrate(records, args.max_over_abstention, Selector.load()), "max_over_abstention": args.max_over_abstention, "set": " + ".join(p.name for p in sets), "cases": len(records)}
    print(json.dumps(result, indent=2))
    if args.write:
        CALIBRATION_FILE.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

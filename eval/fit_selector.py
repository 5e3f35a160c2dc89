"""Fits the answerer's sentence selector (qa/selection.json) on dev sets and checks it on sets it never saw.

    python -m eval.fit_selector \
        --set eval/sets/conversations_dev.jsonl --docs eval/sets/conversations_corpus \
        --set eval/sets/abstain_dev.jsonl --docs seeds \
        --check eval/sets/seeds.jsonl --check-docs seeds --write

Each case's candidate spans are collected once, as the answerer shortlists them; a span is gold when the
sentence it answers with contains a gold answer. Each training set is also scored by a selector fitted on the
other training sets, and every --check set by the selector fitted on all of them, beside the policy ranking
the answerer uses without a selector: numbers from sets the fit did not see. Test splits are refused.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from pathlib import Path

from eval.calibrate import Record, candidates_of, collect, is_test_set
from eval.metrics import contains_gold
from qa.abstain import AbstainPolicy
from qa.selection import FEATURES, SELECTION_FILE, Selector, fit
from qa.settings import Settings

L2 = 0.01  # the best cross-fit of the dev sets among 0.001-0.1 (ties to the stronger shrinkage)


def labelled(records: list[Record]) -> list[tuple[list, list[bool]]]:
    return [(candidates_of(r), [bool(contains_gold(c[1], r.case.answers)) for c in r.candidates])
            for r in records if not r.case.unanswerable and r.candidates]


def top1(records: list[Record], selector: Selector | None) -> tuple[int, int]:
    """(answerable cases whose chosen span's sentence holds a gold answer, answerable cases)."""
    policy, right, total = AbstainPolicy.default(Settings()), 0, 0
    for record in records:
        if record.case.unanswerable:
            continue
        total += 1
        if not record.candidates:
            continue
        if selector is not None:
            chosen = record.candidates[selector.choose(candidates_of(record))]
        else:
            chosen = max(record.candidates, key=lambda c: policy.score(c[2]) - 0.0004 * len(c[0].split()))
        right += bool(contains_gold(chosen[1], record.case.answers))
    return right, total


def report(train: dict[str, list[Record]], checks: dict[str, list[Record]], l2: float) -> dict:
    out: dict[str, dict] = {}
    for name, records in train.items():
        others = [r for other, rs in train.items() if other != name for r in rs]
        if others:
            out[name] = {"cross_fit": top1(records, fit(labelled(others), l2)), "policy": top1(records, None)}
    everything = fit(labelled([r for rs in train.values() for r in rs]), l2)
    for name, records in checks.items():
        out[name] = {"unseen": top1(records, everything), "policy": top1(records, None)}
    return {"selector": everything, "checks": out}


def _load(sets: list[Path], docs: list[Path], cache: Path | None, checking: bool = False) -> dict[str, list[Record]]:
    out = {}
    for path, folder in zip(sets, docs):
        # The seed set is a regression gate, so it may check a fit but not feed one; test splits do neither.
        if is_test_set(path) and not (checking and path.name == "seeds.jsonl"):
            raise SystemExit(f"{path} is a test split or the regression gate: fit on dev sets")
        stored = cache / f"{path.stem}.pkl" if cache else None
        if stored and stored.exists():
            out[path.stem] = pickle.loads(stored.read_bytes())
            continue
        out[path.stem] = collect(folder, path)
        if stored:
            stored.write_bytes(pickle.dumps(out[path.stem]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", required=True, help="dev set to fit on; repeatable")
    parser.add_argument("--docs", type=Path, action="append", required=True, help="documents of the matching --set")
    parser.add_argument("--check", type=Path, action="append", default=[], help="set scored but never fitted on")
    parser.add_argument("--check-docs", type=Path, action="append", default=[], help="documents of each --check")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--cache", type=Path, help="folder keeping collected candidates between runs")
    parser.add_argument("--write", action="store_true", help=f"write {SELECTION_FILE}")
    args = parser.parse_args(argv)
    if len(args.set) != len(args.docs) or len(args.check) != len(args.check_docs):
        parser.error("give one --docs per --set and one --check-docs per --check")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    result = report(_load(args.set, args.docs, args.cache), _load(args.check, args.check_docs, args.cache, checking=True), args.l2)
    selector: Selector = result["selector"]
    summary = {"weights": dict(zip(FEATURES, (round(w, 4) for w in selector.weights))), "l2": args.l2,
               "sets": [p.name for p in args.set], "checks": result["checks"]}
    print(json.dumps(summary, indent=2))
    if args.write:
        SELECTION_FILE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {SELECTION_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

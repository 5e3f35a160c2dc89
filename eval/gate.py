"""The CI gate: runs a question set and fails, naming each metric, when a summary value crosses its committed threshold.

eval/thresholds.json holds the set, the corpus to ingest, the generator and k it was measured
with, and ``minimum`` / ``maximum`` values per summary key. Paths in it are relative to the
file's own folder. Usage::

    python -m eval.gate                      # fresh temp index: ingest the corpus, run, compare
    python -m eval.gate --index .docqa       # run against an existing index instead
    python -m eval.gate --write --margin 0.05  # re-measure and rewrite the thresholds

Exit status: 0 when every metric holds, 1 when any crossed its threshold, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import DocQAError

if TYPE_CHECKING:
    from eval.runner import EvalRun
    from qa.api import DocQA

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"
# Higher is better for these; a new thresholds file guards them from below.
DEFAULT_MINIMUM = ("answer_contains", "f1", "contains_when_answered", "abstain_precision", "abstain_recall",
                   "hit_at_1", "hit_at_5", "mrr", "ndcg_at_10", "citation_precision", "citation_support", "pass_rate")
# Lower is better for these.
DEFAULT_MAXIMUM = ("wrong_answer_rate", "over_abstention")


class ThresholdsError(DocQAError, ValueError):
    """A thresholds file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Thresholds:
    """Committed limits for one set, generator and k; `folder` anchors the relative paths."""

    path: Path
    set: str
    corpus: tuple[str, ...] = ()
    generator: str = "extractive"
    k: int | None = None
    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    @property
    def set_path(self) -> Path:
        return (self.folder / self.set).resolve()

    @property
    def corpus_paths(self) -> list[Path]:
        return [(self.folder / p).resolve() for p in self.corpus]


def load_thresholds(path: Path) -> Thresholds:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ThresholdsError(f"{path}: cannot read ({error.strerror or error})") from error
    except json.JSONDecodeError as error:
        raise ThresholdsError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error
    if not isinstance(data, dict) or not isinstance(data.get("set"), str):
        raise ThresholdsError(f"{path}: field 'set' must name a question set (relative to the file's folder)")
    limits: dict[str, dict[str, float]] = {}
    for kind in ("minimum", "maximum"):
        values = data.get(kind, {})
        if not isinstance(values, dict) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in values.values()):
            raise ThresholdsError(f"{path}: field {kind!r} must map summary keys to numbers")
        limits[kind] = {key: float(value) for key, value in values.items()}
    if not limits["minimum"] and not limits["maximum"]:
        raise ThresholdsError(f"{path}: no 'minimum' or 'maximum' thresholds to check")
    corpus = data.get("corpus", [])
    if not isinstance(corpus, list) or not all(isinstance(p, str) for p in corpus):
        raise ThresholdsError(f"{path}: field 'corpus' must be a list of paths")
    k = data.get("k")
    if k is not None and (not isinstance(k, int) or k < 1):
        raise ThresholdsError(f"{path}: field 'k' must be a positive integer or null")
    return Thresholds(path, data["set"], tuple(corpus), str(data.get("generator") or "extractive"), k,
                      limits["minimum"], limits["maximum"])


def check(summary: Mapping[str, Any], thresholds: Thresholds) -> list[str]:
    """One message per metric that crossed its threshold (or could not be measured); empty when all hold."""
    problems = []
    for kind, limits in (("minimum", thresholds.minimum), ("maximum", thresholds.maximum)):
        for key, limit in limits.items():
            value = summary.get(key)
            sign = ">=" if kind == "minimum" else "<="
            if not isinstance(value, (int, float)):
                problems.append(f"{key}: no value (the run had no case it applies to), needs {sign} {limit}")
            elif (value < limit) if kind == "minimum" else (value > limit):
                problems.append(f"{key} = {value:.4f} {'below minimum' if kind == 'minimum' else 'above maximum'} {limit}")
    return problems


def run_gate_set(docqa: DocQA, thresholds: Thresholds, *, ingest_corpus: bool = True, progress: bool = False) -> EvalRun:
    """Run the thresholds' set with their generator and k, ingesting their corpus first."""
    from eval.runner import evaluate

    corpus = thresholds.corpus_paths if ingest_corpus else []
    return evaluate(docqa, thresholds.set_path, generator=thresholds.generator, k=thresholds.k, ingest=corpus,
                    progress=progress)


def remeasured(thresholds: Thresholds, summary: Mapping[str, Any], margin: float) -> dict[str, Any]:
    """A new thresholds document: each limit `margin` away from the measured value, on the safe side."""
    minimum_keys = dict.fromkeys([*DEFAULT_MINIMUM, *thresholds.minimum])
    maximum_keys = dict.fromkeys([*DEFAULT_MAXIMUM, *thresholds.maximum])
    measured = {key: summary.get(key) for key in [*minimum_keys, *maximum_keys]}
    # A minimum of 0 guards nothing, so such metrics are left out; rounding is to the safe side.
    minimum = {key: math.floor((value - margin) * 100) / 100 for key in minimum_keys
               if isinstance(value := summary.get(key), (int, float)) and value - margin > 0}
    maximum = {key: min(1.0, math.ceil((value + margin) * 100) / 100) for key in maximum_keys
               if isinstance(value := summary.get(key), (int, float))}
    return {
        "about": "Minimum/maximum summary values of `docqa eval` on this set; checked by `python -m eval.gate` "
                 f"and tests/test_eval_gate.py. Re-measure: python -m eval.gate --write --margin {margin}",
        "set": thresholds.set, "corpus": list(thresholds.corpus), "generator": thresholds.generator,
        "k": thresholds.k, "margin": margin, "minimum": minimum, "maximum": maximum,
        "measured": measured,
    }


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.gate", description=__doc__.split("\n")[0])
    parser.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS, help="thresholds JSON file")
    parser.add_argument("--set", dest="set_path", type=Path, help="question set (default: the thresholds' set)")
    parser.add_argument("--index", type=Path, help="existing index to run against (default: a fresh temp index)")
    parser.add_argument("--collection", help="Chroma collection of --index")
    parser.add_argument("--write", action="store_true", help="re-measure and rewrite the thresholds file")
    parser.add_argument("--margin", type=float, default=0.05, help="distance of new thresholds from the measurement")
    parser.add_argument("--json", action="store_true", help="print the summary and problems as one JSON object")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = _parse(argv)
    from qa.api import DocQA

    try:
        thresholds = load_thresholds(args.thresholds)
        if args.set_path is not None:
            thresholds = Thresholds(thresholds.path, str(args.set_path.resolve()), thresholds.corpus,
                                    thresholds.generator, thresholds.k, thresholds.minimum, thresholds.maximum)
        with tempfile.TemporaryDirectory(prefix="docqa-gate-") as scratch:
            index = args.index or Path(scratch) / "index"
            with DocQA.open(index=index, collection=args.collection) as docqa:
                run = run_gate_set(docqa, thresholds, ingest_corpus=args.index is None, progress=not args.json)
    except DocQAError as error:
        print(f"eval.gate: {error}", file=sys.stderr)
        return 2
    problems = [] if args.write else check(run.summary, thresholds)
    if args.json:
        print(json.dumps({"passed": not problems, "problems": problems, "summary": run.summary}))
    else:
        from eval.report import summary_text

        print(summary_text(run.summary))
    if args.write:
        document = remeasured(thresholds, run.summary, args.margin)
        thresholds.path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {thresholds.path}: minimum {document['minimum']}, maximum {document['maximum']}", file=sys.stderr)
        return 0
    for problem in problems:
        print(f"GATE FAILED: {problem}", file=sys.stderr)
    if not problems:
        print(f"gate passed: {len(thresholds.minimum) + len(thresholds.maximum)} metrics within "
              f"{thresholds.path.name}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

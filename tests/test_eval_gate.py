"""The CI gate: eval/sets/seeds.jsonl with the extractive answerer must stay within eval/thresholds.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import eval.gate as gate
from eval.gate import DEFAULT_THRESHOLDS, Thresholds, ThresholdsError, check, load_thresholds, remeasured

ROOT = Path(__file__).resolve().parent.parent


def _thresholds(tmp_path: Path, **fields) -> Path:
    document = {"set": "seeds.jsonl", "minimum": {"answer_contains": 0.5}, **fields}
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# --- fast: the file format and the comparison -----------------------------------------------


def test_committed_thresholds_point_at_the_seed_set_and_corpus():
    thresholds = load_thresholds(DEFAULT_THRESHOLDS)
    assert thresholds.set_path == ROOT / "eval" / "sets" / "seeds.jsonl"
    assert thresholds.corpus_paths == [ROOT / "seeds"] and thresholds.generator == "extractive"
    assert thresholds.minimum and all(0 < v <= 1 for v in thresholds.minimum.values())


def test_check_names_each_metric_below_minimum_above_maximum_or_missing(tmp_path):
    thresholds = load_thresholds(_thresholds(
        tmp_path, minimum={"answer_contains": 0.6, "mrr": 0.9, "abstain_recall": 0.5}, maximum={"wrong_answer_rate": 0.2}))
    summary = {"answer_contains": 0.55, "mrr": 0.95, "abstain_recall": None, "wrong_answer_rate": 0.3}
    assert check(summary, thresholds) == [
        "answer_contains = 0.5500 below minimum 0.6",
        "abstain_recall: no value (the run had no case it applies to), needs >= 0.5",
        "wrong_answer_rate = 0.3000 above maximum 0.2",
    ]
    assert check({"answer_contains": 0.6, "mrr": 0.9, "abstain_recall": 0.5, "wrong_answer_rate": 0.2}, thresholds) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"minimum": {"f1": 0.1}}', "field 'set'"),
        ('{"set": "s.jsonl", "minimum": {"f1": "high"}}', "field 'minimum' must map summary keys to numbers"),
        ('{"set": "s.jsonl"}', "no 'minimum' or 'maximum'"),
        ('{"set": "s.jsonl", "minimum": {"f1": 0.1}, "k": 0}', "field 'k'"),
    ],
)
def test_bad_thresholds_files_are_refused_by_name(tmp_path, content, message):
    path = tmp_path / "t.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ThresholdsError, match=message) as error:
        load_thresholds(path)
    assert str(path) in str(error.value)


def test_remeasured_thresholds_sit_a_margin_on_the_safe_side(tmp_path):
    thresholds = load_thresholds(_thresholds(tmp_path))
    summary = {"answer_contains": 0.7423, "f1": 0.03, "mrr": 1.0, "wrong_answer_rate": 0.2778, "over_abstention": 0.98,
               "abstain_recall": None}
    document = remeasured(thresholds, summary, 0.05)
    assert document["minimum"] == {"answer_contains": 0.69, "mrr": 0.95}  # f1 - margin <= 0 guards nothing
    assert document["maximum"] == {"wrong_answer_rate": 0.33, "over_abstention": 1.0}
    assert document["measured"]["answer_contains"] == 0.7423 and document["set"] == "seeds.jsonl"


# --- slow: the real seed set, run once for the whole module ------------------------------------


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, embedder):
    """The committed gate's set, answered once over a fresh temp index with the session's model."""
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("gate")
    thresholds = load_thresholds(DEFAULT_THRESHOLDS)
    docqa = DocQA.open(index=base / "index")
    docqa._embedder = embedder
    try:
        yield gate.run_gate_set(docqa, thresholds)
    finally:
        docqa.close()


@pytest.mark.slow
def test_seed_set_passes_the_committed_gate(seed_run):
    thresholds = load_thresholds(DEFAULT_THRESHOLDS)
    assert seed_run.summary["n"] == 70 and seed_run.summary["generator"] == thresholds.generator
    assert seed_run.ingest is not None and seed_run.ingest.failed == 0
    assert check(seed_run.summary, thresholds) == []


@pytest.mark.slow
def test_gate_fails_naming_the_metric_when_a_threshold_is_raised_above_the_measurement(seed_run, tmp_path, monkeypatch,
                                                                                      capsys):
    committed = json.loads(DEFAULT_THRESHOLDS.read_text("utf-8"))
    metric = next(iter(committed["minimum"]))
    measured = seed_run.summary[metric]
    raised = {**committed, "set": str(DEFAULT_THRESHOLDS.parent / committed["set"]), "corpus": [],
              "minimum": {**committed["minimum"], metric: round(measured + 0.01, 4)}}
    path = tmp_path / "raised.json"
    path.write_text(json.dumps(raised), encoding="utf-8")
    assert check(seed_run.summary, load_thresholds(path)) == [
        f"{metric} = {measured:.4f} below minimum {round(measured + 0.01, 4)}"]

    # The command line exits non-zero and names the metric; it reuses this module's run, not a second one.
    monkeypatch.setattr(gate, "run_gate_set", lambda docqa, thresholds, **options: seed_run)
    assert gate.main(["--thresholds", str(path), "--index", str(tmp_path / "unused")]) == 1
    assert f"GATE FAILED: {metric} = {measured:.4f} below minimum" in capsys.readouterr().err
    assert gate.main(["--thresholds", str(DEFAULT_THRESHOLDS), "--index", str(tmp_path / "unused"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["passed"] and printed["summary"]["n"] == 70


@pytest.mark.slow
def test_gate_write_rewrites_thresholds_from_the_measurement(seed_run, tmp_path, monkeypatch):
    path = tmp_path / "thresholds.json"
    shutil.copy(DEFAULT_THRESHOLDS, path)
    monkeypatch.setattr(gate, "run_gate_set", lambda docqa, thresholds, **options: seed_run)
    assert gate.main(["--thresholds", str(path), "--index", str(tmp_path / "unused"), "--write", "--margin", "0.1"]) == 0
    rewritten = load_thresholds(path)
    assert isinstance(rewritten, Thresholds) and rewritten.set == load_thresholds(DEFAULT_THRESHOLDS).set
    assert rewritten.minimum and check(seed_run.summary, rewritten) == []
    for key, limit in rewritten.minimum.items():
        assert seed_run.summary[key] - 0.11 - 1e-9 <= limit <= seed_run.summary[key] - 0.1 + 1e-9

"""Tests of `docqa eval`: case scoring and failure reasons, summaries, reports, and the command end to end."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from eval.questions import Case
from eval.report import summary_text, write_report
from eval.runner import EvalProgress, evaluate
from eval.scoring import (
    ABSTAINED_ON_ANSWERABLE,
    ANSWERED_UNANSWERABLE,
    GOLD_NOT_IN_ANSWER,
    GOLD_NOT_IN_CITATION,
    GOLD_SOURCE_NOT_RETRIEVED,
    UNSUPPORTED_CITATION,
    score_case,
    summarize,
)
from qa.errors import ConfigurationError, DocQAError
from qa.models import ABSTAIN_TEXT, Answer, Chunk, Citation, Passage

ROOT = Path(__file__).resolve().parent.parent
SEEDS_SET = ROOT / "eval" / "sets" / "seeds.jsonl"
REQUIRED_KEYS = {"n", "answerable", "unanswerable", "answer_contains", "exact_match", "f1", "abstain_precision",
                 "abstain_recall", "hit_at_1", "hit_at_5", "mrr", "ndcg_at_10", "citation_precision",
                 "latency_p50_ms", "latency_p95_ms"}
FRACTIONS = REQUIRED_KEYS - {"n", "answerable", "unanswerable", "latency_p50_ms", "latency_p95_ms"}


def _score(case: Case, answer: str = "", abstained: bool = False, cited: tuple[str, ...] = (), support: float = 1.0,
           sources: tuple[str, ...] = ("docs/a.txt",), **extra):
    citations = [{"n": i, "source": sources[0] if sources else "x", "start": 0, "end": len(t), "text": t,
                  "support": support} for i, t in enumerate(cited, 1)]
    return score_case(case, answer=answer, abstained=abstained, citations=citations, answer_sources=sources,
                      ranked_sources=sources, timings_ms={"total": 10.0, "retrieve": 4.0, "answer": 6.0}, **extra)


KURSK = Case("q1", "Which region?", answers=("Kursk",), sources=("a.txt",), category="fact")
NOTHING = Case("q2", "Who won the 1998 cup?", category="unanswerable")
ONLY_RETRIEVAL = Case("q3", "kursk offensive", sources=("b.txt",), retrieval_only=True)


# --- scoring one case ------------------------------------------------------------------


def test_correct_cited_answer_passes_with_every_metric():
    result = _score(KURSK, "Ukraine may strike in Kursk. [1]", cited=("Ukraine may strike in Kursk.",),
                    sources=("docs/a.txt", "docs/b.txt"))
    assert result.passed, result.failures
    assert result.metrics["contains"] is True and result.metrics["exact_match"] is False
    assert 0 < result.metrics["f1"] < 1
    assert result.metrics["hit_at_1"] is True and result.metrics["rr"] == 1.0
    assert result.metrics["citation_contains_gold"] is True and result.metrics["citation_support"] == 1.0


@pytest.mark.parametrize(
    ("case", "kwargs", "reasons"),
    [
        (KURSK, {"answer": ABSTAIN_TEXT, "abstained": True}, [ABSTAINED_ON_ANSWERABLE]),
        (NOTHING, {"answer": "France won. [1]", "cited": ("France won.",)}, [ANSWERED_UNANSWERABLE]),
        (KURSK, {"answer": "It is Belgorod. [1]", "cited": ("It is Belgorod.",)}, [GOLD_NOT_IN_ANSWER]),
        (KURSK, {"answer": "Kursk [1]", "cited": ("Some other sentence.",)}, [GOLD_NOT_IN_CITATION]),
        (KURSK, {"answer": "Kursk [1]", "cited": ("In Kursk.",), "support": 0.2}, [UNSUPPORTED_CITATION]),
        (KURSK, {"answer": "Kursk [1]", "cited": ("In Kursk.",), "sources": ("docs/z.txt",)},
         [GOLD_SOURCE_NOT_RETRIEVED]),
        (ONLY_RETRIEVAL, {"answer": ABSTAIN_TEXT, "abstained": True, "sources": ("c.txt",)},
         [ABSTAINED_ON_ANSWERABLE, GOLD_SOURCE_NOT_RETRIEVED]),
        (NOTHING, {"answer": ABSTAIN_TEXT, "abstained": True}, []),
    ],
)
def test_each_failure_is_named(case, kwargs, reasons):
    assert list(_score(case, **kwargs).failures) == reasons


SPIELBERG = Case("q4", "Were Spielberg and Anderson both born in Texas?", answers=("no",), category="fact")
VEGETARIAN = Case("q5", "Is Dev a vegetarian?", answers=("yes", "vegetarian"), category="fact")


@pytest.mark.parametrize(
    ("case", "answer", "cited", "reasons"),
    [
        # no source sentence says "no": the cited verdict passes, the cited evidence is judged by its support
        (SPIELBERG, "No. Spielberg was born in Ohio [1].", ("Spielberg was born in Ohio.",), []),
        (SPIELBERG, "No. Spielberg was born in Ohio.", (), [GOLD_NOT_IN_CITATION]),  # a verdict citing nothing
        # the verdict is the answer's first word, not any "no" in its evidence
        (SPIELBERG, "Yes. He had no doubt it was Texas [1].", ("He had no doubt it was Texas.",), [GOLD_NOT_IN_ANSWER]),
        (SPIELBERG, "There is no record of it [1].", ("There is no record of it.",), [GOLD_NOT_IN_ANSWER]),
        (VEGETARIAN, "Yes. Dev eats meat [1].", ("Dev eats meat.",), []),
        (VEGETARIAN, "Dev is a vegetarian [1].", ("Dev is a vegetarian.",), []),  # the fact gold, cited
        (VEGETARIAN, "No. Dev eats meat [1].", ("Dev eats meat.",), [GOLD_NOT_IN_ANSWER]),
    ],
)
def test_a_yes_or_no_gold_is_the_answers_verdict_backed_by_a_citation(case, answer, cited, reasons):
    result = _score(case, answer, cited=cited)
    assert list(result.failures) == reasons
    assert result.metrics["contains"] is (GOLD_NOT_IN_ANSWER not in reasons)


def test_abstention_earns_no_answer_credit_even_if_it_shares_words_with_gold():
    case = Case("q", "Where is it?", answers=("in the documents",))
    result = _score(case, ABSTAIN_TEXT, abstained=True)
    assert result.metrics["contains"] is False and result.metrics["f1"] == 0.0
    assert result.metrics["citation_contains_gold"] is None  # only answered cases are cited


def test_unscored_support_is_left_out_rather_than_counted():
    result = _score(KURSK, "Kursk [1]", cited=("Kursk.",), support=None)
    assert result.metrics["citation_support"] is None and UNSUPPORTED_CITATION not in result.failures


# --- summaries ---------------------------------------------------------------------------


def test_summary_counts_and_rules_on_a_hand_computed_mix():
    results = [
        _score(KURSK, "Kursk [1]", cited=("In Kursk.",)),  # right
        _score(KURSK, ABSTAIN_TEXT, abstained=True),  # over-abstained
        _score(NOTHING, ABSTAIN_TEXT, abstained=True),  # right abstention
        _score(NOTHING, "An answer [1]", cited=("An answer.",), support=0.0),  # wrong answer, unsupported
        _score(ONLY_RETRIEVAL, ABSTAIN_TEXT, abstained=True, sources=("x/b.txt",)),  # not in abstention p/r
    ]
    summary = summarize(results, generator="fake", k=3)
    assert (summary["n"], summary["answerable"], summary["unanswerable"], summary["retrieval_only"]) == (5, 2, 2, 1)
    assert summary["answer_contains"] == 0.5 and summary["contains_when_answered"] == 1.0
    assert summary["abstain_precision"] == 0.5  # 2 abstentions among scored cases, 1 right
    assert summary["abstain_recall"] == 0.5 and summary["wrong_answer_rate"] == 0.5
    assert summary["over_abstention"] == pytest.approx(2 / 3, abs=1e-4)  # the retrieval-only abstention counts here
    assert summary["citation_precision"] == 1.0  # the one answered answerable case cites the gold
    assert summary["citation_support"] == 0.5  # two scored citations, one below the verifier's threshold
    assert summary["hit_at_1"] == 1.0 and summary["by_category"]["unanswerable"]["hit_at_1"] is None
    assert summary["pass_rate"] == 0.4
    assert summary["latency_p50_ms"] == 10.0 and summary["latency_ms"]["retrieve"]["p95"] == 4.0
    assert summary["failures"] == {ABSTAINED_ON_ANSWERABLE: 2, ANSWERED_UNANSWERABLE: 1, UNSUPPORTED_CITATION: 1}
    assert set(summary["by_category"]) == {"fact", "unanswerable", "uncategorized"}
    assert summary["by_category"]["unanswerable"]["answer_contains"] is None  # does not apply: null, not 0
    assert summary["generator"] == "fake" and summary["k"] == 3


def test_answerer_flags_are_counted_per_case_without_their_parameters():
    flags = [("fell-back-to-extractive", "abstained:low-confidence(0.28<0.32)"), ("abstained:low-confidence(0.1<0.32)",),
             ("citation-added", "citation-added")]
    summary = summarize([_score(NOTHING, ABSTAIN_TEXT, abstained=True, flags=f) for f in flags])
    assert summary["flags"] == {"abstained:low-confidence": 2, "citation-added": 1, "fell-back-to-extractive": 1}


def test_metrics_that_do_not_apply_are_null():
    summary = summarize([_score(KURSK, "Kursk [1]", cited=("Kursk.",), sources=("docs/a.txt",))])
    assert summary["abstain_recall"] is None and summary["wrong_answer_rate"] is None
    assert summary["abstain_precision"] is None  # no abstentions at all


# --- the runner against a fake DocQA ---------------------------------------------------------


class FakeDocQA:
    """Answers from a script: question -> (answer text, abstained, cited text); retrieval returns fixed sources."""

    def __init__(self, tmp_path: Path, script: dict[str, tuple[str, bool, str]], sources=("docs/a.txt",),
                 fail_on: dict[str, Exception] | None = None) -> None:
        self.settings = SimpleNamespace(index=tmp_path / "index", collection="docqa", top_k=3, generator="extractive")
        self.script, self.ranked, self.fail_on = script, sources, fail_on or {}
        self.asked: list[tuple[str, list, int, str | None]] = []
        self.retrieved: list[int] = []
        self.ingested: list[list] = []

    def _passages(self, k: int) -> tuple[Passage, ...]:
        return tuple(Passage(Chunk(f"c{i}", "d", s, 0, 0, 10, "text"), 1.0 / (i + 1))
                     for i, s in enumerate(self.ranked[:k]))

    def ask(self, question, history, *, k, generator):
        self.asked.append((question, history, k, generator))
        if question in self.fail_on:
            raise self.fail_on[question]
        text, abstained, cited = self.script[question]
        citations = () if abstained else (Citation(1, self.ranked[0], 0, len(cited), cited, support=1.0),)
        query = f"{question} (after {history[-1]['content']})" if history else question  # as a rewrite would
        return Answer(question, text, abstained, citations, self._passages(k),
                      {"retrieve": 2.0, "answer": 3.0, "total": 5.0}, generator="extractive", query=query)

    def retrieve(self, question, history, *, k):
        self.retrieved.append(k)
        return list(self._passages(k))

    def sources(self):
        return ["docs/a.txt"]

    def ingest(self, paths, *, sync=False, progress=False):
        from qa.models import IngestReport

        self.ingested.append([str(p) for p in paths])
        return IngestReport()


def _write_set(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = [
    {"id": "a", "question": "Which region?", "answers": ["Kursk"], "sources": ["a.txt"], "category": "fact"},
    {"id": "b", "question": "Who won?", "answers": [], "category": "unanswerable"},
    {"id": "c", "question": "And then?", "answers": ["Kursk"], "sources": ["a.txt"], "category": "multi_turn",
     "history": [{"role": "user", "content": "Which region?"}, {"role": "assistant", "content": "Kursk."}]},
]
SCRIPT = {"Which region?": ("Kursk [1]", False, "In Kursk."), "Who won?": (ABSTAIN_TEXT, True, ""),
          "And then?": ("Belgorod [1]", False, "Belgorod.")}


def test_runner_answers_every_case_with_history_k_and_generator_and_writes_the_report(tmp_path):
    docqa = FakeDocQA(tmp_path, SCRIPT, sources=tuple(f"docs/{n}.txt" for n in "bacdefghijkl"))
    run = evaluate(docqa, _write_set(tmp_path / "mine.jsonl", RECORDS), generator="extractive", k=2,
                   out=tmp_path / "out")
    assert [q for q, *_ in docqa.asked] == ["Which region?", "Who won?", "And then?"]
    assert docqa.asked[2][1][1] == {"role": "assistant", "content": "Kursk."} and docqa.asked[0][2:] == (2, "extractive")
    assert docqa.retrieved == [10, 10]  # a deeper ranking only for cases with gold sources, since k < 10
    summary = run.summary
    assert summary["n"] == 3 and summary["hit_at_1"] == 0.0 and summary["hit_at_5"] == 1.0
    assert summary["mrr"] == 0.5 and summary["answer_contains"] == 0.5 and summary["abstain_recall"] == 1.0
    assert summary["set"] == "mine" and summary["k"] == 2

    out = tmp_path / "out"
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text("utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[2]["failures"] == [GOLD_NOT_IN_ANSWER] and lines[2]["gold"]["answers"] == ["Kursk"]
    assert [line["query"] for line in lines] == ["Which region?", "Who won?", "And then? (after Kursk.)"]
    assert lines[0]["passed"] and lines[0]["citations"][0]["text"] == "In Kursk." and "f1" in lines[0]["metrics"]
    assert json.loads((out / "summary.json").read_text("utf-8"))["n"] == 3
    report = (out / "report.md").read_text("utf-8")
    assert "| multi_turn | 1 |" in report and GOLD_NOT_IN_ANSWER in report and "![latency.png]" in report
    assert "| c | gold not in answer | And then? → And then? (after Kursk.) |" in report  # the rewrite beside it
    for plot in ("metrics_by_category.png", "latency.png"):
        assert (out / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_case_that_raises_is_a_failed_case_and_the_run_goes_on(tmp_path):
    docqa = FakeDocQA(tmp_path, SCRIPT, fail_on={"Who won?": RuntimeError("boom")})
    run = evaluate(docqa, _write_set(tmp_path / "s.jsonl", RECORDS))
    failed = run.results[1]
    assert failed.error == "RuntimeError: boom" and failed.failures[0] == "error: RuntimeError: boom"
    assert run.summary["errors"] == 1 and run.summary["wrong_answer_rate"] == 1.0  # an error is not an abstention
    assert len(run.results) == 3 and run.results[2].error is None


def test_errors_that_would_repeat_on_every_case_stop_the_run(tmp_path):
    docqa = FakeDocQA(tmp_path, SCRIPT, fail_on={"Which region?": ConfigurationError("no LLM configured")})
    with pytest.raises(ConfigurationError, match="no LLM"):
        evaluate(docqa, _write_set(tmp_path / "s.jsonl", RECORDS))
    assert len(docqa.asked) == 1


def test_empty_index_is_refused_with_advice(tmp_path):
    docqa = FakeDocQA(tmp_path, SCRIPT)
    docqa.sources = lambda: []
    with pytest.raises(DocQAError, match="is empty: ingest"):
        evaluate(docqa, _write_set(tmp_path / "s.jsonl", RECORDS))


def test_limit_ingest_paths_and_bad_options(tmp_path):
    docqa = FakeDocQA(tmp_path, SCRIPT)
    run = evaluate(docqa, _write_set(tmp_path / "s.jsonl", RECORDS), limit=2, ingest=["some/docs"])
    assert run.summary["n"] == 2 and docqa.ingested == [["some/docs"]]
    with pytest.raises(ValueError, match="k must be at least 1"):
        evaluate(docqa, tmp_path / "s.jsonl", k=0)
    with pytest.raises(ValueError, match="max_docs only applies to the fitz-gov set"):
        evaluate(docqa, tmp_path / "s.jsonl", max_docs=5)


def test_squad_corpus_goes_into_the_index_before_the_questions(tmp_path):
    squad = {"data": [{"title": "Kursk", "paragraphs": [{"context": "Ukraine holds part of Kursk.",
                                                         "qas": [{"id": "s1", "question": "Which region?",
                                                                  "answers": [{"text": "Kursk"}]}]}]}]}
    (tmp_path / "tiny.json").write_text(json.dumps(squad), encoding="utf-8")
    docqa = FakeDocQA(tmp_path, SCRIPT, sources=("x/corpus/0000_Kursk.txt",))
    run = evaluate(docqa, tmp_path / "tiny.json")
    corpus = Path(docqa.ingested[0][0])
    assert corpus.parent.parent == tmp_path / "index" / "eval-corpora" and (corpus / "0000_Kursk.txt").is_file()
    assert run.summary["hit_at_1"] == 1.0 and run.summary["answer_contains"] == 1.0


def test_progress_bar_stays_off_when_stderr_is_not_a_terminal(capsys):
    with EvalProgress(3, enabled=True) as bar:
        assert not bar.enabled  # pytest captures stderr, so it is not a TTY
        bar.advance(_score(NOTHING, ABSTAIN_TEXT, abstained=True))
    assert capsys.readouterr().err == ""


def test_summary_text_names_set_generator_and_metrics(tmp_path):
    summary = summarize([_score(KURSK, "Kursk [1]", cited=("Kursk.",))], set="mine", generator="extractive", k=5)
    text = summary_text(summary)
    assert text.startswith("mine: 1 cases (1 answerable") and "hit@5" in text and "–" in text  # null shown as a dash


def test_report_of_a_run_without_timings_still_draws_its_plots(tmp_path):
    result = score_case(NOTHING, answer="", abstained=False, citations=(), answer_sources=(), ranked_sources=(),
                        error="RuntimeError: x")
    run = SimpleNamespace(results=(result,), summary=summarize([result], set="broken"))
    write_report(run, tmp_path)
    assert (tmp_path / "latency.png").stat().st_size > 0 and "error" in (tmp_path / "report.md").read_text("utf-8")


# --- end to end: the real command over a real index ----------------------------------------


@pytest.fixture
def cli_with_shared_model(monkeypatch, embedder):
    """The click command, building its DocQA with the session's already loaded model."""
    import qa.embedding
    from click.testing import CliRunner

    from ui.cli import cli

    monkeypatch.setattr(qa.embedding, "make_embedder", lambda settings: embedder)
    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_docqa_eval_json_and_report_after_ingesting_seeds(tmp_path, cli_with_shared_model):
    run = cli_with_shared_model
    index = str(tmp_path / "index")
    assert run("--index", index, "ingest", str(ROOT / "seeds"), "--json").exit_code == 0

    printed = run("--index", index, "eval", str(SEEDS_SET), "--json", "--limit", "8")
    assert printed.exit_code == 0, printed.output
    summary = json.loads(printed.stdout)  # exactly one JSON object on stdout
    assert REQUIRED_KEYS <= summary.keys() and summary["n"] == 8
    for key in FRACTIONS:
        assert summary[key] is None or 0.0 <= summary[key] <= 1.0, key
    assert summary["hit_at_1"] == 1.0  # one seed document, and every answerable case names it
    assert summary["answer_contains"] > 0.3 and summary["latency_p50_ms"] > 0

    out = tmp_path / "report"
    # --index after the command name works as well as before it.
    printed = run("eval", str(SEEDS_SET), "--index", index, "--limit", "8", "--out", str(out), "-k", "3")
    assert printed.exit_code == 0, printed.output
    assert "answer contains gold" in printed.stdout and "report.md" in printed.stdout
    assert len((out / "results.jsonl").read_text("utf-8").splitlines()) == 8
    assert json.loads((out / "summary.json").read_text("utf-8"))["k"] == 3
    assert (out / "metrics_by_category.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_docqa_eval_refuses_an_empty_index_and_a_bad_set(tmp_path, cli_with_shared_model):
    result = cli_with_shared_model("--index", str(tmp_path / "empty"), "eval", str(SEEDS_SET), "--json")
    assert result.exit_code == 1 and "is empty" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q"}\n', encoding="utf-8")
    result = cli_with_shared_model("--index", str(tmp_path / "empty"), "eval", str(bad))
    assert result.exit_code == 1 and "bad.jsonl:1: field 'answers': missing" in result.output


@pytest.mark.slow
def test_beir_folder_is_ingested_then_scored_on_retrieval(tmp_path, fresh_docqa):
    beir = tmp_path / "beir"
    (beir / "qrels").mkdir(parents=True)
    docs = [("d1", "Volcanoes", "Lava flows from the Etna volcano in Sicily."),
            ("d2", "Tea", "Green tea is grown on hills in Japan and China."),
            ("d3", "Chess", "The Sicilian defence is a chess opening.")]
    (beir / "corpus.jsonl").write_text("".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n"
                                               for i, t, x in docs), encoding="utf-8")
    (beir / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "etna lava volcano"}) + "\n"
                                        + json.dumps({"_id": "q2", "text": "green tea hills"}) + "\n", encoding="utf-8")
    (beir / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n", encoding="utf-8")

    run = evaluate(fresh_docqa, beir, work_dir=tmp_path / "work", k=2)
    assert run.ingest is not None and run.ingest.added == 3
    assert run.summary["retrieval_only"] == 2 and run.summary["hit_at_1"] == 1.0 and run.summary["ndcg_at_10"] == 1.0
    assert run.summary["abstain_precision"] is None and run.summary["answer_contains"] is None
    again = evaluate(fresh_docqa, beir, work_dir=tmp_path / "work", k=2)
    assert again.ingest.unchanged == 3 and again.ingest.added == 0  # the hash check makes re-runs cheap

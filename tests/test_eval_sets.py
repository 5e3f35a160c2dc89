"""Tests of question-set loading (docqa JSONL, SQuAD, BEIR, fitz-gov) and of the shipped sets' integrity."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from eval.metrics import contains_gold, normalize_answer
from eval.questions import CATEGORIES, QuestionSetError, load_question_set

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "eval" / "sets"
SEED_ARTICLE = ROOT / "seeds" / "000_4c9570219aa1637c.txt"
SHIPPED_SETS = sorted(SETS.glob("*.jsonl"))
# The multi-hop sets have their own corpus (eval/sets/multihop_corpus); the others are over the seed article.
MULTIHOP_SETS = [p for p in SHIPPED_SETS if p.name.startswith("multihop_")]
REQUIRED_CATEGORIES = ("fact", "number", "name", "date", "unanswerable", "near_miss", "multi_turn")


def _write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


GOOD = {"id": "q1", "question": "Which region?", "answers": ["Kursk"], "sources": ["a.txt"], "history": []}


# --- docqa JSONL -----------------------------------------------------------------------


def test_jsonl_loads_cases_with_history_and_defaults(tmp_path):
    path = _write_jsonl(
        tmp_path / "mine.jsonl",
        [
            {**GOOD, "category": "fact"},
            "",  # blank lines are allowed
            {
                "id": "q2",
                "question": "And their range?",
                "answers": [],
                "history": [{"role": "user", "content": "Which missiles?"}, {"role": "assistant", "content": "ATACMS."}],
            },
            {"id": "q3", "question": "Which documents mention Kursk?", "answers": [], "retrieval_only": True},
        ],
    )
    question_set = load_question_set(path)
    assert question_set.name == "mine" and question_set.corpus_dir is None
    first, second, third = question_set.cases
    assert first.answers == ("Kursk",) and first.sources == ("a.txt",) and first.category == "fact"
    assert not first.unanswerable
    assert second.sources == () and second.history[1] == {"role": "assistant", "content": "ATACMS."}
    assert second.unanswerable
    assert third.retrieval_only and not third.unanswerable
    assert len({first, second, third}) == 3  # cases stay hashable despite their history dicts


@pytest.mark.parametrize(
    ("bad_line", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "answers"}, "answers"),
        ({**GOOD, "answers": "Kursk"}, "answers"),
        ({**GOOD, "answers": [""]}, "answers"),
        ({**GOOD, "question": "  "}, "question"),
        ({**GOOD, "id": 7}, "id"),
        ({**GOOD, "sources": [1]}, "sources"),
        ({**GOOD, "history": [{"role": "system", "content": "hi"}]}, "history[0].role"),
        ({**GOOD, "history": [{"role": "user"}]}, "history[0]"),
        ({**GOOD, "history": "hi"}, "history"),
        ({**GOOD, "category": "trivia"}, "category"),
        ({**GOOD, "retrieval_only": "yes"}, "retrieval_only"),
        ({**GOOD, "source": ["a.txt"]}, "source"),  # a typo is an unknown field, not silently ignored
    ],
)
def test_jsonl_errors_name_file_line_and_field(tmp_path, bad_line, field):
    path = _write_jsonl(tmp_path / "bad.jsonl", [GOOD, {**bad_line, "id": bad_line.get("id", "q2")}])
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path)
    (where, reported_field, _message), *_ = caught.value.problems
    assert where == f"{path}:2"
    assert reported_field == field
    assert f"{path}:2: field {field!r}" in str(caught.value)


def test_jsonl_reports_every_bad_line_and_duplicates(tmp_path):
    path = _write_jsonl(tmp_path / "bad.jsonl", [GOOD, "{not json", {**GOOD, "question": ""}, GOOD])
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path)
    lines = [where.rsplit(":", 1)[1] for where, _, _ in caught.value.problems]
    assert lines == ["2", "3", "4"]
    assert "not valid JSON" in caught.value.problems[0][2]
    assert "duplicate id 'q1' (first on line 1)" in caught.value.problems[2][2]


def test_empty_or_missing_or_unknown_files_are_refused(tmp_path):
    with pytest.raises(QuestionSetError, match="contains no cases"):
        load_question_set(_write_jsonl(tmp_path / "empty.jsonl", [""]))
    with pytest.raises(QuestionSetError, match="no such file"):
        load_question_set(tmp_path / "nope.jsonl")
    (tmp_path / "set.csv").write_text("a,b\n")
    with pytest.raises(QuestionSetError, match="expected a .jsonl file"):
        load_question_set(tmp_path / "set.csv")


# --- SQuAD -----------------------------------------------------------------------------


def _squad_fixture(path: Path) -> Path:
    payload = {
        "version": "v2.0",
        "data": [
            {
                "title": "Kursk offensive",
                "paragraphs": [
                    {
                        "context": "Ukraine captured settlements in Kursk in August.",
                        "qas": [
                            {"id": "s1", "question": "When?", "answers": [{"text": "August", "answer_start": 41}, {"text": "August", "answer_start": 41}], "is_impossible": False},
                            {"id": "s2", "question": "How many died?", "answers": [], "plausible_answers": [{"text": "settlements"}], "is_impossible": True},
                        ],
                    },
                    {"context": "Russia is counter-attacking.", "qas": [{"id": "s3", "question": "Who counter-attacks?", "answers": [{"text": "Russia"}]}]},
                ],
            },
            {"title": "Himars / ATACMS", "paragraphs": [{"context": "Himars reach 50 miles.", "qas": [{"id": "s4", "question": "Range?", "answers": [{"text": "50 miles"}]}]}]},
        ],
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_squad_writes_one_file_per_article_and_marks_impossible_questions(tmp_path):
    question_set = load_question_set(_squad_fixture(tmp_path / "dev-v2.json"), tmp_path / "work")
    files = sorted(p.name for p in question_set.corpus_dir.glob("*.txt"))
    assert files == ["0000_Kursk_offensive.txt", "0001_Himars_ATACMS.txt"]
    kursk = (question_set.corpus_dir / files[0]).read_text(encoding="utf-8")
    assert kursk == "Ukraine captured settlements in Kursk in August.\n\nRussia is counter-attacking.\n"
    by_id = {case.id: case for case in question_set.cases}
    assert by_id["s1"].answers == ("August",) and by_id["s1"].sources == (files[0],)
    assert by_id["s2"].answers == () and by_id["s2"].sources == () and by_id["s2"].unanswerable
    assert by_id["s3"].sources == (files[0],)
    assert by_id["s4"].sources == (files[1],)


def test_squad_is_deterministic_and_removes_stale_files(tmp_path):
    path = _squad_fixture(tmp_path / "dev.json")
    first = load_question_set(path, tmp_path / "work")
    (first.corpus_dir / "left-over.txt").write_text("old")
    second = load_question_set(path, tmp_path / "work")
    assert first == second
    assert not (second.corpus_dir / "left-over.txt").exists()


def test_squad_needs_work_dir_and_refuses_foreign_folders(tmp_path):
    path = _squad_fixture(tmp_path / "dev.json")
    with pytest.raises(QuestionSetError, match="pass a work_dir"):
        load_question_set(path)
    foreign = tmp_path / "mine" / "corpus"
    foreign.mkdir(parents=True)
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(QuestionSetError, match="not written by docqa eval"):
        load_question_set(path, tmp_path / "mine")
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_squad_reports_answerable_question_without_answers(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "c", "qas": [{"id": "x", "question": "q?", "answers": []}]}]}]}))
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path, tmp_path / "work")
    assert caught.value.problems[0][0].endswith("data[0].paragraphs[0].qas[0]")
    assert caught.value.problems[0][1] == "answers"


# --- BEIR ------------------------------------------------------------------------------


def _beir_fixture(folder: Path, qrels_name: str = "test.tsv") -> Path:
    folder.mkdir()
    _write_jsonl(
        folder / "corpus.jsonl",
        [
            {"_id": "d1", "title": "Himars", "text": "Himars reach 50 miles."},
            {"_id": "d2", "title": "", "text": "ATACMS reach 190 miles."},
            {"_id": "doc/3", "title": "Kursk", "text": "Ukraine holds ground in Kursk."},
        ],
    )
    _write_jsonl(
        folder / "queries.jsonl",
        [{"_id": "q1", "text": "himars range"}, {"_id": "q2", "text": "kursk"}, {"_id": "q3", "text": "unjudged"}],
    )
    (folder / "qrels").mkdir()
    (folder / "qrels" / qrels_name).write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\tdoc/3\t2\nq2\td1\t1\n")
    return folder


def test_beir_corpus_and_retrieval_only_cases(tmp_path):
    question_set = load_question_set(_beir_fixture(tmp_path / "scifact"), tmp_path / "work")
    assert question_set.name == "scifact"
    files = {p.name: p.read_text(encoding="utf-8") for p in question_set.corpus_dir.glob("*.txt")}
    assert files["d1.txt"] == "Himars\n\nHimars reach 50 miles.\n"
    assert files["d2.txt"] == "ATACMS reach 190 miles.\n"
    odd_name = next(name for name in files if name.startswith("doc_3"))
    cases = {case.id: case for case in question_set.cases}
    assert set(cases) == {"q1", "q2"}  # unjudged queries are not cases
    assert cases["q1"].sources == ("d1.txt",)  # score 0 is not relevant
    assert cases["q2"].sources == (odd_name, "d1.txt")
    assert all(case.retrieval_only and not case.unanswerable and case.answers == () for case in cases.values())


def test_beir_picks_the_only_qrels_file_or_explains(tmp_path):
    folder = _beir_fixture(tmp_path / "set", qrels_name="dev.tsv")
    assert len(load_question_set(folder, tmp_path / "work").cases) == 2
    (folder / "qrels" / "train.tsv").write_text("q1\td1\t1\n")
    with pytest.raises(QuestionSetError, match=r"no test.tsv to pick \(available: dev.tsv, train.tsv\)"):
        load_question_set(folder, tmp_path / "work")
    assert len(load_question_set(folder, tmp_path / "work", split="train").cases) == 1


def test_beir_missing_file_is_named(tmp_path):
    folder = _beir_fixture(tmp_path / "set")
    (folder / "queries.jsonl").unlink()
    with pytest.raises(QuestionSetError, match="queries.jsonl: missing"):
        load_question_set(folder, tmp_path / "work")


# --- the shipped sets ------------------------------------------------------------------


def test_shipped_sets_exist():
    assert {p.name for p in SHIPPED_SETS} >= {"seeds.jsonl", "abstain_dev.jsonl"}


@pytest.mark.parametrize("path", SHIPPED_SETS, ids=lambda p: p.name)
def test_every_shipped_line_validates_with_a_known_category(path):
    cases = load_question_set(path).cases
    assert all(case.category in CATEGORIES for case in cases)
    for case in cases:
        assert bool(case.answers) == bool(case.sources), f"{case.id}: answerable cases, and only they, name sources"


@pytest.mark.parametrize("path", MULTIHOP_SETS, ids=lambda p: p.name)
def test_multihop_cases_need_two_documents_and_the_second_holds_the_answer(path):
    cases = load_question_set(path).cases
    assert len(cases) >= 50
    for case in cases:
        work, person = (SETS / "multihop_corpus" / name for name in case.sources)
        assert len(case.sources) == 2 and work.is_file() and person.is_file(), case.id
        person_name = person.read_text("utf-8").split("\n", 1)[0]
        assert person_name in work.read_text("utf-8") and person_name not in case.question, case.id
        assert all(contains_gold(person.read_text("utf-8"), [gold]) for gold in case.answers), case.id


def _corpus_of(path: Path) -> dict[str, str]:
    """A set `name_split.jsonl` with a folder `name_split_corpus/` or `name_corpus/` is about that folder; other sets
    about the seed article."""
    folder = next((f for f in (SETS / f"{path.stem}_corpus", SETS / f"{path.stem.rsplit('_', 1)[0]}_corpus")
                   if f.is_dir()), None)
    if folder is not None:
        from ingest.loaders import load_file

        return {p.name: load_file(p).text for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html")}
    return {SEED_ARTICLE.name: SEED_ARTICLE.read_text(encoding="utf-8")}


@pytest.mark.parametrize("path", SHIPPED_SETS, ids=lambda p: p.name)
def test_every_gold_answer_occurs_in_its_source(path):
    corpus = _corpus_of(path)
    for case in load_question_set(path).cases:
        assert all(source in corpus for source in case.sources), case.id
        for gold in case.answers:
            if normalize_answer(gold) in ("yes", "no"):
                continue  # a judgement on what the sources say, not a quotation of them
            assert any(contains_gold(corpus[s], [gold]) for s in case.sources), \
                f"{path.name} {case.id}: {gold!r} is not in {case.sources}"


def test_seed_set_size_and_category_mix():
    cases = load_question_set(SETS / "seeds.jsonl").cases
    assert len(cases) >= 45
    counts = Counter(case.category for case in cases)
    for category in REQUIRED_CATEGORIES:
        assert counts[category] >= 6, f"only {counts[category]} {category} cases"
    multi_turn = [case for case in cases if case.category == "multi_turn"]
    assert all(case.history and case.history[-1]["role"] == "assistant" for case in multi_turn)
    assert any(case.unanswerable for case in multi_turn), "a follow-up whose answer is missing"
    assert sum(case.unanswerable for case in cases) >= 12


def test_dev_set_is_separate_from_the_test_set():
    seeds = load_question_set(SETS / "seeds.jsonl").cases
    dev = load_question_set(SETS / "abstain_dev.jsonl").cases
    assert len(dev) >= 25
    assert 0.3 <= sum(case.unanswerable for case in dev) / len(dev) <= 0.7
    assert not {case.id for case in seeds} & {case.id for case in dev}
    seed_questions = {normalize_answer(case.question) for case in seeds}
    assert not [case.id for case in dev if normalize_answer(case.question) in seed_questions]


def test_chat_dev_set_is_large_varied_and_grounded_in_its_own_corpus():
    from eval.build_chat_dev import CORPUS, THREADS, cases, missing_golds

    path = SETS / "chat_dev.jsonl"
    loaded = load_question_set(path).cases
    assert len(loaded) >= 60 and len(THREADS) >= 20
    assert 0.2 <= sum(case.unanswerable for case in loaded) / len(loaded) <= 0.35
    assert all(case.history and case.history[-1]["role"] == "assistant" for case in loaded)
    # The file is what the builder writes, so the golds it checks are the shipped ones.
    assert [json.loads(line) for line in path.read_text("utf-8").splitlines()] == cases()
    assert missing_golds(cases()) == []
    corpus = _corpus_of(path)
    assert set(corpus) == {p.name for p in CORPUS.iterdir()} and len(corpus) >= 6
    for case in loaded:
        if not case.unanswerable:
            assert all(contains_gold(corpus[source], [gold]) for gold in case.answers for source in case.sources), case.id
    # New documents: none of them is a page of the conversations corpus.
    assert not set(corpus) & {p.name for p in (SETS / "conversations_corpus").iterdir()}


# --- fitz-gov --------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("fitz_gov") is None, reason="fitz-gov is not installed (pip install 'docqa[bench]')")
def test_fitzgov_loader_with_limits(tmp_path):
    from eval.fitzgov import load_fitzgov

    question_set = load_fitzgov(tmp_path / "work", limit_docs=40, limit_queries=18)
    files = {p.name for p in question_set.corpus_dir.glob("*.txt")}
    assert len(files) == 40
    assert len(question_set.cases) == 18
    categories = Counter(case.category for case in question_set.cases)
    assert len(categories) == 6  # round-robin over the six fitz-gov categories
    refusals = [case for case in question_set.cases if case.category == "abstention"]
    assert refusals and all(case.unanswerable and case.sources == () for case in refusals)
    for case in question_set.cases:
        assert set(case.sources) <= files, f"{case.id}: gold document not written"
        if case.category != "abstention":
            assert case.retrieval_only and case.sources and not case.unanswerable
    assert all((question_set.corpus_dir / name).read_text(encoding="utf-8").strip() for name in files)
    assert load_fitzgov(tmp_path / "work", limit_docs=40, limit_queries=18) == question_set
    with pytest.raises(ValueError, match="limit_docs"):
        load_fitzgov(tmp_path / "work", limit_docs=0)

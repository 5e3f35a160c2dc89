"""End-to-end spine: real model, real Chroma in temp dirs, the CLI's JSON contract, and a real Chroma server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import servers
from tests.conftest import SEEDS, seed_text

pytestmark = pytest.mark.slow

DOCQA = str(Path(sys.executable).with_name("docqa"))
SEED_SOURCE = "seeds/000_4c9570219aa1637c.txt"

FACT_QUESTIONS = [
    ("What range do ATACMS missiles have?", "190-mile"),
    ("Which region may the ATACMS rockets be used in?", "Kursk"),
    ("How many soldiers could Pyongyang send to support Russia?", "100,000"),
    ("Who is the shadow defence secretary?", "James Cartlidge"),
]


def _cited_fact(answer, fact: str) -> bool:
    text = seed_text()
    return any(c.source == SEED_SOURCE and fact in text[c.start : c.end] and text[c.start : c.end] == c.text
               for c in answer.citations)


def test_reingest_adds_nothing(seeded):
    before = seeded.store.count()
    cwd = os.getcwd()
    os.chdir(seeded.base_dir)
    try:
        report = seeded.ingest(["seeds"])
    finally:
        os.chdir(cwd)
    assert report.unchanged == 1 and report.added == 0 and report.chunks_added == 0
    assert seeded.store.count() == before > 0
    assert seeded.lexical.count() == before


@pytest.mark.parametrize("question,fact", FACT_QUESTIONS)
def test_answers_carry_the_fact_and_a_citation_into_the_source(seeded, question, fact):
    answer = seeded.ask(question)
    assert not answer.abstained, answer
    assert fact in answer.answer
    assert "[1]" in answer.answer
    assert _cited_fact(answer, fact), answer.citations


@pytest.mark.parametrize("question", [
    "Who is the CEO of Lockheed Martin?",
    "What is the boiling point of mercury?",
])
def test_off_topic_questions_abstain(seeded, question):
    answer = seeded.ask(question)
    assert answer.abstained
    assert answer.answer == "I could not find this in the documents."
    assert answer.citations == ()


def test_sources_lists_the_seed_with_its_hash(seeded):
    import hashlib

    (info,) = seeded.sources()
    assert info.source == SEED_SOURCE
    assert info.sha256 == hashlib.sha256((SEEDS / "000_4c9570219aa1637c.txt").read_bytes()).hexdigest()
    assert info.chunks == seeded.store.count()


def _validate_answer_json(obj: dict) -> None:
    assert set(obj) >= {"question", "answer", "abstained", "citations", "passages", "timings_ms"}
    assert isinstance(obj["question"], str) and isinstance(obj["answer"], str)
    assert isinstance(obj["abstained"], bool)
    for c in obj["citations"]:
        assert {"n": int, "source": str, "start": int, "end": int, "text": str}.items() <= {k: type(v) for k, v in c.items()}.items()
    for p in obj["passages"]:
        assert isinstance(p["source"], str) and isinstance(p["text"], str)
        assert isinstance(p["start"], int) and isinstance(p["end"], int) and isinstance(p["score"], float)
    assert set(obj["timings_ms"]) >= {"retrieve", "answer", "total"}
    assert all(isinstance(v, float) for v in obj["timings_ms"].values())


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DOCQA, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_cli_json_contract(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    ingest = _run(["--index", "idx", "ingest", "seeds", "--json"], tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert report["added"] == 1 and report["failed"] == 0

    ask = _run(["--index", "idx", "ask", "What range do ATACMS missiles have?", "--json"], tmp_path)
    assert ask.returncode == 0, ask.stderr
    lines = [line for line in ask.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, "exactly one JSON object on stdout"
    obj = json.loads(lines[0])
    _validate_answer_json(obj)
    assert "190" in obj["answer"] and not obj["abstained"]
    cited = obj["citations"][0]
    assert cited["source"] == SEED_SOURCE
    assert "190-mile" in seed_text()[cited["start"] : cited["end"]]

    sources = _run(["--index", "idx", "sources", "--json"], tmp_path)
    listed = json.loads(sources.stdout)
    assert [s["source"] for s in listed] == [SEED_SOURCE]
    assert set(listed[0]) >= {"source", "chunks", "sha256"}

    # The environment variable names the index just like --index does.
    env_ask = _run(["sources", "--json"], tmp_path, env={"DOCQA_INDEX": "idx"})
    assert json.loads(env_ask.stdout) == listed


def test_cli_errors_are_one_clear_line(tmp_path):
    result = _run(["--index", "idx", "remove", "nothing-like-this.txt"], tmp_path)
    assert result.returncode != 0
    assert "nothing-like-this.txt" in result.stderr and "Traceback" not in result.stderr
    bad_url = _run(["--chroma-url", "localhost:1", "sources"], tmp_path)
    assert bad_url.returncode != 0 and "chroma_url" in bad_url.stderr and "Traceback" not in bad_url.stderr


@pytest.fixture
def chroma_server(tmp_path):
    with servers.chroma_server(tmp_path) as url:
        yield url


@pytest.mark.server
def test_ingest_and_ask_against_a_chroma_server(chroma_server, tmp_path, embedder):
    from qa.api import DocQA

    shutil.copytree(SEEDS, tmp_path / "seeds")
    docqa = DocQA.open(index=tmp_path / "local", chroma_url=chroma_server, collection="served")
    docqa._embedder = embedder
    report = docqa.ingest([str(tmp_path / "seeds")])
    assert report.added == 1
    assert docqa.ingest([str(tmp_path / "seeds")]).unchanged == 1
    answer = docqa.ask("What range do ATACMS missiles have?")
    assert "190-mile" in answer.answer and answer.citations
    assert not (tmp_path / "local" / "chroma").exists(), "server mode must not create an embedded database"

    # A second client (another process would see the same) finds the documents on the server.
    other = DocQA.open(index=tmp_path / "other", chroma_url=chroma_server, collection="served")
    other._embedder = embedder
    assert [s.chunks for s in other.sources()] == [docqa.store.count()]
    assert "190-mile" in other.ask("What range do ATACMS missiles have?").answer

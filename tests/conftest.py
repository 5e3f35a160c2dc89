"""Shared fixtures: one real embedding model and one seeded index per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# As the Makefile sets it: busy-waiting OpenMP threads (llama.cpp, torch) collapse on shared cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_4c9570219aa1637c.txt"


@pytest.fixture(scope="session")
def embedder():
    from qa.embedding import make_embedder
    from qa.settings import Settings

    return make_embedder(Settings())


@pytest.fixture(scope="session")
def seeded(tmp_path_factory, embedder):
    """A DocQA over a copy of seeds/ in a temp index, sharing the session's model; source names are `seeds/...`."""
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("seeded")
    shutil.copytree(SEEDS, base / "seeds")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        docqa = DocQA.open(index=base / "index", embedder=embedder)
        docqa.ingest(["seeds"])
    finally:
        os.chdir(cwd)
    docqa.base_dir = base
    yield docqa
    docqa.close()


@pytest.fixture
def fresh_docqa(tmp_path, embedder):
    """An empty DocQA in its own temp index, sharing the session's model."""
    from qa.api import DocQA

    docqa = DocQA.open(index=tmp_path / "index", embedder=embedder)
    yield docqa
    docqa.close()


def ingest_text(docqa, folder, name: str, text: str):
    """`docqa` with one file written for a test (`name` in `folder`) ingested."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    docqa.ingest([path])
    return docqa


def assert_cited_answer(answer, text: str, cited: str | None = None) -> None:
    """`answer` answers (no abstention) with `text`, and a citation's span says `cited` (default: `text`)."""
    assert not answer.abstained and text in answer.answer, answer.answer
    assert any((cited or text) in c.text for c in answer.citations), answer.citations


def short_of(question: str, text: str) -> str | None:
    """The short answer `text` gives to `question`, read as the question's own answer type asks."""
    from qa.answer_types import answer_type
    from qa.short_answer import short_answer

    return short_answer(question, answer_type(question), text)


def chat(*turns: str) -> list[dict[str, str]]:
    """A conversation history: user and assistant turns, alternating, the user's first."""
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": t} for i, t in enumerate(turns)]


def ranked_choice(sentence: str, lead: str = "") -> tuple:
    """A (span, evidence, score) choice as the extractive answerer ranks them, for tests of its reordering."""
    from types import SimpleNamespace

    return (SimpleNamespace(sentence=sentence, lead=lead), None, 0.0)


def one_passage(text: str, name: str = "doc.txt") -> tuple:
    """`text` as the only retrieved passage, a whole document of its own."""
    from qa.models import Chunk, Passage

    return (Passage(Chunk("c0", "d0", name, 0, 0, len(text), text), 1.0),)


def seed_text() -> str:
    with open(SEED_FILE, encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="session")
def local_gguf():
    """The packaged Qwen2.5 0.5B GGUF (joined and checked on first use); skips without the llamacpp extra."""
    pytest.importorskip("llama_cpp")
    from qa.llm_model import packaged_gguf

    return packaged_gguf()

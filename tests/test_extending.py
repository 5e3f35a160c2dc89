"""The README's "Extending docqa" example, run as written: one module plus one registration line adds a generator."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from test_retrieval import BagOfWordsEmbedder

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    section = (ROOT / "README.md").read_text("utf-8").split("## Extending docqa", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def my_generators(tmp_path, monkeypatch):
    from qa.registry import GENERATORS

    code = readme_example()
    assert len(code.strip().splitlines()) <= 30  # a short example, not a framework
    (tmp_path / "my_generators.py").write_text(code, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import my_generators  # noqa: F401 - registers "first-sentence"

    yield my_generators
    GENERATORS.unregister("first-sentence")
    sys.modules.pop("my_generators", None)


def test_readme_generator_registers_once_and_answers(my_generators, tmp_path, monkeypatch):
    from qa.api import DocQA
    from qa.registry import GENERATORS
    from qa.settings import Settings
    from ui.webchat import AskOptions, WebChat

    assert "first-sentence" in GENERATORS.names()
    assert Settings(generator="first-sentence").generator == "first-sentence"  # validation reads the registry
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rockets.txt").write_text("Himars rockets have a 50-mile range. They are mobile.", "utf-8")
    monkeypatch.chdir(tmp_path)
    with DocQA.open(index=tmp_path / "index", embedder=BagOfWordsEmbedder(), generator="first-sentence") as docqa:
        docqa.ingest(["docs"])
        answer = docqa.ask("What range do Himars have?")
        assert answer.answer == "Himars rockets have a 50-mile range. [1]" and answer.generator == "first-sentence"
        (cited,) = answer.citations
        assert (docs / "rockets.txt").read_text("utf-8")[cited.start:cited.end] == cited.text
        # The web chat accepts it by name too (its dropdown lists GENERATORS.names()).
        web = WebChat(docqa).ask("What range do Himars have?", [], AskOptions(generator="first-sentence"))
        assert web.answer == answer.answer


def test_unknown_generator_names_the_registered_ones():
    from qa.errors import ConfigurationError
    from qa.registry import GENERATORS

    with pytest.raises(ValueError, match="generator must be one of extractive, openai, ollama, llamacpp"):
        from qa.settings import Settings

        Settings(generator="nope")
    with pytest.raises(ConfigurationError, match="unknown generator 'nope'"):
        GENERATORS.load("nope")
    with pytest.raises(ValueError, match="module:factory"):
        GENERATORS.register("broken", "no-colon-here")

"""Embedders and rerankers are registered once (qa/registry.py): Settings validation, the CLI's choices and the
factories all read the registry, so a part registered by a plugin is usable everywhere without another edit."""

from __future__ import annotations

import numpy as np
import pytest

from qa.errors import SettingsError
from qa.registry import EMBEDDER_ALIASES, EMBEDDERS, RERANKERS
from qa.settings import Settings, load_settings


class _Hashing:
    """A tiny deterministic embedder for the registration test (the real ones are tested in test_embedders)."""

    model_id, dimension, max_tokens = "hashing-test", 8, 64

    def embed_documents(self, texts):
        return np.array([[float((hash(t) >> i) & 1) for i in range(8)] for t in texts], dtype=np.float32)

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def hashing_embedder(settings):
    return _Hashing()


class _Length:
    def score(self, query, texts):
        return [float(len(t)) for t in texts]


def length_reranker(settings):
    return _Length()


@pytest.fixture
def registered():
    EMBEDDERS.register("hashing-test", f"{__name__}:hashing_embedder", description="test only")
    RERANKERS.register("length-test", f"{__name__}:length_reranker", description="test only")
    yield
    EMBEDDERS.unregister("hashing-test")
    RERANKERS.unregister("length-test")


def test_the_shipped_parts_are_registered_with_descriptions():
    assert set(EMBEDDERS.names()) >= {"minilm", "minilm-int8", "bge-small"}
    assert "ms-marco-minilm" in RERANKERS
    assert all(p.description for p in [*EMBEDDERS, *RERANKERS])
    assert Settings().embedder in EMBEDDERS and Settings().reranker in RERANKERS


def test_unknown_names_are_refused_naming_the_choices():
    with pytest.raises(SettingsError, match="embedder must be one of minilm"):
        load_settings(embedder="word2vec")
    with pytest.raises(SettingsError, match="reranker must be one of ms-marco-minilm"):
        load_settings(reranker="colbert")
    assert load_settings(embedder="sentence-transformers").embedder in EMBEDDER_ALIASES


def test_a_registered_embedder_and_reranker_are_used_by_the_factories(registered):
    from qa.embedding import make_embedder
    from qa.retrieval import make_reranker

    embedder = make_embedder(load_settings(embedder="hashing-test"))
    assert embedder.model_id == "hashing-test" and embedder.embed_query("x").shape == (8,)
    reranker = make_reranker(load_settings(reranker="length-test"))
    assert list(reranker.score("q", ["a", "abc"])) == [1.0, 3.0]
    assert make_reranker(load_settings(reranker="length-test", rerank=False)) is None


def test_the_cli_offers_what_the_registry_holds():
    from ui.cli import cli

    option = next(p for p in cli.params if p.name == "embedder")
    assert set(option.type.choices) == {*EMBEDDERS.names(), *EMBEDDER_ALIASES}
    assert {"minilm", "minilm-int8", "bge-small"} <= set(option.type.choices)


def test_serving_keys_come_from_settings(monkeypatch):
    """DOCQA_API_KEYS is read by Settings like every other DOCQA_ variable, not by the CLI on its own."""
    monkeypatch.setenv("DOCQA_API_KEYS", "k1, k2")
    assert load_settings().api_keys == "k1, k2"

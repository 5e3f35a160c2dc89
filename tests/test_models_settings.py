"""The data model's JSON form and the settings object: fast, no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.models import Answer, Chunk, Citation, Passage
from qa.settings import Settings


def _answer() -> Answer:
    chunk = Chunk(id="c1", doc_id="d1", source="a.txt", index=0, start=10, end=30, text="x" * 20, page=2)
    return Answer(
        question="q", answer="x [1]", abstained=False,
        citations=(Citation(n=1, source="a.txt", start=12, end=20, text="x" * 8, page=2, support=0.9),),
        passages=(Passage(chunk, 0.5, 0.7, 3.2),), timings_ms={"retrieve": 1, "answer": 2, "total": 3},
    )


def test_answer_to_dict_has_the_contract_keys_and_types():
    obj = _answer().to_dict()
    assert list(obj)[:6] == ["question", "answer", "abstained", "citations", "passages", "timings_ms"]
    assert obj["citations"][0] | {} == {"n": 1, "source": "a.txt", "start": 12, "end": 20, "text": "x" * 8,
                                        "passage": 0, "page": 2, "support": 0.9}
    passage = obj["passages"][0]
    assert (passage["source"], passage["start"], passage["end"], passage["score"]) == ("a.txt", 10, 30, 0.5)
    assert all(isinstance(v, float) for v in obj["timings_ms"].values())


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("DOCQA_INDEX", "/tmp/somewhere")
    monkeypatch.setenv("DOCQA_TOP_K", "7")
    monkeypatch.setenv("DOCQA_CHROMA_URL", "http://127.0.0.1:8123/")
    s = Settings()
    assert s.index == Path("/tmp/somewhere") and s.top_k == 7 and s.chroma_url == "http://127.0.0.1:8123"
    assert s.with_overrides(top_k=None, collection="other").collection == "other"
    assert s.with_overrides(top_k=None).top_k == 7


@pytest.mark.parametrize("field,value", [("chroma_url", "localhost:8000"), ("top_k", 0), ("generator", "gpt")])
def test_bad_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Settings(**{field: value})


@pytest.mark.parametrize("name", ["../x", "a", "has space", "-lead", "x..y"])
def test_collection_names_follow_chromas_rule(name):
    with pytest.raises(ValueError, match="collection"):
        Settings(collection=name)

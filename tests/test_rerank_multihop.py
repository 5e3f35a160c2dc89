"""Cross-encoder reranking (real packaged model, N budget) and second-hop retrieval on a constructed bridge question."""

from __future__ import annotations

import pytest

from qa.multihop import bridge_entities, fuse_rounds, second_hop_query

BRIDGE = {
    "quellmoor.txt": "Quellmoor Bridge\n\nThe Quellmoor Bridge spans the river at Marrowby. It was designed by the "
                     "architect Delphine Ashbury and opened in 1961.",
    "ashbury.txt": "Delphine Ashbury\n\nDelphine Ashbury grew up by the sea in Thornwick, the town of her birth, "
                   "and later taught design.",
    # Biographies that match "architect ... born ... town" better than Ashbury's own entry does.
    "brandt.txt": "Hugo Brandt\n\nThe architect Hugo Brandt was born in the town of Ellesmere and designed railway stations.",
    "okafor.txt": "Ada Okafor\n\nThe architect Ada Okafor was born in the town of Lagos and designed bridges and towers.",
    "lind.txt": "Erik Lind\n\nThe bridge architect Erik Lind was born in the town of Visby; many towns have his bridges.",
    "bread.txt": "Sourdough\n\nSourdough bread needs a starter of flour and water that ferments for several days.",
}
QUESTION = "In which town was the architect of the Quellmoor Bridge born?"


def test_bridge_entities_prefer_names_near_the_relation_the_question_asks_about():
    passage = BRIDGE["quellmoor.txt"].split("\n\n", 1)[1]
    assert bridge_entities(QUESTION, [passage], limit=2) == ["Delphine Ashbury", "Marrowby"]
    assert bridge_entities("Where was Delphine Ashbury born?", ["Delphine Ashbury was born in Thornwick."]) == ["Thornwick"]
    assert bridge_entities("Who is Delphine Ashbury?", ["Delphine Ashbury was born in Thornwick."]) == []
    assert bridge_entities("What is it?", ["It was. The end."]) == []
    assert bridge_entities("ATACMS", ["Biden allowed ATACMS strikes, said Keir Starmer."]) == []
    assert second_hop_query(QUESTION, "Delphine Ashbury").startswith("Delphine Ashbury ")
    assert "Quellmoor" not in second_hop_query(QUESTION, "Delphine Ashbury")


def test_fuse_rounds_keeps_each_items_best_rank_not_a_sum():
    first = ["a", "g1", "g2", "g3"]
    second = ["b", "g1", "g2"]  # g1/g2 are in both lists; b only in the second
    fused = [item for item, _ in fuse_rounds([first, second], [1.0, 1.0], key=str, k=10)]
    assert fused[:2] == ["a", "b"]  # ties: the first round first
    assert fused.index("b") < fused.index("g1")
    lighter = [item for item, _ in fuse_rounds([first, second], [1.0, 0.5], key=str, k=10)]
    assert lighter.index("b") > lighter.index("g1")


@pytest.fixture(scope="module")
def bridge_index(tmp_path_factory, embedder):
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("bridge")
    for name, text in BRIDGE.items():
        (base / name).write_text(text + "\n", "utf-8")
    docqa = DocQA.open(index=base / "index", embedder=embedder)
    docqa.ingest([str(base / name) for name in BRIDGE])
    yield docqa
    docqa.close()


@pytest.mark.slow
def test_second_round_finds_the_passage_the_question_does_not_name(bridge_index):
    retriever = bridge_index.retriever
    one_round = [p.source.rsplit("/", 1)[-1] for p in retriever.retrieve(QUESTION, k=2, multihop=False)]
    result = retriever.retrieve(QUESTION, k=2, multihop=True)
    two_rounds = [p.source.rsplit("/", 1)[-1] for p in result]
    assert "ashbury.txt" not in one_round, one_round
    assert two_rounds == ["quellmoor.txt", "ashbury.txt"], two_rounds
    assert "multihop" in result.timings_ms
    # Without the cross-encoder nothing could judge the merge: no second round (and no time spent on it).
    plain = retriever.retrieve(QUESTION, k=2, multihop=True, rerank=False)
    assert "ashbury.txt" not in [p.source.rsplit("/", 1)[-1] for p in plain] and "multihop" not in plain.timings_ms


@pytest.mark.slow
def test_the_cross_encoder_decides_whether_a_second_round_passage_displaces_a_first_round_one(bridge_index):
    from qa.retrieval import HybridRetriever

    def top(margin: float) -> list[str]:
        settings = bridge_index.settings.with_overrides(multihop_margin=margin)
        retriever = HybridRetriever(settings, bridge_index.embedder, bridge_index.store, bridge_index.lexical,
                                    bridge_index.retriever.reranker)
        return [p.source.rsplit("/", 1)[-1] for p in retriever.retrieve(QUESTION, k=2, multihop=True)]

    # The default margin lets the biography that answers the bridge question in; a margin no score can beat
    # keeps round one's order (the best first-round passage is first either way).
    assert top(bridge_index.settings.multihop_margin) == ["quellmoor.txt", "ashbury.txt"]
    one_round = [p.source.rsplit("/", 1)[-1] for p in bridge_index.retriever.retrieve(QUESTION, k=2, multihop=False)]
    assert top(1000.0) == one_round


class Counting:
    """The real packaged cross-encoder, counting how many texts it is asked to score."""

    def __init__(self) -> None:
        from qa.onnx_models import packaged_cross_encoder

        self.model = packaged_cross_encoder()
        self.sizes: list[int] = []

    def score(self, query, texts):
        self.sizes.append(len(texts))
        return self.model.score(query, texts)


@pytest.mark.slow
def test_reranker_puts_the_relevant_passage_first_within_its_budget(bridge_index):
    from qa.retrieval import HybridRetriever

    counting = Counting()
    # The reranking budget alone; the second hop's own budget is checked at the end.
    settings = bridge_index.settings.with_overrides(rerank_candidates=3, candidates=6, multihop=False)
    retriever = HybridRetriever(settings, bridge_index.embedder, bridge_index.store, bridge_index.lexical, counting)
    passages = retriever.retrieve("What does sourdough bread need to ferment?", k=3, mode="hybrid-nodiv")
    assert passages[0].source.endswith("bread.txt")
    assert counting.sizes == [3]  # six candidates, at most three reranked
    assert "rerank" in passages.timings_ms
    retriever.retrieve("Who designed the Quellmoor Bridge?", k=3, rerank=False)
    assert counting.sizes == [3]  # rerank=False skips the model
    top = retriever.retrieve("Who designed the Quellmoor Bridge?", k=1)
    assert top[0].source.endswith("quellmoor.txt")
    # With the second hop, round one still reranks at most 3, and each round-two list adds at most 2 texts.
    counting.sizes.clear()
    hop = HybridRetriever(settings.with_overrides(multihop=True, multihop_candidates=2), bridge_index.embedder,
                          bridge_index.store, bridge_index.lexical, counting)
    assert hop.retrieve(QUESTION, k=2)[0].source.endswith("quellmoor.txt")
    assert counting.sizes[0] == 3 and len(counting.sizes) > 1 and max(counting.sizes[1:]) <= 2, counting.sizes


def test_make_reranker_follows_the_setting():
    from qa.retrieval import make_reranker
    from qa.settings import Settings

    assert make_reranker(Settings(rerank=False)) is None
    assert make_reranker(Settings(rerank=True)).score("q", ["a", "b"]).shape == (2,)


@pytest.mark.slow
def test_docqa_shares_one_cross_encoder_between_reranking_and_callers(tmp_path, embedder):
    from qa.api import DocQA

    docqa = DocQA.open(index=tmp_path / "index", embedder=embedder, rerank=True)
    assert docqa.retriever.reranker is docqa.cross_encoder
    scores = docqa.cross_encoder.score("Where was Delphine Ashbury born?",
                                       ["She taught design.", "Delphine Ashbury was born in Thornwick."])
    assert scores[1] > scores[0]
    off = DocQA.open(index=tmp_path / "index2", embedder=embedder, rerank=False)
    assert off.retriever.reranker is None and off.cross_encoder is not None


@pytest.mark.slow
def test_cli_rerank_flags_and_embedder_option(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from ui.cli import cli

    monkeypatch.delenv("DOCQA_RERANK", raising=False)
    for name, text in BRIDGE.items():
        (tmp_path / name).write_text(text + "\n", "utf-8")
    runner = CliRunner()
    index = str(tmp_path / "index")
    assert runner.invoke(cli, ["--index", index, "ingest", "-q", str(tmp_path)]).exit_code == 0
    for flag in ("--rerank", "--no-rerank"):
        result = runner.invoke(cli, ["--index", index, "ask", "Who designed the Quellmoor Bridge?", "--json", flag])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)  # stderr may carry warnings
        assert ("retrieve_rerank" in answer["timings_ms"]) == (flag == "--rerank")
        assert answer["passages"][0]["source"].endswith("quellmoor.txt")
    # Another embedder than the index was built with: one clear error asking for a rebuild.
    result = runner.invoke(cli, ["--index", index, "--embedder", "bge-small", "ask", "Who designed it?"])
    assert result.exit_code != 0 and "--rebuild" in result.output
    assert runner.invoke(cli, ["--embedder", "nope", "sources"]).exit_code != 0

"""Unit tests of eval.metrics on hand-computed examples and edge cases."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    abstention_scores,
    contains_gold,
    exact_match,
    hit_at_k,
    mean,
    ndcg_at_k,
    normalize_answer,
    over_abstention_rate,
    percentile,
    reciprocal_rank,
    source_matches,
    token_f1,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The 190-mile ATACMS!", "190 mile atacms"),
        ("  A   quick\tfox ", "quick fox"),
        ("Mr Biden’s decision", "mr bidens decision"),
        ("Mr Biden's decision", "mr bidens decision"),
        ("100,000 soldiers", "100000 soldiers"),
        ("It has a 50-mile range [1].", "it has 50 mile range"),
        ("Kursk [1, 2] and Moscow [3]", "kursk and moscow"),
        ("anti–democratic — he said", "anti democratic he said"),
        ("theme and anthem", "theme and anthem"),  # articles only as whole words
        ("", ""),
    ],
)
def test_normalize_answer(raw, expected):
    assert normalize_answer(raw) == expected


def test_contains_gold_matches_whole_words_after_normalisation():
    assert contains_gold("They are 190 mile missiles.", ["190-mile"]) is True
    assert contains_gold("ATACMS reach 190 miles [1].", ["190-mile"]) is True  # plural tolerated
    assert contains_gold("A 150-mile range.", ["50-mile"]) is False  # no match inside a number
    assert contains_gold("He wrote on X.", ["X"]) is True
    assert contains_gold("Xavier wrote it.", ["X"]) is False
    assert contains_gold("Nothing here.", ["Kursk", "Moscow"]) is False
    assert contains_gold("Only Moscow.", ["Kursk", "Moscow"]) is True


def test_answer_metrics_do_not_apply_without_golds():
    assert contains_gold("anything", []) is None
    assert exact_match("anything", []) is None
    assert token_f1("anything", []) is None
    assert contains_gold("anything", ["  ", "!"]) is None  # golds that normalise to nothing


def test_exact_match():
    assert exact_match("The Kursk region.", ["Kursk region"]) is True
    assert exact_match("Kursk region", ["Kursk"]) is False
    assert exact_match("Emmanuel Macron", ["Macron", "Emmanuel Macron"]) is True


def test_token_f1_hand_computed():
    # prediction tokens: ukraine captured several settlements (4); gold: several settlements (2)
    # overlap 2 -> precision 2/4, recall 2/2 -> F1 = 2 * 0.5 * 1 / 1.5 = 2/3
    assert token_f1("Ukraine captured several settlements.", ["several settlements"]) == pytest.approx(2 / 3)
    assert token_f1("Kursk", ["Moscow", "Kursk"]) == 1.0  # best gold wins
    assert token_f1("Moscow", ["Kursk"]) == 0.0
    assert token_f1("", ["Kursk"]) == 0.0
    # repeated tokens count only as often as they occur in both (multiset overlap)
    assert token_f1("war war war", ["war"]) == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))


@pytest.mark.parametrize(
    ("source", "gold", "expected"),
    [
        ("seeds/000_x.txt", "000_x.txt", True),
        ("/work/main/seeds/000_x.txt", "000_x.txt", True),
        ("/work/main/seeds/000_x.txt", "seeds/000_x.txt", True),
        ("000_x.txt", "seeds/000_x.txt", True),
        ("./seeds/000_x.txt", "seeds/000_x.txt", True),
        ("seeds\\000_x.txt", "000_x.txt", True),
        ("seeds/000_x.txt", "other/000_x.txt", False),
        ("seeds/1000_x.txt", "000_x.txt", False),
        ("seeds/000_x.txt.bak", "000_x.txt", False),
        ("", "000_x.txt", False),
    ],
)
def test_source_matches(source, gold, expected):
    assert source_matches(source, gold) is expected


def test_rank_metrics_hand_computed():
    ranked = ["docs/a.txt", "docs/a.txt", "docs/b.txt", "docs/c.txt", "docs/d.txt"]
    # distinct ranking: a, b, c, d -> gold c is at rank 3
    assert hit_at_k(ranked, ["c.txt"], 2) is False
    assert hit_at_k(ranked, ["c.txt"], 3) is True
    assert reciprocal_rank(ranked, ["c.txt"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, ["a.txt"]) == 1.0
    assert reciprocal_rank(ranked, ["z.txt"]) == 0.0
    # golds b and d: DCG@4 = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(ranked, ["b.txt", "d.txt"], 4) == pytest.approx(expected)
    assert ndcg_at_k(ranked, ["a.txt"], 4) == 1.0
    assert ndcg_at_k(ranked, ["z.txt"], 4) == 0.0
    # a gold listed twice does not raise the ideal
    assert ndcg_at_k(ranked, ["a.txt", "a.txt"], 4) == 1.0


def test_rank_metrics_edge_cases():
    assert hit_at_k([], ["a.txt"], 5) is False
    assert ndcg_at_k([], ["a.txt"], 5) == 0.0
    assert hit_at_k(["a.txt"], [], 5) is None
    assert reciprocal_rank(["a.txt"], []) is None
    assert ndcg_at_k(["a.txt"], [], 5) is None
    with pytest.raises(ValueError):
        hit_at_k(["a.txt"], ["a.txt"], 0)
    with pytest.raises(ValueError):
        ndcg_at_k(["a.txt"], ["a.txt"], 0)


def test_percentile_interpolates_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)  # position 2.85 -> 30 + 0.85 * 10
    assert percentile([7.0], 95) == 7.0
    assert percentile(reversed(values), 50) == 25.0  # order of input does not matter
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_mean_skips_metrics_that_do_not_apply():
    assert mean([True, False, None, True]) == pytest.approx(2 / 3)
    assert mean([None, None]) is None
    assert mean([]) is None


def test_abstention_scores_hand_computed():
    outcomes = [
        (True, True),  # unanswerable, abstained: correct
        (True, True),
        (True, False),  # unanswerable, answered: a wrong answer
        (False, True),  # answerable, abstained: a needless abstention
        (False, False),
        (False, False),
    ]
    precision, recall, wrong_answer_rate = abstention_scores(outcomes)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert wrong_answer_rate == pytest.approx(1 / 3)
    assert over_abstention_rate(outcomes) == pytest.approx(1 / 3)


def test_abstention_scores_without_denominators():
    only_answerable = [(False, False), (False, False)]
    scores = abstention_scores(only_answerable)
    assert scores.precision is None  # nothing abstained
    assert scores.recall is None and scores.wrong_answer_rate is None  # nothing unanswerable
    assert over_abstention_rate(only_answerable) == 0.0
    assert over_abstention_rate([(True, True)]) is None
    assert abstention_scores([]) == (None, None, None)

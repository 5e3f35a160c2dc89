"""Comparisons of two named things and yes/no questions about both, on article openings written for these tests."""

from __future__ import annotations

import pytest

from qa.comparison import compare, judge_pair, two_things
from qa.compose import Evidence

ARTICLES = {
    "Ilse Marwick": "Ilse Marwick (4 May 1921 – 9 March 1990) was a Canadian stage designer. She was born in Halifax. "
                    "She was appointed to the Order of Canada in 1967.",
    "Tobias Renn": "Tobias Renn (18 August 1921 – 2 March 1990) was an English architect. He was born in Leeds. "
                   "He was knighted in 1967 for services to architecture.",
    "Oda Fenwick": "Oda Fenwick (born 2 June 1948) was a Scottish composer. She recorded for the label Harrowgate "
                   "Records from 1970. The critic Tobias Renn wrote that her 1973 album was the best of the year.",
    "Ravensholm": "Ravensholm is a port town with a population of 1.2 million. It was founded in 1403 by fishermen.",
    "Keldby": "Keldby is a market town with a population of 640,000. It was founded in 1288.",
    "The Lantern Years": "The Lantern Years is a 1961 drama film directed by Ilse Marwick.",
    "Salt Road": "Salt Road is a 1961 war film directed by Tobias Renn. It was shot in Portugal.",
    "Mei-ling Chou": "Mei-ling Chou (born 3 March 1950) is an American painter. She was born in Tainan, Taiwan.",
    "Hsu Li-wen": "Hsu Li-wen (born 9 July 1958) is a Taiwanese sculptor. She was born in Taipei, Taiwan.",
}


def pool() -> tuple[list[Evidence], dict[int, str]]:
    """One sentence each, passages numbered as the articles are, and each passage's title."""
    sentences, titles = [], {}
    for p, (title, text) in enumerate(ARTICLES.items()):
        titles[p] = title
        start = 0
        for sentence in text.split(". "):
            sentence = sentence if sentence.endswith(".") else f"{sentence}."
            sentences.append(Evidence(p, start, start + len(sentence), sentence))
            start += len(sentence) + 1
    return sentences, titles


@pytest.mark.parametrize("question,winner", [
    # Born in the same year: the months decide.
    ("Who was born first, Tobias Renn or Ilse Marwick?", "Ilse Marwick"),
    ("Who is younger, Ilse Marwick or Tobias Renn?", "Tobias Renn"),
    # Died in the same year too: the death date, not the birth date.
    ("Who died first, Ilse Marwick or Tobias Renn?", "Tobias Renn"),
    # "1.2 million" is larger than "640,000"; the founding year is no population.
    ("Which town has the larger population, Keldby or Ravensholm?", "Ravensholm"),
    ("Which town was founded first, Ravensholm or Keldby?", "Keldby"),
])
def test_a_comparison_reads_the_compared_value_of_each_side(question, winner):
    sentences, titles = pool()
    composed = compare(question, sentences, titles)
    assert composed is not None and composed.short == winner, composed
    assert len({e.passage for e in composed.sentences}) == 2


def test_a_side_is_read_from_its_own_article_not_from_one_that_mentions_it():
    sentences, titles = pool()
    composed = compare("Who was born first, Oda Fenwick or Tobias Renn?", sentences, titles)
    assert composed is not None and composed.short == "Tobias Renn"
    assert {titles[e.passage] for e in composed.sentences} == {"Oda Fenwick", "Tobias Renn"}


def test_an_age_is_never_read_off_a_count():
    sentences = [Evidence(0, 0, 62, "Maud Ferrier, 81, who founded the walking club, spoke first."),
                 Evidence(1, 0, 75, "The club secretary, Owen Tarrant, said the route had 12 stiles and gates.")]
    composed = compare("Who is older, Maud Ferrier or the club secretary?", sentences, {})
    assert composed is None or composed.short is None, composed


@pytest.mark.parametrize("question,verdict", [
    ("Are Ilse Marwick and Tobias Renn from the same country?", "No"),
    ("Are Tobias Renn and Oda Fenwick from the same country?", "Yes"),  # English and Scottish are both British
    ("Was Tobias Renn knighted in the same year as Ilse Marwick was appointed to the Order of Canada?", "Yes"),
    ("Were The Lantern Years and Salt Road both released in 1961?", "Yes"),
    ("Were The Lantern Years and Salt Road both shot in Portugal?", "No"),
    ("Are Ilse Marwick and Oda Fenwick both Canadian?", "No"),
    # a country named after "born in" is a birthplace, not a nationality: an American painter born in Taiwan
    ("Were Mei-ling Chou and Hsu Li-wen both born in Taiwan?", "Yes"),
    ("Are Mei-ling Chou and Hsu Li-wen both Taiwanese?", "No"),
])
def test_a_yes_no_question_about_two_things_compares_what_each_article_says(question, verdict):
    sentences, titles = pool()
    composed = judge_pair(question, sentences, titles)
    assert composed is not None and composed.short == verdict, composed
    assert len({e.passage for e in composed.sentences}) == 2, "one cited sentence for each side"


def test_a_yes_no_question_about_one_thing_is_not_a_pair():
    sentences, titles = pool()
    assert judge_pair("Was Salt Road shot in Portugal?", sentences, titles) is None
    assert two_things("Did Ilse Marwick and Tobias Renn both design theatres?", {}) == ("Ilse Marwick", "Tobias Renn")


@pytest.mark.slow
@pytest.mark.parametrize("question,short,sources", [
    ("Are Ilse Marwick and Tobias Renn from the same country?", "No", {"marwick.txt", "renn.txt"}),
    ("Were The Lantern Years and Salt Road both released in 1961?", "Yes", {"lantern.txt", "salt.txt"}),
    ("Who died first, Ilse Marwick or Tobias Renn?", "Tobias Renn", {"marwick.txt", "renn.txt"}),
])
def test_pair_answers_through_the_real_index_cite_both_articles(fresh_docqa, tmp_path, question, short, sources):
    files = {"marwick.txt": "Ilse Marwick", "renn.txt": "Tobias Renn", "fenwick.txt": "Oda Fenwick",
             "lantern.txt": "The Lantern Years", "salt.txt": "Salt Road"}
    for name, title in files.items():
        (tmp_path / name).write_text(f"{title}\n\n{ARTICLES[title]}\n", encoding="utf-8")
    fresh_docqa.ingest([tmp_path / name for name in files])
    answer = fresh_docqa.ask(question)
    assert not answer.abstained and answer.answer.startswith(short), answer.answer
    assert {c.source.rsplit("/", 1)[-1] for c in answer.citations} == sources, answer.answer

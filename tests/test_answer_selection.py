"""Sentence selection by the cross-encoder: the answering sentence beats its neighbour that shares more words."""

from __future__ import annotations

import pytest

from qa.abstain import AbstainPolicy, Evidence
from qa.settings import Settings
from tests.conftest import ingest_text

# Written for these tests (no dev or test set uses it): each question's words sit mostly in a neighbouring
# sentence, while the sentence that answers shares few of them.
FERRY = """The Marrow Valley Ferry

The Marrow Valley ferry is the only link between the villages of Hollin and Dunmere.
The ferry service is popular with walkers and tourists during the summer season.
Boats leave the Hollin pier every forty minutes from dawn until dusk.
The crossing was first operated by rowing boats pulled along a chain.
A diesel launch called the Heron replaced them after the old chain snapped in a winter storm.
Tickets are sold on board and children travel free.
"""


@pytest.fixture
def ferry(fresh_docqa, tmp_path):
    return ingest_text(fresh_docqa, tmp_path, "ferry.txt", FERRY)


def _evidence(similarity: float, cross: float | None) -> Evidence:
    return Evidence(similarity=similarity, overlap=0.5, type_ok=True, typed_question=False, cross=cross)


def test_the_cross_term_counts_only_with_its_weight_and_falls_back_to_similarity():
    with_cross = AbstainPolicy(threshold=0.5, weights=(0.3, 0.2, 0.0, 0.1, 0.4))
    assert with_cross.score(_evidence(0.5, 0.9)) > with_cross.score(_evidence(0.5, 0.1))
    # No cross-encoder score: the term reads the embedding similarity, so the scale stays the same.
    assert with_cross.score(_evidence(0.5, None)) == pytest.approx(with_cross.score(_evidence(0.5, 0.5)))
    four = AbstainPolicy(threshold=0.5, weights=(0.3, 0.2, 0.0, 0.1))  # an older calibration file
    assert four.score(_evidence(0.5, 0.9)) == pytest.approx(four.score(_evidence(0.5, 0.1)))


@pytest.mark.slow
@pytest.mark.parametrize("question,answer", [
    # Known limit: the cross-encoder reads one sentence without its surroundings; "Boats leave ... every forty
    # minutes" never says "ferry" and scored 0.002 against 0.373 for the neighbour that does.
    pytest.param("How often does the ferry service run?", "every forty minutes",
                 marks=pytest.mark.xfail(strict=True, reason="the answering sentence never names the ferry")),
    # Known limit: "... replaced them ..." scored 0.002; the sentence naming the rowing boats scored 0.982.
    pytest.param("What replaced the rowing boats on the crossing?", "Heron",
                 marks=pytest.mark.xfail(strict=True, reason="the answering sentence says 'them' for the boats")),
    ("Where do the boats leave from?", "Hollin pier"),
])
def test_the_sentence_that_answers_wins_over_the_one_sharing_words(ferry, question, answer):
    """The best-scored candidate (whether or not the calibrated threshold then lets it through) answers."""
    from qa.generate import GenerationRequest

    generator = ferry.generator("extractive")
    best = generator.best(GenerationRequest(question, question, tuple(ferry.retrieve(question))))
    span, evidence, score = best
    assert answer in span.sentence
    result = ferry.ask(question, generator="extractive")
    if not result.abstained:
        assert answer in result.answer and any(answer in c.text for c in result.citations)


@pytest.mark.slow
def test_candidate_sentences_carry_a_cross_encoder_score(ferry):
    from qa.generate import GenerationRequest

    question = "Where do the boats leave from?"
    passages = tuple(ferry.retrieve(question))
    generator = ferry.generator("extractive")
    scored = generator.candidates(GenerationRequest(question, question, passages))
    assert scored and all(evidence.cross is not None and 0.0 < evidence.cross < 1.0 for _, evidence, _ in scored)
    best = max(scored, key=lambda item: item[1].cross)
    assert "Hollin pier" in best[0].sentence


@pytest.mark.slow
def test_without_the_cross_encoder_the_answerer_still_answers(tmp_path, embedder):
    from qa.api import DocQA

    path = tmp_path / "ferry.txt"
    path.write_text(FERRY, encoding="utf-8")
    docqa = DocQA.open(index=tmp_path / "index", embedder=embedder, answer_rerank=False)
    try:
        docqa.ingest([path])
        generator = docqa.generator("extractive")
        assert generator.cross_encoder is None
        answer = docqa.ask("Which village has the pier the boats leave from?", generator="extractive")
        assert not answer.abstained and "Hollin" in answer.answer
    finally:
        docqa.close()


def test_the_setting_exists_and_defaults_on():
    assert Settings().answer_rerank is True
    assert Settings(answer_rerank=False).answer_rerank is False


def test_a_release_answers_when_something_was_added():
    from qa.answer_types import answer_type, offers
    from qa.short_answer import short_answer

    question = "When was the tomllib module added?"
    wanted = answer_type(question)
    assert wanted.kind == "date" and offers("New in version 3.11.", wanted, question)
    assert short_answer(question, wanted, "New in version 3.11.") == "version 3.11"
    assert not offers("It was one version of events.", wanted, question)


def _composed(question: str, sentences: list[tuple[int, str]], openings: dict[int, str], entities: list[str]):
    """The pool of (passage, text) sentences, the first one best, and what compose() makes of them."""
    from qa.answer_types import answer_type
    from qa.compose import Evidence as Sentence, compose

    pool = [Sentence(passage, 100 * i, 100 * i + len(text), text) for i, (passage, text) in enumerate(sentences)]
    return pool, compose(question, answer_type(question), pool[0], pool[0].text, pool, entities, None, openings)


def test_a_bridge_answer_is_about_the_whole_name_the_bridge_gives():
    """Two people share a first name; only the one the first passage names answers (text written for this test)."""
    _, composed = _composed("Which prize did the architect of the Harlow Dam receive?",
                            [(0, "The Harlow Dam was designed by the architect Petra Lindqvist in 1931."),
                             (1, "In 1950 she received the Amber Prize."), (2, "In 1952 she received the Coral Prize.")],
                            {0: "The Harlow Dam", 1: "Petra Ostrander", 2: "Petra Lindqvist"}, ["Harlow Dam"])
    assert [e.passage for e in composed.sentences] == [0, 2]
    assert composed.short == "Coral Prize"
    assert composed.text().startswith("Coral Prize [3]. The Harlow Dam was designed")


def test_a_bridge_sentence_may_lean_on_the_best_sentence_of_its_own_passage():
    """"It was founded by Mara Quill" names no kettle: the sentence before it in the same entry does (text written
    for this test)."""
    pool, composed = _composed("In which town was the founder of the company that made the Kestrel 5 kettle born?",
                               [(0, "Its first product was the Kestrel 5, a kettle sold across Britain from 1995."),
                                (0, "It was founded in 1990 by the engineer Mara Quill."),
                                (1, "Quill was born in Fenwick, a market town in Cumbria.")],
                               {0: "Brightwater Ltd", 1: "Mara Quill"}, ["Kestrel"])
    assert [e.text for e in composed.sentences] == [pool[1].text, pool[2].text]
    assert composed.short == "Fenwick"


def test_a_question_naming_its_subject_through_two_relations_is_answered_by_a_third_passage():
    """"the founder of the club whose ground is X": the ground's entry names the club, the club's entry its founder,
    and only the founder's entry says where he was born (text written for this test)."""
    _, composed = _composed("In which town was the founder of the club whose home ground is Marlow Park born?",
                            [(0, "Marlow Park has been the home ground of Fenwick Rovers since 1921."),
                             (1, "Fenwick Rovers was founded in 1888 by a group of miners led by Edwin Hale."),
                             (2, "He was born in Calder Bridge and worked as a pit engineer."),
                             (3, "Tom Ashby was born in Leeds and founded a brewery.")],
                            {0: "Marlow Park", 1: "Fenwick Rovers", 2: "Edwin Hale", 3: "Tom Ashby"}, ["Marlow Park"])
    assert [e.passage for e in composed.sentences] == [0, 1, 2]
    assert composed.short == "Calder Bridge"
    assert composed.text().startswith("Calder Bridge [3]. Marlow Park has been")


def test_a_question_with_one_relation_is_no_three_hop_question():
    from qa.answer_types import answer_type
    from qa.compose import Evidence as Sentence, three_hops

    question = "In which town was the founder of Fenwick Rovers born?"
    pool = [Sentence(1, 0, 70, "Fenwick Rovers was founded in 1888 by a group of miners led by Edwin Hale."),
            Sentence(2, 0, 60, "He was born in Calder Bridge and worked as a pit engineer."),
            Sentence(3, 0, 60, "Calder Bridge is a town in Cumbria where Hale was born.")]
    topics = {1: "Fenwick Rovers", 2: "Edwin Hale", 3: "Calder Bridge"}
    assert three_hops(question, answer_type(question), pool, topics, {"fenwick", "rover"}) is None


def test_a_companion_pair_never_drops_what_the_best_sentence_says():
    """The best sentence names the guarantor but not the flat; a pair naming the flat and the agent would lose the
    guarantor (text written for this test; every passage is of the one titled agreement)."""
    from qa.answer_types import answer_type
    from qa.compose import Evidence as Sentence, compose

    question = "Who is the guarantor on the Flat 4 tenancy?"
    texts = [(0, "1.3 The Guarantor: Odile Marchetti, of 5 Fern Row, York, who guarantees the rent."),
             (2, "2.1 The Property is Flat 4, 9 Heron Court, Leeds, a two-bedroom flat."),
             (1, "1.2 The Agent: Larchmont Lettings Ltd, who will manage the Property.")]
    pool = [Sentence(passage, 100 * i, 100 * i + len(text), text) for i, (passage, text) in enumerate(texts)]
    composed = compose(question, answer_type(question), pool[0], pool[0].text, pool, ["Flat"],
                       lambda answers: [0.5] * len(answers), {1: "TENANCY AGREEMENT"},
                       titles={i: "TENANCY AGREEMENT" for i in range(3)})
    assert [e.passage for e in composed.sentences] == [0]
    assert composed.short == "Odile Marchetti"


def test_a_relation_said_of_someones_kin_is_not_theirs():
    """"a grandson of the founder" founded nothing: the founder is in the sentence saying "founded by" (text
    written for this test)."""
    _, composed = _composed("Who founded the company that makes the Wren kettle?",
                            [(0, "The Wren kettle is made by Halvard Appliances."),
                             (1, "Tomas Virtanen, a grandson of the founder, ran Halvard Appliances from 1960."),
                             (1, "Halvard Appliances was founded in 1921 by the tinsmith Aino Virtanen.")],
                            {0: "Wren kettle", 1: "Halvard Appliances"}, ["Wren"])
    assert composed.short == "Aino Virtanen"
    assert [e.text for e in composed.sentences][-1].endswith("tinsmith Aino Virtanen.")


def test_a_best_sentence_that_with_its_entry_says_all_the_question_needs_no_entry_about_a_name_in_it():
    """"the drummer Pia Lund" under "Corrow (band)" answers; the entry about the singer it also names does not (text
    written for this test)."""
    _, composed = _composed("Who is the drummer of Corrow?",
                            [(0, "The group consists of the singer Ada Brisk, the bassist Tom Vey and the drummer Pia Lund."),
                             (1, "Ada Brisk (born 2 May 1971) is a Welsh singer and songwriter.")],
                            {0: "Corrow (band)", 1: "Ada Brisk"}, ["Corrow"])
    assert [e.passage for e in composed.sentences] == [0]
    assert composed.short == "Pia Lund"


def test_a_sentence_naming_the_asked_things_is_not_followed_by_one_naming_someone_else():
    """"Which libraries ...?" is answered by the sentence listing them even when it does not name the council; a
    second sentence naming the council and a councillor adds no answer (text written for this test)."""
    pool, composed = _composed("Which libraries is Dunmere council closing?",
                               [(1, "The libraries at Hollins Green, Marlow Street and Fenby will shut on 30 August."),
                                (0, "Dunmere council's Cllr Ada Quayle said the libraries cost £410,000 a year.")],
                               {0: "Dunmere council votes on its libraries"}, ["Dunmere"])
    assert composed.sentences == (pool[0],)
    assert composed.short == "Hollins Green, Marlow Street and Fenby"

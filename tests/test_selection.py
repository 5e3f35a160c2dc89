"""The fitted sentence selector, and the answer-type checks that decide which sentences may answer at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.abstain import Evidence
from qa.answer_types import answer_type, names_in, offers
from qa.relation import relation_words
from qa.text import stem
from qa.selection import FEATURES, SELECTION_FILE, Candidate, Selector, code_like, features, fit

SETS = Path(__file__).resolve().parent.parent / "eval" / "sets"


def _candidate(text: str, *, similarity: float = 0.5, overlap: float = 0.5, cross: float | None = 0.5,
               rank: int = 0) -> Candidate:
    evidence = Evidence(similarity=similarity, overlap=overlap, type_ok=True, typed_question=False,
                        passage_rank=rank, cross=cross)
    return Candidate(text, clause=False, lead=False, evidence=evidence)


def test_features_are_one_row_per_candidate_in_the_named_order():
    rows = features([_candidate("a b c", cross=0.9, rank=2), _candidate("d e", cross=None)])
    assert rows.shape == (2, len(FEATURES))
    cross = FEATURES.index("cross")
    assert rows[0, cross] > 0 and rows[1, cross] == pytest.approx(0.0)  # no score reads as undecided (p = 0.5)
    assert rows[0, FEATURES.index("passage_rank")] == pytest.approx(0.2)


def test_fit_learns_which_evidence_marks_the_gold_sentence():
    # Gold always has the higher cross-encoder score but the lower embedding similarity: the fit must trust cross.
    cases = []
    for i in range(12):
        gold = _candidate(f"gold {i}", similarity=0.3 + 0.01 * i, cross=0.8)
        decoy = _candidate(f"decoy {i}", similarity=0.6 + 0.01 * i, cross=0.2)
        cases.append(([decoy, gold], [False, True]) if i % 2 else ([gold, decoy], [True, False]))
    selector = fit(cases)
    weights = dict(zip(FEATURES, selector.weights))
    assert weights["cross"] > 0 > weights["similarity"]
    assert all(selector.choose(c) == g.index(True) for c, g in cases)
    unseen = [_candidate("decoy", similarity=0.9, cross=0.3), _candidate("gold", similarity=0.2, cross=0.7)]
    assert selector.choose(unseen) == 1


def test_cases_without_a_gold_candidate_do_not_move_the_fit():
    assert fit([([_candidate("x")], [False])]).weights == (0.0,) * len(FEATURES)


def test_a_selector_file_round_trips_and_a_stale_one_is_ignored(tmp_path):
    path = tmp_path / "selection.json"
    path.write_text(json.dumps({"weights": {name: float(i) for i, name in enumerate(FEATURES)}}), "utf-8")
    assert Selector.load(path) == Selector(tuple(float(i) for i in range(len(FEATURES))))
    path.write_text(json.dumps({"weights": {"similarity": 1.0}}), "utf-8")  # fitted on other features
    assert Selector.load(path) is None
    assert Selector.load(tmp_path / "missing.json") is None


def test_the_shipped_selector_is_fitted_on_the_current_features():
    selector = Selector.load(SELECTION_FILE)
    assert selector is not None, f"{SELECTION_FILE} is missing or stale: run python -m eval.fit_selector --write"
    assert any(w != 0 for w in selector.weights)


def test_no_test_split_can_feed_a_calibration_or_a_fit():
    from eval.calibrate import is_test_set, main

    sets = sorted(SETS.glob("*_test.jsonl"))
    assert sets and all(is_test_set(path) for path in sets)  # the mixed-chat and fresh-wiki splits too
    assert is_test_set(SETS / "seeds.jsonl") and not is_test_set(SETS / "mixed_chat_dev.jsonl")
    with pytest.raises(SystemExit):  # argparse refuses before anything is ingested
        main(["--set", str(SETS / "mixed_chat_test.jsonl"), "--docs", str(SETS / "mixed_chat_corpus")])


@pytest.mark.parametrize("text,code", [
    (">>> render_page(4) 'ok'", True),
    ("$ pip install larkspur", True),
    ('cfg = Config(path="/etc/lark", retries=3)', True),
    ("New in version 2.4.", False),
    ("Returns a list of the archive's member names, in the order they were added.", False),
    ("| merge() | Combine two catalogues, keeping the newer entry |", False),  # a table row is prose in cells
])
def test_code_is_told_from_prose(text, code):
    assert code_like(text) is code


def test_relation_words_are_what_the_question_asks_about_the_named_thing():
    assert relation_words("Who moderates comp.lang.python?", ["comp.lang.python"]) == {stem("moderates")}
    assert relation_words("Which university did Ilse Marr graduate from?", ["Ilse Marr"]) == \
        {stem("university"), stem("graduate")}


# Answer types: the checks that keep a sentence without the asked kind of answer out ---------------------------

@pytest.mark.parametrize("text", ["a radio serial from the 1950s", "built in the 1880’s", "in the 14th century",
                                  "during the eighteenth century"])
def test_decades_and_centuries_answer_when(text):
    assert offers(text, answer_type("When was it broadcast?"), "When was it broadcast?")


def test_a_sentence_without_any_time_does_not_answer_when():
    assert not offers("a radio serial about ships", answer_type("When was it broadcast?"), "When was it broadcast?")


@pytest.mark.parametrize("text,place", [
    ("She grew up in the Faroe Islands.", True),
    ("The trains leave the Kelby station at noon.", True),
    ("Another name for the method is Hartwell smoothing.", False),  # a name, but not a place
    ("Lindqvist painted it.", False),
])
def test_where_wants_a_name_written_as_a_place(text, place):
    question = "Where was she born?"
    assert offers(text, answer_type(question), question) is place


def test_which_country_accepts_bare_names():
    question = "Which countries did the envoy visit?"
    assert offers("The envoy toured Norway, Chile and Kenya.", answer_type(question), question)


def test_sentence_opening_words_are_not_names():
    assert names_in("Does Python have a compiler?") == ["Python"]
    assert "Unlike" not in names_in("Unlike Perl programmers, most users ignore it.")
    assert names_in("Monty Python is a troupe.") == ["Monty", "Python"]


def test_parts_of_a_dotted_name_in_the_question_are_not_an_answer():
    question = "Who moderates comp.lang.python?"
    assert not offers("Releases are announced on comp.lang.python and the Python home page.",
                      answer_type(question), question)
    assert offers("Releases are announced by Ada Lindqvist on comp.lang.python.", answer_type(question), question)


# With the real models ---------------------------------------------------------------------------------------

def _ingest(docqa, path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    docqa.ingest([path])


RADIO = """The Lantern Hour

The Lantern Hour was a radio drama produced by the Harbour Players.
It was broadcast on Sunday evenings during the 1950s.
The Harbour Players recorded every episode in a converted boathouse.
After eleven seasons of weekly episodes, the company moved on to television.
"""


@pytest.mark.slow
def test_follow_ups_find_the_decade_and_the_sentence_that_names_the_topic_before(fresh_docqa, tmp_path):
    assert fresh_docqa.generator("extractive").selector is not None  # the shipped fit is what answers
    _ingest(fresh_docqa, tmp_path / "radio.txt", RADIO)
    history = [{"role": "user", "content": "Who produced The Lantern Hour?"},
               {"role": "assistant", "content": "The Harbour Players."}]
    when = fresh_docqa.ask("When was it broadcast?", history=history)
    assert not when.abstained and "1950s" in when.answer, when.answer
    where = fresh_docqa.ask("Where did the Harbour Players record it?", history=history)
    assert not where.abstained and "boathouse" in where.answer, where.answer


def test_the_short_answer_is_never_what_the_standalone_query_resolved_to():
    from qa.compose import Evidence as Sentence, compose

    question = "Who did it hire?"  # "it" resolved to the Lantern Trust by the conversation
    wanted = answer_type(question)
    sentence = Sentence(0, 0, 50, "The Lantern Trust hired Maren Odegaard in 2019.")
    composed = compose(question, wanted, sentence, sentence.text, [sentence], [], known="Who did the Lantern Trust hire?")
    assert composed.short == "Maren Odegaard"
    lone = Sentence(0, 0, 40, "The Lantern Trust hired her in 2019.")
    assert compose(question, wanted, lone, lone.text, [lone], [], known="Who did the Lantern Trust hire?").short is None
    assert compose(question, wanted, lone, lone.text, [lone], []).short == "Lantern Trust"  # the old slip


TOWER = """Hollis Vane

Hollis Vane (born 1931 in Dunmere) is remembered as an engineer of unusual patience.
He studied geology at the Corran Polytechnic.
He spent most of his working life in Saltcombe.
"""


@pytest.mark.slow
def test_the_sentence_with_the_asked_relation_answers_not_the_one_with_any_place(fresh_docqa, tmp_path):
    # Both sentences name a place; only one says where he studied.
    _ingest(fresh_docqa, tmp_path / "vane.txt", TOWER)
    answer = fresh_docqa.ask("Where did Hollis Vane study?")
    assert not answer.abstained and "Corran Polytechnic" in answer.answer, answer.answer
    assert "Corran Polytechnic" in (answer.short_answer or ""), answer.short_answer


@pytest.mark.parametrize("question,answer,says", [
    ("Who moderates comp.lang.python?", "Usenet [1]. The newsgroup and the list are gatewayed into each other [1].",
     False),
    ("Who moderates comp.lang.python?", "Sven Guckes [1]. The list is moderated by Sven Guckes [1].", True),
    ("Where did Edda Lund study?", "Halm Conservatory [1]. She was educated at the Halm Conservatory [1].", True),
    ("How many people work at the Harbour Trust?", "2019 [1]. The Harbour Trust was formed in 2019 [1].", False),
    ("When did the siege happen?", "1871 [1]. The siege began in the winter of 1871 [1].", True),  # generic verb
    ("Why did the keepers leave?", "Because the light was automated [1].", True),  # a reason may be worded any way
])
def test_an_answer_must_say_the_relation_a_typed_question_asks(question, answer, says):
    from qa.generate import GenerationRequest
    from qa.relation import says_asked_relation

    assert says_asked_relation(GenerationRequest(question, question, ()), answer) is says


NEWSGROUP = """The Kestrel Newsgroup

rec.birds.kestrel is the newsgroup for people who watch kestrels. It receives about forty postings a day.
The newsgroup was founded in 1994 by Tove Larsen, a warden on the island of Fenmoor.
Its archive is mirrored on three university servers.
"""


@pytest.mark.slow
def test_a_follow_up_asking_a_relation_no_sentence_says_is_not_answered(fresh_docqa, tmp_path):
    _ingest(fresh_docqa, tmp_path / "kestrel.txt", NEWSGROUP)
    history = [{"role": "user", "content": "Which newsgroup is about kestrels?"},
               {"role": "assistant", "content": "rec.birds.kestrel [1]."}]
    moderator = fresh_docqa.ask("Who moderates it?", history=history)
    assert moderator.abstained, moderator.answer
    founder = fresh_docqa.ask("Who founded it?", history=history)
    assert not founder.abstained and "Tove Larsen" in founder.answer, founder.answer


def test_the_asked_type_noun_is_no_relation():
    from qa.generate import GenerationRequest
    from qa.relation import says_asked_relation

    question = "Which countries did the envoy visit?"  # "countries" names the answer's type, "visit" the relation
    assert says_asked_relation(GenerationRequest(question, question, ()), "Norway [1]. The envoy visited Norway [1].")
    assert not says_asked_relation(GenerationRequest(question, question, ()), "Norway [1]. She was born in Norway [1].")


def test_without_kin_drops_relations_said_of_someones_relatives():
    from qa.text import stems, without_kin

    assert "found" not in stems(without_kin("Hiroshi Yamauchi, a descendant of the founder, ran the company."))
    assert "found" in stems(without_kin("Fusajiro Yamauchi, the founder, made playing cards."))
    assert "director" in stems(without_kin("She married the director in 1950."))


@pytest.mark.slow
def test_calibration_collects_and_replays_real_candidates(tmp_path):
    """`python -m eval.calibrate` and `eval.fit_selector` read candidates through `collect`: run it for real."""
    from eval.calibrate import calibrate, collect, replay
    from qa.abstain import AbstainPolicy

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kiln.txt").write_text("Brannock Tiles runs five kilns in Stoke. The oldest kiln was built in 1921.\n"
                                   "Anton Reyes has been chief executive since 2019.\n", encoding="utf-8")
    cases = tmp_path / "dev.jsonl"
    cases.write_text("\n".join(json.dumps(c) for c in [
        {"id": "a", "question": "When was the oldest kiln built?", "answers": ["1921"]},
        {"id": "b", "question": "Who is the chief executive of Brannock Tiles?", "answers": ["Anton Reyes"]},
        {"id": "u", "question": "How many staff work at the Leek depot?", "answers": []},
    ]) + "\n", encoding="utf-8")
    records = collect(docs, cases)
    assert [r.case.id for r in records] == ["a", "b", "u"]
    assert all(r.candidates or r.early_abstain for r in records)
    outcomes = replay(records, AbstainPolicy(threshold=0.0))
    assert outcomes[0][2] and outcomes[1][2], outcomes  # the chosen sentences carry the gold answers
    result = calibrate(records)
    assert 0.0 < result["threshold"] < 2.0 and len(result["weights"]) == 6, result

"""Bridge questions on encyclopedia-style openings written for these tests: which name the second hop follows,
which sentence pair answers, and the short answer inside it."""

from __future__ import annotations

import pytest

from qa.answer_types import AnswerType, answer_type, offers
from qa.entities import question_entities
from qa.multihop import bridge_entities
from qa.short_answer import short_answer

FILM = ("Harbour Lights\n\nHarbour Lights is a 1952 drama film directed by Edwin Marle and written by Ruth Calder. "
        "It stars Tom Vale and Ann Hook.")


def test_the_second_hop_follows_the_name_in_the_phrase_saying_the_asked_relation():
    assert bridge_entities("Where was the screenwriter of Harbour Lights born?", [FILM])[0] == "Ruth Calder"
    assert bridge_entities("Where was the director of Harbour Lights born?", [FILM])[0] == "Edwin Marle"


def test_a_relation_word_counts_once_by_meaning_so_a_later_mention_of_the_noun_does_not_win():
    # "The director has said ..." repeats the question's noun; the name *directed by* is still the bridge.
    film = ("Harbour Lights\nHarbour Lights is a 1952 drama film written and directed by Edwin Marle. The director "
            "has said the story was inspired by the writings of the Austrian author Ruth Calder.")
    assert bridge_entities("In which city was the director of Harbour Lights born?", [film])[0] == "Edwin Marle"


def test_the_player_of_a_role_the_question_names_is_the_bridge():
    cast = ("Harbour Lights\n\nHarbour Lights is a 1952 drama film. The film starred Tom Vale as Captain Orme and "
            "Ann Hook as Nell Carrick, and it won two awards.")
    question = "The actress who played Nell Carrick in Harbour Lights studied at which drama school?"
    assert bridge_entities(question, [cast])[0] == "Ann Hook"
    assert bridge_entities("Which actor played Captain Orme in Harbour Lights?", [cast])[0] == "Tom Vale"


def test_which_school_wants_a_name_that_says_the_kind_not_the_bridge_name():
    question = "The actress who played Nell Carrick in Harbour Lights studied at which drama school?"
    wanted = answer_type(question)
    assert not offers("The film starred Tom Vale as Captain Orme and Ann Hook as Nell Carrick.", wanted, question)
    assert offers("Ann Hook trained at the Corran School of Drama in Leeds.", wanted, question)


def test_names_joined_by_and_stay_apart_and_an_initial_stays_inside_a_name():
    text = "Dune Road is a 1941 film. It stars Orla Vey and Tom Brask. It was co-written by Walter K. Brant."
    names = bridge_entities("Which city was the birthplace of the man who co-wrote Dune Road?", [text], limit=3)
    assert names[0] == "Walter K. Brant"
    assert "Orla Vey and Tom Brask" not in names


@pytest.mark.parametrize("question,text,short", [
    # A month is no founder; "by the craftsman Agnes Pell" is.
    ("Who founded it?", "It was founded on 23 September 1889 by the craftsman Agnes Pell.", "Agnes Pell"),
    # "which college": the name that is a college, not the nearer town.
    ("At which Oxford college was she educated?", "She was born in Hove and was educated at Somerville College, "
     "Oxford.", "Somerville College"),
])
def test_a_short_name_is_of_the_asked_kind(question, text, short):
    assert short_answer(question, answer_type(question), text) == short


def test_which_district_asks_for_a_place_and_a_lane_is_one():
    assert answer_type("The director of Harbour Lights was born in which district of London?").kind == "place"
    where = "Where do police believe a van was waiting?"
    assert offers("A van was waiting for them on Abbey Lane.", answer_type(where), where)
    assert not offers("A van was waiting for them.", AnswerType("place", strict=True), where)


def test_an_opening_preposition_names_nothing():
    assert question_entities("Besides Tony Wilson, who co-founded the label?") == ["Tony", "Wilson"]


ARTICLES = {
    "film.txt": FILM,
    "marle.txt": "Edwin Marle\n\nEdwin Marle (1901 – 1977) was an English film director. Born in Clapham, London, "
                 "he trained as a painter before joining a studio in 1925.",
    "jory.txt": "Jory Marle\n\nJory Marle (1930 – 1999) was an English actor. He was born in Hackney, London; the "
                "director Edwin Marle was his uncle.",
    "ferry.txt": "The Quiet Ferry\n\nThe Quiet Ferry is a 1961 film directed by Nils Ober and based on the novel "
                 "Grey Water by Anna Lisk.",
    "ober.txt": "Nils Ober\n\nNils Ober (1920 – 1988) was a Norwegian director. He was born in Bergen.",
    "lisk.txt": "Anna Lisk\n\nAnna Lisk (1911 – 1979) was a Norwegian novelist. She was born in Tromsø.",
    "game.txt": "Kettle Run\n\nKettle Run is a 1990 video game developed and published by Brightwater.",
    "brightwater.txt": "Brightwater\n\nBrightwater Ltd. is a British games company based in Leeds. It was founded on "
                       "4 March 1979 by the engineer Agnes Pell.",
}


@pytest.mark.slow
@pytest.mark.parametrize("question,short,sources", [
    # "London" narrows the asked place: the film's sentence need not say it, and the nephew born in Hackney
    # (whose sentence says "director", "born" and "London") is not the bridge.
    ("The director of Harbour Lights was born in which district of London?", "Clapham", {"film.txt", "marle.txt"}),
    # "a novel whose author": the novelist named in the novel's phrase, not the director.
    ("The Quiet Ferry was adapted from a novel whose author was born in what city?", "Tromsø",
     {"ferry.txt", "lisk.txt"}),
    # The company's topic line repeats "company" without answering: the founding sentence does.
    ("Who founded the company that developed and published Kettle Run?", "Agnes Pell",
     {"game.txt", "brightwater.txt"}),
])
def test_a_bridge_answer_joins_the_right_two_articles(fresh_docqa, tmp_path, question, short, sources):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    fresh_docqa.ingest([tmp_path / name for name in ARTICLES])
    answer = fresh_docqa.ask(question)
    assert answer.answer.startswith(short), answer.answer
    assert {c.source.rsplit("/", 1)[-1] for c in answer.citations} == sources, answer.answer


@pytest.mark.slow
def test_a_question_through_two_relations_joins_three_articles(fresh_docqa, tmp_path):
    """The game's entry names the company, the company's its founder, and only the founder's says where she was
    born: three entries, each reached by the name the one before gives."""
    articles = {**ARTICLES, "pell.txt": "Agnes Pell\n\nAgnes Pell (1941 – 2010) was a British engineer. She was born "
                                        "in Whitby, a fishing town in North Yorkshire, and studied at Durham."}
    for name, text in articles.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    fresh_docqa.ingest([tmp_path / name for name in articles])
    answer = fresh_docqa.ask("In which town was the founder of the company that developed Kettle Run born?")
    assert answer.answer.startswith("Whitby"), answer.answer
    assert {c.source.rsplit("/", 1)[-1] for c in answer.citations} == {"game.txt", "brightwater.txt", "pell.txt"}


@pytest.mark.slow
def test_the_year_a_film_entry_gives_once_holds_for_its_cast_sentence(fresh_docqa, tmp_path):
    """"The 1968 film The Salt Road" is dated only in the entry's first sentence, which names its director; the lead
    actor is named in a later sentence of the same entry, which speaks of that film all the same."""
    articles = {
        "salt_road.txt": "The Salt Road\n\nThe Salt Road is a 1968 drama film directed by Pavel Drosin and based on "
                         "the novel by Ilse Warrender. Corin Hale stars as Amos Pike, a drover who leads a herd across "
                         "the marshes. It was shot in Norfolk over one winter.",
        "drosin.txt": "Pavel Drosin\n\nPavel Drosin (1921 – 1990) was a Polish film director. He was born in Lublin.",
        "hale.txt": "Corin Hale\n\nCorin Hale (1931 – 2004) was an English actor. He was born in Wisbech, a market town "
                    "in the Fens.",
    }
    for name, text in articles.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    fresh_docqa.ingest([tmp_path / name for name in articles])
    answer = fresh_docqa.ask("In which town was the lead actor of the 1968 film The Salt Road born?")
    assert answer.answer.startswith("Wisbech"), answer.answer
    assert {c.source.rsplit("/", 1)[-1] for c in answer.citations} == {"salt_road.txt", "hale.txt"}, answer.answer


def test_the_second_hop_lands_in_the_entry_about_the_bridge_name_not_later_in_the_bridges_own():
    """A later passage of the club's own entry mentions its founder's birth too, but the second hop of a bridge goes to
    another entry: the one about the founder."""
    from qa.compose import Evidence, companion

    question = "Where was the founder of the club that won the 1911 Harbour Cup born?"
    club = Evidence(1, 0, 60, "Kestrel Rovers is a football club founded by Amos Pell in Dunmere.")
    cup = Evidence(1, 61, 120, "Kestrel Rovers won the 1911 Harbour Cup.")
    later = Evidence(2, 500, 560, "Club histories long claimed that Amos Pell was born in Portlow.")
    pell = Evidence(3, 0, 50, "Amos Pell was born in Farrowby.")
    pair = companion(question, ["Harbour Cup", "1911"], answer_type(question), cup, [club, cup, later, pell], None,
                     openings={1: "Kestrel Rovers", 3: "Amos Pell"},
                     titles={1: "Kestrel Rovers", 2: "Kestrel Rovers", 3: "Amos Pell"})
    assert pair == (club, pell)

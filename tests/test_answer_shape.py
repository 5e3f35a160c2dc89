"""Answer types on fresh passages: a short answer, then whole cited sentences; two-passage bridge and comparison answers."""

from __future__ import annotations

import re

import pytest

from qa.generate import GenerationRequest
from qa.models import Chunk, Passage
from qa.settings import Settings
from qa.text import strip_markers
from qa.verify import VectorCache, verify

DOCS = {
    "lighthouse.txt": "The Marrow Point lighthouse was built in 1874 by the engineer Hilda Brandt. It stands 38 metres "
                      "tall and its beam reaches 22 nautical miles over the bay. The last keepers left in 1962 because "
                      "the light was automated. Brandt announced the finished tower on the front page of the Coastal "
                      "Gazette, which printed her drawings.",
    "brandt.txt": "Hilda Brandt was born in Bergen and trained at a polytechnic before moving to the coast. "
                  "She designed four lighthouses in total.",
    "seals.txt": "The 2019 survey counted 412 grey seals on the sandbanks, up from 300 a decade earlier. Volunteers "
                 "counted the seals by photographing the sandbanks from a small aircraft.",
    "bridge.txt": "The Kessel footbridge was never opened to cyclists. The Old Harbour Bridge opened in 1911 after "
                  "six years of work.",
    "tunnel.txt": "The Ferry Tunnel opened in 1957 and carries two lanes of traffic under the river.",
    "verel.txt": "The sculptor Anton Verel was born in 1931 in Lyon and worked mostly in bronze.",
    "quell.txt": "The painter Marta Quell was born in 1928 in Basel, where she taught for thirty years.",
    "novel.txt": "Salt and Lantern is a 2009 novel about a ferry crew. The novel was written by Orla Finch.",
    "finch.txt": "Orla Finch received the Harrow Medal in 2011. She lives on a farm near Galway.",
}


def passages() -> tuple[Passage, ...]:
    out = []
    for i, (name, text) in enumerate(DOCS.items()):
        chunk = Chunk(id=f"c{i}", doc_id=f"d{i}", source=name, index=0, start=0, end=len(text), text=text)
        out.append(Passage(chunk=chunk, score=1.0 - i / 100, dense_score=0.5))
    return tuple(out)


@pytest.fixture(scope="module")
def answerer(embedder):
    from qa.generators.extractive import ExtractiveGenerator

    return ExtractiveGenerator(embedder, Settings())


def ask(answerer, question: str):
    pool = passages()
    answer = answerer.answer(GenerationRequest(question, question, pool))
    assert not answer.abstained, (question, answer.flags)
    checked = verify(answer.answer, pool, answerer.vectors)
    assert checked.unsupported_sentences == 0 and checked.supported, "the verifier passes the answer as given"
    return answer


def parts(answer) -> tuple[str, list[str]]:
    """(short answer, evidence sentences) of an answer, markers removed."""
    text = re.sub(r"^(Yes|No)\. ", r"\1 [0]. ", answer.answer)  # a yes/no lead-in carries no marker
    sentences = [strip_markers(s).strip() for s in re.split(r"(?<=\]\.)\s+", text)]
    return sentences[0].rstrip("."), sentences[1:]


@pytest.mark.slow
@pytest.mark.parametrize("question,short", [
    ("Who built the Marrow Point lighthouse?", "Hilda Brandt"),  # who
    ("Which engineer built the lighthouse at Marrow Point?", "Hilda Brandt"),  # which + noun
    ("When was the Marrow Point lighthouse built?", "1874"),  # when
    ("How tall is the Marrow Point lighthouse?", "38 metres"),  # how tall
    ("How far does the beam of the Marrow Point lighthouse reach?", "22 nautical miles"),  # how far
    ("How many grey seals did the 2019 survey count?", "412 grey seals"),  # how many
    ("Why did the last keepers leave the lighthouse?", "Because the light was automated"),  # why
    ("How did the volunteers count the seals?", "By photographing the sandbanks from a small aircraft"),  # how
    ("Where was Hilda Brandt born?", "Bergen"),  # where: a place
    ("Where did Brandt announce the finished tower?", "Coastal Gazette"),  # where: a publication
    ("Did the last keepers leave in 1962?", "Yes"),  # yes/no
    ("Was the Kessel footbridge opened to cyclists?", "No"),
])
def test_each_answer_type_gives_a_short_answer_then_its_whole_sentence(answerer, question, short):
    answer = ask(answerer, question)
    got, evidence = parts(answer)
    assert got == short, answer.answer
    assert evidence, "the supporting sentence follows the short answer"
    for sentence in evidence:
        assert sentence[0].isupper() and sentence.endswith("."), "whole sentences, never a clause cut mid-way"
        assert any(sentence.rstrip(".") in c.text for c in answer.citations), "each sentence is a cited span"


@pytest.mark.parametrize("question,query,referent", [
    ("Did she write the sync engine?", "Did Ingrid Solberg write the sync engine? project", ["Ingrid", "Solberg"]),
    ("Did the leader agree with her?", "Did the leader agree with Margaret Dunmore?", ["Margaret", "Dunmore"]),
    ("Has anyone been arrested over it?", "Has anyone been arrested over the theft?", []),  # no he or she
    ("Did she resign?", "Did she resign?", []),  # left unresolved
])
def test_the_person_a_he_or_she_stands_for_is_read_off_the_standalone_query(question, query, referent):
    from qa.relation import pronoun_referent

    assert pronoun_referent(question, query) == referent


@pytest.mark.slow
def test_yes_or_no_about_a_he_or_she_is_read_only_off_a_sentence_naming_them(answerer):
    assert parts(ask(answerer, "Did Orla Finch receive the Harrow Medal?"))[0] == "Yes"
    pool, history = passages(), ({"role": "user", "content": "Who is Marta Quell?"},
                                 {"role": "assistant", "content": "A painter, born in Basel."})
    # The only sentence about the medal names someone else than the "she" asked about: "Yes" would be a guess.
    guess = answerer.answer(GenerationRequest("Did she receive the Harrow Medal?",
                                              "Did Marta Quell receive the Harrow Medal?", pool, history))
    assert guess.abstained, guess.answer
    assert "yes-or-no-not-about-the-asked-entity" in guess.flags[0]
    told = answerer.answer(GenerationRequest("Did she receive the Harrow Medal?",
                                             "Did Orla Finch receive the Harrow Medal?", pool, history))
    assert told.answer.startswith("Yes"), told.flags


@pytest.mark.slow
def test_a_bridge_question_is_answered_from_two_passages(answerer):
    answer = ask(answerer, "Which medal did the author of Salt and Lantern receive?")
    assert "Harrow Medal" in answer.answer
    sources = {c.source for c in answer.citations}
    assert sources == {"novel.txt", "finch.txt"}, answer.answer
    assert parts(answer)[0] == "Harrow Medal"


@pytest.mark.slow
@pytest.mark.parametrize("question,winner,sources", [
    ("Who is older, Anton Verel or Marta Quell?", "Marta Quell", {"verel.txt", "quell.txt"}),
    ("Who was born later, Marta Quell or Anton Verel?", "Anton Verel", {"verel.txt", "quell.txt"}),
    ("Which opened first, the Ferry Tunnel or the Old Harbour Bridge?", "Old Harbour Bridge", {"bridge.txt", "tunnel.txt"}),
])
def test_a_comparison_cites_both_sides_and_names_the_winner(answerer, question, winner, sources):
    answer = ask(answerer, question)
    assert parts(answer)[0] == winner, answer.answer
    assert {c.source for c in answer.citations} == sources


# A bridge whose answer says the relation in other words, beside a distractor joined only by a shared town.
ENTRIES = {
    "Glass Suite": "The Glass Suite is an orchestral piece first performed in Tarrow. It was composed by Edda Lund and "
                   "was completed in 1931.",
    "Edda Lund": "Born in 1899 in the town of Wexby, Edda Lund became a well-known composer. She was educated at the "
                 "Halm Conservatory, where she read music.",
    "Piet Orr": "Piet Orr was a composer, born in Tarrow in 1902. He studied painting at the Kell Academy.",
}


def test_relations_are_matched_by_meaning():
    from qa.text import concepts

    assert concepts("She was educated at the Halm Conservatory") == concepts("Where did she study?") == {"~study"}
    assert concepts("It was established by the Lund family") == concepts("Who is the founder?")
    assert "~study" not in concepts("He was born in Tarrow in 1902.")
    assert concepts("The baths will shut in May.") == concepts("When are the baths closing?") == {"~close"}


@pytest.mark.slow
def test_a_bridge_follows_the_entry_about_the_bridge_name_and_the_relation_by_meaning(answerer):
    pool = []
    for i, (title, text) in enumerate(ENTRIES.items()):
        chunk = Chunk(id=f"e{i}", doc_id=f"e{i}", source=f"{title}.txt", index=0, start=0, end=len(text), text=text,
                      title=title)
        pool.append(Passage(chunk=chunk, score=1.0 - i / 100, dense_score=0.5))
    question = "Where did the composer of the Glass Suite study?"
    answer = answerer.answer(GenerationRequest(question, question, tuple(pool)))
    assert not answer.abstained, answer.flags
    assert parts(answer)[0] == "Halm Conservatory", answer.answer
    assert {c.source for c in answer.citations} == {"Glass Suite.txt", "Edda Lund.txt"}, answer.answer


@pytest.mark.parametrize("sentence,asserted", [
    ("Jo wants to know if there's a washing machine at the barn, because of Biscuit and the mud.", False),
    ("Is there a washing machine at the barn?", False),
    ("Sam asked whether the barn takes dogs.", False),
    ("The barn has a washing machine in the utility room.", True),
    ("Whether it rains or not, the walk goes ahead.", True),  # "whether" alone asks nothing
])
def test_a_sentence_that_asks_or_reports_a_question_asserts_nothing(sentence, asserted):
    from qa.statements import asserts

    assert asserts(sentence) is asserted


@pytest.mark.slow
def test_a_yes_or_no_question_is_not_answered_by_a_sentence_asking_it(answerer):
    asking = "Jo wants to know if there's a washing machine at the barn, because of Biscuit and the mud. " \
             "The barn sleeps eight and has a wood burner."
    chunk = Chunk(id="c0", doc_id="d0", source="barn.txt", index=0, start=0, end=len(asking), text=asking)
    pool = (Passage(chunk=chunk, score=1.0, dense_score=0.6),)
    unsure = answerer.answer(GenerationRequest("Does the barn have a washing machine?",
                                               "Does the barn have a washing machine?", pool))
    assert unsure.abstained, unsure.answer
    told = asking + " The barn has a washing machine in the utility room."
    chunk = Chunk(id="c1", doc_id="d0", source="barn.txt", index=0, start=0, end=len(told), text=told)
    pool = (Passage(chunk=chunk, score=1.0, dense_score=0.6),)
    sure = answerer.answer(GenerationRequest("Does the barn have a washing machine?",
                                             "Does the barn have a washing machine?", pool))
    assert sure.answer.startswith("Yes") and "utility room" in sure.answer, (sure.answer, sure.flags)


@pytest.mark.parametrize("question,sentence,reply", [
    ("Can the path contain relative folders?", "It must name only absolute rather than relative folders.", "No"),
    ("Can the path contain absolute folders?", "It must name only absolute rather than relative folders.", "Yes"),
    ("Does the cafe serve coffee?", "The Orla cafe serves tea instead of coffee.", "No"),
    ("Does the cafe serve tea instead of coffee?", "The Orla cafe serves tea instead of coffee.", "Yes"),
    ("Does the cafe serve tea?", "The Orla cafe serves tea.", "Yes"),
])
def test_a_sentence_setting_aside_what_is_asked_says_no(question, sentence, reply):
    from qa.answer_types import answer_type
    from qa.short_answer import short_answer

    assert short_answer(question, answer_type(question), sentence) == reply


def test_a_list_item_is_said_without_its_list_marker():
    from qa.compose import Composed, Evidence

    item = Evidence(0, 10, 60, "- Added the --dry-run flag, which changes nothing.")
    assert Composed(None, (item,)).text() == "Added the --dry-run flag, which changes nothing [1]."
    numbered = Evidence(0, 0, 30, "2. Lift the kettle off its base.")
    assert Composed("Lift", (numbered,)).text() == "Lift [1]. Lift the kettle off its base [1]."
    # a version or a negative number opening a sentence is no list marker
    assert Composed(None, (Evidence(0, 0, 20, "4.2.0 added parallel uploads."),)).text().startswith("4.2.0 added")
